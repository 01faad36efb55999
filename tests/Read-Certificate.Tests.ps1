BeforeAll {
    . $PSScriptRoot/common.ps1
    function Get-OpenSslThumbprint([string] $Path, [string] $Form = 'PEM') {
        ((Invoke-OpenSsl x509 -in $Path -inform $Form -noout -fingerprint -sha1) -replace '(?s).*=', '' -replace '[:\s]', '')
    }
}

Describe 'Read-Certificate' {
    BeforeAll {
        # Files written by openssl itself: a key, a self-signed certificate, a chain bundle, DER, PFX and P7B.
        $script:dir = Join-Path $TestDrive 'ossl'
        New-Item -ItemType Directory $dir | Out-Null
        $script:key = Join-Path $dir 'key.pem'; $script:crt = Join-Path $dir 'crt.pem'
        Invoke-OpenSsl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout $key -out $crt -subj '/CN=ossl.example.test/O=OpenSSL' -days 30 -addext 'subjectAltName=DNS:ossl.example.test,IP:127.0.0.1' | Out-Null
        $script:der = Join-Path $dir 'crt.der'
        Invoke-OpenSsl x509 -in $crt -outform DER -out $der | Out-Null
        $script:pfx = Join-Path $dir 'crt.pfx'
        Invoke-OpenSsl pkcs12 -export -in $crt -inkey $key -out $pfx -passout "pass:$PasswordText" | Out-Null
        $script:p7b = Join-Path $dir 'crt.p7b'
        $chain = New-TestChain -Name 'P7'
        $script:bundle = Join-Path $dir 'bundle.pem'
        $chain.Leaf, $chain.Intermediate, $chain.Root | Save-Certificate -Path $bundle | Out-Null
        Invoke-OpenSsl crl2pkcs7 -nocrl -certfile $bundle -out $p7b | Out-Null
        $script:p7bDer = Join-Path $dir 'crt-der.p7b'
        Invoke-OpenSsl crl2pkcs7 -nocrl -certfile $bundle -outform DER -out $p7bDer | Out-Null
        $script:thumb = Get-OpenSslThumbprint $crt
    }

    It 'reads openssl PEM with the same thumbprint and SANs' {
        $c = Read-Certificate -Path $crt
        $c.Thumbprint | Should -Be $thumb
        $c.DnsNames | Should -Be @('ossl.example.test')
        $c.IpAddresses | Should -Be @('127.0.0.1')
        $c.Subject | Should -Be 'CN=ossl.example.test,O=OpenSSL'
    }

    It 'reads DER' {
        (Read-Certificate -LiteralPath $der).Thumbprint | Should -Be $thumb
    }

    It 'reads an openssl PFX with its password, carrying the same key' {
        $c = Read-Certificate -Path $pfx -Password $Password
        $c.Thumbprint | Should -Be $thumb
        $c.HasPrivateKey | Should -BeTrue
        $c.PrivateKey.PublicKeySha256 | Should -Be (Get-OpenSslSpkiSha256 -Path $key)
    }

    It 'reads PEM and DER P7B bundles in order' {
        (Read-Certificate -Path $p7b).Count | Should -Be 3
        (Read-Certificate -Path $p7bDer).Count | Should -Be 3
    }

    It 'reads every certificate of a PEM bundle' {
        $all = Read-Certificate -Path $bundle
        $all.Count | Should -Be 3
        $all[0].Subject | Should -Be 'CN=www.example.test'
    }

    It 'attaches a private key found in the same PEM file' {
        $combined = Join-Path $dir 'combined.pem'
        Get-Content $crt, $key | Set-Content $combined
        (Read-Certificate -Path $combined).HasPrivateKey | Should -BeTrue
    }

    It 'reports a private key that belongs to none of the certificates with KeyMismatch, and still reads them' {
        $mixed = Join-Path $dir 'mixed.pem'
        $otherKey = Join-Path $dir 'other.key'
        New-PrivateKey | Save-PrivateKey -Path $otherKey | Out-Null
        Get-Content $crt, $otherKey | Set-Content $mixed
        $c = Read-Certificate -Path $mixed -ErrorVariable e -ErrorAction SilentlyContinue
        $c.Thumbprint | Should -Be $thumb
        $c.HasPrivateKey | Should -BeFalse
        $e[0].FullyQualifiedErrorId | Should -BeLike 'KeyMismatch*'
    }

    It 'reads PEM text from the pipeline, line by line as Get-Content sends it' {
        (Get-Content $bundle | Read-Certificate).Count | Should -Be 3
        (Get-Content -Raw $crt | Read-Certificate).Thumbprint | Should -Be $thumb
    }

    It 'reads bytes from the pipeline' {
        (Read-Certificate -InputObject ([IO.File]::ReadAllBytes($der))).Thumbprint | Should -Be $thumb
        (, [IO.File]::ReadAllBytes($der) | Read-Certificate).Thumbprint | Should -Be $thumb
    }

    It 'reads files from Get-ChildItem and wildcards' {
        (Get-ChildItem $dir -Filter 'crt.*' | Where-Object Extension -in '.pem', '.der' | Read-Certificate).Count | Should -Be 2
        (Read-Certificate -Path (Join-Path $dir 'cr*.pem')).Thumbprint | Should -Be $thumb
    }

    It 'fails on a wrong PFX password with WrongPassword, and on a missing one with PasswordRequired' {
        Get-ErrorId { Read-Certificate -Path $pfx -Password $WrongPassword } | Should -Be 'WrongPassword'
        Get-ErrorId { Read-Certificate -Path $pfx } | Should -Be 'PasswordRequired'
        Read-Certificate -Path $pfx -Password $WrongPassword -ErrorVariable e -ErrorAction SilentlyContinue
        $e[0].CategoryInfo.Category | Should -Be 'AuthenticationError'
        $e[0].ToString() | Should -Not -Match 'not-the-password'
    }

    It 'fails on malformed input with a stable ErrorId (<Name>)' -ForEach @(
        @{ Name = 'broken base64'; Text = "-----BEGIN CERTIFICATE-----`nMIIB!!!notbase64`n-----END CERTIFICATE-----"; Id = 'InvalidPem' }
        @{ Name = 'no END line'; Text = "-----BEGIN CERTIFICATE-----`nMIIB"; Id = 'InvalidPem' }
        @{ Name = 'mismatched END'; Text = "-----BEGIN CERTIFICATE-----`nAAAA`n-----END PRIVATE KEY-----"; Id = 'InvalidPem' }
        @{ Name = 'valid base64, not a certificate'; Text = "-----BEGIN CERTIFICATE-----`nAAAAAAAA`n-----END CERTIFICATE-----"; Id = 'InvalidCertificate' }
        @{ Name = 'only a key'; Text = "-----BEGIN PRIVATE KEY-----`nAAAAAAAA`n-----END PRIVATE KEY-----"; Id = 'NoCertificate' }
        @{ Name = 'plain text'; Text = 'hello world'; Id = 'InvalidCertificate' }
    ) {
        $f = Join-Path $TestDrive ('bad-' + [guid]::NewGuid() + '.pem')
        Set-Content -Path $f -Value $Text -NoNewline
        Get-ErrorId { Read-Certificate -Path $f } | Should -Be $Id
    }

    It 'fails on truncated DER with InvalidCertificate' {
        $bytes = [IO.File]::ReadAllBytes($der)
        Get-ErrorId { Read-Certificate -InputObject $bytes[0..100] } | Should -Be 'InvalidCertificate'
    }

    It 'reports a missing file with PathNotFound and goes on with the next' {
        $r = Read-Certificate -LiteralPath (Join-Path $dir 'nope.pem'), $crt -ErrorVariable e -ErrorAction SilentlyContinue
        $e[0].FullyQualifiedErrorId | Should -BeLike 'PathNotFound*'
        $r.Thumbprint | Should -Be $thumb
    }

    It 'fails on an empty file with EmptyInput' {
        $f = Join-Path $TestDrive 'empty.pem'; New-Item $f -ItemType File | Out-Null
        Get-ErrorId { Read-Certificate -Path $f } | Should -Be 'EmptyInput'
    }
}

