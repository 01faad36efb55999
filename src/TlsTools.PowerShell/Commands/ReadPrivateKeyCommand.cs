using System.Collections.Generic;
using System.Management.Automation;
using System.Security;
using TlsTools.Formats;
using TlsTools.Pki;
using TlsTools.PowerShell.Infrastructure;

namespace TlsTools.PowerShell.Commands
{
    /// <summary>Reads a private key: PKCS#8 (encrypted or not), PKCS#1, SEC1, OpenSSL's encrypted PEM, or the key in a PFX.</summary>
    [Cmdlet(VerbsCommunications.Read, "PrivateKey", DefaultParameterSetName = PathSet)]
    [OutputType(typeof(PrivateKey))]
    public sealed class ReadPrivateKeyCommand : ReadPkiCommandBase<PrivateKey>
    {
        [Parameter]
        public SecureString? Password { get; set; }

        protected override string What => "private key";

        protected override SecureString? InputPassword => Password;

        protected override IEnumerable<PrivateKey> Parse(byte[] data, char[]? password)
        {
            yield return PkiReader.ReadPrivateKey(data, password);
        }
    }
}
