using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using TlsTools.Formats;
using TlsTools.Pki;
using TlsTools.Validation;
using Xunit;
using Xunit.Abstractions;

namespace TlsTools.Tests.Validation
{
    /// <summary>
    /// Runs the x509-limbo suite (tests/data/x509-limbo) through <see cref="ChainValidator.Validate"/>, the API the
    /// cmdlet uses, and writes tests/out/limbo-results.json in limbo's result format.
    /// </summary>
    [Collection(SaturatesEveryCore.Name)] // keeps both cores busy: alone, so that bounded tests beside it are not starved
    public sealed class LimboTests
    {
        /// <summary>Cases answered SKIPPED, with the reason. Limbo marks each pair below as conflicting: TlsTools follows the web PKI side.</summary>
        internal static readonly Dictionary<string, string> Skipped = new Dictionary<string, string>
        {
            ["rfc5280::nc::permitted-dns-match-noncritical"] =
                "conflicts with webpki::nc::permitted-dns-match-noncritical; TlsTools accepts non-critical nameConstraints as the CA/B Forum allows",
            ["rfc5280::ca-as-leaf"] =
                "conflicts with webpki::ca-as-leaf; TlsTools refuses a CA certificate as a TLS server certificate (CA/B Forum 7.1.2.7.8)",
            ["webpki::eku::ee-without-eku"] =
                "conflicts with rfc5280::eku::ee-without-eku; TlsTools accepts a leaf without extKeyUsage (RFC 5280 4.2.1.12)",
            ["webpki::san::public-suffix-multi-label-wildcard-san"] =
                "needs the Public Suffix List, which TlsTools does not bundle (wildcards over a single label such as *.com are refused)",
            ["webpki::san::public-suffix-private-namespace-wildcard-san"] =
                "needs the Public Suffix List, which TlsTools does not bundle (wildcards over a single label such as *.com are refused)",
            ["rfc5280::aki::cross-signed-root-missing-aki"] =
                "pedantic-rfc5280: TlsTools does not judge the authorityKeyIdentifier of a trust anchor (cve::cve-2024-0567 trusts such an anchor and expects success)",
            ["webpki::cn::not-in-san"] =
                "a common name outside the subjectAltName is indistinguishable from the suite's own valid certificates (CN=example.com or CN=test.localhost beside other SANs, e.g. webpki::san::leftmost-wildcard-san and the BetterTLS cases); TlsTools ignores the common name",
            ["webpki::cn::punycode-not-in-san"] =
                "a common name outside the subjectAltName is indistinguishable from the suite's own valid certificates (CN=example.com or CN=test.localhost beside other SANs); TlsTools ignores the common name",
            ["webpki::eku::root-has-eku"] =
                "pedantic CA/B Forum issuance rule for roots (root extKeyUsage that includes serverAuth); TlsTools only enforces EKU on CA certificates as a constraint",
        };

        /// <summary>
        /// Cases limbo expects to fail that TlsTools accepts on purpose (issue 11): a trust anchor is a name and a key, with its
        /// name constraints, so profile rules it breaks are <see cref="ChainValidationResult.Warnings"/>, not failures. The same
        /// list, with the same reasons, is in Test-CertificateChain's help (module/help/Test-CertificateChain.md; a test below
        /// checks it). Any other case that limbo expects to fail and TlsTools accepts fails the suite.
        /// </summary>
        internal static readonly Dictionary<string, string> AcceptedOnPurpose = new Dictionary<string, string>
        {
            ["rfc5280::ski::root-missing-ski"] =
                "the trust anchor has no subjectKeyIdentifier; Mozilla's store (Debian ca-certificates) ships such roots (TWCA Global Root CA, Hongkong Post Root CA 1) and openssl verify accepts their chains",
            ["rfc5280::root-non-critical-basic-constraints"] =
                "the trust anchor's basicConstraints (cA true) is not marked critical, as in Go Daddy Class 2, Starfield Class 2 and Chunghwa ePKI Root in Mozilla's store; openssl verify accepts it without -x509_strict",
            ["webpki::aki::root-with-aki-all-fields"] =
                "the trust anchor's authorityKeyIdentifier names an issuer and serial number, as Go Daddy Class 2, Starfield Class 2, QuoVadis Root CA 2 and 3 and Certigna in Mozilla's store do; pyca/cryptography relaxed the same rule after its issue 11461",
            ["webpki::aki::root-with-aki-missing-keyidentifier"] =
                "the trust anchor's authorityKeyIdentifier has no keyIdentifier; the authorityKeyIdentifier of an anchor is never used (openssl verify accepts it)",
            ["webpki::aki::root-with-aki-ski-mismatch"] =
                "the trust anchor's authorityKeyIdentifier differs from its subjectKeyIdentifier; the authorityKeyIdentifier of an anchor is never used (openssl verify accepts it)",
        };