Describe 'Read-Certificate with paths from the pipeline (issue 15)' {
    BeforeAll {
        $script:dir15 = Join-Path $TestDrive 'issue15'
        New-Item -ItemType Directory -Path (Join-Path $dir15 'sub') -Force | Out-Null
        $script:chain15 = New-TestChain -Name 'Pipe'
        $chain15.Leaf | Save-Certificate -Path (Join-Path $dir15 'leaf.pem') | Out-Null
        $chain15.Root | Save-Certificate -Path (Join-Path $dir15 'root.pem') | Out-Null
        Set-Content -Path (Join-Path $dir15 'list.txt') -Value (Join-Path $dir15 'leaf.pem'), (Join-Path $dir15 'root.pem')
    }

    It 'reads a path string from the pipeline as a file, and remembers it in Path' {
        Push-Location $dir15
        try { $c = './leaf.pem' | Read-Certificate } finally { Pop-Location }
        $c.Thumbprint | Should -Be $chain15.Leaf.Thumbprint
        $c.Path | Should -Be (Join-Path $dir15 'leaf.pem')
    }

    It 'reads every file Get-Content lists' {
        $certs = Get-Content (Join-Path $dir15 'list.txt') | Read-Certificate
        $certs.Thumbprint | Should -Be @($chain15.Leaf.Thumbprint, $chain15.Root.Thumbprint)
        $certs.Path | Should -Be @((Join-Path $dir15 'leaf.pem'), (Join-Path $dir15 'root.pem'))
    }

    It 'still reads PEM text from Get-Content (no Path then), header lines with wildcard characters included' {
        $c = Get-Content (Join-Path $dir15 'leaf.pem') | Read-Certificate
        $c.Thumbprint | Should -Be $chain15.Leaf.Thumbprint
        $c.Path | Should -BeNullOrEmpty
        $withHeader = @('subject=/CN=[www]*.example.test?') + (Get-Content (Join-Path $dir15 'leaf.pem'))
        $c = $withHeader | Read-Certificate -ErrorVariable errs
        $errs | Should -BeNullOrEmpty
        $c.Thumbprint | Should -Be $chain15.Leaf.Thumbprint
    }

    It 'reads the files a wildcard matches and reports a subfolder as PathIsDirectory' {
        $certs = Read-Certificate -Path (Join-Path $dir15 '*.pem'), (Join-Path $dir15 '*') -ErrorVariable errs -ErrorAction SilentlyContinue
        @($certs | Where-Object Path -like '*leaf.pem').Count | Should -Be 2
        $ids = @($errs | ForEach-Object { $_.FullyQualifiedErrorId.Split(',')[0] })
        $ids | Should -Contain 'PathIsDirectory'
        ($errs | Where-Object { $_.FullyQualifiedErrorId -like 'PathIsDirectory,*' }).TargetObject | Should -Be (Join-Path $dir15 'sub')
    }

    It 'names the file when a key in a PEM bundle belongs to none of its certificates (KeyMismatch)' {
        $bundle = Join-Path $dir15 'mismatch.pem'
        $chain15.Leaf | Save-Certificate -Path $bundle -Force | Out-Null
        $otherKey = Join-Path $dir15 'other.key'
        New-PrivateKey | Save-PrivateKey -Path $otherKey | Out-Null
        Add-Content -Path $bundle -Value (Get-Content $otherKey)
        $c = Read-Certificate -Path $bundle -ErrorVariable errs -ErrorAction SilentlyContinue
        $c.HasPrivateKey | Should -BeFalse
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'KeyMismatch,*'
        $errs[0].Exception.Message | Should -BeLike "*$bundle*"
        $errs[0].Exception.Message | Should -Match '1 private key in the input belongs to none of its 1 certificate;'
    }

    It 'says "an Int32" for an input it cannot read' {
        $e = Get-ErrorId { 5 | Read-Certificate }
        $e | Should -Be 'UnsupportedInput'
        try { 5 | Read-Certificate -ErrorAction Stop } catch { $_.Exception.Message | Should -Match 'from an Int32' }
    }

    It 'a PFX given where no -Password can be given says how to read it (PasswordProtectedInput)' {
        $pfx = Join-Path $dir15 'leaf.pfx'
        $chain15.Leaf | Save-Certificate -Path $pfx -Password $Password | Out-Null
        Get-ErrorId { Test-CertificateChain -Certificate $pfx -TrustedRoot $chain15.Root } | Should -Be 'PasswordProtectedInput'
        try { Test-CertificateChain -Certificate $pfx -ErrorAction Stop } catch { $_.Exception.Message | Should -Match 'Read-Certificate -Path .* -Password' }
        (Read-Certificate -Path $pfx -Password $Password).Thumbprint | Should -Be $chain15.Leaf.Thumbprint
    }
}

Describe 'Read-Certificate messages (issue 15)' {
    It 'puts our words first and the parser detail after, marked: <Name>' -ForEach @(
        @{ Name = 'a truncated DER certificate'; Bytes = [byte[]](0x30, 0x06, 0x30, 0x04, 0x02, 0x02, 0x01, 0x01) }
        @{ Name = 'PEM whose body is not a certificate'; Text = "-----BEGIN CERTIFICATE-----`nMIIBAAAA`n-----END CERTIFICATE-----" }
    ) {
        $path = Join-Path $TestDrive ('msg-' + [guid]::NewGuid().ToString('N'))
        if ($Bytes) { [IO.File]::WriteAllBytes($path, $Bytes) } else { Set-Content -Path $path -Value $Text }
        $err = $null
        try { Read-Certificate -Path $path -ErrorAction Stop } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -BeLike 'InvalidCertificate,*'
        $err.Exception.Message | Should -BeLike "$path`: The data is not a valid X.509 certificate (parser detail: *)."
    }
}
