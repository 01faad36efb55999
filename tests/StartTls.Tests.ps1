# STARTTLS offline: against Start-TlsServer -StartTls Smtp|Imap|Pop3, and error cases against tiny scripted TCP servers on
# 127.0.0.1 (a runspace that plays one conversation per connection). The real servers are in StartTls.RealServers.Tests.ps1.

BeforeAll {
    . $PSScriptRoot/common.ps1
    $script:chain = New-TestChain -Algorithm EcdsaP256 -Name 'StartTls'

    function script:Start-ScriptedServer {
        <#
        A TCP server on 127.0.0.1 that plays $Steps to each connection (at most $Connections, one at a time), then closes it:
        'S:text' sends text + CRLF, 'X:hex' sends raw bytes, 'R' reads a line, 'RB:n' reads n bytes, 'W:ms' waits. Every read
        and the whole server are bounded (10 s per connection); Stop it with .Stop().
        #>
        param([string[]] $Steps, [int] $Connections = 1)
        $listener = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0)
        $listener.Start()
        $ps = [powershell]::Create()
        $null = $ps.AddScript({
            param($listener, $steps, $connections)
            for ($i = 0; $i -lt $connections; $i++) {
                $client = $listener.AcceptTcpClient()
                try {
                    $client.ReceiveTimeout = 10000
                    $stream = $client.GetStream()
                    foreach ($step in $steps) {
                        $kind, $arg = $step -split ':', 2
                        switch ($kind) {
                            'S' { $b = [Text.Encoding]::ASCII.GetBytes($arg + "`r`n"); $stream.Write($b, 0, $b.Length) }
                            'X' { $b = [Convert]::FromHexString($arg); $stream.Write($b, 0, $b.Length) }
                            'R' { $c = 0; while ($c -ne 10) { $c = $stream.ReadByte(); if ($c -lt 0) { break } } }
                            'RB' { $buf = [byte[]]::new([int]$arg); $n = 0; while ($n -lt $buf.Length) { $k = $stream.Read($buf, $n, $buf.Length - $n); if ($k -le 0) { break }; $n += $k } }
                            'W' { Start-Sleep -Milliseconds ([int]$arg) }
                        }
                    }
                    Start-Sleep -Milliseconds 200
                } catch { } finally { $client.Dispose() }
            }
        }).AddArgument($listener).AddArgument($Steps).AddArgument($Connections)
        $handle = $ps.BeginInvoke()
        $server = [pscustomobject]@{ Port = $listener.LocalEndpoint.Port; Listener = $listener; PowerShell = $ps; Handle = $handle }
        $server | Add-Member -MemberType ScriptMethod -Name Stop -Value { $this.Listener.Stop(); $null = $this.Handle.AsyncWaitHandle.WaitOne(5000); $this.PowerShell.Dispose() } -PassThru
    }

    function script:Invoke-Scripted {
        <# One handshake against a scripted server; returns the result (the error, if any, in .ErrorId/.Error). #>
        param([string[]] $Steps, [string] $StartTls, [int] $TimeoutSeconds = 10)
        $s = Start-ScriptedServer -Steps $Steps
        try {
            Invoke-TlsHandshake -HostName 127.0.0.1 -Port $s.Port -ServerName mail.example.test -StartTls $StartTls -SkipCertificateCheck -TimeoutSeconds $TimeoutSeconds -ErrorAction SilentlyContinue
        } finally { $s.Stop() }
    }
}

AfterAll { Stop-TlsServer -All }

