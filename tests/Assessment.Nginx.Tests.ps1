# The assessment against real servers: nginx (Debian's) with Mozilla's Server Side TLS 5.7 configurations modern,
# intermediate (RSA and ECDSA certificates at once) and old, kept in tests/peers/nginx/ and started by
# tests/Assessment.peers.ps1 on 127.0.0.1. Get-TlsServerProfile is checked against what each configuration allows (the
# expectations are read from the config files and expanded by this machine's OpenSSL, not kept as lists here) and against
# testssl.sh (Debian's, run once per server in parallel in BeforeAll, offline) for versions, suites, groups, certificates,
# stapling and, in the block 'needs issue-13 assessment', findings, policy compliance and grade.
# A missing nginx or testssl is a FAILURE naming the install command. Tagged Long (the fast lane skips it) and Assessment.
#
# Where testssl and we differ for a good reason, the test says so:
# - testssl 3.0 (Debian 12's) has no rating: its JSON has no overall_grade. The grade is then checked against what
#   Qualys' SSL Server Rating Guide gives these configurations (A for modern and intermediate, B for old: TLS 1.0/1.1
#   cap at B since 2020), and against overall_grade whenever the installed testssl (3.1+) reports one.
# - testssl lists one set of ECDHE curves for the server (PFS_ECDHE_curves); we list groups per version.
# - testssl's LUCKY13 ("potentially vulnerable, uses TLS CBC ciphers", LOW on old) has no FindingId in issue 13's list,
#   so it is not compared; nor are its HTTP header checks (HSTS, banners), which are not TLS.
# - testssl 3.0 says "NOT a cipher order configured" at severity HIGH for ssl_prefer_server_ciphers off, which Mozilla
#   recommends for modern and intermediate (the client picks: every suite offered is strong); we report
#   ServerCipherPreference false and no finding.

BeforeDiscovery {
    $script:ProfileCases = @(
        @{ Profile = 'Modern'; Policy = 'MozillaModern'; Stricter = $null; Grade = 'A' }
        @{ Profile = 'Intermediate'; Policy = 'MozillaIntermediate'; Stricter = 'MozillaModern'; Grade = 'A' }
        @{ Profile = 'Old'; Policy = 'MozillaOld'; Stricter = 'MozillaIntermediate'; Grade = 'B' }
    )
}

