using System.Collections.Generic;
using System.Management.Automation;
using TlsTools.Formats;
using TlsTools.Pki;
using TlsTools.PowerShell.Infrastructure;

namespace TlsTools.PowerShell.Commands
{
    /// <summary>Reads certificate revocation lists (PEM or DER).</summary>
    [Cmdlet(VerbsCommunications.Read, "CertificateRevocationList", DefaultParameterSetName = PathSet)]
    [OutputType(typeof(CertificateRevocationList))]
    public sealed class ReadCertificateRevocationListCommand : ReadPkiCommandBase<CertificateRevocationList>
    {
        protected override string What => "certificate revocation list";

        protected override IEnumerable<CertificateRevocationList> Parse(byte[] data, char[]? password) => PkiReader.ReadCrls(data);
    }
}
