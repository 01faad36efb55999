using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using TlsTools.Tls;
using TlsTools.Validation;

namespace TlsTools.Scanning
{
    /// <summary>
    /// Judges a server report: every check of <see cref="FindingIds"/> becomes a <see cref="Finding"/> (something wrong, or a
    /// check that could not be made: Tested false) or a passed check (its Id in <see cref="ServerProfileReport.PassedChecks"/>).
    /// The protocol, suite, renegotiation, fallback and certificate checks read the report; SSL 2.0, compression, DHE primes,
    /// Heartbleed, CCS injection and client-initiated renegotiation are probed (<see cref="VulnerabilityProbes"/>).
    /// </summary>
    public static class FindingsAssessor
    {
        /// <summary>Days before expiry from which a certificate counts as expiring.</summary>
        public const int ExpiringDays = 30;

        /// <summary>Runs the active probes and fills <see cref="ServerProfileReport.Findings"/>, <see cref="ServerProfileReport.PassedChecks"/>
        /// and <see cref="ServerProfileReport.DhParameterBits"/>. Every probe is bounded by the scan's timeout and the token.</summary>
        /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
        public static async Task AssessAsync(ServerProfileReport report, ScanOptions options, IProgress<ScanProgress>? progress = null,
            CancellationToken cancellationToken = default)
        {
            if (report == null) throw new ArgumentNullException(nameof(report));
            if (options == null) throw new ArgumentNullException(nameof(options));
            var evidence = await VulnerabilityProbes.RunAsync(report, options, progress, cancellationToken).ConfigureAwait(false);
            Assess(report, evidence, DateTime.UtcNow);
        }

