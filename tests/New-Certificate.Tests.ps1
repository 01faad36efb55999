BeforeAll { . $PSScriptRoot/common.ps1 }

Describe 'New-Certificate' {
    It 'issues a chain that openssl verify accepts, for <_>' -ForEach $AllAlgorithms {
        $c = New-TestChain -Algorithm $_ -Name $_
        $root = Join-Path $TestDrive "$_-root.pem"; $inter = Join-Path $TestDrive "$_-inter.pem"; $leaf = Join-Path $TestDrive "$_-leaf.pem"
        $c.Root | Save-Certificate -Path $root | Out-Null
        $c.Intermediate | Save-Certificate -Path $inter | Out-Null
        $c.Leaf | Save-Certificate -Path $leaf | Out-Null
        $out = Invoke-OpenSsl verify -CAfile $root -untrusted $inter -purpose sslserver -verify_hostname www.example.test $leaf
        $out | Should -Match ': OK'
        $OpenSslExit | Should -Be 0
        $c.Leaf.KeyAlgorithm | Should -Be $_
        $c.Leaf.HasPrivateKey | Should -BeTrue
    }

    It 'issues from a request: the request''s subject, SANs and public key; the issuer''s key signs' {
        $root = New-CaCertificate -Subject 'CN=Req Root'
        $req = New-CertificateRequest -Subject 'CN=api.example.test' -DnsName 'api.example.test' -IpAddress '10.1.2.3'
        $leaf = New-Certificate -Issuer $root -Request $req
        $leaf.Subject | Should -Be 'CN=api.example.test'
        $leaf.DnsNames | Should -Be @('api.example.test')
        $leaf.IpAddresses | Should -Be @('10.1.2.3')
        $leaf.PublicKeySha256 | Should -Be $req.PublicKeySha256
        $leaf.Issuer | Should -Be 'CN=Req Root'
        $leaf.AuthorityKeyIdentifier | Should -Be $root.SubjectKeyIdentifier
        $leaf.HasPrivateKey | Should -BeTrue  # the request carried the key New-CertificateRequest made
    }

    It 'issues from requests in the pipeline' {
        $root = New-CaCertificate -Subject 'CN=Pipe Root'
        $certs = 1..3 | ForEach-Object { New-CertificateRequest -DnsName "h$_.example.test" } | New-Certificate -Issuer $root
        $certs.Count | Should -Be 3
        $certs[2].DnsNames | Should -Be @('h3.example.test')
    }

    It 'sets KU and EKU for the <Profile> profile' -ForEach @(
        @{ Profile = 'Server'; Eku = @('ServerAuth') }
        @{ Profile = 'Client'; Eku = @('ClientAuth') }
        @{ Profile = 'ServerClient'; Eku = @('ServerAuth', 'ClientAuth') }
    ) {
        $root = New-CaCertificate -Subject 'CN=Profile Root'
        $leaf = New-Certificate -Issuer $root -DnsName 'p.example.test' -Profile $Profile
        $leaf.ExtendedKeyUsage | Should -Be $Eku
        $leaf.KeyUsage | Should -Contain 'DigitalSignature'
        $leaf.IsCertificateAuthority | Should -BeFalse
        $path = Join-Path $TestDrive "profile-$Profile.pem"
        $leaf | Save-Certificate -Path $path | Out-Null
        $text = Invoke-OpenSsl x509 -in $path -noout -text
        $text | Should -Match 'X509v3 Extended Key Usage:'
        if ($Profile -ne 'Client') { $text | Should -Match 'TLS Web Server Authentication' }
        if ($Profile -ne 'Server') { $text | Should -Match 'TLS Web Client Authentication' }
        $text | Should -Match 'CA:FALSE'
    }

    It 'adds keyEncipherment for RSA server keys' {
        $root = New-CaCertificate -Subject 'CN=RSA Root' -Algorithm Rsa2048
        (New-Certificate -Issuer $root -DnsName 'rsa.example.test' -Algorithm Rsa2048).KeyUsage | Should -Contain 'KeyEncipherment'
    }

    It 'makes a self-signed leaf with -SelfSigned' {
        $c = New-Certificate -SelfSigned -DnsName 'self.example.test'
        $c.IsSelfSigned | Should -BeTrue
        $c.IsCertificateAuthority | Should -BeFalse
        $c.Subject | Should -Be 'CN=self.example.test'
    }

    It 'adds CRL distribution points and AIA URLs' {
        $root = New-CaCertificate -Subject 'CN=AIA Root'
        $leaf = New-Certificate -Issuer $root -DnsName 'aia.example.test' -CrlUrl 'http://crl.example.test/r.crl' -OcspUrl 'http://ocsp.example.test' -CaIssuersUrl 'http://ca.example.test/r.cer'
        $path = Join-Path $TestDrive 'aia.pem'
        $leaf | Save-Certificate -Path $path | Out-Null
        $text = Invoke-OpenSsl x509 -in $path -noout -text
        $text | Should -Match 'URI:http://crl.example.test/r.crl'
        $text | Should -Match 'OCSP - URI:http://ocsp.example.test'
        $text | Should -Match 'CA Issuers - URI:http://ca.example.test/r.cer'
    }

    It 'honours -ValidityDays' {
        $root = New-CaCertificate -Subject 'CN=Days Root'
        $leaf = New-Certificate -Issuer $root -DnsName 'd.example.test' -ValidityDays 30
        ($leaf.NotAfter - $leaf.NotBefore).TotalDays | Should -Be 30
        $leaf.DaysUntilExpiry | Should -BeIn 29, 30
    }

    It 'refuses a request whose signature does not verify with RequestSignatureInvalid' {
        $root = New-CaCertificate -Subject 'CN=Tamper Root'
        $req = New-CertificateRequest -Subject 'CN=victim.example.test'
        $bytes = $req.GetRawData()
        # Flip one bit inside the subject's CN text: the structure stays valid, the signature no longer matches.
        $text = [Text.Encoding]::ASCII.GetString($bytes)
        $i = $text.IndexOf('victim')
        $bytes[$i] = $bytes[$i] -bxor 1
        $tampered = Read-CertificateRequest -InputObject $bytes
        $tampered.SignatureValid | Should -BeFalse
        Get-ErrorId { New-Certificate -Issuer $root -Request $tampered } | Should -Be 'RequestSignatureInvalid'
    }

    It 'refuses a non-CA issuer with IssuerNotCa and an issuer without a key with IssuerHasNoPrivateKey' {
        $c = New-TestChain
        Get-ErrorId { New-Certificate -Issuer $c.Leaf -DnsName 'x.example.test' } | Should -Be 'IssuerNotCa'
        Get-ErrorId { New-Certificate -Issuer ($c.Intermediate.WithoutPrivateKey()) -DnsName 'x.example.test' } | Should -Be 'IssuerHasNoPrivateKey'
    }

    It 'refuses a wildcard that is not the whole left-most label' {
        $root = New-CaCertificate -Subject 'CN=W Root'
        Get-ErrorId { New-Certificate -Issuer $root -DnsName 'w*.example.test' } | Should -Be 'InvalidDnsName'
        (New-Certificate -Issuer $root -DnsName '*.example.test').DnsNames | Should -Be @('*.example.test')
    }

    It 'converts to X509Certificate2 and back, with its key' {
        $c = New-TestChain -Algorithm Rsa2048
        $x = $c.Leaf.ToX509Certificate2()
        $x.Thumbprint | Should -Be $c.Leaf.Thumbprint
        $x.HasPrivateKey | Should -BeTrue
        $back = [TlsTools.Pki.Certificate]::FromX509Certificate2($x)
        $back.Thumbprint | Should -Be $c.Leaf.Thumbprint
        $back.HasPrivateKey | Should -BeTrue
        ([TlsTools.Pki.Certificate]$x).Thumbprint | Should -Be $c.Leaf.Thumbprint
    }

    It 'converts to JSON without cycles and without key material' {
        $c = New-TestChain
        $json = $c.Leaf | ConvertTo-Json -Depth 5
        $o = $json | ConvertFrom-Json
        $o.Thumbprint | Should -Be $c.Leaf.Thumbprint
        $o.PrivateKey.Algorithm | Should -Be 'EcdsaP256'
        $json | Should -Not -Match '"D"|Modulus'
    }
}

