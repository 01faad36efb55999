using System.Management.Automation;

namespace TlsTools.PowerShell.Infrastructure
{
    /// <summary>
    /// The shared shape of the Save- cmdlets: -Path, -Force, ShouldProcess; writes are atomic. Each writes the file it
    /// wrote as Get-Item returns it (a FileInfo with its provider properties, so the default view shows Mode, LastWriteTime
    /// and Length), as New-Item does for the item it creates: the caller learns the full path, and can pipe it on.
    /// </summary>
    public abstract class SavePkiCommandBase : TlsToolsCmdlet
    {
        /// <summary>The file to write (a literal path: wildcard characters are part of the name).</summary>
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
            if (file != null) WriteObject(SessionState.InvokeProvider.Item.Get(new[] { file.FullName }, false, true), true);
        }
    }
}
