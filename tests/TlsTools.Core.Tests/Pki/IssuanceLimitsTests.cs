using System;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Nist;
using Org.BouncyCastle.Asn1.Pkcs;
using TlsTools.Formats;
using TlsTools.Pki;
using TlsTools.Validation;
using Xunit;

namespace TlsTools.Tests.Pki
{
    /// <summary>Issue 11: issuance that refuses, the X509Certificate2 conversion that keeps its key, PFX strength, SSL_CERT_DIR names.</summary>
    public class IssuanceLimitsTests
    {
        private static Certificate Ca(string name, DateTime? notBefore = null, DateTime? notAfter = null, int? pathLength = null, Certificate? issuer = null) =>
            Issuance.CreateCa(new CertificateOptions { Subject = "CN=" + name, NotBefore = notBefore, NotAfter = notAfter, PathLength = pathLength },
                KeyFactory.Generate(KeyAlgorithm.EcdsaP256), issuer);

        private static Certificate Leaf(Certificate issuer, CertificateOptions? options = null)
        {
            options ??= new CertificateOptions();
            options.DnsNames.Add("a.example.test");
            return Issuance.CreateLeaf(options, issuer, null, KeyFactory.Generate(KeyAlgorithm.EcdsaP256));
        }

        private static string ErrorOf(Action issue) => Assert.Throws<TlsToolsException>(issue).ErrorId;

        [Fact]
        public void An_expired_issuer_is_refused()
        {
            var old = Ca("Old", DateTime.UtcNow.AddDays(-30), DateTime.UtcNow.AddDays(-1));
            Assert.Equal(ErrorIds.IssuerExpired, ErrorOf(() => Leaf(old)));
            Assert.Equal(ErrorIds.IssuerExpired, ErrorOf(() => Ca("Sub", issuer: old)));
        }

        [Fact]
        public void An_issuer_not_yet_valid_is_refused()
        {
            var future = Ca("Future", DateTime.UtcNow.AddDays(1), DateTime.UtcNow.AddDays(30));
            Assert.Equal(ErrorIds.IssuerNotYetValid, ErrorOf(() => Leaf(future)));
        }

        [Fact]
        public void A_NotAfter_beyond_the_issuer_is_refused_unless_clamping_was_asked_for()
        {
            var ca = Ca("Short", notAfter: DateTime.UtcNow.AddDays(10));
            Assert.Equal(ErrorIds.ValidityBeyondIssuer, ErrorOf(() => Leaf(ca, new CertificateOptions { ValidityDays = 11 })));
            Assert.Equal(ErrorIds.ValidityBeyondIssuer, ErrorOf(() => Leaf(ca, new CertificateOptions { NotAfter = DateTime.UtcNow.AddDays(20) })));
            var clamped = Leaf(ca, new CertificateOptions { ValidityDays = Issuance.DefaultLeafValidityDays, ClampToIssuer = true });
            Assert.Equal(ca.NotAfter, clamped.NotAfter);
            var inside = Leaf(ca, new CertificateOptions { ValidityDays = 5 });
            Assert.Equal(5, (inside.NotAfter - inside.NotBefore).TotalDays);
        }

        [Fact]
        public void A_sub_CA_under_path_length_zero_is_refused_and_a_leaf_is_not()
        {
            var root = Ca("Root");
            var issuing = Ca("Issuing", pathLength: 0, issuer: root);
            Assert.Equal(ErrorIds.PathLengthExceeded, ErrorOf(() => Ca("TooDeep", issuer: issuing)));
            Assert.Equal(issuing.Subject, Leaf(issuing).Issuer);
            Assert.Equal(ErrorIds.IssuerNotCa, ErrorOf(() => Ca("UnderLeaf", issuer: Leaf(issuing))));
        }

        [Theory]
        [InlineData(KeyAlgorithm.Rsa2048)]
        [InlineData(KeyAlgorithm.EcdsaP256)]
        [InlineData(KeyAlgorithm.EcdsaP384)]
        public void The_X509Certificate2_constructor_keeps_the_private_key(KeyAlgorithm algorithm)
        {
            var ca = Issuance.CreateCa(new CertificateOptions { Subject = "CN=Dotnet" }, KeyFactory.Generate(algorithm), null);
            var keyPem = System.Text.Encoding.ASCII.GetString(PkiWriter.EncodePrivateKey(ca.PrivateKey!, KeyFormat.Pem, null));
            using var x = X509Certificate2.CreateFromPem(ca.ToPem(), keyPem);
            var back = new Certificate(x);
            Assert.True(back.HasPrivateKey);
            Assert.Equal(ca.PublicKeySha256, back.PrivateKey!.PublicKeySha256);
            var leaf = Leaf(back);
            Assert.True(leaf.SignatureVerifiesWith(ca.Bc.GetPublicKey()));
            using var bare = X509CertificateLoader.LoadCertificate(ca.GetRawData());
            Assert.False(new Certificate(bare).HasPrivateKey);
        }

        [Fact]
        public void A_PFX_has_an_HMAC_SHA256_MAC_and_PBES2_with_at_least_OpenSSL_3s_iterations()
        {
            var ca = Ca("Pfx");
            var leaf = Leaf(ca);
            var data = PkiWriter.EncodePfx(new[] { leaf, ca }, "pw".ToCharArray());
            var pfx = Pfx.GetInstance(Asn1Object.FromByteArray(data));
            Assert.Equal(NistObjectIdentifiers.IdSha256, pfx.MacData.Mac.DigestAlgorithm.Algorithm);
            Assert.Equal(PkiWriter.PfxIterations, pfx.MacData.IterationCount.IntValueExact);
            Assert.True(PkiWriter.PfxIterations >= 2048);
            var safe = AuthenticatedSafe.GetInstance(Asn1OctetString.GetInstance(pfx.AuthSafe.Content).GetOctets());
            var encrypted = EncryptedData.GetInstance(safe.GetContentInfo()[1].Content);
            Assert.Equal(PkcsObjectIdentifiers.IdPbeS2, encrypted.EncryptionAlgorithm.Algorithm);
            var kdf = Pbkdf2Params.GetInstance(PbeS2Parameters.GetInstance(encrypted.EncryptionAlgorithm.Parameters).KeyDerivationFunc.Parameters);
            Assert.Equal(PkiWriter.PfxIterations, kdf.IterationCount.IntValueExact);

            var back = PkiReader.ReadCertificates(data, "pw".ToCharArray());
            Assert.Equal(2, back.Count);
            Assert.True(back[0].HasPrivateKey);
            Assert.Equal(leaf.Thumbprint, back[0].Thumbprint);
            Assert.Equal(ErrorIds.WrongPassword, Assert.Throws<TlsToolsException>(() => PkiReader.ReadCertificates(data, "no".ToCharArray())).ErrorId);
        }

        [Theory]
        [InlineData("ca.pem", true)]
        [InlineData("ca.CRT", true)]
        [InlineData("ca.cer", true)]
        [InlineData("1a2b3c4d.0", true)]
        [InlineData("1A2B3C4D.12", true)]
        [InlineData("1a2b3c4d.r0", false)]
        [InlineData("README", false)]
        [InlineData("1a2b3c4g.0", false)]
        [InlineData("ca.key", false)]
        public void SSL_CERT_DIR_reads_pem_crt_cer_and_hashed_names(string name, bool read) =>
            Assert.Equal(read, SystemTrustStore.IsCertificateFileName(name));
    }
}
