using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using TlsTools.Formats;
using TlsTools.Pki;
using TlsTools.Tls;
using TlsTools.Validation;
using Xunit;
using Xunit.Abstractions;

namespace TlsTools.Tests.Reliability
{
    /// <summary>
    /// Deterministic mutation fuzzing of every reader entry, the chain validator and the transcript decoder: each input must
    /// end in a value or a TlsToolsException with an ErrorId, within a time bound, and never crash or hang the process.
    /// </summary>
    [Collection(SaturatesEveryCore.Name)] // keeps both cores busy: alone, so that bounded tests beside it are not starved
    public class MalformedInputTests
    {
        /// <summary>Fixed, so a failure can be replayed; change it to explore other mutations.</summary>
        public const int RunSeed = 20240611;

        /// <summary>TLSTOOLS_FUZZ_SCALE (default 1) multiplies the number of mutations, e.g. 0.1 for a quick look, 10 for a long run.</summary>
        private static readonly double Scale =
            double.TryParse(Environment.GetEnvironmentVariable("TLSTOOLS_FUZZ_SCALE"), System.Globalization.NumberStyles.Float,
                System.Globalization.CultureInfo.InvariantCulture, out var s) && s > 0 ? s : 1.0;

        private readonly ITestOutputHelper _out;

        public MalformedInputTests(ITestOutputHelper output) => _out = output;

        private sealed class Input
        {
            public Input(string seed, string mutation, byte[] data, char[]? password, SeedKind? kind, Sender sender = Sender.Server, TlsVersion? version = null)
            {
                Seed = seed; Mutation = mutation; Data = data; Password = password; Kind = kind; Sender = sender; Version = version;
            }
            public string Seed; public string Mutation; public byte[] Data; public char[]? Password; public SeedKind? Kind;
            public Sender Sender; public TlsVersion? Version;
            public bool IsTranscript => Kind == null;
            public override string ToString() => Seed + "/" + Mutation + " (" + Data.Length + " bytes)";
        }

