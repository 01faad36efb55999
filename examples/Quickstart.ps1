<#
.SYNOPSIS
    The study note's story, offline: how a server gets its certificate, step by step, with TlsTools.
.DESCRIPTION
    Run from the repository root after a build (the README's demo command does both):
        dotnet tool restore && dotnet pwsh -NoProfile -File ./build.ps1 demo
    Everything happens on this machine; files go to a new temporary folder, which is printed at the end.
#>
[CmdletBinding()]
param(
    # Where to write the files; a new temporary folder by default.
    [string] $OutputDirectory = (Join-Path ([IO.Path]::GetTempPath()) ("tlstools-quickstart-" + [guid]::NewGuid().ToString('N').Substring(0, 8)))
)

$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot '../TlsTools.psd1') -Force
New-Item -ItemType Directory -Force -Path $OutputDirectory | Out-Null

function Step([string] $Text) { Write-Host ''; Write-Host "== $Text" }

Step '1. A certificate authority: a root, and an issuing CA it signs (the CA keeps its private key)'
$root = New-CaCertificate -Subject 'CN=Quickstart Root CA, O=TlsTools Demo' -ValidityDays 3650
$issuing = New-CaCertificate -Subject 'CN=Quickstart Issuing CA, O=TlsTools Demo' -Issuer $root -PathLength 0 -ValidityDays 1825
$root, $issuing | Format-Table | Out-Host

Step '2. The server makes a key pair; the private key never leaves it'
$serverKey = New-PrivateKey -Algorithm EcdsaP256
$serverKey | Format-Table | Out-Host

Step '3. The server sends its public key and details to the CA: a certificate request (PKCS#10)'
$request = New-CertificateRequest -Subject 'CN=www.quickstart.test' -DnsName 'www.quickstart.test', 'quickstart.test' -IpAddress '127.0.0.1' -PrivateKey $serverKey
$request | Format-Table | Out-Host
Write-Host "The request is signed with the server's own key, proving it holds it: SignatureValid = $($request.SignatureValid)"

Step '4. The CA checks the request and issues the certificate, signed with the CA''s private key'
$server = New-Certificate -Issuer $issuing -Request $request -Profile Server -ValidityDays 90
$server | Format-List | Out-Host
Write-Host ("Issued by '{0}'; the issuer's key id {1} matches the certificate's authority key id {2}." -f
    $server.Issuer, $issuing.SubjectKeyIdentifier.Substring(0, 16), $server.AuthorityKeyIdentifier.Substring(0, 16))

Step '5. Everything is written in the formats servers and tools expect (keys 0600, nothing overwritten)'
$files = @(
    $server, $issuing | Save-Certificate -Path (Join-Path $OutputDirectory 'server-chain.pem')
    $serverKey | Save-PrivateKey -Path (Join-Path $OutputDirectory 'server.key')
    $root | Save-Certificate -Path (Join-Path $OutputDirectory 'root.pem')
    $request | Save-CertificateRequest -Path (Join-Path $OutputDirectory 'server.csr')
)
$files | Select-Object Name, Length | Format-Table | Out-Host

Step '6. A CA can take a certificate back: a revocation list'
$crl = $server | New-CertificateRevocationList -Issuer $issuing -Reason Superseded
$crl | Save-CertificateRevocationList -Path (Join-Path $OutputDirectory 'issuing.crl') | Out-Null
$crl | Format-Table | Out-Host

Step '7. Reading it all back gives the same certificates'
$back = Read-Certificate -Path (Join-Path $OutputDirectory 'server-chain.pem')
$same = ($back[0].Thumbprint -eq $server.Thumbprint) -and ($back[1].Thumbprint -eq $issuing.Thumbprint)
Write-Host "Chain read back from PEM: $($back.Count) certificates, thumbprints match: $same"
if (-not $same) { throw 'The chain read back does not match what was written.' }

Step '8. The server goes live with its certificate and the issuing CA''s certificate (here on 127.0.0.1)'
$tlsServer = Start-TlsServer -Certificate $server -Chain $issuing
try {
    $tlsServer | Format-Table | Out-Host

    Step '9. A client shakes hands, asking for www.quickstart.test and trusting only our root'
    $handshake = Invoke-TlsHandshake -HostName 127.0.0.1 -Port $tlsServer.Port -ServerName www.quickstart.test -TrustedRoot $root -TimeoutSeconds 30
    if (-not $handshake.Success) { throw "The handshake failed: $($handshake.Error)" }
    $handshake | Format-Table | Out-Host

    Step '10. The handshake, message by message (* = sent encrypted)'
    $handshake | ConvertTo-TlsDiagram | Out-Host

    Step '11. What each message did'
    foreach ($message in $handshake.Transcript) {
        Write-Host ('{0,-6} {1,-20} {2}' -f $message.Sender, $message.Label, $message.Explanation)
    }

    Step '11b. The same in TLS 1.2, the study note''s figure: Server Key Exchange, Server Hello Done, Client Key Exchange'
    $tls12 = Invoke-TlsHandshake -HostName 127.0.0.1 -Port $tlsServer.Port -ServerName www.quickstart.test -TrustedRoot $root -TlsVersion Tls12 -TimeoutSeconds 30
    $tls12 | ConvertTo-TlsDiagram | Out-Host
    foreach ($message in $tls12.Transcript | Where-Object Type -in 'ServerKeyExchange', 'ClientKeyExchange') {
        Write-Host ('{0,-6} {1,-20} {2}' -f $message.Sender, $message.Label, $message.Explanation)
    }

    Step '12. The client''s verdict on the chain the server sent'
    $validation = $handshake.Validation
    Write-Host ('Certificates sent: ' + (($handshake.Certificates | ForEach-Object Subject) -join ' | '))
    if ($validation.IsValid) {
        Write-Host ('Valid for www.quickstart.test: ' + (($validation.Chain | ForEach-Object Subject) -join '  <-  '))
        Write-Host "The leaf expires in $($handshake.DaysUntilExpiry) days."
    } else {
        $validation.Failures | Format-Table Check, Message -Wrap | Out-Host
        throw 'The chain did not validate.'
    }
} finally {
    Step '13. The server stops'
    $tlsServer | Stop-TlsServer
    $n = $tlsServer.HandshakesCompleted
    Write-Host "Stopped; it completed $n $(if ($n -eq 1) { 'handshake' } else { 'handshakes' })."
}

Write-Host ''
Write-Host "Files are in $OutputDirectory"
