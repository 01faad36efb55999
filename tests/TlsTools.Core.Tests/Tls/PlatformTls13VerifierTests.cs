using System;
using System.Text;
using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;
using TlsTools.Tls;
using Xunit;

namespace TlsTools.Core.Tests.Tls
{
    /// <summary>
    /// The platform's ECDSA check of a TLS 1.3 CertificateVerify (issue 16) gives BouncyCastle's verdict on every
    /// signature: good ones, tampered ones, and encodings BouncyCastle refuses.
    /// </summary>
    public class PlatformTls13VerifierTests
    {
        private static readonly SecureRandom Random = new SecureRandom();

        public static TheoryData<string, int> Curves => new TheoryData<string, int>
        {
            { "P-256", SignatureScheme.ecdsa_secp256r1_sha256 },
            { "P-384", SignatureScheme.ecdsa_secp384r1_sha384 },
            { "P-521", SignatureScheme.ecdsa_secp521r1_sha512 },
        };

        internal static AsymmetricCipherKeyPair NewKey(string curve)
        {
            var oid = curve switch { "P-256" => SecObjectIdentifiers.SecP256r1, "P-384" => SecObjectIdentifiers.SecP384r1, _ => SecObjectIdentifiers.SecP521r1 };
            var generator = new ECKeyPairGenerator();
            generator.Init(new ECKeyGenerationParameters(oid, Random));
            return generator.GenerateKeyPair();
        }

        private static IDigest Digest(int scheme) => scheme switch
        {
            SignatureScheme.ecdsa_secp256r1_sha256 => new Sha256Digest(),
            SignatureScheme.ecdsa_secp384r1_sha384 => new Sha384Digest(),
            _ => new Sha512Digest(),
        };

        private static byte[] Sign(AsymmetricKeyParameter key, int scheme, byte[] content)
        {
            var signer = new DsaDigestSigner(new ECDsaSigner(), Digest(scheme));
            signer.Init(true, new ParametersWithRandom(key, Random));
            signer.BlockUpdate(content, 0, content.Length);
            return signer.GenerateSignature();
        }

        private static bool Platform(ECPublicKeyParameters key, int scheme, byte[] content, byte[] signature)
        {
            var verifier = PlatformTls13Verifier.TryCreate(key, scheme, () => BouncyCastleVerifier(key, scheme));
            Assert.NotNull(verifier);
            // as BouncyCastle's TLS code does: write the content, close the stream, then ask
            using (var stream = verifier!.Stream) stream.Write(content, 0, content.Length);
            return verifier.VerifySignature(signature);
        }

        // BouncyCastle's own TLS 1.3 verifier for that key, as its certificates make it
        private static Tls13Verifier BouncyCastleVerifier(ECPublicKeyParameters key, int scheme) =>
            new BcTlsRawKeyCertificate(new BcTlsCrypto(Random), SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(key)).CreateVerifier(scheme);

        private static bool BouncyCastle(ECPublicKeyParameters key, int scheme, byte[] content, byte[] signature)
        {
            Tls13Verifier verifier = BouncyCastleVerifier(key, scheme);
            using (var stream = verifier.Stream) stream.Write(content, 0, content.Length);
            return verifier.VerifySignature(signature);
        }

        [Theory]
        [MemberData(nameof(Curves))]
        public void Gives_BouncyCastles_verdict_on_good_tampered_and_malformed_signatures(string curve, int scheme)
        {
            var pair = NewKey(curve);
            var key = (ECPublicKeyParameters)pair.Public;
            var content = Encoding.ASCII.GetBytes(new string(' ', 64) + "TLS 1.3, server CertificateVerify\0" + new string('h', 48));
            var good = Sign(pair.Private, scheme, content);

            var otherContent = (byte[])content.Clone();
            otherContent[70] ^= 1;
            var flipped = (byte[])good.Clone();
            flipped[flipped.Length - 1] ^= 1;
            // the same r and s with a needless leading zero in r: not DER, refused by BouncyCastle
            var nonCanonical = LeadingZeroInR(good);
            var empty = Array.Empty<byte>();
            var zeroes = new byte[] { 0x30, 0x06, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00 };   // r = s = 0
            var otherKey = (ECPublicKeyParameters)NewKey(curve).Public;

            Assert.True(Platform(key, scheme, content, good));
            Assert.True(BouncyCastle(key, scheme, content, good));
            foreach (var (k, c, s) in new[] { (key, otherContent, good), (key, content, flipped), (key, content, nonCanonical), (key, content, empty), (key, content, zeroes), (otherKey, content, good) })
            {
                bool bc = BouncyCastle(k, scheme, c, s);
                Assert.False(bc);
                Assert.Equal(bc, Platform(k, scheme, c, s));
            }
        }

        [Fact]
        public void Leaves_other_schemes_and_curves_to_BouncyCastle()
        {
            var p256 = (ECPublicKeyParameters)NewKey("P-256").Public;
            Assert.Null(PlatformTls13Verifier.TryCreate(p256, SignatureScheme.ed25519, () => BouncyCastleVerifier(p256, SignatureScheme.ed25519)));
            Assert.Null(PlatformTls13Verifier.TryCreate(p256, SignatureScheme.ecdsa_brainpoolP256r1tls13_sha256, () => BouncyCastleVerifier(p256, SignatureScheme.ecdsa_brainpoolP256r1tls13_sha256)));
            Assert.Null(PlatformTls13Verifier.TryCreate(p256, SignatureScheme.rsa_pss_rsae_sha256, () => BouncyCastleVerifier(p256, SignatureScheme.rsa_pss_rsae_sha256)));

            var generator = new ECKeyPairGenerator();
            generator.Init(new ECKeyGenerationParameters(Org.BouncyCastle.Asn1.TeleTrust.TeleTrusTObjectIdentifiers.BrainpoolP256R1, Random));
            var brainpool = (ECPublicKeyParameters)generator.GenerateKeyPair().Public;
            Assert.Null(PlatformTls13Verifier.TryCreate(brainpool, SignatureScheme.ecdsa_secp256r1_sha256, () => BouncyCastleVerifier(brainpool, SignatureScheme.ecdsa_secp256r1_sha256)));
        }

        private static byte[] LeadingZeroInR(byte[] der)
        {
            // SEQUENCE { INTEGER r, INTEGER s } with short lengths (P-256): insert 00 before r's first byte.
            Assert.Equal(0x30, der[0]);
            int offset = der[1] == 0x81 ? 3 : 2;
            Assert.Equal(0x02, der[offset]);
            var result = new byte[der.Length + 1];
            Array.Copy(der, 0, result, 0, offset + 1);
            result[offset + 1] = (byte)(der[offset + 1] + 1);
            result[offset + 2] = 0x00;
            Array.Copy(der, offset + 2, result, offset + 3, der.Length - offset - 2);
            if (offset == 2) result[1] = (byte)(der[1] + 1);
            else result[2] = (byte)(der[2] + 1);
            return result;
        }
    }
}
