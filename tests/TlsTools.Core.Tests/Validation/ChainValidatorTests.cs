using System;
using System.Collections.Generic;
using System.Linq;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;
using Org.BouncyCastle.X509.Extension;
using TlsTools.Pki;
using TlsTools.Validation;
using Xunit;

namespace TlsTools.Tests.Validation
{
    /// <summary>A small PKI made once per test class: root -> intermediate -> leaf for www.example.com.</summary>
    public sealed class TestPki
    {
        public TestPki()
        {
            RootKey = KeyFactory.Generate(KeyAlgorithm.EcdsaP256);
            Root = Issuance.CreateCa(new CertificateOptions { Subject = "CN=Test Root" }, RootKey, null);
            InterKey = KeyFactory.Generate(KeyAlgorithm.EcdsaP256);
            Inter = Issuance.CreateCa(new CertificateOptions { Subject = "CN=Acme Issuing CA" }, InterKey, Root);
            Leaf = NewLeaf("www.example.com");
        }

        public PrivateKey RootKey { get; }
        public Certificate Root { get; }
        public PrivateKey InterKey { get; }
        public Certificate Inter { get; }
        public Certificate Leaf { get; }

        public Certificate NewLeaf(string dns, CertificateProfile profile = CertificateProfile.Server, DateTime? notBefore = null, DateTime? notAfter = null, Certificate? issuer = null) =>
            Issuance.CreateLeaf(new CertificateOptions { DnsNames = { dns }, Profile = profile, NotBefore = notBefore, NotAfter = notAfter },
                issuer ?? Inter, null, KeyFactory.Generate(KeyAlgorithm.EcdsaP256));

        public ChainValidationRequest Request(Certificate leaf, string? dns = "www.example.com", params Certificate[] intermediates) =>
            new ChainValidationRequest(leaf)
            {
                Intermediates = intermediates.Length == 0 ? new List<Certificate> { Inter } : intermediates.ToList(),
                TrustedRoots = new List<Certificate> { Root },
                DnsName = dns,
            };

        /// <summary>Makes a certificate with BouncyCastle directly, for what our issuance API refuses to make.</summary>
        internal static Certificate Raw(string subject, Certificate? issuer, AsymmetricKeyParameter publicKey, AsymmetricKeyParameter signingKey,
            string algorithm, bool? ca, string? dns, PrivateKey? attach = null)
        {
            var gen = new X509V3CertificateGenerator();
            gen.SetSerialNumber(BigInteger.ValueOf(DateTime.UtcNow.Ticks));
            gen.SetSubjectDN(new X509Name(subject));
            gen.SetIssuerDN(issuer?.Bc.SubjectDN ?? new X509Name(subject));
            gen.SetNotBefore(DateTime.UtcNow.AddDays(-1));
            gen.SetNotAfter(DateTime.UtcNow.AddDays(30));
            gen.SetPublicKey(publicKey);
            gen.AddExtension(X509Extensions.SubjectKeyIdentifier, false, X509ExtensionUtilities.CreateSubjectKeyIdentifier(publicKey));
            gen.AddExtension(X509Extensions.AuthorityKeyIdentifier, false, X509ExtensionUtilities.CreateAuthorityKeyIdentifier(issuer?.Bc.GetPublicKey() ?? publicKey));
            if (ca.HasValue) gen.AddExtension(X509Extensions.BasicConstraints, true, new BasicConstraints(ca.Value));
            if (dns != null) gen.AddExtension(X509Extensions.SubjectAlternativeName, false, new GeneralNames(new GeneralName(GeneralName.DnsName, dns)));
            var bc = gen.Generate(new Asn1SignatureFactory(algorithm, signingKey, new SecureRandom()));
            return new Certificate(bc, attach);
        }

        internal static AsymmetricCipherKeyPair Rsa(int bits)
        {
            var g = new RsaKeyPairGenerator();
            g.Init(new RsaKeyGenerationParameters(BigInteger.ValueOf(65537), new SecureRandom(), bits, 80));
            return g.GenerateKeyPair();
        }
    }

    public sealed class ChainValidatorTests : IClassFixture<TestPki>
    {
        private readonly TestPki _pki;

        public ChainValidatorTests(TestPki pki) => _pki = pki;

        private static void AssertFails(ChainValidationResult result, string check)
        {
            Assert.False(result.IsValid);
            Assert.True(result.Failures.Any(f => f.Check == check),
                "expected " + check + ", got: " + string.Join(" | ", result.Failures.Select(f => f.ToString())));
        }

