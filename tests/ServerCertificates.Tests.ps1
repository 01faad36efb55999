# Issue 13, part 1: every certificate a server can present (per key type, with and without SNI), TLS 1.2 groups on
# ECDSA-only servers, TLS 1.3 session tickets, client-certificate requests, and the ClientCertificateRequired error.
# Real openssl s_server peers on 127.0.0.1, started here and stopped in AfterAll.

BeforeAll {
    . $PSScriptRoot/common.ps1
    . $PSScriptRoot/Scanning.common.ps1

    $script:Dir = Join-Path ([IO.Path]::GetTempPath()) ('tlstools-certs-ps-' + [guid]::NewGuid().ToString('N').Substring(0, 10))
    New-Item -ItemType Directory -Path $Dir | Out-Null
    $script:Peers = [Collections.Generic.List[object]]::new()

    function Start-OpenSslServer {
        param([string[]] $Arguments)
        $peer = Start-ScanPeer -Tool openssl -Arguments (@('s_server', '-accept', '127.0.0.1:{port}', '-quiet') + $Arguments) -WorkingDirectory $Dir
        $Peers.Add($peer)
        $peer
    }

    function Get-Profile([int] $Port, [string] $ServerName) {
        $a = @{ HostName = '127.0.0.1'; Port = $Port; TimeoutSeconds = 20 }
        if ($ServerName) { $a.ServerName = $ServerName }
        Get-TlsServerProfile @a
    }

    function Get-Chain($Report, [string] $KeyAlgorithm) {
        $c = @($Report.CertificateChains | Where-Object KeyAlgorithm -eq $KeyAlgorithm)
        $c.Count | Should -Be 1 -Because "one $KeyAlgorithm chain in: $(@($Report.CertificateChains | ForEach-Object KeyAlgorithm) -join ', ')"
        $c[0]
    }

    Assert-Peer openssl
    New-ScanPeerFiles -Directory $Dir -Name rsa -DnsName 'rsa.test' | Out-Null
    New-ScanPeerFiles -Directory $Dir -Name ec -Algorithm EcdsaP256 -DnsName 'ec.test' | Out-Null
    New-ScanPeerFiles -Directory $Dir -Name ec384 -Algorithm EcdsaP384 -DnsName 'ec384.test' | Out-Null
    # OpenSSL 3.0 reads no PKCS#8 v2 Ed25519 key (what BouncyCastle writes): openssl makes this one itself.
    $null = & openssl req -x509 -newkey ed25519 -nodes -keyout (Join-Path $Dir 'ed.key') -out (Join-Path $Dir 'ed.crt') -subj '/CN=ed.test' -days 30 2>&1
    if ($LASTEXITCODE -ne 0) { throw 'openssl could not make an Ed25519 certificate' }
    $script:ClientCa = New-CaCertificate -Subject 'CN=Client Test CA, O=TlsTools Tests'
    Save-Certificate -Path (Join-Path $Dir 'client-ca.crt') -Certificate $ClientCa -Force
}

AfterAll {
    foreach ($p in $Peers) { Stop-ScanPeer $p }
    Remove-Item -LiteralPath $Dir -Recurse -Force -ErrorAction Ignore
}

