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

Describe 'New-CaCertificate refuses what cannot validate (issue 11)' {
    It '-Issuer $null is refused instead of making a self-signed root; -PrivateKey $null likewise' {
        Get-ErrorId { New-CaCertificate -Subject 'CN=Typo' -Issuer $null } | Should -Be 'ParameterArgumentValidationError'
        Get-ErrorId { New-CaCertificate -Subject 'CN=Typo' -PrivateKey $null } | Should -Be 'ParameterArgumentValidationError'
    }

    It 'a sub-CA under a -PathLength 0 CA: PathLengthExceeded; a leaf under it is fine' {
        $root = New-CaCertificate -Subject 'CN=PL Root'
        $issuing = New-CaCertificate -Subject 'CN=PL0 Issuing' -Issuer $root -PathLength 0
        Get-ErrorId { New-CaCertificate -Subject 'CN=Too Deep' -Issuer $issuing } | Should -Be 'PathLengthExceeded'
        (New-Certificate -Issuer $issuing -DnsName ok.example.test).Issuer | Should -Be $issuing.Subject
        (New-CaCertificate -Subject 'CN=PL1 Sub' -Issuer (New-CaCertificate -Subject 'CN=PL1' -PathLength 1)).PathLength | Should -BeNullOrEmpty
    }

    It 'a CA under a non-CA issuer: IssuerNotCa' {
        $root = New-CaCertificate -Subject 'CN=NotCa Root'
        $leaf = New-Certificate -Issuer $root -DnsName leaf.example.test
        Get-ErrorId { New-CaCertificate -Subject 'CN=Under Leaf' -Issuer $leaf } | Should -Be 'IssuerNotCa'
    }

    It 'an expired or not yet valid issuer: IssuerExpired, IssuerNotYetValid' {
        $old = New-CaCertificate -Subject 'CN=Old Root' -NotBefore (Get-Date).AddDays(-30) -NotAfter (Get-Date).AddDays(-1)
        Get-ErrorId { New-CaCertificate -Subject 'CN=Sub' -Issuer $old } | Should -Be 'IssuerExpired'
        $future = New-CaCertificate -Subject 'CN=Future Root' -NotBefore (Get-Date).AddDays(2) -NotAfter (Get-Date).AddDays(60)
        Get-ErrorId { New-CaCertificate -Subject 'CN=Sub' -Issuer $future } | Should -Be 'IssuerNotYetValid'
    }

    It 'a validity asked for beyond the issuer: ValidityBeyondIssuer; the default stops at the issuer without a warning for a fresh root' {
        $root = New-CaCertificate -Subject 'CN=Bounded Root' -ValidityDays 100
        Get-ErrorId { New-CaCertificate -Subject 'CN=Sub' -Issuer $root -ValidityDays 200 } | Should -Be 'ValidityBeyondIssuer'
        Get-ErrorId { New-CaCertificate -Subject 'CN=Sub' -Issuer $root -NotBefore (Get-Date) -NotAfter (Get-Date).AddDays(200) } | Should -Be 'ValidityBeyondIssuer'
        $sub = New-CaCertificate -Subject 'CN=Sub' -Issuer $root -WarningVariable w -WarningAction SilentlyContinue
        $sub.NotAfter | Should -Be $root.NotAfter
        $w.Count | Should -Be 1
        $fresh = New-CaCertificate -Subject 'CN=Fresh Root'
        $null = New-CaCertificate -Subject 'CN=Fresh Sub' -Issuer $fresh -WarningVariable w2
        $w2.Count | Should -Be 0
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
