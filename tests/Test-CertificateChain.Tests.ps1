BeforeAll {
    . $PSScriptRoot/common.ps1

    function Get-Failure {
        <# The failures of a result with the given Check; fails the test when there is none. #>
        param($Result, [string] $Check)
        $Result | Should -Not -BeNullOrEmpty
        $Result.IsValid | Should -BeFalse
        $found = @($Result.Failures | Where-Object Check -eq $Check)
        $found.Count | Should -BeGreaterThan 0 -Because ("expected a $Check failure, got: " + (($Result.Failures | ForEach-Object { "$($_.Check): $($_.Message)" }) -join ' | '))
        $found
    }

    function Assert-Failure {
        <# A failure with Check exists, is about Certificate, and its message names that certificate. #>
        param($Result, [string] $Check, $Certificate)
        $f = Get-Failure $Result $Check | Where-Object { $_.Certificate -and $_.Certificate.Thumbprint -eq $Certificate.Thumbprint } | Select-Object -First 1
        $f | Should -Not -BeNullOrEmpty -Because "the $Check failure must be about '$($Certificate.Subject)'"
        $cn = ($Certificate.Subject -split ',')[0]
        $f.Message | Should -BeLike "*$cn*" -Because 'the message names the certificate'
    }

    function Save-Pem {
        <# Writes certificates (and optionally a key) as PEM into the test drive; returns the path. #>
        param([string] $Name, [object[]] $Certificate, $Key)
        $path = Join-Path $TestDrive $Name
        $Certificate | Save-Certificate -Path $path -Force | Out-Null
        if ($Key) { $Key | Save-PrivateKey -Path "$path.key" -Force | Out-Null }
        $path
    }

    function New-OpenSslCertificate {
        <#
        Signs a certificate with openssl (for what the module refuses to make): a new key of -KeySpec, signed by -CaPath /
        -CaKeyPath with -Digest, with the extensions given. Returns the certificate path; its key is "$path.key".
        #>
        param([string] $Name, [string] $Subject, [string] $CaPath, [string] $CaKeyPath, [string] $KeySpec = 'ec',
              [string] $Digest = 'sha256', [string[]] $Extensions, [int] $Days = 30)
        $path = Join-Path $TestDrive "$Name.pem"
        $csr = Join-Path $TestDrive "$Name.csr"
        $ext = Join-Path $TestDrive "$Name.ext"
        $keyArgs = if ($KeySpec -eq 'ec') { @('-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1') } else { @('-newkey', $KeySpec) }
        $out = Invoke-OpenSsl req -new @keyArgs -nodes -keyout "$path.key" -subj $Subject -out $csr
        $OpenSslExit | Should -Be 0 -Because $out
        Set-Content -Path $ext -Value ($Extensions -join "`n")
        $serial = '0x' + (-join (1..16 | ForEach-Object { '{0:x2}' -f (Get-Random -Minimum 16 -Maximum 127) }))
        $out = Invoke-OpenSsl x509 -req -in $csr -CA $CaPath -CAkey $CaKeyPath -set_serial $serial -days $Days "-$Digest" -extfile $ext -out $path
        $OpenSslExit | Should -Be 0 -Because $out
        $path
    }

    $script:LeafExtensions = @(
        'basicConstraints=critical,CA:FALSE'
        'keyUsage=critical,digitalSignature,keyEncipherment'
        'extendedKeyUsage=serverAuth'
        'subjectKeyIdentifier=hash'
        'authorityKeyIdentifier=keyid'
    )

    $script:c = New-TestChain -Name 'Chain'
    $script:other = New-TestChain -Name 'Other'
    $script:rootPath = Save-Pem 'root.pem' $c.Root
    $script:interPath = Save-Pem 'inter.pem' $c.Intermediate $c.Intermediate.PrivateKey
    $script:leafPath = Save-Pem 'leaf.pem' $c.Leaf
    $script:bundlePath = Save-Pem 'bundle.pem' @($c.Leaf, $c.Intermediate)
}

