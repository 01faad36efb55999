using System.Collections.Generic;
using System.Linq;
using TlsTools.Pki;
using TlsTools.Scanning;
using RawPki = TlsTools.Tests.Validation.TestPki;
using TlsTools.Tls;
using Xunit;
using static TlsTools.Tests.Scanning.Assessment.HandMadeReports;

namespace TlsTools.Tests.Scanning.Assessment
{
    /// <summary>-Policy against Mozilla's guidelines 5.7: the embedded data, and hand-made reports against each profile.</summary>
    public sealed class PolicyTests
    {
        [Fact]
        public void TheEmbeddedDataIsMozillaVersion57AndEveryNameResolvesThroughTheRegistry()
        {
            var raw = MozillaGuidelines.Raw();
            Assert.Equal("5.7", System.Convert.ToString(raw["version"], System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(MozillaGuidelines.SourceUrl, raw["href"]);
            var configurations = (Dictionary<string, object?>)raw["configurations"]!;
            foreach (var policy in new[] { TlsPolicy.MozillaModern, TlsPolicy.MozillaIntermediate, TlsPolicy.MozillaOld })
            {
                var g = MozillaGuidelines.For(policy);
                var c = (Dictionary<string, object?>)configurations[g.Name]!;
                // The OpenSSL names, mapped through TlsRegistry, are exactly the IANA names Mozilla lists beside them.
                var iana = MozillaGuidelines.Strings(((Dictionary<string, object?>)c["ciphers"]!)["iana"]).ToList();
                Assert.Equal(iana.OrderBy(x => x), g.Ciphers.Select(TlsRegistry.CipherSuites.Name).OrderBy(x => x));
                Assert.Equal(new[] { 0x1301, 0x1302, 0x1303 }, g.Tls13Ciphers);
                Assert.Equal(new[] { "x25519", "secp256r1", "secp384r1" }, g.Groups.Select(TlsRegistry.NamedGroups.Name));
                Assert.True(g.OcspStaple);
            }
            var modern = MozillaGuidelines.For(TlsPolicy.MozillaModern);
            Assert.Equal(new[] { TlsVersion.Tls13 }, modern.TlsVersions);
            Assert.Empty(modern.Ciphers);
            Assert.Equal(new[] { "ecdsa" }, modern.CertificateTypes);
            Assert.Equal(90, modern.MaximumCertificateLifespanDays);
            var intermediate = MozillaGuidelines.For(TlsPolicy.MozillaIntermediate);
            Assert.Equal(new[] { TlsVersion.Tls12, TlsVersion.Tls13 }, intermediate.TlsVersions);
            Assert.Equal(9, intermediate.Ciphers.Count); // 5.7 added DHE-RSA-CHACHA20-POLY1305
            Assert.Equal((2048, 2048, 366), (intermediate.RsaKeySize!.Value, intermediate.DhParamSize!.Value, intermediate.MaximumCertificateLifespanDays));
            var old = MozillaGuidelines.For(TlsPolicy.MozillaOld);
            Assert.Equal(new[] { TlsVersion.Tls10, TlsVersion.Tls11, TlsVersion.Tls12, TlsVersion.Tls13 }, old.TlsVersions);
            Assert.Equal((26, 1024, true), (old.Ciphers.Count, old.DhParamSize!.Value, old.ServerPreferredOrder));
            Assert.Equal(new[] { "sha256WithRSAEncryption" }, old.CertificateSignatures);
        }

        [Fact]
        public void AGoodEcdsaServerIsIntermediateButNotModern()
        {
            var r = Good();
            var intermediate = PolicyChecker.Check(r, TlsPolicy.MozillaIntermediate);
            Assert.True(intermediate.Compliant, string.Join("; ", intermediate.Deviations));
            Assert.Equal(("MozillaIntermediate", "5.7"), (intermediate.Policy, intermediate.GuidelineVersion));

            var modern = PolicyChecker.Check(r, TlsPolicy.MozillaModern);
            Assert.False(modern.Compliant);
            Assert.Contains(modern.Deviations, d => d.Area == PolicyChecker.Versions && d.Actual == "TLS 1.2 enabled");
            Assert.Equal(3, modern.Deviations.Count(d => d.Area == PolicyChecker.Suites)); // one per TLS 1.2 suite
            Assert.Contains(modern.Deviations, d => d.Actual == "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 with TLS 1.2 not in MozillaModern");
            Assert.Equal(4, modern.Deviations.Count);
        }

        [Fact]
        public void ATls13OnlyEcdsaServerIsModern()
        {
            var r = Good();
            r.TlsVersions.Remove(TlsVersion.Tls12);
            r.CipherSuites.RemoveAll(s => s.TlsVersion == TlsVersion.Tls12);
            r.NamedGroups.RemoveAll(g => g.TlsVersion == TlsVersion.Tls12);
            var c = PolicyChecker.Check(r, TlsPolicy.MozillaModern);
            Assert.True(c.Compliant, string.Join("; ", c.Deviations));

            // ... unless it also serves an RSA chain: each chain must pass the rules for its type.
            r.CertificateChains.Add(Chain(Leaf(KeyAlgorithm.Rsa2048)));
            var dual = PolicyChecker.Check(r, TlsPolicy.MozillaModern);
            var d = Assert.Single(dual.Deviations);
            Assert.Equal(PolicyChecker.Certificate, d.Area);
            Assert.Contains("type rsa not in MozillaModern", d.Actual);
        }

        [Fact]
        public void EachFactIsOneDeviation()
        {
            var r = Good();
            r.TlsVersions.Insert(0, TlsVersion.Tls10);
            r.CipherSuites.Add(Suite(TlsVersion.Tls10, "TLS_RSA_WITH_AES_128_CBC_SHA"));
            r.NamedGroups.Add(Group(TlsVersion.Tls12, "secp521r1"));
            r.DhParameterBits = 1024;
            r.OcspStapling = null;
            var c = PolicyChecker.Check(r, TlsPolicy.MozillaIntermediate);
            Assert.False(c.Compliant);
            Assert.Contains(c.Deviations, d => d.Area == "TlsVersions" && d.Actual == "TLS 1.0 enabled");
            Assert.Contains(c.Deviations, d => d.Area == "CipherSuites" && d.Actual == "TLS_RSA_WITH_AES_128_CBC_SHA with TLS 1.0 not in MozillaIntermediate");
            Assert.Contains(c.Deviations, d => d.Area == "NamedGroups" && d.Actual == "secp521r1 not in MozillaIntermediate");
            Assert.Contains(c.Deviations, d => d.Area == "DhParameters" && d.Actual == "DHE with a 1024-bit prime");
            Assert.Contains(c.Deviations, d => d.Area == "OcspStapling" && d.Actual == "OCSP stapling not determined"); // fails closed
            Assert.Equal(5, c.Deviations.Count);

            var missing = Good();
            missing.TlsVersions.Remove(TlsVersion.Tls13);
            missing.CipherSuites.RemoveAll(s => s.TlsVersion == TlsVersion.Tls13);
            var m = Assert.Single(PolicyChecker.Check(missing, TlsPolicy.MozillaIntermediate).Deviations);
            Assert.Equal("TLS 1.3 not accepted", m.Actual);
        }

        [Fact]
        public void CertificateRules()
        {
            var longLived = Good();
            longLived.CertificateChains[0] = Chain(Leaf(KeyAlgorithm.EcdsaP256, days: 400));
            var l = Assert.Single(PolicyChecker.Check(longLived, TlsPolicy.MozillaIntermediate).Deviations);
            Assert.Equal(("CertificateLifetime", "at most 366 days"), (l.Area, l.Expected));
            Assert.Contains("valid for 400 days", l.Actual);

            var p521 = Good();
            p521.CertificateChains[0] = Chain(Leaf(KeyAlgorithm.EcdsaP521));
            var curve = Assert.Single(PolicyChecker.Check(p521, TlsPolicy.MozillaIntermediate).Deviations);
            Assert.Contains("curve secp521r1 not in MozillaIntermediate", curve.Actual);

            var pair = RawPki.Rsa(1024);
            var weak = Good(KeyAlgorithm.Rsa2048);
            weak.CertificateChains[0] = Chain(RawPki.Raw("CN=www.example.test", null, pair.Public, pair.Private, "SHA256WithRSA", false, "www.example.test"));
            var rsa = Assert.Single(PolicyChecker.Check(weak, TlsPolicy.MozillaIntermediate).Deviations);
            Assert.Contains("1024-bit RSA key", rsa.Actual);

            var none = Good();
            none.CertificateChains.Clear();
            Assert.Contains(PolicyChecker.Check(none, TlsPolicy.MozillaIntermediate).Deviations, d => d.Actual == "no certificate chain was read");
        }

        [Fact]
        public void AnOldConfigurationServerIsOldCompliantAndNeedsServerOrder()
        {
            var pair = RawPki.Rsa(2048);
            var rsaLeaf = RawPki.Raw("CN=www.example.test", null, pair.Public, pair.Private, "SHA256WithRSA", false, "www.example.test");
            var r = Good(KeyAlgorithm.Rsa2048);
            r.CertificateChains[0] = Chain(rsaLeaf);
            r.TlsVersions.Clear();
            r.TlsVersions.AddRange(new[] { TlsVersion.Tls10, TlsVersion.Tls11, TlsVersion.Tls12, TlsVersion.Tls13 });
            foreach (var v in new[] { TlsVersion.Tls10, TlsVersion.Tls11 })
                r.CipherSuites.AddRange(new[] { Suite(v, "ECDHE-RSA-AES128-SHA"), Suite(v, "AES128-SHA"), Suite(v, "DES-CBC3-SHA") });
            r.DhParameterBits = 1024;
            r.ServerCipherPreference = true;
            var c = PolicyChecker.Check(r, TlsPolicy.MozillaOld);
            Assert.True(c.Compliant, string.Join("; ", c.Deviations));

            r.ServerCipherPreference = false;
            var order = Assert.Single(PolicyChecker.Check(r, TlsPolicy.MozillaOld).Deviations);
            Assert.Equal(("CipherOrder", "server cipher order"), (order.Area, order.Expected));

            // The ECDSA-signed test leaf breaks old's signature and type rules.
            var ecdsa = PolicyChecker.Check(Good(), TlsPolicy.MozillaOld);
            Assert.Contains(ecdsa.Deviations, d => d.Area == "CertificateSignature" && d.Actual.Contains("ecdsa-with-SHA256"));
            Assert.Contains(ecdsa.Deviations, d => d.Area == "Certificate" && d.Actual.Contains("type ecdsa not in MozillaOld"));
        }

        [Fact]
        public void JudgementAppliesThePolicyOnlyWhenAsked()
        {
            var r = Judgement.Apply(Good(), null);
            Assert.Null(r.PolicyCompliance);
            Assert.Equal("A+", r.Grade);
            Assert.True(Judgement.Apply(Good(), TlsPolicy.MozillaIntermediate).PolicyCompliance!.Compliant);
        }
    }
}
