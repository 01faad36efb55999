# One input convention for certificates (issue 15): every certificate and CRL parameter of every cmdlet takes the same
# forms through one argument transformation (CertificateInputAttribute / CrlInputAttribute over PkiInputReader).
BeforeDiscovery {
    # The forms of a certificate without a key, and of one that must carry its private key (PEM can hold both).
    $script:Forms = 'Object', 'X509Certificate2', 'FileInfo', 'Path', 'PemText', 'PemLines', 'DerBytes', 'PemBytes'
    $script:KeyForms = 'Object', 'X509Certificate2', 'FileInfo', 'Path', 'PemText', 'PemLines', 'PemBytes'
    $script:CrlForms = 'Object', 'FileInfo', 'Path', 'PemText', 'PemLines', 'DerBytes'
}

BeforeAll {
    . $PSScriptRoot/common.ps1
    $script:Dir = Join-Path ([IO.Path]::GetTempPath()) ('tlstools-input-' + [guid]::NewGuid().ToString('N').Substring(0, 10))
    New-Item -ItemType Directory -Path $Dir | Out-Null
    $script:c = New-TestChain -Name 'Input'
    $script:client = New-Certificate -Issuer $c.Intermediate -Subject 'CN=client.example.test' -DnsName client.example.test -Profile Client
    $script:revokedLeaf = New-Certificate -Issuer $c.Intermediate -DnsName 'www.example.test'
    $script:crl = $revokedLeaf | New-CertificateRevocationList -Issuer $c.Intermediate

    function ConvertTo-Form {
        <# The certificate (or CRL) $Item in the named input form; -WithKey keeps its private key where the form can. #>
        param($Item, [string] $Form, [switch] $WithKey)
        $name = [guid]::NewGuid().ToString('N').Substring(0, 8)
        $isCrl = $Item -is [TlsTools.Pki.CertificateRevocationList]
        $pem = if ($isCrl) { $Item.ToPem() } elseif ($WithKey) { $Item.ToPem() + (Get-KeyPem $Item) } else { $Item.ToPem() }
        switch ($Form) {
            'Object' { return $Item }
            'X509Certificate2' {
                if (-not $WithKey) { return [Security.Cryptography.X509Certificates.X509Certificate2]::new($Item.GetRawData()) }
                # From a PFX written by Save-Certificate, as .NET opens it: the key must survive the implicit conversion.
                $pfx = Join-Path $Dir "$name.pfx"
                $Item | Save-Certificate -Path $pfx -Format Pfx -Password $Password | Out-Null
                return [Security.Cryptography.X509Certificates.X509Certificate2]::new($pfx, $PasswordText, 'Exportable')
            }
            'FileInfo' { $p = Join-Path $Dir "$name.pem"; Set-Content -Path $p -Value $pem -NoNewline; return Get-Item $p }
            'Path' { $p = Join-Path $Dir "$name.pem"; Set-Content -Path $p -Value $pem -NoNewline; return $p }
            'PemText' { return $pem }
            'PemLines' { $p = Join-Path $Dir "$name.pem"; Set-Content -Path $p -Value $pem -NoNewline; return , [string[]](Get-Content $p) }
            'DerBytes' { return , $Item.GetRawData() }
            'PemBytes' { return , [Text.Encoding]::ASCII.GetBytes($pem) }
        }
        throw "unknown form $Form"
    }

    function Get-KeyPem($Certificate) {
        $p = Join-Path $Dir ([guid]::NewGuid().ToString('N') + '.key')
        $Certificate.PrivateKey | Save-PrivateKey -Path $p | Out-Null
        Get-Content -Raw $p
    }

    function Assert-ChainValid($Leaf) {
        (Test-CertificateChain $Leaf -Intermediate $c.Intermediate -TrustedRoot $c.Root).IsValid | Should -BeTrue
    }
}

AfterAll {
    Remove-Item -Recurse -Force $script:Dir -ErrorAction Ignore
}

Describe 'Certificate parameters that sign: -Issuer takes <_> (with its key)' -Tag 'CertificateInput' -ForEach $KeyForms {
    It 'New-Certificate -Issuer' {
        $leaf = New-Certificate -Issuer (ConvertTo-Form $c.Intermediate $_ -WithKey) -DnsName 'www.example.test' -ErrorAction Stop
        $leaf.Issuer | Should -Be $c.Intermediate.Subject
        Assert-ChainValid $leaf
    }

    It 'New-CaCertificate -Issuer' {
        $sub = New-CaCertificate -Subject 'CN=Input Sub CA' -Issuer (ConvertTo-Form $c.Root $_ -WithKey) -ErrorAction Stop
        $sub.Issuer | Should -Be $c.Root.Subject
        (Test-CertificateChain $sub -TrustedRoot $c.Root -Purpose Any -ErrorAction Stop).IsValid | Should -BeTrue
    }

    It 'New-CertificateRevocationList -Issuer' {
        $list = $revokedLeaf | New-CertificateRevocationList -Issuer (ConvertTo-Form $c.Intermediate $_ -WithKey) -ErrorAction Stop
        $list.Issuer | Should -Be $c.Intermediate.Subject
        $list.RevokedCertificates.SerialNumber | Should -Contain $revokedLeaf.SerialNumber
    }
}

