using System.Linq;
using TlsTools.Pki;
using TlsTools.Scanning;
using RawPki = TlsTools.Tests.Validation.TestPki;
using TlsTools.Tls;
using TlsTools.Validation;
using Xunit;
using static TlsTools.Tests.Scanning.Assessment.HandMadeReports;

namespace TlsTools.Tests.Scanning.Assessment
{
    /// <summary>The grade of hand-made reports: the scores, every cap of testssl.sh 3.2's run_rating we apply, and the notes for
    /// what could not be applied.</summary>
    public sealed class GradingTests
    {
        private static (string? Grade, System.Collections.Generic.List<string> Reasons) Grade(ServerProfileReport r) => Grading.Compute(r);

        private static void AssertCapped(ServerProfileReport r, string grade, string reason)
        {
            var (g, reasons) = Grade(r);
            Assert.Equal(grade, g);
            Assert.Contains(reasons, x => x.StartsWith("Grade capped to ") && x.Contains(reason));
        }

        [Fact]
        public void AGoodServerGetsAPlusWithItsScoresAndTheHstsNote()
        {
            var (g, reasons) = Grade(Good());
            Assert.Equal("A+", g);
            Assert.Contains("protocol support 100 (30), key exchange 100 (30), cipher strength 90 (36), final score 96", reasons[0]);
            Assert.DoesNotContain(reasons, x => x.StartsWith("Grade capped"));
            Assert.Contains(reasons, x => x.Contains("HSTS is not checked"));
        }

        [Fact]
        public void Rsa2048ScoresNinetyForKeyExchangeAndStaysAPlus()
        {
            var (g, reasons) = Grade(Good(KeyAlgorithm.Rsa2048));
            Assert.Equal("A+", g);
            Assert.Contains("key exchange 90 (27)", reasons[0]);
        }

        [Fact]
        public void WarningsTurnAPlusIntoAMinus()
        {
            var r = Good();
            r.TlsVersions.Remove(TlsVersion.Tls13);
            r.CipherSuites.RemoveAll(s => s.TlsVersion == TlsVersion.Tls13);
            var (g, reasons) = Grade(r);
            Assert.Equal("A-", g);
            Assert.Contains(reasons, x => x.Contains("TLS 1.3 is not supported"));

            var renego = Good();
            renego.SecureRenegotiation = false;
            Assert.Equal("A-", Grade(renego).Grade);
            Assert.Contains(Grade(renego).Reasons, x => x.Contains("Secure renegotiation is not supported"));
        }

        [Fact]
        public void ProtocolCaps()
        {
            var tls10 = Good();
            tls10.TlsVersions.Insert(0, TlsVersion.Tls10);
            AssertCapped(tls10, "B", "TLS 1.0 offered");

            var tls11 = Good();
            tls11.TlsVersions.Insert(0, TlsVersion.Tls11);
            AssertCapped(tls11, "B", "TLS 1.1 offered");

            var ssl3 = Good();
            ssl3.TlsVersions.Insert(0, TlsVersion.Ssl30);
            AssertCapped(ssl3, "B", "SSLv3 is offered");
            ssl3.CipherSuites.Add(Suite(TlsVersion.Ssl30, "TLS_RSA_WITH_AES_128_CBC_SHA"));
            AssertCapped(ssl3, "C", "Vulnerable to POODLE");

            var ssl3Only = Good();
            ssl3Only.TlsVersions.Clear();
            ssl3Only.TlsVersions.Add(TlsVersion.Ssl30);
            ssl3Only.CipherSuites.Clear();
            ssl3Only.CipherSuites.Add(Suite(TlsVersion.Ssl30, "TLS_RSA_WITH_AES_128_CBC_SHA"));
            AssertCapped(ssl3Only, "F", "SSLv3 is the best protocol offered");

            var ssl2 = Good();
            ssl2.PassedChecks.Remove(FindingIds.SSLv2);
            ssl2.Findings.Add(new Finding { Id = FindingIds.SSLv2, Severity = FindingSeverity.Critical, Title = "SSLv2" });
            AssertCapped(ssl2, "F", "SSLv2 is offered");
            Assert.Contains("protocol support 50", Grade(ssl2).Reasons[0]); // worst protocol SSLv2: 0 points
        }

        [Fact]
        public void NoTls12IsCappedAtCButATls13OnlyServerIsNot()
        {
            var old = Good();
            old.TlsVersions.Clear();
            old.TlsVersions.Add(TlsVersion.Tls10);
            old.CipherSuites.Clear();
            old.CipherSuites.Add(Suite(TlsVersion.Tls10, "ECDHE-ECDSA-AES128-SHA"));
            AssertCapped(old, "C", "TLS 1.2 or TLS 1.3 are not offered");
            Assert.Contains(Grade(old).Reasons, x => x.Contains("Vulnerable to BEAST"));

            var skip12 = Good();
            skip12.TlsVersions.Remove(TlsVersion.Tls12);
            skip12.TlsVersions.Insert(0, TlsVersion.Tls11);
            AssertCapped(skip12, "C", "TLS 1.2 is not offered");

            var tls13Only = Good();
            tls13Only.TlsVersions.Remove(TlsVersion.Tls12);
            tls13Only.CipherSuites.RemoveAll(s => s.TlsVersion == TlsVersion.Tls12);
            Assert.Equal("A+", Grade(tls13Only).Grade);
        }