        [Fact]
        public void ValidChain()
        {
            var result = ChainValidator.Validate(_pki.Request(_pki.Leaf));
            Assert.True(result.IsValid, string.Join(" | ", result.Failures.Select(f => f.ToString())));
            Assert.Equal(new[] { _pki.Leaf, _pki.Inter, _pki.Root }, result.Chain);
            Assert.Empty(result.Failures);
        }

        [Fact]
        public void IntermediatesInAnyOrderWithExtras()
        {
            var otherKey = KeyFactory.Generate(KeyAlgorithm.EcdsaP256);
            var other = Issuance.CreateCa(new CertificateOptions { Subject = "CN=Unrelated CA" }, otherKey, null);
            var result = ChainValidator.Validate(_pki.Request(_pki.Leaf, "www.example.com", other, _pki.Root, _pki.Inter));
            Assert.True(result.IsValid);
        }

        [Fact]
        public void Expired()
        {
            var leaf = _pki.NewLeaf("www.example.com", notBefore: DateTime.UtcNow.AddDays(-30), notAfter: DateTime.UtcNow.AddDays(-1));
            var result = ChainValidator.Validate(_pki.Request(leaf));
            AssertFails(result, ValidationCheck.Expired);
            Assert.Same(leaf, result.Failures.First(f => f.Check == ValidationCheck.Expired).Certificate);
        }

        [Fact]
        public void NotYetValid()
        {
            var leaf = _pki.NewLeaf("www.example.com", notBefore: DateTime.UtcNow.AddDays(2), notAfter: DateTime.UtcNow.AddDays(30));
            AssertFails(ChainValidator.Validate(_pki.Request(leaf)), ValidationCheck.NotYetValid);
        }

        [Fact]
        public void ValidityComparesWholeSeconds()
        {
            var notAfter = new DateTime(2030, 1, 1, 0, 0, 0, DateTimeKind.Utc);
            var leaf = _pki.NewLeaf("www.example.com", notBefore: DateTime.UtcNow.AddDays(-1), notAfter: notAfter);
            var request = _pki.Request(leaf);
            request.At = notAfter.AddMilliseconds(999);
            var atEnd = ChainValidator.Validate(request);
            Assert.DoesNotContain(atEnd.Failures, f => f.Check == ValidationCheck.Expired && f.Certificate == leaf);
            request.At = notAfter.AddSeconds(1);
            Assert.Contains(ChainValidator.Validate(request).Failures, f => f.Check == ValidationCheck.Expired && f.Certificate == leaf);
        }

        [Fact]
        public void WrongHost()
        {
            var result = ChainValidator.Validate(_pki.Request(_pki.Leaf, "mail.example.com"));
            AssertFails(result, ValidationCheck.HostnameMismatch);
            Assert.Contains("mail.example.com", result.Failures[0].Message);
        }

        [Fact]
        public void WildcardMatchesOneLabelOnly()
        {
            var leaf = _pki.NewLeaf("*.example.com");
            Assert.True(ChainValidator.Validate(_pki.Request(leaf, "a.example.com")).IsValid);
            AssertFails(ChainValidator.Validate(_pki.Request(leaf, "a.b.example.com")), ValidationCheck.HostnameMismatch);
            AssertFails(ChainValidator.Validate(_pki.Request(leaf, "example.com")), ValidationCheck.HostnameMismatch);
        }

        [Fact]
        public void SelfSignedLeafBesideATrustedNamesake()
        {
            // Debian ships ssl-cert-snakeoil.pem ("CN=localhost", self-signed) in /etc/ssl/certs: a user's own self-signed
            // "CN=localhost" is not that root's child. OpenSSL says "self-signed certificate"; so must we, not "Signature".
            var namesakeKey = KeyFactory.Generate(KeyAlgorithm.EcdsaP256);
            var namesake = Issuance.CreateCa(new CertificateOptions { Subject = "CN=localhost" }, namesakeKey, null);
            var key = KeyFactory.Generate(KeyAlgorithm.EcdsaP256);
            var self = Issuance.CreateLeaf(new CertificateOptions { Subject = "CN=localhost", DnsNames = { "localhost" } }, null, null, key);
            var request = new ChainValidationRequest(self) { TrustedRoots = new List<Certificate> { namesake }, DnsName = "localhost" };
            var result = ChainValidator.Validate(request);
            AssertFails(result, ValidationCheck.SelfSigned);
            Assert.DoesNotContain(result.Failures, f => f.Check == ValidationCheck.Signature);
        }

