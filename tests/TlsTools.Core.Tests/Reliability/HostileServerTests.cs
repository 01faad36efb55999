using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading.Tasks;
using TlsTools.Scanning;
using TlsTools.Tls;
using Xunit;
using Xunit.Abstractions;

namespace TlsTools.Tests.Reliability
{
    /// <summary>
    /// TlsClientRunner.HandshakeAsync and TlsServerScanner.ScanAsync against servers that never answer, answer late, close,
    /// send junk, HTTP, 16 MiB messages, 1,000-certificate chains, one byte a second, endless alerts and records at and
    /// over the size limits: each call ends with a clear error — the ones that stall end because their timeout fired — and
    /// memory stays bounded. Runs in the serial collection: the allocation figures are process-wide. The durations are
    /// printed, not asserted (beyond a guard against a hang): on a loaded machine a wall-clock bound fails for reasons that
    /// are not the code's.
    /// </summary>
    [Collection(SerialReliability.Name)]
    public class HostileServerTests
    {
        /// <summary>Long enough that a server which does answer is not cut off on a loaded machine; short against the hostile ones.</summary>
        private static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(5);
        private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(1);
        /// <summary>Only against a hang (the trickling server would take a minute to send its ServerHello).</summary>
        private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(40);

        private readonly ITestOutputHelper _out;

        public HostileServerTests(ITestOutputHelper output) => _out = output;

        private static byte[] SmallCertificate => FuzzCorpus.Instance.Leaf.GetRawData();

        [Fact]
        [Trait("Category", "Reliability")]
        public async Task Handshakes_against_hostile_servers_end_within_the_timeout_with_an_ErrorId()
        {
            var modes = Enum.GetValues(typeof(HostileMode)).Cast<HostileMode>().ToArray();
            var servers = modes.ToDictionary(m => m, m => new HostileServer(m, HandshakeTimeout, SmallCertificate));
            try
            {
                var runs = modes.Select(async mode =>
                {
                    var sw = Stopwatch.StartNew();
                    var r = await new TlsClientRunner().HandshakeAsync(new HandshakeOptions
                    {
                        HostName = "127.0.0.1", Port = servers[mode].Port, ServerName = "localhost", Timeout = HandshakeTimeout,
                        TlsVersions = new[] { TlsVersion.Tls12 },
                    }).ConfigureAwait(false);
                    return (mode, r, sw.Elapsed);
                }).ToList();
                var results = await Task.WhenAll(runs);
                foreach (var (mode, r, elapsed) in results)
                    _out.WriteLine($"{mode,-26} {elapsed.TotalMilliseconds,7:F0} ms  {r.ErrorId,-20} {r.Error}  (server sent {servers[mode].BytesSent} bytes)");
                foreach (var (mode, r, elapsed) in results)
                {
                    Assert.False(r.Success, mode + " succeeded");
                    Assert.False(string.IsNullOrEmpty(r.ErrorId), mode + ": no ErrorId");
                    Assert.False(string.IsNullOrEmpty(r.Error), mode + ": no message");
                    Assert.True(elapsed < HangGuard, mode + " took " + elapsed);
                }
                var byMode = results.ToDictionary(x => x.mode, x => x.r);
                Assert.Equal("HandshakeTimeout", byMode[HostileMode.NeverAnswer].ErrorId);
                Assert.Equal("HandshakeTimeout", byMode[HostileMode.AnswerAfterTimeout].ErrorId);
                Assert.Equal("HandshakeTimeout", byMode[HostileMode.TrickleOneBytePerSecond].ErrorId);
                Assert.Equal("ConnectionClosed", byMode[HostileMode.CloseMidHandshake].ErrorId);
                Assert.Contains("exceeds the maximum", byMode[HostileMode.HugeCertificateMessage].Error);
                Assert.Contains("exceeds the maximum", byMode[HostileMode.ChainOf1000].Error);
                Assert.Contains("longer than maximum", byMode[HostileMode.ChainOf150].Error);
            }
            finally
            {
                foreach (var s in servers.Values) s.Dispose();
            }
        }

