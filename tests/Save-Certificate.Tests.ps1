BeforeAll { . $PSScriptRoot/common.ps1 }

Describe 'Save-Certificate' {
    BeforeAll { $script:c = New-TestChain -Name 'Save' }

    It 'writes PEM by default, every certificate in order, and returns the file' {
        $path = Join-Path $TestDrive 'chain.pem'
        $file = $c.Leaf, $c.Intermediate | Save-Certificate -Path $path
        $file.FullName | Should -Be $path
        (Select-String -Path $path -Pattern 'BEGIN CERTIFICATE').Count | Should -Be 2
        (Read-Certificate -Path $path)[1].Thumbprint | Should -Be $c.Intermediate.Thumbprint
    }

    It 'writes DER, and refuses DER for several certificates with DerHoldsOneCertificate' {
        $path = Join-Path $TestDrive 'leaf.der'
        $c.Leaf | Save-Certificate -Path $path -Format Der | Out-Null
        (Invoke-OpenSsl x509 -in $path -inform DER -noout -subject) | Should -Match 'www.example.test'
        Get-ErrorId { $c.Leaf, $c.Root | Save-Certificate -Path (Join-Path $TestDrive 'two.der') -Format Der } | Should -Be 'DerHoldsOneCertificate'
    }

    It 'writes a PFX with key and chain that openssl 3 opens without -legacy' {
        $path = Join-Path $TestDrive 'leaf.pfx'
        $c.Leaf, $c.Intermediate, $c.Root | Save-Certificate -Path $path -Format Pfx -Password $Password | Out-Null
        $info = Invoke-OpenSsl pkcs12 -in $path -info -noout -passin "pass:$PasswordText"
        $OpenSslExit | Should -Be 0
        $info | Should -Match 'PBES2'
        $info | Should -Match 'AES-256-CBC'
        $out = Invoke-OpenSsl pkcs12 -in $path -nodes -passin "pass:$PasswordText"
        ([regex]::Matches($out, 'BEGIN CERTIFICATE')).Count | Should -Be 3
        $out | Should -Match 'BEGIN PRIVATE KEY'
        $back = Read-Certificate -Path $path -Password $Password
        $back.Count | Should -Be 3
        ($back | Where-Object HasPrivateKey).Thumbprint | Should -Be $c.Leaf.Thumbprint
        if (-not $IsWindows) { (Get-Item $path).UnixFileMode | Should -Be ([IO.UnixFileMode]'UserRead, UserWrite') }
    }

    It 'refuses a PFX without a password with PasswordRequired' {
        Get-ErrorId { $c.Leaf | Save-Certificate -Path (Join-Path $TestDrive 'nopw.pfx') -Format Pfx } | Should -Be 'PasswordRequired'
    }

    It 'never overwrites without -Force, and leaves the old file intact' {
        $path = Join-Path $TestDrive 'keep.pem'
        $c.Root | Save-Certificate -Path $path | Out-Null
        $before = Get-Content -Raw $path
        $c.Leaf | Save-Certificate -Path $path -ErrorVariable e -ErrorAction SilentlyContinue | Out-Null
        $e[0].FullyQualifiedErrorId | Should -BeLike 'FileExists*'
        $e[0].CategoryInfo.Category | Should -Be 'ResourceExists'
        Get-Content -Raw $path | Should -Be $before
        $c.Leaf | Save-Certificate -Path $path -Force | Out-Null
        (Read-Certificate -Path $path).Thumbprint | Should -Be $c.Leaf.Thumbprint
    }

    It 'writes nothing with -WhatIf' {
        $path = Join-Path $TestDrive 'whatif.pem'
        $c.Leaf | Save-Certificate -Path $path -WhatIf
        Test-Path $path | Should -BeFalse
    }

    It 'leaves no temporary file behind' {
        $d = Join-Path $TestDrive 'clean'; New-Item -ItemType Directory $d | Out-Null
        $c.Leaf | Save-Certificate -Path (Join-Path $d 'a.pem') | Out-Null
        (Get-ChildItem -Force $d).Name | Should -Be @('a.pem')
    }

    It 'fails with DirectoryNotFound for a missing folder' {
        Get-ErrorId { $c.Leaf | Save-Certificate -Path (Join-Path $TestDrive 'no/such/dir/x.pem') } | Should -Be 'DirectoryNotFound'
    }

    It 'pairs a certificate with its separately read key into a PFX, and refuses a key that does not match (KeyMismatch)' {
        $crt = Join-Path $TestDrive 'pair.pem'; $key = Join-Path $TestDrive 'pair.key'
        $c.Leaf | Save-Certificate -Path $crt | Out-Null
        $c.Leaf | Save-PrivateKey -Path $key | Out-Null
        $pfx = Join-Path $TestDrive 'pair.pfx'
        Read-Certificate -Path $crt | Save-Certificate -Path $pfx -Format Pfx -Password $Password -PrivateKey (Read-PrivateKey -Path $key) | Out-Null
        (Read-Certificate -Path $pfx -Password $Password).HasPrivateKey | Should -BeTrue
        $other = New-PrivateKey
        $bad = Join-Path $TestDrive 'bad.pfx'
        Get-ErrorId { Read-Certificate -Path $crt | Save-Certificate -Path $bad -Format Pfx -Password $Password -PrivateKey $other } | Should -Be 'KeyMismatch'
        Test-Path $bad | Should -BeFalse
    }
}

