<#
.SYNOPSIS
    A local development CA, like mkcert: one root you trust once, and leaf certificates for localhost and your dev names.
.DESCRIPTION
    Makes (or reuses) a root CA in -CaDirectory, issues a server certificate for localhost, 127.0.0.1, ::1 and any
    -DnsName you add, writes cert, chain and key files, and prints how to trust the root on Windows, macOS and Linux.
    Nothing is installed into a trust store by this script: trusting a root is a decision you make, with the command shown.
.EXAMPLE
    ./examples/New-DevelopmentCa.ps1 -DnsName myapp.test -OutputDirectory ./certs
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [string[]] $DnsName = @(),
    [string] $CaDirectory = (Join-Path ([Environment]::GetFolderPath('LocalApplicationData')) 'TlsTools/dev-ca'),
    [string] $OutputDirectory = (Get-Location).Path,
    [int] $ValidityDays = 825
)
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot '../TlsTools.psd1')

New-Item -ItemType Directory -Force -Path $CaDirectory, $OutputDirectory | Out-Null
$rootCert = Join-Path $CaDirectory 'rootCA.pem'
$rootKey = Join-Path $CaDirectory 'rootCA-key.pem'
if ((Test-Path $rootCert) -and (Test-Path $rootKey)) {
    $root = (Read-Certificate -Path $rootCert)[0].WithPrivateKey((Read-PrivateKey -Path $rootKey))
    Write-Host "Using the development CA in $CaDirectory"
} else {
    $who = "$([Environment]::UserName)@$([Environment]::MachineName)"
    $root = New-CaCertificate -Subject "CN=TlsTools development CA $who, O=TlsTools development CA" -PathLength 0 -ValidityDays 3650
    $root | Save-Certificate -Path $rootCert | Out-Null
    $root | Save-PrivateKey -Path $rootKey | Out-Null
    Write-Host "Created a development CA in $CaDirectory (its key is readable only by you)"
}

$names = @('localhost') + $DnsName
$leaf = New-Certificate -Issuer $root -Subject "CN=$($names[-1])" -DnsName $names -IpAddress '127.0.0.1', '::1' -Profile ServerClient -ValidityDays $ValidityDays
$base = Join-Path $OutputDirectory ($names[-1] -replace '\*', '_wildcard')
$leaf | Save-Certificate -Path "$base.pem" -Force | Out-Null
$leaf, $root | Save-Certificate -Path "$base-fullchain.pem" -Force | Out-Null
$leaf | Save-PrivateKey -Path "$base-key.pem" -Force | Out-Null
Write-Host "Issued $($leaf.Subject) for $($names -join ', '), 127.0.0.1, ::1; valid until $($leaf.NotAfter.ToString('yyyy-MM-dd'))"
Write-Host "  certificate: $base.pem   chain: $base-fullchain.pem   key: $base-key.pem"
Write-Host ''
Write-Host 'Trust the root once (choose what fits your machine):'
Write-Host "  Windows:  Import-Certificate -FilePath '$rootCert' -CertStoreLocation Cert:\CurrentUser\Root"
Write-Host "  macOS:    sudo security add-trusted-cert -d -r trustRoot -k /Library/Keychains/System.keychain '$rootCert'"
Write-Host "  Debian/Ubuntu: sudo cp '$rootCert' /usr/local/share/ca-certificates/tlstools-dev-ca.crt && sudo update-ca-certificates"
Write-Host "  Fedora/RHEL:   sudo cp '$rootCert' /etc/pki/ca-trust/source/anchors/ && sudo update-ca-trust"
Write-Host "  Firefox and Java keep their own stores; import '$rootCert' there too if you use them."
$leaf
