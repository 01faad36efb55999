<#
.SYNOPSIS
    Mutual TLS in one go: a server CA and a client CA, a server certificate, client certificates, and a local server
    that accepts only clients with a certificate from the client CA — shown refusing and accepting.
.DESCRIPTION
    Writes server.pem/server-key.pem, client-ca.pem (what a server must trust for clients), and one PFX per client
    (what a client imports), then demonstrates the setup against a local Start-TlsServer.
.EXAMPLE
    ./examples/New-MutualTlsSetup.ps1 -ServerName api.internal.test -ClientName alice, build-agent -OutputDirectory ./mtls
#>
[CmdletBinding()]
param(
    [string] $ServerName = 'api.mtls.test',
    [string[]] $ClientName = @('alice'),
    [string] $OutputDirectory = (Join-Path (Get-Location) 'mtls'),
    [securestring] $PfxPassword = (ConvertTo-SecureString 'change-me' -AsPlainText -Force)
)
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot '../TlsTools.psd1')
New-Item -ItemType Directory -Force -Path $OutputDirectory | Out-Null

$serverCa = New-CaCertificate -Subject 'CN=mTLS Server CA' -PathLength 0
$clientCa = New-CaCertificate -Subject 'CN=mTLS Client CA' -PathLength 0
$server = New-Certificate -Issuer $serverCa -DnsName $ServerName -IpAddress 127.0.0.1 -Profile Server
$server, $serverCa | Save-Certificate -Path (Join-Path $OutputDirectory 'server.pem') -Force | Out-Null
$server | Save-PrivateKey -Path (Join-Path $OutputDirectory 'server-key.pem') -Force | Out-Null
$serverCa | Save-Certificate -Path (Join-Path $OutputDirectory 'server-ca.pem') -Force | Out-Null
$clientCa | Save-Certificate -Path (Join-Path $OutputDirectory 'client-ca.pem') -Force | Out-Null
$clients = foreach ($name in $ClientName) {
    $c = New-Certificate -Issuer $clientCa -Subject "CN=$name" -Email "$name@$ServerName" -Profile Client
    $c, $clientCa | Save-Certificate -Path (Join-Path $OutputDirectory "$name.pfx") -Format Pfx -Password $PfxPassword -Force | Out-Null
    $c
}
Write-Host "Files in ${OutputDirectory}: server.pem, server-key.pem, server-ca.pem, client-ca.pem, $(($ClientName | ForEach-Object { "$_.pfx" }) -join ', ')"

$listener = Start-TlsServer -Certificate $server -Chain $serverCa -RequireClientCertificate -TrustedRoot $clientCa
try {
    $without = Invoke-TlsHandshake -HostName 127.0.0.1 -Port $listener.Port -ServerName $ServerName -TrustedRoot $serverCa -ErrorAction SilentlyContinue
    Write-Host "Without a client certificate: Success=$($without.Success) ($($without.Alert))"
    $with = Invoke-TlsHandshake -HostName 127.0.0.1 -Port $listener.Port -ServerName $ServerName -TrustedRoot $serverCa -ClientCertificate $clients[0]
    Write-Host "With $($clients[0].Subject): Success=$($with.Success), server chain valid: $($with.Validation.IsValid)"
    [pscustomobject]@{ WithoutCertificate = $without.Success; WithCertificate = $with.Success; ServerChainValid = $with.Validation.IsValid }
} finally {
    $listener | Stop-TlsServer
}
