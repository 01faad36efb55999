BeforeAll {
    . $PSScriptRoot/common.ps1
    . $PSScriptRoot/Scanning.common.ps1

    $script:Dir = Join-Path ([IO.Path]::GetTempPath()) ('tlstools-scan-ps-' + [guid]::NewGuid().ToString('N').Substring(0, 10))
    New-Item -ItemType Directory -Path $Dir | Out-Null
    $script:Peers = [Collections.Generic.List[object]]::new()

    function Start-OpenSslServer {
        param([string[]] $Arguments)
        $peer = Start-ScanPeer -Tool openssl -Arguments (@('s_server', '-accept', '127.0.0.1:{port}', '-quiet') + $Arguments) -WorkingDirectory $Dir
        $Peers.Add($peer)
        $peer
    }

    function Get-SuiteNames($Report, [string] $Version) {
        @($Report.CipherSuites | Where-Object { "$($_.TlsVersion)" -eq $Version } | ForEach-Object { Get-SslScanSuiteName $_ })
    }

    function Get-GroupNames($Report, [string] $Version) {
        @($Report.NamedGroups | Where-Object { "$($_.TlsVersion)" -eq $Version } | ForEach-Object Name)
    }

    function Assert-SameAsSslScan {
        <# TLS <= 1.2: the same versions and suites per version (and the same TLS 1.2 groups) as sslscan. #>
        param($Report, $SslScan, [switch] $CompareOrder, [switch] $SkipGroups)
        foreach ($v in 'Tls10', 'Tls11', 'Tls12') {
            ($Report.TlsVersions -contains $v) | Should -Be ($SslScan.EnabledVersions -contains $v) -Because "$v enabled per sslscan"
            $ours = Get-SuiteNames $Report $v
            $theirs = @($SslScan.Suites[$v])
            if ($CompareOrder) { $ours | Should -Be $theirs -Because "$v suites in sslscan's order" }
            else { @($ours | Sort-Object) | Should -Be @($theirs | Sort-Object) -Because "$v suites per sslscan" }
        }
        if (-not $SkipGroups) {
            @(Get-GroupNames $Report 'Tls12' | Sort-Object) | Should -Be @($SslScan.Groups['Tls12'] | Sort-Object) -Because 'TLS 1.2 groups per sslscan'
        }
    }

    function Get-JsonShape {
        <# Every property path of a JSON document (array entries merged), e.g. CertificateChains[].Verdict. #>
        param($Node, [string] $Prefix = '')
        if ($Node -is [System.Collections.IDictionary]) {
            foreach ($k in $Node.Keys) { $Prefix + $k; Get-JsonShape $Node[$k] ($Prefix + $k + '.') }
        } elseif ($Node -is [System.Collections.IList]) {
            foreach ($e in $Node) { Get-JsonShape $e ($Prefix.TrimEnd('.') + '[].') }
        }
    }
}

AfterAll {
    foreach ($p in $Peers) { Stop-ScanPeer $p }
    Remove-Item -LiteralPath $Dir -Recurse -Force -ErrorAction Ignore
}

