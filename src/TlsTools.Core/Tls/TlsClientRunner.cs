using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Org.BouncyCastle.Tls;
using TlsTools.Net;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;
using PkiCertificate = TlsTools.Pki.Certificate;

namespace TlsTools.Tls
{
    /// <summary>
    /// Runs one full TLS client handshake over a plain TCP socket and reports what happened, message by message.
    /// The server certificate is captured, not validated (chain validation is a separate step).
    /// </summary>
    public sealed class TlsClientRunner
    {
        private static readonly int[] DefaultSuites =
        {
            CipherSuite.TLS_AES_128_GCM_SHA256, CipherSuite.TLS_AES_256_GCM_SHA384, CipherSuite.TLS_CHACHA20_POLY1305_SHA256,
            CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
            CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
            CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
            CipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
            CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256, CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256,
            CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA, CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA,
            CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA, CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA,
            CipherSuite.TLS_DHE_RSA_WITH_AES_128_GCM_SHA256, CipherSuite.TLS_DHE_RSA_WITH_AES_256_GCM_SHA384,
            CipherSuite.TLS_RSA_WITH_AES_128_GCM_SHA256, CipherSuite.TLS_RSA_WITH_AES_256_GCM_SHA384,
            CipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA256, CipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA, CipherSuite.TLS_RSA_WITH_AES_256_CBC_SHA,
        };

        /// <summary>
        /// The largest handshake message accepted from a server: 256 KiB (BouncyCastle's default is 32 KiB; OpenSSL's
        /// max_cert_list is 100 KiB). A bigger one (a hostile 16 MiB Certificate message) ends the handshake with a
        /// TlsAlertSent error as soon as its 4-byte header arrives, so at most this much is buffered per connection.
        /// </summary>
        public const int MaxHandshakeMessageBytes = 256 * 1024;

        /// <summary>
        /// The most certificates accepted in a server's Certificate message: 100 (BouncyCastle's default is 10, too few
        /// to show what a server that sends a whole bundle sends). A longer chain ends the handshake with TlsAlertSent.
        /// </summary>
        public const int MaxCertificateChainLength = 100;

        private static readonly int[] DefaultGroups =
        {
            NamedGroup.x25519, NamedGroup.secp256r1, NamedGroup.secp384r1, NamedGroup.secp521r1, NamedGroup.x448,
            NamedGroup.ffdhe2048, NamedGroup.ffdhe3072,
        };

