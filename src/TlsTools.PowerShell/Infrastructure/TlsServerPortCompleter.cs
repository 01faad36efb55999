using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace TlsTools.PowerShell.Infrastructure
{
    /// <summary>Stop-TlsServer -Port: the ports of this session's running servers (Start-TlsServer), lowest first.</summary>
    public sealed class TlsServerPortCompleter : NameListCompleter
    {
        protected override IEnumerable<string> Names =>
            TlsServerRegistry.All.Select(s => s.Port.ToString(CultureInfo.InvariantCulture));
    }
}