Describe 'Get-TlsServerProfile against real peers' {
    BeforeAll {
        # TLS 1.2 only, a narrow suite list in the server's order.
        New-ScanPeerFiles -Directory $Dir -Name a | Out-Null
        $script:Order12 = 'ECDHE-RSA-AES256-GCM-SHA384', 'ECDHE-RSA-CHACHA20-POLY1305', 'ECDHE-RSA-AES128-GCM-SHA256', 'AES128-SHA'
        $script:Tls12Server = Start-OpenSslServer '-cert', 'a.crt', '-key', 'a.key', '-cert_chain', 'a-ca.crt', '-tls1_2',
            '-cipher', ($Order12 -join ':'), '-serverpref', '-groups', 'P-384:X25519', '-alpn', 'h2,http/1.1'
        $script:Tls12 = Get-TlsServerProfile -HostName 127.0.0.1 -Port $Tls12Server.Port -TimeoutSeconds 10
    }

    It 'finds the TLS 1.2 server''s version, suites in its order, preference and groups' {
        $Tls12 | Should -HaveCount 1
        $Tls12 | Should -BeOfType ([TlsTools.Scanning.ServerProfileReport])
        @($Tls12.TlsVersions) | Should -Be @([TlsTools.Tls.TlsVersion]::Tls12)
        @($Tls12.CipherSuites.OpenSslName) | Should -Be $Order12
        $Tls12.ServerCipherPreference | Should -BeTrue
        @($Tls12.NamedGroups.Name) | Should -Be 'secp384r1', 'x25519'
        $Tls12.PreferredNamedGroup | Should -Be 'secp384r1'
        @($Tls12.AlpnProtocols) | Should -Be 'h2', 'http/1.1'
        $Tls12.SecureRenegotiation | Should -BeTrue
        $Tls12.ExtendedMasterSecret | Should -BeTrue
        $Tls12.SignatureAlgorithms | Should -Contain 'rsa_pss_rsae_sha256'
        $Tls12.Errors | Should -BeNullOrEmpty
    }

    It 'describes each suite: IANA name, 16-bit code, parts and a rating with its reason' {
        $gcm = $Tls12.CipherSuites | Where-Object Name -eq 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384'
        $gcm.Code | Should -Be 0xC030
        $gcm.KeyExchange | Should -Be 'ECDHE'
        $gcm.Authentication | Should -Be 'RSA'
        $gcm.Encryption | Should -Be 'AES_256_GCM'
        $gcm.Mac | Should -Be 'AEAD'
        $gcm.KeySize | Should -Be 256
        "$($gcm.Strength)" | Should -Be 'Secure'
        $cbc = $Tls12.CipherSuites | Where-Object Name -eq 'TLS_RSA_WITH_AES_128_CBC_SHA'
        $cbc.Code | Should -Be 0x002F
        "$($cbc.Strength)" | Should -Be 'Weak'
        $cbc.StrengthReason | Should -Match 'forward secrecy'
    }

    It 'matches sslscan for the TLS 1.2 server, in order' {
        $s = Invoke-SslScan -Port $Tls12Server.Port
        Assert-SameAsSslScan $Tls12 $s -CompareOrder
    }

    It 'turns the served chain into certificates with a validation verdict and days until expiry' {
        $chain = @($Tls12.CertificateChains)
        $chain | Should -HaveCount 1
        $chain[0].WithoutSni | Should -BeTrue
        $chain[0].Certificates | Should -HaveCount 2
        $chain[0].Certificates[0] | Should -BeOfType ([TlsTools.Pki.Certificate])
        $chain[0].Certificates[0].Subject | Should -Be 'CN=a.test'
        $chain[0].Subject | Should -Be 'CN=a.test'
        $chain[0].DaysUntilExpiry | Should -BeGreaterThan 300
        $chain[0].ValidatedFor | Should -Be '127.0.0.1'
        # The test CA is in no OS trust store; the leaf names 127.0.0.1, so the host check passes.
        $chain[0].IsValid | Should -BeFalse
        $chain[0].Verdict | Should -Match '^Invalid: '
        $chain[0].ValidationFailures.Check | Should -Contain 'UntrustedRoot'
        $chain[0].ValidationFailures.Check | Should -Not -Contain 'IpMismatch'
    }

    It 'validates a chain for the SNI it was served for' {
        $r = Get-TlsServerProfile -HostName 127.0.0.1 -Port $Tls12Server.Port -ServerName other.test -TimeoutSeconds 10
        $chain = @($r.CertificateChains | Where-Object { $_.ServerNames -contains 'other.test' })
        $chain | Should -HaveCount 1
        $chain[0].ValidatedFor | Should -Be 'other.test'
        $chain[0].ValidationFailures.Check | Should -Contain 'HostnameMismatch'
        $chain[0].Verdict | Should -Match 'HostnameMismatch'
    }

    It 'tests session-id resumption with a full and a resumed TLS 1.2 handshake' {
        $Tls12.SessionIdResumption | Should -BeTrue
        $noCache = Start-OpenSslServer '-cert', 'a.crt', '-key', 'a.key', '-tls1_2', '-no_cache', '-no_ticket'
        $r = Get-TlsServerProfile -HostName 127.0.0.1 -Port $noCache.Port -TimeoutSeconds 10
        $r.SessionIdResumption | Should -BeFalse
        $r.SessionTickets | Should -BeFalse
    }

    It 'finds the TLS 1.3 server''s restricted suites and groups' {
        New-ScanPeerFiles -Directory $Dir -Name b -Algorithm EcdsaP256 | Out-Null
        $server = Start-OpenSslServer '-cert', 'b.crt', '-key', 'b.key', '-tls1_3',
            '-ciphersuites', 'TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256', '-groups', 'P-384:X448:ffdhe3072'
        $r = Get-TlsServerProfile -HostName 127.0.0.1 -Port $server.Port -TimeoutSeconds 10
        @($r.TlsVersions) | Should -Be @([TlsTools.Tls.TlsVersion]::Tls13)
        @($r.CipherSuites.Name | Sort-Object) | Should -Be 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256'
        @($r.NamedGroups.Name) | Should -Be 'secp384r1', 'x448', 'ffdhe3072'
        $r.PreferredNamedGroup | Should -Be 'secp384r1'
        @($r.CertificateChains).Count | Should -Be 1   # read from a full TLS 1.3 handshake
        $r.CertificateChains[0].Subject | Should -Be 'CN=b.test'
        $r.SessionIdResumption | Should -BeNullOrEmpty
        $r.Warnings -join ' ' | Should -Match 'TLS 1.2'
        $s = Invoke-SslScan -Port $server.Port
        @($r.CipherSuites.Name | Sort-Object) | Should -Be @($s.Suites['Tls13'] | Sort-Object)
        @($r.NamedGroups.Name | Sort-Object) | Should -Be @($s.Groups['Tls13'] | Sort-Object)
        Assert-SameAsSslScan $r $s
    }

    It 'matches sslscan on a mixed legacy server (ALL:@SECLEVEL=0)' {
        New-ScanPeerFiles -Directory $Dir -Name c | Out-Null
        $server = Start-OpenSslServer '-cert', 'c.crt', '-key', 'c.key', '-cipher', 'ALL:@SECLEVEL=0', '-min_protocol', 'TLSv1'
        $r = Get-TlsServerProfile -HostName 127.0.0.1 -Port $server.Port -TimeoutSeconds 10
        $s = Invoke-SslScan -Port $server.Port
        @($r.TlsVersions | ForEach-Object { "$_" }) | Should -Be 'Tls10', 'Tls11', 'Tls12', 'Tls13'
        $r.ServerCipherPreference | Should -BeFalse
        Assert-SameAsSslScan $r $s
        @($r.CipherSuites | Where-Object { "$($_.TlsVersion)" -eq 'Tls13' } | ForEach-Object Name | Sort-Object) |
            Should -Be @($s.Suites['Tls13'] | Sort-Object)
        @(Get-GroupNames $r 'Tls13' | Sort-Object) | Should -Be @($s.Groups['Tls13'] | Sort-Object)
        $r.CipherSuites | Where-Object Authentication -eq 'anon' | ForEach-Object { "$($_.Strength)" | Should -Be 'Insecure' }
        ($r.CipherSuites | Where-Object { "$($_.Strength)" -eq 'Insecure' }).Count | Should -BeGreaterThan 0
        $r.Errors | Should -BeNullOrEmpty
    }

    It 'finds only ECDSA suites, and every group beside P-256, on an ECDSA-only server (sslscan lists P-256 only)' {
        New-ScanPeerFiles -Directory $Dir -Name d -Algorithm EcdsaP256 | Out-Null
        $server = Start-OpenSslServer '-cert', 'd.crt', '-key', 'd.key', '-tls1_2',
            '-cipher', 'ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-SHA:ECDHE-RSA-AES128-GCM-SHA256:AES128-GCM-SHA256'
        $r = Get-TlsServerProfile -HostName 127.0.0.1 -Port $server.Port -TimeoutSeconds 10
        $s = Invoke-SslScan -Port $server.Port
        @($r.CipherSuites.OpenSslName | Sort-Object) | Should -Be 'ECDHE-ECDSA-AES128-GCM-SHA256', 'ECDHE-ECDSA-AES256-SHA'
        $r.CipherSuites | ForEach-Object { $_.Authentication | Should -Be 'ECDSA' }
        $r.SignatureAlgorithms | ForEach-Object { $_ | Should -BeLike 'ecdsa_*' }
        # Issue 13: each group is offered together with the certificate's curve, so the server's other groups show too;
        # sslscan offers each group alone and finds only the certificate's curve (its bug, not ours).
        @($r.NamedGroups.Name | Sort-Object) | Should -Be @('secp256r1', 'secp384r1', 'secp521r1', 'x25519', 'x448')
        $s.Groups['Tls12'] | Should -Be 'secp256r1'
        Assert-SameAsSslScan $r $s -SkipGroups
    }

    It 'finds only RSA suites and both chains (with and without SNI) on an RSA-only server' {
        New-ScanPeerFiles -Directory $Dir -Name e | Out-Null
        New-ScanPeerFiles -Directory $Dir -Name f -DnsName sni.test | Out-Null
        $server = Start-OpenSslServer '-cert', 'e.crt', '-key', 'e.key', '-servername', 'sni.test', '-cert2', 'f.crt', '-key2', 'f.key', '-tls1_2',
            '-cipher', 'ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384'
        $script:TwoChains = Get-TlsServerProfile -HostName 127.0.0.1 -Port $server.Port -ServerName sni.test -TimeoutSeconds 10
        $s = Invoke-SslScan -Port $server.Port -SniName sni.test
        @($TwoChains.CipherSuites.OpenSslName | Sort-Object) | Should -Be 'DHE-RSA-AES256-GCM-SHA384', 'ECDHE-RSA-AES128-GCM-SHA256'
        $TwoChains.CipherSuites | ForEach-Object { $_.Authentication | Should -Be 'RSA' }
        $TwoChains.CertificateChains | Should -HaveCount 2
        ($TwoChains.CertificateChains | Where-Object { $_.ServerNames -contains 'sni.test' }).Subject | Should -Be 'CN=sni.test'
        ($TwoChains.CertificateChains | Where-Object WithoutSni).Subject | Should -Be 'CN=e.test'
        $TwoChains.CertificateChains | ForEach-Object { $_.Verdict | Should -Match '^Invalid: ' }
        # sslscan's group test does not send --sni-name and this s_server refuses other names: it lists no groups.
        Assert-SameAsSslScan $TwoChains $s -SkipGroups
    }

    It 'writes the same JSON shape for a server with one chain and one with two' {
        $one = $Tls12 | ConvertTo-Json -Depth 6 | ConvertFrom-Json -AsHashtable
        $two = $TwoChains | ConvertTo-Json -Depth 6 | ConvertFrom-Json -AsHashtable
        $one.CertificateChains | Should -HaveCount 1
        $two.CertificateChains | Should -HaveCount 2
        $shapeOne = @(Get-JsonShape $one | Sort-Object -Unique)
        $shapeTwo = @(Get-JsonShape $two | Sort-Object -Unique)
        # ALPN and signature lists hold strings, not objects: the shapes must be equal property for property.
        $shapeOne | Should -Be $shapeTwo
        $shapeOne | Should -Contain 'CertificateChains[].Certificates[].Subject'
        $shapeOne | Should -Contain 'CertificateChains[].Verdict'
        $shapeOne | Should -Contain 'CipherSuites[].StrengthReason'
    }

    It 'matches sslscan on a gnutls-serv server with 3DES and server precedence' {
        New-ScanPeerFiles -Directory $Dir -Name g | Out-Null
        # gnutls-serv has no bind-address option and listens on every interface; the scan connects to 127.0.0.1 only.
        $server = Start-ScanPeer -Tool gnutls-serv -WorkingDirectory $Dir -Arguments '--port', '{port}', '--x509certfile', 'g.crt',
            '--x509keyfile', 'g.key', '--priority', 'NORMAL:-VERS-ALL:+VERS-TLS1.2:+VERS-TLS1.1:+3DES-CBC:%SERVER_PRECEDENCE'
        $Peers.Add($server)
        $r = Get-TlsServerProfile -HostName 127.0.0.1 -Port $server.Port -TimeoutSeconds 10
        $s = Invoke-SslScan -Port $server.Port
        @($r.TlsVersions | ForEach-Object { "$_" }) | Should -Be 'Tls11', 'Tls12'
        $r.ServerCipherPreference | Should -BeTrue
        $des3 = @($r.CipherSuites | Where-Object Encryption -eq '3DES_EDE_CBC')
        $des3.Name | Should -Contain 'TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA'
        $des3 | ForEach-Object { $_.StrengthReason | Should -Match 'SWEET32'; "$($_.Strength)" | Should -Not -Be 'Secure' }
        Assert-SameAsSslScan $r $s
    }
}