        [Fact]
        [Trait("Category", "Reliability")]
        [Trait("Category", "Long")] // `build.ps1 test -Fast` skips it
        public void Mutated_inputs_end_in_a_value_or_an_ErrorId()
        {
            var clock = Stopwatch.StartNew();
            var corpus = FuzzCorpus.Instance;
            var inputs = new List<Input>();
            var pkiOthers = corpus.Seeds.Select(s => s.Data).ToList();

            foreach (var seed in corpus.Seeds)
            {
                var m = new Mutator(RunSeed, seed.Name);
                void Add(IEnumerable<(string Name, byte[] Data)> list, char[]? password = null)
                {
                    foreach (var (name, data) in list) inputs.Add(new Input(seed.Name, name, data, password ?? seed.Password, seed.Kind));
                }
                Add(m.Truncations(seed.Data, (int)(1500 * Scale), (int)(300 * Scale)));
                int n = Math.Max(1, (int)(seed.Weight * Scale));
                Add(m.BitFlips(seed.Data, n * 4));
                Add(m.ByteSets(seed.Data, n * 2));
                Add(m.Splices(seed.Data, pkiOthers, Math.Max(4, n / 2)));
                if (seed.IsPem)
                {
                    var text = Encoding.ASCII.GetString(seed.Data);
                    Add(m.Pem(text, n * 3));
                    // Mutated DER inside valid PEM armour, so the PEM path reaches the DER parsers too.
                    var blocks = Formats.Pem.Decode(text);
                    foreach (var block in blocks.Take(3))
                        foreach (var (name, der) in m.Asn1(block.Data, n * 2).Concat(m.BitFlips(block.Data, n)))
                            inputs.Add(new Input(seed.Name, "pem(" + block.Label + ")-" + name,
                                Encoding.ASCII.GetBytes(text.Replace(block.Text, Formats.Pem.Encode(block.Label, der).TrimEnd('\n'))), seed.Password, seed.Kind));
                }
                else
                {
                    Add(m.Asn1(seed.Data, n * 6));
                }
                if (seed.Password != null)
                {
                    inputs.Add(new Input(seed.Name, "right-password", seed.Data, seed.Password, seed.Kind));
                    inputs.Add(new Input(seed.Name, "wrong-password", seed.Data, "wrong".ToCharArray(), seed.Kind));
                    inputs.Add(new Input(seed.Name, "empty-password", seed.Data, Array.Empty<char>(), seed.Kind));
                    inputs.Add(new Input(seed.Name, "no-password", seed.Data, null, seed.Kind));
                    inputs.Add(new Input(seed.Name, "unicode-password", seed.Data, "pässwörd\u2603".ToCharArray(), seed.Kind));
                    foreach (var (name, data) in m.BitFlips(seed.Data, 20))
                        inputs.Add(new Input(seed.Name, name + "+wrong-password", data, "wrong".ToCharArray(), seed.Kind));
                }
            }
            inputs.AddRange(SpecialInputs(corpus));

            // TLS handshake messages captured from a real TLS 1.2 and TLS 1.3 handshake.
            foreach (var (name, sender, version, message) in HandshakeMessages(corpus))
            {
                var m = new Mutator(RunSeed, name);
                inputs.Add(new Input(name, "original", message, null, null, sender, version));
                foreach (var (mn, data) in m.Truncations(message, 2048, 300).Concat(m.Handshake(message, 300)))
                    inputs.Add(new Input(name, mn, data, null, null, sender, version));
            }
            long generationMs = clock.ElapsedMilliseconds;

            // The per-call bound is on work (thread CPU time), not on the wall clock, which a loaded machine stretches (1.8 s
            // wall for a call of 0.15 s CPU was seen): the slowest legitimate call takes about 0.15 s of CPU, the defects
            // this catches took 10 s and more (4,000,000 PBKDF2 iterations, quadratic parsing).
            var harness = new FuzzHarness { PerCallBound = TimeSpan.FromSeconds(2), HangBound = TimeSpan.FromSeconds(60) };
            bool finished = harness.Run(inputs, input => RunOne(harness, corpus, input), i => i.ToString(), threads: 2);
            long runMs = clock.ElapsedMilliseconds - generationMs;

            var summary = new Dictionary<string, object?>
            {
                ["runSeed"] = RunSeed,
                ["scale"] = Scale,
                ["inputsTried"] = inputs.Count,
                ["pkiInputs"] = inputs.Count(i => !i.IsTranscript),
                ["transcriptInputs"] = inputs.Count(i => i.IsTranscript),
                ["calls"] = harness.Calls,
                ["callsPerEntry"] = harness.PerEntry,
                ["millisecondsPerEntry"] = harness.MillisecondsPerEntry,
                ["inputsPerSeed"] = inputs.GroupBy(i => i.Seed).ToDictionary(g => g.Key, g => g.Count()),
                ["outcomes"] = harness.Outcomes,
                ["maxMillisecondsPerCall"] = Math.Round(harness.MaxCall.TotalMilliseconds, 1),
                ["slowestCall"] = harness.MaxCallWhat,
                ["maxWorkMillisecondsPerCall"] = Math.Round(harness.MaxWork.TotalMilliseconds, 1),
                ["perCallBoundMilliseconds"] = harness.PerCallBound.TotalMilliseconds,
                ["perCallBoundMeasures"] = FuzzHarness.WorkMeasure,
                ["overBound"] = harness.Slow,
                ["crashes"] = harness.CrashCount,
                ["specialInputs"] = new SortedDictionary<string, string>(harness.Special, StringComparer.Ordinal),
                ["crashPlaces"] = harness.CrashPlaces,
                ["crashExamples"] = harness.Crashes.Take(40).ToArray(),
                ["hangs"] = harness.Hangs.Count,
                ["hangExamples"] = harness.Hangs.ToArray(),
                ["generationMilliseconds"] = generationMs,
                ["runMilliseconds"] = runMs,
            };
            var json = JsonSerializer.Serialize(summary, new JsonSerializerOptions { WriteIndented = true });
            var path = Path.Combine(RepoRoot(), "tests", "out", "fuzz-summary.json");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, json);
            _out.WriteLine(json);
            _out.WriteLine("written to " + path);

            Assert.True(finished, "a call hung: " + string.Join("; ", harness.Hangs));
            Assert.True(harness.CrashCount == 0, harness.CrashCount + " crashes, e.g.\n" + string.Join("\n\n", harness.Crashes.Take(5)));
            Assert.True(harness.Slow.Count == 0, "calls over " + harness.PerCallBound.TotalSeconds + " s of " + FuzzHarness.WorkMeasure + ": " + string.Join("; ", harness.Slow.Take(10)));
            if (Scale >= 1) Assert.True(inputs.Count >= 30_000, "only " + inputs.Count + " inputs");
        }

