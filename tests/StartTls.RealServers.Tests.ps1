# STARTTLS against real servers from Debian, started here on 127.0.0.1 on free ports with the configs in tests/peers/ (see
# StartTls.peers.ps1): postfix (SMTP, submission, and SMTP with TLS off), dovecot (IMAP, POP3, ManageSieve, LMTP), vsftpd (FTP),
# slapd (LDAP), PostgreSQL, MariaDB (MySQL protocol), prosody (XMPP c2s and s2s). Each is compared with `openssl s_client
# -starttls X` (version and suite, offering the same TLS 1.3 suites in the same order) and, where sslscan speaks the protocol,
# with `sslscan --starttls-X` (TLS <= 1.2 suites). A server that is not installed is a FAILURE naming the install command.
# NNTP and IRC have no real server here: Debian's inn2 nnrpd logs only to syslog and exits at start without one (its package
# does not even configure in this container), and ngircd has no STARTTLS; both dialects are tested offline in StartTls.Tests.ps1.
# Tagged Long (the fast lane skips it) and RealServers.

Describe 'STARTTLS with real servers' -Tag Long, RealServers {
    BeforeAll {
        . $PSScriptRoot/common.ps1
        . $PSScriptRoot/Scanning.common.ps1
        . $PSScriptRoot/StartTls.peers.ps1
        $script:Sni = 'mail.tlstools.test'
        $script:Dir = Join-Path ([IO.Path]::GetTempPath()) ('tlstools-starttls-' + [guid]::NewGuid().ToString('N').Substring(0, 8))
        $null = New-Item -ItemType Directory -Force $Dir
        $script:Servers = Start-StartTlsPeers -Directory $Dir

        function script:Assert-Endpoint([string] $Endpoint) {
            if ($Servers.Missing.ContainsKey($Endpoint)) { throw $Servers.Missing[$Endpoint] }
            $Servers.Endpoints[$Endpoint]
        }

        # TLS 1.3 suites in TlsTools' order, so openssl offers what Invoke-TlsHandshake offers and a server that follows the
        # client's order picks the same.
        $script:Tls13Order = 'TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256'

        function script:Invoke-OpenSslStartTls([int] $Port, [string] $Name) {
            $psi = [Diagnostics.ProcessStartInfo]::new('openssl')
            foreach ($a in @('s_client', '-connect', "127.0.0.1:$Port", '-starttls', $Name, '-servername', $Sni, '-ciphersuites', $Tls13Order)) { $psi.ArgumentList.Add($a) }
            if ($Name -like 'xmpp*') { $psi.ArgumentList.Add('-xmpphost'); $psi.ArgumentList.Add($Sni) }
            $psi.UseShellExecute = $false
            $psi.RedirectStandardInput = $true
            $psi.RedirectStandardOutput = $true
            $psi.RedirectStandardError = $true
            $p = [Diagnostics.Process]::Start($psi)
            try {
                $out = $p.StandardOutput.ReadToEndAsync()
                $err = $p.StandardError.ReadToEndAsync()
                $p.StandardInput.Close()
                if (-not $p.WaitForExit(30000)) { $p.Kill($true); throw "openssl s_client -starttls $Name did not finish within 30 s" }
                $text = $out.Result + $err.Result
                if ($text -notmatch 'New, (TLSv1\.[0-3]), Cipher is (\S+)') { throw "openssl s_client -starttls $Name did not complete a handshake:`n$text" }
                [pscustomobject]@{ Version = $SslScanVersions[$Matches[1]]; Suite = [TlsTools.Tls.TlsRegistry+CipherSuites]::FindByName($Matches[2]).Name }
            } finally { $p.Dispose() }
        }

        # sslscan runs (one per protocol it speaks) start now, in parallel, and are read by the tests.
        $script:SslScans = @{}
        foreach ($info in [TlsTools.Net.StartTls.StartTlsProtocols]::All) {
            $endpoint = "$($info.Protocol)"
            if (-not $info.SslscanName -or $info.Protocol -eq 'Ldap' -or -not $Servers.Endpoints.ContainsKey($endpoint) -or $Servers.Missing.ContainsKey($endpoint)) { continue }
            $psi = [Diagnostics.ProcessStartInfo]::new('sslscan')
            foreach ($a in @('--no-colour', "--starttls-$($info.SslscanName)", "--sni-name=$Sni", '--no-heartbleed', '--no-compression', '--no-renegotiation', '--no-fallback', '--no-groups', "127.0.0.1:$($Servers.Endpoints[$endpoint])")) { $psi.ArgumentList.Add($a) }
                $psi.UseShellExecute = $false
            $psi.RedirectStandardOutput = $true
            $psi.RedirectStandardError = $true
            $p = [Diagnostics.Process]::Start($psi)
            $SslScans[$endpoint] = [pscustomobject]@{ Process = $p; Output = $p.StandardOutput.ReadToEndAsync(); Error = $p.StandardError.ReadToEndAsync() }
        }
        # One profile per endpoint, all at once.
        $script:Profiles = @{}
        $targets = foreach ($e in 'Smtp', 'Imap', 'Pop3', 'Ftp', 'Postgres', 'Mysql', 'Xmpp') {
            if ($Servers.Endpoints.ContainsKey($e) -and -not $Servers.Missing.ContainsKey($e)) {
                [pscustomobject]@{ HostName = '127.0.0.1'; Port = $Servers.Endpoints[$e]; ServerName = $Sni; StartTls = $e }
            }
        }
        foreach ($p in @($targets | Get-TlsServerProfile -ThrottleLimit 8 -TimeoutSeconds 15 -ErrorAction SilentlyContinue)) { $Profiles["$($p.StartTls)"] = $p }
    }

    AfterAll {
        foreach ($s in $SslScans.Values) { try { if (-not $s.Process.HasExited) { $s.Process.Kill($true) } } catch { }; $s.Process.Dispose() }
        Stop-StartTlsPeers $Servers
        Remove-Item -Recurse -Force $Dir -ErrorAction Ignore
    }

    It '<Endpoint> (<Protocol>): the handshake completes with the given certificate, the preamble in the transcript, and matches openssl s_client -starttls' -ForEach @(
        @{ Endpoint = 'Smtp'; Protocol = 'Smtp'; FirstFrom = 'Server' }
        @{ Endpoint = 'Submission'; Protocol = 'Smtp'; FirstFrom = 'Server' }
        @{ Endpoint = 'Lmtp'; Protocol = 'Lmtp'; FirstFrom = 'Server' }
        @{ Endpoint = 'Imap'; Protocol = 'Imap'; FirstFrom = 'Server' }
        @{ Endpoint = 'Pop3'; Protocol = 'Pop3'; FirstFrom = 'Server' }
        @{ Endpoint = 'Sieve'; Protocol = 'Sieve'; FirstFrom = 'Server' }
        @{ Endpoint = 'Ftp'; Protocol = 'Ftp'; FirstFrom = 'Server' }
        @{ Endpoint = 'Ldap'; Protocol = 'Ldap'; FirstFrom = 'Client' }
        @{ Endpoint = 'Postgres'; Protocol = 'Postgres'; FirstFrom = 'Client' }
        @{ Endpoint = 'Mysql'; Protocol = 'Mysql'; FirstFrom = 'Server' }
        @{ Endpoint = 'Xmpp'; Protocol = 'Xmpp'; FirstFrom = 'Client' }
        @{ Endpoint = 'XmppServer'; Protocol = 'XmppServer'; FirstFrom = 'Client' }
    ) {
        $port = Assert-Endpoint $Endpoint
        $r = Invoke-TlsHandshake -HostName 127.0.0.1 -Port $port -ServerName $Sni -StartTls $Protocol -TrustedRoot $Servers.Root -TimeoutSeconds 20
        $r.Error | Should -BeNullOrEmpty
        $r.Success | Should -BeTrue
        $r.StartTls | Should -Be $Protocol
        $r.Certificates[0].Thumbprint | Should -Be $Servers.Leaf.Thumbprint
        $r.Validation.IsValid | Should -BeTrue

        $types = @($r.Transcript.Type)
        $hello = [array]::IndexOf($types, [TlsTools.Tls.TranscriptMessageType]::ClientHello)
        $hello | Should -BeGreaterThan 1
        @($r.Transcript[0..($hello - 1)] | Where-Object Type -ne StartTls) | Should -BeNullOrEmpty
        @($r.Transcript | Select-Object -Skip $hello | Where-Object Type -eq StartTls) | Should -BeNullOrEmpty
        "$($r.Transcript[0].Sender)" | Should -Be $FirstFrom
        @($r.Transcript[0..($hello - 1)].Sender | Sort-Object -Unique).Count | Should -Be 2
        foreach ($m in $r.Transcript[0..($hello - 1)]) { $m.Explanation | Should -Not -BeNullOrEmpty; $m.Length | Should -BeGreaterThan 0 }
        ($r | ConvertTo-TlsDiagram) | Should -Match 'StartTls'

        $name = [TlsTools.Net.StartTls.StartTlsProtocols]::Find($Protocol).OpenSslName
        $o = Invoke-OpenSslStartTls $port $name
        $r.TlsVersion | Should -Be $o.Version
        $r.CipherSuite | Should -Be $o.Suite
    }

    # Not LDAP: sslscan 2.0.7 --starttls-ldap fails against slapd 2.5 ("STARTLS LDAP connection ... failed with unknown error")
    # before any TLS, so there is nothing to compare with; LDAP's handshake is compared with openssl s_client above.
    It '<Endpoint>: Get-TlsServerProfile over STARTTLS finds the same TLS 1.2-and-older suites as sslscan --starttls-<Name>' -ForEach @(
        @{ Endpoint = 'Smtp'; Name = 'smtp' }, @{ Endpoint = 'Imap'; Name = 'imap' }, @{ Endpoint = 'Pop3'; Name = 'pop3' },
        @{ Endpoint = 'Ftp'; Name = 'ftp' }, @{ Endpoint = 'Postgres'; Name = 'psql' },
        @{ Endpoint = 'Mysql'; Name = 'mysql' }, @{ Endpoint = 'Xmpp'; Name = 'xmpp' }
    ) {
        $null = Assert-Endpoint $Endpoint
        $Profiles.ContainsKey($Endpoint) | Should -BeTrue -Because 'Get-TlsServerProfile returned a report for it'
        $p = $Profiles[$Endpoint]
        $p.StartTls | Should -Be $Endpoint
        $p.Errors | Should -BeNullOrEmpty
        $s = $SslScans[$Endpoint]
        if (-not $s.Process.WaitForExit(150000)) { throw "sslscan --starttls-$Name did not finish within 150 s" }
        $scan = ConvertFrom-SslScan $s.Output.Result
        foreach ($v in 'Ssl30', 'Tls10', 'Tls11', 'Tls12') {
            $ours = @($p.CipherSuites | Where-Object { "$($_.TlsVersion)" -eq $v } | ForEach-Object { Get-SslScanSuiteName $_ } | Sort-Object)
            $theirs = @($(if ($scan.Suites.ContainsKey($v)) { $scan.Suites[$v] }) | Where-Object { $_ -and (Test-OpenSslKnowsSuite $_) } | Sort-Object)
            $ours = @($ours | Where-Object { Test-OpenSslKnowsSuite $_ })
            ($ours -join ',') | Should -Be ($theirs -join ',') -Because "$v suites of $Endpoint (sslscan said:`n$($s.Output.Result))"
        }
        @($p.CipherSuites | Where-Object { "$($_.TlsVersion)" -eq 'Tls12' }).Count | Should -BeGreaterThan 0
    }

    It 'postfix with TLS turned off: StartTlsNotOffered, quoting its EHLO answer, from Invoke-TlsHandshake and Get-TlsServerProfile' {
        $port = Assert-Endpoint 'SmtpNoTls'
        $r = Invoke-TlsHandshake -HostName 127.0.0.1 -Port $port -ServerName $Sni -StartTls Smtp -ErrorVariable ev -ErrorAction SilentlyContinue
        $r.Success | Should -BeFalse
        $r.ErrorId | Should -Be 'StartTlsNotOffered'
        $ev[0].FullyQualifiedErrorId | Should -BeLike 'StartTlsNotOffered,*'
        $r.Error | Should -Match '250-mail\.tlstools\.test'
        @($r.Transcript.Type | Select-Object -Unique) | Should -Be @('StartTls')
        $err = Get-ErrorId { Get-TlsServerProfile -HostName 127.0.0.1 -Port $port -ServerName $Sni -StartTls Smtp }
        $err | Should -Be 'StartTlsNotOffered'
    }

    It 'a well-known port is not needed: -StartTls None against the SMTP port sees the server speak SMTP, not TLS' {
        $port = Assert-Endpoint 'Smtp'
        $r = Invoke-TlsHandshake -HostName 127.0.0.1 -Port $port -StartTls None -SkipCertificateCheck -TimeoutSeconds 10 -ErrorAction SilentlyContinue
        $r.Success | Should -BeFalse
        $r.StartTls | Should -Be 'None'
        @($r.Transcript | Where-Object Type -eq StartTls) | Should -BeNullOrEmpty
    }
}