Describe 'Get-TlsServerProfile targets, errors, progress and Ctrl+C' {
    BeforeAll {
        New-ScanPeerFiles -Directory $Dir -Name h | Out-Null
        $script:PeerA = Start-OpenSslServer '-cert', 'h.crt', '-key', 'h.key', '-tls1_2', '-cipher', 'ECDHE-RSA-AES128-GCM-SHA256'
        $script:PeerB = Start-OpenSslServer '-cert', 'h.crt', '-key', 'h.key', '-tls1_3'
    }

    It 'scans targets piped by property name; a refused one is one error and the others go on' {
        $refusedPort = New-RefusedPort   # bound, not listening: no other process can take it meanwhile
        $refused = $refusedPort.Port
        $csv = @"
HostName,Port
127.0.0.1,$($PeerA.Port)
127.0.0.1,$refused
127.0.0.1,$($PeerB.Port)
"@
        try { $reports = $csv | ConvertFrom-Csv | Get-TlsServerProfile -TimeoutSeconds 10 -ErrorAction SilentlyContinue -ErrorVariable errs }
        finally { $refusedPort.Dispose() }
        $reports | Should -HaveCount 2
        @($reports.Port | Sort-Object) | Should -Be @($PeerA.Port, $PeerB.Port | Sort-Object)
        ($reports | Where-Object Port -eq $PeerA.Port).TlsVersions | Should -Be 'Tls12'
        ($reports | Where-Object Port -eq $PeerB.Port).TlsVersions | Should -Be 'Tls13'
        $errs | Should -HaveCount 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'ConnectionRefused,*'
        $errs[0].CategoryInfo.Category | Should -Be 'ConnectionError'
        "$($errs[0].TargetObject)" | Should -Be "127.0.0.1:$refused"
    }

    It 'takes host names by value and ports by parameter' {
        $r = '127.0.0.1' | Get-TlsServerProfile -Port $PeerA.Port -TimeoutSeconds 10
        $r.HostName | Should -Be '127.0.0.1'
        $r.Port | Should -Be $PeerA.Port
    }

    It 'reports a name that does not resolve as HostNotFound' {
        Get-ErrorId { Get-TlsServerProfile -HostName 'no-such-host.invalid' -Port 443 -TimeoutSeconds 3 } | Should -Be 'HostNotFound'
    }

    It 'writes per-target progress from the pipeline thread' {
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript("Import-Module '$RepoRoot/TlsTools.psd1'; Get-TlsServerProfile -HostName 127.0.0.1 -Port $($PeerA.Port) -TimeoutSeconds 10")
            $out = $ps.Invoke()
            $out | Should -HaveCount 1
            $ps.Streams.Error | Should -BeNullOrEmpty
            $mine = @($ps.Streams.Progress | Where-Object Activity -eq "Scanning 127.0.0.1:$($PeerA.Port)")
            $mine.Count | Should -BeGreaterThan 0
            $mine[-1].RecordType | Should -Be 'Completed'
        } finally { $ps.Dispose() }
    }

    It 'stops at once on Ctrl+C (PowerShell.Stop)' {
        # A listener that never accepts: connections complete in the backlog and then hear nothing.
        $silent = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0)
        $silent.Start(100)
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript("Import-Module '$RepoRoot/TlsTools.psd1'; Get-TlsServerProfile -HostName 127.0.0.1 -Port $($silent.LocalEndpoint.Port) -TimeoutSeconds 60")
            $handle = $ps.BeginInvoke()
            # Ready when the scan has connected: the module is loaded and the scan waits on the silent server.
            $deadline = [DateTime]::UtcNow.AddSeconds(60)
            while (-not $silent.Pending() -and -not $handle.IsCompleted -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
            $silent.Pending() | Should -BeTrue -Because "the scan must have connected (state $($ps.InvocationStateInfo.State))"
            $ps.InvocationStateInfo.State | Should -Be 'Running'
            $clock = [Diagnostics.Stopwatch]::StartNew()
            $ps.Stop()
            $clock.Stop()
            # Stopped, not Completed or Failed: the stop ended it, not the 60 s timeout.
            $ps.InvocationStateInfo.State | Should -Be 'Stopped'
            $handle.IsCompleted | Should -BeTrue
            Write-Host "Stop() returned after $($clock.ElapsedMilliseconds) ms"
            $clock.Elapsed.TotalSeconds | Should -BeLessThan 30   # only against a hang; the speed is for bench/
        } finally {
            $ps.Dispose()
            $silent.Stop()
        }
    }
}

