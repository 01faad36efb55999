using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using TlsTools.Net;
using TlsTools.Pki;
using TlsTools.PowerShell.Infrastructure;
using TlsTools.Tls;

namespace TlsTools.PowerShell.Commands
{
    /// <summary>
    /// Starts a TLS server on 127.0.0.1 and ::1 in the background; it answers each connection with a small HTTP/1.1 response.
    /// The server keeps running until Stop-TlsServer, module removal or the end of the process; with -Wait it runs in the
    /// foreground until Ctrl+C, which stops it.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Start, "TlsServer", SupportsShouldProcess = true, DefaultParameterSetName = CertificateSet)]
    [OutputType(typeof(TlsServerHost))]
    public sealed class StartTlsServerCommand : TlsToolsCmdlet, System.IDisposable
    {
        private readonly List<TlsServerHost> _started = new List<TlsServerHost>();
        private readonly ManualResetEventSlim _interrupted = new ManualResetEventSlim();

        private const string CertificateSet = "Certificate";
        private const string ScenarioSet = "Scenario";

        /// <summary>The server certificate, carrying its private key.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = CertificateSet)]
        [CertificateInput(Single = true)]
        public Certificate? Certificate { get; set; }

        /// <summary>Intermediates sent after the certificate.</summary>
        [Parameter(ParameterSetName = CertificateSet)]
        [CertificateInput]
        public Certificate[]? Chain { get; set; }

        /// <summary>Known-bad endpoints with a throwaway PKI each ("badssl in a box"); one server per scenario.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ScenarioSet)]
        public TlsScenario[]? Scenario { get; set; }

        /// <summary>The name a scenario's certificate is made for (default scenario.tlstools.test).</summary>
        [Parameter(ParameterSetName = ScenarioSet)]
        public string? HostName { get; set; }

        /// <summary>Loopback port; 0 (default) picks a free one.</summary>
        [Parameter]
        [ValidateRange(0, 65535)]
        public int Port { get; set; }

        [Parameter(ParameterSetName = CertificateSet)]
        [ArgumentCompleter(typeof(TlsVersionCompleter))]
        public TlsVersion[]? TlsVersion { get; set; }

        [Parameter(ParameterSetName = CertificateSet)]
        [ArgumentCompleter(typeof(TlsCipherSuiteCompleter))]
        public string[]? CipherSuite { get; set; }

        [Parameter(ParameterSetName = CertificateSet)]
        [ArgumentCompleter(typeof(TlsAlpnCompleter))]
        [ValidateNotNullOrEmpty]
        public string[]? Alpn { get; set; }

        [Parameter(ParameterSetName = CertificateSet)]
        public SwitchParameter RequireClientCertificate { get; set; }

        /// <summary>Speak SMTP, IMAP or POP3 before TLS: a minimal greeting and capabilities with STARTTLS, then TLS when the client asks.</summary>
        [Parameter(ParameterSetName = CertificateSet)]
        [ValidateSet(nameof(StartTlsProtocol.None), nameof(StartTlsProtocol.Smtp), nameof(StartTlsProtocol.Imap), nameof(StartTlsProtocol.Pop3))]
        public StartTlsProtocol StartTls { get; set; }

        /// <summary>Roots a client certificate must chain to; given alone, a client certificate is asked for but optional.</summary>
        [Parameter(ParameterSetName = CertificateSet)]
        [ValidateNotNull]
        [CertificateInput]
        public Certificate[]? TrustedRoot { get; set; }

        /// <summary>CRLs to check client certificates against (with -TrustedRoot); a revoked one is refused with certificate_revoked.</summary>
        [Parameter(ParameterSetName = CertificateSet)]
        [ValidateNotNull]
        [CrlInput]
        public CertificateRevocationList[]? Crl { get; set; }

        /// <summary>An OCSP response to staple for the certificate: a New-OcspResponse result, its DER bytes, or a DER file path.</summary>
        [Parameter(ParameterSetName = CertificateSet)]
        public object? OcspResponse { get; set; }

        /// <summary>Run in the foreground until Ctrl+C, then stop the server(s).</summary>
        [Parameter]
        public SwitchParameter Wait { get; set; }