        /// <summary>
        /// Connects and runs the handshake. Network failures, alerts and timeouts are returned as a result with
        /// <see cref="HandshakeResult.Success"/> false. Throws <see cref="TlsToolsException"/> (InvalidArgument) for
        /// unusable options and <see cref="OperationCanceledException"/> when <paramref name="cancellationToken"/> is cancelled
        /// (the socket is closed at once).
        /// </summary>
        public async Task<HandshakeResult> HandshakeAsync(HandshakeOptions options, CancellationToken cancellationToken = default)
        {
            var plan = Plan.From(options ?? throw new ArgumentNullException(nameof(options)));
            cancellationToken.ThrowIfCancellationRequested();
            var result = new HandshakeResult(plan.Target);

            using var timeoutCts = new CancellationTokenSource(options.Timeout);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutCts.Token);
            var recorder = new TranscriptRecorder(Sender.Client) { Enabled = options.CaptureTranscript };
            KeyLogCrypto? keyLog = options.KeyLogPath != null ? new KeyLogCrypto() : null;
            var crypto = keyLog ?? new BcTlsCrypto(Credentials.Random);
            var client = new RunnerClient(crypto, options, plan);
            Socket? socket = null;
            string phase = "connect";
            bool connectTimedOut = false;
            var total = Stopwatch.StartNew();
            try
            {
                // Name lookup and connect, with their own bound (the connector's errors carry their ErrorIds).
                var connection = await Connector.Default.ConnectAsync(plan.Target, options.ConnectTimeout ?? options.Timeout, linked.Token).ConfigureAwait(false);
                socket = connection.Socket;
                result.Target = connection.Target;
                result.IPAddress = connection.RemoteAddress.ToString();
                result.ConnectMilliseconds = Math.Round(total.Elapsed.TotalMilliseconds, 3);

                phase = "handshake";
                var sock = socket!;
                using var reg = linked.Token.Register(() => sock.Dispose());
                recorder.Restart();
                var protocol = new CapturingClientProtocol(recorder);
                var buffer = new byte[32 * 1024];
                protocol.Connect(client);
                await Flush(protocol, sock, buffer).ConfigureAwait(false);
                while (!client.Completed)
                {
                    int n = await sock.ReceiveAsync(new ArraySegment<byte>(buffer), SocketFlags.None).ConfigureAwait(false);
                    if (n == 0) throw new EndOfStreamException();
                    client.ReceivedAnything = true;
                    try
                    {
                        protocol.OfferInput(buffer, 0, n);
                    }
                    finally
                    {
                        // Send whatever BouncyCastle queued, including a fatal alert after a failure.
                        await Flush(protocol, sock, buffer).ConfigureAwait(false);
                    }
                }
                result.HandshakeMilliseconds = Math.Round(recorder.ElapsedMs, 3);
                result.Success = true;

                phase = "tickets";
                recorder.PostHandshake = true;
                // In TLS 1.3 the server judges a client certificate after the client's Finished: a rejection
                // arrives as an alert after the handshake "completed", so read on a little when one was asked for.
                var wait = options.SessionTicketWait;
                if (client.CertificateRequested && wait < TimeSpan.FromMilliseconds(500)) wait = TimeSpan.FromMilliseconds(500);
                if (client.Version == TlsVersion.Tls13 && wait > TimeSpan.Zero)
                    await WaitForTickets(protocol, sock, buffer, recorder, wait, linked.Token).ConfigureAwait(false);

                recorder.Enabled = false; // the closing alert is not part of the handshake
                try
                {
                    protocol.Close();
                    await Flush(protocol, sock, buffer).ConfigureAwait(false);
                }
                catch (Exception)
                {
                    // Closing politely is best effort.
                }
            }
            catch (Exception e)
            {
                if (cancellationToken.IsCancellationRequested)
                    throw new OperationCanceledException("The handshake with " + plan.Target + " was cancelled.", e, cancellationToken);
                if (phase == "connect" && e is OperationCanceledException) connectTimedOut = true;
                bool alert = e is TlsFatalAlertReceived || (e is TlsFatalAlert tfa && tfa.InnerException is TlsFatalAlertReceived);
                if (phase == "tickets" && alert)
                {
                    result.Success = false;
                    Classify(result, e, phase, false, options, client);
                    result.Error = "The handshake completed, then the server refused the connection: " + result.Error;
                }
                else if (!(result.Success && phase == "tickets"))
                {
                    result.Success = false;
                    Classify(result, e, phase, timeoutCts.IsCancellationRequested || connectTimedOut, options, client);
                }
            }
            finally
            {
                socket?.Dispose();
                if (keyLog != null && keyLog.Lines.Count > 0)
                {
                    try { KeyLogCrypto.Append(options.KeyLogPath!, keyLog.Lines); }
                    catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
                    {
                        if (result.Success)
                        {
                            result.Error = "The handshake succeeded but the key log could not be written: " + e.Message;
                            result.ErrorId = "KeyLogWriteFailed";
                            result.ErrorKind = TlsTools.ErrorKind.WriteError;
                        }
                    }
                }
            }

            Fill(result, recorder, client);
            return result;
        }

        /// <summary>After a ticket, how long a pause ends the server's ticket flight.</summary>
        internal static readonly TimeSpan TicketFlightGap = TimeSpan.FromMilliseconds(1);