        [Fact]
        public void SelfSignedLeaf()
        {
            var key = KeyFactory.Generate(KeyAlgorithm.EcdsaP256);
            var self = Issuance.CreateLeaf(new CertificateOptions { DnsNames = { "www.example.com" } }, null, null, key);
            AssertFails(ChainValidator.Validate(_pki.Request(self)), ValidationCheck.SelfSigned);

            // Trusting the self-signed certificate itself (pinning) makes it valid.
            var pinned = _pki.Request(self);
            pinned.TrustedRoots = new List<Certificate> { self };
            Assert.True(ChainValidator.Validate(pinned).IsValid);
        }

        [Fact]
        public void UntrustedRoot()
        {
            var request = _pki.Request(_pki.Leaf, "www.example.com", _pki.Inter, _pki.Root);
            var otherKey = KeyFactory.Generate(KeyAlgorithm.EcdsaP256);
            request.TrustedRoots = new List<Certificate> { Issuance.CreateCa(new CertificateOptions { Subject = "CN=Other Root" }, otherKey, null) };
            var result = ChainValidator.Validate(request);
            AssertFails(result, ValidationCheck.UntrustedRoot);
            Assert.Equal(3, result.Chain.Length);
        }

        [Fact]
        public void MissingIntermediate()
        {
            var request = _pki.Request(_pki.Leaf);
            request.Intermediates.Clear();
            var result = ChainValidator.Validate(request);
            AssertFails(result, ValidationCheck.MissingIssuer);
            Assert.Contains("Acme Issuing CA", result.Failures[0].Message);
        }

        [Fact]
        public void IntermediateWithoutCaFlag()
        {
            var interKey = KeyFactory.Generate(KeyAlgorithm.EcdsaP256);
            var notCa = TestPki.Raw("CN=Not A CA", _pki.Root, interKey.Public, _pki.RootKey.Private, "SHA256WITHECDSA", ca: false, dns: null);
            var leafKey = KeyFactory.Generate(KeyAlgorithm.EcdsaP256);
            var leaf = TestPki.Raw("CN=www.example.com", notCa, leafKey.Public, interKey.Private, "SHA256WITHECDSA", ca: null, dns: "www.example.com");
            var result = ChainValidator.Validate(_pki.Request(leaf, "www.example.com", notCa));
            AssertFails(result, ValidationCheck.BasicConstraints);
            Assert.Contains("intermediate 'CN=Not A CA' is not a CA", result.Failures.First(f => f.Check == ValidationCheck.BasicConstraints).Message);
        }

        [Fact]
        public void PathLengthExceeded()
        {
            var k1 = KeyFactory.Generate(KeyAlgorithm.EcdsaP256);
            var ica1 = Issuance.CreateCa(new CertificateOptions { Subject = "CN=Policy CA", PathLength = 0 }, k1, _pki.Root);
            var k2 = KeyFactory.Generate(KeyAlgorithm.EcdsaP256);
            // Issuance refuses a CA under a path-length-0 CA (PathLengthExceeded), so the over-long path is made raw.
            var ica2 = TestPki.Raw("CN=Issuing CA 2", ica1, k2.Public, k1.Private, "SHA256WITHECDSA", ca: true, dns: null, attach: k2);
            var leaf = _pki.NewLeaf("www.example.com", issuer: ica2);
            AssertFails(ChainValidator.Validate(_pki.Request(leaf, "www.example.com", ica1, ica2)), ValidationCheck.PathLength);
        }

        [Fact]
        public void ClientOnlyEkuUsedForServer()
        {
            var leaf = _pki.NewLeaf("www.example.com", CertificateProfile.Client);
            AssertFails(ChainValidator.Validate(_pki.Request(leaf)), ValidationCheck.ExtendedKeyUsage);
            var asClient = _pki.Request(leaf, null);
            asClient.Purpose = ValidationPurpose.ClientAuth;
            Assert.True(ChainValidator.Validate(asClient).IsValid);
        }

        [Fact]
        public void NameConstraintViolated()
        {
            var k = KeyFactory.Generate(KeyAlgorithm.EcdsaP256);
            var constrained = Issuance.CreateCa(new CertificateOptions { Subject = "CN=Example Only CA", PermittedDnsNames = { "example.com" } }, k, _pki.Root);
            var good = _pki.NewLeaf("shop.example.com", issuer: constrained);
            Assert.True(ChainValidator.Validate(_pki.Request(good, "shop.example.com", constrained)).IsValid);
            var bad = _pki.NewLeaf("www.evil.org", issuer: constrained);
            AssertFails(ChainValidator.Validate(_pki.Request(bad, "www.evil.org", constrained)), ValidationCheck.NameConstraints);
        }

