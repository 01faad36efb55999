BeforeDiscovery {
    $script:certificateScenarios = 'Valid', 'Expired', 'NotYetValid', 'WrongHost', 'SelfSigned', 'UntrustedRoot', 'IncompleteChain', 'Revoked', 'WeakKey', 'Sha1Signature' |
        ForEach-Object { @{ Scenario = $_ } }
}
BeforeAll { . $PSScriptRoot/common.ps1 }

Describe 'Start-TlsServer -Scenario (badssl in a box)' {
    AfterAll { Stop-TlsServer -All -ErrorAction SilentlyContinue }

    It 'Invoke-TlsHandshake flags <Scenario> with the right reason' -ForEach $certificateScenarios {
        $server = Start-TlsServer -Scenario $Scenario
        try {
            $kit = $server.Scenario
            $r = Invoke-TlsHandshake -HostName 127.0.0.1 -Port $server.Port -ServerName $kit.HostName -TrustedRoot $kit.TrustedRoot -Crl $kit.Crl -TimeoutSeconds 20
            $r.Success | Should -BeTrue -Because $r.Error
            if ($kit.ExpectedCheck -eq 'Valid') {
                $r.Validation.IsValid | Should -BeTrue -Because (($r.Validation.Failures | ForEach-Object Message) -join '; ')
            } else {
                $r.Validation.IsValid | Should -BeFalse
                $r.Validation.Failures.Check | Should -Contain $kit.ExpectedCheck
            }
        } finally { $server | Stop-TlsServer }
    }

    It 'Invoke-TlsHandshake flags Tls10Only with the protocol_version alert' {
        $server = Start-TlsServer -Scenario Tls10Only
        try {
            $r = Invoke-TlsHandshake -HostName 127.0.0.1 -Port $server.Port -ServerName $server.Scenario.HostName -TlsVersion Tls12, Tls13 -ErrorAction SilentlyContinue -ErrorVariable e
            $r.Success | Should -BeFalse
            $r.Alert | Should -Be 'protocol_version'
            $e[0].CategoryInfo.Category | Should -Be 'ProtocolError'
        } finally { $server | Stop-TlsServer }
    }

    It 'ClientCertificateRequired refuses a client without a certificate and accepts the scenario''s client certificate' {
        $server = Start-TlsServer -Scenario ClientCertificateRequired
        try {
            $kit = $server.Scenario
            $refused = Invoke-TlsHandshake -HostName 127.0.0.1 -Port $server.Port -ServerName $kit.HostName -TrustedRoot $kit.TrustedRoot -ErrorAction SilentlyContinue
            $refused.Success | Should -BeFalse
            $refused.Alert | Should -Be $kit.ExpectedCheck
            $accepted = Invoke-TlsHandshake -HostName 127.0.0.1 -Port $server.Port -ServerName $kit.HostName -TrustedRoot $kit.TrustedRoot -ClientCertificate $kit.ClientCertificate
            $accepted.Success | Should -BeTrue
            $accepted.Validation.IsValid | Should -BeTrue
        } finally { $server | Stop-TlsServer }
    }

    It 'starts one server per scenario given' {
        $servers = Start-TlsServer -Scenario Expired, WrongHost
        try {
            $servers.Count | Should -Be 2
            $servers[0].Port | Should -Not -Be $servers[1].Port
            $servers.Scenario.Scenario | Should -Be @('Expired', 'WrongHost')
        } finally { $servers | Stop-TlsServer }
    }
}