Describe 'Certificate parameters that verify: <_>' -Tag 'CertificateInput' -ForEach $Forms {
    It 'Test-CertificateChain -Certificate, -Intermediate and -TrustedRoot' {
        (Test-CertificateChain (ConvertTo-Form $c.Leaf $_) -Intermediate $c.Intermediate -TrustedRoot $c.Root -DnsName www.example.test).IsValid | Should -BeTrue
        (Test-CertificateChain $c.Leaf -Intermediate (ConvertTo-Form $c.Intermediate $_) -TrustedRoot $c.Root -DnsName www.example.test).IsValid | Should -BeTrue
        (Test-CertificateChain $c.Leaf -Intermediate $c.Intermediate -TrustedRoot (ConvertTo-Form $c.Root $_) -DnsName www.example.test).IsValid | Should -BeTrue
    }

    It 'New-CertificateRevocationList -RevokedCertificate' {
        $list = New-CertificateRevocationList -Issuer $c.Intermediate -RevokedCertificate (ConvertTo-Form $revokedLeaf $_) -ErrorAction Stop
        $list.RevokedCertificates.SerialNumber | Should -Be @($revokedLeaf.SerialNumber)
    }

    It 'Save-Certificate -Certificate' {
        $out = Join-Path $Dir ([guid]::NewGuid().ToString('N') + '.pem')
        Save-Certificate -Certificate (ConvertTo-Form $c.Leaf $_) -Path $out -ErrorAction Stop | Out-Null
        (Read-Certificate $out).Thumbprint | Should -Be $c.Leaf.Thumbprint
    }
}