Describe 'Get-TlsServerProfile: every certificate a server can present' {
    It 'reports both chains of a dual-certificate server (-cert RSA -dcert ECDSA), each with its key and suites' {
        $srv = Start-OpenSslServer @('-cert', 'rsa.crt', '-key', 'rsa.key', '-dcert', 'ec.crt', '-dkey', 'ec.key')
        $p = Get-Profile $srv.Port
        $p.CertificateChains.Count | Should -Be 2
        $rsa = Get-Chain $p 'Rsa2048'
        $ec = Get-Chain $p 'EcdsaP256'
        $rsa.Subject | Should -Match 'rsa\.test'
        $ec.Subject | Should -Match 'ec\.test'
        foreach ($c in $rsa, $ec) {
            @($c.TlsVersions | ForEach-Object { "$_" }) | Should -Contain 'Tls12'
            @($c.TlsVersions | ForEach-Object { "$_" }) | Should -Contain 'Tls13'   # a TLS 1.3 handshake restricted to its signature schemes produced it
            $c.CipherSuites | Should -Contain 'TLS_AES_128_GCM_SHA256'
        }
        $rsa.CipherSuites | Should -Contain 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'
        @($rsa.CipherSuites | Where-Object { $_ -like '*_ECDSA_*' }) | Should -BeNullOrEmpty
        $ec.CipherSuites | Should -Contain 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256'
        @($ec.CipherSuites | Where-Object { $_ -like '*_RSA_*' }) | Should -BeNullOrEmpty
        # Every TLS <= 1.2 suite the profile lists is served by one of the two chains.
        foreach ($s in @($p.CipherSuites | Where-Object { "$($_.TlsVersion)" -ne 'Tls13' -and $_.Authentication -in 'RSA', 'ECDSA' })) {
            ($rsa.CipherSuites + $ec.CipherSuites) | Should -Contain $s.Name
        }

        # The chain table shows the key and fits 120 columns.
        $lines = @(($p.CertificateChains | Format-Table | Out-String -Width 200) -split "`r?`n" | Where-Object { $_.Trim() })
        $lines[0] | Should -Match '^KeyAlgorithm'
        ($lines | Measure-Object -Property Length -Maximum).Maximum | Should -BeLessOrEqual 120
        ($lines -join "`n") | Should -Match 'EcdsaP256'
        ($p | Format-List | Out-String -Width 200) | Should -Match 'Rsa2048 CN=rsa\.test'
    }

    It 'finds a P-384 certificate and an Ed25519 certificate, also with TLS 1.3 only (per key type, encrypted certificates)' -ForEach @(
        @{ ServerArgs = @('-cert', 'ec384.crt', '-key', 'ec384.key', '-tls1_3'); Key = 'EcdsaP384'; Versions = @('Tls13') }
        @{ ServerArgs = @('-cert', 'ed.crt', '-key', 'ed.key'); Key = 'Ed25519'; Versions = @('Tls12', 'Tls13') }
        @{ ServerArgs = @('-cert', 'ed.crt', '-key', 'ed.key', '-tls1_3'); Key = 'Ed25519'; Versions = @('Tls13') }
    ) {
        $srv = Start-OpenSslServer $ServerArgs
        $p = Get-Profile $srv.Port
        $p.CertificateChains.Count | Should -Be 1
        $c = Get-Chain $p $Key
        @($c.TlsVersions | ForEach-Object { "$_" }) | Should -Be $Versions
        $c.WithoutSni | Should -BeTrue
        if ($Versions -contains 'Tls12') { @($c.CipherSuites | Where-Object { $_ -like 'TLS_ECDHE_ECDSA_*' }) | Should -Not -BeNullOrEmpty }
        # The TLS 1.3-only server: one consistent statement (chains were read; nothing says they were not).
        @($p.Warnings | Where-Object { $_ -match 'certificate chains.*not determined|certificates travel encrypted and were not probed' }) | Should -BeNullOrEmpty
    }

    It 'reports the chain per SNI name (-servername/-cert2) and the one without SNI, each with its own key' {
        $srv = Start-OpenSslServer @('-cert', 'rsa.crt', '-key', 'rsa.key', '-servername', 'ec.test', '-cert2', 'ec.crt', '-key2', 'ec.key')
        $p = Get-Profile $srv.Port -ServerName 'ec.test'
        $p.CertificateChains.Count | Should -Be 2
        $named = Get-Chain $p 'EcdsaP256'
        $named.ServerNames | Should -Be @('ec.test')
        $named.WithoutSni | Should -BeFalse
        $named.CipherSuites | Should -Contain 'TLS_AES_128_GCM_SHA256'
        $default = Get-Chain $p 'Rsa2048'
        $default.WithoutSni | Should -BeTrue
        $default.ServerNames | Should -BeNullOrEmpty
    }
}

Describe 'Get-TlsServerProfile: TLS 1.2 groups on an ECDSA-only server' {
    It 'lists every group (x25519, secp384r1 beside the certificate''s secp256r1): each is offered with the certificate''s curve' {
        $srv = Start-OpenSslServer @('-cert', 'ec.crt', '-key', 'ec.key', '-groups', 'X25519:P-256:P-384')
        $p = Get-Profile $srv.Port
        @($p.NamedGroups | Where-Object { "$($_.TlsVersion)" -eq 'Tls12' } | ForEach-Object Name | Sort-Object) | Should -Be @('secp256r1', 'secp384r1', 'x25519')
        @($p.NamedGroups | Where-Object { "$($_.TlsVersion)" -eq 'Tls13' } | ForEach-Object Name | Sort-Object) | Should -Be @('secp256r1', 'secp384r1', 'x25519')
    }
}

