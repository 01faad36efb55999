<#
.SYNOPSIS
    Hosts from a CSV file (HostName, Port; a Url column works too) to a flat report: CSV, Markdown or HTML.
.DESCRIPTION
    Shakes hands with every host (concurrently) and writes one row per host with ConvertTo-TlsReport: every cell is
    one plain value (lists joined with "; ", dates ISO 8601 UTC), so a spreadsheet never shows "System.String[]".
    An empty Port cell means 443; a Port that is not a number is an error for that row. Unreachable hosts keep
    their row, with Success False and the ErrorId.
.EXAMPLE
    ./examples/Export-TlsReport.ps1 -HostsCsv ./hosts.csv -OutputPath ./tls.csv
.EXAMPLE
    ./examples/Export-TlsReport.ps1 -HostsCsv ./hosts.csv -OutputPath ./tls.md -Format Markdown
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $HostsCsv,
    [Parameter(Mandatory)] [string] $OutputPath,
    [ValidateSet('Csv', 'Markdown', 'Html')] [string] $Format = 'Csv',
    [TlsTools.Pki.Certificate[]] $TrustedRoot,
    [int] $ThrottleLimit = 20
)
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot '../TlsTools.psd1')

$params = @{ ThrottleLimit = $ThrottleLimit; TimeoutSeconds = 10; ErrorAction = 'SilentlyContinue' }
if ($TrustedRoot) { $params.TrustedRoot = $TrustedRoot }
$results = Import-Csv -Path $HostsCsv | Invoke-TlsHandshake @params
$results | ConvertTo-TlsReport -Format $Format -Title 'TLS report' | Set-Content -Path $OutputPath -Encoding utf8
$results
