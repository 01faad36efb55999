BeforeAll { . $PSScriptRoot/common.ps1 }

Describe 'Save-CertificateRequest and Read-CertificateRequest' {
    It 'round-trips a request through PEM and DER' {
        $req = New-CertificateRequest -Subject 'CN=rt.example.test' -DnsName 'rt.example.test'
        $pem = Join-Path $TestDrive 'r.csr'; $der = Join-Path $TestDrive 'r.der'
        $req | Save-CertificateRequest -Path $pem | Out-Null
        $req | Save-CertificateRequest -Path $der -Format Der | Out-Null
        foreach ($p in $pem, $der) {
            $back = Read-CertificateRequest -Path $p
            $back.Subject | Should -Be 'CN=rt.example.test'
            $back.SignatureValid | Should -BeTrue
            $back.HasPrivateKey | Should -BeFalse
            $back.PublicKeySha256 | Should -Be $req.PublicKeySha256
        }
    }

    It 'reads a request made by openssl req, and issues from it' {
        $key = Join-Path $TestDrive 'o.key'; $csr = Join-Path $TestDrive 'o.csr'
        Invoke-OpenSsl req -new -newkey rsa:2048 -nodes -keyout $key -out $csr -subj '/CN=ossl-req.example.test' -addext 'subjectAltName=DNS:ossl-req.example.test' | Out-Null
        $req = Read-CertificateRequest -Path $csr
        $req.DnsNames | Should -Be @('ossl-req.example.test')
        $req.KeyAlgorithm | Should -Be 'Rsa2048'
        $root = New-CaCertificate -Subject 'CN=For OpenSSL CSR'
        $leaf = New-Certificate -Issuer $root -Request $req
        $leaf.PublicKeySha256 | Should -Be (Get-OpenSslSpkiSha256 -Path $key)
        $leaf.HasPrivateKey | Should -BeFalse
    }

    It 'does not overwrite without -Force and honours -WhatIf' {
        $req = New-CertificateRequest -DnsName 'x.example.test'
        $p = Join-Path $TestDrive 'x.csr'
        $req | Save-CertificateRequest -Path $p | Out-Null
        Get-ErrorId { $req | Save-CertificateRequest -Path $p } | Should -Be 'FileExists'
        $req | Save-CertificateRequest -Path (Join-Path $TestDrive 'y.csr') -WhatIf
        Test-Path (Join-Path $TestDrive 'y.csr') | Should -BeFalse
    }

    It 'fails on malformed requests with InvalidCertificateRequest or NoCertificateRequest' {
        Get-ErrorId { Read-CertificateRequest -InputObject "-----BEGIN CERTIFICATE REQUEST-----`nAAAAAAAA`n-----END CERTIFICATE REQUEST-----" } | Should -Be 'InvalidCertificateRequest'
        Get-ErrorId { Read-CertificateRequest -InputObject "-----BEGIN CERTIFICATE-----`nAAAAAAAA`n-----END CERTIFICATE-----" } | Should -Be 'NoCertificateRequest'
    }
}
