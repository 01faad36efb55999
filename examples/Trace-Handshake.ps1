<#
.SYNOPSIS
    Watch a TLS handshake happen: the ladder picture, what each message did, and a key log for Wireshark.
.DESCRIPTION
    Shakes hands with -HostName (by default a local server this script starts, so it runs offline), prints the
    ladder diagram and each message's explanation, writes the Mermaid version next to the key log, and appends the
    session secrets to -KeyLogFile in SSLKEYLOGFILE format (Wireshark: Preferences > Protocols > TLS >
    (Pre)-Master-Secret log filename) so a capture of the same connection can be decrypted.
.EXAMPLE
    ./examples/Trace-Handshake.ps1 -HostName www.example.com -TlsVersion Tls12 -KeyLogFile ./keys.log
#>
[CmdletBinding()]
param(
    [string] $HostName,
    [int] $Port = 443,
    [TlsTools.Tls.TlsVersion[]] $TlsVersion = @('Tls13'),
    [string] $KeyLogFile = (Join-Path (Get-Location) 'sslkeys.log')
)
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot '../TlsTools.psd1')

$local = $null
if (-not $HostName) {
    $cert = New-Certificate -SelfSigned -DnsName 'trace.local.test' -IpAddress 127.0.0.1
    $local = Start-TlsServer -Certificate $cert
    $HostName = '127.0.0.1'; $Port = $local.Port
}
try {
    $r = Invoke-TlsHandshake -HostName $HostName -Port $Port -TlsVersion $TlsVersion -KeyLogFile $KeyLogFile -SkipCertificateCheck:([bool]$local)
    $r | ConvertTo-TlsDiagram -Format Ladder | Out-Host
    $r.Transcript | ForEach-Object { Write-Host ('{0,-6} {1,-20} {2}' -f $_.Sender, $_.Type, $_.Explanation) }
    $r | ConvertTo-TlsDiagram -Format Mermaid | Set-Content -Path ([IO.Path]::ChangeExtension($KeyLogFile, '.mmd'))
    Write-Host "Key log: $KeyLogFile ($((Get-Content $KeyLogFile).Count) lines)"
    $r
} finally {
    if ($local) { $local | Stop-TlsServer }
}
