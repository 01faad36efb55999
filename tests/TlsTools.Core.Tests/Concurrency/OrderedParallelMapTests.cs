using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using TlsTools.Concurrency;
using Xunit;

namespace TlsTools.Tests.Concurrency
{
    /// <summary>
    /// The ordered parallel map behind Read-CertificateRequest: results in input order whatever order the work finishes in,
    /// an exception at its input's place, cancellation that ends the waits, and bounds on work running and held.
    /// </summary>
    public class OrderedParallelMapTests
    {
        /// <summary>Only against a hang: far above any normal return.</summary>
        private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);

        [Fact]
        public void Results_come_in_input_order_when_the_work_finishes_out_of_order()
        {
            var taken = new List<int>();
            using (var map = new OrderedParallelMap<int, int>((i, _) =>
            {
                Thread.Sleep((i * 7) % 5); // later inputs often finish first
                return i * 10;
            }, 4, 8, CancellationToken.None))
            {
                for (int i = 0; i < 200; i++) map.Add(i, taken.Add);
                map.Drain(taken.Add);
            }
            Assert.Equal(Enumerable.Range(0, 200).Select(i => i * 10), taken);
        }

        [Fact]
        public void An_exception_is_rethrown_at_its_place_and_the_results_after_it_are_kept()
        {
            var taken = new List<int>();
            using (var gate = new ManualResetEventSlim())
            using (var map = new OrderedParallelMap<int, int>((i, _) =>
            {
                if (i == 3)
                {
                    gate.Wait(); // fails last, after the inputs behind it are done
                    throw new InvalidOperationException("input 3");
                }
                return i;
            }, 2, 10, CancellationToken.None))
            {
                for (int i = 0; i < 8; i++) map.Add(i, taken.Add);
                gate.Set();
                var e = Assert.Throws<InvalidOperationException>(() => map.Drain(taken.Add));
                Assert.Equal("input 3", e.Message);
                Assert.Equal(new[] { 0, 1, 2 }, taken);
                map.Drain(taken.Add);
            }
            Assert.Equal(new[] { 0, 1, 2, 4, 5, 6, 7 }, taken);
        }

        [Fact]
        public void A_result_added_without_work_keeps_its_place()
        {
            var taken = new List<int>();
            using (var gate = new ManualResetEventSlim())
            using (var map = new OrderedParallelMap<int, int>((i, _) =>
            {
                gate.Wait();
                return i;
            }, 2, 4, CancellationToken.None))
            {
                map.AddResult(-1, taken.Add); // nothing held: taken at once
                Assert.Equal(new[] { -1 }, taken);
                map.Add(0, taken.Add);
                map.AddResult(-2, taken.Add); // behind input 0, which has not finished
                map.Add(1, taken.Add);
                Assert.Equal(new[] { -1 }, taken);
                gate.Set();
                map.Drain(taken.Add);
            }
            Assert.Equal(new[] { -1, 0, -2, 1 }, taken);
        }

        [Fact]
        public void At_most_maxParallel_run_and_at_most_maxPending_are_held()
        {
            const int maxParallel = 3, maxPending = 6;
            int running = 0, peakRunning = 0, started = 0, taken = 0, peakHeld = 0;
            using (var map = new OrderedParallelMap<int, int>((i, _) =>
            {
                Interlocked.Increment(ref started);
                int now = Interlocked.Increment(ref running);
                int peak;
                while ((peak = Volatile.Read(ref peakRunning)) < now && Interlocked.CompareExchange(ref peakRunning, now, peak) != peak) { }
                Thread.Sleep(2);
                Interlocked.Decrement(ref running);
                return i;
            }, maxParallel, maxPending, CancellationToken.None))
            {
                void Take(int _)
                {
                    taken++;
                    peakHeld = Math.Max(peakHeld, Volatile.Read(ref started) - (taken - 1));
                }

                for (int i = 0; i < 300; i++)
                {
                    map.Add(i, Take);
                    Assert.InRange(map.Pending, 0, maxPending);
                    // Started but not taken: never more than the look-ahead (the input just added included).
                    Assert.InRange(Volatile.Read(ref started) - taken, 0, maxPending);
                }
                map.Drain(Take);
            }
            Assert.Equal(300, taken);
            Assert.InRange(peakRunning, 1, maxParallel);
            Assert.InRange(peakHeld, 1, maxPending);
        }

