BeforeAll {
    . $PSScriptRoot/common.ps1
    . $PSScriptRoot/Tls.common.ps1
    $cert = New-Certificate -SelfSigned -DnsName localhost -IpAddress 127.0.0.1
    $script:server = Start-TlsServer -Certificate $cert -Alpn http/1.1   # h2 is refused since issue 15 (the server answers in HTTP/1.1)
    $script:r13 = Invoke-TlsHandshake 127.0.0.1 -Port $server.Port -TlsVersion Tls13 -Alpn http/1.1 -ServerName localhost -SkipCertificateCheck -TimeoutSeconds 30
    $script:r12 = Invoke-TlsHandshake 127.0.0.1 -Port $server.Port -TlsVersion Tls12 -SkipCertificateCheck -TimeoutSeconds 30
}

AfterAll { $server | Stop-TlsServer }

Describe 'ConvertTo-TlsDiagram' {
    # Issue 15: the default width is 80; the summaries' details are checked at -Width 120, where they are not cut.
    It 'draws a TLS 1.3 ladder: header, one arrow per message in order, client left, server right' {
        ($r13 | ConvertTo-TlsDiagram) -split "`n" | ForEach-Object { $_.Length | Should -BeLessOrEqual 80 }
        $text = $r13 | ConvertTo-TlsDiagram -Width 120
        $text | Should -BeOfType [string]
        $lines = $text -split "`n"
        $lines[0] | Should -Match '^\s+ms\s+Client\s+Server$'
        $arrows = $lines | Where-Object { $_ -match '\|' }
        $arrows.Count | Should -Be $r13.Transcript.Count
        for ($i = 0; $i -lt $arrows.Count; $i++) {
            $m = $r13.Transcript[$i]
            $arrows[$i] | Should -Match ([regex]::Escape($m.Label))
            if ($m.Sender -eq 'Client') { $arrows[$i] | Should -Match '\|-- .*->\|' } else { $arrows[$i] | Should -Match '\|<-.* --\|' }
        }
        # TLS 1.3 encrypts everything after ServerHello.
        ($arrows | Where-Object { $_ -match 'EncryptedExtensions' }) | Should -Match '\*EncryptedExtensions'
        ($arrows | Where-Object { $_ -match 'ServerHello' }) | Should -Not -Match '\*ServerHello'
        $text | Should -Match 'SNI localhost'
        $text | Should -Match 'ALPN http/1.1'
        ($lines | Measure-Object -Property Length -Maximum).Maximum | Should -BeLessOrEqual 120
    }

    It 'marks TLS 1.2 messages encrypted only after each side''s ChangeCipherSpec' {
        $lines = ($r12 | ConvertTo-TlsDiagram) -split "`n"
        ($lines | Where-Object { $_ -match 'ClientKeyExchange' }) | Should -Not -Match '\*ClientKeyExchange'
        @($lines | Where-Object { $_ -match '\*Finished' }).Count | Should -Be 2
        @($lines | Where-Object { $_ -match 'ChangeCipherSpec' }).Count | Should -Be 2
    }

    It 'keeps lines within -Width' {
        $lines = ($r12 | ConvertTo-TlsDiagram -Width 72) -split "`n"
        ($lines | Measure-Object -Property Length -Maximum).Maximum | Should -BeLessOrEqual 72
    }

    It 'writes a Mermaid sequence diagram with one message line per transcript message' {
        $text = $r13 | ConvertTo-TlsDiagram -Format Mermaid
        $lines = $text -split "`n"
        $lines[0] | Should -Be 'sequenceDiagram'
        $lines[1] | Should -Match 'participant C as Client'
        $messages = $lines | Where-Object { $_ -match '->>' }
        $messages.Count | Should -Be $r13.Transcript.Count
        $messages[0] | Should -Match '^\s+C->>S: ClientHello'
        $messages[1] | Should -Match '^\s+S->>C: ServerHello'
        $text | Should -Not -Match ';'
    }

    It 'messages piped one by one make one diagram, the same as from the result' {
        $fromMessages = @($r12.Transcript | ConvertTo-TlsDiagram)
        $fromMessages.Count | Should -Be 1
        $fromMessages[0] | Should -Be ($r12 | ConvertTo-TlsDiagram)
        ConvertTo-TlsDiagram -Transcript $r12.Transcript -Format Mermaid | Should -Be ($r12 | ConvertTo-TlsDiagram -Format Mermaid)
    }

    It 'writes one diagram per result' {
        @($r13, $r12 | ConvertTo-TlsDiagram).Count | Should -Be 2
    }

    It 'a result without transcript is EmptyTranscript (InvalidData), and others still draw' {
        $refused = New-RefusedPort
        try { $failed = Invoke-TlsHandshake 127.0.0.1 -Port $refused.Port -ErrorAction SilentlyContinue } finally { $refused.Dispose() }
        $err = $null
        $out = $failed, $r12 | ConvertTo-TlsDiagram -ErrorAction SilentlyContinue -ErrorVariable err
        @($out).Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'EmptyTranscript,*'
        $err[0].CategoryInfo.Category | Should -Be 'InvalidData'
    }
}
