# -Online on Test-CertificateChain, Invoke-TlsHandshake and Get-TlsServerProfile, against real peers on 127.0.0.1:
# `openssl ocsp -index` as the OCSP responder (a delegated responder certificate), python3's http.server
# (tests/data/online/http_server.py) serving intermediates and CRLs at the AIA/CDP URLs, and a PKI made by openssl.
# Verdicts are compared with `openssl ocsp -issuer -cert -url` on the same responder.
BeforeAll {
    . $PSScriptRoot/common.ps1
    . $PSScriptRoot/Peers.common.ps1

    foreach ($tool in 'openssl', 'python3') {
        if (-not (Get-Command $tool -ErrorAction SilentlyContinue)) { throw "$tool is not installed: apt-get install -y $(if ($tool -eq 'python3') { 'python3' } else { 'openssl' })" }
    }
    $script:Dir = Join-Path $TestDrive 'online'
    $null = New-Item -ItemType Directory -Path $Dir
    $script:Served = Join-Path $Dir 'www'
    $null = New-Item -ItemType Directory -Path $Served

    function Invoke-Tool {
        <# openssl with the arguments in the PKI folder; throws with its output when it fails. #>
        Push-Location $Dir
        try {
            $out = & openssl @args 2>&1 | Out-String
            if ($LASTEXITCODE -ne 0) { throw "openssl $($args -join ' ') failed: $out" }
            $out
        } finally { Pop-Location }
    }

    function New-OpenSslCertificate {
        <# A P-256 key and certificate $Name.pem/$Name.key signed by $Issuer (self-signed without), with the extension lines given. #>
        param([string] $Name, [string] $Subject, [string] $Issuer, [string[]] $Extension)
        Set-Content -Path (Join-Path $Dir "$Name.ext") -Value (@('[ext]') + $Extension)
        $null = Invoke-Tool req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$Name.key" -out "$Name.csr" -subj $Subject
        $serial = '0x' + -join ((1..16) | ForEach-Object { '{0:X2}' -f (Get-Random -Minimum 16 -Maximum 127) })
        $signer = if ($Issuer) { @('-CA', "$Issuer.pem", '-CAkey', "$Issuer.key") } else { @('-signkey', "$Name.key") }
        $null = Invoke-Tool x509 -req -in "$Name.csr" @signer -set_serial $serial -days 30 -sha256 -extfile "$Name.ext" -extensions ext -out "$Name.pem"
        Get-Content -Raw (Join-Path $Dir "$Name.pem"), (Join-Path $Dir "$Name.key") | Set-Content (Join-Path $Dir "$Name.bundle.pem")
        Read-Certificate -Path (Join-Path $Dir "$Name.bundle.pem") | Select-Object -First 1
    }

    function Add-IndexLine {
        <# The responder's index.txt line (openssl ca's format): V, or R with the revocation time and reason. #>
        param($Certificate, [switch] $Revoked)
        $status = if ($Revoked) { 'R' } else { 'V' }
        $revokedAt = if ($Revoked) { [DateTime]::UtcNow.AddHours(-1).ToString('yyMMddHHmmss') + 'Z,keyCompromise' } else { '' }
        $subject = '/' + ($Certificate.Subject -replace ', ', '/')
        Add-Content -Path (Join-Path $Dir 'index.txt') -Value ("$status`t301231235959Z`t$revokedAt`t$($Certificate.SerialNumber)`tunknown`t$subject")
    }

    function Get-HttpCount { [int](Invoke-RestMethod -Uri "http://127.0.0.1:$($script:Http.Port)/__count" -TimeoutSec 10) }

    $ca = @('basicConstraints=critical,CA:TRUE', 'keyUsage=critical,keyCertSign,cRLSign', 'subjectKeyIdentifier=hash')
    $script:Root = New-OpenSslCertificate -Name root -Subject '/CN=Online Root CA' -Extension $ca

    # The HTTP server first: its port goes into the certificates.
    $script:Http = Start-TestProcess -FilePath python3 -ArgumentList @((Join-Path $PSScriptRoot 'data/online/http_server.py'), $Served)
    $m = Wait-PeerLine -Peer $Http -Pattern '^LISTENING (\d+)$'
    if (-not $m) { throw "python3 http_server.py did not start: $($Http | Stop-TestProcess)" }
    $Http | Add-Member -NotePropertyName Port -NotePropertyValue ([int]$m.Groups[1].Value)
    $script:H = "http://127.0.0.1:$($Http.Port)"

    $script:Inter = New-OpenSslCertificate -Name inter -Subject '/CN=Online Issuing CA' -Issuer root -Extension (
        @('basicConstraints=critical,CA:TRUE,pathlen:0', 'keyUsage=critical,keyCertSign,cRLSign', 'subjectKeyIdentifier=hash',
            'authorityKeyIdentifier=keyid:always', "crlDistributionPoints=URI:$H/root.crl"))
    $script:Responder = New-OpenSslCertificate -Name responder -Subject '/CN=Online OCSP Responder' -Issuer inter -Extension (
        @('basicConstraints=critical,CA:FALSE', 'keyUsage=critical,digitalSignature', 'extendedKeyUsage=OCSPSigning',
            'subjectKeyIdentifier=hash', 'authorityKeyIdentifier=keyid:always'))

    # The responder: a delegated responder certificate; it reloads index.txt when it changes.
    Set-Content -Path (Join-Path $Dir 'index.txt') -Value $null -NoNewline
    $script:Ocsp = Start-TestProcess -FilePath openssl -WorkingDirectory $Dir -ArgumentList @(
        'ocsp', '-index', 'index.txt', '-port', '0', '-rsigner', 'responder.pem', '-rkey', 'responder.key', '-CA', 'inter.pem', '-ndays', '1', '-ignore_err')
    $m = Wait-PeerLine -Peer $Ocsp -Pattern '^ACCEPT \S+:(\d+)'
    if (-not $m) { throw "openssl ocsp did not start: $($Ocsp | Stop-TestProcess)" }
    $script:O = "http://127.0.0.1:$($m.Groups[1].Value)"

    function New-Leaf {
        <# A server leaf under the intermediate for $Dns with the AIA and CDP URLs given ('' leaves the extension out). #>
        param([string] $Name, [string] $Ocsp = $script:O, [string] $CaIssuers = "$script:H/inter.der", [string] $Crl = "$script:H/inter.crl")
        $ext = @('basicConstraints=critical,CA:FALSE', 'keyUsage=critical,digitalSignature', 'extendedKeyUsage=serverAuth',
            'subjectKeyIdentifier=hash', 'authorityKeyIdentifier=keyid:always', "subjectAltName=DNS:$Name.example.test")
        $aia = @(if ($CaIssuers) { "caIssuers;URI:$CaIssuers" }; if ($Ocsp) { "OCSP;URI:$Ocsp" })
        if ($aia) { $ext += 'authorityInfoAccess=' + ($aia -join ',') }
        if ($Crl) { $ext += "crlDistributionPoints=URI:$Crl" }
        New-OpenSslCertificate -Name $Name -Subject "/CN=$Name.example.test" -Issuer inter -Extension $ext
    }

    $script:Good = New-Leaf good
    $script:Revoked = New-Leaf revoked
    $script:Unknown = New-Leaf unknown -Crl ''
    $script:CrlRevoked = New-Leaf crlrevoked -Ocsp ''
    $script:P7 = New-Leaf p7 -CaIssuers "$H/inter.p7c"
    Add-IndexLine $Good
    Add-IndexLine $Revoked -Revoked
    Add-IndexLine $CrlRevoked -Revoked
    Add-IndexLine $P7
    # openssl ocsp reloads index.txt when its modification time changes, checked before it waits for a request, so the
    # first request after the change may still be answered from the old (empty) index; and a change within the same
    # second as the empty file is not seen at all. So: move the mtime on, then ask until the responder knows 'good'
    # (bounded), which is the state every test below needs.
    (Get-Item (Join-Path $Dir 'index.txt')).LastWriteTimeUtc = [DateTime]::UtcNow.AddSeconds(5)
    $deadline = [DateTime]::UtcNow.AddSeconds(60)
    do {
        $answer = Invoke-Tool ocsp -issuer inter.pem -cert good.pem -url $O -no_nonce -noverify
        if ($answer -match 'good\.pem: good') { break }
        Start-Sleep -Milliseconds 200
    } while ([DateTime]::UtcNow -lt $deadline)
    if ($answer -notmatch 'good\.pem: good') { throw "openssl ocsp did not load index.txt in 60 s: $answer" }

    # What the HTTP server serves: the intermediate as DER and PKCS#7, the CRLs (made by the module from the openssl CAs).
    $null = Invoke-Tool x509 -in inter.pem -outform DER -out (Join-Path $Served 'inter.der')
    $null = Invoke-Tool crl2pkcs7 -nocrl -certfile inter.pem -outform DER -out (Join-Path $Served 'inter.p7c')
    $rootCa = Read-Certificate -Path (Join-Path $Dir 'root.bundle.pem') | Select-Object -First 1
    $interCa = Read-Certificate -Path (Join-Path $Dir 'inter.bundle.pem') | Select-Object -First 1
    New-CertificateRevocationList -Issuer $rootCa | Save-CertificateRevocationList -Path (Join-Path $Served 'root.crl') -Format Der
    $CrlRevoked | New-CertificateRevocationList -Issuer $interCa -Reason KeyCompromise | Save-CertificateRevocationList -Path (Join-Path $Served 'inter.crl') -Format Der
    [IO.File]::WriteAllText((Join-Path $Served 'garbage.ocsp'), 'this is not an OCSP response')

    $script:Common = @{ Intermediate = $Inter; TrustedRoot = $Root; Online = $true }
}

