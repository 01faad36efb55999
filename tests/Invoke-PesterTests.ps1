<#
.SYNOPSIS
    Runs the module's Pester tests in this process and writes the counts to a JSON file (build.ps1 calls it in a child PowerShell).
#>
param(
    [Parameter(Mandatory)] [string] $PesterPath,
    [Parameter(Mandatory)] [string] $ResultFile,
    [string] $Tag,
    [string] $ExcludeTag
)
$env:NO_COLOR = '1'
$PSStyle.OutputRendering = 'PlainText'
Import-Module $PesterPath -Force
$cfg = New-PesterConfiguration
$cfg.Run.Path = $PSScriptRoot
$cfg.Run.PassThru = $true
$cfg.Output.Verbosity = 'Normal'
$cfg.Output.RenderMode = 'Plaintext'
if ($Tag) { $cfg.Filter.Tag = $Tag -split ',' }
if ($ExcludeTag) { $cfg.Filter.ExcludeTag = $ExcludeTag -split ',' }
$r = Invoke-Pester -Configuration $cfg
@{ Passed = $r.PassedCount; Failed = $r.FailedCount + $r.FailedBlocksCount + $r.FailedContainersCount; Skipped = $r.SkippedCount } |
    ConvertTo-Json | Set-Content -Path $ResultFile