Describe 'Test-CertificateChain: a valid chain' {
    It 'passes, with the chain ordered leaf to root and no failures' {
        $r = Test-CertificateChain -Certificate $c.Leaf -Intermediate $c.Intermediate -TrustedRoot $c.Root -DnsName 'www.example.test'
        $r | Should -BeOfType ([TlsTools.Validation.ChainValidationResult])
        $r.IsValid | Should -BeTrue
        $r.Failures.Count | Should -Be 0
        $r.Chain.Count | Should -Be 3
        $r.Chain[0].Thumbprint | Should -Be $c.Leaf.Thumbprint
        $r.Chain[1].Thumbprint | Should -Be $c.Intermediate.Thumbprint
        $r.Chain[2].Thumbprint | Should -Be $c.Root.Thumbprint
        $r.Purpose | Should -Be 'ServerAuth'
    }

    It 'does not carry private keys in its output' {
        $c.Leaf.HasPrivateKey | Should -BeTrue
        $r = Test-CertificateChain $c.Leaf -Intermediate $c.Intermediate -TrustedRoot $c.Root
        $r.Chain | ForEach-Object { $_.HasPrivateKey | Should -BeFalse }
    }

    It 'takes intermediates in any order, among unrelated ones' {
        $root = New-CaCertificate -Subject 'CN=Deep Root'
        $i1 = New-CaCertificate -Subject 'CN=Deep CA 1' -Issuer $root
        $i2 = New-CaCertificate -Subject 'CN=Deep CA 2' -Issuer $i1
        $leaf = New-Certificate -Issuer $i2 -DnsName 'deep.example.test'
        $r = Test-CertificateChain $leaf -Intermediate $other.Intermediate, $i1, $other.Root, $c.Intermediate, $i2 -TrustedRoot $c.Root, $root
        $r.IsValid | Should -BeTrue
        ($r.Chain.Subject -join ' > ') | Should -Be 'CN=deep.example.test > CN=Deep CA 2 > CN=Deep CA 1 > CN=Deep Root'
    }

    It 'is not an error record even when the chain fails' {
        { Test-CertificateChain $c.Leaf -TrustedRoot $other.Root -ErrorAction Stop } | Should -Not -Throw
        $r = Test-CertificateChain $c.Leaf -TrustedRoot $other.Root -ErrorVariable ev
        $ev.Count | Should -Be 0
        $r.IsValid | Should -BeFalse
    }
}