        /// <summary>The pure part: the report plus the probes' evidence to findings (xunit tests call it directly).</summary>
        internal static void Assess(ServerProfileReport report, ProbeEvidence probes, DateTime now)
        {
            var c = new Collector();
            bool legacy = report.TlsVersions.Any(v => v != TlsVersion.Tls13);
            string noLegacy = "not tested: the server accepted no SSL 3.0 .. TLS 1.2 ClientHello (TLS 1.3 only)";

            // Versions.
            c.Probed(FindingIds.SSLv2, FindingSeverity.Critical, "SSL 2.0 enabled (DROWN)", "CVE-2016-0800", probes.Ssl2);
            c.Check(FindingIds.SSLv3, FindingSeverity.High, "SSL 3.0 enabled (POODLE)", "CVE-2014-3566", Versions(report, TlsVersion.Ssl30));
            c.Check(FindingIds.TLS10, FindingSeverity.Medium, "TLS 1.0 enabled", null, Versions(report, TlsVersion.Tls10));
            c.Check(FindingIds.TLS11, FindingSeverity.Low, "TLS 1.1 enabled", null, Versions(report, TlsVersion.Tls11));

            // Suites.
            var suites = report.CipherSuites.Where(s => s.TlsVersion != TlsVersion.Tls13).ToList();
            c.Check(FindingIds.RC4, FindingSeverity.High, "RC4 suites enabled", "CVE-2013-2566, CVE-2015-2808",
                Suites(suites, s => s.Encryption.StartsWith("RC4", StringComparison.Ordinal)));
            c.Check(FindingIds.Sweet32, FindingSeverity.Medium, "64-bit block ciphers (SWEET32)", "CVE-2016-2183, CVE-2016-6329",
                Suites(suites, s => IsSixtyFourBitBlock(s.Encryption)));
            var export = suites.Where(s => TlsRegistry.CipherSuites.Find(s.Code)?.Export == true).ToList();
            c.Check(FindingIds.ExportSuites, FindingSeverity.High, "EXPORT suites (FREAK, LOGJAM)",
                ExportCves(export), Suites(export, _ => true));
            c.Check(FindingIds.AnonymousSuites, FindingSeverity.High, "Anonymous suites (no server auth)", null,
                Suites(suites, s => s.Authentication == "anon"));
            c.Check(FindingIds.NullSuites, FindingSeverity.High, "NULL suites (no encryption)", null,
                Suites(suites, s => s.Encryption == "NULL"));
            DhGroups(report, probes, c);
            ForwardSecrecy(report, c);
            c.Check(FindingIds.Beast, FindingSeverity.Low, "CBC with TLS 1.0/SSL 3.0 (BEAST)", "CVE-2011-3389",
                Suites(suites, s => (s.TlsVersion == TlsVersion.Tls10 || s.TlsVersion == TlsVersion.Ssl30) && TlsRegistry.CipherSuites.Find(s.Code)?.IsCbc == true));

            // Protocol features and implementation flaws.
            c.Probed(FindingIds.Crime, FindingSeverity.High, "TLS compression (CRIME)", "CVE-2012-4929", probes.Compression);
            bool tls13Only = !legacy && report.TlsVersions.Count > 0;
            // TLS 1.3 has no renegotiation at all (RFC 8446 4.1.2): a TLS 1.3-only server cannot renegotiate insecurely.
            if (tls13Only) c.Check(FindingIds.NoSecureRenegotiation, FindingSeverity.Medium, "No secure renegotiation (RFC 5746)", "CVE-2009-3555", null);
            else if (report.SecureRenegotiation == null) c.Untested(FindingIds.NoSecureRenegotiation, FindingSeverity.Medium, "No secure renegotiation (RFC 5746)", "CVE-2009-3555",
                legacy ? "not determined: no TLS <= 1.2 ServerHello was read" : noLegacy);
            else c.Check(FindingIds.NoSecureRenegotiation, FindingSeverity.Medium, "No secure renegotiation (RFC 5746)", "CVE-2009-3555",
                report.SecureRenegotiation == false ? new List<string> { "the ServerHello carries no renegotiation_info extension" } : null);
            // TLS 1.3 has no renegotiation at all (RFC 8446 4.1.2: a ClientHello after the handshake is an unexpected_message):
            // a TLS 1.3-only server passes by the protocol, as testssl passes it.
            if (legacy) c.Probed(FindingIds.ClientRenegotiation, FindingSeverity.Medium, "Client-initiated renegotiation", "CVE-2011-1473", probes.ClientRenegotiation);
            else if (report.TlsVersions.Count > 0) c.Passed.Add(FindingIds.ClientRenegotiation);
            else c.Untested(FindingIds.ClientRenegotiation, FindingSeverity.Medium, "Client-initiated renegotiation", "CVE-2011-1473", "not tested: no version was accepted");
            // One version accepted (the version probes tried every other): there is no lower version to be downgraded to.
            if (report.TlsVersions.Count == 1) c.Check(FindingIds.NoFallbackScsv, FindingSeverity.Medium, "No TLS_FALLBACK_SCSV (downgrade)", null, null);
            else if (report.FallbackScsv == null) c.Untested(FindingIds.NoFallbackScsv, FindingSeverity.Medium, "No TLS_FALLBACK_SCSV (downgrade)", null,
                report.TlsVersions.Count == 0 ? "not tested: the server accepted no version"
                : "not determined: the fallback probe got neither an inappropriate_fallback alert nor a ServerHello");
            else c.Check(FindingIds.NoFallbackScsv, FindingSeverity.Medium, "No TLS_FALLBACK_SCSV (downgrade)", null,
                report.FallbackScsv == false ? new List<string> { "a ClientHello for a lower version marked TLS_FALLBACK_SCSV was answered with a ServerHello, not inappropriate_fallback" } : null);
            c.Probed(FindingIds.Heartbleed, FindingSeverity.Critical, "Heartbleed", "CVE-2014-0160", probes.Heartbleed);
            c.Probed(FindingIds.CcsInjection, FindingSeverity.High, "OpenSSL CCS injection", "CVE-2014-0224", probes.CcsInjection);

            Certificates(report, now, c);
            if (report.OcspStapling == null) c.Untested(FindingIds.NoOcspStapling, FindingSeverity.Low, "No OCSP stapling", null,
                legacy ? "not determined: no TLS <= 1.2 certificate flight was read" : noLegacy);
            else c.Check(FindingIds.NoOcspStapling, FindingSeverity.Low, "No OCSP stapling", null,
                report.OcspStapling == false ? new List<string> { "no successful OCSP response was stapled (status_request was sent)" } : null);

            report.Findings = c.Findings.OrderByDescending(f => f.Tested).ThenByDescending(f => f.Severity).ToList();
            report.PassedChecks = c.Passed;
        }

