using System.IO;
using System.Management.Automation;
using System.Security;
using TlsTools.Formats;
using TlsTools.Pki;
using TlsTools.PowerShell.Infrastructure;

namespace TlsTools.PowerShell.Commands
{
    /// <summary>Writes a private key as PKCS#8, encrypted (AES-256, PBKDF2-SHA256) when a password is given; 0600 on Unix.</summary>
    [Cmdlet(VerbsData.Save, "PrivateKey", SupportsShouldProcess = true)]
    [OutputType(typeof(FileInfo))]
    public sealed class SavePrivateKeyCommand : SavePkiCommandBase
    {
        /// <summary>A key, or a certificate that carries one.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true)]
        public object? PrivateKey { get; set; }

        [Parameter]
        [ValidateNotNull]
        public SecureString? Password { get; set; }

        [Parameter]
        public KeyFormat Format { get; set; } = KeyFormat.Pem;

        protected override void ProcessRecord()
        {
            var value = PrivateKey is PSObject pso ? pso.BaseObject : PrivateKey;
            PrivateKey? key = value switch
            {
                PrivateKey k => k,
                Certificate c => c.PrivateKey,
                CertificateRequest r => r.PrivateKey,
                _ => null,
            };
            if (key == null)
            {
                WriteFailure(new TlsToolsException(ErrorIds.NoPrivateKey, ErrorKind.InvalidArgument,
                    value is Certificate || value is CertificateRequest
                        ? "'" + value + "' carries no private key."
                        : "Give a private key, or a certificate or request that carries one."), value);
                return;
            }
            Save(() => WithPassword(Password, pw => PkiWriter.EncodePrivateKey(key, Format, pw)), isPrivate: true,
                what: key.Algorithm + " private key" + (Password != null ? " (encrypted)" : " (unencrypted)"));
        }
    }
}
