using System;
using System.Linq;
using TlsTools.Pki;
using Xunit;

namespace TlsTools.Tests.Pki
{
    public class IssuanceTests
    {
        [Theory]
        [InlineData(KeyAlgorithm.EcdsaP256, "EcdsaP256", "ecdsa-with-SHA256")]
        [InlineData(KeyAlgorithm.EcdsaP384, "EcdsaP384", "ecdsa-with-SHA384")]
        [InlineData(KeyAlgorithm.EcdsaP521, "EcdsaP521", "ecdsa-with-SHA512")]
        [InlineData(KeyAlgorithm.Rsa2048, "Rsa2048", "sha256WithRSAEncryption")]
        [InlineData(KeyAlgorithm.Ed25519, "Ed25519", "Ed25519")]
        public void Root_intermediate_leaf_chain_links_by_signature_and_key_ids(KeyAlgorithm algorithm, string label, string signature)
        {
            var root = Issuance.CreateCa(new CertificateOptions { Subject = "CN=Root" }, KeyFactory.Generate(algorithm), null);
            var inter = Issuance.CreateCa(new CertificateOptions { Subject = "CN=Inter", PathLength = 0 }, KeyFactory.Generate(algorithm), root);
            var leaf = Issuance.CreateLeaf(new CertificateOptions { DnsNames = { "a.example.test" } }, inter, null, KeyFactory.Generate(algorithm));

            Assert.Equal(label, leaf.KeyAlgorithm);
            Assert.Equal(signature, leaf.SignatureAlgorithm);
            Assert.True(root.SignatureVerifiesWith(root.Bc.GetPublicKey()));
            Assert.True(inter.SignatureVerifiesWith(root.Bc.GetPublicKey()));
            Assert.True(leaf.SignatureVerifiesWith(inter.Bc.GetPublicKey()));
            Assert.False(leaf.SignatureVerifiesWith(root.Bc.GetPublicKey()));
            Assert.Equal(root.SubjectKeyIdentifier, inter.AuthorityKeyIdentifier);
            Assert.Equal(inter.SubjectKeyIdentifier, leaf.AuthorityKeyIdentifier);
            Assert.Equal(0, inter.PathLength);
            Assert.True(inter.IsCertificateAuthority);
            Assert.False(leaf.IsCertificateAuthority);
            Assert.Equal("CN=a.example.test", leaf.Subject);
        }

        [Fact]
        public void Serials_are_positive_128_bit_and_distinct()
        {
            var serials = Enumerable.Range(0, 200).Select(_ => Issuance.NewSerial()).ToList();
            Assert.All(serials, s => Assert.Equal(127, s.BitLength));
            Assert.Equal(200, serials.Select(s => s.ToString(16)).Distinct().Count());
        }

        [Fact]
        public void A_request_carries_its_names_and_verifies()
        {
            var key = KeyFactory.Generate(KeyAlgorithm.EcdsaP256);
            var req = Issuance.CreateRequest(new RequestOptions { DnsNames = { "x.example.test" }, IpAddresses = { "::1" }, EmailAddresses = { "a@example.test" } }, key);
            Assert.True(req.SignatureValid);
            Assert.Equal(new[] { "x.example.test" }, req.DnsNames);
            Assert.Equal(new[] { "::1" }, req.IpAddresses);
            Assert.Equal(new[] { "a@example.test" }, req.EmailAddresses);
            Assert.Equal(key.PublicKeySha256, req.PublicKeySha256);
        }

        [Fact]
        public void A_leaf_from_a_request_takes_the_requested_sans()
        {
            var ca = Issuance.CreateCa(new CertificateOptions { Subject = "CN=CA" }, KeyFactory.Generate(KeyAlgorithm.EcdsaP256), null);
            var req = Issuance.CreateRequest(new RequestOptions { Subject = "CN=svc", DnsNames = { "svc.example.test" } }, KeyFactory.Generate(KeyAlgorithm.EcdsaP256));
            var leaf = Issuance.CreateLeaf(new CertificateOptions(), ca, req, null);
            Assert.Equal(new[] { "svc.example.test" }, leaf.DnsNames);
            Assert.Equal("CN=svc", leaf.Subject);
            Assert.Equal(req.PublicKeySha256, leaf.PublicKeySha256);
        }

        [Fact]
        public void Issuing_with_a_leaf_as_issuer_fails_with_IssuerNotCa()
        {
            var ca = Issuance.CreateCa(new CertificateOptions { Subject = "CN=CA" }, KeyFactory.Generate(KeyAlgorithm.EcdsaP256), null);
            var leaf = Issuance.CreateLeaf(new CertificateOptions { DnsNames = { "l.example.test" } }, ca, null, KeyFactory.Generate(KeyAlgorithm.EcdsaP256));
            var e = Assert.Throws<TlsToolsException>(() => Issuance.CreateLeaf(new CertificateOptions { DnsNames = { "x.example.test" } }, leaf, null, KeyFactory.Generate(KeyAlgorithm.EcdsaP256)));
            Assert.Equal("IssuerNotCa", e.ErrorId);
        }

        [Fact]
        public void A_key_that_does_not_match_is_refused_with_KeyMismatch()
        {
            var ca = Issuance.CreateCa(new CertificateOptions { Subject = "CN=CA" }, KeyFactory.Generate(KeyAlgorithm.EcdsaP256), null);
            var e = Assert.Throws<TlsToolsException>(() => ca.WithPrivateKey(KeyFactory.Generate(KeyAlgorithm.EcdsaP256)));
            Assert.Equal("KeyMismatch", e.ErrorId);
        }

        [Fact]
        public void A_crl_lists_serials_with_reasons_and_verifies_with_the_issuer_key()
        {
            var ca = Issuance.CreateCa(new CertificateOptions { Subject = "CN=CA" }, KeyFactory.Generate(KeyAlgorithm.EcdsaP256), null);
            var crl = Issuance.CreateCrl(ca, new[] { ("0A1B", DateTime.UtcNow, (RevocationReason?)RevocationReason.Superseded) });
            Assert.True(crl.Lists("0a1b"));
            Assert.Equal("Superseded", crl.RevokedCertificates[0].Reason);
            crl.Bc.Verify(ca.Bc.GetPublicKey());
        }

        [Theory]
        [InlineData("CN=web, O=Acme, C=DE", "CN=web,O=Acme,C=DE")]
        [InlineData("/CN=web/O=Acme", "CN=web,O=Acme")]
        [InlineData("web.example.test", "CN=web.example.test")]
        public void Subjects_are_parsed_in_the_forms_users_type(string input, string expected)
        {
            Assert.Equal(expected, DistinguishedNames.Parse(input).ToString());
        }
    }
}
