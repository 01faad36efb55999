using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using TlsTools.Formats;
using TlsTools.Pki;
using TlsTools.Reporting;
using TlsTools.Tls;
using Xunit;

namespace TlsTools.Tests.Pki
{
    /// <summary>Issue 15's core fixes: day rounding, ToString, P7B, write messages, report cells, server checks, wording.</summary>
    public sealed class RoughEdgesTests
    {
        private static readonly Certificate Root = Issuance.CreateCa(new CertificateOptions { Subject = "CN=Rough Root, O=Example, C=GB" }, KeyFactory.Generate(KeyAlgorithm.EcdsaP256), null);

        [Theory]
        [InlineData(90.0, 90)]          // issued just now
        [InlineData(89.99999, 90)]
        [InlineData(0.1, 1)]            // the last day
        [InlineData(0.0, 0)]            // the moment it expires
        [InlineData(-0.5, 0)]           // expired less than a day ago
        [InlineData(-2.00001, -2)]      // expired 2 days ago
        [InlineData(-2.5, -2)]
        public void DaysUntilExpiryCountsAPartDayAsADay(double days, int expected)
        {
            var now = new DateTime(2030, 1, 1, 12, 0, 0, DateTimeKind.Utc);
            Assert.Equal(expected, Certificate.DaysUntil(now.AddDays(days), now));
        }

        [Fact]
        public void ToStringNamesSubjectAndThumbprint()
        {
            var a = Issuance.CreateLeaf(new CertificateOptions { DnsNames = { "a.example.test" } }, Root, null, KeyFactory.Generate(KeyAlgorithm.EcdsaP256));
            var b = Issuance.CreateLeaf(new CertificateOptions { DnsNames = { "a.example.test" } }, Root, null, KeyFactory.Generate(KeyAlgorithm.EcdsaP256));
            Assert.Equal(a.Subject + " [" + a.Thumbprint + "]", a.ToString());
            Assert.NotEqual(a.ToString(), b.ToString());
        }

        [Fact]
        public void P7bHoldsTheCertificatesAndNoKey()
        {
            var leaf = Issuance.CreateLeaf(new CertificateOptions { DnsNames = { "p7.example.test" } }, Root, null, KeyFactory.Generate(KeyAlgorithm.EcdsaP256));
            var data = PkiWriter.EncodeCertificates(new[] { leaf, Root }, CertificateFormat.P7b, null);
            var back = PkiReader.ReadCertificates(data);
            Assert.Equal(new[] { leaf.Thumbprint, Root.Thumbprint }.OrderBy(t => t), back.Select(c => c.Thumbprint).OrderBy(t => t));
            Assert.All(back, c => Assert.False(c.HasPrivateKey));
        }

