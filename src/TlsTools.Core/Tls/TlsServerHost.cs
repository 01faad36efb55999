using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;
using TlsTools.Validation;
using PkiCertificate = TlsTools.Pki.Certificate;

namespace TlsTools.Tls
{
    /// <summary>What a <see cref="TlsServerHost"/> serves.</summary>
    public sealed class TlsServerOptions
    {
        /// <summary>The server certificate, with its private key (ECDSA P-256/P-384/P-521, RSA or Ed25519).</summary>
        public PkiCertificate? Certificate { get; set; }

        /// <summary>Intermediates sent after the leaf.</summary>
        public IList<PkiCertificate>? Chain { get; set; }

        /// <summary>Loopback port; 0 picks a free one (see <see cref="TlsServerHost.Port"/>).</summary>
        public int Port { get; set; }

        /// <summary>Versions to accept; null means TLS 1.2 and 1.3.</summary>
        public IList<TlsVersion>? TlsVersions { get; set; }

        /// <summary>IANA cipher suite names to accept, in preference order; null means defaults that fit the key.</summary>
        public IList<string>? CipherSuites { get; set; }

        /// <summary>ALPN protocols the server accepts, in preference order.</summary>
        public IList<string>? Alpn { get; set; }

        /// <summary>Ask for a client certificate and refuse clients that send none.</summary>
        public bool RequireClientCertificate { get; set; }

        /// <summary>
        /// Roots a client certificate must chain to. The chain is validated as RFC 5280 requires for purpose clientAuth
        /// (signatures, dates, basicConstraints, key usage, extendedKeyUsage, path length, critical extensions) with the
        /// intermediates the client sent; empty accepts any client certificate.
        /// </summary>
        public IList<PkiCertificate>? TrustedRoots { get; set; }

        /// <summary>CRLs to check client certificates against (with <see cref="TrustedRoots"/>); none: revocation is not checked.</summary>
        public IList<Pki.CertificateRevocationList>? Crls { get; set; }

        /// <summary>
        /// A DER OCSP response to staple for the leaf when the client asks (status_request): TLS 1.2 CertificateStatus,
        /// TLS 1.3 leaf entry extension. Null staples nothing (and status_request is then not acknowledged).
        /// </summary>
        public byte[]? OcspResponse { get; set; }

        /// <summary>Body of the HTTP-ish answer; null sends a short description of the connection.</summary>
        public string? ResponseBody { get; set; }

        /// <summary>Longest time one connection may take.</summary>
        public TimeSpan ConnectionTimeout { get; set; } = TimeSpan.FromSeconds(10);

        /// <summary>Keep this many recent connections in <see cref="TlsServerHost.RecentConnections"/>.</summary>
        public int HistorySize { get; set; } = 100;

        /// <summary>What the server speaks before TLS: None (default), or Smtp, Imap, Pop3 (a greeting, capabilities with STARTTLS,
        /// then TLS once the client asks).</summary>
        public TlsTools.Net.StartTlsProtocol StartTls { get; set; }

        /// <summary>A finding scenario: a scripted vulnerable server answers instead of BouncyCastle (<see cref="VulnerableServer"/>).</summary>
        internal VulnerablePersonality? Personality { get; set; }
    }

    /// <summary>One connection a <see cref="TlsServerHost"/> handled.</summary>
    public sealed class ServerConnection
    {
        public DateTime Time { get; internal set; }
        public string RemoteEndPoint { get; internal set; } = "";
        public bool Success { get; internal set; }
        public TlsVersion? TlsVersion { get; internal set; }
        public string? CipherSuite { get; internal set; }
        public string? Alpn { get; internal set; }
        public string? ServerName { get; internal set; }
        public string? ClientCertificateSubject { get; internal set; }

        /// <summary>
        /// The chain validation of the client's certificate (purpose clientAuth, the server's trusted roots, the
        /// intermediates the client sent), when the server has trusted roots and the client sent a certificate; its
        /// Failures say why a refused certificate was refused.
        /// </summary>
        public ChainValidationResult? ClientCertificateValidation { get; internal set; }

