BeforeAll { . $PSScriptRoot/common.ps1 }

Describe 'New-CertificateRequest' {
    It 'makes a request with SANs whose signature verifies (ours and openssl req -verify) for <_>' -ForEach $AllAlgorithms {
        $key = New-PrivateKey -Algorithm $_
        $req = New-CertificateRequest -Subject 'CN=web.example.test, O=Acme' -DnsName 'web.example.test', '*.api.example.test' -IpAddress '192.0.2.7', '2001:db8::1' -Email 'ops@example.test' -PrivateKey $key
        $req.SignatureValid | Should -BeTrue
        $req.DnsNames | Should -Be @('web.example.test', '*.api.example.test')
        $req.IpAddresses | Should -Be @('192.0.2.7', '2001:db8::1')
        $req.EmailAddresses | Should -Be @('ops@example.test')
        $req.PublicKeySha256 | Should -Be $key.PublicKeySha256
        $path = Join-Path $TestDrive "req-$_.csr"
        $req | Save-CertificateRequest -Path $path | Out-Null
        $out = Invoke-OpenSsl req -in $path -verify -noout -text
        $OpenSslExit | Should -Be 0
        $out | Should -Match 'verify OK|Certificate request self-signature verify OK'
        $out | Should -Match 'DNS:web.example.test'
        $out | Should -Match 'IP Address:192.0.2.7'
        $out | Should -Match 'email:ops@example.test'
    }

    It 'makes a key when none is given and carries it' {
        $req = New-CertificateRequest -DnsName 'auto.example.test' -Algorithm EcdsaP384
        $req.HasPrivateKey | Should -BeTrue
        $req.PrivateKey.Algorithm | Should -Be 'EcdsaP384'
        $req.Subject | Should -Be 'CN=auto.example.test'
    }

    It 'takes the key from the pipeline' {
        $key = New-PrivateKey
        ($key | New-CertificateRequest -Subject 'CN=piped').PublicKeySha256 | Should -Be $key.PublicKeySha256
    }

    It 'rejects a bad DNS name with InvalidDnsName' {
        Get-ErrorId { New-CertificateRequest -DnsName 'bad name!' } | Should -Be 'InvalidDnsName'
    }

    It 'rejects a bad IP address with InvalidIpAddress' {
        Get-ErrorId { New-CertificateRequest -IpAddress '999.1.1.1' } | Should -Be 'InvalidIpAddress'
    }

    It 'rejects a request with no name at all with NameRequired' {
        Get-ErrorId { New-CertificateRequest } | Should -Be 'NameRequired'
    }

    It 'reports an error with the InvalidArgument category' {
        New-CertificateRequest -DnsName 'x..y' -ErrorVariable e -ErrorAction SilentlyContinue | Out-Null
        $e[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
    }
}

Describe 'New-CertificateRequest key and algorithm (issue 15)' {
    It '-PrivateKey of another algorithm than -Algorithm is an error; the same one is fine' {
        $rsa = New-PrivateKey -Algorithm Rsa2048
        Get-ErrorId { New-CertificateRequest -Subject 'CN=x' -PrivateKey $rsa -Algorithm EcdsaP256 } | Should -Be 'ConflictingParameters'
        (New-CertificateRequest -Subject 'CN=x' -PrivateKey $rsa -Algorithm Rsa2048).KeyAlgorithm | Should -Be 'Rsa2048'
    }
}