        private static async Task WaitForTickets(TlsClientProtocol protocol, Socket sock, byte[] buffer, TranscriptRecorder recorder, TimeSpan wait, CancellationToken token)
        {
            // openssl and most servers send NewSessionTicket right after the client's Finished, all in one flight:
            // wait up to `wait` for the first, then only as long as more keep arriving back to back. Every
            // millisecond here is a millisecond a one-connection-at-a-time server (openssl s_server) cannot serve
            // the next client.
            var deadline = Stopwatch.StartNew();
            int tickets = 0;
            while (deadline.Elapsed < wait)
            {
                var left = wait - deadline.Elapsed;
                if (tickets > 0 && left > TicketFlightGap) left = TicketFlightGap;
                var receive = sock.ReceiveAsync(new ArraySegment<byte>(buffer), SocketFlags.None);
                var winner = await Task.WhenAny(receive, Task.Delay(left, token)).ConfigureAwait(false);
                if (winner != receive)
                {
                    _ = receive.ContinueWith(t => _ = t.Exception, TaskScheduler.Default);
                    token.ThrowIfCancellationRequested();
                    return;
                }
                int n = await receive.ConfigureAwait(false);
                if (n == 0) return;
                protocol.OfferInput(buffer, 0, n);
                while (protocol.GetAvailableInputBytes() > 0)
                    protocol.ReadInput(buffer, 0, buffer.Length); // discard application data
                tickets = recorder.Items.Count(i => i.Sender == Sender.Server && i.ContentType == ContentType.handshake && i.Data.Length > 0 && i.Data[0] == HandshakeType.new_session_ticket);
                if (recorder.Enabled == false) tickets = 1;
                // The flight has arrived when nothing more is waiting in the socket.
                if (tickets > 0 && sock.Available == 0) return;
            }
        }

        internal static async Task Flush(TlsProtocol protocol, Socket sock, byte[] buffer)
        {
            int available;
            while ((available = protocol.GetAvailableOutputBytes()) > 0)
            {
                int n = protocol.ReadOutput(buffer, 0, Math.Min(available, buffer.Length));
                int sent = 0;
                while (sent < n)
                    sent += await sock.SendAsync(new ArraySegment<byte>(buffer, sent, n - sent), SocketFlags.None).ConfigureAwait(false);
            }
        }

        private static void Classify(HandshakeResult result, Exception e, string phase, bool timedOut, HandshakeOptions options, RunnerClient client)
        {
            string where = result.Target.ToString();
            if (timedOut)
            {
                result.ErrorKind = TlsTools.ErrorKind.OperationTimeout;
                if (phase == "connect")
                {
                    result.ErrorId = "ConnectTimeout";
                    result.Error = "Connecting to " + where + " timed out after " + (options.ConnectTimeout ?? options.Timeout).TotalSeconds + " s.";
                }
                else
                {
                    result.ErrorId = "HandshakeTimeout";
                    result.Error = "The TLS handshake with " + where + " did not complete within " + options.Timeout.TotalSeconds + " s"
                        + (client.ReceivedAnything ? "." : "; the server sent nothing.");
                }
                return;
            }
            var inner = e;
            while (inner is TlsFatalAlert tfa && tfa.InnerException is TlsFatalAlertReceived) inner = tfa.InnerException;
            switch (inner)
            {
                case TlsFatalAlertReceived received:
                {
                    var name = TlsRegistry.Alerts.Name(received.AlertDescription);
                    result.ErrorKind = TlsTools.ErrorKind.ProtocolError;
                    result.ErrorId = "TlsAlertReceived";
                    result.Alert = name;
                    result.AlertDirection = "Received";
                    result.Error = "The server ended the handshake with a fatal " + name + " alert (" + AlertMeaningText(name) + ").";
                    return;
                }
                case TlsFatalAlert sent:
                {
                    var name = TlsRegistry.Alerts.Name(sent.AlertDescription);
                    result.ErrorKind = TlsTools.ErrorKind.ProtocolError;
                    result.ErrorId = "TlsAlertSent";
                    result.Alert = name;
                    result.AlertDirection = "Sent";
                    result.Error = "The client aborted the handshake with a fatal " + name + " alert: " + (client.RaisedAlertMessage ?? sent.Message)
                        + (client.ReceivedAnything && !client.ReceivedTls ? " (the server does not speak TLS on this port)" : "") + ".";
                    return;
                }
                case SocketException se:
                    result.ErrorKind = TlsTools.ErrorKind.ConnectionError;
                    switch (se.SocketErrorCode)
                    {
                        case SocketError.ConnectionRefused:
                            result.ErrorId = "ConnectionRefused";
                            result.Error = "Connection to " + where + " was refused (nothing listens on that port).";
                            return;
                        case SocketError.HostNotFound:
                        case SocketError.NoData:
                        case SocketError.TryAgain:
                            result.ErrorId = "HostNotFound";
                            result.Error = "The name '" + result.Target.Host + "' could not be resolved: " + se.Message;
                            return;
                        case SocketError.ConnectionReset:
                            result.ErrorId = "ConnectionReset";
                            result.Error = "The server reset the connection during the " + phase + ".";
                            return;
                        default:
                            result.ErrorId = "NetworkError";
                            result.Error = "Network error during the " + phase + " with " + where + ": " + se.Message;
                            return;
                    }
                case EndOfStreamException _:
                    result.ErrorKind = TlsTools.ErrorKind.ConnectionError;
                    result.ErrorId = "ConnectionClosed";
                    result.Error = "The server closed the connection during the handshake" + (client.ReceivedAnything ? "." : " without sending anything.");
                    return;
                case TlsToolsException tte:
                    result.ErrorKind = tte.Kind;
                    result.ErrorId = tte.ErrorId;
                    result.Error = tte.Message;
                    return;
                case IOException io when io.InnerException is SocketException:
                    Classify(result, io.InnerException, phase, false, options, client);
                    return;
                default:
                    result.ErrorKind = TlsTools.ErrorKind.ProtocolError;
                    result.ErrorId = "HandshakeFailed";
                    result.Error = "The handshake with " + where + " failed: " + e.Message;
                    return;
            }
        }

