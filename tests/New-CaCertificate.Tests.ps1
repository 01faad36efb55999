BeforeAll { . $PSScriptRoot/common.ps1 }

Describe 'New-CaCertificate' {
    It 'makes a self-signed root with CA:true critical, keyCertSign+cRLSign, SKI=AKI and a 128-bit serial' {
        $root = New-CaCertificate -Subject 'CN=Unit Root, O=Acme, C=DE'
        $root.IsCertificateAuthority | Should -BeTrue
        $root.IsSelfSigned | Should -BeTrue
        $root.HasPrivateKey | Should -BeTrue
        $root.KeyUsage | Should -Contain 'KeyCertSign'
        $root.KeyUsage | Should -Contain 'CrlSign'
        $root.SubjectKeyIdentifier | Should -Be $root.AuthorityKeyIdentifier
        $root.SerialNumber.Length | Should -Be 32
        $path = Join-Path $TestDrive 'root.pem'
        $root | Save-Certificate -Path $path | Out-Null
        $text = Invoke-OpenSsl x509 -in $path -noout -text
        $text | Should -Match 'X509v3 Basic Constraints: critical\s+CA:TRUE'
        $text | Should -Match 'X509v3 Key Usage: critical\s+Digital Signature, Certificate Sign, CRL Sign'
    }

    It 'makes serial numbers that differ and are positive' {
        $serials = 1..5 | ForEach-Object { (New-CaCertificate -Subject "CN=S$_").SerialNumber }
        ($serials | Sort-Object -Unique).Count | Should -Be 5
        $serials | ForEach-Object { [Convert]::ToInt32($_.Substring(0, 1), 16) | Should -BeLessThan 8 }
    }

    It 'makes an intermediate signed by its issuer, with the path length and name constraints asked for' {
        $root = New-CaCertificate -Subject 'CN=NC Root'
        $inter = New-CaCertificate -Subject 'CN=NC Issuing' -Issuer $root -PathLength 0 -PermittedDnsName 'example.test' -ExcludedDnsName 'bad.example.test'
        $inter.Issuer | Should -Be 'CN=NC Root'
        $inter.PathLength | Should -Be 0
        $inter.AuthorityKeyIdentifier | Should -Be $root.SubjectKeyIdentifier
        $path = Join-Path $TestDrive 'inter.pem'
        $inter | Save-Certificate -Path $path | Out-Null
        $text = Invoke-OpenSsl x509 -in $path -noout -text
        $text | Should -Match 'CA:TRUE, pathlen:0'
        $text | Should -Match 'X509v3 Name Constraints: critical'
        $text | Should -Match 'Permitted:\s+DNS:example.test'
        $text | Should -Match 'Excluded:\s+DNS:bad.example.test'
    }

    It 'honours -NotBefore and -NotAfter' {
        $nb = [datetime]::new(2030, 1, 1, 0, 0, 0, [DateTimeKind]::Utc); $na = [datetime]::new(2031, 1, 1, 0, 0, 0, [DateTimeKind]::Utc)
        $ca = New-CaCertificate -Subject 'CN=Dated' -NotBefore $nb -NotAfter $na
        $ca.NotBefore | Should -Be $nb
        $ca.NotAfter | Should -Be $na
    }

    It 'uses the given -Algorithm (<_>)' -ForEach $AllAlgorithms {
        (New-CaCertificate -Subject "CN=$_ root" -Algorithm $_).KeyAlgorithm | Should -Be $_
    }

    It 'refuses an issuer that is not a CA with IssuerNotCa' {
        $root = New-CaCertificate -Subject 'CN=R'
        $leaf = New-Certificate -Issuer $root -DnsName 'leaf.example.test'
        Get-ErrorId { New-CaCertificate -Subject 'CN=Bad' -Issuer $leaf } | Should -Be 'IssuerNotCa'
    }

    It 'refuses an issuer without its private key with IssuerHasNoPrivateKey' {
        $root = New-CaCertificate -Subject 'CN=R2'
        $path = Join-Path $TestDrive 'r2.pem'
        $root | Save-Certificate -Path $path | Out-Null
        $public = Read-Certificate -Path $path
        $public.HasPrivateKey | Should -BeFalse
        Get-ErrorId { New-CaCertificate -Subject 'CN=Bad' -Issuer $public } | Should -Be 'IssuerHasNoPrivateKey'
    }

    It 'refuses NotAfter before NotBefore with InvalidValidity' {
        Get-ErrorId { New-CaCertificate -Subject 'CN=Bad' -NotBefore '2030-01-02' -NotAfter '2030-01-01' } | Should -Be 'InvalidValidity'
    }

    It 'refuses a malformed subject with InvalidSubject' {
        Get-ErrorId { New-CaCertificate -Subject 'XX=what' } | Should -Be 'InvalidSubject'
    }
}

Describe 'New-CaCertificate parameter sets (issue 15)' {
    It '-NotAfter alone needs no -NotBefore (it defaults to now)' {
        $before = [DateTime]::UtcNow.AddSeconds(-2)
        $ca = New-CaCertificate -Subject 'CN=NotAfter Only' -NotAfter (Get-Date).AddDays(30)
        $ca.NotBefore | Should -BeGreaterOrEqual $before.AddSeconds(-1)
        $ca.NotBefore | Should -BeLessOrEqual ([DateTime]::UtcNow)
        $ca.DaysUntilExpiry | Should -Be 30
    }

    It '-ValidityDays with -NotAfter is an error' {
        Get-ErrorId { New-CaCertificate -Subject 'CN=Both' -ValidityDays 5 -NotAfter (Get-Date).AddDays(10) } | Should -Be 'AmbiguousParameterSet'
    }

    It '-PrivateKey of another algorithm than -Algorithm is an error' {
        $rsa = New-PrivateKey -Algorithm Rsa2048
        Get-ErrorId { New-CaCertificate -Subject 'CN=Conflict' -PrivateKey $rsa -Algorithm EcdsaP256 } | Should -Be 'ConflictingParameters'
    }
}
