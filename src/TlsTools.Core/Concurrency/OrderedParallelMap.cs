using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace TlsTools.Concurrency
{
    /// <summary>
    /// Maps inputs on the thread pool and hands the results back on the caller's thread in input order, as soon as a
    /// result and every one before it are done. At most <c>maxParallel</c> inputs are mapped at once, and at most
    /// <c>maxPending</c> are held (started, or done and waiting for an earlier one): <see cref="Add"/> waits for the
    /// oldest when that many are held, so memory stays flat however many inputs come. One caller thread (a cmdlet's
    /// pipeline thread) calls <see cref="Add"/>, <see cref="AddResult"/> and <see cref="Drain"/>; the results are handed
    /// to <c>take</c> there. An exception thrown by the map is rethrown by the call that reaches its turn, unwrapped;
    /// the results after it stay held for the next call. Cancelling the token (or disposing) ends every wait at once
    /// with <see cref="OperationCanceledException"/>; inputs not yet started are not started.
    /// </summary>
    internal sealed class OrderedParallelMap<TIn, TOut> : IDisposable
    {
        private readonly Func<TIn, CancellationToken, TOut> _map;
        private readonly Queue<Task<TOut>> _held = new Queue<Task<TOut>>();
        private readonly SemaphoreSlim _slots;
        private readonly CancellationTokenSource _cancel;
        private readonly int _maxPending;

        /// <param name="map">The work for one input; runs on a thread-pool thread (it must not touch the caller's state).</param>
        /// <param name="maxParallel">How many inputs are mapped at once (at least 1).</param>
        /// <param name="maxPending">How many inputs are held at most, running or done (at least <paramref name="maxParallel"/>).</param>
        /// <param name="cancellationToken">Ends every wait and every start.</param>
        public OrderedParallelMap(Func<TIn, CancellationToken, TOut> map, int maxParallel, int maxPending, CancellationToken cancellationToken)
        {
            if (maxParallel < 1) throw new ArgumentOutOfRangeException(nameof(maxParallel), maxParallel, "At least 1.");
            if (maxPending < maxParallel) throw new ArgumentOutOfRangeException(nameof(maxPending), maxPending, "At least maxParallel.");
            _map = map ?? throw new ArgumentNullException(nameof(map));
            _slots = new SemaphoreSlim(maxParallel, maxParallel);
            _maxPending = maxPending;
            _cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        }

        /// <summary>How many inputs are held (running, or done and not yet taken).</summary>
        public int Pending => _held.Count;

        /// <summary>
        /// Starts mapping <paramref name="input"/>: first, while <c>maxPending</c> are held, waits for the oldest and
        /// takes it; afterwards takes every result that is ready in order.
        /// </summary>
        public void Add(TIn input, Action<TOut> take)
        {
            MakeRoom(take);
            _held.Enqueue(Start(input));
            TakeReady(take);
        }

        /// <summary>A result known without work (an error found before reading, say): it keeps its place among the others.</summary>
        public void AddResult(TOut result, Action<TOut> take)
        {
            if (_held.Count == 0)
            {
                take(result);
                return;
            }
            MakeRoom(take);
            _held.Enqueue(Task.FromResult(result));
            TakeReady(take);
        }

        /// <summary>Waits for every held input in turn and takes its result.</summary>
        public void Drain(Action<TOut> take)
        {
            while (_held.Count > 0) TakeOldest(take);
        }

        /// <summary>Cancels what has not finished; results not taken are dropped.</summary>
        public void Dispose() => _cancel.Cancel();

        private void MakeRoom(Action<TOut> take)
        {
            while (_held.Count >= _maxPending) TakeOldest(take);
        }

        private void TakeReady(Action<TOut> take)
        {
            while (_held.Count > 0 && _held.Peek().IsCompleted) TakeOldest(take);
        }

        private void TakeOldest(Action<TOut> take)
        {
            var task = _held.Peek();
            try
            {
                task.Wait(_cancel.Token);
            }
            catch (AggregateException)
            {
                // The map threw: rethrown unwrapped below, at its turn.
            }
            _held.Dequeue();
            take(task.GetAwaiter().GetResult());
        }

        private Task<TOut> Start(TIn input)
        {
            var token = _cancel.Token;
            return Task.Run(async () =>
            {
                await _slots.WaitAsync(token).ConfigureAwait(false);
                try
                {
                    token.ThrowIfCancellationRequested();
                    return _map(input, token);
                }
                finally
                {
                    _slots.Release();
                }
            }, token);
        }
    }

    /// <summary>The one sizing of parallel work over many inputs: one input mapped per processor, four per processor held.</summary>
    internal static class OrderedParallel
    {
        /// <summary>A map sized for this machine.</summary>
        public static OrderedParallelMap<TIn, TOut> Create<TIn, TOut>(Func<TIn, CancellationToken, TOut> map, CancellationToken cancellationToken) =>
            new OrderedParallelMap<TIn, TOut>(map, Environment.ProcessorCount, 4 * Environment.ProcessorCount, cancellationToken);

        /// <summary>
        /// Every input mapped, in parallel when there are several and more than one processor, the results in input order.
        /// The first exception in input order is thrown (as a loop would throw it) and the work still outstanding is cancelled.
        /// </summary>
        public static List<TOut> Map<TIn, TOut>(IReadOnlyList<TIn> inputs, Func<TIn, TOut> map, CancellationToken cancellationToken)
        {
            var results = new List<TOut>(inputs.Count);
            if (inputs.Count < 2 || Environment.ProcessorCount < 2)
            {
                foreach (var input in inputs)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    results.Add(map(input));
                }
                return results;
            }
            using (var parallel = Create<TIn, TOut>((input, _) => map(input), cancellationToken))
            {
                foreach (var input in inputs) parallel.Add(input, results.Add);
                parallel.Drain(results.Add);
            }
            return results;
        }
    }
}