Describe 'Assessment: nginx with Mozilla''s configurations' -Tag Long, Assessment {
    BeforeAll {
        . $PSScriptRoot/common.ps1
        . $PSScriptRoot/Assessment.peers.ps1
        $script:Servers = @{}; $script:TestSsl = @{}; $script:Reports = @{}; $script:Expected = @{}
        $runs = @{}
        # -Policy is issue 13's (merged later): used when the cmdlet has it, so the tests below can read PolicyCompliance.
        $script:HasPolicy = (Get-Command Get-TlsServerProfile).Parameters.ContainsKey('Policy')
        try {
            foreach ($p in 'Modern', 'Intermediate', 'Old') { $Servers[$p] = Start-NginxProfile -Profile $p }
            # testssl's checks that the tests read (no client simulation, which is its slowest part and compared with
            # nothing): protocols, standard cipher lists, forward secrecy, server preferences, server defaults (the
            # certificates), vulnerabilities, each cipher per protocol.
            foreach ($p in $Servers.Keys) { $runs[$p] = Start-TestSsl -Server $Servers[$p] -ExtraArguments '-p', '-s', '-f', '-P', '-S', '-U', '-E' }
            foreach ($p in $Servers.Keys) {
                $a = @{ HostName = '127.0.0.1'; Port = $Servers[$p].Port; ServerName = $Servers[$p].ServerName; TrustedRoot = $Servers[$p].Root; TimeoutSeconds = 10 }
                if ($HasPolicy) { $a.Policy = "Mozilla$p" }
                $Reports[$p] = Get-TlsServerProfile @a
                $Expected[$p] = Get-NginxExpectedSuites $Servers[$p].Config
            }
            foreach ($p in @($runs.Keys)) { $TestSsl[$p] = Receive-TestSsl $runs[$p] }
        } catch {
            foreach ($r in $runs.Values) { try { if (-not $r.Process.HasExited) { $r.Process.Kill($true) } } catch { } }
            foreach ($s in $Servers.Values) { $null = Stop-NginxProfile $s }
            $Servers.Clear()
            throw
        }

        function script:Get-OurSuites($Report, [string] $Version) {
            @($Report.CipherSuites | Where-Object { "$($_.TlsVersion)" -eq $Version } | ForEach-Object { if ($_.OpenSslName) { $_.OpenSslName } else { $_.Name } })
        }
        function script:Assert-Policy {
            if (-not $HasPolicy) { throw 'Get-TlsServerProfile has no -Policy parameter yet (issue 13)' }
        }
        function script:Get-GroupName([string] $Name) {
            $g = [TlsTools.Tls.TlsRegistry+NamedGroups]::FindByName($Name)
            if (-not $g) { throw "unknown group $Name" }
            $g.Name
        }
    }
    AfterAll {
        foreach ($s in $Servers.Values) { $null = Stop-NginxProfile $s }
    }

    Describe 'against the config and testssl.sh' {
        Context '<Profile>' -ForEach $ProfileCases {
            It 'offers exactly the versions ssl_protocols enables, as testssl finds' {
                $config = $Servers[$Profile].Config
                $config.Protocols.Count | Should -BeGreaterThan 0
                @($Reports[$Profile].TlsVersions | ForEach-Object { "$_" } | Sort-Object) | Should -Be @($config.Protocols | Sort-Object)
                @($TestSsl[$Profile].Versions | Sort-Object) | Should -Be @($config.Protocols | Sort-Object) -Because 'testssl sees the same server'
            }

            It 'accepts exactly the suites the config allows in each version, as testssl finds' {
                $expected = $Expected[$Profile]
                foreach ($v in $expected.Keys) {
                    $expected[$v].Count | Should -BeGreaterThan 0 -Because "the config enables $v"
                    @(Get-OurSuites $Reports[$Profile] $v | Sort-Object) | Should -Be @($expected[$v] | Sort-Object) -Because "ssl_ciphers allows these in $v with the certificates served"
                    @($TestSsl[$Profile].Suites[$v] | Sort-Object) | Should -Be @($expected[$v] | Sort-Object) -Because "testssl -E lists these in $v"
                }
                @($Reports[$Profile].CipherSuites | Where-Object { $expected.Keys -notcontains "$($_.TlsVersion)" }) | Should -BeNullOrEmpty
            }

            It 'picks by the server''s order exactly when ssl_prefer_server_ciphers is on, and in the configured order, as testssl finds' {
                $Reports[$Profile].ServerCipherPreference | Should -Be $Servers[$Profile].Config.PreferServerCiphers
                $order = $TestSsl[$Profile].Items['cipher_order'].finding
                if (-not $Servers[$Profile].Config.PreferServerCiphers) {
                    $order | Should -Match 'NOT a cipher order'
                    return
                }
                $order | Should -Match '^server'
                foreach ($v in $Expected[$Profile].Keys) {
                    # CipherSuites lists each version in the server's order when it has one.
                    Get-OurSuites $Reports[$Profile] $v | Should -Be $Expected[$Profile][$v] -Because "ssl_ciphers orders $v so"
                    $TestSsl[$Profile].Order[$v] | Should -Be $Expected[$Profile][$v] -Because "testssl finds this order in $v"
                }
            }

            It 'negotiates exactly the groups of ssl_ecdh_curve, in every version, as testssl finds' {
                $config = $Servers[$Profile].Config
                $want = @($config.Curves | ForEach-Object { Get-GroupName $_ } | Sort-Object)
                $want.Count | Should -Be 3
                foreach ($v in $config.Protocols | Where-Object { $_ -in 'Tls12', 'Tls13' }) {
                    @($Reports[$Profile].NamedGroups | Where-Object { "$($_.TlsVersion)" -eq $v } | ForEach-Object Name | Sort-Object) | Should -Be $want -Because "ssl_ecdh_curve allows these in $v"
                }
                @($TestSsl[$Profile].Groups | ForEach-Object { Get-GroupName $_ } | Sort-Object) | Should -Be $want -Because 'testssl lists these ECDHE curves'
            }

            It 'staples the OCSP response, as testssl finds' {
                if (@($Servers[$Profile].Config.Protocols) -ne 'Tls13') {
                    $Reports[$Profile].OcspStapling | Should -BeTrue
                } else {
                    # TLS 1.3 carries the staple in the encrypted Certificate message, which the profile does not read yet:
                    # unknown, never "absent" (the 'needs issue-13' block below asks for the answer).
                    $Reports[$Profile].OcspStapling | Should -Not -Be $false
                }
                $stapling = @($TestSsl[$Profile].All | Where-Object { $_.id -like 'OCSP_stapling*' })
                $stapling.Count | Should -Be $Servers[$Profile].Config.Certificates.Count
                $stapling.finding | Should -Not -Match 'not offered'
            }

            It 'sends secure renegotiation (TLS 1.2 and lower) and honours fallback SCSV where there is a lower version, as testssl finds' {
                if (@($Servers[$Profile].Config.Protocols) -ne 'Tls13') {
                    $Reports[$Profile].SecureRenegotiation | Should -BeTrue
                    $TestSsl[$Profile].Items['secure_renego'].finding | Should -Match '^supported'
                } else {
                    # TLS 1.3 has no renegotiation: neither tool judges it.
                    $Reports[$Profile].SecureRenegotiation | Should -Not -BeTrue
                    $TestSsl[$Profile].Items['secure_renego'].finding | Should -Match 'TLS 1.3 only'
                }
                if ($Servers[$Profile].Config.Protocols.Count -gt 1) {
                    $Reports[$Profile].FallbackScsv | Should -BeTrue
                    $TestSsl[$Profile].Items['fallback_SCSV'].severity | Should -Be 'OK'
                }
            }

            It 'serves the certificates the harness made, testssl sees each, and each chain validates to the test CA' {
                $leaves = $Servers[$Profile].Leaves
                $ts = $TestSsl[$Profile].Certificates
                @($ts.Serial | Sort-Object) | Should -Be @($leaves.Values.SerialNumber | Sort-Object) -Because 'testssl lists every certificate the config serves'
                foreach ($c in $ts) {
                    $c.KeyAlgorithm | Should -Be ($leaves.Values | Where-Object SerialNumber -eq $c.Serial).KeyAlgorithm
                    $c.Fields['cert_chain_of_trust'].finding | Should -Match '^passed'
                }
                $ours = @($Reports[$Profile].CertificateChains)
                $ours.Count | Should -BeGreaterThan 0
                foreach ($chain in $ours) {
                    @($leaves.Values.SerialNumber) | Should -Contain $chain.Certificates[0].SerialNumber
                    $chain.IsValid | Should -BeTrue -Because "$($chain.Verdict) $($chain.ValidationFailures -join '; ')"
                }
            }
        }

        Context 'the profiles, read from the config files' {
            It 'are the Mozilla 5.7 configurations the harness serves' {
                # The expectations of the tests above come from these files: a change to them shows here first.
                (Get-NginxProfileConfig Modern).Protocols | Should -Be 'Tls13'
                (Get-NginxProfileConfig Intermediate).Protocols | Should -Be 'Tls12', 'Tls13'
                (Get-NginxProfileConfig Old).Protocols | Should -Be 'Tls10', 'Tls11', 'Tls12', 'Tls13'
                (Get-NginxProfileConfig Intermediate).Certificates | Should -Be 'Rsa', 'Ecdsa'
                (Get-NginxProfileConfig Old).CipherString | Should -Match '^@SECLEVEL=0:'
                (Get-NginxProfileConfig Old).Ciphers | Should -Contain 'DES-CBC3-SHA'
                # What the suite tests expect, derived from the files: both certificate types' suites where both are served.
                $Expected['Intermediate']['Tls12'] | Should -Contain 'ECDHE-ECDSA-AES128-GCM-SHA256'
                $Expected['Intermediate']['Tls12'] | Should -Contain 'ECDHE-RSA-AES128-GCM-SHA256'
                $Expected['Old']['Tls10'] | Should -Contain 'AES128-SHA'
                $Expected['Old']['Tls10'] | Should -Not -Contain 'ECDHE-ECDSA-AES128-SHA' -Because 'old serves an RSA certificate only'
                # 3DES (DES-CBC3-SHA, in old's list) is expected only where this OpenSSL has it: Debian's OpenSSL 3 does not.
                $has3Des = [bool]((& openssl ciphers -v '@SECLEVEL=0:DES-CBC3-SHA' 2>$null) -match '^DES-CBC3-SHA\s')
                ($Expected['Old']['Tls12'] -contains 'DES-CBC3-SHA') | Should -Be $has3Des
            }
        }
    }

    # These read what issue 13's other parts fill in (Findings, PassedChecks, Grade, GradeReasons, PolicyCompliance with
    # -Policy, every chain with its KeyAlgorithm): they fail until those are merged, and then show what agrees with testssl.
    Describe 'needs issue-13 assessment' -Tag NeedsIssue13 {
        It 'the <Profile> server is not compliant with a stricter policy (<Stricter>)' -ForEach @($ProfileCases | Where-Object { $_.Stricter }) {
            Assert-Policy
            $r = Get-TlsServerProfile -HostName 127.0.0.1 -Port $Servers[$Profile].Port -ServerName $Servers[$Profile].ServerName `
                -TrustedRoot $Servers[$Profile].Root -TimeoutSeconds 10 -Policy $Stricter
            $r.PolicyCompliance.Policy | Should -Be $Stricter
            $r.PolicyCompliance.Compliant | Should -BeFalse
            $r.PolicyCompliance.Deviations.Area | Should -Contain 'TlsVersions' -Because 'each stricter profile drops a version'
        }

        Context '<Profile>' -ForEach $ProfileCases {
            It 'shows every certificate served, each chain with its KeyAlgorithm, as testssl does' {
                @($Reports[$Profile].CertificateChains.KeyAlgorithm | Sort-Object -Unique) | Should -Be @($TestSsl[$Profile].Certificates.KeyAlgorithm | Sort-Object -Unique)
                @($Reports[$Profile].CertificateChains | ForEach-Object { $_.Certificates[0].SerialNumber } | Sort-Object -Unique) |
                    Should -Be @($Servers[$Profile].Leaves.Values.SerialNumber | Sort-Object)
            }

            It 'knows the staple, also of a TLS 1.3-only server, as testssl does' {
                $Reports[$Profile].OcspStapling | Should -BeTrue
                @($Reports[$Profile].Findings | Where-Object Id -eq ([TlsTools.Scanning.FindingIds]::NoOcspStapling)) | Should -BeNullOrEmpty
            }

            It 'is compliant with its own Mozilla policy (<Policy>)' {
                Assert-Policy
                $c = $Reports[$Profile].PolicyCompliance
                $c | Should -Not -BeNullOrEmpty
                $c.Policy | Should -Be $Policy
                $c.GuidelineVersion | Should -Be '5.7'
                $c.Compliant | Should -BeTrue -Because ($c.Deviations -join '; ')
                $c.Deviations | Should -BeNullOrEmpty
            }

            It 'finds what testssl finds, and passes what testssl passes (ids mapped in Assessment.peers.ps1)' {
                $report = $Reports[$Profile]
                $ts = $TestSsl[$Profile]
                ($ts.Findings.Count + $ts.Clean.Count) | Should -BeGreaterThan 10 -Because 'testssl made most of the mapped checks'
                $tested = @($report.Findings | Where-Object Tested)
                foreach ($id in $ts.Findings) {
                    # testssl rates TLS 1.0/1.1 and BEAST on the old profile; Mozilla's old keeps them on purpose, and so do we report them.
                    @($tested.Id) | Should -Contain $id -Because "testssl reports $(($TestSslFindingMap.GetEnumerator() | Where-Object Value -eq $id).Key -join '/')"
                }
                foreach ($id in $ts.Clean) {
                    @($tested.Id) | Should -Not -Contain $id -Because 'testssl checked it and found it fine'
                    @($report.PassedChecks) | Should -Contain $id -Because 'a check made and passed is listed as passed'
                }
            }

            It 'grades it <Grade> with reasons, as the SSL Labs guide (and testssl 3.1+ where installed) does' {
                $report = $Reports[$Profile]
                $report.Grade | Should -Match "^$Grade[+-]?$"
                if ($TestSsl[$Profile].Grade) { $report.Grade | Should -Be $TestSsl[$Profile].Grade -Because 'testssl rates by the same guide' }
                if ($Grade -ne 'A') { ($report.GradeReasons -join "`n") | Should -Match 'TLS 1\.[01]' -Because 'TLS 1.0/1.1 cap the grade at B' }
            }
        }
    }
}
