using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using TlsTools.Tls;
using TlsTools.Validation;

namespace TlsTools.Scanning
{
    /// <summary>
    /// The letter grade of a report after Qualys SSL Labs' SSL Server Rating Guide (protocol support 30 %, key exchange 30 %,
    /// cipher strength 40 %, then its caps), with the rules as testssl.sh 3.2 implements them (function names cited below; the
    /// Debian package on the test machines is testssl.sh 3.0.8, which has no rating at all). Every cap that applies is one entry in
    /// <see cref="ServerProfileReport.GradeReasons"/>, as is every rule that could not be applied and why.
    /// </summary>
    /// <remarks>
    /// Where this differs from testssl.sh 3.2 (each difference is said in GradeReasons when it matters):
    /// the DHE prime counts in the key-exchange score (testssl calls set_key_str_score "DHE" but that function has no DHE branch,
    /// so the prime is ignored there; the guide counts the weakest key exchange), and so does the group the server prefers
    /// (<see cref="ServerProfileReport.PreferredNamedGroup"/>, the guide's "ephemeral key"); "No AEAD suites" caps at B from the suite list (testssl's check in
    /// sub_cipherlists never matches). Not applied: HSTS (not an HTTP client: A+ is given when nothing else warns, as testssl
    /// does for a server that sends no HSTS header; SSL Labs requires HSTS for A+), HPKP, ROBOT, Ticketbleed, RSA exponent 1,
    /// and SSL Labs' rules testssl does not implement either (insecure renegotiation caps, 0-RTT, client-initiated
    /// renegotiation DoS).
    /// </remarks>
    public static class Grading
    {
        private static readonly string[] Letters = { "A", "B", "C", "D", "E", "F" };

        /// <summary>Grades the report: sets <see cref="ServerProfileReport.Grade"/> and <see cref="ServerProfileReport.GradeReasons"/>.</summary>
        /// <exception cref="ArgumentNullException"><paramref name="report"/> is null.</exception>
        public static void Apply(ServerProfileReport report)
        {
            if (report == null) throw new ArgumentNullException(nameof(report));
            var (grade, reasons) = Compute(report);
            report.Grade = grade;
            report.GradeReasons = reasons;
        }

