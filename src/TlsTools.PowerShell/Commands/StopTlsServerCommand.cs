using System;
using System.Collections.Generic;
using System.Management.Automation;
using TlsTools.PowerShell.Infrastructure;
using TlsTools.Tls;

namespace TlsTools.PowerShell.Commands
{
    /// <summary>Stops servers started by Start-TlsServer: those piped in, those on the given ports, or all of them.</summary>
    [Cmdlet(VerbsLifecycle.Stop, "TlsServer", DefaultParameterSetName = ServerSet, SupportsShouldProcess = true)]
    [OutputType(typeof(TlsServerHost))]
    public sealed class StopTlsServerCommand : TlsToolsCmdlet
    {
        private const string ServerSet = "Server";
        private const string PortSet = "Port";
        private const string AllSet = "All";

        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = ServerSet)]
        public TlsServerHost[] InputObject { get; set; } = Array.Empty<TlsServerHost>();

        [Parameter(Mandatory = true, ParameterSetName = PortSet)]
        [ValidateRange(1, 65535)]
        [ArgumentCompleter(typeof(TlsServerPortCompleter))]
        public int[] Port { get; set; } = Array.Empty<int>();

        [Parameter(Mandatory = true, ParameterSetName = AllSet)]
        public SwitchParameter All { get; set; }

        /// <summary>Write each stopped server.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            switch (ParameterSetName)
            {
                case PortSet:
                    foreach (var port in Port)
                    {
                        if (TlsServerRegistry.TryGet(port, out var server)) StopOne(server);
                        else WriteFailure(new TlsToolsException(ErrorIds.ServerNotFound, ErrorKind.ObjectNotFound,
                            "No TLS server started by Start-TlsServer is running on port " + port + "."), port);
                    }
                    break;
                case AllSet:
                    foreach (var server in TlsServerRegistry.All) StopOne(server);
                    break;
                default:
                    foreach (var server in InputObject)
                        if (server != null) StopOne(server);
                    break;
            }
        }

        private void StopOne(TlsServerHost server)
        {
            if (!ShouldProcess(server.Address + ":" + server.Port, "Stop TLS server"))
                return;
            server.Stop();
            TlsServerRegistry.Remove(server);
            if (PassThru) WriteObject(server);
        }
    }
}
