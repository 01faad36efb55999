using System;
using System.Collections.Generic;
using System.Linq;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using TlsTools.Revocation;

namespace TlsTools.Pki
{
    /// <summary>A CA's nameConstraints as text: "DNS:example.test", "IP:10.0.0.0/8", "email:...", "URI:...", "DirName:...".</summary>
    public sealed class CertificateNameConstraints
    {
        internal CertificateNameConstraints(string[] permitted, string[] excluded, bool critical)
        {
            Permitted = permitted;
            Excluded = excluded;
            Critical = critical;
        }

        public string[] Permitted { get; }
        public string[] Excluded { get; }
        public bool Critical { get; }

        public override string ToString() =>
            string.Join("; ", new[] { Permitted.Length > 0 ? "permitted " + string.Join(", ", Permitted) : null, Excluded.Length > 0 ? "excluded " + string.Join(", ", Excluded) : null }.Where(s => s != null));
    }

    // Where to find revocation information and issuers, and what the certificate promises about them (issue 14).
    // Every property here parses lazily and tolerantly: a malformed extension shows as empty or null (validation reports it).
    public sealed partial class Certificate
    {
        /// <summary>The TLS feature extension (RFC 7633) OID; status_request in it means "must staple".</summary>
        internal const string TlsFeatureOid = "1.3.6.1.5.5.7.1.24";

        /// <summary>The URLs of the CRL distribution points (fullName URIs); empty when absent.</summary>
        public string[] CrlDistributionPoints => Tolerant(() =>
        {
            var value = ExtensionDer(X509Extensions.CrlDistributionPoints);
            if (value == null) return Array.Empty<string>();
            return CrlDistPoint.GetInstance(value).GetDistributionPoints()
                .Select(p => p.DistributionPointName)
                .Where(n => n != null && n.Type == DistributionPointName.FullName)
                .SelectMany(n => GeneralNames.GetInstance(n.Name).GetNames())
                .Where(g => g.TagNo == GeneralName.UniformResourceIdentifier)
                .Select(g => DerIA5String.GetInstance(g.Name).GetString()).ToArray();
        }, _ => Array.Empty<string>());

        /// <summary>The OCSP responder URLs from authorityInfoAccess; empty when absent.</summary>
        public string[] OcspUrls => AccessUrls(AccessDescription.IdADOcsp);

        /// <summary>The caIssuers URLs from authorityInfoAccess (where the issuer's certificate can be fetched); empty when absent.</summary>
        public string[] CaIssuersUrls => AccessUrls(AccessDescription.IdADCAIssuers);

        /// <summary>A CA's name constraints; null when it has none.</summary>
        public CertificateNameConstraints? NameConstraints => Tolerant(() =>
        {
            var ext = Bc.CertificateStructure.TbsCertificate.Extensions?.GetExtension(X509Extensions.NameConstraints);
            if (ext == null) return null;
            var set = Validation.NameConstraintSet.Read(ext.Value.GetOctets(), ext.IsCritical);
            return new CertificateNameConstraints(set.Permitted.Select(n => n.ToString()).ToArray(), set.Excluded.Select(n => n.ToString()).ToArray(), ext.IsCritical);
        }, _ => (CertificateNameConstraints?)null);

        /// <summary>The certificate policy OIDs (e.g. 2.23.140.1.2.1 for domain-validated); empty when absent.</summary>
        public string[] Policies => Tolerant(() =>
        {
            var value = ExtensionDer(X509Extensions.CertificatePolicies);
            if (value == null) return Array.Empty<string>();
            return Asn1Sequence.GetInstance(value).Cast<Asn1Encodable>().Select(p => PolicyInformation.GetInstance(p).PolicyIdentifier.Id).ToArray();
        }, _ => Array.Empty<string>());

        /// <summary>
        /// The Certificate Transparency SCTs embedded in the certificate (OID 1.3.6.1.4.1.11129.2.4.2), decoded but not
        /// verified (that needs the logs' keys); empty when absent or malformed.
        /// </summary>
        public SignedCertificateTimestamp[] SignedCertificateTimestamps => Tolerant(() =>
        {
            var value = ExtensionDer(new DerObjectIdentifier(SctList.CertificateExtensionOid));
            return value == null ? Array.Empty<SignedCertificateTimestamp>() : SctList.TryParse(Asn1OctetString.GetInstance(value).GetOctets(), SctSource.Certificate);
        }, _ => Array.Empty<SignedCertificateTimestamp>());

        /// <summary>True when the TLS feature extension (RFC 7633) lists status_request: a server must staple an OCSP response.</summary>
        public bool MustStaple => Tolerant(() =>
        {
            var value = ExtensionDer(new DerObjectIdentifier(TlsFeatureOid));
            return value != null && Asn1Sequence.GetInstance(value).Cast<Asn1Encodable>().Any(f => DerInteger.GetInstance(f).HasValue(5));
        }, _ => false);

        private string[] AccessUrls(DerObjectIdentifier method) => Tolerant(() =>
        {
            var value = ExtensionDer(X509Extensions.AuthorityInfoAccess);
            if (value == null) return Array.Empty<string>();
            return AuthorityInformationAccess.GetInstance(value).GetAccessDescriptions()
                .Where(a => a.AccessMethod.Equals(method) && a.AccessLocation.TagNo == GeneralName.UniformResourceIdentifier)
                .Select(a => DerIA5String.GetInstance(a.AccessLocation.Name).GetString()).ToArray();
        }, _ => Array.Empty<string>());

        /// <summary>The extension's value (the DER inside extnValue), or null when absent.</summary>
        private Asn1Object? ExtensionDer(DerObjectIdentifier oid)
        {
            var ext = Bc.GetExtensionValue(oid);
            return ext == null ? null : Asn1Object.FromByteArray(ext.GetOctets());
        }
    }
}
