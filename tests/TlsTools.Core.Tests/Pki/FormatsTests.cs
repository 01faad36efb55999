using System;
using System.IO;
using System.Linq;
using System.Text;
using TlsTools.Formats;
using TlsTools.Pki;
using Xunit;

namespace TlsTools.Tests.Pki
{
    public class FormatsTests
    {
        private static readonly char[] Pw = "s3cret-pw".ToCharArray();

        private static (Certificate Root, Certificate Leaf) Chain(KeyAlgorithm alg = KeyAlgorithm.EcdsaP256)
        {
            var root = Issuance.CreateCa(new CertificateOptions { Subject = "CN=Root" }, KeyFactory.Generate(alg), null);
            var leaf = Issuance.CreateLeaf(new CertificateOptions { DnsNames = { "a.example.test" } }, root, null, KeyFactory.Generate(alg));
            return (root, leaf);
        }

        [Theory]
        [InlineData(KeyAlgorithm.EcdsaP256)]
        [InlineData(KeyAlgorithm.Rsa2048)]
        [InlineData(KeyAlgorithm.Ed25519)]
        public void Pfx_round_trips_key_and_chain(KeyAlgorithm alg)
        {
            var (root, leaf) = Chain(alg);
            var pfx = PkiWriter.EncodeCertificates(new[] { leaf, root }, CertificateFormat.Pfx, Pw);
            var back = PkiReader.ReadCertificates(pfx, Pw);
            Assert.Equal(2, back.Count);
            Assert.Equal(leaf.Thumbprint, back.Single(c => c.HasPrivateKey).Thumbprint);
            Assert.Equal(leaf.PublicKeySha256, PkiReader.ReadPrivateKey(pfx, Pw).PublicKeySha256);
        }

        [Fact]
        public void Pfx_with_a_wrong_password_fails_with_WrongPassword()
        {
            var (root, leaf) = Chain();
            var pfx = PkiWriter.EncodeCertificates(new[] { leaf }, CertificateFormat.Pfx, Pw);
            Assert.Equal("WrongPassword", Assert.Throws<TlsToolsException>(() => PkiReader.ReadCertificates(pfx, "nope".ToCharArray())).ErrorId);
            Assert.Equal("PasswordRequired", Assert.Throws<TlsToolsException>(() => PkiReader.ReadCertificates(pfx)).ErrorId);
        }

        [Theory]
        [InlineData(KeyAlgorithm.EcdsaP384, KeyFormat.Pem, true)]
        [InlineData(KeyAlgorithm.Rsa2048, KeyFormat.Der, false)]
        [InlineData(KeyAlgorithm.Ed25519, KeyFormat.Pem, false)]
        [InlineData(KeyAlgorithm.EcdsaP521, KeyFormat.Der, true)]
        public void Private_keys_round_trip(KeyAlgorithm alg, KeyFormat format, bool encrypted)
        {
            var key = KeyFactory.Generate(alg);
            var data = PkiWriter.EncodePrivateKey(key, format, encrypted ? Pw : null);
            var back = PkiReader.ReadPrivateKey(data, encrypted ? Pw : null);
            Assert.Equal(key.PublicKeySha256, back.PublicKeySha256);
            Assert.Equal(key.Algorithm, back.Algorithm);
        }

        [Fact]
        public void Encrypted_key_with_wrong_password_fails_with_WrongPassword()
        {
            var data = PkiWriter.EncodePrivateKey(KeyFactory.Generate(KeyAlgorithm.EcdsaP256), KeyFormat.Pem, Pw);
            Assert.Equal("WrongPassword", Assert.Throws<TlsToolsException>(() => PkiReader.ReadPrivateKey(data, "bad".ToCharArray())).ErrorId);
        }

        [Fact]
        public void Pem_bundle_keeps_order_and_attaches_the_key()
        {
            var (root, leaf) = Chain();
            var text = leaf.ToPem() + "junk between blocks\n" + root.ToPem() +
                       Encoding.ASCII.GetString(PkiWriter.EncodePrivateKey(leaf.PrivateKey!, KeyFormat.Pem, null));
            var certs = PkiReader.ReadCertificates(Encoding.ASCII.GetBytes(text));
            Assert.Equal(new[] { leaf.Thumbprint, root.Thumbprint }, certs.Select(c => c.Thumbprint));
            Assert.True(certs[0].HasPrivateKey);
            Assert.False(certs[1].HasPrivateKey);
        }

        [Fact]
        public void Every_truncation_of_a_der_certificate_fails_cleanly()
        {
            var der = Chain().Leaf.GetRawData();
            for (int n = 1; n < der.Length; n++)
            {
                var e = Assert.Throws<TlsToolsException>(() => PkiReader.ReadCertificates(der.Take(n).ToArray()));
                Assert.Contains(e.ErrorId, new[] { "InvalidCertificate", "InvalidPkcs7" });
            }
        }

        [Fact]
        public void Safe_write_refuses_to_overwrite_and_replaces_with_force()
        {
            var dir = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "tlstools-" + Guid.NewGuid().ToString("N")));
            try
            {
                var path = Path.Combine(dir.FullName, "f.txt");
                SafeFile.Write(path, new byte[] { 1 }, force: false, isPrivate: true);
                var e = Assert.Throws<TlsToolsException>(() => SafeFile.Write(path, new byte[] { 2 }, force: false, isPrivate: true));
                Assert.Equal("FileExists", e.ErrorId);
                Assert.Equal(new byte[] { 1 }, File.ReadAllBytes(path));
                SafeFile.Write(path, new byte[] { 3 }, force: true, isPrivate: true);
                Assert.Equal(new byte[] { 3 }, File.ReadAllBytes(path));
                Assert.Single(dir.GetFiles("*", SearchOption.TopDirectoryOnly));
                if (!OperatingSystem.IsWindows())
                    Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            }
            finally
            {
                dir.Delete(true);
            }
        }
    }
}
