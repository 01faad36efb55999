using System;
using System.Text;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;
using Org.BouncyCastle.X509;
using TlsTools.Tls;
using Xunit;

namespace TlsTools.Core.Tests.Tls
{
    /// <summary>
    /// The platform's ECDSA check of a TLS 1.2 ServerKeyExchange (issue 16) gives BouncyCastle's verdict on every
    /// signature, and one platform key serves every handshake with the same server key (one key object per key).
    /// </summary>
    public class PlatformTls12VerifierTests
    {
        private static readonly SecureRandom Random = new SecureRandom();

        public static TheoryData<string, short> Cases => new TheoryData<string, short>
        {
            { "P-256", HashAlgorithm.sha256 }, { "P-256", HashAlgorithm.sha384 }, { "P-384", HashAlgorithm.sha384 },
            { "P-384", HashAlgorithm.sha256 }, { "P-521", HashAlgorithm.sha512 },
        };

        private static AsymmetricCipherKeyPair NewKey(string curve) => PlatformTls13VerifierTests.NewKey(curve);

        private static IDigest Digest(short hash) => hash switch
        {
            HashAlgorithm.sha1 => new Sha1Digest(),
            HashAlgorithm.sha256 => new Sha256Digest(),
            HashAlgorithm.sha384 => new Sha384Digest(),
            _ => new Sha512Digest(),
        };

        private static byte[] Sign(AsymmetricKeyParameter key, short hash, byte[] content)
        {
            var signer = new DsaDigestSigner(new ECDsaSigner(), Digest(hash));
            signer.Init(true, new ParametersWithRandom(key, Random));
            signer.BlockUpdate(content, 0, content.Length);
            return signer.GenerateSignature();
        }

        // BouncyCastle's own TLS 1.2 verifier for that key, as its certificates make it
        private static TlsVerifier BouncyCastleVerifier(ECPublicKeyParameters key) =>
            new BcTlsRawKeyCertificate(new BcTlsCrypto(Random), SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(key)).CreateVerifier(SignatureAlgorithm.ecdsa);

        // As BouncyCastle's TLS code verifies a ServerKeyExchange: the stream verifier when there is one, else the raw check of the hash.
        private static bool Verify(TlsVerifier verifier, short hash, byte[] content, byte[] signature)
        {
            var signed = new DigitallySigned(new SignatureAndHashAlgorithm(hash, SignatureAlgorithm.ecdsa), signature);
            var stream = verifier.GetStreamVerifier(signed);
            if (stream != null)
            {
                using (var output = stream.Stream) output.Write(content, 0, content.Length);
                return stream.IsVerified();
            }
            var digest = Digest(hash);
            digest.BlockUpdate(content, 0, content.Length);
            var h = new byte[digest.GetDigestSize()];
            digest.DoFinal(h, 0);
            return verifier.VerifyRawSignature(signed, h);
        }

        private static bool Platform(ECPublicKeyParameters key, short hash, byte[] content, byte[] signature) =>
            Verify(new PlatformTls12Verifier(key, BouncyCastleVerifier(key)), hash, content, signature);

        [Theory]
        [MemberData(nameof(Cases))]
        public void Gives_BouncyCastles_verdict_on_good_tampered_and_malformed_signatures(string curve, short hash)
        {
            var pair = NewKey(curve);
            var key = (ECPublicKeyParameters)pair.Public;
            var content = Encoding.ASCII.GetBytes("client random, server random and the server's ECDHE parameters");
            var good = Sign(pair.Private, hash, content);
            Assert.True(new PlatformTls12Verifier(key, BouncyCastleVerifier(key)).GetStreamVerifier(
                new DigitallySigned(new SignatureAndHashAlgorithm(hash, SignatureAlgorithm.ecdsa), good)) != null, "the platform takes this case");

            var tamperedContent = (byte[])content.Clone();
            tamperedContent[3] ^= 1;
            var other = Sign(NewKey(curve).Private, hash, content);
            var truncated = good.AsSpan(0, good.Length - 1).ToArray();
            var trailing = new byte[good.Length + 1];
            good.CopyTo(trailing, 0);
            foreach (var (data, sig, name) in new[] { (content, good, "good"), (tamperedContent, good, "tampered content"), (content, other, "another key's"),
                (content, truncated, "truncated"), (content, trailing, "trailing byte"), (content, Array.Empty<byte>(), "empty") })
            {
                bool expected = Verify(BouncyCastleVerifier(key), hash, data, sig);
                Assert.Equal(name == "good", expected);
                Assert.True(expected == Platform(key, hash, data, sig), name);
            }
        }

        [Fact]
        public void Other_hashes_and_legacy_signatures_stay_with_BouncyCastle()
        {
            var pair = NewKey("P-256");
            var key = (ECPublicKeyParameters)pair.Public;
            var verifier = new PlatformTls12Verifier(key, BouncyCastleVerifier(key));
            var content = Encoding.ASCII.GetBytes("signed parameters");
            var sha1 = Sign(pair.Private, HashAlgorithm.sha1, content);
            // BouncyCastle's ECDSA verifier has no stream verifier: null sends its TLS code to the raw check, as before.
            Assert.Null(verifier.GetStreamVerifier(new DigitallySigned(new SignatureAndHashAlgorithm(HashAlgorithm.sha1, SignatureAlgorithm.ecdsa), sha1)));
            Assert.Null(verifier.GetStreamVerifier(new DigitallySigned(null, sha1)));
            Assert.True(Verify(verifier, HashAlgorithm.sha1, content, sha1));
        }
    }
}
