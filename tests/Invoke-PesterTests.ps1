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
# What failed, by name and first line of its error, so the run's last lines say it even when the log is cut.
$failures = @(
    foreach ($t in $r.Failed) {
        $message = if ($t.ErrorRecord) { (@($t.ErrorRecord)[0].Exception.Message -split "`n")[0] } else { 'not run: its block failed' }
        '{0}: {1}' -f $t.ExpandedPath, $message
    }
    foreach ($b in $r.FailedBlocks) { '{0} (block): {1}' -f ($b.Path -join '.'), (@($b.ErrorRecord)[0].Exception.Message -split "`n")[0] }
    foreach ($c in $r.FailedContainers) { '{0} (file): {1}' -f $c.Item, (@($c.ErrorRecord)[0].Exception.Message -split "`n")[0] }
)
@{ Passed = $r.PassedCount; Failed = $r.FailedCount + $r.FailedBlocksCount + $r.FailedContainersCount; Skipped = $r.SkippedCount; Failures = $failures } |
    ConvertTo-Json | Set-Content -Path $ResultFile