AfterAll {
    if ($script:Ocsp) { $null = $script:Ocsp | Stop-TestProcess }
    if ($script:Http) { $null = $script:Http | Stop-TestProcess }
}

Describe 'Test-CertificateChain -Online against openssl ocsp and python http.server' -Tag Online {
    It 'agrees with openssl ocsp on <Name> (<Expected>)' -ForEach @(
        @{ Name = 'good'; Expected = 'good' }
        @{ Name = 'revoked'; Expected = 'revoked' }
        @{ Name = 'unknown'; Expected = 'unknown' }
    ) {
        $openssl = Invoke-Tool ocsp -issuer inter.pem -cert "$Name.pem" -url $O -CAfile root.pem -VAfile responder.pem -no_nonce
        $openssl | Should -Match ([regex]::Escape("$Name.pem: $Expected"))

        $cert = Get-Variable -Scope Script -Name ($Name.Substring(0, 1).ToUpper() + $Name.Substring(1)) -ValueOnly
        $r = Test-CertificateChain -Certificate $cert -DnsName "$Name.example.test" @Common
        $r.Revocation[0].Method | Should -Be 'Ocsp'
        $r.Revocation[0].Status | Should -Be $Expected
        $r.Revocation[0].Source | Should -Be $O
        $r.Revocation[0].ThisUpdate | Should -Not -BeNullOrEmpty
        $r.Revocation[0].NextUpdate | Should -BeGreaterThan ([DateTime]::UtcNow)
        switch ($Expected) {
            'good' { $r.IsValid | Should -BeTrue; $r.Warnings.Count | Should -Be 0 }
            'revoked' {
                $r.IsValid | Should -BeFalse
                ($r.Failures | Where-Object Check -eq Revoked).Certificate.Thumbprint | Should -Be $cert.Thumbprint
                $r.Revocation[0].Reason | Should -Be 'keyCompromise'
            }
            'unknown' {
                # No CRL to fall back to: Unknown is not a decision; Warn (the default) keeps the chain valid and says so.
                $r.IsValid | Should -BeTrue
                ($r.Warnings | Where-Object Check -eq RevocationUnavailable).Certificate.Thumbprint | Should -Be $cert.Thumbprint
                $f = Test-CertificateChain -Certificate $cert -DnsName "$Name.example.test" @Common -RevocationFailure Fail
                $f.IsValid | Should -BeFalse
                $f.Failures.Check | Should -Contain 'RevocationUnavailable'
            }
        }
        # The intermediate is decided by the root's CRL from its distribution point; the anchor is not checked.
        $r.Revocation[1].Method | Should -Be 'Crl'
        $r.Revocation[1].Status | Should -Be 'Good'
        $r.Revocation[1].Source | Should -Be "$H/root.crl"
        $r.Revocation[2].Method | Should -Be 'None'
    }

    It 'decides by the CRL distribution point when the certificate names no responder' {
        $r = Test-CertificateChain -Certificate $CrlRevoked -DnsName crlrevoked.example.test @Common
        $r.IsValid | Should -BeFalse
        $r.Failures.Check | Should -Contain 'Revoked'
        $r.Revocation[0].Method | Should -Be 'Crl'
        $r.Revocation[0].Status | Should -Be 'Revoked'
        $r.Revocation[0].Source | Should -Be "$H/inter.crl"
        $r.Revocation[0].Reason | Should -Be 'KeyCompromise'
    }

    It 'completes a chain from AIA caIssuers (<Form>) and reports it as IncompleteChain' -ForEach @(
        @{ Form = 'DER'; Leaf = 'good'; Url = '/inter.der' }
        @{ Form = 'PKCS#7'; Leaf = 'p7'; Url = '/inter.p7c' }
    ) {
        $cert = Read-Certificate -Path (Join-Path $Dir "$Leaf.pem")
        $offline = Test-CertificateChain -Certificate $cert -TrustedRoot $Root -DnsName "$Leaf.example.test"
        $offline.Failures.Check | Should -Contain 'MissingIssuer'

        $r = Test-CertificateChain -Certificate $cert -TrustedRoot $Root -DnsName "$Leaf.example.test" -Online
        $r.IsValid | Should -BeTrue -Because ($r.Failures.Message -join '; ')
        $r.Chain.Count | Should -Be 3
        $r.CompletedFromAia.Count | Should -Be 1
        $r.CompletedFromAia[0].Url | Should -Be "$H$Url"
        $r.CompletedFromAia[0].Certificate.Thumbprint | Should -Be $Inter.Thumbprint
        # The default views: what was fetched, for whom, from where; and one revocation row per certificate.
        ($r.CompletedFromAia | Format-Table | Out-String -Width 120) | Should -Match ('CN=Online Issuing CA\s+CN=' + [regex]::Escape("$Leaf.example.test"))
        ($r.Revocation | Format-Table | Out-String -Width 80) | Should -Match 'Ocsp\s+Good'
        ($r.Warnings | Where-Object Check -eq IncompleteChain).Message | Should -BeLike "*$H$Url*"
    }

    It 'rejects an expired OCSP response (a stale nextUpdate) as Unavailable' {
        $stale = New-Leaf stale -Ocsp "$H/stale.ocsp" -Crl ''
        $interCa = Read-Certificate -Path (Join-Path $Dir 'inter.bundle.pem') | Select-Object -First 1
        $now = [DateTime]::UtcNow
        $null = New-OcspResponse -Issuer $interCa -Certificate $stale -Status Good -ThisUpdate $now.AddDays(-3) -NextUpdate $now.AddDays(-2) -Path (Join-Path $Served 'stale.ocsp')
        $r = Test-CertificateChain -Certificate $stale -DnsName stale.example.test @Common -RevocationFailure Fail
        $r.IsValid | Should -BeFalse
        $r.Failures.Check | Should -Contain 'RevocationUnavailable'
        $r.Revocation[0].Method | Should -Be 'Ocsp'
        $r.Revocation[0].Status | Should -Be 'Unavailable'
        $r.Revocation[0].Message | Should -BeLike '*nextUpdate*'
    }

    It 'bounds an unreachable, silent, oversized or garbage responder: <Case>' -ForEach @(
        @{ Case = 'refused'; Url = 'refused'; Id = 'OnlineFetchFailed'; Timeout = 2 }
        @{ Case = 'never answers'; Url = '/__hang'; Id = 'OnlineFetchTimeout'; Timeout = 2 }
        # 11 MiB from python on a loaded machine can take longer than 2 s: the size bound, not the clock, must end it.
        @{ Case = 'oversized'; Url = '/__big'; Id = 'OnlineResponseTooLarge'; Timeout = 20 }
        @{ Case = 'garbage'; Url = '/garbage.ocsp'; Id = 'OnlineResponseInvalid'; Timeout = 2 }
    ) {
        $refused = New-RefusedPort
        try {
            $url = if ($Url -eq 'refused') { "http://127.0.0.1:$($refused.Port)/" } else { "$H$Url" }
            $leaf = New-Leaf ("bad" + [guid]::NewGuid().ToString('N').Substring(0, 6)) -Ocsp $url -Crl ''
            $dns = $leaf.DnsNames[0]
            $clock = [Diagnostics.Stopwatch]::StartNew()
            $warn = Test-CertificateChain -Certificate $leaf -DnsName $dns @Common -TimeoutSeconds $Timeout
            $clock.Elapsed.TotalSeconds | Should -BeLessThan 60
            $warn.IsValid | Should -BeTrue -Because 'Warn is the default'
            $warn.Revocation[0].Status | Should -Be 'Unavailable'
            $warn.Revocation[0].Message | Should -BeLike "*$Id*"
            ($warn.Warnings | Where-Object Check -eq RevocationUnavailable).Message | Should -BeLike "*$Id*"

            $fail = Test-CertificateChain -Certificate $leaf -DnsName $dns @Common -TimeoutSeconds $Timeout -RevocationFailure Fail
            $fail.IsValid | Should -BeFalse
            ($fail.Failures | Where-Object Check -eq RevocationUnavailable).Certificate.Thumbprint | Should -Be $leaf.Thumbprint
        } finally { $refused.Dispose() }
    }

    It 'fetches nothing without -Online, on all three cmdlets (a server counting requests sees none)' {
        $leaf = Read-Certificate -Path (Join-Path $Dir 'good.bundle.pem') | Select-Object -First 1
        $before = Get-HttpCount
        $null = Test-CertificateChain -Certificate $leaf -TrustedRoot $Root -DnsName good.example.test
        $null = Test-CertificateChain -Certificate $leaf -TrustedRoot $Root -DnsName good.example.test -RevocationFailure Fail
        $server = Start-TlsServer -Certificate $leaf
        try {
            $h = Invoke-TlsHandshake -HostName 127.0.0.1 -Port $server.Port -ServerName good.example.test -TrustedRoot $Root
            $h.Validation.Failures.Check | Should -Contain 'MissingIssuer'
            $null = Get-TlsServerProfile -HostName 127.0.0.1 -Port $server.Port -ServerName good.example.test
        } finally { $server | Stop-TlsServer }
        (Get-HttpCount) | Should -Be $before
        # The same with -Online does fetch (the counter works).
        $null = Test-CertificateChain -Certificate $leaf -TrustedRoot $Root -DnsName good.example.test -Online
        (Get-HttpCount) | Should -BeGreaterThan $before
    }

    It 'stops at once on Ctrl+C while a responder never answers' {
        $null = New-Leaf hangs -Ocsp "$H/__hang" -Crl ''
        $before = Get-HttpCount
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript({
                    param($Module, $Leaf, $Inter, $Root)
                    Import-Module $Module
                    Test-CertificateChain -Certificate $Leaf -Intermediate $Inter -TrustedRoot $Root -DnsName hangs.example.test -Online -TimeoutSeconds 600
                }).AddArgument((Join-Path $RepoRoot 'TlsTools.psd1')).AddArgument((Join-Path $Dir 'hangs.pem')).AddArgument((Join-Path $Dir 'inter.pem')).AddArgument((Join-Path $Dir 'root.pem'))
            $async = $ps.BeginInvoke()
            $deadline = [DateTime]::UtcNow.AddSeconds(60)
            while ((Get-HttpCount) -eq $before -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
            (Get-HttpCount) | Should -BeGreaterThan $before -Because 'the responder must have been asked before Ctrl+C'
            $async.IsCompleted | Should -BeFalse -Because 'the responder never answers and the timeout is 600 s'
            $clock = [Diagnostics.Stopwatch]::StartNew()
            $ps.Stop()
            $clock.Elapsed.TotalSeconds | Should -BeLessThan 5
            $ps.InvocationStateInfo.State | Should -Be 'Stopped'
        } finally { $ps.Dispose() }
    }

    It 'fetches each URL once per run: a pipeline of three certificates asks the CRL once' {
        $leaves = 1..3 | ForEach-Object { New-Leaf ("once$_") -Ocsp '' -Crl "$H/inter.crl?once" }
        $before = Get-HttpCount
        $results = $leaves | ForEach-Object { [pscustomobject]@{ Certificate = $_; HostName = $_.DnsNames[0] } } | Test-CertificateChain @Common
        $results.Count | Should -Be 3
        $results | ForEach-Object { $_.Revocation[0].Method | Should -Be 'Crl'; $_.Revocation[0].Status | Should -Be 'Good' }
        # inter.crl?once once, root.crl once.
        (Get-HttpCount) - $before | Should -Be 2
    }
}