        protected override void ProcessRecord()
        {
            if (ParameterSetName == ScenarioSet)
            {
                StartScenarios();
                return;
            }
            if (!ShouldProcess("127.0.0.1:" + Port + " (" + Certificate!.Subject + ")", "Start TLS server"))
                return;
            try
            {
                var staple = OcspResponse == null ? null : StapleBytes(OcspResponse);
                // Every connection gets the HTTP/1.1 answer: h2 is refused here, not negotiated and then broken.
                ServerSuites.CheckAlpn(Alpn, refuseHttp2: true);
                var server = TlsServerHost.Start(new TlsServerOptions
                {
                    Certificate = Certificate,
                    Chain = Chain,
                    Port = Port,
                    TlsVersions = TlsVersion,
                    CipherSuites = CipherSuite,
                    Alpn = Alpn,
                    RequireClientCertificate = RequireClientCertificate,
                    TrustedRoots = TrustedRoot,
                    Crls = Crl,
                    OcspResponse = staple,
                    StartTls = StartTls,
                });
                Started(server);
            }
            catch (TlsToolsException e)
            {
                WriteFailure(e, Certificate);
            }
        }

        /// <summary>The DER of -OcspResponse: a response object, bytes, or a file (resolved through the provider).</summary>
        private byte[] StapleBytes(object value)
        {
            switch (value is PSObject ps ? ps.BaseObject : value)
            {
                case Revocation.OcspResponse response:
                    return response.GetRawData();
                case byte[] bytes:
                    return bytes;
                case System.IO.FileInfo file:
                    return ReadFile(file.FullName);
                case string path:
                    foreach (var p in ResolveInputPaths(new[] { path }, literal: false)) return ReadFile(p);
                    throw new TlsToolsException(ErrorIds.PathNotFound, ErrorKind.ObjectNotFound, "No OCSP response file matches '" + path + "'.", target: path);
                case object[] items when items.All(i => (i is PSObject p ? p.BaseObject : i) is byte):
                    return items.Select(i => (byte)(i is PSObject p ? p.BaseObject : i)).ToArray();
                default:
                    throw new TlsToolsException(ErrorIds.UnsupportedInput, ErrorKind.InvalidArgument,
                        "-OcspResponse takes a New-OcspResponse result, DER bytes or a file path, not " + value.GetType().Name + ".", target: value);
            }
        }

        private void StartScenarios()
        {
            foreach (var scenario in Scenario!)
            {
                if (!ShouldProcess("127.0.0.1:" + Port + " (scenario " + scenario + ")", "Start TLS server"))
                    continue;
                try
                {
                    var server = ScenarioFactory.StartServer(scenario, HostName, Port);
                    Started(server);
                }
                catch (TlsToolsException e)
                {
                    WriteFailure(e, scenario);
                }
            }
        }

        private void Started(TlsServerHost server)
        {
            TlsServerRegistry.Add(server);
            _started.Add(server);
            WriteObject(server);
        }

        /// <summary>-Wait: blocks until Ctrl+C (StopProcessing), then stops what this call started.</summary>
        protected override void EndProcessing()
        {
            if (!Wait || _started.Count == 0) return;
            foreach (var server in _started)
                WriteInformation(new HostInformationMessage
                {
                    Message = "Serving https://127.0.0.1:" + server.Port + "/ and https://[::1]:" + server.Port + "/ - press Ctrl+C to stop.",
                }, new[] { "PSHOST" });
            try
            {
                while (!_interrupted.Wait(500))
                {
                    if (_started.TrueForAll(s => !s.IsRunning)) return; // stopped elsewhere (Stop-TlsServer in another runspace)
                }
            }
            finally
            {
                StopStarted();
            }
        }

        protected override void StopProcessing()
        {
            _interrupted.Set();
            if (Wait) StopStarted();
        }

        private void StopStarted()
        {
            lock (_started)
            {
                foreach (var server in _started)
                {
                    server.Stop();
                    TlsServerRegistry.Remove(server);
                }
            }
        }

        public void Dispose() => _interrupted.Dispose();
    }
}