        [Fact]
        public async Task Cancelling_ends_the_wait_at_once_and_starts_nothing_more()
        {
            int started = 0;
            using (var cts = new CancellationTokenSource())
            using (var neverOpened = new ManualResetEventSlim())
            using (var map = new OrderedParallelMap<int, int>((i, token) =>
            {
                Interlocked.Increment(ref started);
                neverOpened.Wait(token); // work that only cancellation ends
                return i;
            }, 2, 8, cts.Token))
            {
                for (int i = 0; i < 8; i++) map.Add(i, _ => Assert.Fail("nothing finishes"));
                var drain = Task.Run(() => map.Drain(_ => Assert.Fail("nothing finishes")));
                Assert.NotSame(drain, await Task.WhenAny(drain, Task.Delay(100))); // the first input never finishes by itself
                cts.Cancel();
                Assert.Same(drain, await Task.WhenAny(drain, Task.Delay(HangGuard))); // else Drain hangs after the cancellation
                await Assert.ThrowsAnyAsync<OperationCanceledException>(() => drain);
                Assert.InRange(Volatile.Read(ref started), 1, 2); // the inputs waiting for a slot were never started
            }
        }

        [Fact]
        public void Disposing_cancels_what_is_still_running()
        {
            // The work sees its token cancelled through the token's wait handle. It once registered a callback on the token
            // beside a Task.Delay on the same token: Cancel ran the delay's callback first (the newest runs first), the work
            // woke, left its using block and disposed its own registration before Cancel reached it, so that callback never
            // ran (about once in 15,000 runs; the suite failed on it).
            var clock = System.Diagnostics.Stopwatch.StartNew();
            long startedAt = -1, cancelledAt = -1;
            using var running = new ManualResetEventSlim();
            using var cancelled = new ManualResetEventSlim();
            var map = new OrderedParallelMap<int, int>((i, token) =>
            {
                Volatile.Write(ref startedAt, clock.ElapsedMilliseconds);
                running.Set();
                if (token.WaitHandle.WaitOne(HangGuard))
                {
                    Volatile.Write(ref cancelledAt, clock.ElapsedMilliseconds);
                    cancelled.Set();
                }
                return i;
            }, 1, 1, CancellationToken.None);
            string State() => "map started at " + Volatile.Read(ref startedAt) + " ms, saw its token cancelled at " + Volatile.Read(ref cancelledAt)
                + " ms, now " + clock.ElapsedMilliseconds + " ms; thread pool: " + ThreadPool.ThreadCount + " threads, "
                + ThreadPool.PendingWorkItemCount + " items queued";
            try
            {
                map.Add(0, _ => { });
                Assert.True(running.Wait(HangGuard), "the map never started: " + State());
                long disposedAt = clock.ElapsedMilliseconds;
                map.Dispose();
                Assert.True(cancelled.Wait(HangGuard), "disposed at " + disposedAt + " ms and not cancelled: " + State());
            }
            finally
            {
                map.Dispose(); // a failed check leaves no work behind
            }
        }

        [Fact]
        public void Map_gives_every_result_in_order_and_throws_the_first_exception_in_order()
        {
            var inputs = Enumerable.Range(0, 50).ToList();
            Assert.Equal(inputs.Select(i => -i), OrderedParallel.Map(inputs, i => -i, CancellationToken.None));
            var e = Assert.Throws<InvalidOperationException>(() => OrderedParallel.Map(inputs, i =>
            {
                if (i == 30) throw new InvalidOperationException("30");
                if (i == 40) throw new InvalidOperationException("40"); // often fails first, but comes later
                Thread.Sleep(1);
                return i;
            }, CancellationToken.None));
            Assert.Equal("30", e.Message);
            Assert.Empty(OrderedParallel.Map(new List<int>(), i => i, CancellationToken.None));
        }

        [Fact]
        public void Bounds_below_one_are_refused()
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => new OrderedParallelMap<int, int>((i, _) => i, 0, 1, CancellationToken.None));
            Assert.Throws<ArgumentOutOfRangeException>(() => new OrderedParallelMap<int, int>((i, _) => i, 2, 1, CancellationToken.None));
        }
    }
}
