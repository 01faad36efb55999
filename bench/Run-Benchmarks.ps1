<#
.SYNOPSIS
    Runs every benchmark in bench/ against the local peers and prints the figures (build first: ./build.ps1 bench).
.DESCRIPTION
    The PowerShell benchmarks (*.Bench.ps1) measure the cmdlets as users run them; the console projects measure the
    core alone. Each prints TlsTools next to the peer tool measured in the same run, and the ratio.
#>
$ErrorActionPreference = 'Stop'
foreach ($script in Get-ChildItem $PSScriptRoot -Filter '*.Bench.ps1' | Sort-Object Name) {
    Write-Host "== $($script.BaseName)"
    & $script.FullName | Format-Table -AutoSize | Out-String -Width 200 | Write-Host
}
foreach ($project in Get-ChildItem $PSScriptRoot -Directory | Where-Object { Test-Path (Join-Path $_.FullName "$($_.Name).csproj") }) {
    Write-Host "== $($project.Name)"
    & dotnet run -c Release --project $project.FullName
}
