using System.Collections.Generic;
using System.Linq;
using TlsTools.Pki;
using TlsTools.Validation;
using Xunit;

namespace TlsTools.Tests.Validation
{
    /// <summary>
    /// The platform fast path of signature checks: it verifies what BouncyCastle verifies, says "not verified" for
    /// anything altered, and the validator's verdict is the same either way.
    /// </summary>
    public sealed class PlatformSignatureTests
    {
        public static IEnumerable<object[]> Keys() => new[]
        {
            new object[] { KeyAlgorithm.EcdsaP256 }, new object[] { KeyAlgorithm.EcdsaP384 }, new object[] { KeyAlgorithm.EcdsaP521 },
            new object[] { KeyAlgorithm.Rsa2048 },
        };

        [Theory]
        [MemberData(nameof(Keys))]
        public void VerifiesWhatBouncyCastleVerifies_AndNothingAltered(KeyAlgorithm algorithm)
        {
            var issuing = Issuance.CreateCa(new CertificateOptions { Subject = "CN=Platform Path CA" }, KeyFactory.Generate(algorithm), null);
            var ca = issuing.WithoutPrivateKey();
            var leaf = Issuance.CreateLeaf(new CertificateOptions { DnsNames = { "fast.example.com" } }, issuing, null, KeyFactory.Generate(KeyAlgorithm.EcdsaP256)).WithoutPrivateKey();
            var caInfo = CertInfo.Of(ca);
            var key = ca.Bc.GetPublicKey();

            Assert.True(leaf.SignatureVerifiesWith(key));
            Assert.True(PlatformSignature.Verified(CertInfo.Of(leaf), caInfo, key));

            // One bit of the signature flipped: neither verifies it, and the chain fails on its signature.
            byte[] der = leaf.GetRawData();
            der[der.Length - 3] ^= 0x01;
            var altered = new Certificate(new Org.BouncyCastle.X509.X509Certificate(der));
            Assert.False(PlatformSignature.Verified(CertInfo.Of(altered), caInfo, key));
            Assert.False(altered.SignatureVerifiesWith(key));
            var result = ChainValidator.Validate(new ChainValidationRequest(altered) { TrustedRoots = new[] { ca }, DnsName = "fast.example.com" });
            Assert.False(result.IsValid);
            Assert.Contains(result.Failures, f => f.Check == ValidationCheck.Signature);

            // Another issuer's key: not verified.
            var other = Issuance.CreateCa(new CertificateOptions { Subject = "CN=Platform Path CA" }, KeyFactory.Generate(algorithm), null).WithoutPrivateKey();
            Assert.False(PlatformSignature.Verified(CertInfo.Of(leaf), CertInfo.Of(other), other.Bc.GetPublicKey()));

            var good = ChainValidator.Validate(new ChainValidationRequest(leaf) { TrustedRoots = new[] { ca }, DnsName = "fast.example.com" });
            Assert.True(good.IsValid, string.Join(" | ", good.Failures.Select(f => f.Message)));
        }

        [Fact]
        public void AnAlgorithmItDoesNotTake_IsLeftToBouncyCastle()
        {
            var caKey = KeyFactory.Generate(KeyAlgorithm.Ed25519);
            var ca = Issuance.CreateCa(new CertificateOptions { Subject = "CN=Ed CA" }, caKey, null);
            var leaf = Issuance.CreateLeaf(new CertificateOptions { DnsNames = { "ed.example.com" } }, ca, null, KeyFactory.Generate(KeyAlgorithm.EcdsaP256)).WithoutPrivateKey();
            var root = ca.WithoutPrivateKey();
            Assert.False(PlatformSignature.Verified(CertInfo.Of(leaf), CertInfo.Of(root), root.Bc.GetPublicKey()));
            Assert.True(ChainValidator.Validate(new ChainValidationRequest(leaf) { TrustedRoots = new[] { root }, DnsName = "ed.example.com" }).IsValid);
        }
    }
}
