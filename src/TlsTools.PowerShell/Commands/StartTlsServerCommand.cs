using System.Linq;
using System.Management.Automation;
using TlsTools.Pki;
using TlsTools.PowerShell.Infrastructure;
using TlsTools.Tls;

namespace TlsTools.PowerShell.Commands
{
    /// <summary>
    /// Starts a TLS server on 127.0.0.1 in the background; it answers each connection with a small HTTP response.
    /// The server keeps running until Stop-TlsServer, module removal or the end of the process.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Start, "TlsServer", SupportsShouldProcess = true, DefaultParameterSetName = CertificateSet)]
    [OutputType(typeof(TlsServerHost))]
    public sealed class StartTlsServerCommand : TlsToolsCmdlet
    {
        private const string CertificateSet = "Certificate";
        private const string ScenarioSet = "Scenario";

        /// <summary>The server certificate, carrying its private key.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = CertificateSet)]
        public Certificate? Certificate { get; set; }

        /// <summary>Intermediates sent after the certificate.</summary>
        [Parameter(ParameterSetName = CertificateSet)]
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
        public string[]? Alpn { get; set; }

        [Parameter(ParameterSetName = CertificateSet)]
        public SwitchParameter RequireClientCertificate { get; set; }

        /// <summary>Roots a client certificate must chain to; given alone, a client certificate is asked for but optional.</summary>
        [Parameter(ParameterSetName = CertificateSet)]
        public Certificate[]? TrustedRoot { get; set; }

        /// <summary>An OCSP response to staple for the certificate: a New-OcspResponse result, its DER bytes, or a DER file path.</summary>
        [Parameter(ParameterSetName = CertificateSet)]
        public object? OcspResponse { get; set; }

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
                    OcspResponse = staple,
                });
                TlsServerRegistry.Add(server);
                WriteObject(server);
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
                    TlsServerRegistry.Add(server);
                    WriteObject(server);
                }
                catch (TlsToolsException e)
                {
                    WriteFailure(e, scenario);
                }
            }
        }
    }
}
