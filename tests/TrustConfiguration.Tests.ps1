# Trust you can configure (issue 11): Get-TlsServerProfile -TrustedRoot/-Intermediate, and the default store's
# SSL_CERT_FILE / SSL_CERT_DIR, each checked against `openssl verify` with the same variables.
BeforeAll {
    . $PSScriptRoot/common.ps1
    . $PSScriptRoot/Peers.common.ps1
    if (-not (Get-Command openssl -ErrorAction Ignore)) { throw 'openssl is required: apt-get install -y openssl' }

    # This process must not inherit a trust configuration from the caller.
    $script:SavedCertFile = $env:SSL_CERT_FILE; $script:SavedCertDir = $env:SSL_CERT_DIR
    Remove-Item Env:SSL_CERT_FILE, Env:SSL_CERT_DIR -ErrorAction Ignore

    $script:Dir = Join-Path ([IO.Path]::GetTempPath()) ('tlstools-trust-' + [guid]::NewGuid().ToString('N').Substring(0, 10))
    New-Item -ItemType Directory -Path $Dir | Out-Null
    $script:c = New-TestChain -Name 'Trustcfg'
    $script:other = New-CaCertificate -Subject 'CN=Unrelated Root, O=TlsTools Tests'
    $script:rootPem = Join-Path $Dir 'root.pem'; $c.Root | Save-Certificate -Path $rootPem | Out-Null
    $script:interPem = Join-Path $Dir 'inter.pem'; $c.Intermediate | Save-Certificate -Path $interPem | Out-Null
    $script:leafPem = Join-Path $Dir 'leaf.pem'; $c.Leaf | Save-Certificate -Path $leafPem | Out-Null
    $script:otherPem = Join-Path $Dir 'other.pem'; $other | Save-Certificate -Path $otherPem | Out-Null

    function Invoke-TrustChild {
        <#
        A fresh pwsh with only the given SSL_CERT_* variables set runs $Script (the module imported, $Dir and the PEM
        paths defined) and returns the JSON object it prints last. Bounded to 180 s.
        #>
        param([string] $Script, [string] $CertFile, [string] $CertDir)
        $exe = [Environment]::ProcessPath
        $prefix = @()
        if ([IO.Path]::GetFileNameWithoutExtension($exe) -eq 'dotnet') { $prefix = @([Environment]::GetCommandLineArgs()[0]) }
        $file = Join-Path $Dir ('child-' + [guid]::NewGuid().ToString('N').Substring(0, 8) + '.ps1')
        @"
`$ErrorActionPreference = 'Stop'
Import-Module '$RepoRoot/TlsTools.psd1'
`$rootPem = '$rootPem'; `$interPem = '$interPem'; `$leafPem = '$leafPem'
$Script
"@ | Set-Content -Path $file
        $psi = [Diagnostics.ProcessStartInfo]::new($exe)
        foreach ($a in $prefix + @('-NoProfile', '-NonInteractive', '-File', $file)) { $psi.ArgumentList.Add($a) }
        $psi.UseShellExecute = $false; $psi.RedirectStandardOutput = $true; $psi.RedirectStandardError = $true
        $psi.Environment.Remove('SSL_CERT_FILE') | Out-Null; $psi.Environment.Remove('SSL_CERT_DIR') | Out-Null
        if ($CertFile) { $psi.Environment['SSL_CERT_FILE'] = $CertFile }
        if ($CertDir) { $psi.Environment['SSL_CERT_DIR'] = $CertDir }
        $p = [Diagnostics.Process]::Start($psi)
        $out = $p.StandardOutput.ReadToEndAsync(); $err = $p.StandardError.ReadToEndAsync()
        if (-not $p.WaitForExit(180000)) { $p.Kill($true); throw "The child pwsh did not finish in 180 s: $Script" }
        $text = $out.Result + "`n" + $err.Result
        $json = $out.Result -split "`n" | Where-Object { $_.StartsWith('{') } | Select-Object -Last 1
        if ($p.ExitCode -ne 0 -or -not $json) { throw "The child pwsh failed ($($p.ExitCode)):`n$text" }
        $json | ConvertFrom-Json
    }

    function Test-ChainInChild([string] $CertFile, [string] $CertDir) {
        Invoke-TrustChild -CertFile $CertFile -CertDir $CertDir -Script @'
$r = Test-CertificateChain $leafPem -Intermediate $interPem -DnsName www.example.test
@{ IsValid = $r.IsValid; Checks = @($r.Failures | ForEach-Object { "$($_.Check)" }) } | ConvertTo-Json -Compress
'@
    }

    function Test-OpenSslVerify([string] $CertFile, [string] $CertDir) {
        <# openssl verify with the same variables (and nothing else changed); $true when it says OK. #>
        $saved = $env:SSL_CERT_FILE, $env:SSL_CERT_DIR
        try {
            if ($CertFile) { $env:SSL_CERT_FILE = $CertFile } else { Remove-Item Env:SSL_CERT_FILE -ErrorAction Ignore }
            if ($CertDir) { $env:SSL_CERT_DIR = $CertDir } else { Remove-Item Env:SSL_CERT_DIR -ErrorAction Ignore }
            $out = Invoke-OpenSsl verify -untrusted $interPem $leafPem
            $OpenSslExit -eq 0 -and $out -match ': OK'
        } finally {
            if ($saved[0]) { $env:SSL_CERT_FILE = $saved[0] } else { Remove-Item Env:SSL_CERT_FILE -ErrorAction Ignore }
            if ($saved[1]) { $env:SSL_CERT_DIR = $saved[1] } else { Remove-Item Env:SSL_CERT_DIR -ErrorAction Ignore }
        }
    }

    function New-HashedDirectory([string] $Name, $Certificates) {
        <# A directory as c_rehash makes it: each certificate under its subject hash ("1a2b3c4d.0"), plus files to pass over. #>
        $d = Join-Path $Dir $Name
        New-Item -ItemType Directory -Path $d | Out-Null
        foreach ($cert in $Certificates) {
            $tmp = Join-Path $d 'tmp.txt'
            $cert | Save-Certificate -Path $tmp -Force | Out-Null
            $hash = (Invoke-OpenSsl x509 -in $tmp -noout -hash).Trim()
            Move-Item $tmp (Join-Path $d "$hash.0")
        }
        Set-Content -Path (Join-Path $d 'README') -Value 'not a certificate'
        Set-Content -Path (Join-Path $d 'broken.pem') -Value "-----BEGIN CERTIFICATE-----`nnot base64"
        $d
    }
}