Describe 'Get-TlsServerProfile on a TLS 1.3-only server' {
    It 'reads the certificate chains (with and without SNI) and ALPN protocols from full TLS 1.3 handshakes' {
        $root = New-CaCertificate -Subject 'CN=Tls13Only Root'
        $inter = New-CaCertificate -Subject 'CN=Tls13Only Issuing' -Issuer $root
        $leaf = New-Certificate -Issuer $inter -DnsName 'tls13only.test' -IpAddress 127.0.0.1
        $server = Start-TlsServer -Certificate $leaf -Chain $inter -TlsVersion Tls13 -Alpn 'acme-tls/1', 'http/1.1'   # h2 is refused since issue 15
        try {
            $p = Get-TlsServerProfile -HostName 127.0.0.1 -Port $server.Port -ServerName 'tls13only.test' -TimeoutSeconds 10
            @($p.TlsVersions | ForEach-Object { "$_" }) | Should -Be @('Tls13')
            $p.CertificateChains.Count | Should -Be 1
            $chain = $p.CertificateChains[0]
            $chain.Certificates[0].Thumbprint | Should -Be $leaf.Thumbprint
            $chain.Certificates[1].Thumbprint | Should -Be $inter.Thumbprint
            $chain.ServerNames | Should -Contain 'tls13only.test'
            $chain.WithoutSni | Should -BeTrue
            $chain.IsValid | Should -BeFalse        # the test root is not in the system store
            $chain.Verdict | Should -Match 'UntrustedRoot|MissingIssuer'
            @($p.AlpnProtocols | Sort-Object) | Should -Be 'acme-tls/1', 'http/1.1'
            $p.Warnings | Should -Contain 'TLS 1.3 signature algorithms travel encrypted and were not probed; the certificate chains and ALPN protocols were read from full TLS 1.3 handshakes.'
        } finally { $server | Stop-TlsServer }
    }
}

