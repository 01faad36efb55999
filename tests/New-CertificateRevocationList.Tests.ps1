BeforeAll { . $PSScriptRoot/common.ps1 }

Describe 'New-CertificateRevocationList' {
    BeforeAll {
        $script:c = New-TestChain -Name 'Crl'
        $script:other = New-Certificate -Issuer $c.Intermediate -DnsName 'other.example.test'
    }

    It 'lists the revoked serials, and openssl crl reads them and verifies the signature' {
        $crl = $c.Leaf, $other | New-CertificateRevocationList -Issuer $c.Intermediate -Reason KeyCompromise
        $crl.Count | Should -Be 2
        $crl.RevokedCertificates.SerialNumber | Should -Contain $c.Leaf.SerialNumber
        $crl.RevokedCertificates[0].Reason | Should -Be 'KeyCompromise'
        $crl.Issuer | Should -Be $c.Intermediate.Subject
        $crl.NextUpdate | Should -BeGreaterThan $crl.ThisUpdate
        $crlPath = Join-Path $TestDrive 'i.crl'; $caPath = Join-Path $TestDrive 'i.pem'
        $crl | Save-CertificateRevocationList -Path $crlPath | Out-Null
        $c.Intermediate | Save-Certificate -Path $caPath | Out-Null
        $text = Invoke-OpenSsl crl -in $crlPath -noout -text -CAfile $caPath
        $OpenSslExit | Should -Be 0
        $text | Should -Match 'verify OK'
        $text | Should -Match ('Serial Number: ' + $c.Leaf.SerialNumber)
        $text | Should -Match ('Serial Number: ' + $other.SerialNumber)
        $text | Should -Match 'Key Compromise'
    }

    It 'makes an empty CRL and takes serial numbers directly' {
        (New-CertificateRevocationList -Issuer $c.Root).Count | Should -Be 0
        $crl = New-CertificateRevocationList -Issuer $c.Root -SerialNumber '0A:BC:01'
        $crl.RevokedCertificates[0].SerialNumber | Should -Be 'ABC01'
    }

    It 'honours -NextUpdate and refuses one in the past' {
        $next = (Get-Date).ToUniversalTime().AddDays(30)
        $crl = New-CertificateRevocationList -Issuer $c.Root -NextUpdate $next
        [math]::Abs(($crl.NextUpdate - $next).TotalSeconds) | Should -BeLessThan 2
        Get-ErrorId { New-CertificateRevocationList -Issuer $c.Root -NextUpdate (Get-Date).AddDays(-1) } | Should -Be 'InvalidNextUpdate'
    }

    It 'reports a certificate of another issuer with NotIssuedByIssuer and still makes the CRL' {
        $foreign = (New-TestChain -Name 'Foreign').Leaf
        $crl = $foreign, $c.Leaf | New-CertificateRevocationList -Issuer $c.Intermediate -ErrorVariable e -ErrorAction SilentlyContinue
        $e[0].FullyQualifiedErrorId | Should -BeLike 'NotIssuedByIssuer*'
        $crl.Count | Should -Be 1
    }

    It 'refuses an issuer that is not a CA' {
        Get-ErrorId { New-CertificateRevocationList -Issuer $c.Leaf } | Should -Be 'IssuerNotCa'
    }
}

Describe 'New-CertificateRevocationList view (issue 15)' {
    It 'shows the revoked count at 80 columns' {
        $ca = New-CaCertificate -Subject 'CN=View CRL CA, O=Example Organisation Ltd, C=GB'
        $a = New-Certificate -Issuer $ca -DnsName a.example.test
        $b = New-Certificate -Issuer $ca -DnsName b.example.test
        $text = $a, $b | New-CertificateRevocationList -Issuer $ca | Out-String -Width 80
        $lines = $text -split "`r?`n"
        ($lines | Measure-Object -Property Length -Maximum).Maximum | Should -BeLessOrEqual 80
        $lines | Where-Object { $_ -match '^Revoked' } | Should -Match 'Revoked\s+ThisUpdate\s+NextUpdate\s+CrlNumber\s+Issuer'
        $lines | Where-Object { $_ -match '^\s+2\s+\d{4}-\d\d-\d\d' } | Should -Not -BeNullOrEmpty
    }
}
