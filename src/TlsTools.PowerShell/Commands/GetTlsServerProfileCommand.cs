using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using TlsTools.PowerShell.Infrastructure;
using TlsTools.Scanning;

namespace TlsTools.PowerShell.Commands
{
    /// <summary>
    /// Scans TLS servers: versions, cipher suites (rated), preference, named groups, signature algorithms, certificate chains with
    /// their validation verdicts, and extensions. Several targets are scanned at once; one report per target.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "TlsServerProfile")]
    [OutputType(typeof(ServerProfileReport))]
    public sealed class GetTlsServerProfileCommand : ConcurrentTargetCmdlet<GetTlsServerProfileCommand.ScanTarget>
    {
        /// <summary>One target as read from the pipeline; its text ("host:port") is the ErrorRecord's target.</summary>
        public sealed class ScanTarget
        {
            internal ScanTarget(string hostName, int port, string? serverName)
            {
                HostName = hostName;
                Port = port;
                ServerName = serverName;
            }

            public string HostName { get; }
            public int Port { get; }
            public string? ServerName { get; }

            public override string ToString() => (HostName.Contains(":") ? "[" + HostName + "]" : HostName) + ":" + Port;
        }

        private int _targets;

        /// <summary>Host name or IP address to scan.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string HostName { get; set; } = "";

        /// <summary>TCP port (default 443).</summary>
        [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
        [ValidateRange(1, 65535)]
        public int Port { get; set; } = 443;

        /// <summary>SNI to send; default: the host name unless it is an IP address.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [AllowEmptyString]
        [AllowNull]
        public string? ServerName { get; set; }

        /// <summary>How many targets are scanned at once (default 4); each target uses up to 8 connections at a time.</summary>
        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = 4;

        /// <summary>Bound on each probe (connect, send, read) in seconds (default 5).</summary>
        [Parameter]
        [ValidateRange(1, 600)]
        public int TimeoutSeconds { get; set; } = 5;

        protected override int Throttle => ThrottleLimit;

        protected override void ProcessRecord()
        {
            // An empty ServerName (a blank CSV cell) means "the default", like an absent one.
            string? sni = string.IsNullOrWhiteSpace(ServerName) ? null : ServerName!.Trim();
            Start(new ScanTarget(HostName.Trim(), Port, sni));
        }

        protected override async Task RunAsync(ScanTarget target, Action<Action> emit, CancellationToken cancellationToken)
        {
            var options = new ScanOptions
            {
                HostName = target.HostName,
                Port = target.Port,
                ServerName = target.ServerName,
                Timeout = TimeSpan.FromSeconds(TimeoutSeconds),
            };
            int activityId = 200000 + Interlocked.Increment(ref _targets);
            var progress = new TargetProgress(new ProgressRecord(activityId, "Scanning " + target, "Connecting"), emit, WriteProgress);
            try
            {
                var profile = await TlsServerScanner.ScanAsync(options, progress, cancellationToken).ConfigureAwait(false);
                progress.Report(new ScanProgress(profile.ProbeCount, profile.ProbeCount + 3, "certificate validation and session resumption"));
                var report = await ServerProfileReport.CreateAsync(profile, options, testSessionResumption: true, cancellationToken).ConfigureAwait(false);
                emit(() => WriteObject(report));
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
