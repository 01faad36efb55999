BeforeAll {
    . $PSScriptRoot/common.ps1
    . $PSScriptRoot/Tls.common.ps1
    $script:ec = New-TestChain -Algorithm EcdsaP256 -Name 'EC'
    $script:rsa = New-TestChain -Algorithm Rsa2048 -Name 'RSA'
    $script:ecFiles = Save-TlsTestFiles -Certificate $ec.Leaf -Chain $ec.Intermediate -Directory $TestDrive -Name ec
    $script:rsaFiles = Save-TlsTestFiles -Certificate $rsa.Leaf -Directory $TestDrive -Name rsa
    $script:sni = New-Certificate -Issuer $ec.Intermediate -Subject 'CN=sni.test' -DnsName 'sni.test'
    $script:sniFiles = Save-TlsTestFiles -Certificate $sni -Directory $TestDrive -Name sni
    $script:client = New-Certificate -Issuer $ec.Root -Subject 'CN=client.test' -DnsName 'client.test' -Profile Client
    $script:rootPath = Join-Path $TestDrive 'ec-root.pem'
    $ec.Root | Save-Certificate -Path $rootPath -Force | Out-Null

    function Invoke-Local {
        <# A handshake with 127.0.0.1 that must not write errors unless asked. #>
        param([Parameter(Mandatory)] [int] $Port, [hashtable] $More = @{})
        Invoke-TlsHandshake -HostName 127.0.0.1 -Port $Port -TimeoutSeconds 30 -SkipCertificateCheck -ErrorAction Stop @More
    }
}