Describe 'Save-Certificate: PFX strength (issue 11)' {
    BeforeAll {
        $script:c = New-TestChain -Name 'PfxStrength'
        $script:pfx = Join-Path $TestDrive 'strong.pfx'
        $c.Leaf, $c.Intermediate | Save-Certificate -Path $pfx -Format Pfx -Password $Password | Out-Null
        # What openssl pkcs12 -export writes on this machine, as the yardstick.
        $script:ref = Join-Path $TestDrive 'openssl.pfx'
        $c.Leaf | Save-Certificate -Path (Join-Path $TestDrive 'ref.pem') | Out-Null
        $c.Leaf.PrivateKey | Save-PrivateKey -Path (Join-Path $TestDrive 'ref.key') | Out-Null
        Invoke-OpenSsl pkcs12 -export -in (Join-Path $TestDrive 'ref.pem') -inkey (Join-Path $TestDrive 'ref.key') -out $ref -passout "pass:$PasswordText" | Out-Null
        function Get-PfxInfo([string] $Path) {
            $text = Invoke-OpenSsl pkcs12 -info -in $Path -noout -passin "pass:$PasswordText"
            [pscustomobject]@{
                Exit = $OpenSslExit; Text = $text
                Mac = if ($text -match 'MAC: (\S+), Iteration (\d+)') { $Matches[1] } else { $null }
                MacIterations = if ($text -match 'MAC: \S+, Iteration (\d+)') { [int]$Matches[1] } else { 0 }
                KdfIterations = @([regex]::Matches($text, 'PBKDF2, [^,]+, Iteration (\d+)') | ForEach-Object { [int]$_.Groups[1].Value })
            }
        }
    }

    It 'has an HMAC-SHA256 MAC and PBKDF2 iterations no weaker than openssl pkcs12 -export (without -legacy)' {
        $ours = Get-PfxInfo $pfx
        $theirs = Get-PfxInfo $ref
        $ours.Exit | Should -Be 0 -Because $ours.Text
        $ours.Text | Should -Not -Match 'legacy|unsupported'
        $ours.Mac | Should -Be 'sha256'
        $ours.MacIterations | Should -BeGreaterOrEqual $theirs.MacIterations
        $ours.MacIterations | Should -BeGreaterOrEqual 2048
        $ours.KdfIterations.Count | Should -Be 2 -Because 'the key bag and the certificates are both PBES2-encrypted'
        $ours.KdfIterations | ForEach-Object { $_ | Should -BeGreaterOrEqual ($theirs.KdfIterations | Measure-Object -Maximum).Maximum }
        $ours.Text | Should -Match 'PRF hmacWithSHA256'
    }

    It 'opens in .NET X509Certificate2 with its key, and in Read-Certificate' {
        $x = [Security.Cryptography.X509Certificates.X509Certificate2]::new($pfx, $PasswordText, 'Exportable')
        $x.HasPrivateKey | Should -BeTrue
        $x.Thumbprint | Should -Be $c.Leaf.Thumbprint
        $back = Read-Certificate -Path $pfx -Password $Password
        ($back | Where-Object HasPrivateKey).Thumbprint | Should -Be $c.Leaf.Thumbprint
        $back.Count | Should -Be 2
    }

    It 'a wrong password fails the MAC: WrongPassword' {
        Get-ErrorId { Read-Certificate -Path $pfx -Password $WrongPassword } | Should -Be 'WrongPassword'
        $null = Invoke-OpenSsl pkcs12 -info -in $pfx -noout -passin 'pass:not-the-password'
        $OpenSslExit | Should -Not -Be 0
    }
}