        /// <summary>Why the client certificate was refused (Check and Message): the failure that chose the alert sent; null when it was not refused.</summary>
        public ValidationFailure? ClientCertificateRefusal { get; internal set; }
        public double HandshakeMilliseconds { get; internal set; }
        public string? Error { get; internal set; }
        public string? Alert { get; internal set; }

        public override string ToString() => Success ? RemoteEndPoint + " " + TlsVersion + " " + CipherSuite : RemoteEndPoint + " failed: " + Error;
    }

    /// <summary>
    /// A TLS server on 127.0.0.1 (BouncyCastle) that answers each connection with a small HTTP response and closes it.
    /// Connections are handled concurrently with asynchronous sockets. <see cref="Stop"/> or Dispose ends it.
    /// </summary>
    public sealed class TlsServerHost : IDisposable
    {
        private static readonly int[] SuitesTls13 = { CipherSuite.TLS_AES_128_GCM_SHA256, CipherSuite.TLS_AES_256_GCM_SHA384, CipherSuite.TLS_CHACHA20_POLY1305_SHA256 };

        private static readonly int[] SuitesEcdsa =
        {
            CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
            CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256,
            CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA, CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA,
        };

        private static readonly int[] SuitesRsa =
        {
            CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
            CipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256, CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256,
            CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA, CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA,
            CipherSuite.TLS_DHE_RSA_WITH_AES_128_GCM_SHA256, CipherSuite.TLS_DHE_RSA_WITH_AES_256_GCM_SHA384,
            CipherSuite.TLS_RSA_WITH_AES_128_GCM_SHA256, CipherSuite.TLS_RSA_WITH_AES_256_GCM_SHA384,
            CipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA256, CipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA,
        };

        private readonly TlsServerOptions _options;
        private readonly TcpListener _listener;
        private readonly TcpListener? _listener6;
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        private readonly ConcurrentDictionary<Socket, byte> _open = new ConcurrentDictionary<Socket, byte>();
        private readonly ConcurrentQueue<ServerConnection> _history = new ConcurrentQueue<ServerConnection>();
        private readonly ProtocolVersion[] _versions;
        private readonly int[]? _suites;
        private readonly Task _acceptLoop;
        private readonly Task _acceptLoop6;
        private long _completed, _failed;

        private TlsServerHost(TlsServerOptions options)
        {
            _options = options;
            var cert = options.Certificate ?? throw new TlsToolsException(ErrorIds.CertificateRequired, ErrorKind.InvalidArgument, "A TLS server needs a certificate.");
            if (cert.PrivateKey == null)
                throw new TlsToolsException(ErrorIds.CertificateHasNoKey, ErrorKind.InvalidArgument,
                    "The server certificate '" + cert.Subject + "' carries no private key; read it with its key to serve it.");
            if (Credentials.SchemesFor(cert, true).Length == 0)
                throw new TlsToolsException(ErrorIds.UnsupportedKey, ErrorKind.InvalidArgument, "TlsTools cannot serve TLS with a " + cert.PrivateKey.Algorithm + " key.");
            if (options.Crls != null && options.Crls.Count > 0 && (options.TrustedRoots == null || options.TrustedRoots.Count == 0))
                throw new TlsToolsException(ErrorIds.CrlNeedsTrustedRoot, ErrorKind.InvalidArgument,
                    "CRLs check client certificates only against trusted roots; give the roots the client certificates must chain to as well.");
            TlsTools.Net.StartTls.StartTlsNegotiator.CheckServe(options.StartTls);
            if (options.Port < 0 || options.Port > 65535)
                throw new TlsToolsException(ErrorIds.InvalidPort, ErrorKind.InvalidArgument, "Port " + options.Port + " is not between 0 and 65535.");
            if (options.OcspResponse != null) ServerStapling.Check(options.OcspResponse);
            _versions = (options.TlsVersions == null || options.TlsVersions.Count == 0 ? new[] { TlsVersion.Tls12, TlsVersion.Tls13 } : options.TlsVersions.ToArray())
                .Distinct().OrderByDescending(v => v).Select(v => TlsRegistry.Versions.ToBouncyCastle(v)).ToArray();
            if (options.CipherSuites != null && options.CipherSuites.Count > 0)
                _suites = options.CipherSuites.Select(TlsRegistry.CipherSuites.Parse).ToArray();
            if (_suites != null) ServerSuites.CheckServable(cert, _suites, options.TlsVersions);
            ServerSuites.CheckAlpn(options.Alpn, refuseHttp2: false);

            _listener = new TcpListener(IPAddress.Loopback, options.Port);
            try
            {
                _listener.Start(1024);
            }
            catch (SocketException e)
            {
                throw new TlsToolsException(ErrorIds.PortInUse, ErrorKind.ResourceUnavailable, "Cannot listen on 127.0.0.1:" + options.Port + ": " + e.Message, e);
            }
            Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
            _listener6 = ServerSuites.TryListen(IPAddress.IPv6Loopback, Port);
            _acceptLoop = Task.Run(() => AcceptLoop(_listener));
            _acceptLoop6 = _listener6 == null ? Task.CompletedTask : Task.Run(() => AcceptLoop(_listener6));
        }

