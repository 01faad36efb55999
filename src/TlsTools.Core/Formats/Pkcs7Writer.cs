using System.Collections.Generic;
using System.Linq;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cms;
using TlsTools.Pki;

namespace TlsTools.Formats
{
    /// <summary>
    /// A certificates-only PKCS#7 bundle (.p7b, a "degenerate" SignedData: no content, no signers), DER-encoded as
    /// Windows writes it; <see cref="PkiReader"/> and <c>openssl pkcs7 -inform DER -print_certs</c> read it. Private keys are never in it.
    /// </summary>
    internal static class Pkcs7Writer
    {
        public static byte[] Encode(IReadOnlyList<Certificate> certificates)
        {
            // The certificates are a SET: DER sorts them by encoding, so a reader gets them in that order, not the order given.
            var certs = new DerSet(certificates.Select(c => (Asn1Encodable)c.Bc.CertificateStructure).ToArray());
            var signed = new SignedData(new DerSet(), new ContentInfo(CmsObjectIdentifiers.Data, null), certs, null, new DerSet());
            return new ContentInfo(CmsObjectIdentifiers.SignedData, signed).GetEncoded(Asn1Encodable.Der);
        }
    }
}