        /// <summary>Cases limbo expects to pass that TlsTools refuses, known and accepted as they are.</summary>
        internal static readonly Dictionary<string, string> KnownWronglyRejected = new Dictionary<string, string>
        {
            ["pathlen::validation-ignores-pathlen-in-leaf"] = "TlsTools refuses a CA certificate (cA=TRUE) as a TLS server certificate (CA/B Forum 7.1.2.7.8)",
        };

        private readonly ITestOutputHelper _output;

        public LimboTests(ITestOutputHelper output) => _output = output;

        /// <summary>Long (the whole suite, ~10,000 cases): `build.ps1 test -Fast` skips it; CoreSuite stays in the fast lane.</summary>
        [Fact]
        [Trait("Category", "Long")]
        public void FullSuite()
        {
            var score = Run("limbo.json.gz", "limbo-results.json");
            AssertOnlyKnownFlips(score);
            Assert.True(score.Right >= 9740, "only " + score.Right + " right");
        }

        [Fact]
        public void CoreSuite()
        {
            var score = Run("limbo-core.json", "limbo-core-results.json");
            AssertOnlyKnownFlips(score);
        }

        /// <summary>Wrongly accepted must be exactly <see cref="AcceptedOnPurpose"/> (a listed case that fails again is stale
        /// in the list and the help); wrongly rejected at most <see cref="KnownWronglyRejected"/>.</summary>
        private static void AssertOnlyKnownFlips(Score score)
        {
            var unexpected = score.WronglyAcceptedIds.Where(id => !AcceptedOnPurpose.ContainsKey(id)).ToList();
            Assert.True(unexpected.Count == 0, "wrongly accepted, not on purpose: " + string.Join(", ", unexpected));
            var stale = AcceptedOnPurpose.Keys.Where(id => score.CaseIds.Contains(id) && !score.WronglyAcceptedIds.Contains(id)).ToList();
            Assert.True(stale.Count == 0, "listed as accepted on purpose, but not accepted: " + string.Join(", ", stale));
            var rejected = score.WronglyRejectedIds.Select(r => r.Substring(0, r.IndexOf(' ') < 0 ? r.Length : r.IndexOf(' ')))
                .Where(id => !KnownWronglyRejected.ContainsKey(id)).ToList();
            Assert.True(rejected.Count == 0, "wrongly rejected, not known: " + string.Join(", ", rejected));
        }

        [Fact]
        public void AcceptedOnPurpose_IsListedInTheHelp_WithItsReason()
        {
            string help = File.ReadAllText(Path.Combine(RepositoryRoot(), "module", "help", "Test-CertificateChain.md"));
            foreach (var entry in AcceptedOnPurpose)
            {
                int at = help.IndexOf("`" + entry.Key + "`", StringComparison.Ordinal);
                Assert.True(at >= 0, entry.Key + " is accepted on purpose but Test-CertificateChain's help does not list it");
                int end = help.IndexOf('\n', at);
                string line = end < 0 ? help.Substring(at) : help.Substring(at, end - at);
                Assert.True(line.Contains(entry.Value), "the help gives another reason for " + entry.Key + ": " + line);
            }
        }

        internal sealed class Score
        {
            public int Right, WronglyAccepted, WronglyRejected, SkippedCount;
            public List<string> WronglyAcceptedIds = new List<string>();
            public List<string> WronglyRejectedIds = new List<string>();
            public HashSet<string> CaseIds = new HashSet<string>(StringComparer.Ordinal);
        }