Describe 'Test-CertificateChain: everyday failures name the check and the certificate' {
    It 'expired' {
        $leaf = New-Certificate -Issuer $c.Intermediate -DnsName 'www.example.test' -NotBefore (Get-Date).AddDays(-60) -NotAfter (Get-Date).AddDays(-1)
        $r = Test-CertificateChain $leaf -Intermediate $c.Intermediate -TrustedRoot $c.Root -DnsName 'www.example.test'
        Assert-Failure $r 'Expired' $leaf
    }

    It 'not yet valid' {
        $leaf = New-Certificate -Issuer $c.Intermediate -DnsName 'www.example.test' -NotBefore (Get-Date).AddDays(2) -NotAfter (Get-Date).AddDays(60)
        $r = Test-CertificateChain $leaf -Intermediate $c.Intermediate -TrustedRoot $c.Root
        Assert-Failure $r 'NotYetValid' $leaf
    }

    It 'wrong host' {
        $r = Test-CertificateChain $c.Leaf -Intermediate $c.Intermediate -TrustedRoot $c.Root -DnsName 'mail.example.test'
        Assert-Failure $r 'HostnameMismatch' $c.Leaf
        (Get-Failure $r 'HostnameMismatch')[0].Message | Should -BeLike '*mail.example.test*'
    }

    It 'self-signed' {
        $leaf = New-Certificate -SelfSigned -Subject 'CN=selfie.example.test' -DnsName 'selfie.example.test'
        $r = Test-CertificateChain $leaf -TrustedRoot $c.Root -DnsName 'selfie.example.test'
        Assert-Failure $r 'SelfSigned' $leaf
    }

    It 'untrusted root' {
        $r = Test-CertificateChain $c.Leaf -Intermediate $c.Intermediate, $c.Root -TrustedRoot $other.Root
        Assert-Failure $r 'UntrustedRoot' $c.Root
    }

    It 'missing intermediate' {
        $r = Test-CertificateChain $c.Leaf -TrustedRoot $c.Root
        Assert-Failure $r 'MissingIssuer' $c.Leaf
        (Get-Failure $r 'MissingIssuer')[0].Message | Should -BeLike "*$($c.Intermediate.Subject)*"
    }

    It 'intermediate without the CA flag (made by openssl without basicConstraints)' {
        $interNoBc = New-OpenSslCertificate -Name 'nobc-ca' -Subject '/CN=No Basic Constraints CA' -CaPath $interPath -CaKeyPath "$interPath.key" -Extensions @(
            'keyUsage=critical,keyCertSign,cRLSign', 'subjectKeyIdentifier=hash', 'authorityKeyIdentifier=keyid')
        $leafPath = New-OpenSslCertificate -Name 'nobc-leaf' -Subject '/CN=nobc.example.test' -CaPath $interNoBc -CaKeyPath "$interNoBc.key" -Extensions ($LeafExtensions + 'subjectAltName=DNS:nobc.example.test')
        $bad = Read-Certificate $interNoBc
        $r = Test-CertificateChain $leafPath -Intermediate $interNoBc, $c.Intermediate -TrustedRoot $c.Root -DnsName 'nobc.example.test'
        Assert-Failure $r 'BasicConstraints' $bad
        (Get-Failure $r 'BasicConstraints')[0].Message | Should -BeLike '*basicConstraints*'
    }

    It 'path length exceeded' {
        $root = New-CaCertificate -Subject 'CN=PathLen Root'
        $i1 = New-CaCertificate -Subject 'CN=PathLen Zero CA' -Issuer $root -PathLength 0
        # New-CaCertificate refuses a CA under a path-length-0 CA (PathLengthExceeded), so openssl signs the extra CA.
        $i1Pem = Join-Path $TestDrive 'plen-i1.pem'; $i1 | Save-Certificate -Path $i1Pem -Force | Out-Null
        $i1Key = Join-Path $TestDrive 'plen-i1.key'; $i1.PrivateKey | Save-PrivateKey -Path $i1Key -Force | Out-Null
        $i2Key = Join-Path $TestDrive 'plen-i2.key'; $i2Csr = Join-Path $TestDrive 'plen-i2.csr'; $i2Pem = Join-Path $TestDrive 'plen-i2.pem'
        $ext = Join-Path $TestDrive 'plen-i2.ext'
        Set-Content -Path $ext -Value "basicConstraints=critical,CA:TRUE`nkeyUsage=critical,keyCertSign,cRLSign`nsubjectKeyIdentifier=hash`nauthorityKeyIdentifier=keyid"
        Invoke-OpenSsl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout $i2Key -subj '/CN=PathLen Extra CA' -out $i2Csr | Out-Null
        Invoke-OpenSsl x509 -req -in $i2Csr -CA $i1Pem -CAkey $i1Key -CAcreateserial -days 3000 -sha256 -extfile $ext -out $i2Pem | Out-Null
        $OpenSslExit | Should -Be 0
        $i2 = Read-Certificate -Path $i2Pem | ForEach-Object { $_.WithPrivateKey((Read-PrivateKey -Path $i2Key)) }
        $leaf = New-Certificate -Issuer $i2 -DnsName 'plen.example.test'
        $r = Test-CertificateChain $leaf -Intermediate $i1, $i2 -TrustedRoot $root
        Assert-Failure $r 'PathLength' $i2
        (Get-Failure $r 'PathLength')[0].Message | Should -BeLike '*PathLen Zero CA*'
    }

    It 'a clientAuth-only certificate used for a server' {
        $leaf = New-Certificate -Issuer $c.Intermediate -Subject 'CN=client.example.test' -DnsName 'client.example.test' -Profile Client
        $r = Test-CertificateChain $leaf -Intermediate $c.Intermediate -TrustedRoot $c.Root -DnsName 'client.example.test'
        Assert-Failure $r 'ExtendedKeyUsage' $leaf
        (Get-Failure $r 'ExtendedKeyUsage')[0].Message | Should -BeLike '*serverAuth*'
    }

    It 'name constraint violated' {
        $ca = New-CaCertificate -Subject 'CN=Constrained CA' -Issuer $c.Root -PermittedDnsName 'example.test'
        $leaf = New-Certificate -Issuer $ca -Subject 'CN=www.elsewhere.test' -DnsName 'www.elsewhere.test'
        $r = Test-CertificateChain $leaf -Intermediate $ca -TrustedRoot $c.Root -DnsName 'www.elsewhere.test'
        Assert-Failure $r 'NameConstraints' $leaf
        (Get-Failure $r 'NameConstraints')[0].Message | Should -BeLike '*Constrained CA*'
        # Inside the permitted subtree it passes.
        $ok = New-Certificate -Issuer $ca -Subject 'CN=in.example.test' -DnsName 'in.example.test'
        (Test-CertificateChain $ok -Intermediate $ca -TrustedRoot $c.Root -DnsName 'in.example.test').IsValid | Should -BeTrue
    }

    It 'revoked by a CRL (object and path)' {
        $leaf = New-Certificate -Issuer $c.Intermediate -Subject 'CN=revoked.example.test' -DnsName 'revoked.example.test'
        $crl = $leaf | New-CertificateRevocationList -Issuer $c.Intermediate -Reason KeyCompromise
        $r = Test-CertificateChain $leaf -Intermediate $c.Intermediate -TrustedRoot $c.Root -Crl $crl
        Assert-Failure $r 'Revoked' $leaf
        $crlPath = Join-Path $TestDrive 'revoked.crl'
        $crl | Save-CertificateRevocationList -Path $crlPath | Out-Null
        $r2 = Test-CertificateChain $leaf -Intermediate $c.Intermediate -TrustedRoot $c.Root -Crl $crlPath
        Assert-Failure $r2 'Revoked' $leaf
        # A CRL that does not list it: valid.
        $empty = New-CertificateRevocationList -Issuer $c.Intermediate
        (Test-CertificateChain $leaf -Intermediate $c.Intermediate -TrustedRoot $c.Root -Crl $empty).IsValid | Should -BeTrue
    }

    It 'tampered signature' {
        $leaf = New-Certificate -Issuer $c.Intermediate -Subject 'CN=shop.example.test' -DnsName 'shop.example.test'
        $latin1 = [Text.Encoding]::GetEncoding(28591)
        $text = $latin1.GetString($leaf.GetRawData())
        $text.Contains('shop.example.test') | Should -BeTrue
        $tamperedPath = Join-Path $TestDrive 'tampered.der'
        [IO.File]::WriteAllBytes($tamperedPath, $latin1.GetBytes($text.Replace('shop.example.test', 'shop.exampl3.test')))
        $tampered = Read-Certificate $tamperedPath
        $r = Test-CertificateChain $tamperedPath -Intermediate $c.Intermediate -TrustedRoot $c.Root -DnsName 'shop.exampl3.test'
        Assert-Failure $r 'Signature' $tampered
    }

    It 'SHA-1 signed leaf (openssl x509 -req -sha1)' {
        $path = New-OpenSslCertificate -Name 'sha1-leaf' -Subject '/CN=sha1.example.test' -CaPath $interPath -CaKeyPath "$interPath.key" -Digest sha1 -Extensions ($LeafExtensions + 'subjectAltName=DNS:sha1.example.test')
        $leaf = Read-Certificate $path
        $leaf.SignatureAlgorithm | Should -BeLike '*SHA1*'
        $r = Test-CertificateChain $path -Intermediate $c.Intermediate -TrustedRoot $c.Root -DnsName 'sha1.example.test'
        Assert-Failure $r 'WeakAlgorithm' $leaf
    }

    It 'RSA-1024 leaf (openssl -newkey rsa:1024)' {
        $path = New-OpenSslCertificate -Name 'rsa1024-leaf' -Subject '/CN=rsa1024.example.test' -CaPath $interPath -CaKeyPath "$interPath.key" -KeySpec 'rsa:1024' -Extensions ($LeafExtensions + 'subjectAltName=DNS:rsa1024.example.test')
        $leaf = Read-Certificate $path
        $leaf.KeySize | Should -Be 1024
        $r = Test-CertificateChain $path -Intermediate $c.Intermediate -TrustedRoot $c.Root -DnsName 'rsa1024.example.test'
        Assert-Failure $r 'WeakKey' $leaf
    }

    It 'an openssl-made leaf that is fine passes (the openssl helper is not what fails)' {
        $path = New-OpenSslCertificate -Name 'good-leaf' -Subject '/CN=good.example.test' -CaPath $interPath -CaKeyPath "$interPath.key" -Extensions ($LeafExtensions + 'subjectAltName=DNS:good.example.test')
        $r = Test-CertificateChain $path -Intermediate $interPath -TrustedRoot $rootPath -DnsName 'good.example.test'
        $r.IsValid | Should -BeTrue -Because (($r.Failures | ForEach-Object Message) -join ' | ')
    }
}

