using System;
using System.Collections.Generic;
using TlsTools.Pki;

namespace TlsTools.Validation
{
    /// <summary>What the chain is to be used for; it decides the extendedKeyUsage and the algorithm policy.</summary>
    public enum ValidationPurpose
    {
        /// <summary>A TLS server certificate (id-kp-serverAuth), checked with the web PKI (CA/Browser Forum) profile.</summary>
        ServerAuth,
        /// <summary>A TLS client certificate (id-kp-clientAuth).</summary>
        ClientAuth,
        /// <summary>RFC 5280 only: no extendedKeyUsage required, only broken algorithms (MD2/MD4/MD5, RSA under 1024 bits) refused.</summary>
        Any,
    }

    /// <summary>keyUsage bits (RFC 5280 4.2.1.3) a leaf must carry.</summary>
    [Flags]
    public enum KeyUsageFlags
    {
        None = 0,
        DigitalSignature = 1 << 0,
        NonRepudiation = 1 << 1,
        KeyEncipherment = 1 << 2,
        DataEncipherment = 1 << 3,
        KeyAgreement = 1 << 4,
        KeyCertSign = 1 << 5,
        CrlSign = 1 << 6,
        EncipherOnly = 1 << 7,
        DecipherOnly = 1 << 8,
    }

    /// <summary>The input of <see cref="ChainValidator.Validate"/>.</summary>
    public sealed partial class ChainValidationRequest
    {
        /// <summary>Default for <see cref="MaxDepth"/>.</summary>
        public const int DefaultMaxDepth = 8;

        /// <summary>Default for <see cref="MaxSignatureChecks"/>.</summary>
        public const int DefaultMaxSignatureChecks = 512;

        public ChainValidationRequest(Certificate leaf)
        {
            Leaf = leaf ?? throw new ArgumentNullException(nameof(leaf));
        }

        /// <summary>The end-entity certificate to validate.</summary>
        public Certificate Leaf { get; set; }

        /// <summary>Untrusted certificates that may help to build the path, in any order; unrelated extras are ignored.</summary>
        public IList<Certificate> Intermediates { get; set; } = new List<Certificate>();

        /// <summary>The trust anchors. Null means the operating system's trust store (see <see cref="SystemTrustStore"/>).</summary>
        public IList<Certificate>? TrustedRoots { get; set; }

        /// <summary>The DNS name the leaf must be valid for (subjectAltName dNSName, RFC 6125), or null.</summary>
        public string? DnsName { get; set; }

        /// <summary>The IP address the leaf must be valid for (subjectAltName iPAddress), or null.</summary>
        public string? IpAddress { get; set; }

        /// <summary>The email address the leaf must be valid for (subjectAltName rfc822Name), or null.</summary>
        public string? Email { get; set; }

        /// <summary>The time of validation (UTC); null means now. Compared with whole seconds, as certificates state times.</summary>
        public DateTime? At { get; set; }

        public ValidationPurpose Purpose { get; set; } = ValidationPurpose.ServerAuth;

        /// <summary>keyUsage bits the leaf must have when it has a keyUsage extension.</summary>
        public KeyUsageFlags RequiredKeyUsage { get; set; }

        /// <summary>CRLs to check revocation with. Only certificates whose issuer published one of these CRLs are checked.</summary>
        public IList<CertificateRevocationList> Crls { get; set; } = new List<CertificateRevocationList>();

        /// <summary>The most intermediates a path may hold (self-issued certificates do not count, as in RFC 5280 pathLen).</summary>
        public int MaxDepth { get; set; } = DefaultMaxDepth;

        /// <summary>Work bound: the most signature verifications path building may do before it gives up (WorkLimitExceeded).</summary>
        public int MaxSignatureChecks { get; set; } = DefaultMaxSignatureChecks;

        /// <summary>Work bound: the most candidate paths that are evaluated before giving up (WorkLimitExceeded).</summary>
        public int MaxCandidatePaths { get; set; } = 256;
    }
}