AfterAll {
    if ($script:SavedCertFile) { $env:SSL_CERT_FILE = $script:SavedCertFile }
    if ($script:SavedCertDir) { $env:SSL_CERT_DIR = $script:SavedCertDir }
    Remove-Item -Recurse -Force $script:Dir -ErrorAction Ignore
}

Describe 'Get-TlsServerProfile -TrustedRoot and -Intermediate' -Tag 'TrustConfiguration' {
    BeforeAll {
        $script:full = Start-TlsServer -Certificate $c.Leaf -Chain $c.Intermediate -TlsVersion Tls12
        $script:bare = Start-TlsServer -Certificate $c.Leaf -TlsVersion Tls12
        function Get-Chain($Server, [hashtable] $Trust) {
            $report = Get-TlsServerProfile -HostName 127.0.0.1 -Port $Server.Port -ServerName www.example.test -TimeoutSeconds 10 @Trust
            @($report.CertificateChains | Where-Object { $_.ServerNames -contains 'www.example.test' })[0]
        }
    }
    AfterAll { $full, $bare | Where-Object { $_ } | Stop-TlsServer }

    It 'judges the served chain against -TrustedRoot: Valid, anchored at the private root' {
        $chain = Get-Chain $full @{ TrustedRoot = $c.Root }
        $chain.Verdict | Should -Be 'Valid'
        $chain.IsValid | Should -BeTrue
        $chain.TrustAnchor | Should -Be $c.Root.Subject
    }

    It 'without -TrustedRoot the default store does not know the private root' {
        $chain = Get-Chain $full @{}
        $chain.IsValid | Should -BeFalse
        $chain.Verdict | Should -BeLike 'Invalid: *'
    }

    It 'an unrelated -TrustedRoot replaces the store: Invalid' {
        (Get-Chain $full @{ TrustedRoot = $other }).IsValid | Should -BeFalse
    }

    It '-Intermediate completes a chain the server sends without its intermediate' {
        (Get-Chain $bare @{ TrustedRoot = $c.Root }).IsValid | Should -BeFalse
        $chain = Get-Chain $bare @{ TrustedRoot = $c.Root; Intermediate = $c.Intermediate }
        $chain.Verdict | Should -Be 'Valid'
        $chain.Certificates.Count | Should -Be 1 -Because 'the report shows what the server sent, not what completed it'
    }

    It 'takes a path and Get-Content lines, as every certificate parameter does' {
        $chain = Get-Chain $bare @{ TrustedRoot = $rootPem; Intermediate = (Get-Content $interPem) }
        $chain.Verdict | Should -Be 'Valid'
    }

    It 'an unreadable -TrustedRoot stops the command before any scan, naming both readings' {
        $err = $null
        try { Get-TlsServerProfile -HostName 127.0.0.1 -Port $full.Port -TrustedRoot 'no-such-root.pem' } catch { $err = $_ }
        $err | Should -Not -BeNullOrEmpty
        $err.FullyQualifiedErrorId | Should -BeLike 'ParameterArgumentTransformationError,*'
        $err.Exception.Message | Should -Match 'neither an existing file .* nor PEM text'
    }
}