Describe 'Save-Certificate formats from the extension (issue 15)' {
    BeforeAll { $script:c15 = New-TestChain -Name 'Ext' }

    It 'writes a PFX for .pfx and .p12 with -Password, which openssl opens' -ForEach @('pfx', 'p12') {
        $path = Join-Path $TestDrive "site.$_"
        $c15.Leaf, $c15.Intermediate | Save-Certificate -Path $path -Password $Password | Out-Null
        $out = Invoke-OpenSsl pkcs12 -in $path -passin "pass:$PasswordText" -nokeys
        $OpenSslExit | Should -Be 0
        $out | Should -Match 'CN\s*=\s*www.example.test'
        $back = Read-Certificate -Path $path -Password $Password
        ($back | Where-Object HasPrivateKey).Thumbprint | Should -Be $c15.Leaf.Thumbprint
    }

    It 'writes DER for .der and .cer' -ForEach @('der', 'cer') {
        $path = Join-Path $TestDrive "leaf.$_"
        $c15.Leaf | Save-Certificate -Path $path | Out-Null
        [IO.File]::ReadAllBytes($path) | Should -Be $c15.Leaf.GetRawData()
    }

    It 'writes a PKCS#7 bundle for .p7b that openssl reads (a SET: the order is not kept)' {
        $path = Join-Path $TestDrive 'chain.p7b'
        $c15.Leaf, $c15.Intermediate | Save-Certificate -Path $path | Out-Null
        $out = Invoke-OpenSsl pkcs7 -inform DER -in $path -print_certs -noout
        $OpenSslExit | Should -Be 0
        ([regex]::Matches($out, 'subject=')).Count | Should -Be 2
        @((Read-Certificate -Path $path).Thumbprint | Sort-Object) | Should -Be @(@($c15.Leaf.Thumbprint, $c15.Intermediate.Thumbprint) | Sort-Object)
    }

    It 'writes PEM for .pem, .crt and unknown extensions; -Format wins over the extension' {
        foreach ($name in 'a.pem', 'a.crt', 'a.txt') {
            $path = Join-Path $TestDrive $name
            $c15.Leaf | Save-Certificate -Path $path | Out-Null
            Get-Content $path -TotalCount 1 | Should -Be '-----BEGIN CERTIFICATE-----'
        }
        $path = Join-Path $TestDrive 'forced.pfx'
        $c15.Leaf | Save-Certificate -Path $path -Format Pem | Out-Null
        Get-Content $path -TotalCount 1 | Should -Be '-----BEGIN CERTIFICATE-----'
    }

    It 'refuses -Password for a format that holds none, and writes nothing' {
        $path = Join-Path $TestDrive 'site.pem'
        Get-ErrorId { $c15.Leaf | Save-Certificate -Path $path -Password $Password } | Should -Be 'PasswordNotUsed'
        Get-ErrorId { $c15.Leaf | Save-Certificate -Path (Join-Path $TestDrive 'x.pfx') -Format Der -Password $Password } | Should -Be 'PasswordNotUsed'
        Test-Path $path | Should -BeFalse
    }

    It 'returns the file as Get-Item does, so the default view shows mode and size' {
        $path = Join-Path $TestDrive 'shown.pem'
        $file = $c15.Leaf | Save-Certificate -Path $path
        $file | Should -BeOfType [IO.FileInfo]
        $file.PSPath | Should -Not -BeNullOrEmpty
        $text = $file | Out-String -Width 120
        $text | Should -Match ([regex]::Escape('shown.pem'))
        $text | Should -Match "\s$((Get-Item $path).Length)\s+shown\.pem"
        $text | Should -Match '(-rw|-a---)'
    }
}
