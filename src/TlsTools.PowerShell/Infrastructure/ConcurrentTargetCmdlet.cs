using System;
using System.Collections.Concurrent;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;

namespace TlsTools.PowerShell.Infrastructure
{
    /// <summary>
    /// Base for network cmdlets that work on many targets at once: each pipeline input becomes a task, at most
    /// <see cref="Throttle"/> run together, every result is written on the pipeline thread as soon as it completes,
    /// and Ctrl+C (StopProcessing) cancels every task at once. Derived cmdlets implement <see cref="RunAsync"/>.
    /// </summary>
    public abstract class ConcurrentTargetCmdlet<TTarget> : TlsToolsCmdlet, IDisposable
    {
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        private readonly BlockingCollection<Action> _completions = new BlockingCollection<Action>();
        private SemaphoreSlim? _slots;
        private int _started;
        private int _finished;
        private ProgressRecord? _progress;
        private bool _progressShown;
        private DateTime _firstStart;
        private DateTime _lastProgress;

        /// <summary>How many targets run at once.</summary>
        protected abstract int Throttle { get; }

        /// <summary>Shown by Write-Progress while targets are outstanding.</summary>
        protected virtual string Activity => MyInvocation.MyCommand.Name;

        /// <summary>Cancelled by Ctrl+C.</summary>
        protected CancellationToken StopToken => _stop.Token;

        /// <summary>
        /// Works on one target off the pipeline thread. Report results through <paramref name="emit"/>, which queues
        /// the write to the pipeline thread; never call WriteObject/WriteError from here.
        /// </summary>
        protected abstract Task RunAsync(TTarget target, Action<Action> emit, CancellationToken cancellationToken);

        /// <summary>The TargetObject of an error about <paramref name="target"/>: what the user gave, not an internal options object.</summary>
        protected virtual object? ErrorTarget(TTarget target) => target;

        /// <summary>Starts one target, waiting for a free slot first (writing finished results meanwhile).</summary>
        protected void Start(TTarget target)
        {
            _slots ??= new SemaphoreSlim(Math.Max(1, Throttle));
            if (_started == 0) _firstStart = DateTime.UtcNow;
            try
            {
                while (!_slots.Wait(50, StopToken))
                {
                    Drain();
                    ShowProgress(); // many targets: the pipeline waits here for a free slot
                }
            }
            catch (OperationCanceledException)
            {
                throw new PipelineStoppedException();
            }
            Interlocked.Increment(ref _started);
            Task.Run(async () =>
            {
                try
                {
                    await RunAsync(target, action => _completions.Add(action), StopToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (StopToken.IsCancellationRequested)
                {
                }
                catch (TlsToolsException e)
                {
                    _completions.Add(() => WriteFailure(e, ErrorTarget(target)));
                }
                catch (Exception e)
                {
                    _completions.Add(() => WriteError(ErrorRecords.Unexpected(e, ErrorIds.UnexpectedFailure, ErrorTarget(target))));
                }
                finally
                {
                    Interlocked.Increment(ref _finished);
                    _slots.Release();
                    _completions.Add(() => { });
                }
            });
            Drain();
        }

        /// <summary>Writes what has completed so far, without waiting.</summary>
        protected void Drain()
        {
            while (_completions.TryTake(out var write))
                write();
        }

        /// <summary>Waits for every started target, writing each result as it completes; Ctrl+C ends the wait at once.</summary>
        protected void WaitForAll()
        {
            while (Volatile.Read(ref _finished) < _started)
            {
                Action? write;
                try
                {
                    if (!_completions.TryTake(out write, 100, StopToken))
                        write = null;
                }
                catch (OperationCanceledException)
                {
                    throw new PipelineStoppedException();
                }
                write?.Invoke();
                ShowProgress();
            }
            Drain();
            if (_progressShown)
            {
                _progress!.RecordType = ProgressRecordType.Completed;
                WriteProgress(_progress);
            }
        }

        /// <summary>
        /// "N of M done" once more than one target has run for over a second (M: the targets started so far), at most
        /// four times a second: a sweep of 10,000 targets would otherwise write a progress record per result.
        /// </summary>
        private void ShowProgress()
        {
            var now = DateTime.UtcNow;
            if (_started < 2 || (!_progressShown && (now - _firstStart).TotalSeconds <= 1) || (now - _lastProgress).TotalMilliseconds < 250) return;
            _lastProgress = now;
            _progress ??= new ProgressRecord(Math.Abs(GetHashCode() % 100000) + 1, Activity, "Starting");
            _progressShown = true;
            int finished = Volatile.Read(ref _finished);
            _progress.StatusDescription = finished + " of " + _started + " done";
            _progress.PercentComplete = Math.Min(100, 100 * finished / _started);
            WriteProgress(_progress);
        }

        protected override void EndProcessing() => WaitForAll();

        protected override void StopProcessing() => _stop.Cancel();

        public void Dispose()
        {
            _stop.Cancel();
            _stop.Dispose();
            _slots?.Dispose();
            _completions.Dispose();
        }
    }
}
