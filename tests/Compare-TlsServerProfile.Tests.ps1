BeforeAll {
    . $PSScriptRoot/common.ps1
    . $PSScriptRoot/Tls.common.ps1
    Assert-Peer -Command openssl

    # An ECDSA P-256 chain Mozilla's profiles accept: leaf valid 90 days, signed ecdsa-with-SHA256; a Good OCSP staple.
    $script:Root = New-CaCertificate -Subject 'CN=Drift Root CA, O=TlsTools Tests'
    $script:Inter = New-CaCertificate -Subject 'CN=Drift Issuing CA, O=TlsTools Tests' -Issuer $Root -PathLength 0
    function New-DriftLeaf { New-Certificate -Issuer $Inter -Subject 'CN=www.example.test' -DnsName www.example.test -IpAddress 127.0.0.1 -ValidityDays 90 }
    $script:LeafA = New-DriftLeaf
    $script:LeafB = New-DriftLeaf
    $script:FilesA = Save-TlsTestFiles -Certificate $LeafA -Chain $Inter -Directory $TestDrive -Name 'a'
    $script:FilesB = Save-TlsTestFiles -Certificate $LeafB -Chain $Inter -Directory $TestDrive -Name 'b'
    $script:StapleA = Join-Path $TestDrive 'a-good.der'
    $LeafA | New-OcspResponse -Issuer $Inter -Status Good -Path $StapleA | Out-Null

    function Get-Scan([int] $Port, [string] $Policy) {
        $p = @{ HostName = '127.0.0.1'; Port = $Port; ServerName = 'www.example.test'; TrustedRoot = $Root; TimeoutSeconds = 10 }
        if ($Policy) { $p.Policy = $Policy }
        Get-TlsServerProfile @p
    }

    function Start-Drift([object] $Files, [string[]] $Arguments = @()) {
        Start-OpenSslServer -Files $Files -Arguments (@('-cert_chain', $Files.ChainPath) + $Arguments)
    }
}

Describe 'Compare-TlsServerProfile: saved reports round-trip' {
    BeforeAll {
        $peer = Start-Drift $FilesA
        try { $script:Report = Get-Scan $peer.Port } finally { $peer | Stop-TestProcess | Out-Null }
        $script:Xml = Join-Path $TestDrive 'r.xml'; $Report | Export-Clixml -Path $Xml -Depth 6
        $script:XmlShallow = Join-Path $TestDrive 'r-default.xml'; $Report | Export-Clixml -Path $XmlShallow
        $script:Json = Join-Path $TestDrive 'r.json'; $Report | ConvertTo-Json -Depth 6 | Set-Content -Path $Json
        $script:JsonNames = Join-Path $TestDrive 'r-names.json'; $Report | ConvertTo-Json -Depth 6 -EnumsAsStrings | Set-Content -Path $JsonNames
    }

    It 'the scan has what the comparison reads' {
        $Report.TlsVersions | Should -Contain ([TlsTools.Tls.TlsVersion]::Tls13)
        $Report.CertificateChains.Count | Should -BeGreaterThan 0
        $Report.CertificateChains[0].SerialNumber | Should -Be $LeafA.SerialNumber
        $Report.Grade | Should -Not -BeNullOrEmpty
    }

    It 'a report compared with its copy from <Name> gives nothing' -ForEach @(
        @{ Name = 'Export-Clixml -Depth 6 (path)'; Get = { $Xml } }
        @{ Name = 'Export-Clixml, default depth (path)'; Get = { $XmlShallow } }
        @{ Name = 'ConvertTo-Json -Depth 6 (path)'; Get = { $Json } }
        @{ Name = 'ConvertTo-Json -EnumsAsStrings (path)'; Get = { $JsonNames } }
        @{ Name = 'Import-Clixml'; Get = { Import-Clixml -Path $Xml } }
        @{ Name = 'ConvertFrom-Json'; Get = { Get-Content -Raw -Path $Json | ConvertFrom-Json } }
        @{ Name = 'a FileInfo'; Get = { Get-Item -Path $Json } }
    ) {
        $copy = & $Get
        # -ErrorAction Stop: a copy that cannot be read must fail the test, not pass as "no differences".
        @(Compare-TlsServerProfile -ReferenceObject $Report -DifferenceObject $copy -ErrorAction Stop) | Should -BeNullOrEmpty
        @(Compare-TlsServerProfile -ReferenceObject $copy -DifferenceObject $Report -ErrorAction Stop) | Should -BeNullOrEmpty
    }

    It 'binds paths by property name and reports by value' {
        $out = @([pscustomobject]@{ ReferenceObject = $Xml; DifferenceObject = $Json } | Compare-TlsServerProfile -ErrorVariable e)
        $e | Should -BeNullOrEmpty
        $out | Should -BeNullOrEmpty
        $changed = Join-Path $TestDrive 'changed.json'
        (Get-Content -Raw -Path $Json) -replace '"Grade":\s*"[^"]*"', '"Grade": "F"' | Set-Content -Path $changed
        $d = @([pscustomobject]@{ ReferenceObject = $Report; DifferenceObject = $changed } | Compare-TlsServerProfile -ErrorVariable e)
        $e | Should -BeNullOrEmpty
        $d.Area | Should -Be 'Grade'
        $out = @($Report | Compare-TlsServerProfile -ReferenceObject $JsonNames -ErrorVariable e)
        $e | Should -BeNullOrEmpty
        $out | Should -BeNullOrEmpty
        @($Report | Compare-TlsServerProfile -ReferenceObject $changed).Area | Should -Be 'Grade'
    }

    It 'a changed copy differs where it was changed' {
        $copy = Get-Content -Raw -Path $Json | ConvertFrom-Json
        $copy.Grade = 'F'
        $d = @(Compare-TlsServerProfile $Report $copy)
        $d.Count | Should -Be 1
        $d[0].Area | Should -Be 'Grade'
        $d[0].Change | Should -Be 'Changed'
        $d[0].Difference | Should -Be 'F'
    }

    It 'what is no report, a missing file and a report saved too shallowly are errors with ErrorIds' {
        $bad = Join-Path $TestDrive 'bad.json'; '{"x": 1}' | Set-Content -Path $bad
        Get-ErrorId { Compare-TlsServerProfile $Report $bad } | Should -Be 'InvalidProfileData'
        Get-ErrorId { Compare-TlsServerProfile $Report (Join-Path $TestDrive 'missing.json') } | Should -Be 'PathNotFound'
        $shallow = Join-Path $TestDrive 'shallow.json'; $Report | ConvertTo-Json -Depth 1 -WarningAction SilentlyContinue | Set-Content -Path $shallow
        Get-ErrorId { Compare-TlsServerProfile $Report $shallow } | Should -Be 'InvalidProfileData'
        Compare-TlsServerProfile $Report $bad -ErrorAction SilentlyContinue -ErrorVariable e
        $e[0].CategoryInfo.Category | Should -Be 'InvalidData'
    }
}

