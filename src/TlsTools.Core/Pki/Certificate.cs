using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.X509;
using Org.BouncyCastle.X509.Extension;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace TlsTools.Pki
{
    /// <summary>
    /// An X.509 certificate as TlsTools shows it, optionally carrying its private key.
    /// Immutable; everything shown is read from the DER encoding in <see cref="GetRawData"/>.
    /// </summary>
    public sealed partial class Certificate : IEquatable<Certificate>
    {
        private readonly byte[] _der;
        private readonly Lazy<SanSet> _sans;
        private readonly Lazy<string> _thumbprint;
        private readonly Lazy<string> _thumbprintSha256;

        /// <param name="certificate">The parsed certificate.</param>
        /// <param name="privateKey">Its private key, if any; checked against the certificate's public key.</param>
        /// <param name="keyKnownToMatch">The caller built the certificate for this key: skip the check, which for RSA
        /// costs BouncyCastle's Miller-Rabin validation of the modulus.</param>
        internal Certificate(BcCertificate certificate, PrivateKey? privateKey = null, bool keyKnownToMatch = false)
        {
            Bc = certificate ?? throw new ArgumentNullException(nameof(certificate));
            _der = certificate.GetEncoded();
            if (privateKey != null && !keyKnownToMatch && !KeyInfo.SamePublicKey(privateKey.Public, certificate.GetPublicKey()))
                throw new TlsToolsException(ErrorIds.KeyMismatch, ErrorKind.InvalidArgument,
                    "The private key does not belong to certificate '" + certificate.SubjectDN + "'.");
            PrivateKey = privateKey;
            _sans = new Lazy<SanSet>(() => SanSet.Read(Bc));
            _thumbprint = new Lazy<string>(() => Digest(new Sha1Digest(), _der));
            _thumbprintSha256 = new Lazy<string>(() => Digest(new Sha256Digest(), _der));
        }

        /// <summary>
        /// Converts a .NET certificate with its private key when it has one that can be exported (RSA, ECDSA; .NET has no
        /// Ed25519 keys). PowerShell uses this constructor for the implicit conversion, so an X509Certificate2 with its key
        /// can sign (-Issuer) and serve (Start-TlsServer). A key .NET will not export is left behind, as
        /// <see cref="FromX509Certificate2"/> would refuse it with KeyNotExportable.
        /// </summary>
        public Certificate(X509Certificate2 certificate)
            : this(DotNetParts(certificate ?? throw new ArgumentNullException(nameof(certificate))))
        {
        }

        private Certificate((BcCertificate Bc, PrivateKey? Key) parts)
            : this(parts.Bc, parts.Key, keyKnownToMatch: parts.Key != null)
        {
        }

        private static (BcCertificate, PrivateKey?) DotNetParts(X509Certificate2 certificate)
        {
            var bc = Formats.CertificateParsing.ParseDer(certificate.RawData);
            if (!certificate.HasPrivateKey) return (bc, null);
            try
            {
                var withKey = FromX509Certificate2(certificate);
                return (bc, withKey.PrivateKey);
            }
            catch (TlsToolsException e) when (e.ErrorId == ErrorIds.KeyNotExportable)
            {
                return (bc, null);
            }
        }

        internal BcCertificate Bc { get; }

        public string Subject => Bc.SubjectDN.ToString();
        public string Issuer => Bc.IssuerDN.ToString();

        /// <summary>Serial number, uppercase hex without separators.</summary>
        public string SerialNumber => Bc.SerialNumber.ToString(16).ToUpperInvariant().PadLeft(2, '0');

        public DateTime NotBefore => Bc.NotBefore.ToUniversalTime();
        public DateTime NotAfter => Bc.NotAfter.ToUniversalTime();

        /// <summary>
        /// Days from now until NotAfter, a part day counted as a day (rounded up): a 90-day certificate shows 90 when issued
        /// and 1 on its last day; 0 from the moment it expires until a day later; -2 two days after it expired. So
        /// <c>DaysUntilExpiry -le 0</c> is exactly "expired".
        /// </summary>
        public int DaysUntilExpiry => DaysUntil(NotAfter, DateTime.UtcNow);

        /// <summary>The rounding of <see cref="DaysUntilExpiry"/>: whole days from <paramref name="now"/> to <paramref name="notAfter"/>, rounded up.</summary>
        internal static int DaysUntil(DateTime notAfter, DateTime now) => (int)Math.Ceiling((notAfter - now).TotalDays);

        /// <summary>The file this certificate was read from (Read-Certificate and file inputs); null when it was made or received.</summary>
        public string? Path { get; private set; }

        /// <summary>The same certificate, remembering the file it was read from.</summary>
        internal Certificate WithPath(string? path) => new Certificate(Bc, PrivateKey, keyKnownToMatch: true) { Path = path };

        /// <summary>SHA-1 of the DER encoding, uppercase hex, as .NET and Windows show it.</summary>
        public string Thumbprint => _thumbprint.Value;

        public string ThumbprintSha256 => _thumbprintSha256.Value;

        // The readers accept a certificate whose key or extensions cannot be parsed (validation reports them), so every
        // property below that parses lazily answers "unreadable" (null, empty, 0, false) instead of throwing.

        public string KeyAlgorithm => Tolerant(() => KeyInfo.Describe(PublicKeyParameters), e => "unreadable public key (" + e.Message + ")");
        public int KeySize => Tolerant(() => KeyInfo.KeySize(PublicKeyParameters), _ => 0);
        public string SignatureAlgorithm => SignatureNames.Describe(Bc.SigAlgOid, Bc.SigAlgName);
        public int Version => Bc.Version;

        public string[] DnsNames => _sans.Value.Dns.ToArray();
        public string[] IpAddresses => _sans.Value.Ip.ToArray();
        public string[] EmailAddresses => _sans.Value.Email.ToArray();
        public string[] Uris => _sans.Value.Uri.ToArray();

        public bool IsCertificateAuthority => Tolerant(() => Bc.GetBasicConstraints() >= 0, _ => false);

        /// <summary>The basicConstraints path length, or null when absent or not a CA.</summary>
        public int? PathLength
        {
            get
            {
                return Tolerant<int?>(() => BasicConstraintsValue?.PathLenConstraint?.IntValueExact, _ => null);
            }
        }

        public bool IsSelfSigned => Tolerant(() => Bc.SubjectDN.Equivalent(Bc.IssuerDN) && SignatureVerifiesWith(PublicKeyParameters), _ => false);

        /// <summary>keyUsage bits by name, e.g. DigitalSignature, KeyCertSign; empty when absent.</summary>
        public string[] KeyUsage
        {
            get
            {
                var ku = Tolerant<bool[]?>(() => Bc.GetKeyUsage(), _ => null);
                if (ku == null) return Array.Empty<string>();
                string[] names = { "DigitalSignature", "NonRepudiation", "KeyEncipherment", "DataEncipherment", "KeyAgreement", "KeyCertSign", "CrlSign", "EncipherOnly", "DecipherOnly" };
                var result = new List<string>();
                for (int i = 0; i < ku.Length && i < names.Length; i++)
                    if (ku[i]) result.Add(names[i]);
                return result.ToArray();
            }
        }

        /// <summary>extendedKeyUsage by name (ServerAuth, ClientAuth, ...) or OID; empty when absent.</summary>
        public string[] ExtendedKeyUsage
        {
            get
            {
                return Tolerant<string[]?>(() => Bc.GetExtendedKeyUsage()?.Select(o => ExtendedKeyUsageNames.Describe(o.Id)).ToArray(), _ => null)
                       ?? Array.Empty<string>();
            }
        }

        public string? SubjectKeyIdentifier
        {
            get
            {
                var ext = Bc.GetExtensionValue(X509Extensions.SubjectKeyIdentifier);
                if (ext == null) return null;
                return Tolerant<string?>(() => Hex.Upper(Org.BouncyCastle.Asn1.X509.SubjectKeyIdentifier.GetInstance(X509ExtensionUtilities.FromExtensionValue(ext)).GetKeyIdentifier()), _ => null);
            }
        }

        public string? AuthorityKeyIdentifier
        {
            get
            {
                var ext = Bc.GetExtensionValue(X509Extensions.AuthorityKeyIdentifier);
                if (ext == null) return null;
                return Tolerant<string?>(() =>
                {
                    var id = Org.BouncyCastle.Asn1.X509.AuthorityKeyIdentifier.GetInstance(X509ExtensionUtilities.FromExtensionValue(ext)).KeyIdentifier;
                    return id == null ? null : Hex.Upper(id.GetOctets());
                }, _ => null);
            }
        }

        public bool HasPrivateKey => PrivateKey != null;

        public PrivateKey? PrivateKey { get; }

        /// <summary>SHA-256 of the SubjectPublicKeyInfo, uppercase hex (matches <see cref="Pki.PrivateKey.PublicKeySha256"/>).</summary>
        public string PublicKeySha256 => Tolerant(() => Pki.PrivateKey.ComputePublicKeySha256(PublicKeyParameters),
            _ => Digest(new Sha256Digest(), Bc.CertificateStructure.SubjectPublicKeyInfo.GetEncoded(Asn1Encodable.Der)));

        /// <summary>
        /// The certificate's public key, validated once per process for each distinct key (<see cref="Crypto.PublicKeys.Of"/>).
        /// Throws as BouncyCastle's key parsing does for a key it refuses.
        /// </summary>
        internal Org.BouncyCastle.Crypto.AsymmetricKeyParameter PublicKeyParameters =>
            _publicKeyParameters ??= Crypto.PublicKeys.Of(Bc.CertificateStructure.SubjectPublicKeyInfo);

        private Org.BouncyCastle.Crypto.AsymmetricKeyParameter? _publicKeyParameters;

        /// <summary>The DER encoding (a copy). A method, not a property, so ConvertTo-Json stays readable.</summary>
        public byte[] GetRawData() => (byte[])_der.Clone();

        internal byte[] DerNoCopy => _der;

        internal BasicConstraints? BasicConstraintsValue
        {
            get
            {
                var ext = Bc.GetExtensionValue(X509Extensions.BasicConstraints);
                return ext == null ? null : BasicConstraints.GetInstance(X509ExtensionUtilities.FromExtensionValue(ext));
            }
        }

        /// <summary>Returns the same certificate carrying the given key (which must match).</summary>
        public Certificate WithPrivateKey(PrivateKey privateKey) => new Certificate(Bc, privateKey) { Path = Path };

        /// <summary>Returns the same certificate without a private key.</summary>
        public Certificate WithoutPrivateKey() => PrivateKey == null ? this : new Certificate(Bc) { Path = Path };

        /// <summary>A .NET certificate with the same encoding, with the private key when this one carries it.</summary>
        public X509Certificate2 ToX509Certificate2()
        {
            if (PrivateKey == null) return new X509Certificate2(_der);
            var password = Guid.NewGuid().ToString("N").ToCharArray();
            // The PFX never leaves memory and its password is random: OpenSSL 3's default iterations are plenty.
            var pfx = Formats.PkiWriter.EncodePfx(new[] { this }, password, iterations: 2048);
            try
            {
                return new X509Certificate2(pfx, new string(password), X509KeyStorageFlags.Exportable);
            }
            catch (System.Security.Cryptography.CryptographicException e)
            {
                throw new TlsToolsException(ErrorIds.KeyNotSupportedByDotNet, ErrorKind.NotImplemented,
                    ".NET cannot hold a " + PrivateKey.Algorithm + " private key in an X509Certificate2: " + e.Message, e, this);
            }
        }

        /// <summary>Converts a .NET certificate, with its private key when it has an exportable one.</summary>
        public static Certificate FromX509Certificate2(X509Certificate2 certificate)
        {
            if (certificate == null) throw new ArgumentNullException(nameof(certificate));
            if (!certificate.HasPrivateKey) return new Certificate(certificate);
            var password = Guid.NewGuid().ToString("N");
            byte[] pfx;
            try
            {
                pfx = certificate.Export(X509ContentType.Pkcs12, password);
            }
            catch (System.Security.Cryptography.CryptographicException e)
            {
                throw new TlsToolsException(ErrorIds.KeyNotExportable, ErrorKind.InvalidOperation,
                    "The private key of '" + certificate.Subject + "' cannot be exported: " + e.Message, e, certificate);
            }
            var list = Formats.PkiReader.ReadCertificates(pfx, password.ToCharArray());
            foreach (var c in list)
                if (c.HasPrivateKey) return c;
            return list[0];
        }

        /// <summary>PEM text of the certificate.</summary>
        public string ToPem() => Formats.Pem.Encode("CERTIFICATE", _der);

        internal bool SignatureVerifiesWith(Org.BouncyCastle.Crypto.AsymmetricKeyParameter issuerKey)
        {
            try
            {
                return Bc.IsSignatureValid(issuerKey);
            }
            catch (Exception)
            {
                return false;
            }
        }

        public bool Equals(Certificate? other) => other != null && Org.BouncyCastle.Utilities.Arrays.AreEqual(_der, other._der);
        public override bool Equals(object? obj) => Equals(obj as Certificate);
        public override int GetHashCode() => Thumbprint.GetHashCode();
        /// <summary>
        /// The subject and the SHA-1 thumbprint, e.g. <c>CN=www.example.test [D6F218E5...]</c>: two different certificates never
        /// print alike, so Compare-Object, Sort-Object -Unique and "$cert" in messages tell them apart.
        /// </summary>
        public override string ToString() => Subject + " [" + Thumbprint + "]";

        /// <summary>Reads a lazily parsed part; a malformed encoding gives <paramref name="fallback"/> instead of a library exception.</summary>
        private static T Tolerant<T>(Func<T> read, Func<Exception, T> fallback)
        {
            try
            {
                return read();
            }
            catch (Exception e) when (!(e is OutOfMemoryException))
            {
                return fallback(e);
            }
        }

        private static string Digest(Org.BouncyCastle.Crypto.IDigest digest, byte[] data)
        {
            digest.BlockUpdate(data, 0, data.Length);
            var hash = new byte[digest.GetDigestSize()];
            digest.DoFinal(hash, 0);
            return Hex.Upper(hash);
        }
    }

    /// <summary>subjectAltName entries by kind.</summary>
    internal sealed class SanSet
    {
        public List<string> Dns { get; } = new List<string>();
        public List<string> Ip { get; } = new List<string>();
        public List<string> Email { get; } = new List<string>();
        public List<string> Uri { get; } = new List<string>();

        public static SanSet Read(BcCertificate cert)
        {
            var ext = cert.GetExtensionValue(X509Extensions.SubjectAlternativeName);
            if (ext == null) return new SanSet();
            try
            {
                return FromGeneralNames(GeneralNames.GetInstance(X509ExtensionUtilities.FromExtensionValue(ext)));
            }
            catch (Exception e) when (!(e is OutOfMemoryException))
            {
                return new SanSet(); // a malformed subjectAltName shows no names; validation reports it
            }
        }

        public static SanSet FromGeneralNames(GeneralNames names)
        {
            var set = new SanSet();
            foreach (var name in names.GetNames())
            {
                switch (name.TagNo)
                {
                    case GeneralName.DnsName:
                        set.Dns.Add(DerIA5String.GetInstance(name.Name).GetString());
                        break;
                    case GeneralName.Rfc822Name:
                        set.Email.Add(DerIA5String.GetInstance(name.Name).GetString());
                        break;
                    case GeneralName.UniformResourceIdentifier:
                        set.Uri.Add(DerIA5String.GetInstance(name.Name).GetString());
                        break;
                    case GeneralName.IPAddress:
                        var bytes = Asn1OctetString.GetInstance(name.Name).GetOctets();
                        set.Ip.Add(bytes.Length == 4 || bytes.Length == 16 ? new IPAddress(bytes).ToString() : Hex.Upper(bytes));
                        break;
                }
            }
            return set;
        }
    }
}