        /// <summary>The grade (null when the server could not be graded) and its reasons, without changing the report.</summary>
        public static (string? Grade, List<string> Reasons) Compute(ServerProfileReport report)
        {
            if (report == null) throw new ArgumentNullException(nameof(report));
            var g = new GradeState();
            if (report.TlsVersions.Count == 0 && !Found(report, FindingIds.SSLv2))
            {
                g.Notes.Add("Not graded: the server accepted no SSL/TLS version.");
                return (null, g.Notes);
            }
            var suites = report.CipherSuites.Select(s => (Entry: s, Info: TlsRegistry.CipherSuites.Find(s.Code))).ToList();

            ProtocolCaps(report, suites, g);
            CipherCaps(report, suites, g);
            CertificateCaps(report, g);
            FindingCaps(report, g);
            // run_rating: STARTTLS is capped at T ("prone to MITM downgrade attacks").
            if (report.StartTls != Net.StartTlsProtocol.None)
                g.Cap("T", "STARTTLS (" + report.StartTls + ") is prone to MITM downgrade attacks (testssl.sh rule; SSL Labs does not grade STARTTLS)");

            // run_rating, category 1: best and worst protocol.
            bool ssl2 = Found(report, FindingIds.SSLv2);
            var v = report.TlsVersions;
            int best = v.Contains(TlsVersion.Tls13) || v.Contains(TlsVersion.Tls12) ? 100 : v.Contains(TlsVersion.Tls11) ? 95
                : v.Contains(TlsVersion.Tls10) ? 90 : v.Contains(TlsVersion.Ssl30) ? 80 : 0;
            if (best == 80) g.Cap("F", "SSLv3 is the best protocol offered");
            int worst = ssl2 ? 0 : v.Contains(TlsVersion.Ssl30) ? 80 : v.Contains(TlsVersion.Tls10) ? 90 : v.Contains(TlsVersion.Tls11) ? 95 : 100;
            int c1 = (best + worst) / 2;

            // Category 2: key exchange (set_key_str_score per certificate key, the DHE prime, the server's preferred group).
            int c2 = KeyExchangeScore(report, g);
            if (c2 <= 40) g.Cap("F", "Using an insecure public key and/or ephemeral key (key exchange score " + c2 + ")");
            else if (c2 <= 80) g.Cap("B", "Using a weak public key and/or ephemeral key (key exchange score " + c2 + ")");

            // Category 3: cipher strength, best and worst suite (set_ciph_str_score).
            var sizes = suites.Select(s => s.Entry.KeySize).ToList();
            int bestBits = sizes.Count == 0 ? 0 : sizes.Max(), worstBits = sizes.Count == 0 ? 0 : sizes.Min();
            int c3Best = bestBits >= 256 ? 100 : bestBits >= 128 ? 80 : 20;
            int c3Worst = worstBits > 0 && worstBits < 128 ? 20 : worstBits >= 128 && worstBits < 256 ? 80 : worstBits >= 256 ? 100 : 0;
            int c3 = (c3Best + c3Worst) / 2;

            int w1 = c1 * 30 / 100, w2 = c2 * 30 / 100, w3 = c3 * 40 / 100;
            int score = c1 == 0 || c2 == 0 || c3 == 0 ? 0 : w1 + w2 + w3;
            var reasons = new List<string>
            {
                "Scores (SSL Labs rating guide, as testssl.sh 3.2 run_rating computes them): protocol support " + c1 + " (" + w1 + "), key exchange "
                + c2 + " (" + w2 + "), cipher strength " + c3 + " (" + w3 + "), final score " + score + ".",
            };
            string preCap = score >= 80 ? "A" : score >= 65 ? "B" : score >= 50 ? "C" : score >= 35 ? "D" : score >= 20 ? "E" : "F";
            string? cap = g.EffectiveCap;
            string grade;
            if (cap == "T" || cap == "M" || cap == "F") grade = cap; // run_rating: no point in a score under these caps
            else if (cap != null && string.CompareOrdinal(preCap, cap) <= 0) grade = cap;
            else if (cap == null && preCap == "A") grade = g.Warnings.Count == 0 ? "A+" : "A-";
            else grade = preCap;

            reasons.AddRange(g.Caps.OrderBy(c => Rank(c.Grade)).ThenBy(c => c.Reason, StringComparer.Ordinal).Select(c => "Grade capped to " + c.Grade + ". " + c.Reason + "."));
            reasons.AddRange(g.Warnings.Select(w => "Grade warning (A- instead of A+): " + w + "."));
            if (grade == "A+")
                reasons.Add("A+: no cap and no warning. HSTS is not checked (not an HTTP client): as testssl.sh does for a server that sends no HSTS header, A+ is given without it; SSL Labs requires HSTS for A+.");
            reasons.AddRange(g.Notes);
            return (grade, reasons);
        }

