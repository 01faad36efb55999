using System;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;
using TlsTools.Formats;
using TlsTools.Pki;
using TlsTools.Pki.Crypto;
using Xunit;

namespace TlsTools.Tests.Pki
{
    /// <summary>
    /// A request's public key is validated once, with BouncyCastle's checks (the Miller-Rabin rounds on the platform), and
    /// its signature checked by the platform when valid; whatever the platform does not confirm, BouncyCastle decides.
    /// </summary>
    public class PlatformValidationTests
    {
        private static readonly SecureRandom Random = new SecureRandom();

        [Theory]
        [InlineData(KeyAlgorithm.Rsa2048)]
        [InlineData(KeyAlgorithm.Rsa3072)]
        public void An_rsa_modulus_is_proven_composite_on_the_platform_and_the_key_equals_BouncyCastles(KeyAlgorithm algorithm)
        {
            var key = KeyFactory.Generate(algorithm);
            var rsa = (RsaKeyParameters)key.Public;
            Assert.True(PublicKeys.ProvablyComposite(rsa.Modulus, 3));
            Assert.True(PublicKeys.PassesBouncyCastleChecks(rsa.Modulus));
            var spki = SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(key.Public);
            Assert.Equal(PublicKeyFactory.CreateKey(spki), PublicKeys.FromSubjectPublicKeyInfo(spki));
        }

        [Fact]
        public void A_prime_modulus_is_not_proven_composite_and_BouncyCastle_still_refuses_it()
        {
            var prime = BigInteger.ProbablePrime(1024, Random);
            Assert.False(PublicKeys.ProvablyComposite(prime, 10));
            Assert.False(PublicKeys.PassesBouncyCastleChecks(prime));
            var spki = new SubjectPublicKeyInfo(new AlgorithmIdentifier(Org.BouncyCastle.Asn1.Pkcs.PkcsObjectIdentifiers.RsaEncryption, DerNull.Instance),
                new Org.BouncyCastle.Asn1.X509.RsaPublicKeyStructure(prime, BigInteger.ValueOf(65537)));
            var e = Assert.Throws<ArgumentException>(() => PublicKeys.FromSubjectPublicKeyInfo(spki));
            Assert.Contains("composite", e.Message);
        }

        [Fact]
        public void A_refused_key_is_refused_at_every_parse_and_never_kept()
        {
            var prime = BigInteger.ProbablePrime(1024, Random);
            var spki = new SubjectPublicKeyInfo(new AlgorithmIdentifier(Org.BouncyCastle.Asn1.Pkcs.PkcsObjectIdentifiers.RsaEncryption, DerNull.Instance),
                new Org.BouncyCastle.Asn1.X509.RsaPublicKeyStructure(prime, BigInteger.ValueOf(65537)));
            Assert.Contains("composite", Assert.Throws<ArgumentException>(() => PublicKeys.Of(spki)).Message);
            Assert.Contains("composite", Assert.Throws<ArgumentException>(() => PublicKeys.Of(spki)).Message);
        }

        [Fact]
        public void A_modulus_with_a_small_factor_or_an_even_one_is_left_to_BouncyCastle()
        {
            var p = BigInteger.ProbablePrime(1024, Random);
            Assert.False(PublicKeys.PassesBouncyCastleChecks(p.Multiply(BigInteger.ValueOf(7))));
            Assert.False(PublicKeys.PassesBouncyCastleChecks(p.ShiftLeft(1)));
        }

        [Theory]
        [InlineData(KeyAlgorithm.Rsa2048)]
        [InlineData(KeyAlgorithm.EcdsaP256)]
        [InlineData(KeyAlgorithm.EcdsaP384)]
        [InlineData(KeyAlgorithm.EcdsaP521)]
        public void The_platform_confirms_a_valid_request_signature_and_leaves_a_bad_one_to_BouncyCastle(KeyAlgorithm algorithm)
        {
            var request = Issuance.CreateRequest(new RequestOptions { DnsNames = { "verify.example.test" } }, KeyFactory.Generate(algorithm));
            var info = request.Bc.GetCertificationRequestInfo().GetEncoded(Asn1Encodable.Der);
            var signature = request.Bc.Signature.GetOctets();
            Assert.True(PlatformVerifier.TryVerify(request.PublicKey, request.Bc.SignatureAlgorithm, info, signature));

            var altered = (byte[])info.Clone();
            altered[altered.Length - 1] ^= 1;
            Assert.Null(PlatformVerifier.TryVerify(request.PublicKey, request.Bc.SignatureAlgorithm, altered, signature));
            Assert.Null(PlatformVerifier.TryVerify(request.PublicKey, request.Bc.SignatureAlgorithm, info, new byte[] { 1, 2, 3 }));
        }

        [Fact]
        public void An_ecdsa_signature_that_is_not_strict_der_is_left_to_BouncyCastle()
        {
            var request = Issuance.CreateRequest(new RequestOptions { DnsNames = { "der.example.test" } }, KeyFactory.Generate(KeyAlgorithm.EcdsaP256));
            var info = request.Bc.GetCertificationRequestInfo().GetEncoded(Asn1Encodable.Der);
            var seq = (Asn1Sequence)Asn1Object.FromByteArray(request.Bc.Signature.GetOctets());
            // The same r and s, r with a redundant leading zero byte: BER-ish, not DER.
            var r = ((DerInteger)seq[0]).Value.ToByteArrayUnsigned();
            var padded = new byte[r.Length + 2];
            Array.Copy(r, 0, padded, 2, r.Length);
            var sBytes = ((DerInteger)seq[1]).GetEncoded(Asn1Encodable.Der);
            var rBytes = new byte[] { 0x02, (byte)padded.Length };
            var body = Combine(Combine(rBytes, padded), sBytes);
            var loose = Combine(new byte[] { 0x30, (byte)body.Length }, body);

            Assert.Null(PlatformVerifier.TryVerify(request.PublicKey, request.Bc.SignatureAlgorithm, info, loose));
        }

        [Fact]
        public void A_request_read_from_pem_is_validated_and_checked_like_before()
        {
            var made = Issuance.CreateRequest(new RequestOptions { DnsNames = { "read.example.test" } }, KeyFactory.Generate(KeyAlgorithm.Rsa2048));
            var read = PkiReader.ReadCertificateRequests(System.Text.Encoding.ASCII.GetBytes(made.ToPem()))[0];
            Assert.True(read.SignatureValid);
            Assert.Equal(made.PublicKeySha256, read.PublicKeySha256);

            var der = made.GetRawData();
            der[der.Length - 5] ^= 0x40; // inside the signature
            Assert.False(PkiReader.ReadCertificateRequests(der)[0].SignatureValid);
        }

        private static byte[] Combine(byte[] a, byte[] b)
        {
            var c = new byte[a.Length + b.Length];
            Array.Copy(a, c, a.Length);
            Array.Copy(b, 0, c, a.Length, b.Length);
            return c;
        }
    }
}
