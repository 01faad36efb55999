using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Pkcs;
using Org.BouncyCastle.X509;
using Org.BouncyCastle.X509.Extension;

namespace TlsTools.Pki
{
    /// <summary>What a certificate request asks for.</summary>
    public sealed class RequestOptions
    {
        public string? Subject { get; set; }
        public IList<string> DnsNames { get; set; } = new List<string>();
        public IList<string> IpAddresses { get; set; } = new List<string>();
        public IList<string> EmailAddresses { get; set; } = new List<string>();
    }

    /// <summary>What a certificate should say. Validity is NotBefore/NotAfter, or ValidityDays from now.</summary>
    public sealed class CertificateOptions
    {
        public string? Subject { get; set; }
        public IList<string> DnsNames { get; set; } = new List<string>();
        public IList<string> IpAddresses { get; set; } = new List<string>();
        public IList<string> EmailAddresses { get; set; } = new List<string>();
        public int? ValidityDays { get; set; }
        public DateTime? NotBefore { get; set; }
        public DateTime? NotAfter { get; set; }
        public CertificateProfile Profile { get; set; } = CertificateProfile.Server;
        /// <summary>CA only: basicConstraints pathLenConstraint.</summary>
        public int? PathLength { get; set; }
        public IList<string> PermittedDnsNames { get; set; } = new List<string>();
        public IList<string> ExcludedDnsNames { get; set; } = new List<string>();
        public IList<string> CrlDistributionPoints { get; set; } = new List<string>();
        public IList<string> OcspUrls { get; set; } = new List<string>();
        public IList<string> CaIssuersUrls { get; set; } = new List<string>();
        /// <summary>
        /// With an issuer: a NotAfter later than the issuer's becomes the issuer's NotAfter instead of being refused with
        /// ValidityBeyondIssuer. For a default validity (nothing asked for); a date asked for is never changed. Options
        /// with neither NotAfter nor ValidityDays are a default validity and are clamped without this.
        /// </summary>
        public bool ClampToIssuer { get; set; }
        /// <summary>Overrides the signature algorithm (BouncyCastle name, e.g. SHA1WITHRSA): for deliberately weak test material only.</summary>
        internal string? SignatureAlgorithm { get; set; }
    }

    /// <summary>
    /// The study note's issuing step: a key pair and a request on one side, a CA that signs with its private key on the other.
    /// </summary>
    public static class Issuance
    {
        public const int DefaultCaValidityDays = 3650;
        public const int DefaultLeafValidityDays = 397;

        public static CertificateRequest CreateRequest(RequestOptions options, PrivateKey key)
        {
            if (options == null) throw new ArgumentNullException(nameof(options));
            if (key == null) throw new ArgumentNullException(nameof(key));
            var subject = SubjectOrFirstName(options.Subject, options.DnsNames, options.IpAddresses, options.EmailAddresses);
            var gens = new X509ExtensionsGenerator();
            var sans = GeneralNamesOf(options.DnsNames, options.IpAddresses, options.EmailAddresses);
            if (sans != null)
                gens.AddExtension(X509Extensions.SubjectAlternativeName, subject.GetOidList().Count == 0, sans);
            DerSet? attributes = null;
            if (!gens.IsEmpty)
                attributes = new DerSet(new AttributePkcs(PkcsObjectIdentifiers.Pkcs9AtExtensionRequest, new DerSet(gens.Generate())));
            var request = new Pkcs10CertificationRequest(KeyFactory.SignatureFactory(key), subject, key.Public, attributes);
            return new CertificateRequest(request, key);
        }