Describe 'Compare-TlsServerProfile: openssl s_server changed between two scans' {
    BeforeAll {
        $peer = Start-Drift $FilesA
        try { $script:Before = Get-Scan $peer.Port } finally { $peer | Stop-TestProcess | Out-Null }
        # Restarted: another certificate (new serial, new key), no TLS 1.3, one TLS 1.2 suite.
        $peer = Start-Drift $FilesB @('-no_tls1_3', '-cipher', 'ECDHE-ECDSA-AES256-GCM-SHA384')
        try { $script:After = Get-Scan $peer.Port } finally { $peer | Stop-TestProcess | Out-Null }
        $script:Diff = @(Compare-TlsServerProfile $Before $After)
    }

    It 'lists TLS 1.3 and the dropped suites as removed' {
        $Diff | Where-Object { $_.Area -eq 'TlsVersions' -and $_.Item -eq 'TLS 1.3' } | ForEach-Object Change | Should -Be 'Removed'
        $removed = @($Diff | Where-Object { $_.Area -eq 'CipherSuites' -and $_.Change -eq 'Removed' } | ForEach-Object Item)
        $removed | Should -Contain 'TLS 1.2 TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256'
        $removed | Should -Contain 'TLS 1.3 TLS_AES_128_GCM_SHA256'
        $removed | Should -Not -Contain 'TLS 1.2 TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384'
        @($Diff | Where-Object { $_.Area -eq 'CipherSuites' -and $_.Change -eq 'Added' }) | Should -BeNullOrEmpty
    }

    It 'says the certificate has a new serial and a new key, and the same issuer' {
        $certs = @($Diff | Where-Object Area -eq 'Certificates')
        $serial = $certs | Where-Object Detail -eq 'new serial'
        $serial.Reference | Should -Be $LeafA.SerialNumber
        $serial.Difference | Should -Be $LeafB.SerialNumber
        $certs | Where-Object Detail -eq 'new key' | Should -Not -BeNullOrEmpty
        $certs | Where-Object Detail -eq 'new issuer' | Should -BeNullOrEmpty
        $certs[0].Item | Should -Match '^ecdsa chain'
    }

    It 'the diff view has + - ~ in its first column and fits 120 columns' {
        $text = $Diff | Format-Table | Out-String -Width 120
        $lines = $text -split "`r?`n" | Where-Object { $_ -match '^[-+~] ' }
        $lines | Where-Object { $_ -match '^-\s+TlsVersions\s+TLS 1\.3\s' } | Should -Not -BeNullOrEmpty
        $lines | Where-Object { $_ -match '^~\s+Certificates\s+ecdsa chain' } | Should -Not -BeNullOrEmpty
        ($text -split "`r?`n" | ForEach-Object { $_.TrimEnd().Length } | Measure-Object -Maximum).Maximum | Should -BeLessOrEqual 120
    }

    It 'gives objects a pipeline can filter' {
        @($Diff | Where-Object Change -eq 'Removed').Count | Should -BeGreaterThan 3
        $Diff | ForEach-Object { $_.PSObject.Properties.Name } | Select-Object -Unique |
            Should -Contain 'Reference'
        ($Diff | Select-Object -First 1).Target | Should -Be "127.0.0.1:$($After.Port)"
    }
}

