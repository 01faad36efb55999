using System;
using System.Collections.Specialized;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using TlsTools.Pki;
using TlsTools.Revocation;
using TlsTools.Tests.Tls;
using TlsTools.Tls;
using TlsTools.Validation;
using Xunit;
using Xunit.Abstractions;

namespace TlsTools.Tests.Revocation
{
    /// <summary>The client's OcspStaple against openssl s_server -status_file (TLS 1.2 CertificateStatus, TLS 1.3 entry extension).</summary>
    public class StaplingTests
    {
        private readonly ITestOutputHelper _out;

        public StaplingTests(ITestOutputHelper output) => _out = output;

        private static string Staple(Certificate leaf, RevocationStatus status, Action<OcspResponseOptions>? tweak = null)
        {
            var o = new OcspResponseOptions { Certificate = leaf, Issuer = TestPki.Ca, Status = status, RevocationReason = RevocationReason.KeyCompromise };
            tweak?.Invoke(o);
            var path = Path.Combine(TestPki.Dir, "staple-" + Guid.NewGuid().ToString("N").Substring(0, 8) + ".der");
            Directory.CreateDirectory(TestPki.Dir);
            File.WriteAllBytes(path, OcspResponseBuilder.Build(o).GetRawData());
            return path;
        }

        private async Task<HandshakeResult> Handshake(int port, TlsVersion version, bool validate = true)
        {
            var o = TlsClientRunnerTests.Opt(port, x => x.TlsVersions = new[] { version });
            var r = await new TlsClientRunner().HandshakeAsync(o, CancellationToken.None);
            _out.WriteLine(r + " staple: " + r.OcspStaple + " " + r.OcspStaple?.Message);
            Assert.True(r.Success, r.Error);
            if (validate) HandshakeValidation.Validate(r, new[] { TestPki.Ca });
            return r;
        }

        [Theory]
        [InlineData(TlsVersion.Tls12, RevocationStatus.Good)]
        [InlineData(TlsVersion.Tls12, RevocationStatus.Revoked)]
        [InlineData(TlsVersion.Tls13, RevocationStatus.Good)]
        [InlineData(TlsVersion.Tls13, RevocationStatus.Revoked)]
        public async Task The_staple_openssl_sends_is_parsed_validated_and_shown(TlsVersion version, RevocationStatus status)
        {
            var leaf = TestPki.Leaf(KeyAlgorithm.EcdsaP256);
            using var server = new OpenSslServer(leaf, "-status_file", Staple(leaf.Cert, status));
            var r = await Handshake(server.Port, version);

            Assert.NotNull(r.OcspStaple);
            Assert.Equal(RevocationMethod.Staple, r.OcspStaple!.Method);
            Assert.Equal(status, r.OcspStaple.Status);
            Assert.Equal("staple", r.OcspStaple.Source);
            Assert.Equal(leaf.Cert, r.OcspStaple.Certificate);
            Assert.NotNull(r.OcspStaple.NextUpdate);
            Assert.Equal(status, r.StapledOcspResponse!.Status);

            if (status == RevocationStatus.Revoked)
            {
                Assert.Equal("KeyCompromise", r.OcspStaple.Reason);
                Assert.False(r.Validation!.IsValid);
                Assert.Contains(r.Validation.Failures, f => f.Check == ValidationCheck.Revoked && f.Message.Contains("stapled"));
            }
            else
            {
                Assert.True(r.Validation!.IsValid, string.Join("; ", r.Validation.Failures.Select(f => f.ToString())));
            }

            // The transcript shows it: TLS 1.2 as a CertificateStatus message, TLS 1.3 in the leaf's certificate entry.
            if (version == TlsVersion.Tls12)
            {
                var m = Assert.Single(r.Transcript, x => x.Type == TranscriptMessageType.CertificateStatus);
                Assert.Equal(status.ToString(), m.Fields["CertStatus"]);
                Assert.Equal(leaf.Cert.SerialNumber, m.Fields["SerialNumber"]);
                Assert.Contains("saying " + status, m.Explanation);
            }
            else
            {
                Assert.DoesNotContain(r.Transcript, x => x.Type == TranscriptMessageType.CertificateStatus);
                var cert = Assert.Single(r.Transcript, x => x.Type == TranscriptMessageType.Certificate && x.Sender == Sender.Server);
                var entry = Assert.IsType<OrderedDictionary>(cert.Fields["EntryExtensions1"]);
                var ocsp = Assert.IsType<OrderedDictionary>(entry["status_request"]);
                Assert.Equal(status.ToString(), ocsp["CertStatus"]);
                Assert.Contains("stapled an OCSP response", cert.Explanation);
            }
        }

        [Fact]
        public async Task Without_a_status_file_there_is_no_staple()
        {
            using var server = new OpenSslServer(KeyAlgorithm.EcdsaP256);
            var r12 = await Handshake(server.Port, TlsVersion.Tls12);
            Assert.Null(r12.OcspStaple);
            Assert.Null(r12.StapledOcspResponse);
            Assert.DoesNotContain(r12.Transcript, x => x.Type == TranscriptMessageType.CertificateStatus);
            var r13 = await Handshake(server.Port, TlsVersion.Tls13);
            Assert.Null(r13.OcspStaple);
            Assert.True(r13.Validation!.IsValid);
        }