Describe 'Test-CertificateChain: parameters' {
    It '-Quiet returns only $true or $false' {
        $yes = Test-CertificateChain $c.Leaf -Intermediate $c.Intermediate -TrustedRoot $c.Root -DnsName 'www.example.test' -Quiet
        $yes | Should -BeOfType ([bool])
        $yes | Should -BeTrue
        $no = Test-CertificateChain $c.Leaf -Intermediate $c.Intermediate -TrustedRoot $c.Root -DnsName 'nope.example.test' -Quiet
        $no | Should -BeOfType ([bool])
        $no | Should -BeFalse
    }

    It '-At in the past is before NotBefore, in the future after NotAfter' {
        $r = Test-CertificateChain $c.Leaf -Intermediate $c.Intermediate -TrustedRoot $c.Root -At (Get-Date).AddYears(-1)
        Assert-Failure $r 'NotYetValid' $c.Leaf
        $r = Test-CertificateChain $c.Leaf -Intermediate $c.Intermediate -TrustedRoot $c.Root -At (Get-Date).AddYears(50)
        Assert-Failure $r 'Expired' $c.Leaf
        $r.ValidatedAt.Year | Should -Be ((Get-Date).ToUniversalTime().AddYears(50).Year)
        (Test-CertificateChain $c.Leaf -Intermediate $c.Intermediate -TrustedRoot $c.Root -At (Get-Date).AddDays(1)).IsValid | Should -BeTrue
    }

    It '-IpAddress matches the iPAddress entries' {
        (Test-CertificateChain $c.Leaf -Intermediate $c.Intermediate -TrustedRoot $c.Root -IpAddress '127.0.0.1').IsValid | Should -BeTrue
        $r = Test-CertificateChain $c.Leaf -Intermediate $c.Intermediate -TrustedRoot $c.Root -IpAddress '10.0.0.1'
        Assert-Failure $r 'IpMismatch' $c.Leaf
    }

    It '-Email matches the rfc822Name entries' {
        $leaf = New-Certificate -Issuer $c.Intermediate -Subject 'CN=Alice Example' -Email 'alice@example.test' -Profile ServerClient
        (Test-CertificateChain $leaf -Intermediate $c.Intermediate -TrustedRoot $c.Root -Email 'alice@example.test' -Purpose ClientAuth).IsValid | Should -BeTrue
        $r = Test-CertificateChain $leaf -Intermediate $c.Intermediate -TrustedRoot $c.Root -Email 'bob@example.test' -Purpose ClientAuth
        Assert-Failure $r 'EmailMismatch' $leaf
    }

    It 'only one of -DnsName, -IpAddress, -Email' {
        { Test-CertificateChain $c.Leaf -DnsName 'a.example.test' -IpAddress '127.0.0.1' -ErrorAction Stop } | Should -Throw
    }

    It '-Purpose ClientAuth accepts a client certificate and refuses a server-only one' {
        $client = New-Certificate -Issuer $c.Intermediate -Subject 'CN=client' -Profile Client
        $r = Test-CertificateChain $client -Intermediate $c.Intermediate -TrustedRoot $c.Root -Purpose ClientAuth
        $r.IsValid | Should -BeTrue -Because (($r.Failures | ForEach-Object Message) -join ' | ')
        $r.Purpose | Should -Be 'ClientAuth'
        $r = Test-CertificateChain $c.Leaf -Intermediate $c.Intermediate -TrustedRoot $c.Root -Purpose ClientAuth
        Assert-Failure $r 'ExtendedKeyUsage' $c.Leaf
        (Test-CertificateChain $c.Leaf -Intermediate $c.Intermediate -TrustedRoot $c.Root -Purpose Any).IsValid | Should -BeTrue
    }

    It '-MaxDepth limits the intermediates' {
        $root = New-CaCertificate -Subject 'CN=Depth Root'
        $i1 = New-CaCertificate -Subject 'CN=Depth CA 1' -Issuer $root
        $i2 = New-CaCertificate -Subject 'CN=Depth CA 2' -Issuer $i1
        $leaf = New-Certificate -Issuer $i2 -DnsName 'depth.example.test'
        (Test-CertificateChain $leaf -Intermediate $i1, $i2 -TrustedRoot $root -MaxDepth 2).IsValid | Should -BeTrue
        $r = Test-CertificateChain $leaf -Intermediate $i1, $i2 -TrustedRoot $root -MaxDepth 1
        Get-Failure $r 'DepthExceeded' | Should -Not -BeNullOrEmpty
    }

    It 'without -TrustedRoot uses the system store: a private root is not trusted' {
        $r = Test-CertificateChain $c.Leaf -Intermediate $c.Intermediate, $c.Root
        $r.IsValid | Should -BeFalse
        Assert-Failure $r 'UntrustedRoot' $c.Root
    }

    It 'an empty -TrustedRoot trusts nothing (no fallback to the system store)' {
        $r = Test-CertificateChain $c.Leaf -Intermediate $c.Intermediate -TrustedRoot @()
        $r.IsValid | Should -BeFalse
    }
}

