# Issue 11: a trust anchor is a name and a key. openssl-made roots of the shapes Mozilla's store ships, each with a leaf
# under it: openssl verify accepts, and so does Test-CertificateChain (with a Warning naming what the root does wrong).
# The same shapes as an intermediate still fail. The CA configuration is tests/data/openssl/client-ca.cnf.
BeforeAll {
    . $PSScriptRoot/common.ps1
    $script:cnf = Join-Path $PSScriptRoot 'data/openssl/client-ca.cnf'
    if (-not (Get-Command openssl -ErrorAction SilentlyContinue)) { throw 'openssl is missing: apt-get install -y openssl' }
    $script:caDir = Join-Path $TestDrive 'ca'
    New-Item -ItemType Directory -Path $caDir -Force | Out-Null
    [IO.File]::WriteAllText((Join-Path $caDir 'index.txt'), '')
    Set-Content -Path (Join-Path $caDir 'serial') -Value '1000'
    Set-Content -Path (Join-Path $caDir 'crlnumber') -Value '1000'
    $env:TLSTOOLS_CA_DIR = $caDir

    function New-OsslKeyAndRequest([string] $Name, [string] $Subject) {
        $key = Join-Path $caDir "$Name.key"
        $csr = Join-Path $caDir "$Name.csr"
        $null = Invoke-OpenSsl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout $key -subj $Subject -out $csr -config $cnf
        $script:OpenSslExit | Should -Be 0
        $key, $csr
    }

    function New-OsslRoot([string] $Name, [string] $Extensions) {
        <# A self-signed root; -Extensions '' makes an X.509 version 1 root (openssl x509 -req without extensions). #>
        $key, $csr = New-OsslKeyAndRequest $Name "/CN=$Name Root/O=TlsTools Tests"
        $pem = Join-Path $caDir "$Name.pem"
        if ($Extensions) {
            $out = Invoke-OpenSsl x509 -req -in $csr -signkey $key -days 30 -extfile $cnf -extensions $Extensions -out $pem
        } else {
            $out = Invoke-OpenSsl x509 -req -in $csr -signkey $key -days 30 -out $pem
        }
        $script:OpenSslExit | Should -Be 0 -Because $out
        [pscustomobject]@{ Pem = $pem; Key = $key }
    }

    function New-OsslIssued([string] $Name, [string] $Subject, $Issuer, [string] $Extensions) {
        <# A certificate issued by $Issuer with openssl ca; -Extensions '' makes X.509 version 1 (openssl x509 -req -CA). #>
        $key, $csr = New-OsslKeyAndRequest $Name $Subject
        $pem = Join-Path $caDir "$Name.pem"
        if ($Extensions) {
            $out = Invoke-OpenSsl ca -batch -config $cnf -cert $Issuer.Pem -keyfile $Issuer.Key -in $csr -out $pem -extensions $Extensions -notext
        } else {
            $out = Invoke-OpenSsl x509 -req -in $csr -CA $Issuer.Pem -CAkey $Issuer.Key -set_serial 77 -days 30 -out $pem
        }
        $script:OpenSslExit | Should -Be 0 -Because $out
        [pscustomobject]@{ Pem = $pem; Key = $key }
    }

    function Get-X509Version([string] $Pem) {
        (Invoke-OpenSsl x509 -in $Pem -noout -text) -match 'Version: (\d)' | Out-Null
        [int] $Matches[1]
    }
}

AfterAll { Remove-Item Env:TLSTOOLS_CA_DIR -ErrorAction SilentlyContinue }