Describe 'Get-TlsServerProfile -Policy against openssl s_server configured per Mozilla 5.7' {
    It 'modern (TLS 1.3 only, the modern groups and suites): only what TLS 1.3 hides from the probes deviates' {
        $peer = Start-Drift $FilesA @('-tls1_3', '-groups', 'X25519:P-256:P-384',
            '-ciphersuites', 'TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256', '-status_file', $StapleA)
        try { $r = Get-Scan $peer.Port MozillaModern } finally { $peer | Stop-TestProcess | Out-Null }
        $r.PolicyCompliance.Policy | Should -Be 'MozillaModern'
        $r.PolicyCompliance.GuidelineVersion | Should -Be '5.7'
        $areas = @($r.PolicyCompliance.Deviations | ForEach-Object Area)
        # TLS 1.3 staples travel encrypted: unless a full handshake read it, stapling is "not determined", a deviation (fail closed).
        $areas | Where-Object { $_ -ne 'OcspStapling' } | Should -BeNullOrEmpty -Because ($r.PolicyCompliance.Deviations | Out-String)
        $r.PolicyCompliance.Compliant | Should -Be ($areas.Count -eq 0)
    }

    It 'intermediate (TLS 1.2 and 1.3, the intermediate suites and groups, a staple): compliant' {
        $ciphers = 'ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384:DHE-RSA-CHACHA20-POLY1305'
        $peer = Start-Drift $FilesA @('-no_ssl3', '-no_tls1', '-no_tls1_1', '-cipher', $ciphers, '-groups', 'X25519:P-256:P-384', '-status_file', $StapleA)
        try { $r = Get-Scan $peer.Port MozillaIntermediate } finally { $peer | Stop-TestProcess | Out-Null }
        $r.OcspStapling | Should -BeTrue
        $r.PolicyCompliance.Deviations | Should -BeNullOrEmpty -Because ($r.PolicyCompliance.Deviations | Out-String)
        $r.PolicyCompliance.Compliant | Should -BeTrue
        $r.Grade | Should -Be 'A+'
    }

    It 'a default openssl s_server is not intermediate: each extra suite and group is one deviation' {
        $peer = Start-Drift $FilesA @('-cipher', 'ALL:@SECLEVEL=0', '-groups', 'X25519:P-256:P-384:P-521')
        try { $r = Get-Scan $peer.Port MozillaIntermediate } finally { $peer | Stop-TestProcess | Out-Null }
        $r.PolicyCompliance.Compliant | Should -BeFalse
        $d = $r.PolicyCompliance.Deviations
        $d | Where-Object { $_.Area -eq 'CipherSuites' -and $_.Actual -eq 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA with TLS 1.2 not in MozillaIntermediate' } | Should -Not -BeNullOrEmpty
        @($d | Where-Object { $_.Area -eq 'NamedGroups' } | ForEach-Object Actual) | Should -Be @('secp521r1 not in MozillaIntermediate')
        $d | Where-Object Area -eq 'OcspStapling' | Should -Not -BeNullOrEmpty
        # Mozilla 5.7 intermediate, IANA names (the guideline's ciphers.iana and ciphersuites).
        $allowed = 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
            'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384', 'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256', 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256',
            'TLS_DHE_RSA_WITH_AES_256_GCM_SHA384', 'TLS_DHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256',
            'TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256'
        $extra = @($r.CipherSuites | Where-Object { $_.Name -notin $allowed })
        $extra.Count | Should -BeGreaterThan 10
        @($d | Where-Object { $_.Area -eq 'CipherSuites' }).Count | Should -Be $extra.Count
    }
}