        [Fact]
        public void AFailedWriteNamesTheTargetNotTheTemporaryFile()
        {
            var dir = Path.Combine(Path.GetTempPath(), "tlstools-rough-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(dir);
            try
            {
                var target = Path.Combine(dir, "site.pem");
                var e = Assert.Throws<TlsToolsException>(() => SafeFile.Write(target, new byte[] { 1, 2, 3 }, false, false,
                    s => throw new UnauthorizedAccessException("Access to the path '" + Path.Combine(dir, ".site.pem.1234abcd.tmp") + "' is denied.")));
                Assert.Equal(ErrorIds.WriteFailed, e.ErrorId);
                Assert.Contains("'" + target + "'", e.Message);
                Assert.DoesNotContain(".tmp", e.Message);
                Assert.Empty(Directory.GetFiles(dir));
            }
            finally
            {
                Directory.Delete(dir, true);
            }
        }

        [Fact]
        public void ReportCellsAreFlatAndCsvIsQuoted()
        {
            Assert.Equal("a; b", TlsReport.Cell(new[] { "a", "b" }));
            Assert.Equal("a; b", TlsReport.Cell(new List<string> { "a", "", "b" }));
            Assert.Equal("2030-01-02T03:04:05Z", TlsReport.Cell(new DateTime(2030, 1, 2, 3, 4, 5, DateTimeKind.Utc)));
            Assert.Equal("", TlsReport.Cell(null));
            var rows = new[]
            {
                (IReadOnlyList<KeyValuePair<string, string>>)new[] { new KeyValuePair<string, string>("A", "x,y"), new KeyValuePair<string, string>("B", "say \"hi\"") },
                new[] { new KeyValuePair<string, string>("C", "only") },
            };
            var csv = TlsReport.Write(rows, ReportFormat.Csv);
            Assert.Equal("A,B,C\r\n\"x,y\",\"say \"\"hi\"\"\",\r\n,,only\r\n", csv);
            var row = TlsReport.RowOf(Root)!;
            Assert.Equal(Root.Subject, row.First(p => p.Key == "Subject").Value);
            Assert.Null(TlsReport.RowOf("not a result"));
        }

        [Fact]
        public void TheServerRefusesSuitesItsKeyCannotServeAndH2()
        {
            var ec = Issuance.CreateLeaf(new CertificateOptions { DnsNames = { "s.example.test" } }, Root, null, KeyFactory.Generate(KeyAlgorithm.EcdsaP256));
            int rsaSuite = TlsRegistry.CipherSuites.Parse("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
            int ecSuite = TlsRegistry.CipherSuites.Parse("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
            int tls13 = TlsRegistry.CipherSuites.Parse("TLS_AES_128_GCM_SHA256");
            var e = Assert.Throws<TlsToolsException>(() => ServerSuites.CheckServable(ec, new[] { rsaSuite }, null));
            Assert.Equal(ErrorIds.CipherSuiteNotServable, e.ErrorId);
            Assert.Contains("EcdsaP256", e.Message);
            Assert.Throws<TlsToolsException>(() => ServerSuites.CheckServable(ec, new[] { tls13 }, new[] { TlsVersion.Tls12 }));
            Assert.Throws<TlsToolsException>(() => ServerSuites.CheckServable(ec, new[] { ecSuite }, new[] { TlsVersion.Tls13 }));
            ServerSuites.CheckServable(ec, new[] { ecSuite, tls13 }, null);

            Assert.Equal(ErrorIds.AlpnNotServable, Assert.Throws<TlsToolsException>(() => ServerSuites.CheckAlpn(new[] { "http/1.1", "h2" }, refuseHttp2: true)).ErrorId);
            ServerSuites.CheckAlpn(new[] { "h2" }, refuseHttp2: false);
            Assert.Equal(ErrorIds.InvalidAlpn, Assert.Throws<TlsToolsException>(() => ServerSuites.CheckAlpn(new[] { "" }, refuseHttp2: false)).ErrorId);
            Assert.Equal(ErrorIds.InvalidAlpn, Assert.Throws<TlsToolsException>(() => ServerSuites.CheckAlpn(new[] { new string('a', 256) }, refuseHttp2: false)).ErrorId);
            ServerSuites.CheckAlpn(new[] { "http/1.1", "acme-tls/1" }, refuseHttp2: true);
        }

        [Theory]
        [InlineData("Int32", "an Int32")]
        [InlineData("X509Certificate2", "an X509Certificate2")]
        [InlineData("certificate", "a certificate")]
        [InlineData("EcdsaP256", "an EcdsaP256")]
        [InlineData("Rsa2048", "a Rsa2048")]
        public void ArticlesFitTheWord(string noun, string expected) => Assert.Equal(expected, Wording.A(noun));

        [Fact]
        public void CountsAgree()
        {
            Assert.Equal("1 certificate", Wording.Count(1, "certificate"));
            Assert.Equal("2 certificates", Wording.Count(2, "certificate"));
            Assert.Equal("0 certificates", Wording.Count(0, "certificate"));
        }
    }
}
