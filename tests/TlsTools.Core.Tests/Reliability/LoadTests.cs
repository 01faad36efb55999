using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using TlsTools.Pki;
using TlsTools.Tests.Tls;
using TlsTools.Tls;
using TlsTools.Validation;
using Xunit;
using Xunit.Abstractions;

namespace TlsTools.Tests.Reliability
{
    /// <summary>Tests that measure the process (memory, threads, descriptors) run alone, after the parallel ones.</summary>
    [CollectionDefinition(Name, DisableParallelization = true)]
    public sealed class SerialReliability
    {
        public const string Name = "Reliability (serial)";
    }

    /// <summary>1,000 handshakes, 50 at a time, against TlsServerHost and openssl s_server; 10,000 validations. Zero failures, flat memory.</summary>
    [Collection(SerialReliability.Name)]
    [Trait("Category", "Long")] // `build.ps1 test -Fast` skips it
    public class LoadTests
    {
        private const int Handshakes = 1000;
        private const int Concurrency = 50;

        private readonly ITestOutputHelper _out;

        public LoadTests(ITestOutputHelper output) => _out = output;

        internal static (long Gc, long WorkingSet) Memory()
        {
            long gc = GC.GetTotalMemory(forceFullCollection: true);
            using var p = Process.GetCurrentProcess();
            return (gc, p.WorkingSet64);
        }

        private async Task<(int Failures, List<string> Errors, TimeSpan Elapsed)> Run(int port, int count)
        {
            using var gate = new SemaphoreSlim(Concurrency);
            var errors = new ConcurrentQueue<string>();
            int failures = 0;
            var sw = Stopwatch.StartNew();
            var tasks = Enumerable.Range(0, count).Select(async i =>
            {
                await gate.WaitAsync().ConfigureAwait(false);
                try
                {
                    var r = await new TlsClientRunner().HandshakeAsync(new HandshakeOptions
                    {
                        HostName = "127.0.0.1", Port = port, ServerName = "localhost", Timeout = TimeSpan.FromSeconds(60),
                        TlsVersions = new[] { i % 2 == 0 ? TlsVersion.Tls13 : TlsVersion.Tls12 },
                        SessionTicketWait = TimeSpan.Zero, CaptureTranscript = i % 10 == 0,
                    }).ConfigureAwait(false);
                    if (!r.Success)
                    {
                        Interlocked.Increment(ref failures);
                        if (errors.Count < 10) errors.Enqueue(r.ErrorId + ": " + r.Error);
                    }
                }
                finally { gate.Release(); }
            }).ToList();
            await Task.WhenAll(tasks).ConfigureAwait(false);
            return (failures, errors.ToList(), sw.Elapsed);
        }

        private async Task LoadAgainst(string name, int port)
        {
            await Run(port, Concurrency); // warm-up: JIT, pools
            var before = Memory();
            var (failures, errors, elapsed) = await Run(port, Handshakes);
            var after = Memory();
            _out.WriteLine($"{name}: {Handshakes} handshakes, {Concurrency} concurrent, {elapsed.TotalSeconds:F1} s, {failures} failures");
            _out.WriteLine($"  GC heap  before {before.Gc / 1024} KiB, after {after.Gc / 1024} KiB ({(after.Gc - before.Gc) / 1024:+#;-#;0} KiB)");
            _out.WriteLine($"  working set before {before.WorkingSet >> 20} MiB, after {after.WorkingSet >> 20} MiB");
            foreach (var e in errors) _out.WriteLine("  " + e);
            Assert.Equal(0, failures);
            Assert.True(after.Gc - before.Gc < 32L << 20, "GC heap grew by " + (after.Gc - before.Gc));
        }

        [Fact]
        [Trait("Category", "Reliability")]
        public async Task Thousand_handshakes_against_TlsServerHost()
        {
            using var host = TlsServerHost.Start(new TlsServerOptions { Certificate = TestPki.Leaf(KeyAlgorithm.EcdsaP256).Cert, HistorySize = 10 });
            await LoadAgainst("TlsServerHost", host.Port);
        }

        [Fact]
        [Trait("Category", "Reliability")]
        public async Task Thousand_handshakes_against_openssl_s_server()
        {
            // openssl s_server serves one connection at a time: the other 49 wait in the listen queue.
            using var server = new OpenSslServer(KeyAlgorithm.EcdsaP256);
            await LoadAgainst("openssl s_server", server.Port);
        }

        [Fact]
        [Trait("Category", "Reliability")]
        public void Ten_thousand_validations_in_flat_memory()
        {
            var corpus = FuzzCorpus.Instance;
            ChainValidationRequest Request(Certificate leaf) => new ChainValidationRequest(leaf)
            {
                Intermediates = new List<Certificate> { corpus.Intermediate },
                TrustedRoots = new List<Certificate> { corpus.Ca },
                Crls = new List<CertificateRevocationList> { corpus.Crl },
                DnsName = "www.example.test",
            };
            var leafDer = corpus.Leaf.GetRawData();
            for (int i = 0; i < 200; i++) Assert.True(ChainValidator.Validate(Request(corpus.Leaf)).IsValid);
            var before = Memory();
            var sw = Stopwatch.StartNew();
            for (int i = 0; i < 10_000; i++)
            {
                // Every 10th call validates a freshly read leaf (new objects, new per-certificate cache entries).
                var leaf = i % 10 == 0 ? Formats.PkiReader.ReadCertificates(leafDer)[0] : corpus.Leaf;
                var r = ChainValidator.Validate(Request(leaf));
                if (!r.IsValid) Assert.Fail(string.Join("; ", r.Failures.Select(f => f.ToString())));
            }
            var after = Memory();
            _out.WriteLine($"10,000 ChainValidator.Validate calls in {sw.Elapsed.TotalSeconds:F1} s");
            _out.WriteLine($"  GC heap  before {before.Gc / 1024} KiB, after {after.Gc / 1024} KiB ({(after.Gc - before.Gc) / 1024:+#;-#;0} KiB)");
            _out.WriteLine($"  working set before {before.WorkingSet >> 20} MiB, after {after.WorkingSet >> 20} MiB");
            Assert.True(after.Gc - before.Gc < 8L << 20, "GC heap grew by " + (after.Gc - before.Gc));
        }
    }
}