Describe 'Test-CertificateChain: input forms' {
    It 'takes paths: string, FileInfo, bundle, wildcard intermediates, PEM text' {
        (Test-CertificateChain $leafPath -Intermediate $interPath -TrustedRoot $rootPath).IsValid | Should -BeTrue
        (Test-CertificateChain (Get-Item $leafPath) -Intermediate (Get-Item $interPath) -TrustedRoot (Get-Item $rootPath)).IsValid | Should -BeTrue
        $r = Test-CertificateChain -Certificate $bundlePath -TrustedRoot $rootPath
        $r.IsValid | Should -BeTrue
        $r.Chain[0].Thumbprint | Should -Be $c.Leaf.Thumbprint
        (Test-CertificateChain $leafPath -Intermediate (Join-Path $TestDrive 'inte*.pem') -TrustedRoot $rootPath).IsValid | Should -BeTrue
        (Test-CertificateChain (Get-Content $bundlePath -Raw) -TrustedRoot $rootPath).IsValid | Should -BeTrue
        Push-Location $TestDrive
        try { (Test-CertificateChain ./leaf.pem -Intermediate ./inter.pem -TrustedRoot ./root.pem).IsValid | Should -BeTrue }
        finally { Pop-Location }
    }

    It 'takes X509Certificate2 objects' {
        $x = $c.Leaf.ToX509Certificate2()
        (Test-CertificateChain $x -Intermediate $c.Intermediate.ToX509Certificate2() -TrustedRoot $c.Root.ToX509Certificate2()).IsValid | Should -BeTrue
    }

    It 'an array given to -Certificate: the first is the leaf, the rest intermediates' {
        $r = Test-CertificateChain -Certificate $c.Leaf, $c.Intermediate -TrustedRoot $c.Root
        $r.IsValid | Should -BeTrue
        $r.Chain.Count | Should -Be 3
    }

    It 'pipeline by value: one result per certificate, in order' {
        $second = New-Certificate -Issuer $c.Intermediate -DnsName 'second.example.test'
        $r = @($c.Leaf, $second | Test-CertificateChain -Intermediate $c.Intermediate -TrustedRoot $c.Root)
        $r.Count | Should -Be 2
        $r[0].Chain[0].Thumbprint | Should -Be $c.Leaf.Thumbprint
        $r[1].Chain[0].Thumbprint | Should -Be $second.Thumbprint
        $r.IsValid | Should -Be @($true, $true)
        (Read-Certificate $leafPath | Test-CertificateChain -Intermediate $c.Intermediate -TrustedRoot $rootPath).IsValid | Should -BeTrue
        @(Get-Item $leafPath, $bundlePath | Test-CertificateChain -Intermediate $interPath -TrustedRoot $rootPath -Quiet) | Should -Be @($true, $true)
    }

    It 'pipeline by property name: Certificates (leaf first, as a handshake sends them) and HostName' {
        $handshake = [pscustomobject]@{ HostName = 'www.example.test'; Port = 443; Certificates = @($c.Leaf, $c.Intermediate) }
        $r = $handshake | Test-CertificateChain -TrustedRoot $c.Root
        $r.IsValid | Should -BeTrue
        ($r.Chain.Thumbprint -join ',') | Should -Be (($c.Leaf, $c.Intermediate, $c.Root).Thumbprint -join ',')
        $wrong = [pscustomobject]@{ HostName = 'evil.example.test'; Certificates = @($c.Leaf, $c.Intermediate) }
        Assert-Failure ($wrong | Test-CertificateChain -TrustedRoot $c.Root) 'HostnameMismatch' $c.Leaf
    }

    It 'a HostName that is an IP literal is checked against the iPAddress entries' {
        $byIp = [pscustomobject]@{ HostName = '127.0.0.1'; Certificates = @($c.Leaf, $c.Intermediate) }
        ($byIp | Test-CertificateChain -TrustedRoot $c.Root).IsValid | Should -BeTrue
        $otherIp = [pscustomobject]@{ HostName = '10.9.8.7'; Certificates = @($c.Leaf, $c.Intermediate) }
        Assert-Failure ($otherIp | Test-CertificateChain -TrustedRoot $c.Root) 'IpMismatch' $c.Leaf
    }

    It 'pipeline by property name: Certificate holding a path (Import-Csv)' {
        $csv = Join-Path $TestDrive 'certs.csv'
        @([pscustomobject]@{ Certificate = $leafPath; HostName = 'www.example.test' },
          [pscustomobject]@{ Certificate = $leafPath; HostName = 'wrong.example.test' }) | Export-Csv -Path $csv -NoTypeInformation
        $r = @(Import-Csv $csv | Test-CertificateChain -Intermediate $interPath -TrustedRoot $rootPath)
        $r.Count | Should -Be 2
        $r[0].IsValid | Should -BeTrue
        Assert-Failure $r[1] 'HostnameMismatch' $c.Leaf
    }

    It 'an explicit -DnsName wins over a piped HostName' {
        $obj = [pscustomobject]@{ HostName = 'wrong.example.test'; Certificates = @($c.Leaf, $c.Intermediate) }
        ($obj | Test-CertificateChain -TrustedRoot $c.Root -DnsName 'www.example.test').IsValid | Should -BeTrue
    }
}