Describe 'New-Certificate refuses what cannot validate (issue 11)' {
    BeforeAll { $script:c = New-TestChain -Name 'Refuse' }

    It 'an expired issuer: IssuerExpired' {
        $old = New-CaCertificate -Subject 'CN=Expired CA' -NotBefore (Get-Date).AddDays(-30) -NotAfter (Get-Date).AddDays(-1)
        Get-ErrorId { New-Certificate -Issuer $old -DnsName x.example.test } | Should -Be 'IssuerExpired'
    }

    It 'an issuer not yet valid: IssuerNotYetValid' {
        $future = New-CaCertificate -Subject 'CN=Future CA' -NotBefore (Get-Date).AddDays(2) -NotAfter (Get-Date).AddDays(60)
        Get-ErrorId { New-Certificate -Issuer $future -DnsName x.example.test } | Should -Be 'IssuerNotYetValid'
    }

    It '-NotAfter or -ValidityDays beyond the issuer''s NotAfter: ValidityBeyondIssuer (a date asked for is never changed)' {
        $short = New-CaCertificate -Subject 'CN=Short CA' -ValidityDays 30
        Get-ErrorId { New-Certificate -Issuer $short -DnsName x.example.test -NotAfter (Get-Date).AddDays(60) } | Should -Be 'ValidityBeyondIssuer'
        Get-ErrorId { New-Certificate -Issuer $short -DnsName x.example.test -ValidityDays 31 } | Should -Be 'ValidityBeyondIssuer'
        $ok = New-Certificate -Issuer $short -DnsName x.example.test -ValidityDays 29
        ($ok.NotAfter - $ok.NotBefore).TotalDays | Should -Be 29
    }

    It 'the default validity stops at the issuer''s NotAfter, with a warning, and validates' {
        $short = New-CaCertificate -Subject 'CN=Short Default CA' -ValidityDays 30
        $leaf = New-Certificate -Issuer $short -DnsName x.example.test -WarningVariable w -WarningAction SilentlyContinue
        $leaf.NotAfter | Should -Be $short.NotAfter
        $w.Count | Should -Be 1
        "$w" | Should -Match 'cannot outlive'
        (Test-CertificateChain $leaf -TrustedRoot $short -DnsName x.example.test -At (Get-Date).AddDays(29)).IsValid | Should -BeTrue
    }

    It 'a leaf right under a fresh CA gets its full default validity and no warning' {
        $leaf = New-Certificate -Issuer $c.Intermediate -DnsName x.example.test -WarningVariable w
        $w.Count | Should -Be 0
        ($leaf.NotAfter - $leaf.NotBefore).TotalDays | Should -Be 397
    }

    It 'a backdated, already expired leaf under a valid CA is still allowed (test material)' {
        $leaf = New-Certificate -Issuer $c.Intermediate -DnsName x.example.test -NotBefore (Get-Date).AddDays(-60) -NotAfter (Get-Date).AddDays(-1)
        $leaf.DaysUntilExpiry | Should -BeLessThan 0
    }

    It '-PrivateKey $null is refused instead of making a new key' {
        Get-ErrorId { New-Certificate -Issuer $c.Intermediate -DnsName x.example.test -PrivateKey $null } | Should -Be 'ParameterArgumentValidationError'
        Get-ErrorId { New-Certificate -Issuer $null -DnsName x.example.test } | Should -BeLike 'ParameterArgument*'
    }
}