        public static Certificate CreateCa(CertificateOptions options, PrivateKey key, Certificate? issuer)
        {
            if (options == null) throw new ArgumentNullException(nameof(options));
            if (key == null) throw new ArgumentNullException(nameof(key));
            var subject = DistinguishedNames.Parse(options.Subject ?? throw new TlsToolsException(ErrorIds.SubjectRequired, ErrorKind.InvalidArgument, "A CA certificate needs a subject."));
            if (options.PathLength < 0)
                throw new TlsToolsException(ErrorIds.InvalidPathLength, ErrorKind.InvalidArgument, "The path length cannot be negative.");
            var signer = issuer == null ? key : CheckIssuer(issuer);
            if (issuer?.PathLength == 0)
                throw new TlsToolsException(ErrorIds.PathLengthExceeded, ErrorKind.InvalidArgument,
                    "'" + issuer.Subject + "' cannot issue a CA certificate: its path length is 0, so only end-entity certificates may follow it.", target: issuer);
            var gen = Start(subject, issuer, key.Public, options, DefaultCaValidityDays);
            gen.AddExtension(X509Extensions.BasicConstraints, true,
                options.PathLength.HasValue ? new BasicConstraints(options.PathLength.Value) : new BasicConstraints(true));
            gen.AddExtension(X509Extensions.KeyUsage, true, new KeyUsage(KeyUsage.KeyCertSign | KeyUsage.CrlSign | KeyUsage.DigitalSignature));
            if (options.PermittedDnsNames.Count > 0 || options.ExcludedDnsNames.Count > 0)
            {
                gen.AddExtension(X509Extensions.NameConstraints, true, new NameConstraints(
                    Subtrees(options.PermittedDnsNames), Subtrees(options.ExcludedDnsNames)));
            }
            AddDistribution(gen, options);
            return new Certificate(gen.Generate(KeyFactory.SignatureFactory(signer)), key, keyKnownToMatch: true);
        }

        /// <summary>Issues a leaf for a request (after checking its signature) or for a key and names. issuer == null means self-signed.</summary>
        public static Certificate CreateLeaf(CertificateOptions options, Certificate? issuer, CertificateRequest? request, PrivateKey? key)
        {
            if (options == null) throw new ArgumentNullException(nameof(options));
            Org.BouncyCastle.Crypto.AsymmetricKeyParameter publicKey;
            X509Name subject;
            X509Extensions? requested = null;
            if (request != null)
            {
                if (!request.SignatureValid)
                    throw new TlsToolsException(ErrorIds.RequestSignatureInvalid, ErrorKind.SecurityError,
                        "The request for '" + request.Subject + "' does not verify with its own public key; it was altered or not made by the key's owner.");
                publicKey = request.PublicKey;
                subject = options.Subject != null ? DistinguishedNames.Parse(options.Subject) : request.Bc.GetCertificationRequestInfo().Subject;
                requested = request.RequestedExtensions;
                key ??= request.PrivateKey;
            }
            else
            {
                if (key == null) throw new ArgumentNullException(nameof(key));
                publicKey = key.Public;
                subject = SubjectOrFirstName(options.Subject, options.DnsNames, options.IpAddresses, options.EmailAddresses);
            }
            var signer = issuer == null ? key ?? throw new ArgumentNullException(nameof(key)) : CheckIssuer(issuer);
            var gen = Start(subject, issuer, publicKey, options, DefaultLeafValidityDays);
            gen.AddExtension(X509Extensions.BasicConstraints, true, new BasicConstraints(false));
            int usage = KeyUsage.DigitalSignature;
            if (publicKey is Org.BouncyCastle.Crypto.Parameters.RsaKeyParameters && options.Profile != CertificateProfile.Client)
                usage |= KeyUsage.KeyEncipherment;
            gen.AddExtension(X509Extensions.KeyUsage, true, new KeyUsage(usage));
            var ekus = new List<KeyPurposeID>();
            if (options.Profile != CertificateProfile.Client) ekus.Add(KeyPurposeID.id_kp_serverAuth);
            if (options.Profile != CertificateProfile.Server) ekus.Add(KeyPurposeID.id_kp_clientAuth);
            gen.AddExtension(X509Extensions.ExtendedKeyUsage, false, new ExtendedKeyUsage(ekus.ToArray()));

            // SANs: the names given, else the names the request asked for.
            var sans = GeneralNamesOf(options.DnsNames, options.IpAddresses, options.EmailAddresses);
            if (sans == null && requested?.GetExtension(X509Extensions.SubjectAlternativeName) is X509Extension reqSan)
                sans = GeneralNames.GetInstance(reqSan.GetParsedValue());
            if (sans != null)
                gen.AddExtension(X509Extensions.SubjectAlternativeName, subject.GetOidList().Count == 0, sans);
            else if (subject.GetOidList().Count == 0)
                throw new TlsToolsException(ErrorIds.NameRequired, ErrorKind.InvalidArgument, "A certificate needs a subject or at least one DNS name, IP address or email address.");
            AddDistribution(gen, options);
            var bc = gen.Generate(KeyFactory.SignatureFactory(signer, options.SignatureAlgorithm));
            return new Certificate(bc, key != null && KeyInfo.SamePublicKey(key.Public, publicKey) ? key : null, keyKnownToMatch: true);
        }

