<#
.SYNOPSIS
    The certificates of mail, directory and database servers reached with STARTTLS: a CSV (host, port, StartTls) in, one
    row per server out with the days until expiry and the chain verdict.
.DESCRIPTION
    Reads a CSV with the columns host (or HostName), port, StartTls and optionally ServerName. An empty StartTls cell lets
    the port decide (25/587 SMTP, 143 IMAP, 110 POP3, 389 LDAP, 5432 PostgreSQL, 3306 MySQL, ...); None speaks TLS from the
    first byte (465, 993, 636, ...). Every server gets its STARTTLS preamble and a TLS handshake (concurrently), its chain is
    validated against the system trust store (or -TrustedRoot), and one row is written per server: the protocol used, the
    days until the leaf expires, a status (OK, ExpiresSoon, Expired, Invalid, NoStartTls, Unreachable), the chain verdict
    and what went wrong. With -OutputPath the rows are also saved as CSV (an existing file only with -Force).
.EXAMPLE
    ./examples/Get-StartTlsCertificateReport.ps1 -Path ./servers.csv -WarnDays 21 | Format-Table
.EXAMPLE
    ./examples/Get-StartTlsCertificateReport.ps1 -Path ./servers.csv -OutputPath ./starttls-report.csv -Force
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [Parameter(Mandatory)] [string] $Path,
    [int] $WarnDays = 30,
    [TlsTools.Pki.Certificate[]] $TrustedRoot,
    [int] $ThrottleLimit = 20,
    [int] $TimeoutSeconds = 15,
    [string] $OutputPath,
    [switch] $Force
)
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot '../TlsTools.psd1')

$params = @{ ThrottleLimit = $ThrottleLimit; TimeoutSeconds = $TimeoutSeconds; ErrorAction = 'SilentlyContinue' }
if ($TrustedRoot) { $params.TrustedRoot = $TrustedRoot }
$noStartTls = 'StartTlsNotOffered', 'StartTlsRefused', 'StartTlsProtocolError'
$rows = Import-Csv -LiteralPath $Path | Invoke-TlsHandshake @params | ForEach-Object {
    $leaf = $_.Certificates | Select-Object -First 1
    $status = if (-not $_.Success) { if ($noStartTls -contains $_.ErrorId) { 'NoStartTls' } else { 'Unreachable' } }
              elseif ($_.DaysUntilExpiry -lt 0) { 'Expired' }
              elseif (-not $_.Validation.IsValid) { 'Invalid' }
              elseif ($_.DaysUntilExpiry -le $WarnDays) { 'ExpiresSoon' }
              else { 'OK' }
    [pscustomobject]@{
        Server          = "$($_.Target)"
        StartTls        = $_.StartTls
        Status          = $status
        DaysUntilExpiry = $_.DaysUntilExpiry
        NotAfter        = if ($leaf) { $leaf.NotAfter.ToString('yyyy-MM-dd') }
        Subject         = if ($leaf) { $leaf.Subject }
        ChainVerdict    = if ($_.Validation) { "$($_.Validation)" }
        TlsVersion      = $_.TlsVersion
        Problem         = if (-not $_.Success) { "$($_.ErrorId): $($_.Error)" } elseif (-not $_.Validation.IsValid) { ($_.Validation.Failures.Check | Select-Object -Unique) -join ', ' }
    }
}
if ($OutputPath) {
    if ((Test-Path -LiteralPath $OutputPath) -and -not $Force) { throw "$OutputPath exists; use -Force to replace it." }
    if ($PSCmdlet.ShouldProcess($OutputPath, 'Write the STARTTLS certificate report')) {
        $tmp = "$OutputPath.tmp-$PID"
        $rows | Export-Csv -LiteralPath $tmp -NoTypeInformation
        Move-Item -LiteralPath $tmp -Destination $OutputPath -Force   # written whole, then renamed over the target
    }
}
$rows
