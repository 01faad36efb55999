BeforeAll { . $PSScriptRoot/common.ps1 }

Describe 'examples/' {
    It 'Quickstart.ps1 tells the story and its files read back' {
        $dir = Join-Path $TestDrive 'quickstart'
        & (Join-Path $RepoRoot 'examples/Quickstart.ps1') -OutputDirectory $dir 6>&1 | Out-Null
        (Read-Certificate -Path (Join-Path $dir 'server-chain.pem')).Count | Should -Be 2
        Test-Path (Join-Path $dir 'server.key') | Should -BeTrue
    }

    It 'New-DevelopmentCa.ps1 makes a root once and leaves that openssl verifies for localhost' {
        $ca = Join-Path $TestDrive 'devca'; $out = Join-Path $TestDrive 'devcerts'
        $leaf = & (Join-Path $RepoRoot 'examples/New-DevelopmentCa.ps1') -CaDirectory $ca -OutputDirectory $out -DnsName 'myapp.test' 6>&1 |
            Where-Object { $_ -is [TlsTools.Pki.Certificate] }
        $leaf.DnsNames | Should -Be @('localhost', 'myapp.test')
        $leaf.IpAddresses | Should -Be @('127.0.0.1', '::1')
        $rootBefore = (Read-Certificate -Path (Join-Path $ca 'rootCA.pem')).Thumbprint
        $again = & (Join-Path $RepoRoot 'examples/New-DevelopmentCa.ps1') -CaDirectory $ca -OutputDirectory $out 6>&1 |
            Where-Object { $_ -is [TlsTools.Pki.Certificate] }
        (Read-Certificate -Path (Join-Path $ca 'rootCA.pem')).Thumbprint | Should -Be $rootBefore
        $again.Issuer | Should -Be $leaf.Issuer
        (Get-Item (Join-Path $ca 'rootCA-key.pem')).UnixFileMode | Should -Be ([IO.UnixFileMode]'UserRead, UserWrite')
        $verify = Invoke-OpenSsl verify -CAfile (Join-Path $ca 'rootCA.pem') -verify_hostname localhost (Join-Path $out 'localhost.pem')
        $verify | Should -Match ': OK'
        $verify = Invoke-OpenSsl verify -CAfile (Join-Path $ca 'rootCA.pem') -verify_hostname myapp.test (Join-Path $out 'myapp.test.pem')
        $verify | Should -Match ': OK'
    }
}
