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
    /// <summary>
    /// Cancelling a scan of many silent hosts and a handshake to a stalled server: the cancellation (not a timeout) ends them,
    /// sockets closed, no busy thread. How fast it returns is measured in bench/, not asserted here: on a loaded machine a
    /// wall-clock bound fails for reasons that are not the code's.
    /// </summary>
    [Collection(SerialReliability.Name)]
    public class CancellationTests
    {
        /// <summary>Only against a hang: far below the calls' own 5-minute timeouts, far above any normal return.</summary>
        private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);

        private static readonly TimeSpan LongTimeout = TimeSpan.FromMinutes(5);

        private readonly ITestOutputHelper _out;

        public CancellationTests(ITestOutputHelper output) => _out = output;

        /// <summary>Open sockets of this process (Linux /proc/self/fd; -1 elsewhere). Other descriptors (assemblies mapped on first use) are not counted.</summary>
        private static int OpenDescriptors() => Directory.Exists("/proc/self/fd") ? DescriptorKinds().GetValueOrDefault("socket") : -1;

        /// <summary>Waits (bounded) until no more sockets are open than <paramref name="before"/>: the servers' accepted sockets close just after they see the client's close.</summary>
        private static int SocketsSettle(int before)
        {
            int now = OpenDescriptors();
            var sw = Stopwatch.StartNew();
            while (now > before && sw.Elapsed < HangGuard) { Thread.Sleep(50); now = OpenDescriptors(); }
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
        public async Task Cancelling_a_scan_of_many_silent_hosts_ends_it_and_closes_every_socket()
        {
            var servers = Enumerable.Range(0, 6).Select(_ => new HostileServer(HostileMode.NeverAnswer, TimeSpan.FromMinutes(1))).ToArray();
            try
            {
                int fdBefore = OpenDescriptors();
                var kindsBefore = DescriptorKinds();
                using var cts = new CancellationTokenSource();
                var scans = servers.Select(s => TlsServerScanner.ScanAsync(new ScanOptions
                {
                    HostName = "127.0.0.1", Port = s.Port, Timeout = LongTimeout, MaxConcurrency = 8,
                }, null, cts.Token)).ToArray();
                Assert.True(SpinWait.SpinUntil(() => servers.All(s => s.Accepted > 0), HangGuard), "the scans did not connect");
                await Task.Delay(300);
                var baseline = CpuOver(TimeSpan.FromSeconds(1)); // while the scans wait: background JIT and GC from earlier tests show here too
                var sw = Stopwatch.StartNew();
                cts.Cancel();
                var all = Task.WhenAll(scans);
                Assert.True(await Task.WhenAny(all, Task.Delay(HangGuard)) == all || scans.All(t => t.IsCompleted), "cancellation did not end the scans within " + HangGuard);
                var returned = sw.Elapsed;
                foreach (var scan in scans)
                    await Assert.ThrowsAnyAsync<OperationCanceledException>(() => scan); // cancelled, not timed out (that is a result)
                bool closed = AllClosed(servers, HangGuard);
                var cpu = CpuOver(TimeSpan.FromSeconds(1));
                int fdAfter = SocketsSettle(fdBefore);
                _out.WriteLine("descriptor changes: " + Diff(kindsBefore, DescriptorKinds()));
                _out.WriteLine($"6 scans cancelled: all returned in {returned.TotalMilliseconds:F0} ms; connections accepted {servers.Sum(s => s.Accepted)}, " +
                               $"closed by the client {servers.Sum(s => s.ClosedByClient)}; sockets before {fdBefore}, after {fdAfter}; CPU in the next second {cpu.TotalMilliseconds:F0} ms (in the second before cancelling {baseline.TotalMilliseconds:F0} ms)");
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
        public async Task Cancelling_a_handshake_to_a_stalled_server_ends_it_and_closes_the_socket()
        {
            using var server = new HostileServer(HostileMode.NeverAnswer, TimeSpan.FromMinutes(1));
            int fdBefore = OpenDescriptors();
            var kindsBefore = DescriptorKinds();
            using var cts = new CancellationTokenSource();
            var handshake = new TlsClientRunner().HandshakeAsync(new HandshakeOptions
            {
                HostName = "127.0.0.1", Port = server.Port, Timeout = LongTimeout,
            }, cts.Token);
            Assert.True(SpinWait.SpinUntil(() => server.Accepted > 0, HangGuard), "the handshake did not connect");
            await Task.Delay(300);
            var baseline = CpuOver(TimeSpan.FromSeconds(1));
            var sw = Stopwatch.StartNew();
            cts.Cancel();
            Assert.True(await Task.WhenAny(handshake, Task.Delay(HangGuard)) == handshake, "cancellation did not end the handshake within " + HangGuard);
            var returned = sw.Elapsed;
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => handshake); // cancelled, not timed out (that is a result)
            bool closed = AllClosed(new[] { server }, HangGuard);
            var cpu = CpuOver(TimeSpan.FromSeconds(1));
            int fdAfter = SocketsSettle(fdBefore);
            _out.WriteLine("descriptor changes: " + Diff(kindsBefore, DescriptorKinds()));
            _out.WriteLine($"handshake cancelled: returned in {returned.TotalMilliseconds:F0} ms; server saw the close: {closed}; sockets before {fdBefore}, after {fdAfter}; CPU in the next second {cpu.TotalMilliseconds:F0} ms (in the second before cancelling {baseline.TotalMilliseconds:F0} ms)");
            Assert.True(closed, "the client did not close its socket");
            Assert.True(fdAfter <= fdBefore, "sockets before " + fdBefore + ", after " + fdAfter);
            Assert.True(cpu < baseline + TimeSpan.FromMilliseconds(500), "busy after cancellation: " + cpu + " CPU in one second (before: " + baseline + ")");
        }
    }
}
