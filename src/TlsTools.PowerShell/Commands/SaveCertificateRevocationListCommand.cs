using System.IO;
using System.Management.Automation;
using TlsTools.Formats;
using TlsTools.Pki;
using TlsTools.PowerShell.Infrastructure;

namespace TlsTools.PowerShell.Commands
{
    /// <summary>Writes a CRL (PEM by default).</summary>
    [Cmdlet(VerbsData.Save, "CertificateRevocationList", SupportsShouldProcess = true)]
    [OutputType(typeof(FileInfo))]
    public sealed class SaveCertificateRevocationListCommand : SavePkiCommandBase
    {
        [Parameter(Mandatory = true, ValueFromPipeline = true)]
        [Alias("Crl")]
        public CertificateRevocationList? CertificateRevocationList { get; set; }

        [Parameter]
        public KeyFormat Format { get; set; } = KeyFormat.Pem;

        protected override void ProcessRecord() =>
            Save(() => PkiWriter.EncodeCrl(CertificateRevocationList!, Format), isPrivate: false, what: "CRL of '" + CertificateRevocationList!.Issuer + "'");
    }
}