        [Theory]
        [Trait("Category", "Reliability")]
        [InlineData(HostileMode.HugeCertificateMessage)]
        [InlineData(HostileMode.ChainOf1000)]
        [InlineData(HostileMode.ChainOf150)]
        [InlineData(HostileMode.AlertAfterAlert)]
        public async Task A_hostile_flood_is_not_buffered(HostileMode mode)
        {
            using var server = new HostileServer(mode, HandshakeTimeout, SmallCertificate);
            long before = GC.GetTotalAllocatedBytes(precise: true);
            var r = await new TlsClientRunner().HandshakeAsync(new HandshakeOptions
            {
                HostName = "127.0.0.1", Port = server.Port, Timeout = HandshakeTimeout, TlsVersions = new[] { TlsVersion.Tls12 },
            });
            long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
            _out.WriteLine($"{mode}: {r.ErrorId} {r.Error}; allocated {allocated / 1024} KiB in the process while the server sent {server.BytesSent / 1024} KiB");
            Assert.False(r.Success);
            // Bounded by the limits (256 KiB per handshake message), not by what the server sends (up to 16 MiB, or endless).
            Assert.True(allocated < 24L << 20, "allocated " + allocated);
            Assert.True(r.Transcript.Length < 10_000, r.Transcript.Length + " transcript entries");
        }

        [Fact]
        [Trait("Category", "Reliability")]
        public async Task Scans_of_hostile_servers_end_in_bounded_time_with_a_clear_result()
        {
            var modes = Enum.GetValues(typeof(HostileMode)).Cast<HostileMode>().ToArray();
            var servers = modes.ToDictionary(m => m, m => new HostileServer(m, ProbeTimeout, SmallCertificate));
            // A scan is many probes, each bounded by the timeout, at most MaxConcurrency at once; against a server that
            // answers nothing usable it stops after the first rounds (certificate, versions, TLS 1.3 groups). Bounded: a probe
            // that waited for the trickling server instead of its timeout would take a minute.
            var bound = HangGuard;
            try
            {
                var runs = modes.Select(async mode =>
                {
                    var sw = Stopwatch.StartNew();
                    try
                    {
                        var p = await TlsServerScanner.ScanAsync(new ScanOptions
                        {
                            HostName = "127.0.0.1", Port = servers[mode].Port, Timeout = ProbeTimeout, MaxConcurrency = 8,
                        }).ConfigureAwait(false);
                        return (mode, (object)p, sw.Elapsed);
                    }
                    catch (TlsToolsException e)
                    {
                        return (mode, (object)e, sw.Elapsed);
                    }
                }).ToList();
                var results = await Task.WhenAll(runs);
                foreach (var (mode, o, elapsed) in results)
                {
                    string what = o is TlsToolsException e ? e.ErrorId + ": " + e.Message
                        : "versions [" + string.Join(",", ((ServerProfile)o).TlsVersions) + "], " + ((ServerProfile)o).Errors.Count + " errors, e.g. " + ((ServerProfile)o).Errors.FirstOrDefault();
                    _out.WriteLine($"{mode,-26} {elapsed.TotalMilliseconds,7:F0} ms  {what}");
                }
                foreach (var (mode, o, elapsed) in results)
                {
                    Assert.True(elapsed < bound, mode + " took " + elapsed + " (bound " + bound + ")");
                    // Modes that send a real ServerHello before misbehaving do show TLS 1.2 (that part is true); the others show nothing.
                    bool sendsHello = mode == HostileMode.HugeCertificateMessage || mode == HostileMode.ChainOf1000 || mode == HostileMode.ChainOf150
                                      || mode.ToString().Contains("Record") || mode == HostileMode.AnswerAfterTimeout;
                    if (o is ServerProfile p)
                    {
                        if (!sendsHello) Assert.Empty(p.TlsVersions);
                        Assert.DoesNotContain(TlsVersion.Tls13, p.TlsVersions);
                    }
                    else Assert.False(string.IsNullOrEmpty(((TlsToolsException)o).ErrorId));
                }
            }
            finally
            {
                foreach (var s in servers.Values) s.Dispose();
            }
        }
    }
}
