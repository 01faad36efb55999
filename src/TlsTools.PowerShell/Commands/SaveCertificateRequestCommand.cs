using System.IO;
using System.Management.Automation;
using TlsTools.Formats;
using TlsTools.Pki;
using TlsTools.PowerShell.Infrastructure;

namespace TlsTools.PowerShell.Commands
{
    /// <summary>Writes a certificate request (PEM by default).</summary>
    [Cmdlet(VerbsData.Save, "CertificateRequest", SupportsShouldProcess = true)]
    [OutputType(typeof(FileInfo))]
    public sealed class SaveCertificateRequestCommand : SavePkiCommandBase
    {
        [Parameter(Mandatory = true, ValueFromPipeline = true)]
        public CertificateRequest? Request { get; set; }

        [Parameter]
        public KeyFormat Format { get; set; } = KeyFormat.Pem;

        protected override void ProcessRecord() =>
            Save(() => PkiWriter.EncodeRequest(Request!, Format), isPrivate: false, what: "certificate request for '" + Request!.Subject + "'");
    }
}
