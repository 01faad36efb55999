using System.Collections.Generic;
using System.IO;
using System.Linq;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;
using TlsTools.Revocation;

namespace TlsTools.Tls
{
    /// <summary>
    /// What <see cref="TlsServerHost"/> staples when <see cref="TlsServerOptions.OcspResponse"/> is set and the client asked
    /// (status_request): TLS 1.2 a CertificateStatus message (BouncyCastle sends it), TLS 1.3 the status_request extension
    /// of the leaf's CertificateEntry (BouncyCastle 2.7.0 does not, so the entry is built here).
    /// </summary>
    internal static class ServerStapling
    {
        /// <summary>Checks a response given to the server (it must parse; it is served as given, even if it says Revoked).</summary>
        internal static byte[] Check(byte[] der) => OcspResponseParser.Parse(der).GetRawData();

        /// <summary>The TLS 1.2 CertificateStatus to send.</summary>
        internal static CertificateStatus Status(byte[] der) =>
            new CertificateStatus(CertificateStatusType.ocsp, Org.BouncyCastle.Asn1.Ocsp.OcspResponse.GetInstance(Asn1Object.FromByteArray(der)));

        /// <summary>The same signer with the TLS 1.3 certificate list whose leaf entry carries the staple.</summary>
        internal static TlsCredentialedSigner WithStaple(TlsContext context, BcTlsCrypto crypto, Org.BouncyCastle.Crypto.AsymmetricKeyParameter key,
            TlsCredentialedSigner signer, byte[] der)
        {
            var chain = signer.Certificate;
            var entries = chain.GetCertificateEntryList().ToArray();
            var status = new MemoryStream();
            Status(der).Encode(status);
            entries[0] = new CertificateEntry(entries[0].Certificate, new Dictionary<int, byte[]> { [ExtensionType.status_request] = status.ToArray() });
            return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), crypto, key,
                new Certificate(chain.GetCertificateRequestContext(), entries), signer.SignatureAndHashAlgorithm);
        }
    }
}
