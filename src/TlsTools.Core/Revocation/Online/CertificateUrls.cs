using System;
using System.Collections.Generic;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using TlsTools.Pki;

namespace TlsTools.Revocation.Online
{
    /// <summary>
    /// The URLs -Online follows, read from a certificate: AIA caIssuers and OCSP (RFC 5280 4.2.2.1) and the full-name URIs
    /// of the CRL distribution points (4.2.1.13). An unreadable extension gives no URLs (the validator reports it).
    /// </summary>
    internal static class CertificateUrls
    {
        private const string OcspOid = "1.3.6.1.5.5.7.48.1";
        private const string CaIssuersOid = "1.3.6.1.5.5.7.48.2";

        public static List<string> CaIssuers(Certificate certificate) => Aia(certificate, CaIssuersOid);

        public static List<string> Ocsp(Certificate certificate) => Aia(certificate, OcspOid);

        public static List<string> CrlDistributionPoints(Certificate certificate)
        {
            var urls = new List<string>();
            try
            {
                var ext = certificate.Bc.GetExtensionValue(X509Extensions.CrlDistributionPoints);
                if (ext == null) return urls;
                var points = CrlDistPoint.GetInstance(Asn1Object.FromByteArray(ext.GetOctets())).GetDistributionPoints();
                foreach (var point in points)
                {
                    // A point limited to some reasons, or whose CRL another issuer signs, is not the CRL of this certificate.
                    if (point.Reasons != null || point.CrlIssuer != null) continue;
                    var name = point.DistributionPointName;
                    if (name == null || name.Type != DistributionPointName.FullName) continue;
                    AddUris(GeneralNames.GetInstance(name.Name).GetNames(), urls);
                }
            }
            catch (Exception)
            {
                urls.Clear();
            }
            return urls;
        }

        private static List<string> Aia(Certificate certificate, string method)
        {
            var urls = new List<string>();
            try
            {
                var ext = certificate.Bc.GetExtensionValue(X509Extensions.AuthorityInfoAccess);
                if (ext == null) return urls;
                foreach (var d in AuthorityInformationAccess.GetInstance(Asn1Object.FromByteArray(ext.GetOctets())).GetAccessDescriptions())
                    if (d.AccessMethod.Id == method) AddUris(new[] { d.AccessLocation }, urls);
            }
            catch (Exception)
            {
                urls.Clear();
            }
            return urls;
        }

        private static void AddUris(GeneralName[] names, List<string> urls)
        {
            foreach (var n in names)
                if (n.TagNo == GeneralName.UniformResourceIdentifier)
                {
                    string uri = DerIA5String.GetInstance(n.Name).GetString();
                    if (!urls.Contains(uri)) urls.Add(uri);
                }
        }
    }
}
