BeforeAll {
    . $PSScriptRoot/common.ps1
    . $PSScriptRoot/Tls.common.ps1

    function New-SctList {
        <# A SignedCertificateTimestampList (RFC 6962 3.3) of v1 SCTs, one per (log id byte, Unix milliseconds); dummy ECDSA signatures. #>
        param([Parameter(Mandatory)] [object[]] $Entries)
        $body = [Collections.Generic.List[byte]]::new()
        foreach ($e in $Entries) {
            $sct = [Collections.Generic.List[byte]]::new()
            $sct.Add(0)                                                   # v1
            $id = [byte[]]::new(32); [Array]::Fill($id, [byte]$e.LogByte); $sct.AddRange($id)
            $ts = [BitConverter]::GetBytes([uint64]$e.Milliseconds); [array]::Reverse($ts); $sct.AddRange($ts)
            $sct.AddRange([byte[]](0, 0, 4, 3, 0, 8, 0x30, 6, 2, 1, 1, 2, 1, 1))  # no extensions, sha256/ecdsa, 8-byte signature
            $body.AddRange([byte[]]([byte]($sct.Count -shr 8), [byte]($sct.Count -band 255))); $body.AddRange($sct)
        }
        [byte[]]([byte]($body.Count -shr 8), [byte]($body.Count -band 255)) + $body.ToArray()
    }

    $script:c = New-TestChain -Name 'Staple'
    $script:files = Save-TlsTestFiles -Certificate $c.Leaf -Chain $c.Intermediate -Directory $TestDrive -Name 'staple'
    $script:caPath = Join-Path $TestDrive 'staple-ca.pem'
    $c.Intermediate, $c.Root | Save-Certificate -Path $caPath -Force | Out-Null
    $script:goodPath = Join-Path $TestDrive 'good.der'
    $script:revokedPath = Join-Path $TestDrive 'revoked.der'
    $c.Leaf | New-OcspResponse -Issuer $c.Intermediate -Status Good -Path $goodPath | Out-Null
    $c.Leaf | New-OcspResponse -Issuer $c.Intermediate -Status Revoked -RevocationReason KeyCompromise -Path $revokedPath | Out-Null
}

Describe 'Invoke-TlsHandshake reads the OCSP staple of openssl s_server -status_file' {
    It '<Status> staple over <Version>' -ForEach @(
        @{ Status = 'Good'; Version = 'Tls12' }, @{ Status = 'Revoked'; Version = 'Tls12' }
        @{ Status = 'Good'; Version = 'Tls13' }, @{ Status = 'Revoked'; Version = 'Tls13' }
    ) {
        $file = if ($Status -eq 'Good') { $goodPath } else { $revokedPath }
        $peer = Start-OpenSslServer -Files $files -Arguments @('-cert_chain', $files.ChainPath, '-status_file', $file)
        try {
            $r = Invoke-TlsHandshake -HostName 127.0.0.1 -Port $peer.Port -ServerName www.example.test -TrustedRoot $c.Root -TlsVersion $Version
        } finally { $peer | Stop-TestProcess | Out-Null }
        $r.Success | Should -BeTrue
        "$($r.OcspStaple.Method)" | Should -Be 'Staple'
        "$($r.OcspStaple.Status)" | Should -Be $Status
        $r.OcspStaple.NextUpdate | Should -BeGreaterThan $r.OcspStaple.ThisUpdate
        # The default view at 80 columns: method, status and (for Revoked) the reason.
        $view = $r.OcspStaple | Format-Table | Out-String -Width 80
        $view | Should -Match "Staple\s+$Status"
        $view | Should -Match 'CN=www.example.test'
        if ($Status -eq 'Revoked') {
            $view | Should -Match 'KeyCompromise, \d{4}-\d\d-\d\d'
            $r.OcspStaple.Reason | Should -Be 'KeyCompromise'
            $r.Validation.IsValid | Should -BeFalse
            $r.Validation.Failures.Check | Should -Contain 'Revoked'
        } else {
            $r.Validation.IsValid | Should -BeTrue
        }
        if ($Version -eq 'Tls12') {
            $m = $r.Transcript | Where-Object Type -eq 'CertificateStatus'
            $m.Fields.CertStatus | Should -Be $Status
            $m.Explanation | Should -Match "saying $Status"
        } else {
            $m = $r.Transcript | Where-Object { $_.Type -eq 'Certificate' -and "$($_.Sender)" -eq 'Server' }
            $m.Fields.EntryExtensions1.status_request.CertStatus | Should -Be $Status
        }
    }

    It 'has no OcspStaple when the server staples nothing' {
        $peer = Start-OpenSslServer -Files $files -Arguments @('-cert_chain', $files.ChainPath)
        try { $r = Invoke-TlsHandshake -HostName 127.0.0.1 -Port $peer.Port -ServerName www.example.test -TrustedRoot $c.Root -TlsVersion Tls12 }
        finally { $peer | Stop-TestProcess | Out-Null }
        $r.Success | Should -BeTrue
        $r.OcspStaple | Should -BeNullOrEmpty
        $r.Validation.IsValid | Should -BeTrue
    }
}

