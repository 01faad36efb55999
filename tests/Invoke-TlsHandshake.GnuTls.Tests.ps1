BeforeAll {
    . $PSScriptRoot/common.ps1
    . $PSScriptRoot/Scanning.common.ps1
    $script:Dir = Join-Path $TestDrive 'gnutls'; New-Item -ItemType Directory $Dir | Out-Null
    $script:Peers = [Collections.Generic.List[object]]::new()
}
AfterAll { foreach ($p in $Peers) { Stop-ScanPeer $p } }

# gnutls-serv has no bind-address option and listens on every interface; the client connects to 127.0.0.1 only.
Describe 'Invoke-TlsHandshake against gnutls-serv' {
    It 'negotiates <Version> with <Algorithm> keys and what the server allows' -ForEach @(
        @{ Version = 'Tls12'; Algorithm = 'Rsa2048'; Priority = 'NORMAL:-VERS-ALL:+VERS-TLS1.2:-KX-ALL:+ECDHE-RSA:-CIPHER-ALL:+AES-256-GCM'; Suite = 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384' }
        @{ Version = 'Tls12'; Algorithm = 'EcdsaP256'; Priority = 'NORMAL:-VERS-ALL:+VERS-TLS1.2:-KX-ALL:+ECDHE-ECDSA:-CIPHER-ALL:+AES-128-GCM'; Suite = 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256' }
        @{ Version = 'Tls13'; Algorithm = 'EcdsaP256'; Priority = 'NORMAL:-VERS-ALL:+VERS-TLS1.3:-CIPHER-ALL:+CHACHA20-POLY1305:-GROUP-ALL:+GROUP-SECP384R1'; Suite = 'TLS_CHACHA20_POLY1305_SHA256'; Group = 'secp384r1' }
        @{ Version = 'Tls13'; Algorithm = 'Rsa2048'; Priority = 'NORMAL:-VERS-ALL:+VERS-TLS1.3:-GROUP-ALL:+GROUP-X25519'; Group = 'x25519' }
    ) {
        $name = "g$Version$Algorithm"
        $leaf = New-ScanPeerFiles -Directory $Dir -Name $name -Algorithm $Algorithm
        $server = Start-ScanPeer -Tool gnutls-serv -WorkingDirectory $Dir -Arguments '--port', '{port}', '--x509certfile', "$name.crt", '--x509keyfile', "$name.key", '--disable-client-cert', '--priority', $Priority
        $Peers.Add($server)
        $ca = Read-Certificate -Path (Join-Path $Dir "$name-ca.crt")
        $groups = if ($Group) { @{ NamedGroup = $Group } } else { @{} }
        $r = Invoke-TlsHandshake -HostName 127.0.0.1 -Port $server.Port -ServerName "$name.test" -TrustedRoot $ca -TimeoutSeconds 20 @groups
        $r.Success | Should -BeTrue -Because $r.Error
        "$($r.TlsVersion)" | Should -Be $Version
        if ($Suite) { $r.CipherSuite | Should -Be $Suite }
        if ($Group) { $r.NamedGroup | Should -Be $Group }
        $r.Certificates[0].Thumbprint | Should -Be $leaf.Thumbprint
        $r.Validation.IsValid | Should -BeTrue
        $types = $r.Transcript | Where-Object Type -ne 'ChangeCipherSpec' | ForEach-Object { "$($_.Sender):$($_.Type)" }
        if ($Version -eq 'Tls13') {
            $types[0..5] | Should -Be 'Client:ClientHello', 'Server:ServerHello', 'Server:EncryptedExtensions', 'Server:Certificate', 'Server:CertificateVerify', 'Server:Finished'
            $types | Should -Contain 'Client:Finished'
        } else {
            $types[0..7] | Should -Be 'Client:ClientHello', 'Server:ServerHello', 'Server:Certificate', 'Server:ServerKeyExchange', 'Server:ServerHelloDone', 'Client:ClientKeyExchange', 'Client:Finished', 'Server:Finished'
        }
        Stop-ScanPeer $server
    }
}
