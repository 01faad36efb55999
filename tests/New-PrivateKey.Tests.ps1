BeforeAll { . $PSScriptRoot/common.ps1 }

Describe 'New-PrivateKey' {
    It 'makes an EcdsaP256 key by default' {
        $k = New-PrivateKey
        $k.Algorithm | Should -Be 'EcdsaP256'
        $k.KeySize | Should -Be 256
        $k.PublicKeySha256 | Should -Match '^[0-9A-F]{64}$'
    }

    It 'makes a <_> key that openssl reads back with the same public key' -ForEach $AllAlgorithms {
        $k = New-PrivateKey -Algorithm $_
        $k.Algorithm | Should -Be $_
        $path = Join-Path $TestDrive "$_.key"
        $k | Save-PrivateKey -Path $path | Out-Null
        Get-OpenSslSpkiSha256 -Path $path | Should -Be $k.PublicKeySha256
    }

    It 'writes named curves as OIDs, never explicit parameters (<_>)' -ForEach 'EcdsaP256', 'EcdsaP384', 'EcdsaP521' {
        $path = Join-Path $TestDrive "named-$_.key"
        New-PrivateKey -Algorithm $_ | Save-PrivateKey -Path $path | Out-Null
        $text = Invoke-OpenSsl pkey -in $path -text -noout
        $text | Should -Match 'ASN1 OID: (prime256v1|secp384r1|secp521r1)'
        $text | Should -Not -Match 'Field Type'
    }

    It 'makes several keys with -Count, each different' {
        $keys = New-PrivateKey -Count 3
        $keys.Count | Should -Be 3
        ($keys.PublicKeySha256 | Sort-Object -Unique).Count | Should -Be 3
    }

    It 'refuses an unknown algorithm at binding time' {
        { New-PrivateKey -Algorithm Rsa512 -ErrorAction Stop } | Should -Throw -ExceptionType ([System.Management.Automation.ParameterBindingException])
    }

    It 'never shows key material in its string form or JSON' {
        $k = New-PrivateKey -Algorithm Rsa2048
        $json = $k | ConvertTo-Json
        $json | Should -Not -Match 'Modulus|Exponent|"D"'
        "$k" | Should -Match 'Rsa2048 private key'
    }
}

Describe 'New-PrivateKey progress (issue 15)' {
    It 'shows Write-Progress while a slow RSA key is made, and completes it' {
        $records = [Collections.Generic.List[object]]::new()
        $ps = [PowerShell]::Create()
        try {
            $null = $ps.AddScript("Import-Module '$(Join-Path $RepoRoot 'TlsTools.psd1')'; New-PrivateKey -Algorithm Rsa4096")
            $key = $ps.Invoke()
            $ps.Streams.Error | Should -BeNullOrEmpty
            $key[0].Algorithm | Should -Be 'Rsa4096'
            $progress = @($ps.Streams.Progress | Where-Object Activity -eq 'New-PrivateKey')
        } finally { $ps.Dispose() }
        # A 4096-bit key takes well over half a second here; the first record comes after 0.5 s, the last completes it.
        $progress.Count | Should -BeGreaterOrEqual 2
        $progress[0].StatusDescription | Should -Match 'Making a new Rsa4096 key'
        $progress[-1].RecordType | Should -Be 'Completed'
    }
}