Describe 'Get-TlsServerProfile target forms and the SNI rule' {
    BeforeAll {
        # The default certificate (CN=default.test), and one served only to a ClientHello whose SNI is 'localhost'.
        New-ScanPeerFiles -Directory $Dir -Name tdefault -DnsName 'default.test' | Out-Null
        New-ScanPeerFiles -Directory $Dir -Name tsni -DnsName 'localhost' | Out-Null
        $narrow = '-tls1_2', '-cipher', 'ECDHE-RSA-AES128-GCM-SHA256'
        $script:SniPeer = Start-OpenSslServer (@('-cert', 'tdefault.crt', '-key', 'tdefault.key', '-servername', 'localhost',
            '-cert2', 'tsni.crt', '-key2', 'tsni.key') + $narrow)
        # A peer on ::1 only: a scan that went to 127.0.0.1, or to port 443, would fail. ::1 is required here, not optional.
        $script:V6Peer = Start-ScanPeer -Tool openssl -Address ([Net.IPAddress]::IPv6Loopback) -WorkingDirectory $Dir -Arguments (
            @('s_server', '-accept', '[::1]:{port}', '-quiet', '-cert', 'tdefault.crt', '-key', 'tdefault.key') + $narrow)
        $Peers.Add($V6Peer)
    }

    It 'scans "127.0.0.1:<port>" given as one string' {
        $r = Get-TlsServerProfile "127.0.0.1:$($SniPeer.Port)" -TimeoutSeconds 10 -ErrorAction Stop
        $r.HostName | Should -Be '127.0.0.1'
        $r.Port | Should -Be $SniPeer.Port
        $r.IPAddress | Should -Be '127.0.0.1'
        $r.ServerName | Should -BeNullOrEmpty
        @($r.TlsVersions) | Should -Be @([TlsTools.Tls.TlsVersion]::Tls12)
        $r.CertificateChains[0].ValidatedFor | Should -Be '127.0.0.1'
    }

    It 'scans "[::1]:<port>" on that port (the peer listens on ::1 only)' {
        $c = [Net.Sockets.TcpClient]::new()
        try { { $c.Connect([Net.IPAddress]::Loopback, $V6Peer.Port) } | Should -Throw -Because 'the peer must not be reachable on 127.0.0.1' } finally { $c.Dispose() }
        $r = Get-TlsServerProfile "[::1]:$($V6Peer.Port)" -TimeoutSeconds 10 -ErrorAction Stop
        $r.HostName | Should -Be '::1'
        $r.Port | Should -Be $V6Peer.Port
        $r.IPAddress | Should -Be '::1'
        $r.ServerName | Should -BeNullOrEmpty
        "$($r.Target)" | Should -Be "[::1]:$($V6Peer.Port)"
        @($r.TlsVersions) | Should -Be @([TlsTools.Tls.TlsVersion]::Tls12)
        $r.CipherSuites.Name | Should -Be 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'
        # A bare IPv6 literal has no port: -Port gives it.
        $bare = Get-TlsServerProfile '::1' -Port $V6Peer.Port -TimeoutSeconds 10 -ErrorAction Stop
        $bare.Port | Should -Be $V6Peer.Port
        @($bare.TlsVersions) | Should -Be @([TlsTools.Tls.TlsVersion]::Tls12)
    }

    It 'scans "https://localhost:<port>/" with SNI localhost: the server shows its SNI certificate and its default one' {
        $r = Get-TlsServerProfile "https://localhost:$($SniPeer.Port)/" -TimeoutSeconds 10 -ErrorAction Stop
        $r.HostName | Should -Be 'localhost'
        $r.Port | Should -Be $SniPeer.Port
        $r.ServerName | Should -Be 'localhost'
        $withSni = @($r.CertificateChains | Where-Object { $_.ServerNames -contains 'localhost' })
        $withSni | Should -HaveCount 1
        $withSni[0].Subject | Should -Be 'CN=localhost'
        $without = @($r.CertificateChains | Where-Object WithoutSni)
        $without | Should -HaveCount 1
        $without[0].Subject | Should -Be 'CN=default.test'
    }

    It '-ServerName '''' sends no SNI (the server never serves its SNI certificate)' {
        $r = Get-TlsServerProfile "localhost:$($SniPeer.Port)" -ServerName '' -TimeoutSeconds 10 -ErrorAction Stop
        $r.ServerName | Should -BeNullOrEmpty
        $r.CertificateChains | Should -HaveCount 1
        $r.CertificateChains[0].WithoutSni | Should -BeTrue
        $r.CertificateChains[0].Subject | Should -Be 'CN=default.test'
        $r.CertificateChains[0].ValidatedFor | Should -Be 'localhost'
    }

    It 'gives the same HostName, Port and ServerName as Invoke-TlsHandshake for "<Text>"' -ForEach @(
        @{ Text = '127.0.0.1:{port}'; Sni = $null }
        @{ Text = 'https://localhost:{port}/'; Sni = $null }
        @{ Text = 'localhost:{port}'; Sni = '' }
    ) {
        $target = $Text.Replace('{port}', "$($SniPeer.Port)")
        $more = if ($null -ne $Sni) { @{ ServerName = $Sni } } else { @{} }
        $h = Invoke-TlsHandshake $target -SkipCertificateCheck -TimeoutSeconds 30 -ErrorAction Stop @more
        $p = Get-TlsServerProfile $target -TimeoutSeconds 10 -ErrorAction Stop @more
        $h.Success | Should -BeTrue
        $p.HostName | Should -Be $h.HostName
        $p.Port | Should -Be $h.Port
        $p.Port | Should -Be $SniPeer.Port
        $p.ServerName | Should -Be $h.ServerName
        "$($p.Target)" | Should -Be "$($h.Target)"
    }

    It 'malformed targets are one non-terminating error each (<Text> → <Id>) and the others go on' -ForEach @(
        @{ Text = 'http://localhost/'; Id = 'InvalidTarget' }
        @{ Text = '127.0.0.1:0'; Id = 'InvalidPort' }
        @{ Text = 'bad host'; Id = 'InvalidTarget' }
    ) {
        $r = $Text, "127.0.0.1:$($SniPeer.Port)" | Get-TlsServerProfile -TimeoutSeconds 10 -ErrorAction SilentlyContinue -ErrorVariable errs
        $r | Should -HaveCount 1
        $errs | Should -HaveCount 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike "$Id,*"
        $errs[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
    }

    It 'a port in the target and a different -Port is PortConflict' {
        Get-ErrorId { Get-TlsServerProfile "127.0.0.1:$($SniPeer.Port)" -Port 1 } | Should -Be 'PortConflict'
    }
}

Describe 'Get-TlsServerProfile on a port that is not TLS, first progress at once, a successful scan (issue 15)' {
    BeforeAll { . $PSScriptRoot/PlainText.common.ps1 }

    It 'gives NotTls (ProtocolError) with the words Invoke-TlsHandshake uses' {
        $plain = Start-PlainTextPeer
        try {
            $report = Get-TlsServerProfile -HostName 127.0.0.1 -Port $plain.Port -TimeoutSeconds 10 -ErrorAction SilentlyContinue -ErrorVariable ev
            $handshake = Invoke-TlsHandshake 127.0.0.1 -Port $plain.Port -TimeoutSeconds 10 -ErrorAction SilentlyContinue
        } finally { $plain | Stop-TestProcess | Out-Null }
        $report.TlsVersions | Should -BeNullOrEmpty
        $ev.Count | Should -Be 1
        $ev[0].FullyQualifiedErrorId | Should -BeLike 'NotTls,*'
        $ev[0].CategoryInfo.Category | Should -Be 'ProtocolError'
        $ev[0].Exception.Message | Should -Be $handshake.Error
    }

    It 'shows its first progress record at once, before any probe answers' {
        $listener = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0)   # accepts, never answers
        $listener.Start()
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript("Import-Module '$(Join-Path $RepoRoot 'TlsTools.psd1')'; Get-TlsServerProfile 127.0.0.1 -Port $($listener.LocalEndpoint.Port) -TimeoutSeconds 3 -ErrorAction SilentlyContinue")
            $clock = [Diagnostics.Stopwatch]::StartNew()
            $handle = $ps.BeginInvoke()
            $first = $null
            while (-not $handle.IsCompleted -and $null -eq $first) {
                $first = $ps.Streams.Progress | Where-Object { $_.Activity -like 'Scanning 127.0.0.1:*' } | Select-Object -First 1
                if ($null -eq $first) { Start-Sleep -Milliseconds 20 }
            }
            $seenAfter = $clock.Elapsed.TotalSeconds
            $ps.Stop()
        } finally { $ps.Dispose(); $listener.Stop() }
        $first | Should -Not -BeNullOrEmpty
        $first.StatusDescription | Should -Be 'Connecting'
        $seenAfter | Should -BeLessThan 3   # the probes' 3 s timeout has not passed: it came before any answer
    }

    It 'the help example scans a Start-TlsServer server successfully' {
        $cert = New-Certificate -SelfSigned -DnsName localhost -IpAddress 127.0.0.1
        $server = Start-TlsServer -Certificate $cert
        try {
            $report = Get-TlsServerProfile -HostName 127.0.0.1 -Port $server.Port
        } finally { $server | Stop-TlsServer }
        $report.TlsVersions | Should -Be @('Tls12', 'Tls13')
        $report.Errors | Should -BeNullOrEmpty
    }
}
