BeforeAll {
    . $PSScriptRoot/common.ps1
    . $PSScriptRoot/Tls.common.ps1
    $script:chain = New-TestChain -Algorithm EcdsaP256 -Name 'Server'
    $script:rootPath = Join-Path $TestDrive 'root.pem'
    $chain.Root | Save-Certificate -Path $rootPath -Force | Out-Null
    $script:client = New-Certificate -Issuer $chain.Intermediate -Subject 'CN=client.test' -DnsName 'client.test' -Profile Client
    $script:clientFiles = Save-TlsTestFiles -Certificate $client -Chain $chain.Intermediate -Directory $TestDrive -Name client

    function Wait-Connections {
        <# The server records a connection a moment after the client is done; wait (bounded) for the count. #>
        param($Server, [int] $Count)
        $deadline = [DateTime]::UtcNow.AddSeconds(10)
        while (@($Server.RecentConnections).Count -lt $Count -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
        @($Server.RecentConnections)
    }
}

AfterAll { Stop-TlsServer -All }

Describe 'Start-TlsServer' {
    It 'starts on a free loopback port in the background and Stop-TlsServer stops it from the pipeline' {
        $server = Start-TlsServer -Certificate $chain.Leaf -Chain $chain.Intermediate
        $server.Port | Should -BeGreaterThan 0
        $server.Address | Should -Be '127.0.0.1'
        $server.IsRunning | Should -BeTrue
        $r = Invoke-TlsHandshake 127.0.0.1 -Port $server.Port -ServerName www.example.test -TrustedRoot $chain.Root -TimeoutSeconds 30
        $r.Success | Should -BeTrue
        $r.Validation.IsValid | Should -BeTrue
        @($r.Certificates).Count | Should -Be 2
        $server | Stop-TlsServer
        $server.IsRunning | Should -BeFalse
        $after = Invoke-TlsHandshake 127.0.0.1 -Port $server.Port -TimeoutSeconds 10 -ErrorAction SilentlyContinue
        $after.ErrorId | Should -Be 'ConnectionRefused'
    }

    # Issue 15: the server no longer accepts h2 (it answers in HTTP/1.1 only); ALPN is tested with http/1.1.
    It 'openssl s_client connects with <Version> and ALPN http/1.1, and gets the small response' -ForEach @(
        @{ Version = '-tls1_2'; Protocol = 'TLSv1.2' }
        @{ Version = '-tls1_3'; Protocol = 'TLSv1.3' }
    ) {
        $server = Start-TlsServer -Certificate $chain.Leaf -Chain $chain.Intermediate -Alpn acme-tls/1, http/1.1
        try {
            $out = Invoke-Peer openssl 's_client', '-connect', "127.0.0.1:$($server.Port)", $Version, '-ign_eof', '-alpn', 'h2,http/1.1', '-servername', 'www.example.test', '-CAfile', $rootPath, '-verify_return_error'
            $out.Output | Should -Match ([regex]::Escape("New, $Protocol, Cipher is"))
            $out.Output | Should -Match 'ALPN protocol: http/1.1'
            $out.Output | Should -Match 'Verify return code: 0 \(ok\)'
            $out.Output | Should -Match 'Hello from TlsTools'
            $seen = Wait-Connections $server 1
            $seen[0].Success | Should -BeTrue
            $seen[0].Alpn | Should -Be 'http/1.1'
            $seen[0].ServerName | Should -Be 'www.example.test'
            $seen[0].TlsVersion | Should -Be ($Protocol -replace 'TLSv1\.', 'Tls1')
        } finally { $server | Stop-TlsServer }
    }

    It 'gnutls-cli connects with <Priority> and ALPN, verifying the chain' -ForEach @(
        @{ Priority = 'NORMAL:-VERS-ALL:+VERS-TLS1.2'; Version = 'Tls12' }
        @{ Priority = 'NORMAL:-VERS-ALL:+VERS-TLS1.3'; Version = 'Tls13' }
    ) {
        $server = Start-TlsServer -Certificate $chain.Leaf -Chain $chain.Intermediate -Alpn http/1.1
        try {
            $out = Invoke-Peer gnutls-cli '--port', $server.Port, '127.0.0.1', '--x509cafile', $rootPath, '--alpn', 'http/1.1', '--priority', $Priority
            $out.Output | Should -Match 'Handshake was completed'
            $out.Output | Should -Match 'Application protocol: http/1.1'
            $seen = Wait-Connections $server 1
            $seen[0].Success | Should -BeTrue
            $seen[0].TlsVersion | Should -Be $Version
            $seen[0].Alpn | Should -Be 'http/1.1'
        } finally { $server | Stop-TlsServer }
    }

    It 'with -RequireClientCertificate -TrustedRoot: openssl s_client is accepted with a client certificate, refused without (<_>)' -ForEach '-tls1_2', '-tls1_3' {
        $server = Start-TlsServer -Certificate $chain.Leaf -Chain $chain.Intermediate -RequireClientCertificate -TrustedRoot $chain.Root
        try {
            $with = Invoke-Peer openssl 's_client', '-connect', "127.0.0.1:$($server.Port)", $_, '-ign_eof', '-cert', $clientFiles.CertPath, '-key', $clientFiles.KeyPath, '-cert_chain', $clientFiles.ChainPath, '-CAfile', $rootPath
            $with.Output | Should -Match 'Hello from TlsTools.*client certificate CN=client\.test'
            $without = Invoke-Peer openssl 's_client', '-connect', "127.0.0.1:$($server.Port)", $_, '-ign_eof', '-CAfile', $rootPath
            $without.Output | Should -Not -Match 'Hello from TlsTools'
            $seen = Wait-Connections $server 2
            $seen[0].Success | Should -BeTrue
            $seen[0].ClientCertificateSubject | Should -Be 'CN=client.test'
            $seen[1].Success | Should -BeFalse
            $seen[1].ClientCertificateSubject | Should -BeNullOrEmpty
        } finally { $server | Stop-TlsServer }
    }

    It 'gnutls-cli with a client certificate is accepted by a server that requires one' {
        $server = Start-TlsServer -Certificate $chain.Leaf -Chain $chain.Intermediate -RequireClientCertificate -TrustedRoot $chain.Root
        try {
            $both = Join-Path $TestDrive 'client-and-chain.pem'
            $client, $chain.Intermediate | Save-Certificate -Path $both -Force | Out-Null
            $out = Invoke-Peer gnutls-cli '--port', $server.Port, '127.0.0.1', '--x509cafile', $rootPath, '--x509certfile', $both, '--x509keyfile', $clientFiles.KeyPath
            $out.Output | Should -Match 'Handshake was completed'
            $seen = Wait-Connections $server 1
            $seen[0].Success | Should -BeTrue
            $seen[0].ClientCertificateSubject | Should -Be 'CN=client.test'
        } finally { $server | Stop-TlsServer }
    }

    Context 'the client certificate is validated for clientAuth against -TrustedRoot' {
        BeforeAll {
            # An end-entity certificate (CA:FALSE, clientAuth) under the root, and a client certificate that openssl signs
            # with it (New-Certificate refuses a non-CA issuer, as it should).
            $script:ee = New-Certificate -Issuer $chain.Root -Subject 'CN=ee.test' -DnsName 'ee.test' -Profile Client
            $eeFiles = Save-TlsTestFiles -Certificate $ee -Directory $TestDrive -Name ee
            $ext = Join-Path $TestDrive 'under-ee.ext'
            Set-Content -Path $ext -Value "basicConstraints=critical,CA:FALSE`nkeyUsage=critical,digitalSignature`nextendedKeyUsage=clientAuth`nsubjectKeyIdentifier=hash`nauthorityKeyIdentifier=keyid"
            $key = Join-Path $TestDrive 'under-ee.key.pem'
            $csr = Join-Path $TestDrive 'under-ee.csr'
            $script:underEePath = Join-Path $TestDrive 'under-ee.crt.pem'
            $null = Invoke-OpenSsl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout $key -subj '/CN=under-ee.test' -out $csr
            $null = Invoke-OpenSsl x509 -req -in $csr -CA $eeFiles.CertPath -CAkey $eeFiles.KeyPath -set_serial 4242 -days 30 -extfile $ext -out $underEePath
            $script:OpenSslExit | Should -Be 0
            $script:underEeKeyPath = $key
            $script:eeChainPath = $eeFiles.CertPath
            $bundle = Join-Path $TestDrive 'under-ee.bundle.pem'
            Set-Content -Path $bundle -Value ((Get-Content -Raw $underEePath) + (Get-Content -Raw $key))
            $script:underEe = Read-Certificate -Path $bundle
            $script:serverOnly = New-Certificate -Issuer $chain.Intermediate -Subject 'CN=server-only.test' -DnsName 'server-only.test' -Profile Server
            $script:expired = New-Certificate -Issuer $chain.Intermediate -Subject 'CN=expired.test' -DnsName 'expired.test' -Profile Client -NotBefore ([DateTime]::UtcNow.AddDays(-30)) -NotAfter ([DateTime]::UtcNow.AddDays(-1))
        }

        It 'openssl s_client with a client certificate issued by an end entity (CA:FALSE) is refused, and the log says why (<_>)' -ForEach '-tls1_2', '-tls1_3' {
            $underEe.HasPrivateKey | Should -BeTrue
            $server = Start-TlsServer -Certificate $chain.Leaf -Chain $chain.Intermediate -RequireClientCertificate -TrustedRoot $chain.Root
            try {
                $out = Invoke-Peer openssl 's_client', '-connect', "127.0.0.1:$($server.Port)", $_, '-ign_eof', '-cert', $underEePath, '-key', $underEeKeyPath, '-cert_chain', $eeChainPath, '-CAfile', $rootPath
                $out.Output | Should -Not -Match 'Hello from TlsTools'
                $out.Output | Should -Match 'alert bad certificate'
                $seen = Wait-Connections $server 1
                $seen[0].Success | Should -BeFalse
                $seen[0].Alert | Should -Be 'bad_certificate'
                $seen[0].ClientCertificateSubject | Should -Be 'CN=under-ee.test'
                $seen[0].ClientCertificateValidation.Failures[0].Check | Should -Be 'BasicConstraints'
                $seen[0].Error | Should -Match "BasicConstraints: .*'CN=ee\.test' is not a CA"
            } finally { $server | Stop-TlsServer }
        }

        It 'Invoke-TlsHandshake <Version> with a client certificate that is <Name> is refused with <Alert>' -ForEach @(
            @{ Version = 'Tls12'; Name = 'issued by an end entity'; Alert = 'bad_certificate'; Check = 'BasicConstraints' }
            @{ Version = 'Tls13'; Name = 'issued by an end entity'; Alert = 'bad_certificate'; Check = 'BasicConstraints' }
            @{ Version = 'Tls12'; Name = 'for serverAuth only'; Alert = 'unsupported_certificate'; Check = 'ExtendedKeyUsage' }
            @{ Version = 'Tls13'; Name = 'for serverAuth only'; Alert = 'unsupported_certificate'; Check = 'ExtendedKeyUsage' }
            @{ Version = 'Tls12'; Name = 'expired'; Alert = 'certificate_expired'; Check = 'Expired' }
            @{ Version = 'Tls13'; Name = 'expired'; Alert = 'certificate_expired'; Check = 'Expired' }
        ) {
            $cert, $sent = switch ($Name) {
                'issued by an end entity' { $underEe, $ee }
                'for serverAuth only' { $serverOnly, $chain.Intermediate }
                'expired' { $expired, $chain.Intermediate }
            }
            $server = Start-TlsServer -Certificate $chain.Leaf -Chain $chain.Intermediate -RequireClientCertificate -TrustedRoot $chain.Root
            try {
                $r = Invoke-TlsHandshake 127.0.0.1 -Port $server.Port -TlsVersion $Version -ClientCertificate $cert, $sent -SkipCertificateCheck -TimeoutSeconds 30 -ErrorAction SilentlyContinue -ErrorVariable ev
                $r.Success | Should -BeFalse
                $r.Alert | Should -Be $Alert
                $ev[0].CategoryInfo.Category | Should -Be 'ProtocolError'
                $seen = Wait-Connections $server 1
                $seen[0].Success | Should -BeFalse
                $seen[0].ClientCertificateValidation.Failures[0].Check | Should -Be $Check
                $seen[0].Error | Should -Match "$($Check): "
            } finally { $server | Stop-TlsServer }
        }

        It 'Invoke-TlsHandshake <_> with a proper client certificate from the intermediate, chain sent, is accepted' -ForEach 'Tls12', 'Tls13' {
            $server = Start-TlsServer -Certificate $chain.Leaf -Chain $chain.Intermediate -RequireClientCertificate -TrustedRoot $chain.Root
            try {
                $r = Invoke-TlsHandshake 127.0.0.1 -Port $server.Port -TlsVersion $_ -ClientCertificate $client, $chain.Intermediate -TrustedRoot $chain.Root -TimeoutSeconds 30
                $r.Success | Should -BeTrue
                $seen = Wait-Connections $server 1
                $seen[0].Success | Should -BeTrue
                $seen[0].ClientCertificateValidation.IsValid | Should -BeTrue
                @($seen[0].ClientCertificateValidation.Chain).Count | Should -Be 3
            } finally { $server | Stop-TlsServer }
        }
    }

    Context 'client certificates from an openssl CA: the alert the client sees, the reason in the log, -Crl' {
        BeforeAll {
            # A CA made and run by openssl (tests/data/openssl/client-ca.cnf): good, expired, serverAuth-only and revoked
            # client certificates, an end entity that signs another one, and a client certificate from a CA not trusted.
            $cnf = Join-Path $PSScriptRoot 'data/openssl/client-ca.cnf'
            $ca = Join-Path $TestDrive 'openssl-client-ca'
            New-Item -ItemType Directory -Path $ca -Force | Out-Null
            [IO.File]::WriteAllText((Join-Path $ca 'index.txt'), '')
            Set-Content -Path (Join-Path $ca 'serial') -Value '2000'
            Set-Content -Path (Join-Path $ca 'crlnumber') -Value '2000'
            $env:TLSTOOLS_CA_DIR = $ca
            function New-OsslRootCa([string] $Name) {
                $key = Join-Path $ca "$Name.key"; $pem = Join-Path $ca "$Name.pem"
                $out = Invoke-OpenSsl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout $key -subj "/CN=$Name" -days 30 -out $pem -config $cnf -extensions root_ca
                $script:OpenSslExit | Should -Be 0 -Because $out
                [pscustomobject]@{ Pem = $pem; Key = $key }
            }
            function New-OsslClient([string] $Name, $Issuer, [string] $Extensions = 'client_good', [string[]] $Dates = @()) {
                $key = Join-Path $ca "$Name.key"; $csr = Join-Path $ca "$Name.csr"; $pem = Join-Path $ca "$Name.pem"
                $null = Invoke-OpenSsl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout $key -subj "/CN=$Name" -out $csr -config $cnf
                $out = if ($Issuer.Pem -like '*ee.client.pem') {
                    Invoke-OpenSsl x509 -req -in $csr -CA $Issuer.Pem -CAkey $Issuer.Key -set_serial 4343 -days 30 -extfile $cnf -extensions $Extensions -out $pem
                } else {
                    Invoke-OpenSsl ca -batch -config $cnf -cert $Issuer.Pem -keyfile $Issuer.Key -in $csr -out $pem -extensions $Extensions -notext @Dates
                }
                $script:OpenSslExit | Should -Be 0 -Because $out
                $bundle = Join-Path $ca "$Name.bundle.pem"
                Set-Content -Path $bundle -Value ((Get-Content -Raw $pem) + (Get-Content -Raw $key))
                [pscustomobject]@{ Pem = $pem; Key = $key; Certificate = Read-Certificate -Path $bundle }
            }
            $script:osslRoot = New-OsslRootCa 'openssl.client.root'
            $script:osslRootCert = Read-Certificate -Path $osslRoot.Pem
            $script:osslClients = @{
                'good'                    = New-OsslClient 'good.client' $osslRoot
                'expired'                 = New-OsslClient 'expired.client' $osslRoot -Dates '-startdate', '20250101000000Z', '-enddate', '20250201000000Z'
                'for serverAuth only'     = New-OsslClient 'server-only.client' $osslRoot 'client_server_only'
                'revoked'                 = New-OsslClient 'revoked.client' $osslRoot
                'an end entity'           = New-OsslClient 'ee.client' $osslRoot
                'from an untrusted CA'    = New-OsslClient 'stranger.client' (New-OsslRootCa 'openssl.other.root')
            }
            $osslClients['issued by an end entity'] = New-OsslClient 'under-ee.client' $osslClients['an end entity']
            $out = Invoke-OpenSsl ca -batch -config $cnf -cert $osslRoot.Pem -keyfile $osslRoot.Key -revoke $osslClients['revoked'].Pem -crl_reason keyCompromise
            $script:OpenSslExit | Should -Be 0 -Because $out
            $crlPath = Join-Path $ca 'client-ca.crl.pem'
            $out = Invoke-OpenSsl ca -batch -gencrl -config $cnf -cert $osslRoot.Pem -keyfile $osslRoot.Key -crlexts crl_ext -out $crlPath
            $script:OpenSslExit | Should -Be 0 -Because $out
            $script:osslCrl = Read-CertificateRevocationList -Path $crlPath
            Remove-Item Env:TLSTOOLS_CA_DIR
        }

        It 'openssl s_client <Version> with a client certificate <Name>: the client sees <Alert>, the log says <Check>' -ForEach @(
            foreach ($v in '-tls1_2', '-tls1_3') {
                @{ Version = $v; Name = 'issued by an end entity'; Alert = 'bad_certificate'; Text = 'bad certificate'; Check = 'BasicConstraints' }
                @{ Version = $v; Name = 'expired'; Alert = 'certificate_expired'; Text = 'certificate expired'; Check = 'Expired' }
                @{ Version = $v; Name = 'for serverAuth only'; Alert = 'unsupported_certificate'; Text = 'unsupported certificate'; Check = 'ExtendedKeyUsage' }
                @{ Version = $v; Name = 'revoked'; Alert = 'certificate_revoked'; Text = 'certificate revoked'; Check = 'Revoked' }
                @{ Version = $v; Name = 'from an untrusted CA'; Alert = 'unknown_ca'; Text = 'unknown ca'; Check = 'MissingIssuer' }
            }
        ) {
            $client = $osslClients[$Name]
            $server = Start-TlsServer -Certificate $chain.Leaf -Chain $chain.Intermediate -RequireClientCertificate -TrustedRoot $osslRootCert -Crl $osslCrl
            try {
                $peerArgs = @('s_client', '-connect', "127.0.0.1:$($server.Port)", $Version, '-ign_eof', '-cert', $client.Pem, '-key', $client.Key, '-CAfile', $rootPath)
                if ($Name -eq 'issued by an end entity') { $peerArgs += @('-cert_chain', $osslClients['an end entity'].Pem) }
                $out = Invoke-Peer openssl $peerArgs
                $out.Output | Should -Not -Match 'Hello from TlsTools'
                $out.Output | Should -Match "alert $Text"
                $seen = Wait-Connections $server 1
                $seen[0].Success | Should -BeFalse
                $seen[0].Alert | Should -Be $Alert
                $seen[0].ClientCertificateSubject | Should -Be $client.Certificate.Subject
                $seen[0].ClientCertificateRefusal.Check | Should -Be $Check
                $seen[0].ClientCertificateRefusal.Message | Should -Not -BeNullOrEmpty
                $seen[0].Error | Should -Match "$($Alert) alert: .*$($Check): "
            } finally { $server | Stop-TlsServer }
        }

        It 'openssl s_client <_> with a good client certificate is accepted, with -Crl given' -ForEach '-tls1_2', '-tls1_3' {
            $client = $osslClients['good']
            $server = Start-TlsServer -Certificate $chain.Leaf -Chain $chain.Intermediate -RequireClientCertificate -TrustedRoot $osslRootCert -Crl $osslCrl
            try {
                $out = Invoke-Peer openssl 's_client', '-connect', "127.0.0.1:$($server.Port)", $_, '-ign_eof', '-cert', $client.Pem, '-key', $client.Key, '-CAfile', $rootPath
                $out.Output | Should -Match 'Hello from TlsTools.*client certificate CN=good\.client'
                $seen = Wait-Connections $server 1
                $seen[0].Success | Should -BeTrue
                $seen[0].ClientCertificateValidation.IsValid | Should -BeTrue
                $seen[0].ClientCertificateRefusal | Should -BeNullOrEmpty
            } finally { $server | Stop-TlsServer }
        }

        It 'Invoke-TlsHandshake <Version> with a client certificate <Name>: <Alert>' -ForEach @(
            foreach ($v in 'Tls12', 'Tls13') {
                @{ Version = $v; Name = 'revoked'; Alert = 'certificate_revoked'; Check = 'Revoked' }
                @{ Version = $v; Name = 'from an untrusted CA'; Alert = 'unknown_ca'; Check = 'MissingIssuer' }
                @{ Version = $v; Name = 'good'; Alert = $null; Check = $null }
            }
        ) {
            $server = Start-TlsServer -Certificate $chain.Leaf -Chain $chain.Intermediate -RequireClientCertificate -TrustedRoot $osslRootCert -Crl $osslCrl
            try {
                $r = Invoke-TlsHandshake 127.0.0.1 -Port $server.Port -TlsVersion $Version -ClientCertificate $osslClients[$Name].Certificate -TrustedRoot $chain.Root -TimeoutSeconds 30 -ErrorAction SilentlyContinue -ErrorVariable ev
                $seen = Wait-Connections $server 1
                if ($Alert) {
                    $r.Success | Should -BeFalse
                    $r.Alert | Should -Be $Alert
                    $ev[0].CategoryInfo.Category | Should -Be 'ProtocolError'
                    $seen[0].ClientCertificateRefusal.Check | Should -Be $Check
                } else {
                    $r.Success | Should -BeTrue
                    $seen[0].Success | Should -BeTrue
                }
            } finally { $server | Stop-TlsServer }
        }

        It '-Crl without -TrustedRoot is refused: CrlNeedsTrustedRoot (InvalidArgument)' {
            $err = $null
            $server = Start-TlsServer -Certificate $chain.Leaf -Crl $osslCrl -ErrorAction SilentlyContinue -ErrorVariable err
            $server | Should -BeNullOrEmpty
            $err[0].FullyQualifiedErrorId | Should -Match '^CrlNeedsTrustedRoot'
            $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        }
    }

    It 'our own Invoke-TlsHandshake: the version and suite the server allows, ALPN, client certificate required' {
        $server = Start-TlsServer -Certificate $chain.Leaf -Chain $chain.Intermediate -TlsVersion Tls12 -CipherSuite TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384 -Alpn http/1.1 -RequireClientCertificate -TrustedRoot $chain.Root
        try {
            $ok = Invoke-TlsHandshake 127.0.0.1 -Port $server.Port -Alpn h2, http/1.1 -ClientCertificate $client, $chain.Intermediate -TrustedRoot $chain.Root -TimeoutSeconds 30
            $ok.Success | Should -BeTrue
            $ok.TlsVersion | Should -Be 'Tls12'
            $ok.CipherSuite | Should -Be 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384'
            $ok.Alpn | Should -Be 'http/1.1'
            $ok.ClientCertificateSent | Should -BeTrue
            $refused = Invoke-TlsHandshake 127.0.0.1 -Port $server.Port -SkipCertificateCheck -TimeoutSeconds 30 -ErrorAction SilentlyContinue -ErrorVariable ev
            $refused.Success | Should -BeFalse
            $ev[0].CategoryInfo.Category | Should -Be 'AuthenticationError'   # issue 13: ClientCertificateRequired, not a bare alert
            $ev[0].FullyQualifiedErrorId | Should -BeLike 'ClientCertificateRequired,*'
            $tls13 = Invoke-TlsHandshake 127.0.0.1 -Port $server.Port -TlsVersion Tls13 -ClientCertificate $client, $chain.Intermediate -SkipCertificateCheck -TimeoutSeconds 30 -ErrorAction SilentlyContinue
            $tls13.Alert | Should -Be 'protocol_version'
        } finally { $server | Stop-TlsServer }
    }

    It 'serves many clients at once' {
        $server = Start-TlsServer -Certificate $chain.Leaf
        try {
            $results = 1..40 | ForEach-Object { "127.0.0.1:$($server.Port)" } | Invoke-TlsHandshake -ThrottleLimit 20 -SkipCertificateCheck -TimeoutSeconds 60
            @($results | Where-Object Success).Count | Should -Be 40
        } finally { $server | Stop-TlsServer }
    }
}

Describe 'Stop-TlsServer and the server registry' {
    It 'stops by -Port; an unknown port is ServerNotFound (ObjectNotFound)' {
        $server = Start-TlsServer -Certificate $chain.Leaf
        Stop-TlsServer -Port $server.Port
        $server.IsRunning | Should -BeFalse
        $err = $null
        Stop-TlsServer -Port $server.Port -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ServerNotFound,*'
        $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It '-All stops every server this session started; -PassThru writes them' {
        $a = Start-TlsServer -Certificate $chain.Leaf
        $b = Start-TlsServer -Certificate $chain.Leaf
        $stopped = Stop-TlsServer -All -PassThru
        $stopped.Port | Should -Contain $a.Port
        $stopped.Port | Should -Contain $b.Port
        $a.IsRunning | Should -BeFalse
        $b.IsRunning | Should -BeFalse
    }

    It 'removing the module stops the servers of that session only' {
        $mine = Start-TlsServer -Certificate $chain.Leaf
        $ps = [powershell]::Create()
        try {
            $manifest = Join-Path $RepoRoot 'TlsTools.psd1'
            $null = $ps.AddScript("Import-Module '$manifest'; `$s = Start-TlsServer -Certificate (New-Certificate -SelfSigned -DnsName localhost); `$s; Remove-Module TlsTools; `$s.IsRunning")
            $out = $ps.Invoke()
            $ps.HadErrors | Should -BeFalse
            $out[0].Port | Should -BeGreaterThan 0
            $out[1] | Should -BeFalse
            $mine.IsRunning | Should -BeTrue
        } finally {
            $ps.Dispose()
            $mine | Stop-TlsServer
        }
    }

    It 'a port in use is PortInUse (ResourceUnavailable), a certificate without key CertificateHasNoKey' {
        $listener = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0)
        $listener.Start()
        try {
            $err = $null
            $s = Start-TlsServer -Certificate $chain.Leaf -Port $listener.LocalEndpoint.Port -ErrorAction SilentlyContinue -ErrorVariable err
            $s | Should -BeNullOrEmpty
            $err[0].FullyQualifiedErrorId | Should -BeLike 'PortInUse,*'
            $err[0].CategoryInfo.Category | Should -Be 'ResourceUnavailable'
        } finally { $listener.Stop() }
        Get-ErrorId { Start-TlsServer -Certificate $chain.Leaf.WithoutPrivateKey() } | Should -Be 'CertificateHasNoKey'
    }

    It '-WhatIf starts nothing' {
        Start-TlsServer -Certificate $chain.Leaf -WhatIf | Should -BeNullOrEmpty
        Stop-TlsServer -All -PassThru | Should -BeNullOrEmpty
    }

    It 'the server table fits 120 columns' {
        $server = Start-TlsServer -Certificate $chain.Leaf
        try {
            $null = Invoke-TlsHandshake 127.0.0.1 -Port $server.Port -SkipCertificateCheck -TimeoutSeconds 30
            $null = Wait-Connections $server 1
            $text = $server | Format-Table | Out-String -Width 120
            $text | Should -Match 'Address\s+Port\s+Running\s+Completed'
            (($text -split "`r?`n") | Measure-Object -Property Length -Maximum).Maximum | Should -BeLessOrEqual 120
            $conn = $server.RecentConnections | Format-Table | Out-String -Width 120
            (($conn -split "`r?`n") | Measure-Object -Property Length -Maximum).Maximum | Should -BeLessOrEqual 120
        } finally { $server | Stop-TlsServer }
    }
}

Describe 'Start-TlsServer checks at start, ::1, -Wait and completion (issue 15)' {
    It 'a cipher suite the key cannot serve fails at start (CipherSuiteNotServable), not at every handshake' {
        Get-ErrorId { Start-TlsServer -Certificate $chain.Leaf -CipherSuite TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 } | Should -Be 'CipherSuiteNotServable'
        Get-ErrorId { Start-TlsServer -Certificate $chain.Leaf -CipherSuite TLS_AES_128_GCM_SHA256 -TlsVersion Tls12 } | Should -Be 'CipherSuiteNotServable'
        $ok = Start-TlsServer -Certificate $chain.Leaf -CipherSuite TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 -TlsVersion Tls12
        try {
            (Invoke-TlsHandshake 127.0.0.1 -Port $ok.Port -SkipCertificateCheck).CipherSuite | Should -Be 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256'
        } finally { $ok | Stop-TlsServer }
    }

    It "-Alpn h2 is refused (AlpnNotServable: the server answers in HTTP/1.1), -Alpn '' is a parameter error" {
        Get-ErrorId { Start-TlsServer -Certificate $chain.Leaf -Alpn h2, http/1.1 } | Should -Be 'AlpnNotServable'
        Get-ErrorId { Start-TlsServer -Certificate $chain.Leaf -Alpn '' } | Should -Be 'ParameterArgumentValidationError'
        $s = Start-TlsServer -Certificate $chain.Leaf -Alpn http/1.1
        try {
            (Invoke-TlsHandshake 127.0.0.1 -Port $s.Port -Alpn h2, http/1.1 -SkipCertificateCheck).Alpn | Should -Be 'http/1.1'
        } finally { $s | Stop-TlsServer }
    }

    It 'serves ::1 as well as 127.0.0.1, at the same port' {
        $s = Start-TlsServer -Certificate $chain.Leaf
        try {
            $v4 = Invoke-TlsHandshake 127.0.0.1 -Port $s.Port -ServerName www.example.test -TrustedRoot $chain.Root
            $v6 = Invoke-TlsHandshake ::1 -Port $s.Port -ServerName www.example.test -TrustedRoot $chain.Root
            $v4.Success | Should -BeTrue
            $v6.Success | Should -BeTrue
            $v6.IPAddress | Should -Be '::1'
            $s.Addresses | Should -Be '127.0.0.1', '::1'
            ($s | Format-Table | Out-String -Width 80) | Should -Match "127\.0\.0\.1 ::1\s+$($s.Port)\b"
        } finally { $s | Stop-TlsServer }
        $after = Invoke-TlsHandshake ::1 -Port $s.Port -TimeoutSeconds 5 -ErrorAction SilentlyContinue
        $after.Success | Should -BeFalse   # stopped on ::1 too
    }

    It '-Scenario with -HostName ::1 makes a certificate for ::1 that validates' {
        $s = Start-TlsServer -Scenario Valid -HostName ::1
        try {
            $s.Scenario.HostName | Should -Be '::1'
            $r = Invoke-TlsHandshake ::1 -Port $s.Port -TrustedRoot $s.Scenario.TrustedRoot
            $r.Validation.IsValid | Should -BeTrue
        } finally { $s | Stop-TlsServer }
    }

    It '-Scenario with a -HostName that is no name says so in terms of -HostName' {
        $err = $null
        try { Start-TlsServer -Scenario Valid -HostName 'not a host' -ErrorAction Stop } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -BeLike 'InvalidDnsName,*'
        $err.Exception.Message | Should -Match '^-HostName ''not a host'' is neither a DNS name nor an IP address'
        $err.Exception.Message | Should -Not -Match '-IpAddress'
    }

    It '-Wait runs in the foreground until stopped (Ctrl+C), then stops the server' {
        $ps = [powershell]::Create()
        $output = [Management.Automation.PSDataCollection[psobject]]::new()
        try {
            $manifest = Join-Path $RepoRoot 'TlsTools.psd1'
            $null = $ps.AddScript("Import-Module '$manifest'; Start-TlsServer -Certificate (New-Certificate -SelfSigned -DnsName localhost -IpAddress 127.0.0.1) -Wait")
            $handle = $ps.BeginInvoke([Management.Automation.PSDataCollection[psobject]]::new(), $output)
            $deadline = [DateTime]::UtcNow.AddSeconds(60)
            while ($output.Count -eq 0 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
            $server = $output[0]
            $server.IsRunning | Should -BeTrue
            Start-Sleep -Milliseconds 700
            $handle.IsCompleted | Should -BeFalse          # still in the foreground
            (Invoke-TlsHandshake 127.0.0.1 -Port $server.Port -SkipCertificateCheck).Success | Should -BeTrue
            $ps.Stop()                                      # what Ctrl+C does
            $server.IsRunning | Should -BeFalse
        } finally { $ps.Dispose() }
    }

    It 'Stop-TlsServer -Port completes the ports of running servers' {
        $s = Start-TlsServer -Certificate $chain.Leaf
        try {
            $completions = (TabExpansion2 -inputScript 'Stop-TlsServer -Port ' -cursorColumn 'Stop-TlsServer -Port '.Length).CompletionMatches
            $completions.CompletionText | Should -Contain "$($s.Port)"
        } finally { $s | Stop-TlsServer }
    }
}