Describe 'Start-TlsServer -OcspResponse and -Scenario RevokedOcspStaple' {
    It 'staples a response given as <Form> over <Version>' -ForEach @(
        @{ Form = 'object'; Version = 'Tls12' }, @{ Form = 'bytes'; Version = 'Tls13' }, @{ Form = 'path'; Version = 'Tls13' }
    ) {
        $response = switch ($Form) {
            'object' { $c.Leaf | New-OcspResponse -Issuer $c.Intermediate -Status Good }
            'bytes' { [IO.File]::ReadAllBytes($goodPath) }
            'path' { $goodPath }
        }
        $server = Start-TlsServer -Certificate $c.Leaf -Chain $c.Intermediate -OcspResponse $response
        try { $r = Invoke-TlsHandshake -HostName 127.0.0.1 -Port $server.Port -ServerName www.example.test -TrustedRoot $c.Root -TlsVersion $Version }
        finally { $server | Stop-TlsServer }
        $r.Success | Should -BeTrue
        "$($r.OcspStaple.Status)" | Should -Be 'Good'
        $r.Validation.IsValid | Should -BeTrue
    }

    It 'serves a Revoked staple in the scenario, and Invoke-TlsHandshake fails the chain with Revoked' {
        $server = Start-TlsServer -Scenario RevokedOcspStaple
        try {
            $kit = $server.Scenario
            $r = Invoke-TlsHandshake -HostName 127.0.0.1 -Port $server.Port -ServerName $kit.HostName -TrustedRoot $kit.TrustedRoot -Crl $kit.Crl
        } finally { $server | Stop-TlsServer }
        $kit.ExpectedCheck | Should -Be 'Revoked'
        "$($r.OcspStaple.Status)" | Should -Be 'Revoked'
        $r.OcspStaple.Reason | Should -Be 'KeyCompromise'
        @($r.Validation.Failures.Check) | Should -Be @('Revoked')   # the staple alone: the CRL does not list it
    }

    It 'is read by openssl s_client -status (<Version>)' -ForEach @(@{ Version = '-tls1_2' }, @{ Version = '-tls1_3' }) {
        $server = Start-TlsServer -Certificate $c.Leaf -Chain $c.Intermediate -OcspResponse $revokedPath
        try {
            $out = Invoke-Peer -FilePath openssl -ArgumentList @('s_client', '-connect', "127.0.0.1:$($server.Port)", '-servername', 'www.example.test', '-status', $Version)
        } finally { $server | Stop-TlsServer }
        $out.Output | Should -Match 'OCSP Response Status: successful'
        $out.Output | Should -Match 'Cert Status: revoked'
        $out.Output | Should -Match 'Revocation Reason: keyCompromise'
    }

    It 'refuses a response that is not OCSP, and staples nothing without one' {
        $junk = Join-Path $TestDrive 'junk.der'
        [IO.File]::WriteAllBytes($junk, [byte[]](0x30, 0x03, 0x02, 0x01, 0x00))
        Get-ErrorId { Start-TlsServer -Certificate $c.Leaf -OcspResponse $junk } | Should -Be 'OcspResponseMalformed'
        $server = Start-TlsServer -Certificate $c.Leaf -Chain $c.Intermediate
        try {
            $out = Invoke-Peer -FilePath openssl -ArgumentList @('s_client', '-connect', "127.0.0.1:$($server.Port)", '-status', '-tls1_2', '-tlsextdebug')
        } finally { $server | Stop-TlsServer }
        $out.Output | Should -Match 'OCSP response: no response sent'
        $out.Output | Should -Not -Match 'status request'   # not acknowledged when there is nothing to staple
    }
}

