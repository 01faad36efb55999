using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using TlsTools.Scanning;
using TlsTools.Tls;
using Xunit;
using Xunit.Abstractions;

namespace TlsTools.Tests.Reliability
{
    /// <summary>Cancelling a scan of many silent hosts and a handshake to a stalled server: back within 1 s, sockets closed, no busy thread.</summary>
    [Collection(SerialReliability.Name)]
    public class CancellationTests
    {
        private static readonly TimeSpan Bound = TimeSpan.FromSeconds(1);

        private readonly ITestOutputHelper _out;

        public CancellationTests(ITestOutputHelper output) => _out = output;

        /// <summary>Open sockets of this process (Linux /proc/self/fd; -1 elsewhere). Other descriptors (assemblies mapped on first use) are not counted.</summary>
        private static int OpenDescriptors() => Directory.Exists("/proc/self/fd") ? DescriptorKinds().GetValueOrDefault("socket") : -1;

        /// <summary>Waits (bounded) until no more sockets are open than <paramref name="before"/>: the servers' accepted sockets close just after they see the client's close.</summary>
        private static int SocketsSettle(int before)
        {
            int now = OpenDescriptors();
            var sw = Stopwatch.StartNew();
            while (now > before && sw.Elapsed < TimeSpan.FromSeconds(3)) { Thread.Sleep(50); now = OpenDescriptors(); }
            return now;
        }

        /// <summary>Open descriptors by what they point at ("socket", "anon_inode:[eventpoll]", a path), for the report.</summary>
        internal static System.Collections.Generic.Dictionary<string, int> DescriptorKinds()
        {
            var kinds = new System.Collections.Generic.Dictionary<string, int>();
            if (!Directory.Exists("/proc/self/fd")) return kinds;
            foreach (var f in Directory.GetFiles("/proc/self/fd"))
            {
                string target;
                try { target = new FileInfo(f).LinkTarget ?? "?"; } catch (Exception) { continue; }
                if (target.StartsWith("socket:", StringComparison.Ordinal)) target = "socket";
                else if (target.StartsWith("pipe:", StringComparison.Ordinal)) target = "pipe";
                kinds[target] = kinds.TryGetValue(target, out var n) ? n + 1 : 1;
            }
            return kinds;
        }

        private static string Diff(System.Collections.Generic.Dictionary<string, int> a, System.Collections.Generic.Dictionary<string, int> b) =>
            string.Join(", ", a.Keys.Union(b.Keys).Where(k => a.GetValueOrDefault(k) != b.GetValueOrDefault(k))
                .Select(k => k + " " + a.GetValueOrDefault(k) + "->" + b.GetValueOrDefault(k)));

        /// <summary>Waits until every connection the servers accepted has been closed by the client (bounded).</summary>
        private static bool AllClosed(HostileServer[] servers, TimeSpan within) =>
            SpinWait.SpinUntil(() => servers.All(s => s.ClosedByClient == s.Accepted), within);

        private static TimeSpan CpuOver(TimeSpan window)
        {
            using var p = Process.GetCurrentProcess();
            var start = p.TotalProcessorTime;
            Thread.Sleep(window);
            p.Refresh();
            return p.TotalProcessorTime - start;
        }