        private static void RunOne(FuzzHarness h, FuzzCorpus corpus, Input input)
        {
            string what = input.ToString();
            if (input.IsTranscript)
            {
                h.Call("TranscriptDecoder.Decode", what, () => Describe(TranscriptDecoder.Decode(input.Sender, input.Data)));
                h.Call("TranscriptDecoder.Decode(version)", what, () => Describe(TranscriptDecoder.Decode(input.Sender, input.Data, input.Version)));
                return;
            }
            var data = input.Data;
            IReadOnlyList<Certificate>? certs = null;
            IReadOnlyList<CertificateRevocationList>? crls = null;
            h.Call("PkiReader.ReadCertificates", what, () => { certs = PkiReader.ReadCertificates(data, input.Password); return Touch(certs); });
            h.Call("PkiReader.ReadPrivateKey", what, () => Touch(PkiReader.ReadPrivateKey(data, input.Password)));
            h.Call("PkiReader.ReadCertificateRequests", what, () => Touch(PkiReader.ReadCertificateRequests(data)));
            h.Call("PkiReader.ReadCrls", what, () => { crls = PkiReader.ReadCrls(data); return Touch(crls); });
            if (data.Length > 0 && data.Length < 1 << 20 && data[0] == (byte)'-')
            {
                var text = Encoding.UTF8.GetString(data);
                h.Call("PkiReader.ReadCertificates(string)", what, () => Touch(PkiReader.ReadCertificates(text, input.Password)));
                h.Call("PkiReader.ReadPrivateKey(string)", what, () => Touch(PkiReader.ReadPrivateKey(text, input.Password)));
            }

            // A mutated leaf, intermediate or CRL that still reads goes through validation with the rest of the real chain.
            if (certs != null && certs.Count > 0 && input.Kind == SeedKind.Certificate)
            {
                bool isInter = input.Seed.StartsWith("inter", StringComparison.Ordinal);
                var request = new ChainValidationRequest(isInter ? corpus.Leaf : certs[0])
                {
                    Intermediates = isInter ? certs.ToList() : certs.Skip(1).Concat(new[] { corpus.Intermediate }).ToList(),
                    TrustedRoots = new List<Certificate> { corpus.Ca },
                    Crls = new List<CertificateRevocationList> { corpus.Crl },
                    DnsName = "www.example.test",
                };
                h.Call("ChainValidator.Validate", what, () => Describe(ChainValidator.Validate(request)));
            }
            if (crls != null && crls.Count > 0)
            {
                var request = new ChainValidationRequest(corpus.Leaf)
                {
                    Intermediates = new List<Certificate> { corpus.Intermediate },
                    TrustedRoots = new List<Certificate> { corpus.Ca },
                    Crls = crls.ToList(),
                    DnsName = "www.example.test",
                };
                h.Call("ChainValidator.Validate", what + " (as CRL)", () => Describe(ChainValidator.Validate(request)));
            }
        }

        /// <summary>Reads the properties a caller would show, so lazy parsing problems surface here too.</summary>
        private static string Touch(IReadOnlyList<Certificate> certs)
        {
            foreach (var c in certs)
            {
                _ = c.Subject + c.Issuer + c.SerialNumber + c.Thumbprint + c.NotBefore + c.NotAfter;
                _ = string.Join(",", c.DnsNames) + string.Join(",", c.IpAddresses) + string.Join(",", c.KeyUsage) + string.Join(",", c.ExtendedKeyUsage);
                _ = c.SubjectKeyIdentifier + c.AuthorityKeyIdentifier + c.PathLength + c.IsCertificateAuthority + c.SignatureAlgorithm;
                _ = c.KeyAlgorithm + c.KeySize + c.ToPem().Length;
            }
            return "value";
        }

        private static string Touch(PrivateKey key) { _ = key.ToString(); return "value"; }

        private static string Touch(IReadOnlyList<CertificateRequest> requests)
        {
            foreach (var r in requests) _ = r.Subject + r.KeyAlgorithm + r.SignatureAlgorithm + r.SignatureValid + string.Join(",", r.DnsNames) + r.PublicKeySha256;
            return "value";
        }