        private static void ProtocolCaps(ServerProfileReport r, List<(CipherSuiteEntry Entry, CipherSuiteInfo? Info)> suites, GradeState g)
        {
            var v = r.TlsVersions;
            // run_protocols.
            if (Found(r, FindingIds.SSLv2)) g.Cap("F", "SSLv2 is offered");
            if (v.Contains(TlsVersion.Ssl30)) g.Cap("B", "SSLv3 is offered");
            if (v.Contains(TlsVersion.Tls10)) g.Cap("B", "TLS 1.0 offered");
            if (v.Contains(TlsVersion.Tls11)) g.Cap("B", "TLS 1.1 offered");
            if (!v.Contains(TlsVersion.Tls12))
            {
                if (!v.Contains(TlsVersion.Tls13)) g.Cap("C", "TLS 1.2 or TLS 1.3 are not offered");
                else if (v.Any(x => x < TlsVersion.Tls12)) g.Cap("C", "TLS 1.2 is not offered");
            }
            if (!v.Contains(TlsVersion.Tls13)) g.Warnings.Add("TLS 1.3 is not supported");
            // run_renego: a warning, not a cap.
            if (r.SecureRenegotiation == false && v.Any(x => x != TlsVersion.Tls13)) g.Warnings.Add("Secure renegotiation is not supported");
            // run_ssl_poodle: SSLv3 with a CBC suite.
            var poodle = suites.Where(s => s.Entry.TlsVersion == TlsVersion.Ssl30 && IsCbc(s.Info)).Select(s => s.Entry.Name).ToList();
            if (poodle.Count > 0) g.Cap("C", "Vulnerable to POODLE (SSLv3 with " + First(poodle) + ")");
            // run_beast: CBC in TLS 1.0 (or SSLv3) and no higher protocol as mitigation.
            bool beastCbc = suites.Any(s => (s.Entry.TlsVersion == TlsVersion.Tls10 || s.Entry.TlsVersion == TlsVersion.Ssl30) && IsCbc(s.Info));
            if (beastCbc && !v.Any(x => x > TlsVersion.Tls10)) g.Cap("B", "Vulnerable to BEAST (CBC suites with TLS 1.0 and no higher protocol)");
        }

        private static void CipherCaps(ServerProfileReport r, List<(CipherSuiteEntry Entry, CipherSuiteInfo? Info)> suites, GradeState g)
        {
            if (suites.Count == 0)
            {
                g.Notes.Add("No cipher suite was found: the cipher caps were not applied.");
                return;
            }
            // set_ciph_str_score: any suite under 112 bits (NULL counts as 0).
            var weak = suites.Where(s => s.Entry.KeySize < 112).Select(s => s.Entry.Name).Distinct().ToList();
            if (weak.Count > 0) g.Cap("F", "Using cipher suites weaker than 112 bits (" + First(weak) + ")");
            // run_cipherlists / run_freak: export suites.
            var export = suites.Where(s => s.Info?.Export == true).Select(s => s.Entry.Name).Distinct().ToList();
            if (export.Count > 0) g.Cap("F", "Export suite offered (" + First(export) + ")");
            // run_rc4.
            var rc4 = suites.Where(s => s.Entry.Encryption.StartsWith("RC4", StringComparison.Ordinal)).ToList();
            if (rc4.Count > 0) g.Cap("B", "RC4 ciphers offered (" + First(rc4.Select(s => s.Entry.Name).Distinct().ToList()) + ")");
            if (rc4.Any(s => s.Entry.TlsVersion == TlsVersion.Tls11)) g.Cap("C", "RC4 ciphers offered on TLS 1.1");
            // run_sweet32: 64-bit block ciphers with TLS 1.1.
            if (suites.Any(s => s.Entry.TlsVersion == TlsVersion.Tls11 && Is64BitBlock(s.Entry.Encryption)))
                g.Cap("C", "Uses 64 bit block ciphers with TLS 1.1 (vulnerable to SWEET32)");
            // run_fs: no forward secrecy at all (TLS 1.3 suites always have it).
            if (!suites.Any(s => s.Entry.TlsVersion == TlsVersion.Tls13 || s.Entry.KeyExchange == "ECDHE" || s.Entry.KeyExchange == "DHE"))
                g.Cap("B", "Forward Secrecy (FS) is not supported");
            // The guide's "no AEAD suite" cap (testssl.sh 3.2 sub_cipherlists means it).
            if (!suites.Any(s => s.Entry.TlsVersion == TlsVersion.Tls13 || s.Entry.Mac == "AEAD"))
                g.Cap("B", "No AEAD ciphers offered");
        }

