using System.Collections.Generic;
using System.Linq;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Nist;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Pkcs;
using Org.BouncyCastle.Security;
using TlsTools.Pki;

namespace TlsTools.Formats
{
    /// <summary>
    /// PKCS#12 as OpenSSL 3 writes it by default, with more iterations: the key in a PBES2 shrouded bag and the
    /// certificates in PBES2-encrypted data (PBKDF2-HMAC-SHA256, AES-256-CBC), and a PKCS#12 HMAC-SHA256 MAC.
    /// BouncyCastle's Pkcs12Store fixes 1,024 iterations and a SHA-1 MAC, so the structure is built here.
    /// </summary>
    internal static class PfxEncoder
    {
        private const int SaltBytes = 16;

        public static byte[] Encode(IReadOnlyList<Certificate> certificates, char[] password, int iterations)
        {
            var keyed = certificates.FirstOrDefault(c => c.PrivateKey != null);
            var ordered = keyed == null ? certificates.ToList() : new[] { keyed }.Concat(certificates.Where(c => !ReferenceEquals(c, keyed))).ToList();
            var contents = new List<ContentInfo>();
            if (keyed != null)
            {
                var shrouded = EncryptedPrivateKeyInfoFactory.CreateEncryptedPrivateKeyInfo(
                    NistObjectIdentifiers.IdAes256Cbc, PkcsObjectIdentifiers.IdHmacWithSha256, password, Salt(), iterations,
                    KeyFactory.Random, PkiWriter.PrivateKeyInfoV1(keyed.PrivateKey!));
                var keyBag = new SafeBag(PkcsObjectIdentifiers.Pkcs8ShroudedKeyBag, shrouded, Attributes(keyed, localKeyId: true));
                contents.Add(new ContentInfo(PkcsObjectIdentifiers.Data, new DerOctetString(new DerSequence(keyBag).GetEncoded(Asn1Encodable.Der))));
            }
            var certBags = ordered.Select(c => (Asn1Encodable)new SafeBag(PkcsObjectIdentifiers.CertBag,
                new CertBag(PkcsObjectIdentifiers.X509Certificate, new DerOctetString(c.DerNoCopy)), Attributes(c, localKeyId: ReferenceEquals(c, keyed)))).ToArray();
            contents.Add(EncryptedContent(new DerSequence(certBags).GetEncoded(Asn1Encodable.Der), password, iterations));

            var authenticatedSafe = new AuthenticatedSafe(contents.ToArray()).GetEncoded(Asn1Encodable.Der);
            var macSalt = Salt();
            var macParameters = PbeUtilities.GenerateCipherParameters(NistObjectIdentifiers.IdSha256, password, false,
                PbeUtilities.GenerateAlgorithmParameters(NistObjectIdentifiers.IdSha256, macSalt, iterations));
            var mac = (IMac)PbeUtilities.CreateEngine(NistObjectIdentifiers.IdSha256);
            mac.Init(macParameters);
            var macData = new MacData(new DigestInfo(new AlgorithmIdentifier(NistObjectIdentifiers.IdSha256, DerNull.Instance),
                MacUtilities.DoFinal(mac, authenticatedSafe)), macSalt, iterations);
            return new Pfx(new ContentInfo(PkcsObjectIdentifiers.Data, new DerOctetString(authenticatedSafe)), macData).GetEncoded(Asn1Encodable.Der);
        }

        private static ContentInfo EncryptedContent(byte[] plain, char[] password, int iterations)
        {
            var algorithm = new AlgorithmIdentifier(PkcsObjectIdentifiers.IdPbeS2, PbeUtilities.GenerateAlgorithmParameters(
                NistObjectIdentifiers.IdAes256Cbc, PkcsObjectIdentifiers.IdHmacWithSha256, Salt(), iterations, KeyFactory.Random));
            var cipher = (IBufferedCipher)PbeUtilities.CreateEngine(algorithm);
            cipher.Init(true, PbeUtilities.GenerateCipherParameters(algorithm.Algorithm, password, false, PbeS2Parameters.GetInstance(algorithm.Parameters)));
            return new ContentInfo(PkcsObjectIdentifiers.EncryptedData,
                new EncryptedData(PkcsObjectIdentifiers.Data, algorithm, new DerOctetString(cipher.DoFinal(plain))));
        }

        /// <summary>friendlyName (the CN, else the thumbprint) and, for the key and its certificate, a localKeyId that pairs them.</summary>
        private static DerSet Attributes(Certificate c, bool localKeyId)
        {
            var cn = c.Bc.SubjectDN.GetValueList(X509Name.CN);
            var attributes = new List<Asn1Encodable>
            {
                new DerSequence(PkcsObjectIdentifiers.Pkcs9AtFriendlyName, new DerSet(new DerBmpString(cn.Count > 0 ? cn[0] : c.Thumbprint))),
            };
            if (localKeyId)
            {
                var spki = c.Bc.CertificateStructure.SubjectPublicKeyInfo.PublicKey.GetBytes();
                var id = DigestUtilities.CalculateDigest("SHA-1", spki);
                attributes.Add(new DerSequence(PkcsObjectIdentifiers.Pkcs9AtLocalKeyID, new DerSet(new DerOctetString(id))));
            }
            return new DerSet(attributes.ToArray());
        }

        private static byte[] Salt()
        {
            var salt = new byte[SaltBytes];
            KeyFactory.Random.NextBytes(salt);
            return salt;
        }
    }
}
