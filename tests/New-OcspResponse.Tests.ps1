BeforeAll { . $PSScriptRoot/common.ps1 }

Describe 'New-OcspResponse' {
    BeforeAll {
        $script:c = New-TestChain -Name 'Ocsp'
        $script:caPath = Join-Path $TestDrive 'ca.pem'
        $script:leafPath = Join-Path $TestDrive 'leaf.pem'
        $c.Intermediate | Save-Certificate -Path $caPath | Out-Null
        $c.Leaf | Save-Certificate -Path $leafPath | Out-Null
    }

    It 'makes a <Status> response that openssl ocsp verifies and reads' -ForEach @(
        @{ Status = 'Good'; Expected = 'Cert Status: good' }
        @{ Status = 'Revoked'; Expected = 'Cert Status: revoked' }
        @{ Status = 'Unknown'; Expected = 'Cert Status: unknown' }
    ) {
        $path = Join-Path $TestDrive "$Status.der"
        $r = $c.Leaf | New-OcspResponse -Issuer $c.Intermediate -Status $Status -RevocationReason KeyCompromise -Path $path
        "$($r.Status)" | Should -Be $Status
        $r.SerialNumber | Should -Be $c.Leaf.SerialNumber
        $r.NextUpdate | Should -BeGreaterThan $r.ThisUpdate
        [IO.File]::ReadAllBytes($path) | Should -Be $r.RawData
        $text = Invoke-OpenSsl ocsp -respin $path -issuer $caPath -VAfile $caPath -cert $leafPath -resp_text
        $OpenSslExit | Should -Be 0
        $text | Should -Match 'Response verify OK'
        $text | Should -Match $Expected
        $text | Should -Match ([regex]::Escape("Serial Number: $($c.Leaf.SerialNumber)"))
        if ($Status -eq 'Revoked') {
            $text | Should -Match 'Reason: keyCompromise'
            $r.RevocationReason | Should -Be 'KeyCompromise'
        }
    }

    It 'honours -ThisUpdate, -NextUpdate and -RevocationTime, and openssl sees the same times' {
        $thisUpdate = [datetime]::new(2026, 1, 2, 3, 4, 5, [DateTimeKind]::Utc); $next = $thisUpdate.AddDays(2); $revoked = $thisUpdate.AddDays(-10)
        $path = Join-Path $TestDrive 'times.der'
        $r = New-OcspResponse -Issuer $c.Intermediate -Certificate $c.Leaf -Status Revoked -ThisUpdate $thisUpdate -NextUpdate $next -RevocationTime $revoked -Path $path
        $r.ThisUpdate | Should -Be $thisUpdate
        $r.NextUpdate | Should -Be $next
        $r.RevocationTime | Should -Be $revoked
        $text = Invoke-OpenSsl ocsp -respin $path -noverify -resp_text
        $text | Should -Match 'This Update: Jan  2 03:04:05 2026 GMT'
        $text | Should -Match 'Next Update: Jan  4 03:04:05 2026 GMT'
        $text | Should -Match 'Revocation Time: Dec 23 03:04:05 2025 GMT'
    }

    It 'signs with a delegated responder that openssl accepts as the CA''s OCSP signer' {
        $responderCfg = Join-Path $TestDrive 'resp.cnf'
        Set-Content -Path $responderCfg -Value "[v]`nextendedKeyUsage=OCSPSigning`nbasicConstraints=CA:FALSE`n"
        $caKeyPath = Join-Path $TestDrive 'ca.key'
        $c.Intermediate.PrivateKey | Save-PrivateKey -Path $caKeyPath | Out-Null
        $rKey = Join-Path $TestDrive 'r.key'; $rCsr = Join-Path $TestDrive 'r.csr'; $rCrt = Join-Path $TestDrive 'r.pem'
        Invoke-OpenSsl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout $rKey -subj '/CN=Ocsp Responder' -out $rCsr | Out-Null
        Invoke-OpenSsl x509 -req -in $rCsr -CA $caPath -CAkey $caKeyPath -CAcreateserial -days 2 -extfile $responderCfg -extensions v -out $rCrt | Out-Null
        $OpenSslExit | Should -Be 0
        $responder = Read-Certificate -Path $rCrt
        $responder = $responder.WithPrivateKey((Read-PrivateKey -Path $rKey))
        $path = Join-Path $TestDrive 'delegated.der'
        $r = New-OcspResponse -Issuer $c.Intermediate -Certificate $c.Leaf -Status Good -Responder $responder -Path $path
        $r.ResponderName | Should -Be 'CN=Ocsp Responder'
        $r.Certificates.Count | Should -Be 1
        # openssl needs the chain up to a root to trust the responder certificate
        Set-Content -Path (Join-Path $TestDrive 'chain.pem') -Value ($c.Intermediate.ToPem() + $c.Root.ToPem())
        $text = Invoke-OpenSsl ocsp -respin $path -issuer $caPath -CAfile (Join-Path $TestDrive 'chain.pem') -cert $leafPath -resp_text
        $text | Should -Match 'Response verify OK'
        $text | Should -Match 'leaf.pem: good'
    }

    It 'uses a SHA-256 CertID when asked' {
        $path = Join-Path $TestDrive 'sha256.der'
        New-OcspResponse -Issuer $c.Intermediate -Certificate $c.Leaf -Status Good -HashAlgorithm Sha256 -Path $path | Out-Null
        (Invoke-OpenSsl ocsp -respin $path -noverify -resp_text) | Should -Match 'Hash Algorithm: sha256'
    }

    It 'does not replace a file without -Force, and -WhatIf writes nothing' {
        $path = Join-Path $TestDrive 'exists.der'
        Set-Content -Path $path -Value 'old'
        Get-ErrorId { New-OcspResponse -Issuer $c.Intermediate -Certificate $c.Leaf -Status Good -Path $path } | Should -Be 'FileExists'
        Get-Content -Path $path | Should -Be 'old'
        $r = New-OcspResponse -Issuer $c.Intermediate -Certificate $c.Leaf -Status Good -Path $path -Force -WhatIf
        $r | Should -Not -BeNullOrEmpty
        Get-Content -Path $path | Should -Be 'old'
        New-OcspResponse -Issuer $c.Intermediate -Certificate $c.Leaf -Status Good -Path $path -Force | Out-Null
        [IO.File]::ReadAllBytes($path)[0] | Should -Be 0x30
    }

    It 'refuses an issuer without its key, a certificate of another CA, and -Status Unavailable' {
        Get-ErrorId { New-OcspResponse -Issuer (Read-Certificate -Path $caPath) -Certificate $c.Leaf -Status Good } | Should -Be 'IssuerHasNoPrivateKey'
        Get-ErrorId { New-OcspResponse -Issuer $c.Root -Certificate $c.Leaf -Status Good } | Should -Be 'NotIssuedByIssuer'
        { New-OcspResponse -Issuer $c.Intermediate -Certificate $c.Leaf -Status Unavailable } | Should -Throw -ErrorId 'ParameterArgumentValidationError*'
    }

    It 'shows a table view and survives ConvertTo-Json' {
        $r = New-OcspResponse -Issuer $c.Intermediate -Certificate $c.Leaf -Status Revoked -RevocationReason Superseded
        ($r | Format-Table | Out-String -Width 200) | Should -Match "$($c.Leaf.SerialNumber)\s+Revoked"
        ($r | ConvertTo-Json -Depth 4 | ConvertFrom-Json).RevocationReason | Should -Be 'Superseded'
    }
}
