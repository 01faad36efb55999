# Get-TlsServerProfile's Findings: each finding positive against a server that has the flaw (a scripted finding scenario of
# Start-TlsServer, or a certificate scenario) and negative against a modern openssl s_server and the BouncyCastle scenario
# server; a check that cannot be made is reported untested, with its reason, never passed.
BeforeAll {
    . $PSScriptRoot/common.ps1
    . $PSScriptRoot/Scanning.common.ps1

    $script:Dir = Join-Path ([IO.Path]::GetTempPath()) ('tlstools-findings-' + [guid]::NewGuid().ToString('N').Substring(0, 10))
    New-Item -ItemType Directory -Path $Dir | Out-Null
    $script:Peers = [Collections.Generic.List[object]]::new()

    function Get-ScenarioProfile([string] $Scenario) {
        # Each scenario's kit names the root to trust (UntrustedRoot's is another root than the one its server sends).
        $server = Start-TlsServer -Scenario $Scenario
        try {
            Get-TlsServerProfile -HostName 127.0.0.1 -Port $server.Port -ServerName $server.Scenario.HostName -TrustedRoot $server.Scenario.TrustedRoot -TimeoutSeconds 10
        } finally { $server | Stop-TlsServer }
    }

    function Get-Finding($Report, [string] $Id) { @($Report.Findings | Where-Object Id -EQ $Id) }

    # A modern openssl: TLS 1.2 and 1.3, its default suites, a 2048-bit RSA certificate from a CA we trust, its chain sent.
    New-ScanPeerFiles -Directory $Dir -Name modern | Out-Null
    $script:Ca = Read-Certificate -LiteralPath (Join-Path $Dir 'modern-ca.crt')
    $peer = Start-ScanPeer -Tool openssl -WorkingDirectory $Dir -Arguments 's_server', '-accept', '127.0.0.1:{port}', '-quiet', '-cert', 'modern.crt',
        '-key', 'modern.key', '-cert_chain', 'modern-ca.crt', '-no_tls1', '-no_tls1_1', '-www'
    $Peers.Add($peer)
    $script:Modern = Get-TlsServerProfile -HostName 127.0.0.1 -Port $peer.Port -ServerName modern.test -TrustedRoot $Ca -TimeoutSeconds 10
    $script:Valid = Get-ScenarioProfile Valid
}

AfterAll {
    foreach ($p in $Peers) { Stop-ScanPeer $p }
    Remove-Item -LiteralPath $Dir -Recurse -Force -ErrorAction Ignore
}

