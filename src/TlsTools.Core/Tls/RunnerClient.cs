using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;
using PkiCertificate = TlsTools.Pki.Certificate;

namespace TlsTools.Tls
{
    /// <summary>What the client offers when the options name no suites or groups.</summary>
    internal static class ClientDefaults
    {
        internal static readonly int[] Suites =
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

        internal static readonly int[] Groups =
        {
            NamedGroup.x25519, NamedGroup.secp256r1, NamedGroup.secp384r1, NamedGroup.secp521r1, NamedGroup.x448,
            NamedGroup.ffdhe2048, NamedGroup.ffdhe3072,
        };
    }

    /// <summary>The BouncyCastle client: offers exactly the plan, accepts any server certificate and records what was negotiated.</summary>
    internal sealed class RunnerClient : DefaultTlsClient
    {
        private readonly HandshakeOptions _options;
        private readonly TlsClientRunner.Plan _plan;

        public RunnerClient(TlsCrypto crypto, HandshakeOptions options, TlsClientRunner.Plan plan) : base(crypto)
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
        /// <summary>The CA names (as <see cref="PkiCertificate.Subject"/> prints names) and signature schemes of the server's CertificateRequest.</summary>
        public string[] RequestedAuthorities = Array.Empty<string>();
        public string[] RequestedSignatureAlgorithms = Array.Empty<string>();
        /// <summary>The options hold a client certificate to send when asked.</summary>
        public bool HasClientCertificate => _options.ClientCertificate != null;
        public readonly List<PkiCertificate> ServerCertificates = new List<PkiCertificate>();

        /// <summary>The stapled OCSP response (DER) as the server sent it: TLS 1.2 CertificateStatus, or TLS 1.3 leaf entry status_request.</summary>
        public byte[]? StapledOcsp;

        /// <summary>The signed_certificate_timestamp extension's data (a SignedCertificateTimestampList): TLS 1.2 ServerHello, TLS 1.3 leaf entry.</summary>
        public byte[]? SctExtension;

        internal TlsClientContext Context => m_context;

        protected override ProtocolVersion[] GetSupportedVersions() => _plan.Versions;

        public override int GetMaxHandshakeMessageSize() => TlsClientRunner.MaxHandshakeMessageBytes;

        public override int GetMaxCertificateChainLength() => TlsClientRunner.MaxCertificateChainLength;

        protected override int[] GetSupportedCipherSuites()
        {
            if (_plan.Suites != null) return _plan.Suites;
            var suites = TlsUtilities.GetSupportedCipherSuites(Crypto, ClientDefaults.Suites);
            return suites.Where(s => _plan.Versions.Any(v => TlsUtilities.IsValidVersionForCipherSuite(s, v))).ToArray();
        }

        protected override IList<int> GetSupportedGroups(IList<int> namedGroupRoles)
        {
            if (_plan.Groups != null) return _plan.Groups.ToList();
            bool tls13 = _plan.Versions.Any(TlsUtilities.IsTlsV13);
            var groups = ClientDefaults.Groups.Where(g => Crypto.HasNamedGroup(g)).ToList();
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

        // status_request is asked for by BouncyCastle's default (an OCSP CertificateStatusRequest); SCTs are asked for here.
        public override IDictionary<int, byte[]> GetClientExtensions()
        {
            var extensions = base.GetClientExtensions() ?? new Dictionary<int, byte[]>();
            extensions[ExtensionType.signed_certificate_timestamp] = TlsUtilities.EmptyBytes;
            return extensions;
        }

        public override void ProcessServerExtensions(IDictionary<int, byte[]> serverExtensions)
        {
            base.ProcessServerExtensions(serverExtensions);
            if (serverExtensions != null && serverExtensions.TryGetValue(ExtensionType.signed_certificate_timestamp, out var sct) && sct.Length > 0)
                SctExtension = sct;
        }

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
                RaisedAlertMessage = AlertText.Raised(message, cause);
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
                Stapling.Capture(_client, serverCertificate);
            }

            public TlsCredentials? GetClientCredentials(CertificateRequest certificateRequest)
            {
                _client.CertificateRequested = true;
                _client.RequestedAuthorities = certificateRequest.CertificateAuthorities?.Select(n => n.ToString()).ToArray() ?? Array.Empty<string>();
                _client.RequestedSignatureAlgorithms = certificateRequest.SupportedSignatureAlgorithms?
                    .Select(a => TlsRegistry.SignatureSchemes.Name(SignatureScheme.From(a))).ToArray() ?? Array.Empty<string>();
                var cert = _client._options.ClientCertificate;
                if (cert == null) return null;
                return Credentials.Signer(_client.m_context, (BcTlsCrypto)_client.Crypto, cert, _client._options.ClientCertificateChain,
                    certificateRequest.SupportedSignatureAlgorithms, certificateRequest.GetCertificateRequestContext());
            }
        }
    }
}
