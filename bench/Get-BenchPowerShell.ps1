<#
.SYNOPSIS
    How to start each PowerShell the start-up benchmarks measure in: an ordered table from 'Tool' / 'Precompiled' to the
    command (executable first, then its leading arguments).
.DESCRIPTION
    'Tool' is the PowerShell running this script (`dotnet pwsh`, the repository's local tool, or a pwsh); 'Precompiled' is
    its ReadyToRun copy made by New-PrecompiledPowerShell.ps1 (once), started as `dotnet <copy>/pwsh.dll`.
#>
param([ValidateSet('Tool', 'Precompiled')] [string[]] $Kind = @('Tool', 'Precompiled'))
$self = [Diagnostics.Process]::GetCurrentProcess().MainModule.FileName
$shells = [ordered]@{}
foreach ($k in $Kind) {
    $shells[$k] = if ($k -eq 'Tool') {
        if ([IO.Path]::GetFileNameWithoutExtension($self) -eq 'dotnet') { @($self, 'pwsh') } else { @($self) }
    } else {
        @((Get-Command dotnet -CommandType Application | Select-Object -First 1).Source, (& (Join-Path $PSScriptRoot 'New-PrecompiledPowerShell.ps1')))
    }
}
$shells