        private static void CertificateCaps(ServerProfileReport r, GradeState g)
        {
            if (r.CertificateChains.Count == 0)
            {
                g.Notes.Add("No certificate chain was read: the certificate caps (T, M) and the certificate key's score were not applied.");
                return;
            }
            foreach (var chain in r.CertificateChains)
            {
                string who = (chain.KeyAlgorithm ?? "unreadable") + " chain " + (chain.Subject ?? "");
                var checks = chain.ValidationFailures.Select(f => f.Check).Concat(chain.ValidationWarnings.Select(w => w.Check)).ToList();
                // certificate_info / determine_trust.
                if (checks.Contains(ValidationCheck.HostnameMismatch) || checks.Contains(ValidationCheck.IpMismatch))
                    g.Cap("M", "Domain name mismatch (" + who.Trim() + ", validated for " + chain.ValidatedFor + ")");
                if (checks.Contains(ValidationCheck.Expired)) g.Cap("T", "Certificate expired (" + who.Trim() + ")");
                if (checks.Contains(ValidationCheck.NotYetValid)) g.Cap("T", "Certificate not yet valid (" + who.Trim() + ")");
                if (checks.Contains(ValidationCheck.Revoked)) g.Cap("T", "Certificate revoked (" + who.Trim() + ")");
                if (checks.Contains(ValidationCheck.SelfSigned)) g.Cap("T", "Self-signed certificate (" + who.Trim() + ")");
                if (checks.Contains(ValidationCheck.UntrustedRoot)) g.Cap("T", "Untrusted certificate chain (" + who.Trim() + ")");
                if (checks.Contains(ValidationCheck.MissingIssuer) || checks.Contains(ValidationCheck.IncompleteChain))
                    g.Cap("B", "Issues with chain of trust: chain incomplete (" + who.Trim() + ")");
                var other = chain.ValidationFailures.Select(f => f.Check).Where(c => !TrustChecks.Contains(c)).Distinct().ToList();
                if (other.Count > 0) g.Cap("T", "Issues with chain of trust: " + string.Join(", ", other) + " (" + who.Trim() + ")");
                var leaf = chain.Certificates.FirstOrDefault();
                if (leaf != null)
                {
                    var sig = leaf.SignatureAlgorithm;
                    if (sig.StartsWith("md5", StringComparison.OrdinalIgnoreCase) || sig.StartsWith("md2", StringComparison.OrdinalIgnoreCase))
                        g.Cap("F", "Supports a insecure signature (" + sig + ")");
                    else if (sig.IndexOf("SHA1", StringComparison.OrdinalIgnoreCase) >= 0)
                        g.Cap("T", "Uses SHA1 algorithm (" + sig + ")");
                }
            }
        }

        private static readonly string[] TrustChecks =
        {
            ValidationCheck.HostnameMismatch, ValidationCheck.IpMismatch, ValidationCheck.Expired, ValidationCheck.NotYetValid,
            ValidationCheck.Revoked, ValidationCheck.SelfSigned, ValidationCheck.UntrustedRoot, ValidationCheck.MissingIssuer,
            ValidationCheck.IncompleteChain, ValidationCheck.RevocationUnavailable,
        };

        /// <summary>Findings only the probes can see, read by Id (computed by the findings probes).</summary>
        private static void FindingCaps(ServerProfileReport r, GradeState g)
        {
            if (r.Findings.Count == 0 && r.PassedChecks.Count == 0)
            {
                g.Notes.Add("No findings on the report: the caps for Heartbleed, CCS injection, CRIME and SSLv2/DROWN were not applied.");
                return;
            }
            foreach (var (id, grade, reason) in new[]
            {
                (FindingIds.Heartbleed, "F", "Vulnerable to Heartbleed"),       // run_heartbleed
                (FindingIds.CcsInjection, "F", "Vulnerable to CCS injection"), // run_ccs_injection
                (FindingIds.Crime, "C", "Vulnerable to CRIME"),                 // run_crime
            })
            {
                var f = r.Findings.FirstOrDefault(x => x.Id == id);
                if (f == null)
                {
                    if (!r.PassedChecks.Contains(id)) g.Notes.Add(id + " was not checked: its cap (" + grade + ") was not applied.");
                }
                else if (!f.Tested) g.Notes.Add(id + " could not be tested (" + string.Join("; ", f.Evidence) + "): its cap (" + grade + ") was not applied.");
                else g.Cap(grade, reason);
            }
            if (Found(r, FindingIds.SSLv2)) g.Cap("F", "Vulnerable to DROWN (SSLv2 offered)"); // run_drown
            else if (!r.PassedChecks.Contains(FindingIds.SSLv2) && !r.Findings.Any(f => f.Id == FindingIds.SSLv2))
                g.Notes.Add("SSLv2 was not checked: its cap (F) was not applied.");
        }