Describe 'The default trust store honours SSL_CERT_FILE and SSL_CERT_DIR as OpenSSL does' -Tag 'TrustConfiguration' {
    It 'SSL_CERT_FILE naming the root: valid, and openssl verify agrees' {
        (Test-OpenSslVerify -CertFile $rootPem) | Should -BeTrue
        $r = Test-ChainInChild -CertFile $rootPem
        $r.IsValid | Should -BeTrue
    }

    It 'SSL_CERT_FILE naming another root replaces the default bundle: invalid, and openssl verify agrees' {
        (Test-OpenSslVerify -CertFile $otherPem) | Should -BeFalse
        $r = Test-ChainInChild -CertFile $otherPem
        $r.IsValid | Should -BeFalse
        $r.Checks | Should -Not -BeNullOrEmpty
    }

    It "SSL_CERT_DIR: the root under its hashed name in the second of two ':'-separated directories (unreadable files passed over)" {
        $a = New-HashedDirectory 'dirA' @($other)
        $b = New-HashedDirectory 'dirB' @($c.Root)
        $dirs = "$a$([IO.Path]::PathSeparator)$b"
        (Test-OpenSslVerify -CertFile $otherPem -CertDir $dirs) | Should -BeTrue
        $r = Test-ChainInChild -CertFile $otherPem -CertDir $dirs
        $r.IsValid | Should -BeTrue
        (Test-OpenSslVerify -CertFile $otherPem -CertDir $a) | Should -BeFalse
        (Test-ChainInChild -CertFile $otherPem -CertDir $a).IsValid | Should -BeFalse
    }

    It 'SSL_CERT_DIR also reads *.pem and *.crt files (OpenSSL reads hashed names only; TlsTools reads both)' {
        $d = Join-Path $Dir 'plain'; New-Item -ItemType Directory -Path $d | Out-Null
        Copy-Item $rootPem (Join-Path $d 'private-root.crt')
        (Test-ChainInChild -CertFile $otherPem -CertDir $d).IsValid | Should -BeTrue
    }

    It 'Get-TlsServerProfile without -TrustedRoot judges a private-PKI server Valid once SSL_CERT_FILE names its root' {
        # The child serves this chain (leaf with key, and its intermediate) from a PFX.
        $pfx = Join-Path $Dir 'server.pfx'
        $c.Leaf, $c.Intermediate | Save-Certificate -Path $pfx -Format Pfx -Password $Password | Out-Null
        $r = Invoke-TrustChild -CertFile $rootPem -Script @"
`$pw = ConvertTo-SecureString '$PasswordText' -AsPlainText -Force
`$certs = Read-Certificate '$pfx' -Password `$pw
`$tls = Start-TlsServer -Certificate `$certs[0] -Chain `$certs[1] -TlsVersion Tls12
try {
    `$report = Get-TlsServerProfile -HostName 127.0.0.1 -Port `$tls.Port -ServerName www.example.test -TimeoutSeconds 10
    `$chain = @(`$report.CertificateChains | Where-Object { `$_.ServerNames -contains 'www.example.test' })[0]
    @{ Verdict = `$chain.Verdict; TrustAnchor = `$chain.TrustAnchor } | ConvertTo-Json -Compress
} finally { `$tls | Stop-TlsServer }
"@
        $r.Verdict | Should -Be 'Valid'
        $r.TrustAnchor | Should -Be $c.Root.Subject
    }
}