Describe 'Get-TlsServerProfile OcspStapling comes from a real response' {
    It 'is False without a staple and True with one (openssl s_server)' {
        $plain = Start-OpenSslServer -Files $files -Arguments @('-no_tls1_3')
        $stapling = Start-OpenSslServer -Files $files -Arguments @('-no_tls1_3', '-status_file', $goodPath)
        try {
            (Get-TlsServerProfile -HostName 127.0.0.1 -Port $plain.Port -TimeoutSeconds 10).OcspStapling | Should -BeFalse
            (Get-TlsServerProfile -HostName 127.0.0.1 -Port $stapling.Port -TimeoutSeconds 10).OcspStapling | Should -BeTrue
        } finally { $plain, $stapling | Stop-TestProcess | Out-Null }
    }

    It 'is False when the server acknowledges status_request but staples an error response (tryLater)' {
        # A tryLater response: OCSPResponse { responseStatus tryLater(3) }.
        $tryLater = Join-Path $TestDrive 'trylater.der'
        [IO.File]::WriteAllBytes($tryLater, [byte[]](0x30, 0x03, 0x0A, 0x01, 0x03))
        $peer = Start-OpenSslServer -Files $files -Arguments @('-no_tls1_3', '-status_file', $tryLater)
        try {
            $r = Invoke-TlsHandshake -HostName 127.0.0.1 -Port $peer.Port -TlsVersion Tls12 -SkipCertificateCheck
            $p = Get-TlsServerProfile -HostName 127.0.0.1 -Port $peer.Port -TimeoutSeconds 10
        } finally { $peer | Stop-TestProcess | Out-Null }
        ($r.Transcript | Where-Object Type -eq 'ServerHello').Fields.Extensions.Contains('status_request') | Should -BeTrue
        ($r.Transcript | Where-Object Type -eq 'CertificateStatus').Fields.ResponseStatus | Should -Be 'TryLater'
        "$($r.OcspStaple.Status)" | Should -Be 'Unavailable'
        $p.OcspStapling | Should -BeFalse
    }
}

