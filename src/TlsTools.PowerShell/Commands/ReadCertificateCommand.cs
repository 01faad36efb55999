using System.Collections.Generic;
using System.Management.Automation;
using System.Security;
using TlsTools.Formats;
using TlsTools.Pki;
using TlsTools.PowerShell.Infrastructure;

namespace TlsTools.PowerShell.Commands
{
    /// <summary>Reads certificates from PEM (many), DER, PFX/PKCS#12 (with its key) or PKCS#7/P7B.</summary>
    [Cmdlet(VerbsCommunications.Read, "Certificate", DefaultParameterSetName = PathSet)]
    [OutputType(typeof(Certificate))]
    public sealed class ReadCertificateCommand : ReadPkiCommandBase<Certificate>
    {
        /// <summary>Opens a PFX, or an encrypted key in a PEM bundle.</summary>
        [Parameter]
        public SecureString? Password { get; set; }

        protected override string What => "certificate";

        protected override SecureString? InputPassword => Password;

        protected override IEnumerable<Certificate> Parse(byte[] data, char[]? password) =>
            PkiReader.ReadCertificates(data, password, problem => WriteFailure(CurrentPath == null ? problem : WithPath(problem, CurrentPath), CurrentPath));

        /// <summary>Certificates read from a file carry it in their Path property.</summary>
        protected override Certificate FromFile(Certificate item, string path) => item.WithPath(path);
    }
}