        private static string Touch(IReadOnlyList<CertificateRevocationList> crls)
        {
            foreach (var c in crls) _ = c.Issuer + c.ThisUpdate + c.NextUpdate + c.CrlNumber + c.Count + c.SignatureAlgorithm + c.IsDelta;
            return "value";
        }

        private static string Describe(TranscriptMessage m)
        {
            if (string.IsNullOrEmpty(m.Explanation)) throw new InvalidOperationException("no explanation for " + m.Type);
            return m.DecodeError == null ? "value" : "value (DecodeError)";
        }

        private static string Describe(ChainValidationResult r)
        {
            if (r == null) throw new InvalidOperationException("null result");
            return r.IsValid ? "valid" : "invalid: " + r.Failures[0].Check;
        }

        // ------------------------------------------------------------------ hand-made hostile inputs

        private static IEnumerable<Input> SpecialInputs(FuzzCorpus corpus)
        {
            Input I(string name, byte[] data, SeedKind kind = SeedKind.Certificate, char[]? pw = null) => new Input("special", name, data, pw ?? FuzzCorpus.Password, kind);
            byte[] A(string s) => Encoding.ASCII.GetBytes(s);
            string Armour(string label, byte[] der) => Formats.Pem.Encode(label, der);

            var nested100k = Mutator.Nest(100_000, new byte[] { 0x05, 0x00 });
            yield return I("nest-100000-definite", nested100k);
            yield return I("nest-100000-indefinite", Mutator.NestIndefinite(100_000, close: true));
            yield return I("nest-100000-indefinite-unclosed", Mutator.NestIndefinite(100_000, close: false));
            yield return I("nest-65", Mutator.Nest(65, new byte[] { 0x05, 0x00 }));
            yield return I("nest-1000-around-cert", Mutator.Nest(1000, corpus.Leaf.GetRawData()));
            yield return I("nest-100000-in-pem-certificate", A(Armour("CERTIFICATE", nested100k)));
            yield return I("nest-100000-in-pem-private-key", A(Armour("PRIVATE KEY", nested100k)), SeedKind.Key);
            yield return I("nest-100000-in-pem-encrypted-key", A(Armour("ENCRYPTED PRIVATE KEY", nested100k)), SeedKind.Key);
            yield return I("nest-100000-in-pem-rsa-key", A(Armour("RSA PRIVATE KEY", nested100k)), SeedKind.Key);
            yield return I("nest-100000-in-pem-pkcs7", A(Armour("PKCS7", nested100k)));
            yield return I("nest-100000-in-pem-crl", A(Armour("X509 CRL", nested100k)), SeedKind.Crl);
            yield return I("nest-100000-in-pem-csr", A(Armour("CERTIFICATE REQUEST", nested100k)), SeedKind.Request);
            // A PFX-looking prefix (version 3) followed by deep nesting.
            yield return I("nest-100000-in-pfx", Mutator.Encode(0x30, new byte[] { 0x02, 0x01, 0x03 }.Concat(nested100k).ToArray()));
            // Deep nesting inside an OCTET STRING, as in an extension value.
            yield return I("nest-100000-in-octet-string", Mutator.Encode(0x30, Mutator.Encode(0x04, nested100k)));

            yield return I("empty", Array.Empty<byte>());
            yield return I("one-zero", new byte[] { 0 });
            yield return I("whitespace", A(" \r\n\t "));
            yield return I("huge-length-only", new byte[] { 0x30, 0x84, 0x7F, 0xFF, 0xFF, 0xFF });
            yield return I("length-8-octets", new byte[] { 0x30, 0x88, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x05, 0x00 });
            yield return I("input-too-large", new byte[PkiReader.MaxInputBytes + 1]);
            yield return I("4MiB-zeros", new byte[4 << 20]);
            yield return I("bom-pem", Encoding.UTF8.GetPreamble().Concat(A(corpus.Leaf.ToPem())).ToArray());
            yield return I("utf16-pem", Encoding.Unicode.GetBytes(corpus.Leaf.ToPem()));
            yield return I("begin-only", A("-----BEGIN CERTIFICATE-----\n"));
            yield return I("begin-end-empty", A("-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n"));
            yield return I("label-mismatch", A(corpus.Leaf.ToPem().Replace("END CERTIFICATE", "END X509 CRL")));
            // Many BEGIN lines and no END: a backtracking PEM matcher would take quadratic time here.
            yield return I("begin-x40000-no-end", A(string.Concat(Enumerable.Repeat("-----BEGIN CERTIFICATE-----\nMIIB\n", 40_000))));
            yield return I("begin-x40000-bad-end", A(string.Concat(Enumerable.Repeat("-----BEGIN CERTIFICATE-----\nMIIB\n-----END x-----\n", 40_000))));
            yield return I("one-begin-4MiB-body-no-end", A("-----BEGIN CERTIFICATE-----\n" + new string('A', 4 << 20)));
            yield return I("1000-certificates-pem", A(string.Concat(Enumerable.Repeat(corpus.Leaf.ToPem(), 1000))));
            // Iteration counts that would take hours: PBKDF2 with 2^31-1 iterations in the key and in the PFX MAC.
            foreach (var (name, data, kind) in HugeIterationInputs(corpus))
                yield return I(name, data, kind);
        }