Describe 'Trust anchors: a name and a key' {
    It 'a leaf under a root with <Name>: openssl verify accepts, Test-CertificateChain accepts with the warning "<Warning>"' -ForEach @(
        @{ Name = 'an authorityKeyIdentifier naming issuer and serial'; Root = 'root_aki_issuer_serial'; Leaf = 'server_leaf'; Warning = 'names an issuer or serial number'; Check = 'MalformedCertificate' }
        @{ Name = 'no subjectKeyIdentifier'; Root = 'root_no_ski'; Leaf = 'server_leaf_no_aki'; Warning = 'CA without subjectKeyIdentifier'; Check = 'MalformedCertificate' }
        @{ Name = 'a non-critical basicConstraints'; Root = 'root_noncritical_bc'; Leaf = 'server_leaf'; Warning = 'non-critical basicConstraints'; Check = 'BasicConstraints' }
        @{ Name = 'X.509 version 1'; Root = ''; Leaf = 'server_leaf_no_aki'; Warning = 'X.509 version 1 certificate'; Check = 'MalformedCertificate' }
    ) {
        $tag = if ($Root) { $Root } else { 'root_v1' }
        $root = New-OsslRoot $tag $Root
        if (-not $Root) { Get-X509Version $root.Pem | Should -Be 1 }
        $leaf = New-OsslIssued "$tag-leaf" '/CN=www.anchor.test' $root $Leaf

        $verify = Invoke-OpenSsl verify -CAfile $root.Pem $leaf.Pem
        $script:OpenSslExit | Should -Be 0 -Because $verify
        $verify | Should -Match ': OK'

        $r = Test-CertificateChain -Certificate $leaf.Pem -TrustedRoot $root.Pem -DnsName www.anchor.test
        $r.IsValid | Should -BeTrue -Because ($r.Failures | Out-String)
        @($r.Failures).Count | Should -Be 0
        @($r.Chain).Count | Should -Be 2
        $w = @($r.Warnings | Where-Object { $_.Message -match [regex]::Escape($Warning) })
        $w.Count | Should -Be 1 -Because ($r.Warnings | Out-String)
        $w[0].Check | Should -Be $Check
        $w[0].Certificate.Subject | Should -Match "CN=$tag Root"
        $w[0].Message | Should -Match 'trust anchor'
        if ($Leaf -eq 'server_leaf_no_aki') {
            # Issued by an anchor without subjectKeyIdentifier: its missing keyIdentifier is a warning too, not a failure.
            @($r.Warnings | Where-Object { $_.Certificate.Subject -match 'www.anchor.test' -and $_.Message -match 'no authorityKeyIdentifier keyIdentifier' }).Count | Should -Be 1
        }
        Test-CertificateChain -Certificate $leaf.Pem -TrustedRoot $root.Pem -DnsName www.anchor.test -Quiet | Should -BeTrue
    }

    It 'the same shape as an intermediate still fails: <Name>' -ForEach @(
        @{ Name = 'no subjectKeyIdentifier'; Inter = 'inter_no_ski'; Leaf = 'server_leaf_no_aki'; Check = 'MalformedCertificate'; Message = 'CA without subjectKeyIdentifier' }
        @{ Name = 'a non-critical basicConstraints'; Inter = 'inter_noncritical_bc'; Leaf = 'server_leaf'; Check = 'BasicConstraints'; Message = 'non-critical basicConstraints' }
        @{ Name = 'X.509 version 1'; Inter = ''; Leaf = 'server_leaf_no_aki'; Check = 'BasicConstraints'; Message = 'basicConstraints missing' }
    ) {
        $tag = if ($Inter) { $Inter } else { 'inter_v1' }
        $root = New-OsslRoot "$tag-root" 'root_ca'
        $inter = New-OsslIssued $tag "/CN=$tag Intermediate/O=TlsTools Tests" $root $Inter
        $leaf = New-OsslIssued "$tag-leaf" '/CN=www.anchor.test' $inter $Leaf
        $r = Test-CertificateChain -Certificate $leaf.Pem -Intermediate $inter.Pem -TrustedRoot $root.Pem -DnsName www.anchor.test
        $r.IsValid | Should -BeFalse
        $hit = @($r.Failures | Where-Object { $_.Check -eq $Check -and $_.Message -match [regex]::Escape($Message) })
        $hit.Count | Should -Be 1 -Because ($r.Failures | Out-String)
        $hit[0].Certificate.Subject | Should -Match "CN=$tag Intermediate"
        @($r.Warnings | Where-Object { $_.Certificate.Subject -match 'Intermediate' }).Count | Should -Be 0
    }

    It 'the views show the warnings (table and list)' {
        $root = New-OsslRoot 'view_root' 'root_aki_issuer_serial'
        $leaf = New-OsslIssued 'view-leaf' '/CN=www.anchor.test' $root 'server_leaf'
        $r = Test-CertificateChain -Certificate $leaf.Pem -TrustedRoot $root.Pem -DnsName www.anchor.test
        ($r | Format-Table | Out-String -Width 200) | Should -Match "valid, 1 warning: root 'CN=view_root Root"
        $list = $r | Format-List | Out-String -Width 200
        $list | Should -Match 'Warnings\s*: MalformedCertificate: root'
        ($r.Warnings | Format-Table | Out-String -Width 200) | Should -Match 'MalformedCertificate'
        "$r" | Should -Be 'Valid (2 certificates, 1 warning)'
        # A result written with Export-Clixml keeps its warnings, and the view still shows them.
        $xml = Join-Path $TestDrive 'warned.xml'
        $r | Export-Clixml -Path $xml
        $back = Import-Clixml -Path $xml
        @($back.Warnings).Count | Should -Be 1
        $back.Warnings[0].Check | Should -Be 'MalformedCertificate'
        ($back | Format-Table | Out-String -Width 200) | Should -Match 'valid, 1 warning'
    }

    It 'Invoke-TlsHandshake carries the warnings in its Validation, and its list view shows them (<_>)' -ForEach 'Tls12', 'Tls13' {
        $root = New-OsslRoot "hs_root_$_" 'root_no_ski'
        $leaf = New-OsslIssued "hs-leaf-$_" '/CN=www.anchor.test' $root 'server_leaf_no_aki'
        $bundle = Join-Path $caDir "hs-leaf-$_.bundle.pem"
        Set-Content -Path $bundle -Value ((Get-Content -Raw $leaf.Pem) + (Get-Content -Raw $leaf.Key))
        $server = Start-TlsServer -Certificate (Read-Certificate -Path $bundle)
        try {
            $r = Invoke-TlsHandshake 127.0.0.1 -Port $server.Port -ServerName www.anchor.test -TlsVersion $_ -TrustedRoot (Read-Certificate -Path $root.Pem) -TimeoutSeconds 30
            $r.Success | Should -BeTrue
            $r.Validation.IsValid | Should -BeTrue -Because ($r.Validation.Failures | Out-String)
            @($r.Validation.Warnings).Count | Should -Be 2
            @($r.Validation.Warnings.Message) -match 'CA without subjectKeyIdentifier' | Should -Not -BeNullOrEmpty
            ($r | Format-List | Out-String -Width 250) | Should -Match 'warning MalformedCertificate: root'
        } finally { $server | Stop-TlsServer }
    }

    It 'Get-TlsServerProfile -TrustedRoot judges a served chain valid under such a root, with the warning in ValidationWarnings and the Verdict column' {
        $root = New-OsslRoot 'scan_root' 'root_aki_issuer_serial'
        $leaf = New-OsslIssued 'scan-leaf' '/CN=www.anchor.test' $root 'server_leaf'
        $bundle = Join-Path $caDir 'scan-leaf.bundle.pem'
        Set-Content -Path $bundle -Value ((Get-Content -Raw $leaf.Pem) + (Get-Content -Raw $leaf.Key))
        $server = Start-TlsServer -Certificate (Read-Certificate -Path $bundle) -TlsVersion Tls12, Tls13
        try {
            $p = Get-TlsServerProfile -HostName 127.0.0.1 -Port $server.Port -ServerName www.anchor.test -TrustedRoot $root.Pem -TimeoutSeconds 20
        } finally { $server | Stop-TlsServer }
        $chain = @($p.CertificateChains | Where-Object Subject -match 'www.anchor.test')
        $chain.Count | Should -BeGreaterThan 0
        foreach ($c in $chain) {
            $c.IsValid | Should -BeTrue -Because ($c.ValidationFailures | Out-String)
            $w = @($c.ValidationWarnings | Where-Object { $_.Message -match 'names an issuer or serial number' })
            $w.Count | Should -Be 1 -Because ($c.ValidationWarnings | Out-String)
            $w[0].Check | Should -Be 'MalformedCertificate'
        }
        ($p.CertificateChains | Format-Table | Out-String -Width 200) | Should -Match 'warnings: MalformedCertificate'
        # Without the root the same chain is not trusted: the verdict came from -TrustedRoot.
        $server = Start-TlsServer -Certificate (Read-Certificate -Path $bundle) -TlsVersion Tls12
        try { $q = Get-TlsServerProfile -HostName 127.0.0.1 -Port $server.Port -ServerName www.anchor.test -TimeoutSeconds 20 }
        finally { $server | Stop-TlsServer }
        @($q.CertificateChains | Where-Object IsValid).Count | Should -Be 0
    }

    It 'every root of the OS store reads, and Test-CertificateChain refuses none of them alone for anything but expiry' {
        $bundle = '/etc/ssl/certs/ca-certificates.crt'
        Test-Path $bundle | Should -BeTrue -Because 'the OS trust store must be installed: apt-get install -y ca-certificates'
        $blocks = [regex]::Matches((Get-Content -Raw $bundle), '-----BEGIN CERTIFICATE-----').Count
        $roots = @(Read-Certificate -Path $bundle)
        $roots.Count | Should -Be $blocks
        $roots.Count | Should -BeGreaterThan 100
        $bad = foreach ($root in $roots) {
            $r = Test-CertificateChain -Certificate $root -TrustedRoot $root -Purpose Any
            $r.Failures | Where-Object Check -ne 'Expired' | ForEach-Object { "$($root.Subject): $_" }
        }
        @($bad).Count | Should -Be 0 -Because ($bad -join "`n")
    }
}