Describe 'Test-CertificateChain: unreadable input is an error record' {
    It 'a missing file: PathNotFound' {
        Get-ErrorId { Test-CertificateChain (Join-Path $TestDrive 'missing.pem') } | Should -Be 'PathNotFound'
    }

    It 'a file that is no certificate: InvalidCertificate' {
        $p = Join-Path $TestDrive 'garbage.pem'; Set-Content -Path $p -Value 'this is not a certificate'
        Get-ErrorId { Test-CertificateChain $p -TrustedRoot $c.Root } | Should -Be 'InvalidCertificate'
    }

    It 'broken PEM: InvalidPem; PEM with only a key: NoCertificate' {
        $p = Join-Path $TestDrive 'broken.pem'; Set-Content -Path $p -Value "-----BEGIN CERTIFICATE-----`nMIIB"
        Get-ErrorId { Test-CertificateChain $p -TrustedRoot $c.Root } | Should -Be 'InvalidPem'
        $k = Join-Path $TestDrive 'onlykey.pem'; $c.Leaf.PrivateKey | Save-PrivateKey -Path $k | Out-Null
        Get-ErrorId { Test-CertificateChain $k -TrustedRoot $c.Root } | Should -Be 'NoCertificate'
    }

    It 'an object without certificates: UnsupportedInput; an empty Certificates list: NoCertificate' {
        Get-ErrorId { Test-CertificateChain 42 } | Should -Be 'UnsupportedInput'
        Get-ErrorId { [pscustomobject]@{ HostName = 'x.example.test'; Certificates = @() } | Test-CertificateChain } | Should -Be 'NoCertificate'
    }

    It 'the error record carries the category and target, and the pipeline goes on' {
        $missing = Join-Path $TestDrive 'missing.pem'
        $out = @($missing, $leafPath | Test-CertificateChain -Intermediate $interPath -TrustedRoot $rootPath -ErrorVariable ev -ErrorAction SilentlyContinue)
        $out.Count | Should -Be 1
        $out[0].IsValid | Should -BeTrue
        $ev.Count | Should -Be 1
        $ev[0].FullyQualifiedErrorId | Should -BeLike 'PathNotFound,*'
        $ev[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $ev[0].TargetObject | Should -Be $missing
    }

    It '-Quiet writes $false beside the error, so every input gets an answer' {
        $out = @(Test-CertificateChain (Join-Path $TestDrive 'missing.pem') -Quiet -ErrorVariable ev -ErrorAction SilentlyContinue)
        $out | Should -Be @($false)
        $ev.Count | Should -Be 1
    }

    It 'an unreadable -TrustedRoot, -Intermediate or -Crl stops the call and validates nothing' {
        $garbage = Join-Path $TestDrive 'garbage2.pem'; Set-Content -Path $garbage -Value 'nope'
        Get-ErrorId { Test-CertificateChain $c.Leaf -TrustedRoot (Join-Path $TestDrive 'none.pem') } | Should -Be 'PathNotFound'
        Get-ErrorId { Test-CertificateChain $c.Leaf -TrustedRoot $garbage } | Should -Be 'InvalidCertificate'
        Get-ErrorId { Test-CertificateChain $c.Leaf -Intermediate $garbage -TrustedRoot $c.Root } | Should -Be 'InvalidCertificate'
        Get-ErrorId { Test-CertificateChain $c.Leaf -Crl $garbage -TrustedRoot $c.Root } | Should -Be 'InvalidCrl'
        Get-ErrorId { Test-CertificateChain $c.Leaf -Crl $c.Root -TrustedRoot $c.Root } | Should -Be 'UnsupportedInput'
        $out = @(try { Test-CertificateChain $c.Leaf -Intermediate $c.Intermediate -TrustedRoot $garbage -ErrorAction SilentlyContinue } catch { })
        $out.Count | Should -Be 0
    }

    It 'a wildcard -Certificate matching several files is refused (pipe them instead)' {
        Get-ErrorId { Test-CertificateChain (Join-Path $TestDrive '*.pem') -TrustedRoot $c.Root } | Should -Be 'AmbiguousPath'
    }
}

Describe 'Test-CertificateChain: output' {
    It 'ConvertTo-Json works (no cycles) and keeps the verdict and reasons' {
        $bad = Test-CertificateChain $c.Leaf -Intermediate $c.Intermediate -TrustedRoot $c.Root -DnsName 'nope.example.test'
        $json = $bad | ConvertTo-Json -Depth 6 -WarningAction SilentlyContinue
        $back = $json | ConvertFrom-Json
        $back.IsValid | Should -BeFalse
        $back.Chain.Count | Should -Be 3
        $back.Failures[0].Check | Should -Be 'HostnameMismatch'
        $back.Failures[0].Message | Should -BeLike '*www.example.test*'
        $back.Failures[0].Certificate.Subject | Should -Be $c.Leaf.Subject
        { Test-CertificateChain $c.Leaf -TrustedRoot $c.Root | ConvertTo-Json -WarningAction SilentlyContinue } | Should -Not -Throw
    }

    It 'the default table fits 120 columns and shows verdict, subject, check and reason' {
        $results = @(
            Test-CertificateChain $c.Leaf -Intermediate $c.Intermediate -TrustedRoot $c.Root
            Test-CertificateChain $c.Leaf -Intermediate $c.Intermediate -TrustedRoot $c.Root -DnsName 'nope.example.test'
        )
        $text = $results | Out-String -Width 120
        $text | Should -Match 'Valid\s+Subject\s+Check\s+Reason'
        $text | Should -Match 'HostnameMismatch'
        $text | Should -Match 'CN=www.example.test'
        $text -split "`r?`n" | ForEach-Object { $_.TrimEnd().Length | Should -BeLessOrEqual 120 }
    }

    It 'has a list view with the chain and every failure, and a failure view' {
        $r = Test-CertificateChain $c.Leaf -Intermediate $c.Intermediate -TrustedRoot $c.Root -DnsName 'nope.example.test'
        $list = $r | Format-List | Out-String -Width 120
        $list | Should -Match 'Chain\s+:\s+CN=www.example.test'
        $list | Should -Match 'Failures\s+:\s+HostnameMismatch: '
        $failures = $r.Failures | Out-String -Width 120
        $failures | Should -Match 'Check\s+Certificate\s+Message'
        $failures -split "`r?`n" | ForEach-Object { $_.TrimEnd().Length | Should -BeLessOrEqual 120 }
        ($r.Failures | Format-List | Out-String) | Should -Match 'Thumbprint\s+:\s+' 
    }
}

Describe 'Test-CertificateChain at 80 columns and argument checks (issue 15)' {
    BeforeAll { $script:c15 = New-TestChain -Name 'Narrow' }

    It 'the default table shows the whole reason at 80 columns (wrapped, not cut)' {
        $r = Test-CertificateChain $c15.Leaf -Intermediate $c15.Intermediate -TrustedRoot $c15.Root -DnsName 'nope.example.test'
        $text = $r | Out-String -Width 80
        $text -split "`r?`n" | ForEach-Object { $_.TrimEnd().Length | Should -BeLessOrEqual 80 }
        # The reason's words, across the wrapped lines, all appear: nothing is cut off with an ellipsis.
        $text | Should -Not -Match '…'
        ($text -replace '\s+', '') | Should -Match ([regex]::Escape(($r.Failures[0].Message -replace '\s+', '')))
        ($r.Failures | Out-String -Width 80) | Should -Not -Match '…'
    }

    It 'a chain of one certificate reads "1 certificate"' {
        $self = New-Certificate -SelfSigned -DnsName one.example.test
        $text = Test-CertificateChain $self -TrustedRoot $self -DnsName one.example.test | Out-String -Width 120
        $text | Should -Match 'valid: 1 certificate up to'
    }

    It '<Name> is an argument error before any validation' -ForEach @(
        @{ Name = '-IpAddress abc'; Call = { Test-CertificateChain $c15.Leaf -TrustedRoot $c15.Root -IpAddress abc }; Id = 'InvalidIpAddress'; Category = 'InvalidArgument' }
        @{ Name = '-Email x'; Call = { Test-CertificateChain $c15.Leaf -TrustedRoot $c15.Root -Email x }; Id = 'InvalidEmail'; Category = 'InvalidArgument' }
        # PowerShell's own parameter validation (ValidateRange) reports InvalidData.
        @{ Name = '-MaxDepth 0'; Call = { Test-CertificateChain $c15.Leaf -TrustedRoot $c15.Root -MaxDepth 0 }; Id = 'ParameterArgumentValidationError'; Category = 'InvalidData' }
    ) {
        $out = $null; $caught = $null
        try { $ErrorActionPreference = 'Stop'; $out = & $Call } catch { $caught = $_ }
        $caught | Should -Not -BeNullOrEmpty
        $caught.FullyQualifiedErrorId.Split(',')[0] | Should -Be $Id
        $caught.CategoryInfo.Category | Should -Be $Category
        $out | Should -BeNullOrEmpty   # no verdict
    }
}