        /// <summary>Starts listening on 127.0.0.1 (and on ::1 at the same port, when that is free) and returns at once; connections are served in the background.</summary>
        public static TlsServerHost Start(TlsServerOptions options) => new TlsServerHost(options ?? throw new ArgumentNullException(nameof(options)));

        public int Port { get; }

        /// <summary>For a scenario server (Start-TlsServer -Scenario): the kit with the root to trust, the CRL and the expected verdict.</summary>
        public ScenarioKit? Scenario { get; internal set; }

        /// <summary>The IPv4 loopback address the server always listens on.</summary>
        public string Address => "127.0.0.1";

        /// <summary>Every address the server listens on: 127.0.0.1, and ::1 when the IPv6 loopback was free at the same port.</summary>
        public string[] Addresses => _listener6 == null ? new[] { Address } : new[] { Address, "::1" };

        public bool IsRunning => !_stop.IsCancellationRequested;

        public long HandshakesCompleted => Interlocked.Read(ref _completed);

        public long HandshakesFailed => Interlocked.Read(ref _failed);

        public int OpenConnections => _open.Count;

        /// <summary>The most recent connections, oldest first.</summary>
        public ServerConnection[] RecentConnections => _history.ToArray();

        /// <summary>Stops accepting and closes every open connection.</summary>
        public void Stop()
        {
            if (_stop.IsCancellationRequested) return;
            _stop.Cancel();
            try { _listener.Stop(); } catch (SocketException) { }
            try { _listener6?.Stop(); } catch (SocketException) { }
            foreach (var s in _open.Keys) s.Dispose();
            try { Task.WaitAll(new[] { _acceptLoop, _acceptLoop6 }, TimeSpan.FromSeconds(2)); } catch (AggregateException) { }
        }

        public void Dispose()
        {
            Stop();
            _stop.Dispose();
        }

        private async Task AcceptLoop(TcpListener listener)
        {
            while (!_stop.IsCancellationRequested)
            {
                Socket socket;
                try
                {
                    socket = await listener.AcceptSocketAsync().ConfigureAwait(false);
                }
                catch (Exception) when (_stop.IsCancellationRequested)
                {
                    return;
                }
                catch (SocketException)
                {
                    continue; // a client gave up before we accepted it
                }
                _ = Task.Run(() => Serve(socket));
            }
        }

