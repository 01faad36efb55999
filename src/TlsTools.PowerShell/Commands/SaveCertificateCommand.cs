using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using System.Security;
using TlsTools.Formats;
using TlsTools.Pki;
using TlsTools.PowerShell.Infrastructure;

namespace TlsTools.PowerShell.Commands
{
    /// <summary>
    /// Writes certificates to one file: PEM (all of them), DER (one), PFX (the key and the chain, password-protected) or P7B
    /// (PKCS#7, certificates only). Without -Format the file's extension decides (<see cref="FormatFor"/>).
    /// </summary>
    [Cmdlet(VerbsData.Save, "Certificate", SupportsShouldProcess = true)]
    [OutputType(typeof(FileInfo))]
    public sealed class SaveCertificateCommand : SavePkiCommandBase
    {
        private readonly List<Certificate> _certificates = new List<Certificate>();

        [Parameter(Mandatory = true, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Certificates")]
        [CertificateInput]
        public Certificate[] Certificate { get; set; } = new Certificate[0];

        /// <summary>Pem, Der, Pfx or P7b; not given, the extension of -Path decides (PEM for any other extension).</summary>
        [Parameter]
        public CertificateFormat? Format { get; set; }

        /// <summary>The private key of the first certificate (e.g. from Read-PrivateKey), to pair them in a PFX; it must match.</summary>
        [Parameter]
        [ValidateNotNull]
        public PrivateKey? PrivateKey { get; set; }

        /// <summary>Protects a PFX.</summary>
        [Parameter]
        [ValidateNotNull]
        public SecureString? Password { get; set; }

        private CertificateFormat _format;

        /// <summary>The format a file name implies: .der and .cer DER, .pfx and .p12 PFX, .p7b and .p7c PKCS#7, anything else (.pem, .crt) PEM.</summary>
        internal static CertificateFormat FormatFor(string path)
        {
            switch (System.IO.Path.GetExtension(path).ToLowerInvariant())
            {
                case ".der":
                case ".cer":
                    return CertificateFormat.Der;
                case ".pfx":
                case ".p12":
                    return CertificateFormat.Pfx;
                case ".p7b":
                case ".p7c":
                    return CertificateFormat.P7b;
                default:
                    return CertificateFormat.Pem;
            }
        }

        protected override void BeginProcessing()
        {
            _format = Format ?? FormatFor(Path);
            if (Password != null && _format != CertificateFormat.Pfx)
                Terminate(new TlsToolsException(ErrorIds.PasswordNotUsed, ErrorKind.InvalidArgument,
                    "-Password protects a PFX file only, and '" + Path + "' would be written as " + _format +
                    (Format == null ? " (from its extension)" : "") + "; give -Format Pfx or a .pfx/.p12 path, or leave out -Password."), Password);
        }

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
            Save(() => WithPassword(Password, pw => PkiWriter.EncodeCertificates(_certificates, _format, pw)),
                isPrivate: _format == CertificateFormat.Pfx, what: Wording.Count(_certificates.Count, "certificate") + " as " + _format);
        }
    }
}
