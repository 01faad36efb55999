<#
.SYNOPSIS
    Certificate expiry report for a list of hosts: CSV (HostName, Port) in, HTML or CSV out.
.DESCRIPTION
    Shakes hands with every host (concurrently), validates each chain against the system trust store (or
    -TrustedRoot), and writes one row per host: days until expiry, the leaf's subject and issuer, whether the chain
    is valid and why not, and the TLS version and suite. Hosts that cannot be reached get a row with the error.
    The output format follows the file extension (.html or .csv).
.EXAMPLE
    ./examples/Get-ExpiryReport.ps1 -HostsCsv ./hosts.csv -OutputPath ./expiry.html -WarnDays 30
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $HostsCsv,
    [Parameter(Mandatory)] [string] $OutputPath,
    [int] $WarnDays = 30,
    [TlsTools.Pki.Certificate[]] $TrustedRoot,
    [int] $ThrottleLimit = 20
)
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot '../TlsTools.psd1')

$params = @{ ThrottleLimit = $ThrottleLimit; TimeoutSeconds = 10; ErrorAction = 'SilentlyContinue' }
if ($TrustedRoot) { $params.TrustedRoot = $TrustedRoot }
$rows = Import-Csv -Path $HostsCsv | Invoke-TlsHandshake @params | ForEach-Object {
    $leaf = $_.Certificates | Select-Object -First 1
    $status = if (-not $_.Success) { 'Unreachable' }
              elseif ($_.DaysUntilExpiry -lt 0) { 'Expired' }
              elseif ($_.DaysUntilExpiry -le $WarnDays) { 'ExpiresSoon' }
              elseif (-not $_.Validation.IsValid) { 'Invalid' }
              else { 'OK' }
    [pscustomobject]@{
        Host            = '{0}:{1}' -f $_.HostName, $_.Port
        Status          = $status
        DaysUntilExpiry = $_.DaysUntilExpiry
        NotAfter        = if ($leaf) { $leaf.NotAfter.ToString('yyyy-MM-dd') }
        Subject         = if ($leaf) { $leaf.Subject }
        Issuer          = if ($leaf) { $leaf.Issuer }
        ChainValid      = if ($_.Validation) { $_.Validation.IsValid }
        Problems        = if ($_.Success) { ($_.Validation.Failures.Check | Select-Object -Unique) -join ', ' } else { $_.Error }
        Protocol        = if ($_.Success) { '{0} {1}' -f $_.TlsVersion, $_.CipherSuite }
    }
} | Sort-Object @{ Expression = { if ($null -eq $_.DaysUntilExpiry) { [int]::MinValue } else { $_.DaysUntilExpiry } } }

if ($OutputPath -match '\.html?$') {
    $style = '<style>body{font-family:sans-serif}td,th{padding:2px 8px;border-bottom:1px solid #ddd}</style>'
    $rows | ConvertTo-Html -Title 'TLS certificate expiry' -Head $style -PreContent "<h1>TLS certificate expiry</h1><p>$(Get-Date -Format u); warning at $WarnDays days</p>" |
        Set-Content -Path $OutputPath -Encoding utf8
} else {
    $rows | Export-Csv -Path $OutputPath -NoTypeInformation -Encoding utf8
}
$rows
