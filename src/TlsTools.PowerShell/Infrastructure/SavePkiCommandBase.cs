using System.Management.Automation;

namespace TlsTools.PowerShell.Infrastructure
{
    /// <summary>The shared shape of the Save- cmdlets: -Path, -Force, ShouldProcess; writes are atomic.</summary>
    public abstract class SavePkiCommandBase : TlsToolsCmdlet
    {
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = string.Empty;

        /// <summary>Replace an existing file.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Encodes and writes; failures become ErrorRecords.</summary>
        protected void Save(System.Func<byte[]> encode, bool isPrivate, string what)
        {
            byte[] data;
            try
            {
                data = encode();
            }
            catch (TlsToolsException e)
            {
                WriteFailure(e, Path);
                return;
            }
            var file = WriteFileSafely(Path, data, Force.IsPresent, isPrivate, what);
            if (file != null) WriteObject(file);
        }
    }
}
