using System;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using TlsTools.Net;
using TlsTools.Pki;
using TlsTools.PowerShell.Infrastructure;
using TlsTools.Revocation.Online;
using TlsTools.Tls;

namespace TlsTools.PowerShell.Commands
{
    /// <summary>
    /// Runs a TLS handshake with each target and reports what was negotiated, the certificates, their validation and
    /// the transcript. Targets run concurrently (-ThrottleLimit); each result is written as it completes.
    /// </summary>
    /// <remarks>
    /// Failure policy: a target that cannot be reached or refuses the handshake gives a result with Success false
    /// AND a non-terminating ErrorRecord whose ErrorId comes from the core (ConnectionRefused, HostNotFound,
    /// ConnectTimeout, HandshakeTimeout, TlsAlertReceived, TlsAlertSent, ...) and whose category is ConnectionError,
    /// OperationTimeout or ProtocolError; the record's TargetObject is the result. A chain that fails validation is
    /// not an error: it is reported in the result's Validation. Options that no target could use (unknown names, a
    /// TLS 1.3 session to resume, a client certificate without key) stop the command before any connection.
    /// </remarks>
    [Cmdlet(VerbsLifecycle.Invoke, "TlsHandshake")]
    [OutputType(typeof(HandshakeResult))]
    public sealed class InvokeTlsHandshakeCommand : TlsTargetCmdlet<HandshakeOptions>
    {
        private string? _keyLogPath;
        private OnlineSession? _online;

        [Parameter]
        [ArgumentCompleter(typeof(TlsVersionCompleter))]
        public TlsVersion[]? TlsVersion { get; set; }

        [Parameter]
        [ArgumentCompleter(typeof(TlsCipherSuiteCompleter))]
        public string[]? CipherSuite { get; set; }

        [Parameter]
        [ArgumentCompleter(typeof(TlsNamedGroupCompleter))]
        public string[]? NamedGroup { get; set; }

        [Parameter]
        [ArgumentCompleter(typeof(TlsSignatureSchemeCompleter))]
        public string[]? SignatureAlgorithm { get; set; }

        [Parameter]
        [ArgumentCompleter(typeof(TlsAlpnCompleter))]
        [ValidateNotNullOrEmpty]
        public string[]? Alpn { get; set; }

        /// <summary>The client certificate with its private key, optionally followed by its intermediates.</summary>
        [Parameter]
        [ValidateNotNull]
        [CertificateInput]
        public Certificate[]? ClientCertificate { get; set; }

        /// <summary>Trust anchors for validation, replacing the operating system's store.</summary>
        [Parameter]
        [ValidateNotNull]
        [CertificateInput]
        public Certificate[]? TrustedRoot { get; set; }

        /// <summary>CRLs to check the server's chain against (revocation is checked only with CRLs given).</summary>
        [Parameter]
        [ValidateNotNull]
        [CrlInput]
        public CertificateRevocationList[]? Crl { get; set; }

        [Parameter]
        public SwitchParameter SkipCertificateCheck { get; set; }

        /// <summary>Validation fetches what is missing: intermediates from AIA caIssuers, OCSP answers, CRLs (each fetch bounded by -TimeoutSeconds).</summary>
        [Parameter]
        public SwitchParameter Online { get; set; }

        /// <summary>What an Unknown or Unavailable revocation answer does: Warn (default) or Fail (check RevocationUnavailable).</summary>
        [Parameter]
        public RevocationFailureAction RevocationFailure { get; set; } = RevocationFailureAction.Warn;

        [Parameter]
        [ValidateRange(1, 3600)]
        public int TimeoutSeconds { get; set; } = 10;

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? KeyLogFile { get; set; }

        [Parameter]
        [ValidateRange(1, 1024)]
        public int ThrottleLimit { get; set; } = 16;

        [Parameter]
        public HandshakeResult? ResumeSession { get; set; }

        protected override int Throttle => ThrottleLimit;

        protected override string Activity => "TLS handshakes";

        protected override void BeginProcessing()
        {
            try
            {
                if (KeyLogFile != null) _keyLogPath = ResolveOutputPath(KeyLogFile);
                // Options no target could use stop the command once, before any connection.
                TlsClientRunner.Plan.From(Options(TlsTarget.Create("localhost")));
                // One run: each URL is fetched at most once for all targets.
                if (Online && !SkipCertificateCheck) _online = new OnlineSession(TimeSpan.FromSeconds(TimeoutSeconds), RevocationFailure);
            }
            catch (TlsToolsException e)
            {
                Terminate(e, (object?)ResumeSession ?? KeyLogFile);
            }
        }

        protected override void ProcessRecord()
        {
            var target = ReadTarget();
            if (target != null) Start(Options(target));
        }

        protected override object? ErrorTarget(HandshakeOptions target) => target.Target;

        protected override async Task RunAsync(HandshakeOptions target, Action<Action> emit, CancellationToken cancellationToken)
        {
            var result = await new TlsClientRunner().HandshakeAsync(target, cancellationToken).ConfigureAwait(false);
            if (_online != null)
                await HandshakeValidation.ValidateOnlineAsync(result, TrustedRoot, Crl, _online, cancellationToken).ConfigureAwait(false);
            else if (!SkipCertificateCheck)
                HandshakeValidation.Validate(result, TrustedRoot, cancellationToken, Crl, RevocationFailure);
            emit(() =>
            {
                WriteObject(result);
                if (!result.Success)
                    WriteError(ErrorRecords.From(result.ToException()!, result));
                else if (result.ErrorId != null)
                    WriteError(ErrorRecords.From(result.ErrorId, result.ErrorKind ?? ErrorKind.WriteError, result.Error ?? result.ErrorId, result));
            });
        }

        protected override void EndProcessing()
        {
            base.EndProcessing();
            _online?.Dispose();
        }

        private HandshakeOptions Options(TlsTarget target) => new HandshakeOptions(target)
        {
            TlsVersions = TlsVersion,
            CipherSuites = CipherSuite,
            NamedGroups = NamedGroup,
            SignatureAlgorithms = SignatureAlgorithm,
            Alpn = Alpn,
            ClientCertificate = ClientCertificate?.Length > 0 ? ClientCertificate[0] : null,
            ClientCertificateChain = ClientCertificate?.Length > 1 ? ClientCertificate.Skip(1).ToList() : null,
            Timeout = TimeSpan.FromSeconds(TimeoutSeconds),
            KeyLogPath = _keyLogPath,
            ResumeSession = ResumeSession,
        };
    }
}
