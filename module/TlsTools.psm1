# TlsTools' root module. It decides how the cmdlet assembly is loaded:
# - PowerShell 7 ('Core'): TlsTools.Loader (module/bin/loader, the only TlsTools assembly in the default load
#   context) loads TlsTools.PowerShell, TlsTools.Core and BouncyCastle.Cryptography from module/bin into a private
#   AssemblyLoadContext, so a BouncyCastle that another module loaded cannot replace ours, and ours cannot replace
#   theirs. The cmdlets are imported from that assembly, and the public types get type accelerators, since
#   PowerShell resolves type names only in the default context.
# - Windows PowerShell 5.1 ('Desktop'): no load contexts; the assembly is imported plainly.
# Formats, types and the exported cmdlets stay in TlsTools.psd1.

# [IO.Path], not Join-Path: the first Join-Path of a session loads Microsoft.PowerShell.Management (~80 ms).
$binDirectory = [System.IO.Path]::Combine($PSScriptRoot, 'bin')
# PowerShell's own Import-Module, whatever else is loaded (GetCmdlet: no command discovery at import).
$importModule = $ExecutionContext.InvokeCommand.GetCmdlet('Microsoft.PowerShell.Core\Import-Module')
$acceleratorNames = $null
$loader = $null

if ($PSEdition -eq 'Core') {
    # Assembly.LoadFrom, not Add-Type: Add-Type costs ~150 ms of its own machinery at every import. It hands back the
    # loader already loaded, if any. The type is taken from the assembly, not by name: PowerShell would look for a
    # name it does not know in every loaded assembly, ignoring case (~10 ms at a first import).
    $loader = [System.Reflection.Assembly]::LoadFrom([System.IO.Path]::Combine($binDirectory, 'loader', 'TlsTools.Loader.dll')).GetType('TlsTools.Loader.ModuleLoadContext', $true)
    $loadedBefore = $loader::IsLoaded($binDirectory)
    $assembly = $loader::LoadModule($binDirectory, 'TlsTools.PowerShell')
    $inner = & $importModule -Assembly $assembly -PassThru
    # On a re-import in the same process PowerShell hands back the binary module it imported before from this
    # assembly without exporting its cmdlets to this module again (PowerShell issue 20710): export them here. Not at
    # the first import of this module folder in a process, which is spared these reads (~40 ms).
    if ($loadedBefore) {
        $mine = $ExecutionContext.SessionState.Module.ExportedCmdlets   # a new table at every read: read it once
        if ($mine.Count -lt $inner.ExportedCmdlets.Count) {
            $addCmdlet = [System.Management.Automation.PSModuleInfo].GetMethod('AddExportedCmdlet', [System.Reflection.BindingFlags]'Instance, NonPublic')
            foreach ($cmdlet in $inner.ExportedCmdlets.Values) {
                if (-not $mine.ContainsKey($cmdlet.Name)) {
                    $null = $addCmdlet.Invoke($ExecutionContext.SessionState.Module, @(, $cmdlet))
                }
            }
        }
    }

    # [TlsTools.Pki.Certificate], [TlsTools.Tls.TlsVersion]::Tls13 and the like: accelerators for the public types of
    # the core and the cmdlets, which do not resolve by name from the private context. They are process-wide; the
    # loader counts the imports so the last removal takes them away.
    $acceleratorNames = $loader::AddModuleTypes($assembly, 'TlsTools.Core')
}
else {
    $assembly = (& $importModule -Name ([System.IO.Path]::Combine($binDirectory, 'TlsTools.PowerShell.dll')) -PassThru).ImplementingAssembly
}

$ExecutionContext.SessionState.Module.OnRemove = {
    param($module)
    # Stops the servers this session started. The assembly's IModuleAssemblyCleanup does the same when PowerShell
    # removes the binary module, but not after a re-import, where PowerShell no longer lists it under this module.
    $assembly.GetType('TlsTools.PowerShell.Infrastructure.TlsServerModuleCleanup', $true)::new().OnRemove($module)
    if ($null -ne $acceleratorNames) { $loader::RemoveModuleTypes($acceleratorNames) }
}   # bound to this module's scope already: $assembly, $loader and $acceleratorNames resolve there (no closure to build)