Describe 'Certificate Transparency SCTs' {
    It 'decodes the SCT list embedded in a certificate made by openssl' {
        $list = New-SctList -Entries @(@{ LogByte = 0x11; Milliseconds = 1700000000123 }, @{ LogByte = 0xAA; Milliseconds = 1700000001000 })
        $der = [byte[]](0x04, $list.Length) + $list
        $ext = Join-Path $TestDrive 'sct.cnf'
        Set-Content -Path $ext -Value "[v]`nbasicConstraints=CA:FALSE`nsubjectAltName=DNS:sct.example.test`n1.3.6.1.4.1.11129.2.4.2=DER:$([Convert]::ToHexString($der))`n"
        $caKey = Join-Path $TestDrive 'sct-ca.key'; $caPem = Join-Path $TestDrive 'sct-ca.pem'
        $c.Intermediate.PrivateKey | Save-PrivateKey -Path $caKey -Force | Out-Null
        $c.Intermediate | Save-Certificate -Path $caPem -Force | Out-Null
        $key = Join-Path $TestDrive 'sct.key'; $csr = Join-Path $TestDrive 'sct.csr'; $crt = Join-Path $TestDrive 'sct.pem'
        Invoke-OpenSsl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout $key -subj '/CN=sct.example.test' -out $csr | Out-Null
        Invoke-OpenSsl x509 -req -in $csr -CA $caPem -CAkey $caKey -CAcreateserial -days 2 -extfile $ext -extensions v -out $crt | Out-Null
        $OpenSslExit | Should -Be 0
        $cert = Read-Certificate -Path $crt
        $scts = $cert.SignedCertificateTimestamps
        $scts.Count | Should -Be 2
        $scts[0].Version | Should -Be 'v1'
        $scts[0].LogIdHex | Should -Be ('11' * 32)
        $scts[0].LogId | Should -Be ([Convert]::ToBase64String([Convert]::FromHexString('11' * 32)))
        $scts[0].Timestamp | Should -Be ([DateTimeOffset]::FromUnixTimeMilliseconds(1700000000123).UtcDateTime)
        $scts[1].LogIdHex | Should -Be ('AA' * 32)
        $scts[0].SignatureAlgorithm | Should -Be 'ecdsa_secp256r1_sha256'
        "$($scts[0].Source)" | Should -Be 'Certificate'
        # openssl reads the same timestamps
        (Invoke-OpenSsl x509 -in $crt -noout -text) | Should -Match 'Nov 14 22:13:20.123 2023 GMT'
        { $cert | ConvertTo-Json -Depth 4 | ConvertFrom-Json } | Should -Not -Throw
    }

    It 'decodes the signed_certificate_timestamp extension of openssl s_server -serverinfo (<Version>)' -ForEach @(
        @{ Version = 'Tls12'; Block = 'SERVERINFO'; Prefix = @() }
        @{ Version = 'Tls13'; Block = 'SERVERINFOV2'; Prefix = @(0, 0, 0x10, 0x80) }   # context: TLS 1.3 Certificate, ClientHello
    ) {
        $list = New-SctList -Entries @(@{ LogByte = 0x42; Milliseconds = 1600000000000 })
        $payload = [byte[]]($Prefix + @(0, 18, [byte]($list.Length -shr 8), [byte]($list.Length -band 255))) + $list
        $info = Join-Path $TestDrive "serverinfo-$Version.pem"
        Set-Content -Path $info -Value ("-----BEGIN $Block FOR signed_certificate_timestamp-----`n" + [Convert]::ToBase64String($payload) + "`n-----END $Block FOR signed_certificate_timestamp-----")
        $peer = Start-OpenSslServer -Files $files -Arguments @('-cert_chain', $files.ChainPath, '-serverinfo', $info)
        try { $r = Invoke-TlsHandshake -HostName 127.0.0.1 -Port $peer.Port -ServerName www.example.test -TrustedRoot $c.Root -TlsVersion $Version }
        finally { $peer | Stop-TestProcess | Out-Null }
        $r.Success | Should -BeTrue
        $r.SignedCertificateTimestamps.Count | Should -Be 1
        $r.SignedCertificateTimestamps[0].LogIdHex | Should -Be ('42' * 32)
        $r.SignedCertificateTimestamps[0].Timestamp | Should -Be ([DateTimeOffset]::FromUnixTimeMilliseconds(1600000000000).UtcDateTime)
        "$($r.SignedCertificateTimestamps[0].Source)" | Should -Be 'TlsExtension'
    }
}

Describe 'New certificate properties' {
    It 'shows CRL distribution points, OCSP and caIssuers URLs, name constraints and policies' {
        $ca = New-CaCertificate -Subject 'CN=Props CA' -PermittedDnsName example.test -ExcludedDnsName bad.example.test
        $ca.NameConstraints.Permitted | Should -Be @('DNS:example.test')
        $ca.NameConstraints.Excluded | Should -Be @('DNS:bad.example.test')
        $c.Leaf.NameConstraints | Should -BeNullOrEmpty
        $leaf = New-Certificate -Issuer $ca -DnsName www.example.test -CrlUrl 'http://127.0.0.1:8080/ca.crl' -OcspUrl 'http://127.0.0.1:8081/' -CaIssuersUrl 'http://127.0.0.1:8080/ca.cer'
        $leaf.CrlDistributionPoints | Should -Be @('http://127.0.0.1:8080/ca.crl')
        $leaf.OcspUrls | Should -Be @('http://127.0.0.1:8081/')
        $leaf.CaIssuersUrls | Should -Be @('http://127.0.0.1:8080/ca.cer')
        $leaf.Policies.Count | Should -Be 0
        $leaf.SignedCertificateTimestamps.Count | Should -Be 0
        $leaf.MustStaple | Should -BeFalse
        $k = Join-Path $TestDrive 'pol.key'; $crt = Join-Path $TestDrive 'pol.pem'
        Invoke-OpenSsl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout $k -subj '/CN=pol.example.test' -days 1 `
            -addext 'certificatePolicies=2.23.140.1.2.1,1.3.6.1.4.1.99999.1' -addext 'tlsfeature=status_request' -out $crt | Out-Null
        $OpenSslExit | Should -Be 0
        $pol = Read-Certificate -Path $crt
        $pol.Policies | Should -Be @('2.23.140.1.2.1', '1.3.6.1.4.1.99999.1')
        $pol.MustStaple | Should -BeTrue
    }
}