Describe 'Certificate and CRL parameters of the TLS cmdlets: <_>' -Tag 'CertificateInput' -ForEach $KeyForms {
    BeforeAll { $script:form = $_ }
    AfterEach { Get-Variable -Name tls -Scope Script -ErrorAction Ignore | ForEach-Object { $_.Value } | Where-Object { $_ } | Stop-TlsServer; $script:tls = $null }

    It 'Start-TlsServer -Certificate (with its key) and -Chain; Invoke-TlsHandshake -TrustedRoot' {
        $script:tls = Start-TlsServer -Certificate (ConvertTo-Form $c.Leaf $form -WithKey) -Chain (ConvertTo-Form $c.Intermediate $form) -TlsVersion Tls12 -ErrorAction Stop
        $r = Invoke-TlsHandshake -HostName 127.0.0.1 -Port $tls.Port -ServerName www.example.test -TrustedRoot (ConvertTo-Form $c.Root $form) -TimeoutSeconds 20
        $r.Success | Should -BeTrue
        $r.Certificates.Count | Should -Be 2 -Because '-Chain was sent'
        $r.Validation.IsValid | Should -BeTrue
    }

    It 'Invoke-TlsHandshake -ClientCertificate (with its key); Start-TlsServer -TrustedRoot' {
        $script:tls = Start-TlsServer -Certificate $c.Leaf -Chain $c.Intermediate -TlsVersion Tls12 -RequireClientCertificate -TrustedRoot (ConvertTo-Form $c.Root $form) -ErrorAction Stop
        $r = Invoke-TlsHandshake -HostName 127.0.0.1 -Port $tls.Port -ServerName www.example.test -TrustedRoot $c.Root -TimeoutSeconds 20 `
            -ClientCertificate @((ConvertTo-Form $client $form -WithKey), $c.Intermediate) -ErrorAction SilentlyContinue
        $r.Success | Should -BeTrue -Because $r.Error
        $r.ClientCertificateSent | Should -BeTrue
    }
}

Describe 'CRL parameters: -Crl takes <_>' -Tag 'CertificateInput' -ForEach $CrlForms {
    It 'Test-CertificateChain -Crl finds the revoked certificate' {
        $r = Test-CertificateChain $revokedLeaf -Intermediate $c.Intermediate -TrustedRoot $c.Root -Crl (ConvertTo-Form $crl $_) -DnsName www.example.test
        $r.IsValid | Should -BeFalse
        @($r.Failures.Check) | Should -Contain 'Revoked'
    }

    It 'Invoke-TlsHandshake -Crl finds the revoked server certificate' {
        $tls = Start-TlsServer -Certificate $revokedLeaf -Chain $c.Intermediate -TlsVersion Tls12
        try {
            $r = Invoke-TlsHandshake -HostName 127.0.0.1 -Port $tls.Port -ServerName www.example.test -TrustedRoot $c.Root -Crl (ConvertTo-Form $crl $_) -TimeoutSeconds 20
            $r.Validation.IsValid | Should -BeFalse
            @($r.Validation.Failures.Check) | Should -Contain 'Revoked'
        } finally { $tls | Stop-TlsServer }
    }
}

Describe 'Certificate inputs that cannot be read' -Tag 'CertificateInput' {
    It 'a string that is neither a file nor PEM: one error naming both readings, on every parameter' {
        $bad = 'no-such-ca.pem'
        $calls = @(
            { New-Certificate -Issuer $bad -DnsName x.example.test }
            { New-CaCertificate -Subject 'CN=x' -Issuer $bad }
            { New-CertificateRevocationList -Issuer $bad }
            { Save-Certificate -Certificate $bad -Path (Join-Path $Dir 'never.pem') }
            { Start-TlsServer -Certificate $bad }
            { Invoke-TlsHandshake -HostName 127.0.0.1 -Port 1 -TrustedRoot $bad }
            { Invoke-TlsHandshake -HostName 127.0.0.1 -Port 1 -ClientCertificate $bad }
            { Invoke-TlsHandshake -HostName 127.0.0.1 -Port 1 -Crl $bad }
            { Get-TlsServerProfile -HostName 127.0.0.1 -Port 1 -Intermediate $bad }
            { Test-CertificateChain $c.Leaf -TrustedRoot $bad }
            { Test-CertificateChain $bad }
        )
        foreach ($call in $calls) {
            $err = $null
            try { & { $ErrorActionPreference = 'Stop'; & $call } | Out-Null } catch { $err = $_ }
            $err | Should -Not -BeNullOrEmpty -Because "$call must fail"
            $err.Exception.Message | Should -Match "'no-such-ca\.pem' is neither an existing file .* nor PEM text" -Because "$call"
            $err.Exception.Message | Should -Not -Match 'corrupted stream|GetInstance|Org\.BouncyCastle' -Because "$call"
        }
    }

    It 'the binding error carries the stable ErrorId (PathNotFound) as its inner TlsToolsException' {
        $err = $null
        try { New-Certificate -Issuer 'no-such-ca.pem' -DnsName x.example.test } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -BeLike 'ParameterArgumentTransformationError,*'
        $inner = $err.Exception
        while ($inner -and $inner.GetType().Name -ne 'TlsToolsException') { $inner = $inner.InnerException }
        $inner.ErrorId | Should -Be 'PathNotFound'
    }

    It 'Test-CertificateChain keeps its per-input ErrorIds (PathNotFound, InvalidPem) for what it cannot read' {
        Get-ErrorId { Test-CertificateChain 'no-such-leaf.pem' } | Should -Be 'PathNotFound'
        Get-ErrorId { Test-CertificateChain $c.Leaf -TrustedRoot "-----BEGIN CERTIFICATE-----`nnot base64" } | Should -Be 'InvalidPem'
    }

    It 'broken PEM text is InvalidPem, with our message rather than the parser''s' {
        $err = $null
        try { New-Certificate -Issuer "-----BEGIN CERTIFICATE-----`nMIIB" -DnsName x.example.test } catch { $err = $_ }
        $err.Exception.Message | Should -Match 'InvalidPem'
        $err.Exception.Message | Should -Not -Match 'corrupted stream|Org\.BouncyCastle'
    }

    It 'a parameter that takes one certificate refuses several without one key (MoreThanOneCertificate)' {
        $other = New-CaCertificate -Subject 'CN=Other'
        $bundle = $c.Root.ToPem() + $other.ToPem()
        $err = $null
        try { New-Certificate -Issuer $bundle -DnsName x.example.test } catch { $err = $_ }
        $err.Exception.Message | Should -Match 'MoreThanOneCertificate: The input holds 2 certificates'
    }

    It 'of several certificates, a single-certificate parameter takes the one with the key (a PFX or PEM bundle)' {
        $bundle = $c.Leaf.ToPem() + $c.Intermediate.ToPem() + (Get-KeyPem $c.Intermediate) + $c.Root.ToPem()
        $leaf = New-Certificate -Issuer $bundle -DnsName 'www.example.test'
        $leaf.Issuer | Should -Be $c.Intermediate.Subject
    }

    It '$null is refused where it would change the meaning' {
        Get-ErrorId { New-CaCertificate -Subject 'CN=Typo' -Issuer $null } | Should -Be 'ParameterArgumentValidationError'
        Get-ErrorId { New-Certificate -Issuer $c.Intermediate -DnsName x.example.test -PrivateKey $null } | Should -Be 'ParameterArgumentValidationError'
        Get-ErrorId { New-Certificate -SelfSigned -DnsName x.example.test -PrivateKey $null } | Should -Be 'ParameterArgumentValidationError'
        Get-ErrorId { New-CaCertificate -Subject 'CN=Typo' -PrivateKey $null } | Should -Be 'ParameterArgumentValidationError'
        Get-ErrorId { New-CertificateRequest -DnsName x.example.test -PrivateKey $null } | Should -Be 'ParameterArgumentValidationError'
        # A mistyped -Password must not write an unencrypted key, nor a mistyped -TrustedRoot or -Crl mean "the
        # system store" or "no revocation check", nor a mistyped -RevokedCertificate make a CRL that revokes nothing.
        $keyFile = Join-Path $Dir 'typo.key'
        Get-ErrorId { $c.Leaf.PrivateKey | Save-PrivateKey -Path $keyFile -Password $null } | Should -Be 'ParameterArgumentValidationError'
        Test-Path $keyFile | Should -BeFalse
        Get-ErrorId { $c.Leaf | Save-Certificate -Path (Join-Path $Dir 'typo.pfx') -Format Pfx -Password $null } | Should -Be 'ParameterArgumentValidationError'
        Get-ErrorId { $c.Leaf | Save-Certificate -Path (Join-Path $Dir 'typo.pem') -PrivateKey $null } | Should -Be 'ParameterArgumentValidationError'
        Get-ErrorId { Invoke-TlsHandshake -HostName 127.0.0.1 -Port 1 -TrustedRoot $null } | Should -Be 'ParameterArgumentValidationError'
        Get-ErrorId { Invoke-TlsHandshake -HostName 127.0.0.1 -Port 1 -Crl $null } | Should -Be 'ParameterArgumentValidationError'
        Get-ErrorId { Invoke-TlsHandshake -HostName 127.0.0.1 -Port 1 -ClientCertificate $null } | Should -Be 'ParameterArgumentValidationError'
        Get-ErrorId { Start-TlsServer -Certificate $c.Leaf -TrustedRoot $null } | Should -Be 'ParameterArgumentValidationError'
        Get-ErrorId { Get-TlsServerProfile -HostName 127.0.0.1 -Port 1 -TrustedRoot $null } | Should -Be 'ParameterArgumentValidationError'
        Get-ErrorId { New-CertificateRevocationList -Issuer $c.Intermediate -RevokedCertificate $null } | Should -Be 'ParameterArgumentValidationError'
        Get-ErrorId { New-CertificateRevocationList -Issuer $c.Intermediate -SerialNumber $null } | Should -Be 'ParameterArgumentValidationError'
    }
}