Describe 'Invoke-TlsHandshake and Get-TlsServerProfile -Online' -Tag Online {
    BeforeAll {
        $leaf = Read-Certificate -Path (Join-Path $Dir 'good.bundle.pem') | Select-Object -First 1
        # The server sends the leaf alone: an incomplete chain.
        $script:Server = Start-TlsServer -Certificate $leaf
        # A leaf whose OCSP and CRL URLs count on the HTTP server, for the staple tests.
        $script:Stapled = New-Leaf stapled -Ocsp "$H/stapled.ocsp" -Crl "$H/stapled.crl"
    }
    AfterAll { if ($script:Server) { $script:Server | Stop-TlsServer } }

    It 'Invoke-TlsHandshake completes the chain from AIA, says IncompleteChain, and checks OCSP' {
        $r = Invoke-TlsHandshake -HostName 127.0.0.1 -Port $Server.Port -ServerName good.example.test -TrustedRoot $Root -Online
        $r.Success | Should -BeTrue
        $r.Validation.IsValid | Should -BeTrue -Because ($r.Validation.Failures.Message -join '; ')
        $r.Validation.CompletedFromAia.Url | Should -Be "$H/inter.der"
        $r.Validation.Warnings.Check | Should -Contain 'IncompleteChain'
        $r.Validation.Revocation[0].Method | Should -Be 'Ocsp'
        $r.Validation.Revocation[0].Status | Should -Be 'Good'
    }

    It 'a stapled answer decides the leaf (Method Staple): the responder is not asked, and Revoked fails once' {
        $interCa = Read-Certificate -Path (Join-Path $Dir 'inter.bundle.pem') | Select-Object -First 1
        $staple = New-OcspResponse -Issuer $interCa -Certificate $Stapled -Status Revoked -RevocationReason KeyCompromise
        $withKey = Read-Certificate -Path (Join-Path $Dir 'stapled.bundle.pem') | Select-Object -First 1
        $tls = Start-TlsServer -Certificate $withKey -Chain $Inter -OcspResponse $staple
        try {
            $before = Get-HttpCount
            $r = Invoke-TlsHandshake -HostName 127.0.0.1 -Port $tls.Port -ServerName stapled.example.test -TrustedRoot $Root -Online
            # Only the intermediate's CRL (root.crl) is fetched; the leaf's OCSP and CRL URLs are not.
            (Get-HttpCount) - $before | Should -Be 1
        } finally { $tls | Stop-TlsServer }
        $r.Validation.Revocation[0].Method | Should -Be 'Staple'
        $r.Validation.Revocation[0].Status | Should -Be 'Revoked'
        @($r.Validation.Failures | Where-Object Check -eq Revoked).Count | Should -Be 1
        $r.Validation.Revocation[1].Method | Should -Be 'Crl'
    }

    It '-RevocationFailure applies to a staple that decides nothing, without -Online too (nothing fetched)' {
        $interCa = Read-Certificate -Path (Join-Path $Dir 'inter.bundle.pem') | Select-Object -First 1
        $withKey = Read-Certificate -Path (Join-Path $Dir 'stapled.bundle.pem') | Select-Object -First 1
        # An Unknown answer from the issuer: signed and fresh, but it decides nothing.
        $staple = New-OcspResponse -Issuer $interCa -Certificate $withKey -Status Unknown
        $tls = Start-TlsServer -Certificate $withKey -Chain $Inter -OcspResponse $staple
        try {
            $before = Get-HttpCount
            $warn = Invoke-TlsHandshake -HostName 127.0.0.1 -Port $tls.Port -ServerName stapled.example.test -TrustedRoot $Root
            $fail = Invoke-TlsHandshake -HostName 127.0.0.1 -Port $tls.Port -ServerName stapled.example.test -TrustedRoot $Root -RevocationFailure Fail
            (Get-HttpCount) | Should -Be $before
        } finally { $tls | Stop-TlsServer }
        $warn.Validation.Revocation[0].Method | Should -Be 'Staple'
        $warn.Validation.Revocation[0].Status | Should -Be 'Unknown'
        $warn.Validation.IsValid | Should -BeTrue
        $warn.Validation.Warnings.Check | Should -Contain 'RevocationUnavailable'
        $fail.Validation.IsValid | Should -BeFalse
        $fail.Validation.Failures.Check | Should -Contain 'RevocationUnavailable'
    }

    It 'Get-TlsServerProfile lists the AIA completion and the IncompleteChain finding on the served chain' {
        $p = Get-TlsServerProfile -HostName 127.0.0.1 -Port $Server.Port -ServerName good.example.test -Online
        $chain = $p.CertificateChains | Select-Object -First 1
        $chain.CompletedFromAia.Url | Should -Be "$H/inter.der"
        $chain.ValidationWarnings.Check | Should -Contain 'IncompleteChain'
        # The OS store does not trust the test root, so the verdict stays invalid; revocation was still asked.
        $chain.Revocation[0].Method | Should -Be 'Ocsp'
    }
}