        [Fact]
        public void CipherCaps()
        {
            var export = Good();
            export.CipherSuites.Add(Suite(TlsVersion.Tls12, "TLS_RSA_EXPORT_WITH_RC4_40_MD5"));
            AssertCapped(export, "F", "Export suite offered");
            AssertCapped(export, "F", "weaker than 112 bits");

            var nullSuite = Good();
            nullSuite.CipherSuites.Add(Suite(TlsVersion.Tls12, "TLS_ECDHE_ECDSA_WITH_NULL_SHA"));
            AssertCapped(nullSuite, "F", "Using cipher suites weaker than 112 bits (TLS_ECDHE_ECDSA_WITH_NULL_SHA)");

            var rc4 = Good();
            rc4.CipherSuites.Add(Suite(TlsVersion.Tls12, "TLS_ECDHE_ECDSA_WITH_RC4_128_SHA"));
            AssertCapped(rc4, "B", "RC4 ciphers offered");
            rc4.TlsVersions.Insert(0, TlsVersion.Tls11);
            rc4.CipherSuites.Add(Suite(TlsVersion.Tls11, "TLS_ECDHE_ECDSA_WITH_RC4_128_SHA"));
            AssertCapped(rc4, "C", "RC4 ciphers offered on TLS 1.1");

            var sweet32 = Good();
            sweet32.TlsVersions.Insert(0, TlsVersion.Tls11);
            sweet32.CipherSuites.Add(Suite(TlsVersion.Tls11, "TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA"));
            AssertCapped(sweet32, "C", "64 bit block ciphers with TLS 1.1");
            var sweet32On12 = Good();
            sweet32On12.CipherSuites.Add(Suite(TlsVersion.Tls12, "TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA"));
            Assert.DoesNotContain(Grade(sweet32On12).Reasons, x => x.Contains("SWEET32")); // testssl caps only with TLS 1.1
            Assert.Contains("cipher strength 60", Grade(sweet32On12).Reasons[0]); // worst 112 bits: 20 points

            var noFs = Good(KeyAlgorithm.Rsa2048);
            noFs.TlsVersions.Remove(TlsVersion.Tls13);
            noFs.CipherSuites.Clear();
            noFs.CipherSuites.Add(Suite(TlsVersion.Tls12, "TLS_RSA_WITH_AES_128_GCM_SHA256"));
            AssertCapped(noFs, "B", "Forward Secrecy (FS) is not supported");

            var noAead = Good();
            noAead.TlsVersions.Remove(TlsVersion.Tls13);
            noAead.CipherSuites.Clear();
            noAead.CipherSuites.Add(Suite(TlsVersion.Tls12, "ECDHE-ECDSA-AES128-SHA256"));
            AssertCapped(noAead, "B", "No AEAD ciphers offered");
        }

        [Fact]
        public void KeyExchangeCaps()
        {
            var dh1024 = Good();
            dh1024.DhParameterBits = 1024;
            AssertCapped(dh1024, "B", "weak public key and/or ephemeral key (key exchange score 80)");

            var dh512 = Good();
            dh512.DhParameterBits = 512;
            AssertCapped(dh512, "F", "insecure public key and/or ephemeral key (key exchange score 40)");

            var group = Good();
            group.PreferredNamedGroup = "secp192r1";
            Assert.Contains("key exchange 90", Grade(group).Reasons[0]);
            var accepted = Good();
            accepted.NamedGroups.Add(Group(TlsVersion.Tls12, "secp160r1")); // accepted, not preferred: the client's choice
            Assert.Contains("key exchange 100", Grade(accepted).Reasons[0]);
        }

        [Fact]
        public void AWeakRsaCertificateKeyCapsAtB()
        {
            var pair = RawPki.Rsa(1024);
            var leaf = RawPki.Raw("CN=www.example.test", null, pair.Public, pair.Private, "SHA256WithRSA", false, "www.example.test");
            var r = Good(KeyAlgorithm.Rsa2048);
            r.CertificateChains.Add(Chain(leaf));
            AssertCapped(r, "B", "weak public key");
        }