Describe 'STARTTLS against Start-TlsServer -StartTls' {
    It '<Protocol>: the handshake completes after the preamble, which comes first in the transcript, ladder and Mermaid diagram' -ForEach @(
        @{ Protocol = 'Smtp'; Said = '220 2.0.0 Ready to start TLS' }
        @{ Protocol = 'Imap'; Said = 'A2 OK Begin TLS negotiation now' }
        @{ Protocol = 'Pop3'; Said = '+OK Begin TLS negotiation' }
    ) {
        $server = Start-TlsServer -Certificate $chain.Leaf -Chain $chain.Intermediate -StartTls $Protocol
        try {
            $r = Invoke-TlsHandshake -HostName 127.0.0.1 -Port $server.Port -ServerName www.example.test -StartTls $Protocol -TrustedRoot $chain.Root -TimeoutSeconds 30
            $r.Success | Should -BeTrue
            $r.Validation.IsValid | Should -BeTrue
            $r.StartTls | Should -Be $Protocol
            $r.StartTlsMilliseconds | Should -BeGreaterThan 0
            $pre = @($r.Transcript | Where-Object Type -eq StartTls)
            $pre.Count | Should -BeGreaterOrEqual 3
            $r.Transcript[$pre.Count].Type | Should -Be 'ClientHello'
            $pre[0].Sender | Should -Be 'Server'
            $pre[-1].Fields['Text'] | Should -Be $Said
            $pre[-1].Fields['Protocol'] | Should -Be $Protocol
            foreach ($m in $pre) { $m.Length | Should -Be $m.RawData.Length; $m.Explanation | Should -Not -BeNullOrEmpty }
            $ladder = $r | ConvertTo-TlsDiagram
            $ladder | Should -Match ([regex]::Escape($Said))
            ($ladder -split "`n" | Select-String -Pattern 'StartTls' | Select-Object -First 1).LineNumber |
                Should -BeLessThan ($ladder -split "`n" | Select-String -Pattern 'ClientHello').LineNumber
            ($r | ConvertTo-TlsDiagram -Format Mermaid) | Should -Match 'S->>C: StartTls: '
        } finally { $server | Stop-TlsServer }
    }

    It 'without -StartTls the same server fails the plain TLS handshake, and the server records why' {
        $server = Start-TlsServer -Certificate $chain.Leaf -StartTls Smtp
        try {
            $r = Invoke-TlsHandshake -HostName 127.0.0.1 -Port $server.Port -SkipCertificateCheck -TimeoutSeconds 10 -ErrorAction SilentlyContinue
            $r.Success | Should -BeFalse
            $r.StartTls | Should -Be 'None'
        } finally { $server | Stop-TlsServer }
    }

    It 'Get-TlsServerProfile speaks the preamble on every probe and says which protocol it used' {
        $server = Start-TlsServer -Certificate $chain.Leaf -Chain $chain.Intermediate -StartTls Imap
        try {
            $p = Get-TlsServerProfile -HostName 127.0.0.1 -Port $server.Port -ServerName www.example.test -StartTls Imap -TimeoutSeconds 15
            $p.StartTls | Should -Be 'Imap'
            $p.TlsVersions | Should -Contain 'Tls13'
            $p.TlsVersions | Should -Contain 'Tls12'
            $p.Errors | Should -BeNullOrEmpty
            @($p.CipherSuites).Count | Should -BeGreaterThan 3
            $p.ProbeCount | Should -BeGreaterThan 20
        } finally { $server | Stop-TlsServer }
    }

    It 'takes -StartTls by property name from CSV rows, an empty cell meaning "as the port implies"' {
        $smtp = Start-TlsServer -Certificate $chain.Leaf -StartTls Smtp
        $plain = Start-TlsServer -Certificate $chain.Leaf
        try {
            $csv = Join-Path $TestDrive 'targets.csv'
            @("HostName,Port,StartTls", "127.0.0.1,$($smtp.Port),Smtp", "127.0.0.1,$($plain.Port),", "127.0.0.1,$($plain.Port),None") | Set-Content $csv
            $r = @(Import-Csv $csv | Invoke-TlsHandshake -SkipCertificateCheck -TimeoutSeconds 20 | Sort-Object { $_.StartTls })
            $r.Count | Should -Be 3
            @($r | Where-Object Success).Count | Should -Be 3
            @($r.StartTls) | Should -Be @('None', 'None', 'Smtp')
        } finally { $smtp, $plain | Stop-TlsServer }
    }

    It 'Start-TlsServer takes only Smtp, Imap or Pop3' {
        { Start-TlsServer -Certificate $chain.Leaf -StartTls Ldap } | Should -Throw -ErrorId 'ParameterArgumentValidationError,TlsTools.PowerShell.Commands.StartTlsServerCommand'
    }
}