Describe 'Get-TlsServerProfile Findings' -Tag Findings {
    It '<Id> is found on the <Scenario> scenario and passed by a modern openssl and the Valid scenario' -ForEach @(
        @{ Scenario = 'Sslv2'; Id = 'SSLv2'; Cve = 'CVE-2016-0800'; Evidence = 'SSL 2.0 SERVER-HELLO' }
        @{ Scenario = 'LegacyProtocols'; Id = 'SSLv3'; Cve = 'CVE-2014-3566'; Evidence = 'SSL 3.0' }
        @{ Scenario = 'LegacyProtocols'; Id = 'TLS10'; Cve = $null; Evidence = 'TLS 1.0' }
        @{ Scenario = 'LegacyProtocols'; Id = 'TLS11'; Cve = $null; Evidence = 'TLS 1.1' }
        @{ Scenario = 'LegacyProtocols'; Id = 'Beast'; Cve = 'CVE-2011-3389'; Evidence = 'TLS 1.0 TLS_RSA_WITH_AES_128_CBC_SHA' }
        @{ Scenario = 'LegacyProtocols'; Id = 'NoFallbackScsv'; Cve = $null; Evidence = 'TLS_FALLBACK_SCSV' }
        @{ Scenario = 'WeakCiphers'; Id = 'RC4'; Cve = 'CVE-2013-2566, CVE-2015-2808'; Evidence = 'TLS 1.2 TLS_RSA_WITH_RC4_128_SHA' }
        @{ Scenario = 'WeakCiphers'; Id = 'Sweet32'; Cve = 'CVE-2016-2183, CVE-2016-6329'; Evidence = 'TLS 1.2 TLS_RSA_WITH_3DES_EDE_CBC_SHA' }
        @{ Scenario = 'WeakCiphers'; Id = 'ExportSuites'; Cve = 'CVE-2015-0204, CVE-2015-4000'; Evidence = 'TLS 1.2 TLS_RSA_EXPORT_WITH_RC4_40_MD5' }
        @{ Scenario = 'WeakCiphers'; Id = 'AnonymousSuites'; Cve = $null; Evidence = 'TLS 1.2 TLS_DH_anon_WITH_AES_128_CBC_SHA' }
        @{ Scenario = 'WeakCiphers'; Id = 'NullSuites'; Cve = $null; Evidence = 'TLS 1.2 TLS_RSA_WITH_NULL_SHA' }
        @{ Scenario = 'WeakCiphers'; Id = 'WeakDhGroup'; Cve = 'CVE-2015-4000'; Evidence = '1024-bit DH prime' }
        @{ Scenario = 'WeakCiphers'; Id = 'NoForwardSecrecy'; Cve = $null; Evidence = 'not preferred' }
        @{ Scenario = 'Compression'; Id = 'Crime'; Cve = 'CVE-2012-4929'; Evidence = 'DEFLATE' }
        @{ Scenario = 'InsecureRenegotiation'; Id = 'NoSecureRenegotiation'; Cve = 'CVE-2009-3555'; Evidence = 'renegotiation_info' }
        @{ Scenario = 'Heartbleed'; Id = 'Heartbleed'; Cve = 'CVE-2014-0160'; Evidence = 'our own payload echoed' }
        @{ Scenario = 'CcsInjection'; Id = 'CcsInjection'; Cve = 'CVE-2014-0224'; Evidence = 'bad_record_mac' }
        @{ Scenario = 'Expired'; Id = 'CertificateExpired'; Cve = $null; Evidence = 'expired' }
        @{ Scenario = 'NotYetValid'; Id = 'CertificateNotYetValid'; Cve = $null; Evidence = 'valid from' }
        @{ Scenario = 'WeakKey'; Id = 'WeakKey'; Cve = $null; Evidence = 'Rsa1024' }
        @{ Scenario = 'Sha1Signature'; Id = 'WeakSignature'; Cve = $null; Evidence = 'SHA1' }
        @{ Scenario = 'WrongHost'; Id = 'HostnameMismatch'; Cve = $null; Evidence = 'scenario.tlstools.test' }
        @{ Scenario = 'IncompleteChain'; Id = 'IncompleteChain'; Cve = $null; Evidence = 'issuer' }
        @{ Scenario = 'UntrustedRoot'; Id = 'UntrustedCertificate'; Cve = $null; Evidence = 'Root' }
    ) {
        $r = Get-ScenarioProfile $Scenario
        $f = Get-Finding $r $Id
        $f.Count | Should -Be 1 -Because "$Scenario has the flaw; findings: $($r.Findings -join '; ')"
        $f[0].Tested | Should -BeTrue
        $f[0].Cve | Should -Be $Cve
        ($f[0].Evidence -join ' | ') | Should -BeLike "*$Evidence*"
        $r.PassedChecks | Should -Not -Contain $Id

        $Modern.PassedChecks | Should -Contain $Id -Because "a modern openssl does not have $Id; its findings: $($Modern.Findings -join '; ')"
        (Get-Finding $Modern $Id).Count | Should -Be 0
        if ($Id -ne 'NoFallbackScsv') {
            # The Valid scenario speaks TLS 1.2 and 1.3: it answers the fallback probe like openssl; its other checks all pass.
            $Valid.PassedChecks | Should -Contain $Id -Because "the Valid scenario does not have $Id; its findings: $($Valid.Findings -join '; ')"
        }
    }

    It 'CertificateExpiring: the 30-day scenario certificates are expiring; the 1-year openssl one is not' {
        $f = Get-Finding $Valid CertificateExpiring
        $f.Count | Should -Be 1
        $f[0].Evidence[0] | Should -Match 'in under 30 days'
        $Modern.PassedChecks | Should -Contain CertificateExpiring
    }

    It 'NoOcspStapling: found on a server that staples nothing, passed by one that staples' {
        (Get-Finding $Modern NoOcspStapling).Count | Should -Be 1
        $stapled = Get-ScenarioProfile RevokedOcspStaple
        $stapled.PassedChecks | Should -Contain NoOcspStapling
    }

    It 'sorts the tested findings most severe first, the untested ones after them' {
        $r = Get-ScenarioProfile WeakCiphers
        $tested = @($r.Findings | Where-Object Tested)
        $order = @{ Critical = 4; High = 3; Medium = 2; Low = 1; Info = 0 }
        $ranks = @($tested | ForEach-Object { $order["$($_.Severity)"] })
        $ranks | Should -Be @($ranks | Sort-Object -Descending)
        $firstUntested = [array]::FindIndex([object[]] $r.Findings, [Predicate[object]] { param($x) -not $x.Tested })
        if ($firstUntested -ge 0) { @($r.Findings | Select-Object -Skip $firstUntested | Where-Object Tested).Count | Should -Be 0 }
    }

    It 'client-initiated renegotiation is refused, so passed, by a default openssl and the Valid scenario' {
        foreach ($r in $Modern, $Valid) {
            Get-Finding $r ClientRenegotiation | Should -BeNullOrEmpty
            $r.PassedChecks | Should -Contain ClientRenegotiation
        }
    }

    It 'client-initiated renegotiation is found on openssl -client_renegotiation, with what the server answered' {
        $peer = Start-ScanPeer -Tool openssl -WorkingDirectory $Dir -Arguments 's_server', '-accept', '127.0.0.1:{port}', '-quiet', '-cert', 'modern.crt',
            '-key', 'modern.key', '-cert_chain', 'modern-ca.crt', '-no_tls1_3', '-client_renegotiation', '-www'
        $Peers.Add($peer)
        $r = Get-TlsServerProfile -HostName 127.0.0.1 -Port $peer.Port -ServerName modern.test -TrustedRoot $Ca -TimeoutSeconds 10
        $f = Get-Finding $r ClientRenegotiation
        $f.Count | Should -Be 1
        $f[0].Tested | Should -BeTrue
        "$($f[0].Severity)" | Should -Be Medium
        $f[0].Cve | Should -Be 'CVE-2011-1473'
        $f[0].Evidence | Should -Be @('TLS 1.2: the server answered a client-initiated renegotiation ClientHello (renegotiation_info with the client''s verify_data) with a handshake record: it renegotiates')
        $r.PassedChecks | Should -Not -Contain ClientRenegotiation
    }

    It 'a TLS 1.3-only server: what TLS 1.3 rules out passes, as testssl.sh says, each on what the probes saw' {
        $peer = Start-ScanPeer -Tool openssl -WorkingDirectory $Dir -Arguments 's_server', '-accept', '127.0.0.1:{port}', '-quiet', '-cert', 'modern.crt',
            '-key', 'modern.key', '-cert_chain', 'modern-ca.crt', '-tls1_3', '-www'
        $Peers.Add($peer)
        $r = Get-TlsServerProfile -HostName 127.0.0.1 -Port $peer.Port -ServerName modern.test -TrustedRoot $Ca -TimeoutSeconds 10
        $r.TlsVersions | Should -Be @('Tls13')
        # TLS 1.3 has no renegotiation and no compression (a TLS 1.3 hello offering DEFLATE is refused: probed), the flaws of
        # Heartbleed and CCS injection need a TLS <= 1.2 handshake the server refused, and one version leaves nothing to
        # fall back to; TLS 1.3 has no client-initiated renegotiation either. testssl.sh 3.0 says "not vulnerable (OK)" to each on the same server.
        foreach ($id in 'NoSecureRenegotiation', 'ClientRenegotiation', 'Heartbleed', 'CcsInjection', 'Crime', 'NoFallbackScsv') {
            @(Get-Finding $r $id).Count | Should -Be 0 -Because $id
            $r.PassedChecks | Should -Contain $id
        }
        # What TLS 1.3 does show is still judged.
        $r.PassedChecks | Should -Contain NoForwardSecrecy
        $r.PassedChecks | Should -Contain SSLv2
    }

    It 'Findings print as a table no wider than 120 columns' {
        $r = Get-ScenarioProfile WeakCiphers
        $lines = @($r.Findings | Format-Table | Out-String -Width 200 -Stream | Where-Object { $_.Trim() })
        $lines[0] | Should -Match 'Severity\s+Id\s+Tested\s+Cve\s+Title'
        ($lines | Measure-Object -Property Length -Maximum).Maximum | Should -BeLessOrEqual 120
    }
}
