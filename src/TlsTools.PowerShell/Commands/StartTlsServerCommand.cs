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
    [Cmdlet(VerbsLifecycle.Start, "TlsServer", SupportsShouldProcess = true)]
    [OutputType(typeof(TlsServerHost))]
    public sealed class StartTlsServerCommand : TlsToolsCmdlet
    {
        /// <summary>The server certificate, carrying its private key.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
        public Certificate? Certificate { get; set; }

        /// <summary>Intermediates sent after the certificate.</summary>
        [Parameter]
        public Certificate[]? Chain { get; set; }

        /// <summary>Loopback port; 0 (default) picks a free one.</summary>
        [Parameter]
        [ValidateRange(0, 65535)]
        public int Port { get; set; }

        [Parameter]
        [ArgumentCompleter(typeof(TlsVersionCompleter))]
        public TlsVersion[]? TlsVersion { get; set; }

        [Parameter]
        [ArgumentCompleter(typeof(TlsCipherSuiteCompleter))]
        public string[]? CipherSuite { get; set; }

        [Parameter]
        [ArgumentCompleter(typeof(TlsAlpnCompleter))]
        public string[]? Alpn { get; set; }

        [Parameter]
        public SwitchParameter RequireClientCertificate { get; set; }

        /// <summary>Roots a client certificate must chain to; given alone, a client certificate is asked for but optional.</summary>
        [Parameter]
        public Certificate[]? TrustedRoot { get; set; }

        protected override void ProcessRecord()
        {
            if (!ShouldProcess("127.0.0.1:" + Port + " (" + Certificate!.Subject + ")", "Start TLS server"))
                return;
            try
            {
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
                });
                TlsServerRegistry.Add(server);
                WriteObject(server);
            }
            catch (TlsToolsException e)
            {
                WriteFailure(e, Certificate);
            }
        }
    }
}