Describe 'New-Certificate: what a new user sees (issue 15)' {
    BeforeAll {
        $script:root = New-CaCertificate -Subject 'CN=Issue15 Root CA, O=Example Organisation Ltd, C=GB'
        $script:leaf = New-Certificate -Issuer $root -Subject 'CN=www.example.test' -DnsName www.example.test -ValidityDays 90
    }

    It 'counts days up: a 90-day certificate shows 90 when issued, one expired 2 days ago -2' {
        $leaf.DaysUntilExpiry | Should -Be 90
        $expired = New-Certificate -Issuer $root -DnsName old.example.test -NotBefore (Get-Date).AddDays(-30) -NotAfter (Get-Date).AddDays(-2)
        $expired.DaysUntilExpiry | Should -Be -2
        $lastDay = New-Certificate -Issuer $root -DnsName last.example.test -NotBefore (Get-Date).AddDays(-30) -NotAfter (Get-Date).AddHours(3)
        $lastDay.DaysUntilExpiry | Should -Be 1
    }

    It 'prints subject and thumbprint, so Compare-Object tells two certificates apart' {
        "$leaf" | Should -Be "$($leaf.Subject) [$($leaf.Thumbprint)]"
        $again = New-Certificate -Issuer $root -Subject 'CN=www.example.test' -DnsName www.example.test -ValidityDays 90
        @(Compare-Object $leaf $again).Count | Should -Be 2
        @(Compare-Object $leaf $leaf).Count | Should -Be 0
    }

    It 'refuses -ValidityDays with -NotAfter, and a -PrivateKey of another -Algorithm' {
        Get-ErrorId { New-Certificate -SelfSigned -DnsName x.test -ValidityDays 5 -NotAfter (Get-Date).AddDays(10) } | Should -Be 'ConflictingParameters'
        $rsa = New-PrivateKey -Algorithm Rsa2048
        Get-ErrorId { New-Certificate -Issuer $root -DnsName x.test -PrivateKey $rsa -Algorithm EcdsaP256 } | Should -Be 'ConflictingParameters'
        (New-Certificate -Issuer $root -DnsName x.test -PrivateKey $rsa -Algorithm Rsa2048).KeyAlgorithm | Should -Be 'Rsa2048'
    }

    It 'the default table is read at 80 columns and uses the room at 120' {
        $narrow = $root, $leaf | Out-String -Width 80
        $lines = $narrow -split "`r?`n"
        ($lines | Measure-Object -Property Length -Maximum).Maximum | Should -BeLessOrEqual 80
        $header = $lines | Where-Object { $_ -match '^Subject' } | Select-Object -First 1
        foreach ($col in 'Subject', 'Days', 'NotAfter', 'Key', 'CA', 'Issuer') { $header | Should -Match "\b$col\b" }
        $narrow | Should -Match '\s3650\s'              # 100+ days, not cut
        $narrow | Should -Match 'EcdsaP256\*'            # the key and its private-key marker
        $narrow | Should -Not -Match 'Da\s*\r?\n\s*ys'   # the Days header is not wrapped
        $wide = $root, $leaf | Out-String -Width 120
        $wide | Should -Match 'CN=Issue15 Root CA,O=Example Organisation Ltd,C=GB'   # the whole issuer at 120
        $narrow | Should -Not -Match 'CN=Issue15 Root CA,O=Example Organisation Ltd,C=GB'
    }
}