Describe 'STARTTLS: well-known ports' {
    It 'port <Port> implies <Protocol> unless -StartTls says otherwise' -ForEach @(
        @{ Port = 25; Protocol = 'Smtp' }, @{ Port = 587; Protocol = 'Smtp' }, @{ Port = 24; Protocol = 'Lmtp' }, @{ Port = 143; Protocol = 'Imap' },
        @{ Port = 110; Protocol = 'Pop3' }, @{ Port = 4190; Protocol = 'Sieve' }, @{ Port = 21; Protocol = 'Ftp' }, @{ Port = 389; Protocol = 'Ldap' },
        @{ Port = 5432; Protocol = 'Postgres' }, @{ Port = 3306; Protocol = 'Mysql' }, @{ Port = 5222; Protocol = 'Xmpp' },
        @{ Port = 5269; Protocol = 'XmppServer' }, @{ Port = 119; Protocol = 'Nntp' }, @{ Port = 6667; Protocol = 'Irc' },
        @{ Port = 465; Protocol = 'None' }, @{ Port = 993; Protocol = 'None' }, @{ Port = 995; Protocol = 'None' }, @{ Port = 636; Protocol = 'None' },
        @{ Port = 990; Protocol = 'None' }, @{ Port = 5223; Protocol = 'None' }, @{ Port = 443; Protocol = 'None' }
    ) {
        [TlsTools.Net.TlsTarget]::Parse("mail.example.test:$Port").StartTls | Should -Be $Protocol
        [TlsTools.Net.TlsTarget]::Parse("mail.example.test:$Port", $null, $null, 'None').StartTls | Should -Be 'None'
        [TlsTools.Net.TlsTarget]::Parse("mail.example.test:$Port", $null, $null, 'Xmpp').StartTls | Should -Be 'Xmpp'
    }

    It 'Invoke-TlsHandshake reports the protocol the port implied, and -StartTls None turns it off' {
        $r = Invoke-TlsHandshake -HostName 127.0.0.1 -Port 5432 -TimeoutSeconds 3 -ErrorAction SilentlyContinue
        $r.StartTls | Should -Be 'Postgres'
        $r = Invoke-TlsHandshake -HostName 127.0.0.1 -Port 5432 -StartTls None -TimeoutSeconds 3 -ErrorAction SilentlyContinue
        $r.StartTls | Should -Be 'None'
    }
}