        public static CertificateRevocationList CreateCrl(Certificate issuer, IEnumerable<(string SerialNumber, DateTime RevokedAt, RevocationReason? Reason)> revoked,
            DateTime? thisUpdate = null, DateTime? nextUpdate = null, BigInteger? crlNumber = null)
        {
            var signer = CheckIssuer(issuer);
            var now = thisUpdate ?? TruncatedNow();
            var gen = new X509V2CrlGenerator();
            gen.SetIssuerDN(issuer.Bc.SubjectDN);
            gen.SetThisUpdate(now);
            gen.SetNextUpdate(nextUpdate ?? now.AddDays(7));
            if (nextUpdate.HasValue && nextUpdate.Value <= now)
                throw new TlsToolsException(ErrorIds.InvalidNextUpdate, ErrorKind.InvalidArgument, "NextUpdate must be later than ThisUpdate (" + now.ToString("u") + ").");
            foreach (var (serial, at, reason) in revoked)
            {
                BigInteger value;
                try { value = new BigInteger(serial, 16); }
                catch (FormatException e) { throw new TlsToolsException(ErrorIds.InvalidSerialNumber, ErrorKind.InvalidArgument, "'" + serial + "' is not a hexadecimal serial number.", e); }
                if (reason.HasValue && reason.Value != RevocationReason.Unspecified)
                    gen.AddCrlEntry(value, at, (int)reason.Value);
                else
                    gen.AddCrlEntry(value, at, (X509Extensions?)null);
            }
            gen.AddExtension(X509Extensions.AuthorityKeyIdentifier, false, X509ExtensionUtilities.CreateAuthorityKeyIdentifier(issuer.Bc.GetPublicKey()));
            var number = crlNumber ?? BigInteger.ValueOf(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            gen.AddExtension(X509Extensions.CrlNumber, false, new CrlNumber(number));
            return new CertificateRevocationList(gen.Generate(KeyFactory.SignatureFactory(signer)));
        }

        /// <summary>A random, positive, 128-bit serial number (RFC 5280 allows up to 20 octets).</summary>
        internal static BigInteger NewSerial()
        {
            var bytes = new byte[16];
            KeyFactory.Random.NextBytes(bytes);
            bytes[0] &= 0x7F;
            bytes[0] |= 0x40; // keep it 127 bits long so it always has 16 octets and is never zero
            return new BigInteger(1, bytes);
        }

        private static PrivateKey CheckIssuer(Certificate issuer)
        {
            if (!issuer.IsCertificateAuthority)
                throw new TlsToolsException(ErrorIds.IssuerNotCa, ErrorKind.InvalidArgument,
                    "'" + issuer.Subject + "' cannot issue certificates: it is not a CA (basicConstraints cA is not set).", target: issuer);
            var ku = issuer.Bc.GetKeyUsage();
            if (ku != null && !ku[5])
                throw new TlsToolsException(ErrorIds.IssuerNotCa, ErrorKind.InvalidArgument,
                    "'" + issuer.Subject + "' cannot issue certificates: its keyUsage lacks keyCertSign.", target: issuer);
            return issuer.PrivateKey ?? throw new TlsToolsException(ErrorIds.IssuerHasNoPrivateKey, ErrorKind.InvalidArgument,
                "The issuer '" + issuer.Subject + "' carries no private key; read it with its key (PFX, or a PEM with the key) to sign.", target: issuer);
        }

        private static X509V3CertificateGenerator Start(X509Name subject, Certificate? issuer, Org.BouncyCastle.Crypto.AsymmetricKeyParameter publicKey,
            CertificateOptions options, int defaultDays)
        {
            var notBefore = options.NotBefore?.ToUniversalTime() ?? TruncatedNow();
            var notAfter = options.NotAfter?.ToUniversalTime() ?? notBefore.AddDays(options.ValidityDays ?? defaultDays);
            if (options.ValidityDays.HasValue && options.ValidityDays.Value <= 0)
                throw new TlsToolsException(ErrorIds.InvalidValidity, ErrorKind.InvalidArgument, "ValidityDays must be at least 1.");
            if (issuer != null)
                notAfter = WithinIssuer(issuer, notAfter, options.ClampToIssuer || (options.NotAfter == null && options.ValidityDays == null));
            if (notAfter <= notBefore)
                throw new TlsToolsException(ErrorIds.InvalidValidity, ErrorKind.InvalidArgument, "NotAfter (" + notAfter.ToString("u") + ") must be later than NotBefore (" + notBefore.ToString("u") + ").");
            var gen = new X509V3CertificateGenerator();
            gen.SetSerialNumber(NewSerial());
            gen.SetSubjectDN(subject);
            gen.SetIssuerDN(issuer?.Bc.SubjectDN ?? subject);
            gen.SetNotBefore(notBefore);
            gen.SetNotAfter(notAfter);
            gen.SetPublicKey(publicKey);
            gen.AddExtension(X509Extensions.SubjectKeyIdentifier, false, X509ExtensionUtilities.CreateSubjectKeyIdentifier(publicKey));
            gen.AddExtension(X509Extensions.AuthorityKeyIdentifier, false,
                X509ExtensionUtilities.CreateAuthorityKeyIdentifier(issuer?.Bc.GetPublicKey() ?? publicKey));
            return gen;
        }

        /// <summary>
        /// A CA signs now, so it must be valid now; and what it signs must not outlive it (RFC 5280 validation would
        /// refuse the chain from the issuer's NotAfter on). The new certificate's own window may start in the past.
        /// </summary>
        private static DateTime WithinIssuer(Certificate issuer, DateTime notAfter, bool clamp)
        {
            var now = DateTime.UtcNow;
            if (issuer.NotAfter < now)
                throw new TlsToolsException(ErrorIds.IssuerExpired, ErrorKind.InvalidArgument,
                    "'" + issuer.Subject + "' expired on " + issuer.NotAfter.ToString("u") + "; an expired CA cannot issue certificates that validate.", target: issuer);
            if (issuer.NotBefore > now)
                throw new TlsToolsException(ErrorIds.IssuerNotYetValid, ErrorKind.InvalidArgument,
                    "'" + issuer.Subject + "' is not valid until " + issuer.NotBefore.ToString("u") + "; a CA cannot issue before its own validity begins.", target: issuer);
            if (notAfter <= issuer.NotAfter) return notAfter;
            if (clamp) return issuer.NotAfter;
            throw new TlsToolsException(ErrorIds.ValidityBeyondIssuer, ErrorKind.InvalidArgument,
                "NotAfter (" + notAfter.ToString("u") + ") is later than the issuer '" + issuer.Subject + "' NotAfter (" + issuer.NotAfter.ToString("u") +
                "); the certificate would fail validation from then on. Ask for a NotAfter up to the issuer's, or renew the issuer.", target: issuer);
        }

        private static void AddDistribution(X509V3CertificateGenerator gen, CertificateOptions options)
        {
            if (options.CrlDistributionPoints.Count > 0)
            {
                var points = options.CrlDistributionPoints.Select(u => new DistributionPoint(
                    new DistributionPointName(new GeneralNames(new GeneralName(GeneralName.UniformResourceIdentifier, CheckUrl(u)))), null, null)).ToArray();
                gen.AddExtension(X509Extensions.CrlDistributionPoints, false, new CrlDistPoint(points));
            }
            var access = new List<AccessDescription>();
            access.AddRange(options.OcspUrls.Select(u => new AccessDescription(AccessDescription.IdADOcsp, new GeneralName(GeneralName.UniformResourceIdentifier, CheckUrl(u)))));
            access.AddRange(options.CaIssuersUrls.Select(u => new AccessDescription(AccessDescription.IdADCAIssuers, new GeneralName(GeneralName.UniformResourceIdentifier, CheckUrl(u)))));
            if (access.Count > 0)
                gen.AddExtension(X509Extensions.AuthorityInfoAccess, false, new AuthorityInformationAccess(access.ToArray()));
        }

        private static string CheckUrl(string url)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out _))
                throw new TlsToolsException(ErrorIds.InvalidUrl, ErrorKind.InvalidArgument, "'" + url + "' is not an absolute URL.");
            return url;
        }

        private static GeneralSubtrees? Subtrees(IList<string> dnsNames) =>
            dnsNames.Count == 0 ? null : new GeneralSubtrees(dnsNames.Select(n => new GeneralSubtree(new GeneralName(GeneralName.DnsName, CheckDnsName(n, allowWildcard: false)))).ToArray());

        private static X509Name SubjectOrFirstName(string? subject, IList<string> dns, IList<string> ips, IList<string> emails)
        {
            if (!string.IsNullOrWhiteSpace(subject)) return DistinguishedNames.Parse(subject!);
            var first = dns.FirstOrDefault() ?? ips.FirstOrDefault() ?? emails.FirstOrDefault();
            if (first == null)
                throw new TlsToolsException(ErrorIds.NameRequired, ErrorKind.InvalidArgument, "Give a subject or at least one DNS name, IP address or email address.");
            return new X509Name(new List<DerObjectIdentifier> { X509Name.CN }, new List<string> { first });
        }

        internal static GeneralNames? GeneralNamesOf(IList<string> dns, IList<string> ips, IList<string> emails)
        {
            var names = new List<GeneralName>();
            names.AddRange(dns.Select(d => new GeneralName(GeneralName.DnsName, CheckDnsName(d, allowWildcard: true))));
            foreach (var ip in ips)
                names.Add(new GeneralName(GeneralName.IPAddress, new DerOctetString(ParseIpAddress(ip).GetAddressBytes())));
            foreach (var email in emails)
                names.Add(new GeneralName(GeneralName.Rfc822Name, CheckEmail(email)));
            return names.Count == 0 ? null : new GeneralNames(names.ToArray());
        }

        /// <summary>An IP address as certificates name it (issuance, and the name Test-CertificateChain checks for).</summary>
        /// <exception cref="TlsToolsException">InvalidIpAddress.</exception>
        internal static IPAddress ParseIpAddress(string ip)
        {
            if (!IPAddress.TryParse(ip ?? "", out var addr))
                throw new TlsToolsException(ErrorIds.InvalidIpAddress, ErrorKind.InvalidArgument, "'" + ip + "' is not an IP address.", target: ip);
            return addr;
        }

        /// <summary>An email address as certificates name it: local part, one '@', domain.</summary>
        /// <exception cref="TlsToolsException">InvalidEmail.</exception>
        internal static string CheckEmail(string email)
        {
            int at = (email ?? "").IndexOf('@');
            if (at <= 0 || at == email!.Length - 1 || email.IndexOf('@', at + 1) >= 0)
                throw new TlsToolsException(ErrorIds.InvalidEmail, ErrorKind.InvalidArgument, "'" + email + "' is not an email address.", target: email);
            return email;
        }

        private static string CheckDnsName(string name, bool allowWildcard)
        {
            var n = name.Trim().TrimEnd('.');
            bool ok = n.Length > 0 && n.Length <= 253 && !IPAddress.TryParse(n, out _);
            var labels = n.Split('.');
            for (int i = 0; ok && i < labels.Length; i++)
            {
                var label = labels[i];
                if (i == 0 && allowWildcard && label == "*" && labels.Length > 1) continue;
                ok = label.Length >= 1 && label.Length <= 63 && label.All(c => c < 128 && (char.IsLetterOrDigit(c) || c == '-' || c == '_')) && label[0] != '-' && label[label.Length - 1] != '-';
            }
            if (!ok)
                throw new TlsToolsException(ErrorIds.InvalidDnsName, ErrorKind.InvalidArgument,
                    "'" + name + "' is not a DNS name (letters, digits and hyphens; a wildcard only as the whole left-most label; an IP address goes in -IpAddress).");
            return n;
        }

        private static DateTime TruncatedNow()
        {
            var now = DateTime.UtcNow;
            return new DateTime(now.Ticks - now.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc);
        }
    }
}