        private static string AlertMeaningText(string name)
        {
            return TlsRegistry.Alerts.Meaning(AlertCode(name));
        }

        private static int AlertCode(string name)
        {
            return TlsRegistry.Alerts.FindByName(name)?.Code ?? 40;
        }

        private static void Fill(HandshakeResult result, TranscriptRecorder recorder, RunnerClient client)
        {
            var transcript = recorder.Decode(out var ctx);
            result.Transcript = transcript;
            result.TlsVersion = client.Version ?? ctx.Version;
            int? suite = client.CipherSuite ?? ctx.CipherSuite;
            if (suite != null)
            {
                result.CipherSuite = TlsRegistry.CipherSuites.Name(suite.Value);
                result.KeyExchange = TranscriptDecoder.KeyExchangeName(suite.Value);
            }
            result.NamedGroup = ctx.Group ?? (client.NegotiatedGroup is int g && g >= 0 ? TlsRegistry.NamedGroups.Name(g) : null);
            result.SignatureAlgorithm = ctx.ServerSignatureScheme;
            result.Alpn = client.Alpn ?? ctx.Alpn;
            result.Certificates = client.ServerCertificates.ToArray();
            result.Resumed = client.Resumed;
            result.Session = client.Session;
            result.SessionId = client.Session != null && client.Session.SessionID.Length > 0 && result.TlsVersion != TlsVersion.Tls13
                ? TranscriptDecoder.Hex(client.Session.SessionID) : null;
            result.ClientCertificateRequested = ctx.CertificateRequested;
            result.ClientCertificateSent = ctx.ClientCertificateSent;
            if (result.Success && result.ErrorId == null) result.Error = null;
        }

        /// <summary>Options checked and turned into BouncyCastle values once.</summary>
        internal sealed class Plan
        {
            public ProtocolVersion[] Versions = Array.Empty<ProtocolVersion>();
            public int[]? Suites;
            public int[]? Groups;
            public int[]? Schemes;
            public TlsTarget Target = null!;

            public string? Sni => Target.ServerName;

