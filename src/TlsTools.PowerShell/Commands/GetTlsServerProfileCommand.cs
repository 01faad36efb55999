using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using TlsTools.Net;
using TlsTools.PowerShell.Infrastructure;
using TlsTools.Revocation.Online;
using TlsTools.Scanning;

namespace TlsTools.PowerShell.Commands
{
    /// <summary>
    /// Scans TLS servers: versions, cipher suites (rated), preference, named groups, signature algorithms, certificate chains with
    /// their validation verdicts, and extensions. Several targets are scanned at once; one report per target.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "TlsServerProfile")]
    [OutputType(typeof(ServerProfileReport))]
    public sealed class GetTlsServerProfileCommand : TlsTargetCmdlet<TlsTarget>
    {
        private int _targets;
        private OnlineSession? _online;

        /// <summary>How many targets are scanned at once (default 4); each target uses up to 8 connections at a time.</summary>
        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = 4;

        /// <summary>Bound on each probe (connect, send, read) in seconds (default 5).</summary>
        [Parameter]
        [ValidateRange(1, 600)]
        public int TimeoutSeconds { get; set; } = 5;

        /// <summary>Trust anchors for the chain verdicts, replacing the default store (SSL_CERT_FILE/SSL_CERT_DIR or the OS's).</summary>
        [Parameter]
        [ValidateNotNull]
        [AllowEmptyCollection]
        [CertificateInput]
        public Pki.Certificate[]? TrustedRoot { get; set; }

        /// <summary>Intermediates that may complete a served chain, for a server that does not send its own.</summary>
        [Parameter]
        [ValidateNotNull]
        [AllowEmptyCollection]
        [CertificateInput]
        public Pki.Certificate[] Intermediate { get; set; } = Array.Empty<Pki.Certificate>();

        /// <summary>Chain validation fetches what is missing: intermediates from AIA caIssuers, OCSP answers, CRLs (each fetch bounded by -TimeoutSeconds).</summary>
        [Parameter]
        public SwitchParameter Online { get; set; }

        /// <summary>What an Unknown or Unavailable revocation answer does: Warn (default) or Fail (check RevocationUnavailable).</summary>
        [Parameter]
        public RevocationFailureAction RevocationFailure { get; set; } = RevocationFailureAction.Warn;

        /// <summary>Also checks the server against Mozilla's Server Side TLS guidelines 5.7 (MozillaModern, MozillaIntermediate,
        /// MozillaOld): the report's PolicyCompliance lists each deviation.</summary>
        [Parameter]
        public TlsPolicy? Policy { get; set; }

        protected override int Throttle => ThrottleLimit;

        protected override void BeginProcessing()
        {
            // One run: each URL is fetched at most once for all targets.
            if (Online) _online = new OnlineSession(TimeSpan.FromSeconds(TimeoutSeconds), RevocationFailure);
        }

        protected override void EndProcessing()
        {
            base.EndProcessing();
            _online?.Dispose();
        }

        protected override void ProcessRecord()
        {
            var target = ReadTarget();
            if (target != null) Start(target);
        }

        protected override async Task RunAsync(TlsTarget target, Action<Action> emit, CancellationToken cancellationToken)
        {
            var options = new ScanOptions(target)
            {
                Timeout = TimeSpan.FromSeconds(TimeoutSeconds),
                TrustedRoots = TrustedRoot == null ? null : Array.ConvertAll(TrustedRoot, c => c.WithoutPrivateKey()),
                Intermediates = Array.ConvertAll(Intermediate, c => c.WithoutPrivateKey()),
                Online = _online,
                Policy = Policy,
            };
            int activityId = 200000 + Interlocked.Increment(ref _targets);
            var progress = new TargetProgress(new ProgressRecord(activityId, "Scanning " + target, "Connecting"), emit, WriteProgress);
            progress.Begin();
            try
            {
                var report = await TlsServerScanner.ReportAsync(options, progress, cancellationToken).ConfigureAwait(false);
                var notTls = NotTlsCheck.For(report);
                emit(() =>
                {
                    WriteObject(report);
                    if (notTls != null) WriteFailure(notTls, target);
                });
            }
            finally
            {
                progress.Complete();
            }
        }

        /// <summary>
        /// Turns the scanner's per-probe reports into Write-Progress calls on the pipeline thread: at most one write queued at a
        /// time, at most one every 150 ms, always the latest state.
        /// </summary>
        private sealed class TargetProgress : IProgress<ScanProgress>
        {
            private readonly ProgressRecord _record;
            private readonly Action<Action> _emit;
            private readonly Action<ProgressRecord> _write;
            private ScanProgress? _latest;
            private int _queued;
            private long _lastTicks;
            private volatile bool _done;

            public TargetProgress(ProgressRecord record, Action<Action> emit, Action<ProgressRecord> write)
            {
                _record = record;
                _emit = emit;
                _write = write;
            }

            public void Report(ScanProgress value)
            {
                Interlocked.Exchange(ref _latest, value);
                long now = DateTime.UtcNow.Ticks;
                if (_done || now - Interlocked.Read(ref _lastTicks) < TimeSpan.TicksPerMillisecond * 150) return;
                if (Interlocked.CompareExchange(ref _queued, 1, 0) != 0) return;
                Interlocked.Exchange(ref _lastTicks, now);
                _emit(() =>
                {
                    Volatile.Write(ref _queued, 0);
                    var p = Volatile.Read(ref _latest);
                    if (_done || p == null) return;
                    _record.StatusDescription = p.Activity + " (" + p.CompletedProbes + " probes)";
                    _record.PercentComplete = p.PercentComplete;
                    _write(_record);
                });
            }

            /// <summary>Shows the target at once ("Connecting"), before the first probe answers.</summary>
            public void Begin()
            {
                Interlocked.Exchange(ref _lastTicks, DateTime.UtcNow.Ticks);
                _emit(() =>
                {
                    if (!_done) _write(_record);
                });
            }

            public void Complete() => _emit(() =>
            {
                if (_done) return;
                _done = true;
                if (_lastTicks == 0) return; // never shown
                _record.RecordType = ProgressRecordType.Completed;
                _write(_record);
            });
        }
    }
}