        private static bool IsSixtyFourBitBlock(string encryption) =>
            encryption.StartsWith("3DES", StringComparison.Ordinal) || encryption.StartsWith("DES", StringComparison.Ordinal)
            || encryption.StartsWith("IDEA", StringComparison.Ordinal) || encryption.StartsWith("RC2", StringComparison.Ordinal);

        private static string? ExportCves(List<CipherSuiteEntry> export)
        {
            var cves = new List<string>();
            if (export.Count == 0 || export.Any(s => s.KeyExchange == "RSA")) cves.Add("CVE-2015-0204");
            if (export.Count == 0 || export.Any(s => s.KeyExchange.StartsWith("DH", StringComparison.Ordinal))) cves.Add("CVE-2015-4000");
            return string.Join(", ", cves);
        }

        private static List<string>? Versions(ServerProfileReport report, TlsVersion v) =>
            report.TlsVersions.Contains(v)
                ? new List<string> { TlsRegistry.Versions.Name(v) + ": " + report.CipherSuites.Count(s => s.TlsVersion == v) + " suite(s) accepted" }
                : null;

        private static List<string>? Suites(IEnumerable<CipherSuiteEntry> suites, Func<CipherSuiteEntry, bool> match)
        {
            var hits = suites.Where(match).Select(s => TlsRegistry.Versions.Name(s.TlsVersion) + " " + s.Name).Distinct().ToList();
            return hits.Count > 0 ? hits : null;
        }

        private static void DhGroups(ServerProfileReport report, ProbeEvidence probes, Collector c)
        {
            const string title = "DH prime under 2048 bits (LOGJAM)";
            if (probes.DhPrimes.Count > 0) report.DhParameterBits = probes.DhPrimes.Min(p => p.Bits);
            bool dhe = report.CipherSuites.Any(s => s.TlsVersion != TlsVersion.Tls13 && s.KeyExchange == "DHE");
            if (dhe && probes.DhPrimes.Count == 0)
            {
                c.Untested(FindingIds.WeakDhGroup, FindingSeverity.Medium, title, "CVE-2015-4000", probes.DhUntested ?? "not determined: no DHE ServerKeyExchange was read");
                return;
            }
            var weak = probes.DhPrimes.Where(p => p.Bits < 2048).ToList();
            var severity = weak.Any(p => p.Bits < 1024) ? FindingSeverity.High : FindingSeverity.Medium;
            c.Check(FindingIds.WeakDhGroup, severity, title, "CVE-2015-4000",
                weak.Count > 0 ? weak.Select(p => p.Where + ": " + p.Bits + "-bit DH prime").ToList() : null);
        }

        private static void ForwardSecrecy(ServerProfileReport report, Collector c)
        {
            const string title = "No forward secrecy";
            if (report.TlsVersions.Count == 0) { c.Untested(FindingIds.NoForwardSecrecy, FindingSeverity.Medium, title, null, "not tested: no version was accepted"); return; }
            if (report.TlsVersions.Contains(TlsVersion.Tls13) && report.TlsVersions.Count == 1) { c.Passed.Add(FindingIds.NoForwardSecrecy); return; }
            bool Fs(CipherSuiteEntry s) => s.TlsVersion == TlsVersion.Tls13 || s.KeyExchange == "ECDHE" || s.KeyExchange == "DHE";
            var evidence = new List<string>();
            var severity = FindingSeverity.Medium;
            foreach (var v in report.TlsVersions.Where(v => v != TlsVersion.Tls13).OrderByDescending(v => v))
            {
                var list = report.CipherSuites.Where(s => s.TlsVersion == v).ToList();
                if (list.Count == 0) continue;
                var name = TlsRegistry.Versions.Name(v);
                if (!list.Any(Fs)) evidence.Add(name + ": no (EC)DHE suite accepted");
                else if (report.CipherPreference.FirstOrDefault(p => p.TlsVersion == v)?.ServerOrder == true && !Fs(list[0]))
                    evidence.Add(name + ": (EC)DHE suites accepted but not preferred: the server's first choice is " + list[0].Name);
            }
            if (evidence.Count > 0 && report.TlsVersions.Contains(TlsVersion.Tls13)) severity = FindingSeverity.Low;
            c.Check(FindingIds.NoForwardSecrecy, severity, title, null, evidence.Count > 0 ? evidence : null);
        }

