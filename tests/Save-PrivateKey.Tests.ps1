BeforeAll { . $PSScriptRoot/common.ps1 }

Describe 'Save-PrivateKey' {
    It 'writes unencrypted PKCS#8 with mode 0600 that openssl reads' {
        $k = New-PrivateKey -Algorithm Rsa2048
        $path = Join-Path $TestDrive 'plain.key'
        $k | Save-PrivateKey -Path $path | Out-Null
        Get-Content -Raw $path | Should -Match 'BEGIN PRIVATE KEY'
        if (-not $IsWindows) { (Get-Item $path).UnixFileMode | Should -Be ([IO.UnixFileMode]'UserRead, UserWrite') }
        Get-OpenSslSpkiSha256 -Path $path | Should -Be $k.PublicKeySha256
    }

    It 'writes encrypted PKCS#8 (PBES2, AES-256) that openssl opens with the password, for <_>' -ForEach $AllAlgorithms {
        $k = New-PrivateKey -Algorithm $_
        $path = Join-Path $TestDrive "enc-$_.key"
        $k | Save-PrivateKey -Path $path -Password $Password | Out-Null
        Get-Content -Raw $path | Should -Match 'BEGIN ENCRYPTED PRIVATE KEY'
        Get-OpenSslSpkiSha256 -Path $path -PassIn $PasswordText | Should -Be $k.PublicKeySha256
        (Read-PrivateKey -Path $path -Password $Password).PublicKeySha256 | Should -Be $k.PublicKeySha256
    }

    It 'writes DER with -Format Der' {
        $k = New-PrivateKey
        $path = Join-Path $TestDrive 'k.der'
        $k | Save-PrivateKey -Path $path -Format Der | Out-Null
        (Read-PrivateKey -Path $path).PublicKeySha256 | Should -Be $k.PublicKeySha256
    }

    It 'takes the key from a certificate that carries one, and refuses one that does not' {
        $c = New-TestChain
        $path = Join-Path $TestDrive 'from-cert.key'
        $c.Leaf | Save-PrivateKey -Path $path | Out-Null
        (Read-PrivateKey -Path $path).PublicKeySha256 | Should -Be $c.Leaf.PublicKeySha256
        Get-ErrorId { $c.Leaf.WithoutPrivateKey() | Save-PrivateKey -Path (Join-Path $TestDrive 'none.key') } | Should -Be 'NoPrivateKey'
    }

    It 'does not overwrite without -Force; -WhatIf writes nothing' {
        $path = Join-Path $TestDrive 'once.key'
        New-PrivateKey | Save-PrivateKey -Path $path | Out-Null
        $before = Get-Content -Raw $path
        Get-ErrorId { New-PrivateKey | Save-PrivateKey -Path $path } | Should -Be 'FileExists'
        Get-Content -Raw $path | Should -Be $before
        New-PrivateKey | Save-PrivateKey -Path $path -Force | Out-Null
        Get-Content -Raw $path | Should -Not -Be $before
        New-PrivateKey | Save-PrivateKey -Path (Join-Path $TestDrive 'w.key') -WhatIf
        Test-Path (Join-Path $TestDrive 'w.key') | Should -BeFalse
    }

    It 'keeps 0600 when replacing a file with -Force' -Skip:$IsWindows {
        $path = Join-Path $TestDrive 'replace.key'
        Set-Content -Path $path -Value 'old'
        (Get-Item $path).UnixFileMode = 'UserRead, UserWrite, GroupRead, OtherRead'
        New-PrivateKey | Save-PrivateKey -Path $path -Force | Out-Null
        (Get-Item $path).UnixFileMode | Should -Be ([IO.UnixFileMode]'UserRead, UserWrite')
    }

    It 'never shows the password in verbose output or errors' {
        $k = New-PrivateKey
        $path = Join-Path $TestDrive 'v.key'
        $all = $k | Save-PrivateKey -Path $path -Password $Password -Verbose 4>&1 | Out-String
        $all | Should -Not -Match ([regex]::Escape($PasswordText))
        $err = $k | Save-PrivateKey -Path $path -Password $Password 2>&1 | Out-String
        $err | Should -Not -Match ([regex]::Escape($PasswordText))
    }
}
