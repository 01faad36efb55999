using System.Management.Automation;
using TlsTools.Net;

namespace TlsTools.PowerShell.Infrastructure
{
    /// <summary>
    /// Base for the cmdlets whose input is a TLS target (Invoke-TlsHandshake, Get-TlsServerProfile): one set of -HostName, -Port and
    /// -ServerName parameters, by value and by property name, read through <see cref="TlsTarget.Parse"/> the same way in both.
    /// </summary>
    public abstract class TlsTargetCmdlet<TWork> : ConcurrentTargetCmdlet<TWork>
    {
        /// <summary>The target: host, host:port, [v6]:port, [v6], a bare IPv6 address or https://host[:port]/.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("ComputerName", "Host", "Name", "Target", "Url", "Uri")]
        [ValidateNotNullOrEmpty]
        public string HostName { get; set; } = "";

        /// <summary>TCP port, used when the target names none (default 443); a different port in the target is an error (PortConflict).</summary>
        [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
        [PortInput]
        public int? Port { get; set; }

        /// <summary>SNI to send: not given, the host name unless it is an IP address; '' sends none; a name sends that name.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("Sni")]
        [AllowEmptyString]
        [AllowNull]
        public string? ServerName { get; set; }

        /// <summary>This record's target, or null after writing the error of a malformed one (InvalidTarget, InvalidPort, ...).</summary>
        protected TlsTarget? ReadTarget()
        {
            try
            {
                return TlsTarget.Parse(HostName, Port, ServerName);
            }
            catch (TlsToolsException e)
            {
                WriteFailure(e, e.ErrorId == ErrorIds.InvalidPort && Port != null ? (object)Port.Value : HostName);
                return null;
            }
        }
    }
}
