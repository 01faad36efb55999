BeforeAll { . $PSScriptRoot/common.ps1 }

# Results travel over remoting (Invoke-Command fan-out) as CLIXML: their key properties must survive the trip.
Describe 'Results round-trip through Export-Clixml and ConvertTo-Json' {
    BeforeAll {
        $script:cert = New-Certificate -SelfSigned -DnsName clixml.test -IpAddress 127.0.0.1
        $script:server = Start-TlsServer -Certificate $cert
    }
    AfterAll { $server | Stop-TlsServer }

    It 'keeps a handshake result''s key properties' {
        $r = Invoke-TlsHandshake -HostName 127.0.0.1 -Port $server.Port -TrustedRoot $cert
        $path = Join-Path $TestDrive 'handshake.xml'
        $r | Export-Clixml -Path $path
        $b = Import-Clixml -Path $path
        foreach ($p in 'HostName', 'Port', 'Success', 'CipherSuite', 'NamedGroup', 'DaysUntilExpiry') { $b.$p | Should -Be $r.$p }
        # Enums arrive as numbers that print as their names, as with every enum over PowerShell remoting.
        $b.TlsVersion.ToString() | Should -Be "$($r.TlsVersion)"
        ($b | Format-Table | Out-String -Width 120) | Should -Match 'TLS_AES_\d+_GCM_SHA\d+'   # the module's view applies
        $b.Certificates[0].Thumbprint | Should -Be $cert.Thumbprint
        $b.Validation.IsValid | Should -BeTrue
        $b.Transcript.Count | Should -Be $r.Transcript.Count
        { $r | ConvertTo-Json -Depth 6 | ConvertFrom-Json } | Should -Not -Throw
    }

    It 'keeps a chain validation result''s verdict and failures' {
        $v = Test-CertificateChain -Certificate $cert -TrustedRoot (New-CaCertificate -Subject 'CN=Other') -DnsName clixml.test
        $path = Join-Path $TestDrive 'chain.xml'
        $v | Export-Clixml -Path $path
        $b = Import-Clixml -Path $path
        $b.IsValid | Should -BeFalse
        $b.Failures.Check | Should -Be $v.Failures.Check
        ($b | Format-Table | Out-String -Width 120) | Should -Match 'UntrustedRoot|SelfSigned' 
        { $v | ConvertTo-Json -Depth 6 | ConvertFrom-Json } | Should -Not -Throw
    }

    It 'keeps a server profile''s versions, suites and chain verdicts' {
        $p = Get-TlsServerProfile -HostName 127.0.0.1 -Port $server.Port
        $path = Join-Path $TestDrive 'profile.xml'
        $p | Export-Clixml -Path $path
        $b = Import-Clixml -Path $path
        @($b.TlsVersions | ForEach-Object { $_.ToString() }) | Should -Be @($p.TlsVersions | ForEach-Object { "$_" })
        { $b | Format-List | Out-String } | Should -Not -Throw
        $b.CipherSuites.Name | Should -Be $p.CipherSuites.Name
        $b.CertificateChains[0].Verdict | Should -Be $p.CertificateChains[0].Verdict
        { $p | ConvertTo-Json -Depth 6 | ConvertFrom-Json } | Should -Not -Throw
    }
}
