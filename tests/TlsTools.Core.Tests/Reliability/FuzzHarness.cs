using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Threading;

namespace TlsTools.Tests.Reliability
{
    /// <summary>
    /// Runs many small calls on a few dedicated threads with a watchdog: each call is timed, its outcome is counted
    /// (a value, a TlsToolsException's ErrorId, or a crash: any other exception), and a call that runs past the hang
    /// bound is reported instead of blocking the test for ever. The per-call bound is on the work a call does — the
    /// CPU time of its thread where the platform tells it (Linux, macOS) — so a loaded machine, which stretches the wall
    /// clock many times over, does not make a call "slow"; a call that waits instead of working is caught by the hang bound.
    /// </summary>
    internal sealed class FuzzHarness
    {
        public const string CrashPrefix = "CRASH:";

        private readonly ConcurrentDictionary<string, int> _outcomes = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, int> _perEntry = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        private readonly ConcurrentQueue<string> _crashes = new ConcurrentQueue<string>();
        private readonly ConcurrentDictionary<string, int> _crashCount = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        private long _crashTotal;
        private readonly ConcurrentQueue<string> _slow = new ConcurrentQueue<string>();
        private readonly ConcurrentDictionary<string, double> _msPerEntry = new ConcurrentDictionary<string, double>(StringComparer.Ordinal);
        private long _calls;
        private long _maxTicks;
        private long _maxWorkTicks;
        private string _maxWhat = "";
        private readonly object _maxLock = new object();

        /// <summary>Outcome of every call on a hand-made input ("special/..."), for the report.</summary>
        public ConcurrentDictionary<string, string> Special { get; } = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);

        public TimeSpan PerCallBound { get; set; } = TimeSpan.FromSeconds(2);
        public TimeSpan HangBound { get; set; } = TimeSpan.FromSeconds(30);

        public long Calls => Interlocked.Read(ref _calls);
        public long CrashCount => Interlocked.Read(ref _crashTotal);
        /// <summary>Crashes by entry, exception type and the first TlsTools frame.</summary>
        public IDictionary<string, int> CrashPlaces => new SortedDictionary<string, int>(_crashCount, StringComparer.Ordinal);
        public IReadOnlyCollection<string> Crashes => _crashes.ToArray();
        public IReadOnlyCollection<string> Slow => _slow.ToArray();
        public List<string> Hangs { get; } = new List<string>();
        public TimeSpan MaxCall => TimeSpan.FromTicks(Interlocked.Read(ref _maxTicks));
        /// <summary>The most work one call did (thread CPU time, or wall time where that is unknown).</summary>
        public TimeSpan MaxWork => TimeSpan.FromTicks(Interlocked.Read(ref _maxWorkTicks));
        /// <summary>What <see cref="PerCallBound"/> and <see cref="MaxWork"/> measure.</summary>
        public static string WorkMeasure => ThreadCpu.Now() != null ? "thread CPU time" : "wall-clock time";
        public string MaxCallWhat { get { lock (_maxLock) return _maxWhat; } }
        public IDictionary<string, int> Outcomes => new SortedDictionary<string, int>(_outcomes, StringComparer.Ordinal);
        public IDictionary<string, long> MillisecondsPerEntry => new SortedDictionary<string, long>(_msPerEntry.ToDictionary(p => p.Key, p => (long)p.Value), StringComparer.Ordinal);
        public IDictionary<string, int> PerEntry => new SortedDictionary<string, int>(_perEntry, StringComparer.Ordinal);

