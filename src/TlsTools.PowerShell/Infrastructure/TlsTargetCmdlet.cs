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

        /// <summary>The protocol spoken before TLS (STARTTLS): Smtp, Lmtp, Imap, Pop3, Sieve, Ftp, Ldap, Postgres, Mysql, Xmpp, XmppServer,
        /// Nntp, Irc; None turns off what a well-known port implies. Not given (or an empty CSV cell): the port decides.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [EmptyAsNull]
        public StartTlsProtocol? StartTls { get; set; }

        /// <summary>This record's target, or null after writing the error of a malformed one (InvalidTarget, InvalidPort, ...).</summary>
        protected TlsTarget? ReadTarget()
        {
            try
            {
                return TlsTarget.Parse(HostName, Port, ServerName, StartTls);
            }
            catch (TlsToolsException e)
            {
                WriteFailure(e, e.ErrorId == ErrorIds.InvalidPort && Port != null ? (object)Port.Value : HostName);
                return null;
            }
        }
    }

    /// <summary>Turns an empty or blank string (an empty CSV cell) into null, so "not given" binds as not given.</summary>
    [System.AttributeUsage(System.AttributeTargets.Property | System.AttributeTargets.Field)]
    public sealed class EmptyAsNullAttribute : ArgumentTransformationAttribute
    {
        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            var value = inputData is PSObject ps ? ps.BaseObject : inputData;
            return value is string s && s.Trim().Length == 0 ? null : inputData;
        }
    }
}