        private async Task Serve(Socket socket)
        {
            _open[socket] = 0;
            var record = new ServerConnection { Time = DateTime.UtcNow, RemoteEndPoint = socket.RemoteEndPoint?.ToString() ?? "" };
            if (_options.Personality != null)
            {
                try { await VulnerableServer.ServeAsync(socket, _options, record, _stop.Token).ConfigureAwait(false); Remember(record); }
                finally { socket.Dispose(); _open.TryRemove(socket, out _); }
                return;
            }
            var server = new HostServer(new BcTlsCrypto(Credentials.Random), this);
            var clock = Stopwatch.StartNew();
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            cts.CancelAfter(_options.ConnectionTimeout);
            var protocol = new TlsServerProtocol();
            using var pump = new ProtocolPump(protocol, socket, "client", cts.Token);
            try
            {
                socket.NoDelay = true;
                await TlsTools.Net.StartTls.StartTlsNegotiator.ServeAsync(socket, _options.StartTls, _options.Certificate!.DnsNames.FirstOrDefault() ?? "localhost", cts.Token).ConfigureAwait(false);
                protocol.Accept(server);
                await pump.HandshakeAsync(() => server.Completed).ConfigureAwait(false);
                record.HandshakeMilliseconds = Math.Round(clock.Elapsed.TotalMilliseconds, 3);
                server.Describe(record);
                record.Success = true;
                Remember(record);
                Interlocked.Increment(ref _completed);

                var body = _options.ResponseBody ?? ("Hello from TlsTools: " + TlsVersionText(record.TlsVersion) + " " + record.CipherSuite
                    + (record.Alpn != null ? ", ALPN " + record.Alpn : "")
                    + (record.ServerName != null ? ", server name " + record.ServerName : "")
                    + (record.ClientCertificateSubject != null ? ", client certificate " + record.ClientCertificateSubject : "") + "\n");
                var bodyBytes = Encoding.UTF8.GetBytes(body);
                var response = Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: " + bodyBytes.Length + "\r\nConnection: close\r\n\r\n")
                    .Concat(bodyBytes).ToArray();
                await pump.WriteApplicationDataAsync(response).ConfigureAwait(false);
                await pump.CloseAsync().ConfigureAwait(false);
                // Half-close and drain, so unread request bytes do not turn the close into a reset that loses the response.
                socket.Shutdown(SocketShutdown.Send);
                using var drain = CancellationTokenSource.CreateLinkedTokenSource(cts.Token);
                drain.CancelAfter(TimeSpan.FromSeconds(1));
                using var drainReg = drain.Token.Register(() => socket.Dispose());
                while (await pump.ReceiveRawAsync().ConfigureAwait(false) > 0) { }
            }
            catch (Exception e)
            {
                if (!record.Success)
                {
                    record.Error = cts.IsCancellationRequested
                        ? (_stop.IsCancellationRequested ? "The server stopped." : "The connection timed out.")
                        : e is TlsFatalAlertReceived r ? "The client sent a fatal " + TlsRegistry.Alerts.Name(r.AlertDescription) + " alert."
                        : e is TlsFatalAlert a ? "The server aborted with a fatal " + TlsRegistry.Alerts.Name(a.AlertDescription) + " alert: " + (server.RaisedAlertMessage ?? a.Message)
                        : e.Message;
                    server.DescribeClient(record);
                    record.Alert = e is TlsFatalAlertReceived r2 ? TlsRegistry.Alerts.Name(r2.AlertDescription) : e is TlsFatalAlert a2 ? TlsRegistry.Alerts.Name(a2.AlertDescription) : null;
                    Remember(record);
                    Interlocked.Increment(ref _failed);
                }
            }
            finally
            {
                socket.Dispose();
                _open.TryRemove(socket, out _);
            }
        }

        private void Remember(ServerConnection record)
        {
            _history.Enqueue(record);
            while (_history.Count > Math.Max(0, _options.HistorySize) && _history.TryDequeue(out _)) { }
        }

        private static string TlsVersionText(TlsVersion? v) => v == null ? "?" : TlsRegistry.Versions.Name(v.Value);

        /// <summary>The BouncyCastle server: credentials for the configured key, the configured versions/suites/ALPN, client certificate policy.</summary>
        private sealed class HostServer : DefaultTlsServer
        {
            private readonly TlsServerHost _host;
            private string? _clientSubject;

            public HostServer(TlsCrypto crypto, TlsServerHost host) : base(crypto)
            {
                _host = host;
            }

            public bool Completed;
            public string? RaisedAlertMessage;

            private TlsServerOptions Options => _host._options;
            private PkiCertificate Leaf => Options.Certificate!;

            protected override ProtocolVersion[] GetSupportedVersions() => _host._versions;

            protected override int[] GetSupportedCipherSuites()
            {
                if (_host._suites != null) return _host._suites;
                var list = new List<int>(SuitesTls13);
                list.AddRange(Credentials.IsRsa(Leaf) ? SuitesRsa : SuitesEcdsa);
                return TlsUtilities.GetSupportedCipherSuites(Crypto, list.ToArray());
            }