        /// <summary>One timed call. <paramref name="call"/> returns the outcome name for a value ("value" or a finer label).</summary>
        public string Call(string entry, string what, Func<string> call)
        {
            var sw = Stopwatch.StartNew();
            var cpuBefore = ThreadCpu.Now();
            string outcome;
            try
            {
                outcome = call();
            }
            catch (TlsToolsException e) when (!string.IsNullOrEmpty(e.ErrorId))
            {
                outcome = e.ErrorId;
            }
            catch (Exception e)
            {
                outcome = CrashPrefix + e.GetType().Name;
                Interlocked.Increment(ref _crashTotal);
                // One example per distinct place: entry, exception type and the first TlsTools frame.
                var frame = (e.StackTrace ?? "").Split('\n').FirstOrDefault(l => l.Contains(" TlsTools.") && !l.Contains("TlsTools.Tests")) ?? "";
                int inAt = frame.IndexOf(" in ", StringComparison.Ordinal);
                if (inAt > 0) frame = frame.Substring(0, inAt);
                _crashCount.AddOrUpdate(entry + "|" + e.GetType().Name + "|" + frame.Trim(), 1, (_, n) => n + 1);
                if (_crashCount[entry + "|" + e.GetType().Name + "|" + frame.Trim()] == 1 && _crashes.Count < 200)
                    _crashes.Enqueue(entry + " " + what + ": " + e.GetType().FullName + ": " + e.Message + "\n" + string.Join("\n", (e.StackTrace ?? "").Split('\n').Take(8)));
            }
            sw.Stop();
            var cpuAfter = ThreadCpu.Now();
            var work = cpuBefore.HasValue && cpuAfter.HasValue ? cpuAfter.Value - cpuBefore.Value : sw.Elapsed;
            Interlocked.Increment(ref _calls);
            _outcomes.AddOrUpdate(entry + ": " + outcome, 1, (_, n) => n + 1);
            _perEntry.AddOrUpdate(entry, 1, (_, n) => n + 1);
            _msPerEntry.AddOrUpdate(entry, sw.Elapsed.TotalMilliseconds, (_, n) => n + sw.Elapsed.TotalMilliseconds);
            long ticks = sw.Elapsed.Ticks;
            if (ticks > Interlocked.Read(ref _maxTicks))
            {
                lock (_maxLock)
                {
                    if (ticks > _maxTicks)
                    {
                        Interlocked.Exchange(ref _maxTicks, ticks);
                        _maxWhat = entry + " " + what;
                    }
                }
            }
            long workTicks;
            while (work.Ticks > (workTicks = Interlocked.Read(ref _maxWorkTicks)) && Interlocked.CompareExchange(ref _maxWorkTicks, work.Ticks, workTicks) != workTicks) { }
            if (work > PerCallBound && _slow.Count < 100)
                _slow.Enqueue(entry + " " + what + ": " + work.TotalMilliseconds.ToString("F0") + " ms of work (" + sw.Elapsed.TotalMilliseconds.ToString("F0") + " ms wall)");
            if (what.StartsWith("special/", StringComparison.Ordinal))
                Special[what.Substring(8) + " -> " + entry] = outcome + " (" + sw.Elapsed.TotalMilliseconds.ToString("F0") + " ms)";
            return outcome;
        }

        /// <summary>Runs every work item on <paramref name="threads"/> threads; returns false when one of them hung (it is abandoned).</summary>
        public bool Run<T>(IReadOnlyList<T> items, Action<T> work, Func<T, string> describe, int threads)
        {
            int next = -1;
            var current = new long[threads];   // Stopwatch timestamp of the item in progress, 0 when idle
            var currentItem = new int[threads];
            var done = new CountdownEvent(threads);
            for (int t = 0; t < threads; t++)
            {
                int id = t;
                var thread = new Thread(() =>
                {
                    try
                    {
                        int i;
                        while ((i = Interlocked.Increment(ref next)) < items.Count)
                        {
                            Volatile.Write(ref currentItem[id], i);
                            Volatile.Write(ref current[id], Stopwatch.GetTimestamp());
                            work(items[i]);
                            Volatile.Write(ref current[id], 0);
                        }
                    }
                    finally { done.Signal(); }
                }) { IsBackground = true, Name = "fuzz-" + id };
                thread.Start();
            }
            while (!done.Wait(200))
            {
                for (int t = 0; t < threads; t++)
                {
                    long started = Volatile.Read(ref current[t]);
                    if (started == 0) continue;
                    var running = TimeSpan.FromSeconds((Stopwatch.GetTimestamp() - started) / (double)Stopwatch.Frequency);
                    if (running > HangBound)
                    {
                        lock (Hangs) Hangs.Add(describe(items[Volatile.Read(ref currentItem[t])]) + " still running after " + running.TotalSeconds.ToString("F0") + " s");
                        return false;
                    }
                }
            }
            return true;
        }
    }

    /// <summary>The CPU time the calling thread has used: clock_gettime(CLOCK_THREAD_CPUTIME_ID) on Linux and macOS, else null.</summary>
    internal static class ThreadCpu
    {
        [StructLayout(LayoutKind.Sequential)]
        private struct Timespec
        {
            public long Seconds;
            public long Nanoseconds;
        }

        [DllImport("libc", EntryPoint = "clock_gettime")]
        private static extern int ClockGetTime(int clock, out Timespec time);

        private static readonly int? Clock =
            !Environment.Is64BitProcess ? null : OperatingSystem.IsLinux() ? 3 : OperatingSystem.IsMacOS() ? 16 : null;

        public static TimeSpan? Now()
        {
            if (Clock == null) return null;
            try
            {
                if (ClockGetTime(Clock.Value, out var t) != 0) return null;
                return TimeSpan.FromTicks(t.Seconds * TimeSpan.TicksPerSecond + t.Nanoseconds / 100);
            }
            catch (Exception e) when (e is DllNotFoundException || e is EntryPointNotFoundException)
            {
                return null;
            }
        }
    }
}
