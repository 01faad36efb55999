using System;
using System.Linq;
using TlsTools.Scanning.Wire;
using TlsTools.Tls;

namespace TlsTools.Scanning
{
    /// <summary>
    /// A scan of a port where something other than TLS answers: no version accepted, and the probes' replies were not TLS
    /// records. Get-TlsServerProfile then reports NotTls with the words Invoke-TlsHandshake uses.
    /// </summary>
    internal static class NotTlsCheck
    {
        /// <summary>The NotTls error for the report, or null when the server spoke TLS (or the scan says nothing either way).</summary>
        public static TlsToolsException? For(ServerProfileReport report)
        {
            if (report == null || report.TlsVersions.Count > 0) return null;
            if (!report.Errors.Any(e => e.IndexOf(ServerFlightParser.NotTlsRecord, StringComparison.Ordinal) >= 0)) return null;
            var where = report.Target?.ToString() ?? report.HostName + ":" + report.Port;
            return new TlsToolsException(ErrorIds.NotTls, ErrorKind.ProtocolError, HandshakeFailure.NotTlsMessage(where), target: report.Target);
        }
    }
}
