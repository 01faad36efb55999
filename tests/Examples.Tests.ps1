BeforeAll {
    . $PSScriptRoot/common.ps1
    . $PSScriptRoot/Peers.common.ps1
}

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

    It 'Get-ExpiryReport.ps1 reports soon-expiring, healthy and unreachable hosts as HTML and CSV' {
        $root = New-CaCertificate -Subject 'CN=Expiry Root'
        $soon = Start-TlsServer -Certificate (New-Certificate -Issuer $root -DnsName soon.test -IpAddress 127.0.0.1 -ValidityDays 10)
        $fine = Start-TlsServer -Certificate (New-Certificate -Issuer $root -DnsName fine.test -IpAddress 127.0.0.1 -ValidityDays 200)
        $closed = New-RefusedPort   # bound, not listening: no other process can take it meanwhile
        $closedPort = $closed.Port
        try {
            $csv = Join-Path $TestDrive 'hosts.csv'
            "HostName,Port`n127.0.0.1,$($soon.Port)`n127.0.0.1,$($fine.Port)`n127.0.0.1,$closedPort" | Set-Content $csv
            $html = Join-Path $TestDrive 'expiry.html'
            $rows = & (Join-Path $RepoRoot 'examples/Get-ExpiryReport.ps1') -HostsCsv $csv -OutputPath $html -TrustedRoot $root
            $rows.Count | Should -Be 3
            ($rows | Where-Object Host -eq "127.0.0.1:$($soon.Port)").Status | Should -Be 'ExpiresSoon'
            ($rows | Where-Object Host -eq "127.0.0.1:$($fine.Port)").Status | Should -Be 'OK'
            ($rows | Where-Object Host -eq "127.0.0.1:$closedPort").Status | Should -Be 'Unreachable'
            Get-Content -Raw $html | Should -Match 'ExpiresSoon'
            $out = Join-Path $TestDrive 'expiry.csv'
            & (Join-Path $RepoRoot 'examples/Get-ExpiryReport.ps1') -HostsCsv $csv -OutputPath $out -TrustedRoot $root | Out-Null
            (Import-Csv $out).Count | Should -Be 3
        } finally { $soon, $fine | Stop-TlsServer; $closed.Dispose() }
    }

    It 'Export-TlsReport.ps1 writes a flat CSV (no type names) with a row per host, unreachable ones included' {
        $root = New-CaCertificate -Subject 'CN=Report Root'
        $server = Start-TlsServer -Certificate (New-Certificate -Issuer $root -DnsName report.test -IpAddress 127.0.0.1 -ValidityDays 90)
        $closed = New-RefusedPort
        try {
            $csv = Join-Path $TestDrive 'report-hosts.csv'
            "Url,Port`nhttps://127.0.0.1:$($server.Port)/,`n127.0.0.1,$($closed.Port)" | Set-Content $csv
            $out = Join-Path $TestDrive 'report.csv'
            $results = & (Join-Path $RepoRoot 'examples/Export-TlsReport.ps1') -HostsCsv $csv -OutputPath $out -TrustedRoot $root
            @($results).Count | Should -Be 2
            $text = Get-Content -Raw $out
            $text | Should -Not -Match 'System\.'
            $rows = Import-Csv $out
            ($rows | Where-Object Port -eq "$($server.Port)").DaysUntilExpiry | Should -Be '90'
            ($rows | Where-Object Port -eq "$($server.Port)").Valid | Should -Be 'True'
            ($rows | Where-Object Port -eq "$($closed.Port)").ErrorId | Should -Be 'ConnectionRefused'
            $md = Join-Path $TestDrive 'report.md'
            & (Join-Path $RepoRoot 'examples/Export-TlsReport.ps1') -HostsCsv $csv -OutputPath $md -Format Markdown -TrustedRoot $root | Out-Null
            (Get-Content $md)[0] | Should -Match '^\| HostName \| Port \|'
        } finally { $server | Stop-TlsServer; $closed.Dispose() }
    }

    It 'New-MutualTlsSetup.ps1 refuses a client without a certificate and accepts one with' {
        $dir = Join-Path $TestDrive 'mtls'
        $r = & (Join-Path $RepoRoot 'examples/New-MutualTlsSetup.ps1') -OutputDirectory $dir -ClientName alice, bob 6>$null
        $r.WithoutCertificate | Should -BeFalse
        $r.WithCertificate | Should -BeTrue
        $r.ServerChainValid | Should -BeTrue
        (Read-Certificate -Path (Join-Path $dir 'bob.pfx') -Password (ConvertTo-SecureString 'change-me' -AsPlainText -Force))[0].Subject | Should -Be 'CN=bob'
    }

    It 'Get-ScanReport.ps1 writes a report of a local server' {
        $cert = New-Certificate -SelfSigned -DnsName scan.test -IpAddress 127.0.0.1 -Algorithm Rsa2048
        $server = Start-TlsServer -Certificate $cert
        try {
            $md = Join-Path $TestDrive 'scan.md'
            $p = & (Join-Path $RepoRoot 'examples/Get-ScanReport.ps1') -HostName 127.0.0.1 -Port $server.Port -OutputPath $md
            $p.TlsVersions | Should -Contain 'Tls12'
            $text = Get-Content -Raw $md
            $text | Should -Match '\| Tls12 \| TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 \|'
            $text | Should -Match 'CN=scan.test'
        } finally { $server | Stop-TlsServer }
    }

    It 'Trace-Handshake.ps1 draws the ladder and writes a key log' {
        $log = Join-Path $TestDrive 'keys.log'
        $r = & (Join-Path $RepoRoot 'examples/Trace-Handshake.ps1') -KeyLogFile $log 6>$null
        $r.Success | Should -BeTrue
        $lines = Get-Content $log
        ($lines | Where-Object { $_ -match '^CLIENT_HANDSHAKE_TRAFFIC_SECRET [0-9a-f]{64} [0-9a-f]+$' }).Count | Should -Be 1
        ($lines | Where-Object { $_ -match '^SERVER_TRAFFIC_SECRET_0 ' }).Count | Should -Be 1
        Get-Content -Raw ([IO.Path]::ChangeExtension($log, '.mmd')) | Should -Match 'sequenceDiagram'
    }
    It 'Get-StartTlsCertificateReport.ps1 reports days to expiry and verdicts for STARTTLS servers from a CSV (host, port, StartTls)' {
        $root = New-CaCertificate -Subject 'CN=StartTls Example Root'
        $smtp = Start-TlsServer -Certificate (New-Certificate -Issuer $root -DnsName mail.test -IpAddress 127.0.0.1 -ValidityDays 10) -StartTls Smtp
        $imap = Start-TlsServer -Certificate (New-Certificate -Issuer $root -DnsName imap.test -IpAddress 127.0.0.1 -ValidityDays 200) -StartTls Imap
        $plain = Start-TlsServer -Certificate (New-Certificate -SelfSigned -DnsName plain.test -IpAddress 127.0.0.1)
        try {
            $csv = Join-Path $TestDrive 'servers.csv'
            "host,port,StartTls`n127.0.0.1,$($smtp.Port),Smtp`n127.0.0.1,$($imap.Port),Imap`n127.0.0.1,$($smtp.Port),Pop3`n127.0.0.1,$($plain.Port)," | Set-Content $csv
            $out = Join-Path $TestDrive 'starttls-report.csv'
            $rows = @(& (Join-Path $RepoRoot 'examples/Get-StartTlsCertificateReport.ps1') -Path $csv -TrustedRoot $root -OutputPath $out | Sort-Object StartTls, Server)
            $rows.Count | Should -Be 4
            $bySmtp = $rows | Where-Object StartTls -eq 'Smtp'
            $bySmtp.Status | Should -Be 'ExpiresSoon'
            $bySmtp.DaysUntilExpiry | Should -BeIn 9, 10
            $bySmtp.ChainVerdict | Should -BeLike 'Valid*'
            ($rows | Where-Object StartTls -eq 'Imap').Status | Should -Be 'OK'
            ($rows | Where-Object StartTls -eq 'Pop3').Status | Should -Be 'NoStartTls'
            ($rows | Where-Object StartTls -eq 'None').Status | Should -Be 'Invalid'
            @(Import-Csv $out).Count | Should -Be 4
            { & (Join-Path $RepoRoot 'examples/Get-StartTlsCertificateReport.ps1') -Path $csv -TrustedRoot $root -OutputPath $out } | Should -Throw '*use -Force*'
        } finally { $smtp, $imap, $plain | Stop-TlsServer }
    }
}
