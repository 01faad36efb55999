namespace TlsTools.Tls
{
    /// <summary>What earlier messages of the same handshake told the decoder.</summary>
    internal sealed class DecodeContext
    {
        public TlsVersion? Version;
        public bool OfferedTls13;
        public bool ServerChoseTls13;
        public bool ServerHelloSeen;
        public int? CipherSuite;
        /// <summary>The registry's record of the chosen suite; null before ServerHello or for an unknown suite.</summary>
        public CipherSuiteInfo? Suite;
        public string? Group;
        public int DhBits;
        public string? Alpn;
        public byte[]? ClientSessionId;
        public int ClientHelloCount;
        public bool Resumed;
        public bool CertificateRequested;
        public bool ClientCertificateSent;
        public string? ServerSignatureScheme;
        public string? LastCertificateKey;
        public string? ServerCertificateKey;
    }
}