Describe 'X509Certificate2 keeps its private key in the conversion' -Tag 'CertificateInput' -ForEach @(
    @{ Algorithm = 'Rsa2048' }, @{ Algorithm = 'EcdsaP256' }, @{ Algorithm = 'EcdsaP384' }
) {
    It '<Algorithm>: an X509Certificate2 made by CreateFromPem signs as -Issuer and serves in Start-TlsServer' {
        $ca = New-CaCertificate -Subject "CN=X509 $Algorithm CA" -Algorithm $Algorithm
        $x = [Security.Cryptography.X509Certificates.X509Certificate2]::CreateFromPem($ca.ToPem(), (Get-KeyPem $ca))
        $x.HasPrivateKey | Should -BeTrue
        ([TlsTools.Pki.Certificate]$x).HasPrivateKey | Should -BeTrue
        $leaf = New-Certificate -Issuer $x -DnsName www.example.test -Algorithm $Algorithm
        (Test-CertificateChain $leaf -TrustedRoot $ca -DnsName www.example.test).IsValid | Should -BeTrue

        $pfx = Join-Path $Dir "x509-$Algorithm.pfx"
        $leaf | Save-Certificate -Path $pfx -Format Pfx -Password $Password | Out-Null
        $xLeaf = [Security.Cryptography.X509Certificates.X509Certificate2]::new($pfx, $PasswordText, 'Exportable')
        $tls = Start-TlsServer -Certificate $xLeaf -TlsVersion Tls12, Tls13
        try {
            $r = Invoke-TlsHandshake -HostName 127.0.0.1 -Port $tls.Port -ServerName www.example.test -TrustedRoot $ca -TimeoutSeconds 20
            $r.Success | Should -BeTrue
            $r.Validation.IsValid | Should -BeTrue
        } finally { $tls | Stop-TlsServer }
    }
}
