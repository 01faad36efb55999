<#
.SYNOPSIS
    What a server accepts, as a Markdown report: versions, cipher suites with their strength, groups, certificate.
.EXAMPLE
    ./examples/Get-ScanReport.ps1 -HostName www.example.com -OutputPath ./www.md
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $HostName,
    [int] $Port = 443,
    [string] $ServerName,
    [string] $OutputPath
)
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot '../TlsTools.psd1')

$scan = @{ HostName = $HostName; Port = $Port }
if ($ServerName) { $scan.ServerName = $ServerName }
$p = Get-TlsServerProfile @scan
$lines = [Collections.Generic.List[string]]::new()
$lines.Add("# TLS profile of ${HostName}:$Port")
$lines.Add('')
$lines.Add("Scanned $(Get-Date -Format u) in $($p.ScanMilliseconds) ms.")
$lines.Add('')
$lines.Add("- Versions: $($p.TlsVersions -join ', ')")
$lines.Add("- Server enforces its cipher order: $($p.ServerCipherPreference)")
$lines.Add("- Groups: $($p.NamedGroups -join ', ') (preferred: $($p.PreferredNamedGroup))")
$lines.Add("- Secure renegotiation: $($p.SecureRenegotiation); extended master secret: $($p.ExtendedMasterSecret); session tickets: $($p.SessionTickets)")
$lines.Add('')
$lines.Add('| Version | Cipher suite | Strength | Why |')
$lines.Add('|---|---|---|---|')
foreach ($s in $p.CipherSuites) { $lines.Add("| $($s.TlsVersion) | $($s.Name) | $($s.Strength) | $($s.StrengthReason) |") }
$lines.Add('')
foreach ($chain in $p.CertificateChains) {
    $lines.Add("Certificate for '$($chain.ValidatedFor)': $($chain.Subject), expires $($chain.NotAfter) ($($chain.DaysUntilExpiry) days); $($chain.Verdict)")
}
$text = $lines -join [Environment]::NewLine
if ($OutputPath) { Set-Content -Path $OutputPath -Value $text -Encoding utf8 }
$p
