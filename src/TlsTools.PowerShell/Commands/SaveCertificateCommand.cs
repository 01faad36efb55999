using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using System.Security;
using TlsTools.Formats;
using TlsTools.Pki;
using TlsTools.PowerShell.Infrastructure;

namespace TlsTools.PowerShell.Commands
{
    /// <summary>Writes certificates to one file: PEM (all of them), DER (one) or PFX (the key and the chain, password-protected).</summary>
    [Cmdlet(VerbsData.Save, "Certificate", SupportsShouldProcess = true)]
    [OutputType(typeof(FileInfo))]
    public sealed class SaveCertificateCommand : SavePkiCommandBase
    {
        private readonly List<Certificate> _certificates = new List<Certificate>();

        [Parameter(Mandatory = true, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Certificates")]
        [CertificateInput]
        public Certificate[] Certificate { get; set; } = new Certificate[0];

        [Parameter]
        public CertificateFormat Format { get; set; } = CertificateFormat.Pem;

        /// <summary>The private key of the first certificate (e.g. from Read-PrivateKey), to pair them in a PFX; it must match.</summary>
        [Parameter]
        [ValidateNotNull]
        public PrivateKey? PrivateKey { get; set; }

        /// <summary>Protects a PFX.</summary>
        [Parameter]
        [ValidateNotNull]
        public SecureString? Password { get; set; }

        protected override void ProcessRecord()
        {
            foreach (var c in Certificate)
                if (c != null) _certificates.Add(c);
        }

        protected override void EndProcessing()
        {
            if (_certificates.Count == 0)
            {
                WriteFailure(new TlsToolsException(ErrorIds.NoCertificate, ErrorKind.InvalidArgument, "No certificate was given to write."));
                return;
            }
            if (PrivateKey != null)
            {
                try
                {
                    _certificates[0] = _certificates[0].WithPrivateKey(PrivateKey);
                }
                catch (TlsToolsException e)
                {
                    WriteFailure(e, _certificates[0]);
                    return;
                }
            }
            Save(() => WithPassword(Password, pw => PkiWriter.EncodeCertificates(_certificates, Format, pw)),
                isPrivate: Format == CertificateFormat.Pfx, what: _certificates.Count + " certificate(s) as " + Format);
        }
    }
}
