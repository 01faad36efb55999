using System.Management.Automation;
using TlsTools.Pki;
using TlsTools.PowerShell.Infrastructure;

namespace TlsTools.PowerShell.Commands
{
    /// <summary>Makes a private key (with its public half).</summary>
    [Cmdlet(VerbsCommon.New, "PrivateKey")]
    [OutputType(typeof(PrivateKey))]
    public sealed class NewPrivateKeyCommand : TlsToolsCmdlet
    {
        [Parameter(Position = 0)]
        public KeyAlgorithm Algorithm { get; set; } = KeyAlgorithm.EcdsaP256;

        /// <summary>How many keys to make.</summary>
        [Parameter]
        [ValidateRange(1, 10000)]
        public int Count { get; set; } = 1;

        protected override void ProcessRecord()
        {
            for (int i = 0; i < Count; i++)
                WriteObject(KeyFactory.Generate(Algorithm));
        }
    }
}