        [Fact]
        public void RevokedByCrl()
        {
            var leaf = _pki.NewLeaf("www.example.com");
            var crl = Issuance.CreateCrl(_pki.Inter, new[] { (leaf.SerialNumber, DateTime.UtcNow.AddMinutes(-5), (RevocationReason?)RevocationReason.KeyCompromise) },
                thisUpdate: DateTime.UtcNow.AddMinutes(-1));
            var request = _pki.Request(leaf);
            request.Crls = new List<CertificateRevocationList> { crl };
            var result = ChainValidator.Validate(request);
            AssertFails(result, ValidationCheck.Revoked);
            Assert.Contains("KeyCompromise", result.Failures.First(f => f.Check == ValidationCheck.Revoked).Message);

            // The same CRL does not affect another certificate.
            var other = _pki.Request(_pki.Leaf);
            other.Crls = new List<CertificateRevocationList> { crl };
            Assert.True(ChainValidator.Validate(other).IsValid);
        }

        [Fact]
        public void OutOfDateCrlFailsClosed()
        {
            var crl = Issuance.CreateCrl(_pki.Inter, Array.Empty<(string, DateTime, RevocationReason?)>(),
                thisUpdate: DateTime.UtcNow.AddDays(-10), nextUpdate: DateTime.UtcNow.AddDays(-3));
            var request = _pki.Request(_pki.Leaf);
            request.Crls = new List<CertificateRevocationList> { crl };
            AssertFails(ChainValidator.Validate(request), ValidationCheck.CrlInvalid);
        }

        [Fact]
        public void TamperedSignature()
        {
            var der = _pki.Leaf.GetRawData();
            // Change one character of the DNS name inside the signed part.
            int at = IndexOf(der, System.Text.Encoding.ASCII.GetBytes("www.example.com"));
            der[at] = (byte)'v';
            var tampered = Formats.PkiReader.ReadCertificates(der)[0];
            AssertFails(ChainValidator.Validate(_pki.Request(tampered, "vww.example.com")), ValidationCheck.Signature);
        }

        [Fact]
        public void Sha1SignedLeaf()
        {
            var rsaRootPair = TestPki.Rsa(2048);
            var rsaRoot = TestPki.Raw("CN=RSA Root", null, rsaRootPair.Public, rsaRootPair.Private, "SHA256WITHRSA", ca: true, dns: null);
            var leafPair = TestPki.Rsa(2048);
            var leaf = TestPki.Raw("CN=www.example.com", rsaRoot, leafPair.Public, rsaRootPair.Private, "SHA1WITHRSA", ca: false, dns: "www.example.com");
            var request = new ChainValidationRequest(leaf) { TrustedRoots = new List<Certificate> { rsaRoot }, DnsName = "www.example.com" };
            AssertFails(ChainValidator.Validate(request), ValidationCheck.WeakAlgorithm);
            request.Purpose = ValidationPurpose.Any;
            Assert.True(ChainValidator.Validate(request).IsValid, "RFC 5280-only validation still accepts SHA-1");
        }

        [Fact]
        public void Rsa1024Leaf()
        {
            var leafPair = TestPki.Rsa(1024);
            var leaf = TestPki.Raw("CN=www.example.com", _pki.Inter, leafPair.Public, _pki.InterKey.Private, "SHA256WITHECDSA", ca: false, dns: "www.example.com");
            var result = ChainValidator.Validate(_pki.Request(leaf));
            AssertFails(result, ValidationCheck.WeakKey);
            Assert.Contains("1024", result.Failures.First(f => f.Check == ValidationCheck.WeakKey).Message);
        }

        [Fact]
        public void WorkBoundStopsHostileBundles()
        {
            // 40 CAs with the same name and different keys, none of which issued the leaf.
            var decoys = Enumerable.Range(0, 40).Select(i =>
                Issuance.CreateCa(new CertificateOptions { Subject = "CN=Acme Issuing CA" }, KeyFactory.Generate(KeyAlgorithm.EcdsaP256), _pki.Root)).ToArray();
            var request = _pki.Request(_pki.Leaf, "www.example.com", decoys);
            request.MaxSignatureChecks = 10;
            var result = ChainValidator.Validate(request);
            AssertFails(result, ValidationCheck.WorkLimitExceeded);
        }

        [Fact]
        public void ResultSerializesToJson()
        {
            var result = ChainValidator.Validate(_pki.Request(_pki.Leaf, "other.example.com"));
            string json = System.Text.Json.JsonSerializer.Serialize(result);
            Assert.Contains("HostnameMismatch", json);
        }

        private static int IndexOf(byte[] haystack, byte[] needle)
        {
            for (int i = 0; i <= haystack.Length - needle.Length; i++)
            {
                int j = 0;
                while (j < needle.Length && haystack[i + j] == needle[j]) j++;
                if (j == needle.Length) return i;
            }
            throw new InvalidOperationException("not found");
        }
    }
}