        private Score Run(string file, string resultFile)
        {
            string root = RepositoryRoot();
            string path = Path.Combine(root, "tests", "data", "x509-limbo", file);
            JsonDocument doc;
            using (var stream = File.OpenRead(path))
            using (var input = file.EndsWith(".gz", StringComparison.Ordinal) ? new GZipStream(stream, CompressionMode.Decompress) : (Stream)stream)
                doc = JsonDocument.Parse(input);
            var cases = doc.RootElement.GetProperty("testcases").EnumerateArray().ToList();

            var results = new ConcurrentDictionary<int, (string Id, string Expected, string Actual, string Context, double Ms)>();
            var watch = Stopwatch.StartNew();
            Parallel.For(0, cases.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
            {
                var t = cases[i];
                string id = t.GetProperty("id").GetString()!;
                string expected = t.GetProperty("expected_result").GetString()!;
                var sw = Stopwatch.StartNew();
                var (actual, context) = RunCase(t, id);
                results[i] = (id, expected, actual, context, sw.Elapsed.TotalMilliseconds);
            });
            watch.Stop();

            var score = new Score();
            var json = new StringBuilder();
            using (var ms = new MemoryStream())
            {
                using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true }))
                {
                    w.WriteStartObject();
                    w.WriteNumber("version", 1);
                    w.WriteString("harness", "tlstools");
                    w.WriteStartArray("results");
                    for (int i = 0; i < cases.Count; i++)
                    {
                        var r = results[i];
                        score.CaseIds.Add(r.Id);
                        w.WriteStartObject();
                        w.WriteString("id", r.Id);
                        w.WriteString("actual_result", r.Actual);
                        w.WriteString("context", r.Context);
                        w.WriteEndObject();
                        if (r.Actual == "SKIPPED") score.SkippedCount++;
                        else if (r.Actual == r.Expected) score.Right++;
                        else if (r.Actual == "SUCCESS") { score.WronglyAccepted++; score.WronglyAcceptedIds.Add(r.Id); }
                        else { score.WronglyRejected++; score.WronglyRejectedIds.Add(r.Id + " [" + r.Context + "]"); }
                    }
                    w.WriteEndArray();
                    w.WriteEndObject();
                }
                var outDir = Path.Combine(root, "tests", "out");
                Directory.CreateDirectory(outDir);
                File.WriteAllBytes(Path.Combine(outDir, resultFile), ms.ToArray());
            }

            var slowest = results.Values.OrderByDescending(r => r.Ms).Take(3).Select(r => r.Id + " " + r.Ms.ToString("F0") + " ms");
            var summary = new StringBuilder();
            summary.AppendLine("x509-limbo " + file + ": " + cases.Count + " cases in " + watch.Elapsed.TotalSeconds.ToString("F1") + " s");
            summary.AppendLine("right " + score.Right + ", wrongly accepted " + score.WronglyAccepted + ", wrongly rejected " + score.WronglyRejected + ", skipped " + score.SkippedCount);
            summary.AppendLine("slowest: " + string.Join("; ", slowest));
            foreach (var id in score.WronglyAcceptedIds) summary.AppendLine("WRONGLY ACCEPTED " + id);
            foreach (var id in score.WronglyRejectedIds) summary.AppendLine("WRONGLY REJECTED " + id);
            _output.WriteLine(summary.ToString());
            File.WriteAllText(Path.Combine(root, "tests", "out", Path.ChangeExtension(resultFile, ".txt")), summary.ToString());
            return score;
        }

        private static (string Actual, string Context) RunCase(JsonElement t, string id)
        {
            if (Skipped.TryGetValue(id, out var reason)) return ("SKIPPED", reason);
            if (t.TryGetProperty("signature_algorithms", out var algs) && algs.GetArrayLength() > 0)
                return ("SKIPPED", "signature_algorithms constraints are not supported by the validator API");
            try
            {
                Certificate leaf;
                try { leaf = PkiReader.ReadCertificates(t.GetProperty("peer_certificate").GetString()!)[0]; }
                catch (TlsToolsException e) { return ("FAILURE", "leaf certificate unreadable: " + e.Message); }
                var intermediates = ReadAll(t.GetProperty("untrusted_intermediates"));
                var trusted = ReadAll(t.GetProperty("trusted_certs"));
                var crls = new List<CertificateRevocationList>();
                if (t.TryGetProperty("crls", out var crlArray))
                {
                    foreach (var c in crlArray.EnumerateArray())
                    {
                        try { crls.AddRange(PkiReader.ReadCrls(Encoding.ASCII.GetBytes(c.GetString()!))); }
                        catch (TlsToolsException e) { return ("FAILURE", "CRL unreadable (fail closed): " + e.Message); }
                    }
                }

                var purpose = t.GetProperty("validation_kind").GetString() == "CLIENT" ? ValidationPurpose.ClientAuth : ValidationPurpose.ServerAuth;
                foreach (var eku in t.GetProperty("extended_key_usage").EnumerateArray())
                {
                    string e = eku.GetString()!;
                    if (e == "serverAuth") purpose = ValidationPurpose.ServerAuth;
                    else if (e == "clientAuth") purpose = ValidationPurpose.ClientAuth;
                    else if (e != "anyExtendedKeyUsage") return ("SKIPPED", "extended key usage '" + e + "' is not a TlsTools purpose");
                }
                var keyUsage = KeyUsageFlags.None;
                foreach (var ku in t.GetProperty("key_usage").EnumerateArray())
                {
                    switch (ku.GetString())
                    {
                        case "digitalSignature": keyUsage |= KeyUsageFlags.DigitalSignature; break;
                        case "contentCommitment": keyUsage |= KeyUsageFlags.NonRepudiation; break;
                        case "keyEncipherment": keyUsage |= KeyUsageFlags.KeyEncipherment; break;
                        case "dataEncipherment": keyUsage |= KeyUsageFlags.DataEncipherment; break;
                        case "keyAgreement": keyUsage |= KeyUsageFlags.KeyAgreement; break;
                        case "keyCertSign": keyUsage |= KeyUsageFlags.KeyCertSign; break;
                        case "cRLSign": keyUsage |= KeyUsageFlags.CrlSign; break;
                        case "encipherOnly": keyUsage |= KeyUsageFlags.EncipherOnly; break;
                        case "decipherOnly": keyUsage |= KeyUsageFlags.DecipherOnly; break;
                    }
                }
                DateTime? at = null;
                if (t.TryGetProperty("validation_time", out var vt) && vt.ValueKind == JsonValueKind.String)
                    at = DateTimeOffset.Parse(vt.GetString()!, System.Globalization.CultureInfo.InvariantCulture).UtcDateTime;
                int? maxDepth = t.TryGetProperty("max_chain_depth", out var md) && md.ValueKind == JsonValueKind.Number ? md.GetInt32() : (int?)null;

                var names = new List<(string Kind, string Value)>();
                if (t.TryGetProperty("expected_peer_name", out var pn) && pn.ValueKind == JsonValueKind.Object)
                    names.Add((pn.GetProperty("kind").GetString()!, pn.GetProperty("value").GetString()!));
                if (t.TryGetProperty("expected_peer_names", out var pns))
                    foreach (var p in pns.EnumerateArray())
                        names.Add((p.GetProperty("kind").GetString()!, p.GetProperty("value").GetString()!));
                if (names.Count == 0) names.Add(("", ""));

                // Every expected name must validate (client validation may list several).
                foreach (var (kind, value) in names)
                {
                    var request = new ChainValidationRequest(leaf)
                    {
                        Intermediates = intermediates,
                        TrustedRoots = trusted,
                        Crls = crls,
                        Purpose = purpose,
                        RequiredKeyUsage = keyUsage,
                        At = at,
                    };
                    if (maxDepth.HasValue) request.MaxDepth = maxDepth.Value;
                    if (kind == "DNS") request.DnsName = value;
                    else if (kind == "IP") request.IpAddress = value;
                    else if (kind == "RFC822") request.Email = value;

                    using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
                    ChainValidationResult result;
                    try { result = ChainValidator.Validate(request, cts.Token); }
                    catch (OperationCanceledException) { return ("FAILURE", "did not finish within 20 s (cancelled)"); }
                    if (!result.IsValid)
                        return ("FAILURE", string.Join(" | ", result.Failures.Select(f => f.Check + ": " + f.Message)));
                }
                return ("SUCCESS", "valid");
            }
            catch (Exception e)
            {
                return ("FAILURE", "harness error: " + e.GetType().Name + ": " + e.Message);
            }
        }

        private static List<Certificate> ReadAll(JsonElement array)
        {
            var list = new List<Certificate>();
            foreach (var pem in array.EnumerateArray())
            {
                try { list.AddRange(PkiReader.ReadCertificates(pem.GetString()!)); }
                catch (TlsToolsException) { /* an unreadable certificate cannot be part of a path */ }
            }
            return list;
        }

        internal static string RepositoryRoot()
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir != null && !File.Exists(Path.Combine(dir.FullName, "TlsTools.sln"))) dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("TlsTools.sln not found above " + AppContext.BaseDirectory);
        }
    }
}