            public static Plan From(HandshakeOptions o)
            {
                var target = o.GetTarget();
                if (o.Timeout <= TimeSpan.Zero || (o.ConnectTimeout.HasValue && o.ConnectTimeout.Value <= TimeSpan.Zero))
                    throw new TlsToolsException("InvalidTimeout", ErrorKind.InvalidArgument, "Timeouts must be positive.");
                if (o.ClientCertificate != null && !o.ClientCertificate.HasPrivateKey)
                    throw new TlsToolsException("ClientCertificateHasNoKey", ErrorKind.InvalidArgument,
                        "The client certificate '" + o.ClientCertificate.Subject + "' carries no private key; read it with its key to use it.");
                var p = new Plan { Target = target };
                var versions = (o.TlsVersions == null || o.TlsVersions.Count == 0 ? new[] { TlsVersion.Tls12, TlsVersion.Tls13 } : o.TlsVersions.ToArray())
                    .Distinct().OrderByDescending(v => v).ToArray();
                p.Versions = versions.Select(ToBc).ToArray();
                if (o.ResumeSession != null)
                {
                    if (o.ResumeSession.TlsVersion == TlsVersion.Tls13)
                        throw new TlsToolsException("Tls13ResumptionUnsupported", ErrorKind.NotImplemented,
                            "TLS 1.3 sessions cannot be resumed: BouncyCastle 2.7.0 parses the server's NewSessionTicket and discards it, so there is no ticket to offer.");
                    if (o.ResumeSession.Session == null || !o.ResumeSession.Session.IsResumable)
                        throw new TlsToolsException("SessionNotResumable", ErrorKind.InvalidArgument,
                            "The earlier handshake left no resumable session (it failed, or the server gave no session id).");
                }
                if (o.CipherSuites != null && o.CipherSuites.Count > 0)
                    p.Suites = o.CipherSuites.Select(TlsRegistry.CipherSuites.Parse).ToArray();
                if (o.NamedGroups != null && o.NamedGroups.Count > 0)
                    p.Groups = o.NamedGroups.Select(TlsRegistry.NamedGroups.Parse).ToArray();
                if (o.SignatureAlgorithms != null && o.SignatureAlgorithms.Count > 0)
                    p.Schemes = o.SignatureAlgorithms.Select(TlsRegistry.SignatureSchemes.Parse).ToArray();
                return p;
            }

            private static ProtocolVersion ToBc(TlsVersion v) => TlsRegistry.Versions.ToBouncyCastle(v);
        }

        /// <summary>The BouncyCastle client: offers exactly the plan, accepts any server certificate and records what was negotiated.</summary>
        internal sealed class RunnerClient : DefaultTlsClient
        {
            private readonly HandshakeOptions _options;
            private readonly Plan _plan;

            public RunnerClient(TlsCrypto crypto, HandshakeOptions options, Plan plan) : base(crypto)
            {
                _options = options;
                _plan = plan;
            }

            public bool Completed;
            public TlsVersion? Version;
            public int? CipherSuite;
            public int? NegotiatedGroup;
            public string? Alpn;
            public bool Resumed;
            public TlsSession? Session;
            public bool ReceivedAnything;
            public bool ReceivedTls;
            public string? RaisedAlertMessage;
            public bool CertificateRequested;
            public readonly List<PkiCertificate> ServerCertificates = new List<PkiCertificate>();

            internal TlsClientContext Context => m_context;

            protected override ProtocolVersion[] GetSupportedVersions() => _plan.Versions;

            public override int GetMaxHandshakeMessageSize() => MaxHandshakeMessageBytes;

            public override int GetMaxCertificateChainLength() => MaxCertificateChainLength;

            protected override int[] GetSupportedCipherSuites()
            {
                if (_plan.Suites != null) return _plan.Suites;
                var suites = TlsUtilities.GetSupportedCipherSuites(Crypto, DefaultSuites);
                return suites.Where(s => _plan.Versions.Any(v => TlsUtilities.IsValidVersionForCipherSuite(s, v))).ToArray();
            }

            protected override IList<int> GetSupportedGroups(IList<int> namedGroupRoles)
            {
                if (_plan.Groups != null) return _plan.Groups.ToList();
                bool tls13 = _plan.Versions.Any(TlsUtilities.IsTlsV13);
                var groups = DefaultGroups.Where(g => Crypto.HasNamedGroup(g)).ToList();
                if (!tls13 && !namedGroupRoles.Contains(NamedGroupRole.dh)) groups.RemoveAll(NamedGroup.IsFiniteField);
                return groups;
            }