Describe 'Get-TlsServerProfile: TLS 1.3 session tickets' {
    It 'counts the NewSessionTicket messages (-num_tickets 3) with their lifetime' {
        $srv = Start-OpenSslServer @('-cert', 'ec.crt', '-key', 'ec.key', '-num_tickets', '3')
        $p = Get-Profile $srv.Port
        $p.Tls13SessionTickets.Count | Should -Be 3
        $p.Tls13SessionTickets.LifetimeSeconds | Should -Be 7200   # OpenSSL's default ticket lifetime
        $p.Tls13SessionTickets.EarlyData | Should -BeFalse
        $p.Tls13SessionTickets.MaxEarlyDataSize | Should -BeNullOrEmpty
        ($p | Format-List | Out-String -Width 200) | Should -Match 'TLS 1\.3 tickets 3 \(7200 s\)'
    }

    It 'says when tickets allow early data (-early_data) and how much' {
        $srv = Start-OpenSslServer @('-cert', 'ec.crt', '-key', 'ec.key', '-early_data')
        $p = Get-Profile $srv.Port
        $p.Tls13SessionTickets.Count | Should -BeGreaterThan 0
        $p.Tls13SessionTickets.EarlyData | Should -BeTrue
        $p.Tls13SessionTickets.MaxEarlyDataSize | Should -BeGreaterThan 0
    }

    It 'is null (with the reason) when TLS 1.3 is not accepted' {
        $srv = Start-OpenSslServer @('-cert', 'ec.crt', '-key', 'ec.key', '-tls1_2')
        $p = Get-Profile $srv.Port
        $p.Tls13SessionTickets | Should -BeNullOrEmpty
        $p.SessionTickets | Should -BeTrue   # the TLS <= 1.2 SessionTicket extension
    }
}

Describe 'Get-TlsServerProfile: client certificates' {
    It 'reports a required client certificate (-Verify 1) with the CA names and signature algorithms (<Name>)' -ForEach @(
        @{ Name = 'TLS 1.2 and 1.3'; Extra = @(); Version = 'Tls12' }
        @{ Name = 'TLS 1.3 only'; Extra = @('-tls1_3'); Version = 'Tls13' }
    ) {
        $srv = Start-OpenSslServer (@('-cert', 'rsa.crt', '-key', 'rsa.key', '-Verify', '1', '-CAfile', 'client-ca.crt') + $Extra)
        $p = Get-Profile $srv.Port
        $r = $p.ClientCertificateRequested
        $r | Should -Not -BeNullOrEmpty
        "$($r.TlsVersion)" | Should -Be $Version
        $r.Required | Should -BeTrue
        $r.CertificateAuthorities | Should -Be @($ClientCa.Subject)
        $r.SignatureAlgorithms | Should -Contain 'rsa_pss_rsae_sha256'
        $r.SignatureAlgorithms | Should -Contain 'ecdsa_secp256r1_sha256'
        # The certificate is still read (TLS 1.2 in plaintext; TLS 1.3 before the server's verdict).
        (Get-Chain $p 'Rsa2048').Subject | Should -Match 'rsa\.test'
        ($p | Format-List | Out-String -Width 300) | Should -Match 'ClientCertificate\s*:\s*required'
    }

    It 'reports an optional client certificate (-verify 1): Required false' {
        $srv = Start-OpenSslServer @('-cert', 'rsa.crt', '-key', 'rsa.key', '-verify', '1', '-CAfile', 'client-ca.crt')
        $p = Get-Profile $srv.Port
        $p.ClientCertificateRequested.Required | Should -BeFalse
        $p.ClientCertificateRequested.CertificateAuthorities | Should -Be @($ClientCa.Subject)
        $p.SessionIdResumption | Should -Not -BeNullOrEmpty   # the handshake without a certificate went on
    }

    It 'is null for a server that asks for none' {
        $srv = Start-OpenSslServer @('-cert', 'rsa.crt', '-key', 'rsa.key')
        (Get-Profile $srv.Port).ClientCertificateRequested | Should -BeNullOrEmpty
    }
}

Describe 'Invoke-TlsHandshake without the client certificate a server requires' {
    BeforeAll {
        $script:Required = Start-OpenSslServer @('-cert', 'rsa.crt', '-key', 'rsa.key', '-Verify', '1', '-CAfile', 'client-ca.crt')
    }

    It 'fails with ErrorId ClientCertificateRequired naming the CA asked for (<_>)' -ForEach 'Tls12', 'Tls13' {
        $r = Invoke-TlsHandshake -HostName 127.0.0.1 -Port $Required.Port -TlsVersion $_ -SkipCertificateCheck -TimeoutSeconds 20 -ErrorAction SilentlyContinue -ErrorVariable ev
        $r.Success | Should -BeFalse
        $r.ErrorId | Should -Be 'ClientCertificateRequired'
        $r.ClientCertificateRequested | Should -BeTrue
        $r.Error | Should -Match ([regex]::Escape($ClientCa.Subject))
        $r.Error | Should -Match '-ClientCertificate'
        $r.Error | Should -Not -Match 'no acceptable set of security parameters'
        $ev.Count | Should -Be 1
        $ev[0].FullyQualifiedErrorId | Should -BeLike 'ClientCertificateRequired,*'
        $ev[0].CategoryInfo.Category | Should -Be 'AuthenticationError'
    }
}