Describe 'Invoke-TlsHandshake against openssl s_server' {
    It 'TLS 1.2 ECDHE-RSA: full transcript in order, an ECDHE_RSA suite, x25519' {
        $srv = Start-OpenSslServer -Files $rsaFiles -Arguments '-tls1_2'
        try {
            $r = Invoke-Local -Port $srv.Port
            $r.Success | Should -BeTrue
            $r.TlsVersion | Should -Be 'Tls12'
            $r.CipherSuite | Should -BeLike 'TLS_ECDHE_RSA_WITH_*'
            $r.NamedGroup | Should -Be 'x25519'
            $r.SignatureAlgorithm | Should -Not -BeNullOrEmpty
            Get-TranscriptOrder $r | Should -Be $Tls12Full
            $r.Certificates[0].Thumbprint | Should -Be $rsa.Leaf.Thumbprint
            $r.IPAddress | Should -Be '127.0.0.1'
            $r.ConnectMilliseconds | Should -BeGreaterOrEqual 0
            $r.HandshakeMilliseconds | Should -BeGreaterThan 0
            $r.Error | Should -BeNullOrEmpty
        } finally { $srv | Stop-TestProcess | Out-Null }
    }

    It 'TLS 1.2 ECDHE-ECDSA: signed with ecdsa_secp256r1_sha256' {
        $srv = Start-OpenSslServer -Files $ecFiles -Arguments '-tls1_2'
        try {
            $r = Invoke-Local -Port $srv.Port
            $r.CipherSuite | Should -BeLike 'TLS_ECDHE_ECDSA_WITH_*'
            $r.SignatureAlgorithm | Should -Be 'ecdsa_secp256r1_sha256'
            Get-TranscriptOrder $r | Should -Be $Tls12Full
        } finally { $srv | Stop-TestProcess | Out-Null }
    }

    It 'TLS 1.3 with <_>: the group the server allowed, the transcript in order, NewSessionTicket shown' -ForEach 'x25519', 'secp256r1', 'secp384r1' {
        $srv = Start-OpenSslServer -Files $ecFiles -Arguments '-tls1_3', '-groups', $_
        try {
            $r = Invoke-Local -Port $srv.Port
            $r.TlsVersion | Should -Be 'Tls13'
            $r.NamedGroup | Should -Be $_
            $order = Get-TranscriptOrder $r -NoChangeCipherSpec
            # A group other than our first key share (x25519) makes the server ask again.
            ($r.Transcript.Type -contains 'HelloRetryRequest') | Should -Be ($_ -ne 'x25519')
            if ($_ -ne 'x25519') {
                $order[0..1] | Should -Be 'Client:ClientHello', 'Server:HelloRetryRequest'
                $order = $order[2..($order.Count - 1)]
            }
            $order[0..6] | Should -Be $Tls13Full
            $order[7..($order.Count - 1)] | Should -Contain 'Server:NewSessionTicket'
            ($r.Transcript | Where-Object Type -eq NewSessionTicket | Select-Object -First 1).Explanation | Should -Not -BeNullOrEmpty
        } finally { $srv | Stop-TestProcess | Out-Null }
    }

    It 'negotiates exactly what the server allowed: <Version> <Suite> <Group>' -ForEach @(
        @{ Version = '-tls1_2'; Option = '-cipher'; Suite = 'ECDHE-RSA-AES256-GCM-SHA384'; Group = 'secp384r1'; Expected = 'Tls12'; Iana = 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384' }
        @{ Version = '-tls1_3'; Option = '-ciphersuites'; Suite = 'TLS_AES_256_GCM_SHA384'; Group = 'secp256r1'; Expected = 'Tls13'; Iana = 'TLS_AES_256_GCM_SHA384' }
        @{ Version = '-tls1_3'; Option = '-ciphersuites'; Suite = 'TLS_CHACHA20_POLY1305_SHA256'; Group = 'x25519'; Expected = 'Tls13'; Iana = 'TLS_CHACHA20_POLY1305_SHA256' }
    ) {
        $srv = Start-OpenSslServer -Files $rsaFiles -Arguments $Version, $Option, $Suite, '-groups', $Group
        try {
            $r = Invoke-Local -Port $srv.Port
            $r.TlsVersion | Should -Be $Expected
            $r.CipherSuite | Should -Be $Iana
            $r.NamedGroup | Should -Be $Group
        } finally { $srv | Stop-TestProcess | Out-Null }
    }

    It 'offers only the versions, suites and groups asked for' {
        $srv = Start-OpenSslServer -Files $rsaFiles
        try {
            $r = Invoke-Local -Port $srv.Port -More @{ TlsVersion = 'Tls12'; CipherSuite = 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384'; NamedGroup = 'secp384r1' }
            $r.TlsVersion | Should -Be 'Tls12'
            $r.CipherSuite | Should -Be 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384'
            $r.NamedGroup | Should -Be 'secp384r1'
            $hello = $r.Transcript[0]
            $hello.Fields['CipherSuites'] | Where-Object { $_ -notmatch 'EMPTY_RENEGOTIATION' } | Should -Be 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384'
            $hello.Fields['Extensions']['supported_groups'] | Should -Be 'secp384r1'
        } finally { $srv | Stop-TestProcess | Out-Null }
    }

    It 'negotiates ALPN: <Offer> gives <Expected>' -ForEach @(
        @{ Offer = @('h2', 'http/1.1'); Expected = 'h2' }
        @{ Offer = @('http/1.1'); Expected = 'http/1.1' }
    ) {
        $srv = Start-OpenSslServer -Files $ecFiles -Arguments '-alpn', 'h2,http/1.1'
        try {
            $r = Invoke-Local -Port $srv.Port -More @{ Alpn = $Offer }
            $r.Alpn | Should -Be $Expected
            ($r.Transcript | Where-Object Type -eq EncryptedExtensions).Explanation | Should -Match ([regex]::Escape("ALPN $Expected"))
        } finally { $srv | Stop-TestProcess | Out-Null }
    }

    It 'client certificate required (<_>): accepted with one, refused without (ClientCertificateRequired, not a crash)' -ForEach '-tls1_2', '-tls1_3' {
        $srv = Start-OpenSslServer -Files $ecFiles -Arguments $_, '-Verify', '2', '-verifyCAfile', $rootPath, '-verify_return_error'
        try {
            $ok = Invoke-Local -Port $srv.Port -More @{ ClientCertificate = $client }
            $ok.Success | Should -BeTrue
            $ok.ClientCertificateRequested | Should -BeTrue
            $ok.ClientCertificateSent | Should -BeTrue
            Get-TranscriptOrder $ok | Should -Contain 'Client:CertificateVerify'

            $refused = Invoke-TlsHandshake 127.0.0.1 -Port $srv.Port -TimeoutSeconds 30 -SkipCertificateCheck -ErrorAction SilentlyContinue -ErrorVariable ev
            $refused.Success | Should -BeFalse
            $refused.Alert | Should -BeIn 'certificate_required', 'handshake_failure'
            $refused.Error | Should -Match $refused.Alert
            $ev.Count | Should -Be 1
            $ev[0].FullyQualifiedErrorId | Should -BeLike 'ClientCertificateRequired,*'   # issue 13: the failure says why
            $ev[0].CategoryInfo.Category | Should -Be 'AuthenticationError'
            $refused.Error | Should -Match '-ClientCertificate'
            $ev[0].TargetObject | Should -Be $refused
        } finally { $srv | Stop-TestProcess | Out-Null }
    }

    It 'sends SNI that reaches the server (it picks the certificate for that name)' {
        $srv = Start-OpenSslServer -Files $ecFiles -Arguments '-servername', 'sni.test', '-cert2', $sniFiles.CertPath, '-key2', $sniFiles.KeyPath
        try {
            $with = Invoke-Local -Port $srv.Port -More @{ ServerName = 'sni.test' }
            $with.ServerName | Should -Be 'sni.test'
            $with.Certificates[0].Subject | Should -Be 'CN=sni.test'
            $with.Transcript[0].Fields['Extensions']['server_name'] | Should -Be 'sni.test'
            $without = Invoke-Local -Port $srv.Port
            $without.Certificates[0].Subject | Should -Be 'CN=www.example.test'
        } finally { $srv | Stop-TestProcess | Out-Null }
    }

    It 'RSA key exchange (-cipher AES128-GCM-SHA256) has no ServerKeyExchange' {
        $srv = Start-OpenSslServer -Files $rsaFiles -Arguments '-tls1_2', '-cipher', 'AES128-GCM-SHA256'
        try {
            $r = Invoke-Local -Port $srv.Port
            $r.CipherSuite | Should -Be 'TLS_RSA_WITH_AES_128_GCM_SHA256'
            $r.KeyExchange | Should -Be 'RSA'
            $r.Transcript.Type | Should -Not -Contain 'ServerKeyExchange'
            $r.NamedGroup | Should -BeNullOrEmpty
        } finally { $srv | Stop-TestProcess | Out-Null }
    }

    It 'resumes a TLS 1.2 session with -ResumeSession (Resumed, no Certificate message)' {
        $srv = Start-OpenSslServer -Files $ecFiles -Arguments '-tls1_2'
        try {
            $first = Invoke-Local -Port $srv.Port
            $first.Resumed | Should -BeFalse
            $first.SessionId | Should -Not -BeNullOrEmpty
            $second = Invoke-Local -Port $srv.Port -More @{ ResumeSession = $first }
            $second.Success | Should -BeTrue
            $second.Resumed | Should -BeTrue
            $second.Transcript.Type | Should -Not -Contain 'Certificate'
            Get-TranscriptOrder $second | Should -Be 'Client:ClientHello', 'Server:ServerHello', 'Server:ChangeCipherSpec', 'Server:Finished', 'Client:ChangeCipherSpec', 'Client:Finished'
        } finally { $srv | Stop-TestProcess | Out-Null }
    }

    It 'says plainly that a TLS 1.3 session cannot be resumed (NotImplemented), before connecting' {
        $srv = Start-OpenSslServer -Files $ecFiles -Arguments '-tls1_3'
        try {
            $first = Invoke-Local -Port $srv.Port
            $first.TlsVersion | Should -Be 'Tls13'
            $err = $null
            try { Invoke-TlsHandshake 127.0.0.1 -Port $srv.Port -ResumeSession $first -SkipCertificateCheck -ErrorAction Stop } catch { $err = $_ }
            $err | Should -Not -BeNullOrEmpty
            $err.FullyQualifiedErrorId | Should -BeLike 'Tls13ResumptionUnsupported,*'
            $err.CategoryInfo.Category | Should -Be 'NotImplemented'
            $err.Exception.Message | Should -Match 'cannot be resumed'
        } finally { $srv | Stop-TestProcess | Out-Null }
    }

    It '-KeyLogFile lines equal openssl s_server -keylogfile lines for the same client random (<_>)' -ForEach '-tls1_2', '-tls1_3' {
        $serverLog = Join-Path $TestDrive "server-keylog$_.txt"
        $clientLog = Join-Path $TestDrive "client-keylog$_.txt"
        $srv = Start-OpenSslServer -Files $ecFiles -Arguments $_, '-keylogfile', $serverLog
        try {
            $r = Invoke-Local -Port $srv.Port -More @{ KeyLogFile = $clientLog }
            $random = $r.Transcript[0].Fields['Random']
            $ours = @(Get-Content $clientLog | Where-Object { $_ -match $random })
            $expected = if ($_ -eq '-tls1_3') { 5 } else { 1 }
            $ours.Count | Should -Be $expected
            $theirs = @()
            $deadline = [DateTime]::UtcNow.AddSeconds(30)   # until openssl has written its lines
            while ([DateTime]::UtcNow -lt $deadline) {
                $theirs = @(if (Test-Path $serverLog) { Get-Content $serverLog | Where-Object { $_ -match $random -and -not $_.StartsWith('#') } })
                if ($theirs.Count -ge $expected) { break }
                Start-Sleep -Milliseconds 100
            }
            @($ours | ForEach-Object ToLowerInvariant | Sort-Object) | Should -Be @($theirs | ForEach-Object ToLowerInvariant | Sort-Object)
        } finally { $srv | Stop-TestProcess | Out-Null }
    }
}

Describe 'Invoke-TlsHandshake validation of the server chain' {
    BeforeAll {
        $script:chainSrv = Start-OpenSslServer -Files $ecFiles -Arguments '-cert_chain', $ecFiles.ChainPath
    }
    AfterAll { $chainSrv | Stop-TestProcess | Out-Null }

    It 'with -TrustedRoot the chain from New-CaCertificate is valid for the name asked for' {
        $r = Invoke-TlsHandshake 127.0.0.1 -Port $chainSrv.Port -ServerName www.example.test -TrustedRoot $ec.Root -TimeoutSeconds 30
        $r.Success | Should -BeTrue
        @($r.Certificates).Count | Should -Be 2
        $r.Certificates[1].Thumbprint | Should -Be $ec.Intermediate.Thumbprint
        $r.Validation.IsValid | Should -BeTrue
        @($r.Validation.Chain)[-1].Thumbprint | Should -Be $ec.Root.Thumbprint
        $r.DaysUntilExpiry | Should -Be $ec.Leaf.DaysUntilExpiry
    }

    It 'an IP address host is checked against the IP names of the leaf' {
        $r = Invoke-TlsHandshake 127.0.0.1 -Port $chainSrv.Port -TrustedRoot $ec.Root -TimeoutSeconds 30
        $r.Validation.IsValid | Should -BeTrue
    }

    It 'a wrong <Parameter> gives HostnameMismatch, in the result and not as an error' -ForEach @(
        @{ Parameter = 'ServerName'; Call = @{ HostName = '127.0.0.1'; ServerName = 'www.other.test' } }
        @{ Parameter = 'HostName'; Call = @{ HostName = 'localhost' } }
    ) {
        $r = Invoke-TlsHandshake @Call -Port $chainSrv.Port -TrustedRoot $ec.Root -TimeoutSeconds 30 -ErrorVariable ev
        $r.Success | Should -BeTrue
        $r.Validation.IsValid | Should -BeFalse
        $r.Validation.Failures.Check | Should -Contain 'HostnameMismatch'
        $r.CipherSuite | Should -Not -BeNullOrEmpty
        $ev.Count | Should -Be 0
    }

    It 'without -TrustedRoot the OS store does not know the test root; -SkipCertificateCheck skips validation' {
        $r = Invoke-TlsHandshake 127.0.0.1 -Port $chainSrv.Port -ServerName www.example.test -TimeoutSeconds 30
        $r.Validation.IsValid | Should -BeFalse
        # The server sends leaf and intermediate; the test root is in no OS store.
        @($r.Validation.Failures.Check | Where-Object { $_ -in 'UntrustedRoot', 'MissingIssuer' }).Count | Should -BeGreaterThan 0
        $s = Invoke-TlsHandshake 127.0.0.1 -Port $chainSrv.Port -SkipCertificateCheck -TimeoutSeconds 30
        $s.Validation | Should -BeNullOrEmpty
        $s.DaysUntilExpiry | Should -Be $ec.Leaf.DaysUntilExpiry
    }
}

Describe 'Invoke-TlsHandshake failures, many targets and Ctrl+C' {
    It 'a refused port gives a result with Success false AND a ConnectionError record whose target is the result' {
        $refused = New-RefusedPort   # bound, not listening: no other process can take it meanwhile
        $port = $refused.Port
        try { $r = Invoke-TlsHandshake 127.0.0.1 -Port $port -ErrorAction SilentlyContinue -ErrorVariable ev } finally { $refused.Dispose() }
        $r.Success | Should -BeFalse
        $r.Error | Should -Match 'refused'
        $ev.Count | Should -Be 1
        $ev[0].FullyQualifiedErrorId | Should -BeLike 'ConnectionRefused,*'
        $ev[0].CategoryInfo.Category | Should -Be 'ConnectionError'
        $ev[0].TargetObject.Port | Should -Be $port
    }

    It 'a silent server gives HandshakeTimeout (OperationTimeout) after -TimeoutSeconds' {
        $listener = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0)
        $listener.Start()
        try {
            $r = Invoke-TlsHandshake 127.0.0.1 -Port $listener.LocalEndpoint.Port -TimeoutSeconds 1 -ErrorAction SilentlyContinue -ErrorVariable ev
            $r.Success | Should -BeFalse
            $r.ErrorId | Should -Be 'HandshakeTimeout'
            $ev[0].CategoryInfo.Category | Should -Be 'OperationTimeout'
            $r.Transcript.Type | Should -Be 'ClientHello'
        } finally { $listener.Stop() }
    }

    It 'stops before connecting when a name is unknown (terminating, InvalidArgument)' {
        $err = $null
        try { Invoke-TlsHandshake 127.0.0.1 -Port 1 -CipherSuite TLS_NOT_A_SUITE } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -BeLike 'UnknownCipherSuite,*'
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        Get-ErrorId { Invoke-TlsHandshake 127.0.0.1 -NamedGroup nope } | Should -Be 'UnknownNamedGroup'
        Get-ErrorId { Invoke-TlsHandshake 127.0.0.1 -ClientCertificate $client.WithoutPrivateKey() } | Should -Be 'ClientCertificateHasNoKey'
    }

    It 'a CSV of 20 targets through the pipeline with -ThrottleLimit 5: every result comes back, failures do not stop the others' {
        $srv = Start-OpenSslServer -Files $ecFiles
        $refused = 1..2 | ForEach-Object { New-RefusedPort }
        try {
            $refusedPorts = $refused.Port
            $rows = for ($i = 0; $i -lt 20; $i++) {
                if ($i % 4 -eq 3) { [pscustomobject]@{ HostName = '127.0.0.1'; Port = $refusedPorts[$i % 2] } }
                else { [pscustomobject]@{ HostName = if ($i % 2) { 'localhost' } else { '127.0.0.1' }; Port = $srv.Port } }
            }
            $csv = Join-Path $TestDrive 'hosts.csv'
            $rows | Export-Csv -Path $csv -NoTypeInformation
            $results = Import-Csv $csv | Invoke-TlsHandshake -ThrottleLimit 5 -TimeoutSeconds 60 -SkipCertificateCheck -ErrorAction SilentlyContinue -ErrorVariable ev
            @($results).Count | Should -Be 20
            @($results | Where-Object Success).Count | Should -Be 15
            @($results | Where-Object { -not $_.Success } | Where-Object ErrorId -eq 'ConnectionRefused').Count | Should -Be 5
            $ev.Count | Should -Be 5
            @($results | Where-Object Success | Where-Object Port -ne $srv.Port).Count | Should -Be 0
        } finally { $srv | Stop-TestProcess | Out-Null; $refused | ForEach-Object Dispose }
    }

    It 'accepts host:port strings by value' {
        $srv = Start-OpenSslServer -Files $ecFiles -Arguments '-tls1_2'
        $refused = New-RefusedPort -IPv6
        try {
            $r = "127.0.0.1:$($srv.Port)", "[::1]:$($refused.Port)" | Invoke-TlsHandshake -SkipCertificateCheck -TimeoutSeconds 30 -ErrorAction SilentlyContinue
            $ok = $r | Where-Object Success
            $ok.HostName | Should -Be '127.0.0.1'
            $ok.Port | Should -Be $srv.Port
            ($r | Where-Object { -not $_.Success }).HostName | Should -Be '::1'
        } finally { $srv | Stop-TestProcess | Out-Null; $refused.Dispose() }
    }

    It 'Ctrl+C (Stop) returns control at once, with every target still in its handshake' {
        $listener = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0)
        $listener.Start()
        $accepted = [Collections.Generic.List[Net.Sockets.Socket]]::new()
        $ps = [powershell]::Create()
        try {
            $port = $listener.LocalEndpoint.Port
            $manifest = Join-Path $RepoRoot 'TlsTools.psd1'
            $null = $ps.AddScript("Import-Module '$manifest'; 1..10 | ForEach-Object { '127.0.0.1:$port' } | Invoke-TlsHandshake -ThrottleLimit 5 -TimeoutSeconds 120 -SkipCertificateCheck")
            $async = $ps.BeginInvoke()
            # Ready when all 5 (-ThrottleLimit) handshakes have connected; they wait for a ServerHello that never comes.
            $deadline = [DateTime]::UtcNow.AddSeconds(60)
            while ($accepted.Count -lt 5 -and -not $async.IsCompleted -and [DateTime]::UtcNow -lt $deadline) {
                while ($listener.Pending()) { $accepted.Add($listener.AcceptSocket()) }
                Start-Sleep -Milliseconds 20
            }
            $accepted.Count | Should -Be 5 -Because "the handshakes must have started (state $($ps.InvocationStateInfo.State))"
            $sw = [Diagnostics.Stopwatch]::StartNew()
            $ps.Stop()
            $sw.Stop()
            $async.IsCompleted | Should -BeTrue
            # Stopped, not Completed: the stop ended it, not the 120 s timeout. The bound only guards against a hang.
            $ps.InvocationStateInfo.State | Should -Be 'Stopped'
            $sw.Elapsed.TotalSeconds | Should -BeLessThan 30
        } finally {
            $ps.Dispose()
            $accepted | ForEach-Object Dispose
            $listener.Stop()
        }
    }
}