            public override IList<int> GetEarlyKeyShareGroups()
            {
                if (_plan.Groups != null && _plan.Groups.Length > 0) return new List<int> { _plan.Groups[0] };
                return base.GetEarlyKeyShareGroups();
            }

            protected override IList<SignatureAndHashAlgorithm> GetSupportedSignatureAlgorithms()
            {
                if (_plan.Schemes != null) return _plan.Schemes.Select(SignatureScheme.GetSignatureAndHashAlgorithm).ToList();
                return base.GetSupportedSignatureAlgorithms();
            }

            protected override IList<ProtocolName>? GetProtocolNames() =>
                _options.Alpn == null || _options.Alpn.Count == 0 ? null : _options.Alpn.Select(ProtocolName.AsUtf8Encoding).ToList();

            protected override IList<ServerName>? GetSniServerNames() =>
                _plan.Sni == null ? null : new List<ServerName> { new ServerName(NameType.host_name, Encoding.ASCII.GetBytes(_plan.Sni)) };

            public override TlsSession? GetSessionToResume() => _options.ResumeSession?.Session;

            public override bool ShouldCheckSigAlgOfPeerCerts() => false;

            public override TlsAuthentication GetAuthentication() => new Authentication(this);

            public override void NotifyServerVersion(ProtocolVersion serverVersion)
            {
                base.NotifyServerVersion(serverVersion);
                ReceivedTls = true;
            }

            public override void NotifyAlertRaised(short alertLevel, short alertDescription, string message, Exception cause)
            {
                if (alertLevel == AlertLevel.fatal && RaisedAlertMessage == null)
                {
                    // BouncyCastle's message is often generic ("Failed to read record"); the cause says what was wrong
                    // (e.g. "Handshake message length exceeds the maximum: 16777215").
                    var detail = cause;
                    while (detail?.InnerException != null) detail = detail.InnerException;
                    RaisedAlertMessage = message == null ? detail?.Message
                        : detail != null && !string.IsNullOrEmpty(detail.Message) && detail.Message != message ? message + ": " + detail.Message : message;
                }
            }

            public override void NotifyHandshakeComplete()
            {
                base.NotifyHandshakeComplete();
                var sp = m_context.SecurityParameters;
                Version = TlsRegistry.Versions.FromWire(sp.NegotiatedVersion.FullVersion);
                CipherSuite = sp.CipherSuite;
                NegotiatedGroup = sp.NegotiatedGroup;
                Alpn = sp.ApplicationProtocol?.GetUtf8Decoding();
                Resumed = sp.IsResumedSession;
                Session = m_context.ResumableSession;
                if (ServerCertificates.Count == 0 && sp.PeerCertificate != null)
                    AddCertificates(sp.PeerCertificate);
                (Crypto as KeyLogCrypto)?.AddExporter(sp);
                Completed = true;
            }

            internal void AddCertificates(Certificate chain)
            {
                foreach (var c in chain.GetCertificateList())
                {
                    try { ServerCertificates.Add(new PkiCertificate(Formats.CertificateParsing.ParseDer(c.GetEncoded()))); }
                    catch (Exception) { /* shown as unreadable in the transcript */ }
                }
            }

            private sealed class Authentication : TlsAuthentication
            {
                private readonly RunnerClient _client;

                public Authentication(RunnerClient client) => _client = client;

                public void NotifyServerCertificate(TlsServerCertificate serverCertificate)
                {
                    // Captured as sent; validation is a separate step.
                    _client.AddCertificates(serverCertificate.Certificate);
                }

                public TlsCredentials? GetClientCredentials(CertificateRequest certificateRequest)
                {
                    _client.CertificateRequested = true;
                    var cert = _client._options.ClientCertificate;
                    if (cert == null) return null;
                    return Credentials.Signer(_client.m_context, (BcTlsCrypto)_client.Crypto, cert, _client._options.ClientCertificateChain,
                        certificateRequest.SupportedSignatureAlgorithms, certificateRequest.GetCertificateRequestContext());
                }
            }
        }
    }
}