        private static void Certificates(ServerProfileReport report, DateTime now, Collector c)
        {
            var ids = new[] { FindingIds.CertificateExpired, FindingIds.CertificateExpiring, FindingIds.CertificateNotYetValid, FindingIds.WeakKey,
                FindingIds.WeakSignature, FindingIds.HostnameMismatch, FindingIds.IncompleteChain, FindingIds.UntrustedCertificate };
            var chains = report.CertificateChains.Where(ch => ch.Certificates.Count > 0).ToList();
            if (chains.Count == 0)
            {
                foreach (var id in ids) c.Untested(id, CertificateSeverity(id), CertificateTitle(id), null, "not tested: no certificate chain was read from the server");
                return;
            }
            var found = ids.ToDictionary(id => id, _ => new List<string>());
            foreach (var ch in chains)
            {
                var leaf = ch.Certificates[0];
                var label = (ch.KeyAlgorithm ?? leaf.KeyAlgorithm) + " " + leaf.Subject + ": ";
                bool Has(params string[] checks) => ch.ValidationFailures.Concat(ch.ValidationWarnings).Any(p => checks.Contains(p.Check));
                string Say(params string[] checks) => string.Join("; ", ch.ValidationFailures.Concat(ch.ValidationWarnings).Where(p => checks.Contains(p.Check)).Select(p => p.Message).Distinct());
                if (leaf.NotAfter < now || Has(ValidationCheck.Expired))
                    found[FindingIds.CertificateExpired].Add(label + "expired " + leaf.NotAfter.ToString("yyyy-MM-dd HH:mm") + " UTC");
                else if (leaf.NotAfter < now.AddDays(ExpiringDays))
                    found[FindingIds.CertificateExpiring].Add(label + "expires " + leaf.NotAfter.ToString("yyyy-MM-dd HH:mm") + " UTC (in under " + ExpiringDays + " days)");
                if (leaf.NotBefore > now || Has(ValidationCheck.NotYetValid))
                    found[FindingIds.CertificateNotYetValid].Add(label + "valid from " + leaf.NotBefore.ToString("yyyy-MM-dd HH:mm") + " UTC");
                var alg = leaf.KeyAlgorithm;
                bool weakKey = (alg.StartsWith("Rsa", StringComparison.OrdinalIgnoreCase) && leaf.KeySize > 0 && leaf.KeySize < 2048)
                    || (alg.StartsWith("Ecdsa", StringComparison.OrdinalIgnoreCase) && leaf.KeySize > 0 && leaf.KeySize < 256);
                if (weakKey || Has(ValidationCheck.WeakKey)) found[FindingIds.WeakKey].Add(label + alg + (weakKey ? "" : ": " + Say(ValidationCheck.WeakKey)));
                var weakSig = ch.Certificates.Where(x => x.Subject != x.Issuer && IsWeakSignature(x.SignatureAlgorithm)).ToList();
                foreach (var x in weakSig) found[FindingIds.WeakSignature].Add(label + x.Subject + " is signed with " + x.SignatureAlgorithm);
                if (weakSig.Count == 0 && Has(ValidationCheck.WeakAlgorithm)) found[FindingIds.WeakSignature].Add(label + Say(ValidationCheck.WeakAlgorithm));
                if (Has(ValidationCheck.HostnameMismatch, ValidationCheck.IpMismatch))
                    found[FindingIds.HostnameMismatch].Add(label + Say(ValidationCheck.HostnameMismatch, ValidationCheck.IpMismatch));
                // A missing issuer of the leaf is an incomplete chain (the server did not send its intermediate); a missing issuer
                // of the last intermediate sent is an untrusted root (servers need not send the root).
                var problems = ch.ValidationFailures.Concat(ch.ValidationWarnings).ToList();
                var leafMissing = problems.Where(x => (x.Check == ValidationCheck.MissingIssuer && (x.Subject == null || x.Subject == leaf.Subject))
                    || x.Check == ValidationCheck.IncompleteChain).Select(x => x.Message).Distinct().ToList();
                var untrusted = problems.Where(x => x.Check == ValidationCheck.UntrustedRoot || x.Check == ValidationCheck.SelfSigned || x.Check == ValidationCheck.Signature
                    || (x.Check == ValidationCheck.MissingIssuer && x.Subject != null && x.Subject != leaf.Subject)).Select(x => x.Message).Distinct().ToList();
                if (leafMissing.Count > 0 || ch.CompletedFromAia.Length > 0)
                    found[FindingIds.IncompleteChain].Add(label + (ch.CompletedFromAia.Length > 0 ? "completed from AIA: " + string.Join(", ", ch.CompletedFromAia.Select(a => a.Url))
                        : string.Join("; ", leafMissing)));
                if (untrusted.Count > 0) found[FindingIds.UntrustedCertificate].Add(label + string.Join("; ", untrusted));
            }
            foreach (var id in ids)
                c.Check(id, CertificateSeverity(id), CertificateTitle(id), null, found[id].Count > 0 ? found[id] : null);
        }

