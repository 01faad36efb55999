using System;

namespace TlsTools.Tls
{
    /// <summary>How good a cipher suite is for use today.</summary>
    public enum CipherSuiteStrength
    {
        /// <summary>Broken or offers no protection: NULL, EXPORT, RC4, DES, RC2, anonymous, SSL 3.0 CBC (POODLE).</summary>
        Insecure,
        /// <summary>Not broken in practice but deprecated: 3DES/IDEA (SWEET32), no forward secrecy, MD5 MAC, CBC in TLS 1.0/1.1.</summary>
        Weak,
        /// <summary>No known weakness.</summary>
        Secure,
    }

    /// <summary>
    /// One IANA TLS cipher suite code point and what its name says: key exchange, authentication, bulk cipher, MAC and key size.
    /// Strings use IANA spellings (<c>ECDHE</c>, <c>AES_128_GCM</c>, <c>SHA256</c>); TLS 1.3 suites have key exchange and
    /// authentication <c>ANY</c>.
    /// </summary>
    public sealed class CipherSuiteInfo : TlsCodePoint
    {
        internal CipherSuiteInfo(int code, string name, string keyExchange, string authentication, string encryption, string mac,
            int keySize, bool export, bool isTls13, string? openSslName, CipherSuiteStrength strength, string? strengthReason)
            : base(code, name, openSslName != null && openSslName != name ? new[] { openSslName } : null)
        {
            KeyExchange = keyExchange;
            Authentication = authentication;
            Encryption = encryption;
            Mac = mac;
            KeySize = keySize;
            Export = export;
            IsTls13 = isTls13;
            OpenSslName = openSslName;
            Strength = strength;
            StrengthReason = strengthReason;
        }

        /// <summary>RSA, DH, DHE, ECDH, ECDHE, PSK, DHE_PSK, RSA_PSK, ECDHE_PSK, SRP, KRB5, ECCPWD, GOST, NULL, or ANY (TLS 1.3).</summary>
        public string KeyExchange { get; }

        /// <summary>RSA, DSS, ECDSA, PSK, SRP, KRB5, ECCPWD, GOST, anon, NULL, or ANY (TLS 1.3).</summary>
        public string Authentication { get; }

        /// <summary>Bulk cipher as IANA writes it: AES_128_GCM, CHACHA20_POLY1305, 3DES_EDE_CBC, RC4_128, NULL, ...</summary>
        public string Encryption { get; }

        /// <summary>Record MAC: MD5, SHA1, SHA256, SHA384, SM3, GOST, or AEAD when the cipher authenticates itself.</summary>
        public string Mac { get; }

        /// <summary>Effective symmetric key size in bits (3DES: 112, EXPORT: 40, NULL: 0).</summary>
        public int KeySize { get; }

        /// <summary>An EXPORT suite (40/56-bit keys).</summary>
        public bool Export { get; }

        /// <summary>A TLS 1.3 suite (usable only in TLS 1.3; TLS 1.2 suites are never used in TLS 1.3).</summary>
        public bool IsTls13 { get; }

        /// <summary>The name OpenSSL (and sslscan) print, e.g. ECDHE-RSA-AES128-GCM-SHA256; null when OpenSSL never named it.</summary>
        public string? OpenSslName { get; }

        /// <summary>Rating independent of the protocol version; see <see cref="TlsRegistry.CipherSuites.Rate"/> for a version.</summary>
        public CipherSuiteStrength Strength { get; }

        /// <summary>Why the suite is not <see cref="CipherSuiteStrength.Secure"/>; null when it is.</summary>
        public string? StrengthReason { get; }

        internal bool IsCbc => Encryption.EndsWith("_CBC", StringComparison.Ordinal) || Encryption.EndsWith("_CBC_40", StringComparison.Ordinal);

        internal bool IsEcdhe => KeyExchange == "ECDHE" || KeyExchange == "ECDHE_PSK";

        internal bool IsEphemeralSigned => (KeyExchange == "ECDHE" || KeyExchange == "DHE") && Authentication != "anon";
    }
}