        [Fact]
        public async Task A_stale_staple_is_Unavailable_with_the_reason()
        {
            var leaf = TestPki.Leaf(KeyAlgorithm.EcdsaP256);
            using var server = new OpenSslServer(leaf, "-status_file",
                Staple(leaf.Cert, RevocationStatus.Good, o => { o.ThisUpdate = DateTime.UtcNow.AddDays(-9); o.NextUpdate = DateTime.UtcNow.AddDays(-2); }));
            var r = await Handshake(server.Port, TlsVersion.Tls13);
            Assert.Equal(RevocationStatus.Unavailable, r.OcspStaple!.Status);
            Assert.Contains("stale", r.OcspStaple.Message);
            Assert.True(r.Validation!.IsValid); // no must-staple: an untrustworthy staple is reported, not fatal
        }

        [Fact]
        public async Task A_staple_about_another_certificate_is_Unavailable()
        {
            var leaf = TestPki.Leaf(KeyAlgorithm.EcdsaP256);
            var other = TestPki.Leaf(KeyAlgorithm.EcdsaP256, "other.example.test");
            using var server = new OpenSslServer(leaf, "-status_file", Staple(other.Cert, RevocationStatus.Good));
            var r = await Handshake(server.Port, TlsVersion.Tls12);
            Assert.Equal(RevocationStatus.Unavailable, r.OcspStaple!.Status);
            Assert.Contains("not about this certificate", r.OcspStaple.Message);
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public async Task A_must_staple_certificate_without_a_staple_fails_validation_with_MustStaple(bool staple)
        {
            var key = KeyFactory.Generate(KeyAlgorithm.EcdsaP256);
            var cert = MustStapleLeaf(key);
            Assert.True(cert.MustStaple);
            Assert.False(TestPki.Leaf(KeyAlgorithm.EcdsaP256).Cert.MustStaple);
            var certPath = Path.Combine(TestPki.Dir, "muststaple-" + staple + ".crt.pem");
            var keyPath = Path.Combine(TestPki.Dir, "muststaple-" + staple + ".key.pem");
            File.WriteAllText(certPath, cert.ToPem());
            File.WriteAllText(keyPath, TestPki.KeyPem(key));
            var extra = staple ? new[] { "-status_file", Staple(cert, RevocationStatus.Good) } : Array.Empty<string>();
            using var server = new OpenSslServer((cert, certPath, keyPath), extra);
            var r = await Handshake(server.Port, TlsVersion.Tls12);
            if (staple)
            {
                Assert.Equal(RevocationStatus.Good, r.OcspStaple!.Status);
                Assert.True(r.Validation!.IsValid, string.Join("; ", r.Validation.Failures.Select(f => f.ToString())));
            }
            else
            {
                Assert.Null(r.OcspStaple);
                Assert.False(r.Validation!.IsValid);
                var f = Assert.Single(r.Validation.Failures);
                Assert.Equal(ValidationCheck.MustStaple, f.Check);
                Assert.Contains("stapled none", f.Message);
            }
        }

        /// <summary>A localhost leaf of the test CA with the TLS feature extension status_request (must-staple).</summary>
        private static Certificate MustStapleLeaf(PrivateKey key)
        {
            var gen = new Org.BouncyCastle.X509.X509V3CertificateGenerator();
            gen.SetSerialNumber(Org.BouncyCastle.Math.BigInteger.ValueOf(DateTime.UtcNow.Ticks));
            gen.SetIssuerDN(TestPki.Ca.Bc.SubjectDN);
            gen.SetSubjectDN(new Org.BouncyCastle.Asn1.X509.X509Name("CN=localhost"));
            gen.SetNotBefore(DateTime.UtcNow.AddDays(-1));
            gen.SetNotAfter(DateTime.UtcNow.AddDays(30));
            gen.SetPublicKey(key.Public);
            gen.AddExtension(Org.BouncyCastle.Asn1.X509.X509Extensions.SubjectAlternativeName, false, new Org.BouncyCastle.Asn1.X509.GeneralNames(new[]
            {
                new Org.BouncyCastle.Asn1.X509.GeneralName(Org.BouncyCastle.Asn1.X509.GeneralName.DnsName, "localhost"),
                new Org.BouncyCastle.Asn1.X509.GeneralName(Org.BouncyCastle.Asn1.X509.GeneralName.IPAddress, "127.0.0.1"),
            }));
            gen.AddExtension(Org.BouncyCastle.Asn1.X509.X509Extensions.ExtendedKeyUsage, false,
                new Org.BouncyCastle.Asn1.X509.ExtendedKeyUsage(Org.BouncyCastle.Asn1.X509.KeyPurposeID.id_kp_serverAuth));
            gen.AddExtension(Org.BouncyCastle.Asn1.X509.X509Extensions.AuthorityKeyIdentifier, false,
                Org.BouncyCastle.X509.Extension.X509ExtensionUtilities.CreateAuthorityKeyIdentifier(TestPki.Ca.Bc.GetPublicKey()));
            gen.AddExtension(new Org.BouncyCastle.Asn1.DerObjectIdentifier("1.3.6.1.5.5.7.1.24"), false,
                new Org.BouncyCastle.Asn1.DerSequence(Org.BouncyCastle.Asn1.DerInteger.ValueOf(5)));
            return new Certificate(gen.Generate(KeyFactory.SignatureFactory(TestPki.Ca.PrivateKey!)), key);
        }
    }
}