        /// <summary>Encodings whose key-derivation work is set to the maximum INTEGER.</summary>
        internal static IEnumerable<(string, byte[], SeedKind)> HugeIterationInputs(FuzzCorpus corpus)
        {
            foreach (var seed in corpus.Seeds.Where(s => s.Password != null && !s.IsPem))
            {
                var tlvs = new List<Tlv>();
                Tlv.Walk(seed.Data, 0, seed.Data.Length, 0, tlvs);
                int k = 0;
                foreach (var t in tlvs.Where(t => seed.Data[t.Start] == 0x02 && t.End - t.ContentStart <= 3 && t.End - t.ContentStart >= 2))
                {
                    yield return ("huge-iterations-" + seed.Name + "-" + k, SpliceInteger(seed.Data, t, new byte[] { 0x7F, 0xFF, 0xFF, 0xFF }), seed.Kind);
                    // Just under common library caps: 1,000,000 and 4,000,000 iterations.
                    yield return ("1M-iterations-" + seed.Name + "-" + k, SpliceInteger(seed.Data, t, new byte[] { 0x0F, 0x42, 0x40 }), seed.Kind);
                    yield return ("4M-iterations-" + seed.Name + "-" + k++, SpliceInteger(seed.Data, t, new byte[] { 0x3D, 0x09, 0x00 }), seed.Kind);
                }
            }
        }

        private static byte[] SpliceInteger(byte[] data, Tlv t, byte[] value)
        {
            // The value grows, so the enclosing lengths are re-encoded.
            return Mutator.Splice(data, t, Mutator.Encode(0x02, value));
        }

        // ------------------------------------------------------------------ handshake messages

        private static List<(string, Sender, TlsVersion?, byte[])> HandshakeMessages(FuzzCorpus corpus)
        {
            var list = new List<(string, Sender, TlsVersion?, byte[])>();
            var serverKey = KeyFactory.Generate(KeyAlgorithm.EcdsaP256);
            var serverCert = Issuance.CreateLeaf(new CertificateOptions { Subject = "CN=localhost", DnsNames = { "localhost" }, IpAddresses = { "127.0.0.1" } },
                corpus.Intermediate, null, serverKey);
            using var host = TlsServerHost.Start(new TlsServerOptions { Certificate = serverCert, Chain = new List<Certificate> { corpus.Intermediate } });
            foreach (var v in new[] { TlsVersion.Tls12, TlsVersion.Tls13 })
            {
                var r = new TlsClientRunner().HandshakeAsync(new HandshakeOptions
                {
                    HostName = "127.0.0.1", Port = host.Port, ServerName = "localhost", TlsVersions = new[] { v }, Timeout = TimeSpan.FromSeconds(30),
                }).GetAwaiter().GetResult();
                Assert.True(r.Success, r.Error);
                foreach (var m in r.Transcript)
                {
                    if (m.Type == TranscriptMessageType.Alert || m.Type == TranscriptMessageType.ChangeCipherSpec) continue;
                    list.Add((v + "-" + m.Sender + "-" + m.Type, m.Sender, v, m.RawData));
                }
            }
            return list;
        }

        internal static string RepoRoot()
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir != null && !File.Exists(Path.Combine(dir.FullName, "TlsTools.sln"))) dir = dir.Parent;
            return dir?.FullName ?? Directory.GetCurrentDirectory();
        }
    }
}
