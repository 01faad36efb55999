BeforeAll { . $PSScriptRoot/common.ps1 }

Describe 'ConvertTo-TlsReport' {
    BeforeAll {
        $script:root = New-CaCertificate -Subject 'CN=Report Root, O=Example, C=GB'
        $script:leaf = New-Certificate -Issuer $root -Subject 'CN=www.example.test' -DnsName www.example.test, api.example.test -IpAddress 127.0.0.1
        $script:server = Start-TlsServer -Certificate $leaf -Chain $root
        $script:results = @(
            Invoke-TlsHandshake 127.0.0.1 -Port $server.Port -ServerName www.example.test -TrustedRoot $root
            Invoke-TlsHandshake 127.0.0.1 -Port $server.Port -ServerName nope.example.test -TrustedRoot $root
        )
    }
    AfterAll { $server | Stop-TlsServer }

    It 'writes CSV that Import-Csv reads back, with lists joined and no type names' {
        $csv = $results | ConvertTo-TlsReport
        $csv | Should -BeOfType [string]
        $csv | Should -Not -Match 'System\.(String\[\]|Collections)'
        $rows = $csv | ConvertFrom-Csv
        @($rows).Count | Should -Be 2
        $rows[0].HostName | Should -Be '127.0.0.1'
        $rows[0].Port | Should -Be "$($server.Port)"
        $rows[0].Valid | Should -Be 'True'
        $rows[0].DaysUntilExpiry | Should -Be "$($leaf.DaysUntilExpiry)"
        $rows[1].Valid | Should -Be 'False'
        $rows[1].ValidationFailures | Should -Be 'HostnameMismatch'
        $rows[0].Issuer | Should -Be $root.Subject      # the commas in the DN are quoted
    }

    It 'Export-Csv of the same results writes type names; the report does not (the reason it exists)' {
        $path = Join-Path $TestDrive 'raw.csv'
        $results | Select-Object HostName, Certificates | Export-Csv -Path $path
        (Get-Content $path -Raw) | Should -Match 'System\.|TlsTools\.'
        ($results | Select-Object HostName, Certificates | ConvertTo-TlsReport) | Should -Not -Match 'System\.|TlsTools\.Pki'
    }

    It 'flattens certificates: names joined with "; ", dates ISO 8601 UTC, the Path of a file' {
        $path = Join-Path $TestDrive 'leaf.pem'
        $leaf | Save-Certificate -Path $path | Out-Null
        $row = Read-Certificate $path | ConvertTo-TlsReport | ConvertFrom-Csv
        $row.DnsNames | Should -Be 'www.example.test; api.example.test'
        $row.NotAfter | Should -Be $leaf.NotAfter.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'")
        $row.Path | Should -Be $path
    }

    It 'writes a Markdown table, pipes escaped' {
        $md = [pscustomobject]@{ Name = 'a|b'; Value = 1 }, $leaf | ConvertTo-TlsReport -Format Markdown
        $lines = $md -split "`n" | Where-Object { $_ }
        $lines[0] | Should -Match '^\| Name \| Value \| Subject \|'
        $lines[1] | Should -Match '^\|(---\|)+$'
        $lines[2] | Should -Match '^\| a\\\|b \| 1 \|'
        $lines.Count | Should -Be 4
    }

    It 'writes an HTML page with every value encoded' {
        $html = [pscustomobject]@{ Note = '<script>x</script>' } | ConvertTo-TlsReport -Format Html -Title 'Chains & co'
        $html | Should -Match '^<!DOCTYPE html>'
        $html | Should -Match '<title>Chains &amp; co</title>'
        $html | Should -Match '<td>&lt;script&gt;x&lt;/script&gt;</td>'
        $html | Should -Not -Match '<script>'
    }

    It 'reports chain validations and server profiles with their own columns' {
        $v = Test-CertificateChain $leaf -TrustedRoot $root -DnsName other.example.test | ConvertTo-TlsReport | ConvertFrom-Csv
        $v.Valid | Should -Be 'False'
        $v.Failures | Should -Match '^HostnameMismatch: '
        $p = Get-TlsServerProfile 127.0.0.1 -Port $server.Port -ServerName www.example.test | ConvertTo-TlsReport | ConvertFrom-Csv
        $p.TlsVersions | Should -Be 'Tls12; Tls13'
        $p.CipherSuites | Should -Match 'TLS_AES_128_GCM_SHA256'
    }
}
