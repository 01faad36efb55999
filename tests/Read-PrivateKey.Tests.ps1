BeforeAll { . $PSScriptRoot/common.ps1 }

Describe 'Read-PrivateKey' {
    BeforeAll {
        $script:dir = Join-Path $TestDrive 'keys'
        New-Item -ItemType Directory $dir | Out-Null
        function script:New-OsslKey([string] $Name, [string[]] $GenArgs) {
            $p = Join-Path $dir $Name
            Invoke-OpenSsl genpkey @GenArgs -out $p | Out-Null
            $p
        }
        $script:ec = New-OsslKey 'ec.pem' @('-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-384')
        $script:rsa = New-OsslKey 'rsa.pem' @('-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048')
        $script:ed = New-OsslKey 'ed.pem' @('-algorithm', 'ED25519')
        $script:encrypted = New-OsslKey 'enc.pem' @('-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-aes256', '-pass', "pass:$PasswordText")
    }

    It 'reads an openssl PKCS#8 <Name> key with the same public key' -ForEach @(
        @{ Name = 'EC'; Var = 'ec'; Alg = 'EcdsaP384' }
        @{ Name = 'RSA'; Var = 'rsa'; Alg = 'Rsa2048' }
        @{ Name = 'Ed25519'; Var = 'ed'; Alg = 'Ed25519' }
    ) {
        $path = Get-Variable -Scope Script -Name $Var -ValueOnly
        $k = Read-PrivateKey -Path $path
        $k.Algorithm | Should -Be $Alg
        $k.PublicKeySha256 | Should -Be (Get-OpenSslSpkiSha256 -Path $path)
    }

    It 'reads encrypted PKCS#8 from openssl with -Password' {
        $k = Read-PrivateKey -Path $encrypted -Password $Password
        $k.PublicKeySha256 | Should -Be (Get-OpenSslSpkiSha256 -Path $encrypted -PassIn $PasswordText)
    }

    It 'reads PKCS#1 (traditional RSA) and SEC1 (traditional EC)' {
        $pkcs1 = Join-Path $dir 'rsa1.pem'; $sec1 = Join-Path $dir 'ec1.pem'
        Invoke-OpenSsl pkey -in $rsa -traditional -out $pkcs1 | Out-Null
        Invoke-OpenSsl ecparam -name prime256v1 -genkey -out $sec1 | Out-Null
        Get-Content -Raw $pkcs1 | Should -Match 'BEGIN RSA PRIVATE KEY'
        Get-Content -Raw $sec1 | Should -Match 'BEGIN EC PRIVATE KEY'
        (Read-PrivateKey -Path $pkcs1).PublicKeySha256 | Should -Be (Get-OpenSslSpkiSha256 -Path $rsa)
        (Read-PrivateKey -Path $sec1).PublicKeySha256 | Should -Be (Get-OpenSslSpkiSha256 -Path $sec1)
    }

    It 'reads OpenSSL encrypted traditional PEM (Proc-Type) with -Password' {
        $legacy = Join-Path $dir 'rsa-legacy.pem'
        Invoke-OpenSsl rsa -in $rsa -traditional -aes256 -passout "pass:$PasswordText" -out $legacy | Out-Null
        Get-Content -Raw $legacy | Should -Match 'Proc-Type: 4,ENCRYPTED'
        (Read-PrivateKey -Path $legacy -Password $Password).PublicKeySha256 | Should -Be (Get-OpenSslSpkiSha256 -Path $rsa)
        Get-ErrorId { Read-PrivateKey -Path $legacy -Password $WrongPassword } | Should -Be 'WrongPassword'
    }

    It 'reads DER PKCS#8, PKCS#1 and SEC1' {
        foreach ($pair in @(@($rsa, 'PKCS8'), @($ec, 'PKCS8'))) {
            $d = Join-Path $dir ([guid]::NewGuid().ToString() + '.der')
            Invoke-OpenSsl pkey -in $pair[0] -outform DER -out $d | Out-Null
            (Read-PrivateKey -Path $d).PublicKeySha256 | Should -Be (Get-OpenSslSpkiSha256 -Path $pair[0])
        }
        $d1 = Join-Path $dir 'rsa1.der'
        Invoke-OpenSsl pkey -in $rsa -traditional -outform DER -out $d1 | Out-Null
        (Read-PrivateKey -Path $d1).PublicKeySha256 | Should -Be (Get-OpenSslSpkiSha256 -Path $rsa)
        $d2 = Join-Path $dir 'ec1.der'
        Invoke-OpenSsl pkey -in $ec -traditional -outform DER -out $d2 | Out-Null
        (Read-PrivateKey -Path $d2).PublicKeySha256 | Should -Be (Get-OpenSslSpkiSha256 -Path $ec)
    }

    It 'reads the key from a PFX' {
        $c = New-TestChain
        $pfx = Join-Path $dir 'k.pfx'
        $c.Leaf | Save-Certificate -Path $pfx -Format Pfx -Password $Password | Out-Null
        (Read-PrivateKey -Path $pfx -Password $Password).PublicKeySha256 | Should -Be $c.Leaf.PublicKeySha256
    }

    It 'fails with WrongPassword, PasswordRequired, NoPrivateKey and InvalidPrivateKey' {
        Get-ErrorId { Read-PrivateKey -Path $encrypted -Password $WrongPassword } | Should -Be 'WrongPassword'
        Get-ErrorId { Read-PrivateKey -Path $encrypted } | Should -Be 'PasswordRequired'
        $c = New-TestChain; $crt = Join-Path $dir 'only-cert.pem'
        $c.Leaf | Save-Certificate -Path $crt | Out-Null
        Get-ErrorId { Read-PrivateKey -Path $crt } | Should -Be 'NoPrivateKey'
        Get-ErrorId { Read-PrivateKey -InputObject "-----BEGIN PRIVATE KEY-----`nAAAAAAAA`n-----END PRIVATE KEY-----" } | Should -Be 'InvalidPrivateKey'
    }

    It 'never prints the password in an error' {
        Read-PrivateKey -Path $encrypted -Password $WrongPassword -ErrorVariable e -ErrorAction SilentlyContinue
        ($e | Out-String) | Should -Not -Match 'not-the-password'
    }
}
