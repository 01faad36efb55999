<#
.SYNOPSIS
    Runs every benchmark in bench/ against the local peers and prints the figures (build first: ./build.ps1 bench).
#>
$ErrorActionPreference = 'Stop'
Write-Host '== Issuing (New-Certificate vs openssl ca)'
& (Join-Path $PSScriptRoot 'Pki.Bench.ps1')
foreach ($project in Get-ChildItem $PSScriptRoot -Directory | Where-Object { Test-Path (Join-Path $_.FullName "$($_.Name).csproj") }) {
    Write-Host "== $($project.Name)"
    & dotnet run -c Release --project $project.FullName
}