        [Fact]
        public void CertificateCaps()
        {
            var mismatch = Good();
            mismatch.CertificateChains[0] = Chain(Leaf(KeyAlgorithm.EcdsaP256), ValidationCheck.HostnameMismatch);
            AssertCapped(mismatch, "M", "Domain name mismatch");

            var untrusted = Good();
            untrusted.CertificateChains[0] = Chain(Leaf(KeyAlgorithm.EcdsaP256), ValidationCheck.UntrustedRoot);
            AssertCapped(untrusted, "T", "Untrusted certificate chain");

            var expired = Good();
            expired.CertificateChains[0] = Chain(Leaf(KeyAlgorithm.EcdsaP256), ValidationCheck.Expired);
            AssertCapped(expired, "T", "Certificate expired");

            var both = Good();
            both.CertificateChains[0] = Chain(Leaf(KeyAlgorithm.EcdsaP256), ValidationCheck.HostnameMismatch, ValidationCheck.SelfSigned);
            AssertCapped(both, "T", "Self-signed certificate");
            Assert.Contains(Grade(both).Reasons, x => x.Contains("Grade capped to M"));

            var incomplete = Good();
            incomplete.CertificateChains[0] = Chain(Leaf(KeyAlgorithm.EcdsaP256), ValidationCheck.MissingIssuer);
            AssertCapped(incomplete, "B", "chain incomplete");

            // A second chain is judged too: a dual-certificate server with one bad chain is capped.
            var dual = Good();
            dual.CertificateChains.Add(Chain(Leaf(KeyAlgorithm.Rsa2048), ValidationCheck.Expired));
            AssertCapped(dual, "T", "Certificate expired (Rsa2048 chain");
        }

        [Fact]
        public void Sha1AndMd5Signatures()
        {
            var pair = RawPki.Rsa(2048);
            var sha1 = Good(KeyAlgorithm.Rsa2048);
            sha1.CertificateChains[0] = Chain(RawPki.Raw("CN=www.example.test", null, pair.Public, pair.Private, "SHA1WithRSA", false, "www.example.test"));
            AssertCapped(sha1, "T", "Uses SHA1 algorithm");

            var md5 = Good(KeyAlgorithm.Rsa2048);
            md5.CertificateChains[0] = Chain(RawPki.Raw("CN=www.example.test", null, pair.Public, pair.Private, "MD5WithRSA", false, "www.example.test"));
            AssertCapped(md5, "F", "insecure signature (md5WithRSAEncryption)");
        }

        [Fact]
        public void FindingCapsAndWhatCouldNotBeApplied()
        {
            foreach (var (id, grade, reason) in new[] { (FindingIds.Heartbleed, "F", "Vulnerable to Heartbleed"),
                         (FindingIds.CcsInjection, "F", "Vulnerable to CCS injection"), (FindingIds.Crime, "C", "Vulnerable to CRIME") })
            {
                var r = Good();
                r.PassedChecks.Remove(id);
                r.Findings.Add(new Finding { Id = id, Severity = FindingSeverity.High, Title = reason });
                AssertCapped(r, grade, reason);

                var untested = Good();
                untested.PassedChecks.Remove(id);
                untested.Findings.Add(new Finding { Id = id, Tested = false, Evidence = { "the server closed the connection" } });
                var (g, reasons) = Grade(untested);
                Assert.Equal("A+", g);
                Assert.Contains(reasons, x => x.StartsWith(id + " could not be tested (the server closed the connection)"));
            }

            var none = Good();
            none.PassedChecks.Clear();
            Assert.Contains(Grade(none).Reasons, x => x.StartsWith("No findings on the report"));
        }

        [Fact]
        public void StartTlsIsCappedAtTAsTestsslDoes()
        {
            var r = Good();
            r.Target = TlsTools.Net.TlsTarget.Create("mail.example.test", 25, null, TlsTools.Net.StartTlsProtocol.Smtp);
            AssertCapped(r, "T", "STARTTLS (Smtp) is prone to MITM downgrade attacks");
        }

        [Fact]
        public void ScoreWithoutCapsGivesTheLetter()
        {
            // TLS 1.2 only, AES-128 only, RSA 2048: 30 + 27 + 32 = 89 → A, with the TLS 1.3 warning → A-.
            var r = Good(KeyAlgorithm.Rsa2048);
            r.TlsVersions.Remove(TlsVersion.Tls13);
            r.CipherSuites.Clear();
            r.CipherSuites.Add(Suite(TlsVersion.Tls12, "ECDHE-RSA-AES128-GCM-SHA256"));
            var (g, reasons) = Grade(r);
            Assert.Equal("A-", g);
            Assert.Contains("final score 89", reasons[0]);
        }

        [Fact]
        public void NoVersionsNoGradeAndApplySetsTheReport()
        {
            var r = new ServerProfileReport { HostName = "x", Port = 443 };
            Grading.Apply(r);
            Assert.Null(r.Grade);
            Assert.Contains("Not graded", Assert.Single(r.GradeReasons));

            var good = Good();
            Grading.Apply(good);
            Assert.Equal("A+", good.Grade);
            Assert.NotEmpty(good.GradeReasons);
        }
    }
}