            protected override IList<ProtocolName>? GetProtocolNames() =>
                Options.Alpn == null || Options.Alpn.Count == 0 ? null : Options.Alpn.Select(ProtocolName.AsUtf8Encoding).ToList();

            public override bool ShouldCheckSigAlgOfPeerCerts() => false;

            public override TlsCredentials GetCredentials()
            {
                var sp = m_context.SecurityParameters;
                bool tls13 = TlsUtilities.IsTlsV13(m_context);
                if (!tls13 && sp.KeyExchangeAlgorithm == KeyExchangeAlgorithm.RSA)
                {
                    if (!(Leaf.PrivateKey!.Private is RsaKeyParameters rsa))
                        throw new TlsFatalAlert(AlertDescription.internal_error, "RSA key exchange needs an RSA key.");
                    var chain = new List<PkiCertificate> { Leaf };
                    if (Options.Chain != null) chain.AddRange(Options.Chain);
                    return new BcDefaultTlsCredentialedDecryptor((BcTlsCrypto)Crypto, Credentials.Chain(Crypto, chain, false, null), rsa);
                }
                var signer = Credentials.Signer(m_context, (BcTlsCrypto)Crypto, Leaf, Options.Chain, sp.ClientSigAlgs, TlsUtilities.EmptyBytes)
                    ?? throw new TlsFatalAlert(AlertDescription.handshake_failure, "The client offered no signature scheme the server's " + Leaf.PrivateKey!.Algorithm + " key can make.");
                return tls13 && Options.OcspResponse != null && m_certificateStatusRequest != null
                    ? ServerStapling.WithStaple(m_context, (BcTlsCrypto)Crypto, Leaf.PrivateKey!.Private, signer, Options.OcspResponse)
                    : signer;
            }

            // status_request is acknowledged, and a CertificateStatus sent (TLS 1.2), only when there is a response to staple.
            protected override bool AllowCertificateStatus() => Options.OcspResponse != null;

            public override CertificateStatus? GetCertificateStatus() =>
                Options.OcspResponse != null && m_certificateStatusRequest != null ? ServerStapling.Status(Options.OcspResponse) : null;

            public override CertificateRequest? GetCertificateRequest()
            {
                if (!Options.RequireClientCertificate && (Options.TrustedRoots == null || Options.TrustedRoots.Count == 0)) return null;
                IList<SignatureAndHashAlgorithm>? sigAlgs = null;
                if (TlsUtilities.IsSignatureAlgorithmsExtensionAllowed(m_context.ServerVersion))
                    sigAlgs = TlsUtilities.GetDefaultSupportedSignatureAlgorithms(m_context);
                var authorities = Options.TrustedRoots?.Select(r => r.Bc.SubjectDN).ToList();
                if (authorities != null && authorities.Count == 0) authorities = null;
                if (TlsUtilities.IsTlsV13(m_context))
                    return new CertificateRequest(TlsUtilities.EmptyBytes, sigAlgs, null, authorities);
                return new CertificateRequest(new[] { ClientCertificateType.rsa_sign, ClientCertificateType.ecdsa_sign }, sigAlgs, authorities);
            }

            public override void NotifyClientCertificate(Certificate clientCertificate)
            {
                bool empty = clientCertificate == null || clientCertificate.IsEmpty;
                if (empty)
                {
                    if (Options.RequireClientCertificate)
                        throw new TlsFatalAlert(TlsUtilities.IsTlsV13(m_context) ? AlertDescription.certificate_required : AlertDescription.handshake_failure,
                            "A client certificate is required and the client sent none.");
                    return;
                }
                var chain = new List<PkiCertificate>();
                foreach (var c in clientCertificate!.GetCertificateList())
                {
                    try { chain.Add(new PkiCertificate(Formats.CertificateParsing.ParseDer(c.GetEncoded()))); }
                    catch (Exception e) { throw new TlsFatalAlert(AlertDescription.bad_certificate, "The client certificate cannot be parsed.", e); }
                }
                _clientSubject = chain[0].Subject;
                var roots = Options.TrustedRoots;
                if (roots == null || roots.Count == 0) return;
                var verdict = ChainValidator.Validate(new ChainValidationRequest(chain[0])
                {
                    Intermediates = chain.Skip(1).ToList(),
                    TrustedRoots = roots,
                    Crls = Options.Crls ?? new List<Pki.CertificateRevocationList>(),
                    Purpose = ValidationPurpose.ClientAuth,
                });
                ClientCertificateValidation = verdict;
                if (!verdict.IsValid)
                {
                    // The gravest failure chooses the alert and is the reason logged; the others follow it in the message.
                    var refusal = verdict.Failures.OrderBy(f => Array.IndexOf(AlertOrder, AlertFor(f.Check))).First();
                    ClientCertificateRefusal = refusal;
                    throw new TlsFatalAlert(AlertFor(refusal.Check),
                        "The client certificate '" + _clientSubject + "' is not trusted: " +
                        string.Join("; ", new[] { refusal }.Concat(verdict.Failures.Where(f => f != refusal)).Select(f => f.Check + ": " + f.Message)));
                }
            }