Describe 'STARTTLS errors quote the server, bounded in bytes and time' {
    It '<Case>: <ErrorId>' -ForEach @(
        @{ Case = 'SMTP without STARTTLS in EHLO'; StartTls = 'Smtp'; ErrorId = 'StartTlsNotOffered'; Quote = '250 SIZE 1000'
           Steps = 'S:220 mx.example.test ESMTP', 'R', 'S:250-mx.example.test', 'S:250 SIZE 1000' }
        @{ Case = 'SMTP refusing STARTTLS'; StartTls = 'Smtp'; ErrorId = 'StartTlsRefused'; Quote = '454 4.7.0 TLS not available'
           Steps = 'S:220 mx.example.test ESMTP', 'R', 'S:250-mx.example.test', 'S:250 STARTTLS', 'R', 'S:454 4.7.0 TLS not available' }
        @{ Case = 'SMTP greeting out of protocol'; StartTls = 'Smtp'; ErrorId = 'StartTlsProtocolError'; Quote = 'SSH-2.0-OpenSSH_9.2'
           Steps = 'S:SSH-2.0-OpenSSH_9.2' }
        @{ Case = 'SMTP server sending data after 220 (command injection)'; StartTls = 'Smtp'; ErrorId = 'StartTlsProtocolError'; Quote = 'after agreeing'
           Steps = 'S:220 mx', 'R', 'S:250 STARTTLS', 'R', 'X:3232302052656164790d0a323530206f6b0d0a' }
        @{ Case = 'SMTP server closing after the greeting'; StartTls = 'Smtp'; ErrorId = 'StartTlsProtocolError'; Quote = 'closed the connection'
           Steps = 'S:220 mx', 'R' }
        @{ Case = 'SMTP line over 8 KiB'; StartTls = 'Smtp'; ErrorId = 'StartTlsProtocolError'; Quote = 'longer than 8192'
           Steps = @('S:220 ' + ('x' * 9000)) }
        @{ Case = 'IMAP refusing STARTTLS'; StartTls = 'Imap'; ErrorId = 'StartTlsRefused'; Quote = 'A2 NO not now'
           Steps = 'S:* OK [CAPABILITY IMAP4rev1 STARTTLS] ready', 'R', 'S:A2 NO not now' }
        @{ Case = 'IMAP without STARTTLS'; StartTls = 'Imap'; ErrorId = 'StartTlsNotOffered'; Quote = 'IMAP4rev1 AUTH=PLAIN'
           Steps = 'S:* OK ready', 'R', 'S:* CAPABILITY IMAP4rev1 AUTH=PLAIN', 'S:A1 OK done' }
        @{ Case = 'POP3 without STLS'; StartTls = 'Pop3'; ErrorId = 'StartTlsNotOffered'; Quote = 'USER'
           Steps = 'S:+OK ready', 'R', 'S:+OK', 'S:USER', 'S:.' }
        @{ Case = 'FTP without AUTH TLS'; StartTls = 'Ftp'; ErrorId = 'StartTlsNotOffered'; Quote = '502 Command not implemented'
           Steps = 'S:220-Welcome', 'S:220 ready', 'R', 'S:502 Command not implemented' }
        @{ Case = 'NNTP refusing STARTTLS'; StartTls = 'Nntp'; ErrorId = 'StartTlsRefused'; Quote = '580 Can not initiate TLS'
           Steps = 'S:200 news ready', 'R', 'S:101 Capability list:', 'S:VERSION 2', 'S:STARTTLS', 'S:.', 'R', 'S:580 Can not initiate TLS' }
        @{ Case = 'IRC without STARTTLS'; StartTls = 'Irc'; ErrorId = 'StartTlsNotOffered'; Quote = '421'
           Steps = 'R', 'S::irc.example.test NOTICE * :*** Looking up your hostname', 'S::irc.example.test 421 * STARTTLS :Unknown command' }
        @{ Case = 'ManageSieve without STARTTLS'; StartTls = 'Sieve'; ErrorId = 'StartTlsNotOffered'; Quote = '"SASL" "PLAIN"'
           Steps = 'S:"IMPLEMENTATION" "x"', 'S:"SASL" "PLAIN"', 'S:OK "ready"' }
        @{ Case = 'PostgreSQL with ssl = off'; StartTls = 'Postgres'; ErrorId = 'StartTlsNotOffered'; Quote = "'N'"
           Steps = 'RB:8', 'X:4e' }
        @{ Case = 'MySQL without CLIENT_SSL'; StartTls = 'Mysql'; ErrorId = 'StartTlsNotOffered'; Quote = 'server 5.7.0'
           Steps = @('X:330000000a352e372e300001000000414243444546474800fff7080200ff81150000000000000000000031323334353637383930414200') }
        @{ Case = 'MySQL refusing the host'; StartTls = 'Mysql'; ErrorId = 'StartTlsRefused'; Quote = 'is not allowed'
           Steps = @('X:21000000ff6a04486f7374202731302e302e302e3127206973206e6f7420616c6c6f776564') }
        @{ Case = 'LDAP without StartTLS'; StartTls = 'Ldap'; ErrorId = 'StartTlsNotOffered'; Quote = 'resultCode 2'
           Steps = 'RB:31', 'X:300c02010178070a010204000400' }
        @{ Case = 'XMPP without starttls'; StartTls = 'Xmpp'; ErrorId = 'StartTlsNotOffered'; Quote = 'mechanisms'
           Steps = 'W:300', "S:<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' version='1.0'><stream:features><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/></stream:features>" }
    ) {
        $r = Invoke-Scripted -Steps $Steps -StartTls $StartTls
        $r.Success | Should -BeFalse
        $r.ErrorId | Should -Be $ErrorId
        $r.ErrorKind | Should -Be 'ProtocolError'
        $r.Error | Should -BeLike "*$Quote*"
        $r.Error.Length | Should -BeLessThan 800
        @($r.Transcript | Where-Object Type -ne StartTls) | Should -BeNullOrEmpty
    }

    It 'the error reaches the pipeline as an ErrorRecord with its ErrorId and category' {
        $s = Start-ScriptedServer -Steps 'S:220 mx', 'R', 'S:250 SIZE 1'
        try {
            $null = Invoke-TlsHandshake -HostName 127.0.0.1 -Port $s.Port -StartTls Smtp -TimeoutSeconds 10 -ErrorVariable ev -ErrorAction SilentlyContinue
        } finally { $s.Stop() }
        $ev[0].FullyQualifiedErrorId | Should -BeLike 'StartTlsNotOffered,*'
        $ev[0].CategoryInfo.Category | Should -Be 'ProtocolError'
    }

    It 'Get-TlsServerProfile ends with the preamble error of its first probe' {
        $s = Start-ScriptedServer -Steps 'S:+OK ready', 'R', 'S:-ERR no', 'R', 'S:-ERR no' -Connections 3
        try {
            Get-ErrorId { Get-TlsServerProfile -HostName 127.0.0.1 -Port $s.Port -StartTls Pop3 -TimeoutSeconds 5 } | Should -Be 'StartTlsNotOffered'
        } finally { $s.Stop() }
    }

    It 'a server that greets and then says nothing is a HandshakeTimeout within -TimeoutSeconds' {
        $s = Start-ScriptedServer -Steps 'S:220 mx', 'R', 'W:8000'
        try {
            $t = [Diagnostics.Stopwatch]::StartNew()
            $r = Invoke-TlsHandshake -HostName 127.0.0.1 -Port $s.Port -StartTls Smtp -TimeoutSeconds 2 -ErrorAction SilentlyContinue
            $t.Elapsed.TotalSeconds | Should -BeLessThan 6
        } finally { $s.Stop() }
        $r.ErrorId | Should -Be 'HandshakeTimeout'
        $r.Error | Should -BeLike '*STARTTLS (Smtp) preamble*'
        @($r.Transcript | Where-Object Type -eq StartTls).Count | Should -Be 2
    }
}