        [Fact]
        [Trait("Category", "Reliability")]
        public async Task Cancelling_a_scan_of_many_silent_hosts_returns_within_a_second()
        {
            var servers = Enumerable.Range(0, 6).Select(_ => new HostileServer(HostileMode.NeverAnswer, TimeSpan.FromMinutes(1))).ToArray();
            try
            {
                int fdBefore = OpenDescriptors();
                var kindsBefore = DescriptorKinds();
                using var cts = new CancellationTokenSource();
                var scans = servers.Select(s => TlsServerScanner.ScanAsync(new ScanOptions
                {
                    HostName = "127.0.0.1", Port = s.Port, Timeout = TimeSpan.FromSeconds(60), MaxConcurrency = 8,
                }, null, cts.Token)).ToArray();
                Assert.True(SpinWait.SpinUntil(() => servers.All(s => s.Accepted > 0), 10_000), "the scans did not connect");
                await Task.Delay(300);
                var baseline = CpuOver(TimeSpan.FromSeconds(1)); // while the scans wait: background JIT and GC from earlier tests show here too
                var sw = Stopwatch.StartNew();
                cts.Cancel();
                foreach (var scan in scans)
                    await Assert.ThrowsAnyAsync<OperationCanceledException>(() => scan);
                var returned = sw.Elapsed;
                bool closed = AllClosed(servers, TimeSpan.FromSeconds(5));
                var cpu = CpuOver(TimeSpan.FromSeconds(1));
                int fdAfter = SocketsSettle(fdBefore);
                _out.WriteLine("descriptor changes: " + Diff(kindsBefore, DescriptorKinds()));
                _out.WriteLine($"6 scans cancelled: all returned in {returned.TotalMilliseconds:F0} ms; connections accepted {servers.Sum(s => s.Accepted)}, " +
                               $"closed by the client {servers.Sum(s => s.ClosedByClient)}; sockets before {fdBefore}, after {fdAfter}; CPU in the next second {cpu.TotalMilliseconds:F0} ms (in the second before cancelling {baseline.TotalMilliseconds:F0} ms)");
                Assert.True(returned < Bound, "returned after " + returned);
                Assert.True(closed, "sockets left open: accepted " + servers.Sum(s => s.Accepted) + ", closed " + servers.Sum(s => s.ClosedByClient));
                Assert.True(fdAfter <= fdBefore, "sockets before " + fdBefore + ", after " + fdAfter);
                Assert.True(cpu < baseline + TimeSpan.FromMilliseconds(500), "busy after cancellation: " + cpu + " CPU in one second (before: " + baseline + ")");
            }
            finally
            {
                foreach (var s in servers) s.Dispose();
            }
        }

        [Fact]
        [Trait("Category", "Reliability")]
        public async Task Cancelling_a_handshake_to_a_stalled_server_returns_within_a_second()
        {
            using var server = new HostileServer(HostileMode.NeverAnswer, TimeSpan.FromMinutes(1));
            int fdBefore = OpenDescriptors();
            var kindsBefore = DescriptorKinds();
            using var cts = new CancellationTokenSource();
            var handshake = new TlsClientRunner().HandshakeAsync(new HandshakeOptions
            {
                HostName = "127.0.0.1", Port = server.Port, Timeout = TimeSpan.FromSeconds(60),
            }, cts.Token);
            Assert.True(SpinWait.SpinUntil(() => server.Accepted > 0, 10_000));
            await Task.Delay(300);
            var baseline = CpuOver(TimeSpan.FromSeconds(1));
            var sw = Stopwatch.StartNew();
            cts.Cancel();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => handshake);
            var returned = sw.Elapsed;
            bool closed = AllClosed(new[] { server }, TimeSpan.FromSeconds(5));
            var cpu = CpuOver(TimeSpan.FromSeconds(1));
            int fdAfter = SocketsSettle(fdBefore);
            _out.WriteLine("descriptor changes: " + Diff(kindsBefore, DescriptorKinds()));
            _out.WriteLine($"handshake cancelled: returned in {returned.TotalMilliseconds:F0} ms; server saw the close: {closed}; sockets before {fdBefore}, after {fdAfter}; CPU in the next second {cpu.TotalMilliseconds:F0} ms (in the second before cancelling {baseline.TotalMilliseconds:F0} ms)");
            Assert.True(returned < Bound, "returned after " + returned);
            Assert.True(closed, "the client did not close its socket");
            Assert.True(fdAfter <= fdBefore, "sockets before " + fdBefore + ", after " + fdAfter);
            Assert.True(cpu < baseline + TimeSpan.FromMilliseconds(500), "busy after cancellation: " + cpu + " CPU in one second (before: " + baseline + ")");
        }
    }
}
