BeforeAll { . $PSScriptRoot/common.ps1 }

Describe 'Save-CertificateRevocationList and Read-CertificateRevocationList' {
    It 'round-trips a CRL through PEM and DER' {
        $c = New-TestChain
        $crl = $c.Leaf | New-CertificateRevocationList -Issuer $c.Intermediate
        $pem = Join-Path $TestDrive 'c.crl'; $der = Join-Path $TestDrive 'c.der'
        $crl | Save-CertificateRevocationList -Path $pem | Out-Null
        $crl | Save-CertificateRevocationList -Path $der -Format Der | Out-Null
        foreach ($p in $pem, $der) {
            $back = Read-CertificateRevocationList -Path $p
            $back.Lists($c.Leaf.SerialNumber) | Should -BeTrue
            $back.Issuer | Should -Be $c.Intermediate.Subject
            $back.CrlNumber | Should -Be $crl.CrlNumber
        }
    }

    It 'reads a CRL made by openssl ca' {
        $d = Join-Path $TestDrive 'ca'; New-Item -ItemType Directory $d | Out-Null
        $key = Join-Path $d 'ca.key'; $crt = Join-Path $d 'ca.pem'
        Invoke-OpenSsl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout $key -out $crt -subj '/CN=OpenSSL CA' -days 10 | Out-Null
        Set-Content (Join-Path $d 'index.txt') -Value $null
        Set-Content (Join-Path $d 'crlnumber') -Value '1000'
        $cnf = Join-Path $d 'ca.cnf'
        @"
[ ca ]
default_ca = CA_default
[ CA_default ]
dir = $d
database = `$dir/index.txt
crlnumber = `$dir/crlnumber
default_md = sha256
default_crl_days = 7
"@ | Set-Content $cnf
        $crlPath = Join-Path $d 'ossl.crl'
        Invoke-OpenSsl ca -config $cnf -gencrl -keyfile $key -cert $crt -out $crlPath | Out-Null
        $OpenSslExit | Should -Be 0
        $crl = Read-CertificateRevocationList -Path $crlPath
        $crl.Issuer | Should -Be 'CN=OpenSSL CA'
        $crl.CrlNumber | Should -Be ([string][Convert]::ToInt32('1000', 16))
    }

    It 'does not overwrite without -Force and fails on garbage with InvalidCrl' {
        $c = New-TestChain
        $crl = New-CertificateRevocationList -Issuer $c.Root
        $p = Join-Path $TestDrive 'o.crl'
        $crl | Save-CertificateRevocationList -Path $p | Out-Null
        Get-ErrorId { $crl | Save-CertificateRevocationList -Path $p } | Should -Be 'FileExists'
        Get-ErrorId { Read-CertificateRevocationList -InputObject "-----BEGIN X509 CRL-----`nAAAAAAAA`n-----END X509 CRL-----" } | Should -Be 'InvalidCrl'
    }
}
