using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using TlsTools.Pki;
using TlsTools.Scanning;
using TlsTools.Tls;
using TlsTools.Validation;
using Xunit;

namespace TlsTools.Tests.Scanning
{
    /// <summary>ServerProfileReport from hand-made profiles: chains become certificates with verdicts; nothing throws on bad bytes.</summary>
    public sealed class ServerProfileReportTests
    {
        private static (Certificate Leaf, Certificate Ca) Chain(string dnsName)
        {
            var caKey = KeyFactory.Generate(KeyAlgorithm.EcdsaP256);
            var ca = Issuance.CreateCa(new CertificateOptions { Subject = "CN=Report Test CA" }, caKey, null);
            var opts = new CertificateOptions { Subject = "CN=" + dnsName };
            opts.DnsNames.Add(dnsName);
            opts.IpAddresses.Add("127.0.0.1");
            return (Issuance.CreateLeaf(opts, ca, null, KeyFactory.Generate(KeyAlgorithm.EcdsaP256)), ca);
        }

        private static ServerProfile Profile(string host, params CertificateChainEntry[] chains)
        {
            var p = new ServerProfile { HostName = host, Port = 443, IPAddress = "127.0.0.1" };
            p.TlsVersions.Add(TlsVersion.Tls13);
            p.CertificateChains.AddRange(chains);
            return p;
        }

        private static Task<ServerProfileReport> Report(ServerProfile p) =>
            ServerProfileReport.CreateAsync(p, new ScanOptions { HostName = p.HostName }, testSessionResumption: true);

        [Fact]
        public async Task ChainsBecomeCertificatesValidatedForTheNameTheyWereServedFor()
        {
            var (leaf, ca) = Chain("www.report.test");
            var withSni = new CertificateChainEntry { TlsVersion = TlsVersion.Tls12, ServerNames = { "other.test" } };
            withSni.Certificates.AddRange(new[] { leaf.GetRawData(), ca.GetRawData() });
            var without = new CertificateChainEntry { TlsVersion = TlsVersion.Tls12, WithoutSni = true };
            without.Certificates.Add(leaf.GetRawData());

            var r = await Report(Profile("127.0.0.1", withSni, without));

            Assert.Equal(2, r.CertificateChains.Count);
            var a = r.CertificateChains[0];
            Assert.Equal(new[] { leaf, ca }, a.Certificates);
            Assert.Equal("other.test", a.ValidatedFor);
            Assert.False(a.IsValid);
            Assert.Contains(a.ValidationFailures, f => f.Check == ValidationCheck.HostnameMismatch);
            Assert.StartsWith("Invalid: ", a.Verdict);
            Assert.Contains(ValidationCheck.HostnameMismatch, a.Verdict);
            Assert.Equal("CN=www.report.test", a.Subject);
            Assert.Equal(leaf.DaysUntilExpiry, a.DaysUntilExpiry);
            Assert.Null(a.TrustAnchor);

            var b = r.CertificateChains[1];
            Assert.Equal("127.0.0.1", b.ValidatedFor);
            Assert.DoesNotContain(b.ValidationFailures, f => f.Check == ValidationCheck.IpMismatch);
            Assert.Contains(b.ValidationFailures, f => f.Check == ValidationCheck.MissingIssuer || f.Check == ValidationCheck.UntrustedRoot);
        }

        [Fact]
        public async Task UnreadableCertificatesAreFailuresNotExceptions()
        {
            var (leaf, _) = Chain("bad.test");
            var badLeaf = new CertificateChainEntry { WithoutSni = true, Certificates = { new byte[] { 0x30, 0x03, 0x02, 0x01, 0x01 } } };
            var badIntermediate = new CertificateChainEntry { ServerNames = { "bad.test" }, Certificates = { leaf.GetRawData(), new byte[] { 1, 2, 3 } } };

            var r = await Report(Profile("bad.test", badLeaf, badIntermediate));

            Assert.Empty(r.CertificateChains[0].Certificates);
            Assert.Null(r.CertificateChains[0].Subject);
            Assert.False(r.CertificateChains[0].IsValid);
            Assert.Equal("Invalid: MalformedCertificate", r.CertificateChains[0].Verdict);
            Assert.Single(r.CertificateChains[1].Certificates);
            Assert.Contains(r.CertificateChains[1].ValidationFailures, f => f.Check == ValidationCheck.MalformedCertificate);
            Assert.False(r.CertificateChains[1].IsValid);
        }

        [Fact]
        public async Task ResumptionIsNotDeterminedWithoutTls12AndListsAreCopied()
        {
            var p = Profile("127.0.0.1");
            p.NamedGroups.Add(new NamedGroupEntry { TlsVersion = TlsVersion.Tls13, Name = "x25519", Code = 29 });
            var r = await Report(p);
            Assert.Null(r.SessionIdResumption);
            Assert.Contains(r.Warnings, w => w.Contains("Session-id resumption"));
            Assert.Equal(new List<TlsVersion> { TlsVersion.Tls13 }, r.TlsVersions);
            Assert.Equal("x25519", r.NamedGroups.Single().Name);
            Assert.NotSame(p.Warnings, r.Warnings);
            Assert.Empty(r.CertificateChains);
        }
    }
}