            /// <summary>Alerts from the gravest: no path to a trusted root, revoked, a broken certificate, out of date, not for clients.</summary>
            private static readonly short[] AlertOrder =
            {
                AlertDescription.unknown_ca, AlertDescription.certificate_revoked, AlertDescription.bad_certificate,
                AlertDescription.certificate_expired, AlertDescription.unsupported_certificate, AlertDescription.certificate_unknown,
            };

            /// <summary>The alert that names a failed check best (RFC 8446 6.2, RFC 5246 7.2.2): bad_certificate for a signature,
            /// basicConstraints, path length, keyUsage, name constraints or a malformed certificate.</summary>
            private static short AlertFor(string check)
            {
                switch (check)
                {
                    case ValidationCheck.Expired:
                    case ValidationCheck.NotYetValid:
                        return AlertDescription.certificate_expired;
                    case ValidationCheck.Revoked:
                        return AlertDescription.certificate_revoked;
                    case ValidationCheck.MissingIssuer:
                    case ValidationCheck.UntrustedRoot:
                    case ValidationCheck.SelfSigned:
                        return AlertDescription.unknown_ca;
                    case ValidationCheck.ExtendedKeyUsage:
                        return AlertDescription.unsupported_certificate;
                    case ValidationCheck.CrlInvalid:
                        return AlertDescription.certificate_unknown; // revocation could not be checked: refused, fail closed
                    default:
                        return AlertDescription.bad_certificate;
                }
            }

            /// <summary>Why the client certificate was refused, when it was.</summary>
            public ValidationFailure? ClientCertificateRefusal { get; private set; }

            /// <summary>The chain validation of the client certificate, when trusted roots were configured.</summary>
            public ChainValidationResult? ClientCertificateValidation { get; private set; }

            public override void NotifyAlertRaised(short alertLevel, short alertDescription, string message, Exception cause)
            {
                if (alertLevel == AlertLevel.fatal && RaisedAlertMessage == null) RaisedAlertMessage = AlertText.Raised(message, cause);
            }

            public override void NotifyHandshakeComplete()
            {
                base.NotifyHandshakeComplete();
                Completed = true;
                var sp = m_context.SecurityParameters;
                _version = TlsRegistry.Versions.FromWire(sp.NegotiatedVersion.FullVersion);
                _suite = sp.CipherSuite;
                _alpn = sp.ApplicationProtocol?.GetUtf8Decoding();
                var names = sp.ClientServerNames;
                if (names != null && names.Count > 0) _sni = Encoding.ASCII.GetString(names[0].NameData);
            }

            private TlsVersion? _version;
            private int _suite;
            private string? _alpn;
            private string? _sni;

            public void Describe(ServerConnection record)
            {
                record.TlsVersion = _version;
                record.CipherSuite = TlsRegistry.CipherSuites.Name(_suite);
                record.Alpn = _alpn;
                record.ServerName = _sni;
                DescribeClient(record);
            }

            /// <summary>What the client's certificate was and how it fared (also for a refused connection).</summary>
            public void DescribeClient(ServerConnection record)
            {
                record.ClientCertificateSubject = _clientSubject;
                record.ClientCertificateValidation = ClientCertificateValidation;
                record.ClientCertificateRefusal = ClientCertificateRefusal;
            }
        }
    }
}