Describe 'Invoke-TlsHandshake output' {
    BeforeAll {
        $script:viewSrv = Start-OpenSslServer -Files $ecFiles -Arguments '-cert_chain', $ecFiles.ChainPath
        $script:viewResult = Invoke-TlsHandshake 127.0.0.1 -Port $viewSrv.Port -ServerName www.example.test -TrustedRoot $ec.Root -TimeoutSeconds 30
        $refused = New-RefusedPort
        try { $script:failed = Invoke-TlsHandshake 127.0.0.1 -Port $refused.Port -ErrorAction SilentlyContinue } finally { $refused.Dispose() }
    }
    AfterAll { $viewSrv | Stop-TestProcess | Out-Null }

    # Issue 15 changed the contract: the verdict (or the error) is one Result column, read at 80 columns too.
    It 'the table is read at <_> columns and shows the validation verdict' -ForEach 80, 120 {
        $text = $viewResult, $failed | Format-Table | Out-String -Width $_
        $lines = $text -split "`r?`n"
        ($lines | Measure-Object -Property Length -Maximum).Maximum | Should -BeLessOrEqual $_
        $header = $lines | Where-Object { $_ -match 'HostName' } | Select-Object -First 1
        foreach ($col in 'HostName', 'Port', 'Version', 'Days', 'Result', 'CipherSuite') { $header | Should -Match $col }
        $text | Should -Match '\svalid\s'
        $text | Should -Match 'ConnectionRefused'
    }

    It 'the Result column names the failed checks of a chain that does not validate' {
        $wrong = Invoke-TlsHandshake 127.0.0.1 -Port $viewSrv.Port -ServerName nope.example.test -TrustedRoot $ec.Root -TimeoutSeconds 30
        ($wrong | Out-String -Width 80) | Should -Match 'HostnameMismatch'
    }

    It 'the list view shows validation, timings and the transcript' {
        $text = $viewResult | Format-List | Out-String -Width 120
        $text | Should -Match 'Validation\s+: valid'
        $text | Should -Match 'HandshakeMs'
        $text | Should -Match 'C:ClientHello'
    }

    It 'the transcript table shows Sender, Type, Length, Offset and Explanation' {
        $text = $viewResult.Transcript | Format-Table | Out-String -Width 120
        $text | Should -Match 'Sender\s+Type\s+Length\s+Offset\s+Explanation'
        (($text -split "`r?`n") | Measure-Object -Property Length -Maximum).Maximum | Should -BeLessOrEqual 120
    }

    It 'converts to JSON without cycles' {
        { $viewResult | ConvertTo-Json -Depth 8 -WarningAction SilentlyContinue } | Should -Not -Throw
    }

    # Issue 16: the transcript is decoded when first read; each way of showing a result is the first reader here.
    It 'a result whose transcript nobody read yet shows it through <_>' -ForEach 'Format-List', 'ConvertTo-Json', 'Export-Clixml' {
        $fresh = Invoke-TlsHandshake 127.0.0.1 -Port $viewSrv.Port -SkipCertificateCheck -TimeoutSeconds 30
        switch ($_) {
            'Format-List' { ($fresh | Format-List | Out-String -Width 120) | Should -Match 'C:ClientHello' }
            'ConvertTo-Json' {
                $json = $fresh | ConvertTo-Json -Depth 4 -WarningAction SilentlyContinue | ConvertFrom-Json
                $json.Transcript.Count | Should -BeGreaterThan 5
                $json.Transcript[0].Explanation | Should -Match '^Client Hello: '
            }
            'Export-Clixml' {
                $path = Join-Path $TestDrive 'fresh.clixml'
                $fresh | Export-Clixml -LiteralPath $path -Depth 4
                $back = Import-Clixml -LiteralPath $path
                $back.Transcript.Count | Should -Be $fresh.Transcript.Count
                $back.Transcript[0].Explanation | Should -Match '^Client Hello: '
            }
        }
        $again = $fresh.Transcript
        $again.Count | Should -BeGreaterThan 5
        [object]::ReferenceEquals($again, $fresh.Transcript) | Should -BeTrue
    }

    It 're-runs from an earlier result piped in (HostName and Port by property name)' {
        $again = $viewResult | Invoke-TlsHandshake -SkipCertificateCheck -TimeoutSeconds 30
        $again.Port | Should -Be $viewResult.Port
        $again.Success | Should -BeTrue
    }

    It 'completes <Parameter> values' -ForEach @(
        @{ Parameter = 'CipherSuite'; Word = 'TLS_AES_1'; Expected = 'TLS_AES_128_GCM_SHA256' }
        @{ Parameter = 'NamedGroup'; Word = 'secp3'; Expected = 'secp384r1' }
        @{ Parameter = 'SignatureAlgorithm'; Word = 'rsa_pss_rsae'; Expected = 'rsa_pss_rsae_sha256' }
        @{ Parameter = 'CipherSuite'; Word = 'TLS_ECDHE_RSA_WITH_AES_128_G'; Expected = 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256' }
        @{ Parameter = 'NamedGroup'; Word = 'x2'; Expected = 'x25519' }
        @{ Parameter = 'NamedGroup'; Word = 'X25519ML'; Expected = 'X25519MLKEM768' }
        @{ Parameter = 'SignatureAlgorithm'; Word = 'ecdsa_secp2'; Expected = 'ecdsa_secp256r1_sha256' }
        @{ Parameter = 'TlsVersion'; Word = 'Tls1'; Expected = 'Tls13' }
        @{ Parameter = 'Alpn'; Word = 'ht'; Expected = "'http/1.1'" }
    ) {
        $line = "Invoke-TlsHandshake -$Parameter $Word"
        $c = TabExpansion2 -inputScript $line -cursorColumn $line.Length
        $c.CompletionMatches.CompletionText | Should -Contain $Expected
    }
}

Describe 'Invoke-TlsHandshake target forms and the SNI rule' {
    BeforeAll {
        # The default certificate is the EC leaf; the one for SNI 'localhost' is the sni.test leaf ($sniFiles).
        $script:sniSrv = Start-OpenSslServer -Files $ecFiles -Arguments '-servername', 'localhost', '-cert2', $sniFiles.CertPath, '-key2', $sniFiles.KeyPath

        function Test-SniSent($Result) {
            <# Whether the ClientHello as sent carried a server_name extension. #>
            $hello = $Result.Transcript | Where-Object { $_.Sender -eq 'Client' -and $_.Type -eq 'ClientHello' } | Select-Object -First 1
            $hello.Fields['Extensions'].Contains('server_name')
        }
    }
    AfterAll { $sniSrv | Stop-TestProcess | Out-Null }

    It 'sends SNI localhost for "localhost:<port>": the server answers with its SNI certificate' {
        $r = Invoke-TlsHandshake "localhost:$($sniSrv.Port)" -SkipCertificateCheck -TimeoutSeconds 30 -ErrorAction Stop
        $r.ServerName | Should -Be 'localhost'
        Test-SniSent $r | Should -BeTrue
        $r.Certificates[0].Thumbprint | Should -Be $sni.Thumbprint
    }

    It '-ServerName '''' sends no SNI: no server_name extension, and the server answers with its default certificate' {
        $r = Invoke-TlsHandshake "localhost:$($sniSrv.Port)" -ServerName '' -SkipCertificateCheck -TimeoutSeconds 30 -ErrorAction Stop
        $r.Success | Should -BeTrue
        $r.ServerName | Should -BeNullOrEmpty
        Test-SniSent $r | Should -BeFalse
        $r.Certificates[0].Thumbprint | Should -Be $ec.Leaf.Thumbprint
    }

    It 'a ServerName column from Import-Csv is bound by property name (a blank cell sends no SNI)' {
        $csv = "HostName,Port,ServerName`nlocalhost,$($sniSrv.Port),`n127.0.0.1,$($sniSrv.Port),localhost"
        $r = @($csv | ConvertFrom-Csv | Invoke-TlsHandshake -SkipCertificateCheck -ThrottleLimit 1 -TimeoutSeconds 30 -ErrorAction Stop)
        $r | Should -HaveCount 2
        $blank = $r | Where-Object HostName -eq 'localhost'
        $blank.ServerName | Should -BeNullOrEmpty
        $blank.Certificates[0].Thumbprint | Should -Be $ec.Leaf.Thumbprint
        $named = $r | Where-Object HostName -eq '127.0.0.1'
        $named.ServerName | Should -Be 'localhost'
        $named.Certificates[0].Thumbprint | Should -Be $sni.Thumbprint
    }

    It 'accepts https://localhost:<port>/ and "[::1]:<port>" (a peer listening on ::1 only)' {
        $r = Invoke-TlsHandshake "https://localhost:$($sniSrv.Port)/" -SkipCertificateCheck -TimeoutSeconds 30 -ErrorAction Stop
        $r.HostName | Should -Be 'localhost'
        $r.Port | Should -Be $sniSrv.Port
        $r.ServerName | Should -Be 'localhost'

        # This peer listens on ::1 only, on a port the kernel chose (reported by openssl itself).
        $v6 = Start-OpenSslServer -Files $ecFiles -Address '::1'
        $v6Port = $v6.Port
        try {
            $r6 = Invoke-TlsHandshake "[::1]:$v6Port" -SkipCertificateCheck -TimeoutSeconds 30 -ErrorAction Stop
            $r6.Success | Should -BeTrue
            $r6.HostName | Should -Be '::1'
            $r6.IPAddress | Should -Be '::1'
            $r6.Port | Should -Be $v6Port
            $r6.ServerName | Should -BeNullOrEmpty
            Test-SniSent $r6 | Should -BeFalse
        } finally { $v6 | Stop-TestProcess | Out-Null }
    }

    It 'uses -Port only when the target has none; a different one is PortConflict; malformed targets are one error each' {
        $r = Invoke-TlsHandshake localhost -Port $sniSrv.Port -SkipCertificateCheck -TimeoutSeconds 30 -ErrorAction Stop
        $r.Port | Should -Be $sniSrv.Port
        $same = Invoke-TlsHandshake "127.0.0.1:$($sniSrv.Port)" -Port $sniSrv.Port -SkipCertificateCheck -TimeoutSeconds 30 -ErrorAction Stop
        $same.Success | Should -BeTrue
        Get-ErrorId { Invoke-TlsHandshake "127.0.0.1:$($sniSrv.Port)" -Port 1 } | Should -Be 'PortConflict'
        $ok = 'http://localhost/', 'localhost:99999', "127.0.0.1:$($sniSrv.Port)" |
            Invoke-TlsHandshake -SkipCertificateCheck -TimeoutSeconds 30 -ErrorAction SilentlyContinue -ErrorVariable errs
        @($ok).Count | Should -Be 1
        $ok.Success | Should -BeTrue
        @($errs | ForEach-Object { $_.FullyQualifiedErrorId.Split(',')[0] }) | Should -Be 'InvalidTarget', 'InvalidPort'
    }
}

Describe 'Invoke-TlsHandshake CSV binding, early checks, non-TLS ports and progress (issue 15)' {
    BeforeAll {
        . $PSScriptRoot/PlainText.common.ps1
        $script:srv15 = Start-OpenSslServer -Files $ecFiles
        function Invoke-Csv([string] $Text) {
            $Text | ConvertFrom-Csv | Invoke-TlsHandshake -ServerName www.example.test -TrustedRoot $ec.Root -TimeoutSeconds 30 -ErrorAction SilentlyContinue -ErrorVariable script:csvErrors
        }
    }
    AfterAll { $srv15 | Stop-TestProcess | Out-Null }

    It 'Port=abc in a CSV is an error naming Port and the text, not a silent 443' {
        $r = Invoke-Csv "HostName,Port`n127.0.0.1,abc"
        $r | Should -BeNullOrEmpty
        $csvErrors.Count | Should -Be 1
        $csvErrors[0].Exception.Message | Should -Match "Port.*'abc' is not a port number"
    }

    It "an empty Port cell means the default port, and the row keeps its host" {
        $r = Invoke-Csv "HostName,Port`n127.0.0.1:$($srv15.Port),`n127.0.0.1,$($srv15.Port)"
        @($r).Count | Should -Be 2
        @($r | Where-Object Success).Count | Should -Be 2
        $r.Port | Should -Be @($srv15.Port, $srv15.Port)
    }

    It 'a Url column binds as the target' {
        $r = Invoke-Csv "Url`nhttps://127.0.0.1:$($srv15.Port)/status"
        $r.Success | Should -BeTrue
        $r.Port | Should -Be $srv15.Port
    }

    It 'port <_> is InvalidPort whose TargetObject is the port given' -ForEach 0, 70000 {
        $r = Invoke-Csv "HostName,Port`n127.0.0.1,$_"
        $r | Should -BeNullOrEmpty
        $csvErrors[0].FullyQualifiedErrorId | Should -BeLike 'InvalidPort,*'
        $csvErrors[0].TargetObject | Should -Be $_
    }

    It "-Alpn '' fails before connecting" {
        $listener = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0)
        $listener.Start()
        try {
            Get-ErrorId { Invoke-TlsHandshake 127.0.0.1 -Port $listener.LocalEndpoint.Port -Alpn '' } | Should -Be 'ParameterArgumentValidationError'
            $listener.Pending() | Should -BeFalse   # nothing connected
        } finally { $listener.Stop() }
    }

    It 'a port that does not speak TLS gives NotTls (ProtocolError) in our words' {
        $plain = Start-PlainTextPeer
        try {
            $r = Invoke-TlsHandshake 127.0.0.1 -Port $plain.Port -TimeoutSeconds 30 -ErrorAction SilentlyContinue -ErrorVariable ev
        } finally { $plain | Stop-TestProcess | Out-Null }
        $r.Success | Should -BeFalse
        $r.ErrorId | Should -Be 'NotTls'
        $ev[0].FullyQualifiedErrorId | Should -BeLike 'NotTls,*'
        $ev[0].CategoryInfo.Category | Should -Be 'ProtocolError'
        $r.Error | Should -Match '^The server at 127\.0\.0\.1:\d+ does not speak TLS'
    }

    It 'shows Write-Progress while many targets run' {
        $listener = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0)   # accepts, never answers: each target waits out its timeout
        $listener.Start()
        $ps = [PowerShell]::Create()
        try {
            $null = $ps.AddScript("Import-Module '$(Join-Path $RepoRoot 'TlsTools.psd1')'; 1..4 | ForEach-Object { '127.0.0.1:$($listener.LocalEndpoint.Port)' } |
                Invoke-TlsHandshake -TimeoutSeconds 2 -ThrottleLimit 2 -ErrorAction SilentlyContinue")
            $results = $ps.Invoke()
            $progress = @($ps.Streams.Progress | Where-Object Activity -eq 'TLS handshakes')
        } finally { $ps.Dispose(); $listener.Stop() }
        @($results).Count | Should -Be 4
        $progress.Count | Should -BeGreaterThan 0
        $progress[0].StatusDescription | Should -Match '^\d+ of \d+ done$'
        $progress[-1].RecordType | Should -Be 'Completed'
    }
}