        internal static bool IsWeakSignature(string algorithm)
        {
            var a = algorithm.ToUpperInvariant().Replace("-", "");
            return a.Contains("SHA1") || a.Contains("MD5") || a.Contains("MD2");
        }

        private static FindingSeverity CertificateSeverity(string id) =>
            id == FindingIds.CertificateExpiring ? FindingSeverity.Medium
            : id == FindingIds.IncompleteChain ? FindingSeverity.Medium
            : id == FindingIds.CertificateExpired || id == FindingIds.CertificateNotYetValid || id == FindingIds.UntrustedCertificate ? FindingSeverity.Critical
            : FindingSeverity.High;

        private static string CertificateTitle(string id)
        {
            switch (id)
            {
                case FindingIds.CertificateExpired: return "Certificate expired";
                case FindingIds.CertificateExpiring: return "Certificate expires within " + ExpiringDays + " days";
                case FindingIds.CertificateNotYetValid: return "Certificate not yet valid";
                case FindingIds.WeakKey: return "Weak key (RSA < 2048, EC < 256)";
                case FindingIds.WeakSignature: return "Weak signature (SHA-1, MD5)";
                case FindingIds.HostnameMismatch: return "Certificate name mismatch";
                case FindingIds.IncompleteChain: return "Incomplete certificate chain";
                default: return "Certificate not trusted";
            }
        }

        /// <summary>Collects findings and passed checks.</summary>
        private sealed class Collector
        {
            public readonly List<Finding> Findings = new List<Finding>();
            public readonly List<string> Passed = new List<string>();

            /// <summary>A check made: evidence means found, null means passed.</summary>
            public void Check(string id, FindingSeverity severity, string title, string? cve, List<string>? evidence)
            {
                if (evidence == null) Passed.Add(id);
                else Findings.Add(new Finding { Id = id, Severity = severity, Title = title, Cve = cve, Evidence = evidence });
            }

            public void Untested(string id, FindingSeverity severity, string title, string? cve, string why) =>
                Findings.Add(new Finding { Id = id, Severity = severity, Title = title, Cve = cve, Evidence = new List<string> { why }, Tested = false });

            public void Probed(string id, FindingSeverity severity, string title, string? cve, ProbeVerdict verdict)
            {
                if (verdict.Vulnerable == null) Untested(id, severity, title, cve, "not tested: " + string.Join("; ", verdict.Evidence));
                else Check(id, severity, title, cve, verdict.Vulnerable == true ? verdict.Evidence.ToList() : null);
            }
        }
    }
}
