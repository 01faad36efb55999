using System;
using System.Management.Automation;
using System.Threading;
using TlsTools.Concurrency;

namespace TlsTools.PowerShell.Infrastructure
{
    /// <summary>
    /// Files read in parallel, for a cmdlet whose parsing is costly (<see cref="ReadsInParallel"/>): with more than one
    /// input, each file is read and parsed on the thread pool (at most one per processor, a bounded number held), and its
    /// objects or its error are written on the pipeline thread in input order, as soon as it and every input before it
    /// are done (in practice: at each new input, and at the end). Errors found before reading (a path that matches
    /// nothing, a folder) keep their place too. Ctrl+C cancels the reads at once; a single input is read inline.
    /// </summary>
    public abstract partial class ReadPkiCommandBase<T> : IDisposable
    {
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        private OrderedParallelMap<string, Action>? _reads;
        private bool? _parallel;

        /// <summary>True when this cmdlet reads several files in parallel (its Parse must be thread-safe and need no password).</summary>
        protected virtual bool ReadsInParallel => false;

        /// <summary>Cancelled by Ctrl+C: for a long parse (a bundle of many requests).</summary>
        protected CancellationToken StopToken => _stop.Token;

        /// <summary>Reads a file now (one input) or in parallel (several), its result written in order.</summary>
        private void Read(string path)
        {
            _parallel ??= ReadsInParallel && Environment.ProcessorCount > 1 && MoreThanOneInputMayCome();
            if (_parallel != true)
            {
                CurrentPath = path;
                try
                {
                    Stoppable(() => ReadPath(path)());
                }
                finally
                {
                    CurrentPath = null;
                }
                return;
            }
            _reads ??= OrderedParallel.Create<string, Action>((p, _) => ReadPath(p), _stop.Token);
            Stoppable(() => _reads.Add(path, Write));
        }

        private bool MoreThanOneInputMayCome()
        {
            if (MyInvocation.ExpectingInput || ParameterSetName == InputObjectSet) return true;
            if (ParameterSetName == LiteralPathSet) return LiteralPath.Length > 1;
            return Path.Length > 1 || WildcardPattern.ContainsWildcardCharacters(Path[0]);
        }

        protected override void WriteInputError(ErrorRecord record)
        {
            if (_reads == null || _reads.Pending == 0)
                WriteError(record);
            else
                Stoppable(() => _reads.AddResult(() => WriteError(record), Write));
        }

        /// <summary>Writes every read still outstanding, in order.</summary>
        private void DrainReads()
        {
            if (_reads != null) Stoppable(() => _reads.Drain(Write));
        }

        private static void Write(Action write) => write();

        private void Stoppable(Action wait)
        {
            try
            {
                wait();
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
        }

        protected override void StopProcessing() => _stop.Cancel();

        /// <summary>Cancels the reads still running (after -ErrorAction Stop, say). The token source is not disposed: reads that are
        /// finishing on other threads may still look at its token.</summary>
        public void Dispose()
        {
            _stop.Cancel();
            _reads?.Dispose();
        }
    }
}