        /// <summary>set_key_str_score over every leaf key, the DHE prime and the server's preferred group; the lowest score wins.</summary>
        private static int KeyExchangeScore(ServerProfileReport r, GradeState g)
        {
            int score = 100;
            foreach (var chain in r.CertificateChains)
            {
                var leaf = chain.Certificates.FirstOrDefault();
                if (leaf == null) continue;
                string family = KeyFamily.Of(leaf.KeyAlgorithm);
                if (family == KeyFamily.Ecdsa || family == KeyFamily.Ed25519 || family == KeyFamily.Ed448) score = Math.Min(score, EcScore(leaf.KeySize));
                else if (family == KeyFamily.Rsa || family == KeyFamily.Dsa) score = Math.Min(score, FiniteFieldScore(leaf.KeySize));
            }
            if (r.DhParameterBits is int dh) score = Math.Min(score, FiniteFieldScore(dh));
            // The ephemeral group a client gets: the server's own choice when it makes one (a group it merely accepts when the
            // client asks for it is the client's choice, as SSL Labs grades the group its handshakes negotiate).
            var preferred = r.PreferredNamedGroup == null ? null : TlsRegistry.NamedGroups.FindByName(r.PreferredNamedGroup);
            if (preferred?.Kind == NamedGroupKind.EllipticCurve) score = Math.Min(score, EcScore(preferred.SecurityBits * 2));
            else if (preferred?.Kind == NamedGroupKind.FiniteField) score = Math.Min(score, FiniteFieldScore(preferred.KeyShareLength * 8));
            return score;
        }

        private static int EcScore(int bits) => bits < 110 ? 20 : bits < 123 ? 40 : bits < 163 ? 80 : bits < 225 ? 90 : 100;

        private static int FiniteFieldScore(int bits) => bits < 512 ? 20 : bits < 1024 ? 40 : bits < 2048 ? 80 : bits < 4096 ? 90 : 100;

        private static bool Found(ServerProfileReport r, string id) => r.Findings.Any(f => f.Id == id && f.Tested);

        private static bool IsCbc(CipherSuiteInfo? info) => info != null && info.IsCbc;

        private static bool Is64BitBlock(string encryption) =>
            encryption.StartsWith("3DES", StringComparison.Ordinal) || encryption.StartsWith("DES", StringComparison.Ordinal)
            || encryption.StartsWith("IDEA", StringComparison.Ordinal) || encryption.StartsWith("RC2", StringComparison.Ordinal);

        private static string First(List<string> names) =>
            names[0] + (names.Count > 1 ? " and " + names.Count.ToString(CultureInfo.InvariantCulture) + " more" : "");

        private static int Rank(string grade) => grade == "T" ? -2 : grade == "M" ? -1 : Array.IndexOf(Letters, grade);

        private sealed class GradeState
        {
            public List<(string Grade, string Reason)> Caps { get; } = new List<(string, string)>();
            public List<string> Warnings { get; } = new List<string>();
            public List<string> Notes { get; } = new List<string>();

            /// <summary>set_grade_cap: T or M always win (T over M: testssl's trust checks run after its name check); otherwise
            /// the lowest letter.</summary>
            public void Cap(string grade, string reason)
            {
                if (!Caps.Contains((grade, reason))) Caps.Add((grade, reason));
            }

            public string? EffectiveCap =>
                Caps.Any(c => c.Grade == "T") ? "T" : Caps.Any(c => c.Grade == "M") ? "M"
                : Caps.Count == 0 ? null : Caps.Select(c => c.Grade).OrderByDescending(x => x, StringComparer.Ordinal).First();
        }
    }
}
