using System;
using System.Diagnostics;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using TlsTools.Pki;
using TlsTools.PowerShell.Infrastructure;

namespace TlsTools.PowerShell.Commands
{
    /// <summary>Makes a private key (with its public half).</summary>
    [Cmdlet(VerbsCommon.New, "PrivateKey")]
    [OutputType(typeof(PrivateKey))]
    public sealed class NewPrivateKeyCommand : TlsToolsCmdlet
    {
        [Parameter(Position = 0)]
        public KeyAlgorithm Algorithm { get; set; } = KeyAlgorithm.EcdsaP256;

        /// <summary>How many keys to make.</summary>
        [Parameter]
        [ValidateRange(1, 10000)]
        public int Count { get; set; } = 1;

        private readonly CancellationTokenSource _stop = new CancellationTokenSource();

        protected override void ProcessRecord()
        {
            var progress = new ProgressRecord(Math.Abs(GetHashCode() % 100000) + 1, "New-PrivateKey", "Generating");
            var clock = Stopwatch.StartNew();
            bool shown = false;
            try
            {
                for (int i = 0; i < Count; i++)
                {
                    // RSA keys take seconds (a 4096-bit one 5-30 s): the key is made off the pipeline thread, which shows
                    // progress after half a second and lets Ctrl+C end the wait at once.
                    var work = Task.Run(() => KeyFactory.Generate(Algorithm));
                    while (!work.Wait(250))
                    {
                        if (_stop.IsCancellationRequested) throw new PipelineStoppedException();
                        if (clock.ElapsedMilliseconds < 500) continue;
                        shown = true;
                        progress.StatusDescription = "Making a new " + Algorithm + " key" +
                            (Count > 1 ? " (" + (i + 1) + " of " + Count + ")" : "") + ", " + (int)clock.Elapsed.TotalSeconds + " s so far";
                        progress.PercentComplete = Count > 1 ? 100 * i / Count : -1;
                        WriteProgress(progress);
                    }
                    WriteObject(work.GetAwaiter().GetResult());
                }
            }
            finally
            {
                if (shown)
                {
                    progress.RecordType = ProgressRecordType.Completed;
                    WriteProgress(progress);
                }
            }
        }

        protected override void StopProcessing() => _stop.Cancel();
    }
}
