# nginx with Mozilla's Server Side TLS 5.7 configurations (tests/peers/nginx/: modern, intermediate, old) on 127.0.0.1, and
# testssl.sh runs against them, for tests/Assessment.Nginx.Tests.ps1 and bench/Assessment.Bench.ps1. Each nginx runs as a
# foreground master from its own temporary directory (pid, logs, temporary files there; no root needed) on a free port, with
# certificates made at start by the module, an OCSP response made by `openssl ocsp` to staple, and RFC 7919's ffdhe2048.
# Which packages hold nginx and testssl.sh: tests/Peers.psd1 (Group Assessment). Dot-source after the module is imported.

. $PSScriptRoot/Peers.common.ps1

$script:NginxPeerConfigs = Join-Path $PSScriptRoot 'peers/nginx'
$script:NginxServerName = 'nginx.tlstools.test'

# How long one testssl.sh run may take before it is killed (35-78 s per server on a quiet machine; over 400 s was seen
# with three in parallel on a shared 2-core machine at load 40).
$script:TestSslTimeoutSeconds = 900

# testssl.sh's JSON ids -> TlsTools' FindingIds (the one table; the tests and the bench read it; the module's constants,
# so a renamed Id fails here). Where testssl says OK
# (or INFO for a feature that is absent but harmless) our report should have no such finding, and the reverse.
$script:TestSslFindingMap = [ordered]@{
    SSLv2                 = [TlsTools.Scanning.FindingIds]::SSLv2
    SSLv3                 = [TlsTools.Scanning.FindingIds]::SSLv3
    TLS1                  = [TlsTools.Scanning.FindingIds]::TLS10
    TLS1_1                = [TlsTools.Scanning.FindingIds]::TLS11
    RC4                   = [TlsTools.Scanning.FindingIds]::RC4
    SWEET32               = [TlsTools.Scanning.FindingIds]::Sweet32
    FREAK                 = [TlsTools.Scanning.FindingIds]::ExportSuites
    LOGJAM                = [TlsTools.Scanning.FindingIds]::WeakDhGroup
    BEAST                 = [TlsTools.Scanning.FindingIds]::Beast
    CRIME_TLS             = [TlsTools.Scanning.FindingIds]::Crime
    secure_renego         = [TlsTools.Scanning.FindingIds]::NoSecureRenegotiation
    secure_client_renego  = [TlsTools.Scanning.FindingIds]::ClientRenegotiation
    fallback_SCSV         = [TlsTools.Scanning.FindingIds]::NoFallbackScsv
    heartbleed            = [TlsTools.Scanning.FindingIds]::Heartbleed
    CCS                   = [TlsTools.Scanning.FindingIds]::CcsInjection
    OCSP_stapling         = [TlsTools.Scanning.FindingIds]::NoOcspStapling
    cert_expirationStatus = [TlsTools.Scanning.FindingIds]::CertificateExpiring   # testssl's one id for expired and expiring; these servers' are neither
    cipherlist_NULL       = [TlsTools.Scanning.FindingIds]::NullSuites
    cipherlist_aNULL      = [TlsTools.Scanning.FindingIds]::AnonymousSuites
    cipherlist_EXPORT     = [TlsTools.Scanning.FindingIds]::ExportSuites
}

# testssl.sh's names of versions (its JSON ids) -> TlsTools' TlsVersion names.
$script:TestSslVersionIds = [ordered]@{ SSLv2 = 'Ssl20'; SSLv3 = 'Ssl30'; TLS1 = 'Tls10'; TLS1_1 = 'Tls11'; TLS1_2 = 'Tls12'; TLS1_3 = 'Tls13' }

function Get-AssessmentPeerPackage {
    <# The assessment peers of tests/Peers.psd1 (the one list the test command installs from) as (Tool, Paths, Packages). #>
    foreach ($p in (Import-PowerShellDataFile (Join-Path $PSScriptRoot 'Peers.psd1')).Peers | Where-Object { $_.Group -eq 'Assessment' }) {
        [pscustomobject]@{ Tool = $p.Command; Paths = @($p.Paths); Packages = @($p.Apt) }
    }
}

function Find-AssessmentPeer {
    <# The path of nginx or testssl; throws (a test FAILURE, never a skip) naming the install command when it is missing. #>
    param([Parameter(Mandatory)] [ValidateSet('nginx', 'testssl')] [string] $Tool)
    $p = Get-AssessmentPeerPackage | Where-Object Tool -eq $Tool
    $found = Get-Command $Tool -CommandType Application -ErrorAction Ignore | Select-Object -First 1
    if ($found) { return $found.Source }
    foreach ($path in $p.Paths) { if ($path -and (Test-Path -LiteralPath $path)) { return $path } }
    throw "$Tool is not installed: run the tests with ./build.ps1 test, which installs the peers in tests/Peers.psd1, or: sudo apt-get install -y $($p.Packages -join ' ')"
}

function Get-NginxProfileConfig {
    <#
    What a profile's configuration in tests/peers/nginx/ allows, read from the file (the tests derive their expectations
    from it, not from lists of their own): Protocols (TlsVersion names), Ciphers (OpenSSL names, @SECLEVEL dropped),
    CipherString (as written), Curves (OpenSSL names), PreferServerCiphers, Certificates (the key types served: Rsa, Ecdsa), DhParam (file name or
    $null), Stapling.
    #>
    param([Parameter(Mandatory)] [ValidateSet('Modern', 'Intermediate', 'Old')] [string] $Profile)
    $text = Get-Content -Raw -LiteralPath (Join-Path $NginxPeerConfigs "$($Profile.ToLowerInvariant()).conf")
    $directive = {
        param($name)
        $m = [regex]::Matches($text, '(?m)^\s*' + [regex]::Escape($name) + '\s+([^;#]+);')
        @($m | ForEach-Object { $_.Groups[1].Value.Trim().Trim('"') })
    }
    $versionNames = @{ TLSv1 = 'Tls10'; 'TLSv1.1' = 'Tls11'; 'TLSv1.2' = 'Tls12'; 'TLSv1.3' = 'Tls13' }
    [pscustomobject]@{
        Profile             = $Profile
        Protocols           = @((& $directive 'ssl_protocols') -split '\s+' | ForEach-Object { $versionNames[$_] })
        CipherString        = @(& $directive 'ssl_ciphers') | Select-Object -First 1
        Ciphers             = @((& $directive 'ssl_ciphers') -split ':' | Where-Object { $_ -and -not $_.StartsWith('@') })
        Curves              = @((& $directive 'ssl_ecdh_curve') -split ':' | Where-Object { $_ })
        PreferServerCiphers = (& $directive 'ssl_prefer_server_ciphers') -contains 'on'
        Certificates        = @(& $directive 'ssl_certificate' | ForEach-Object { if ($_ -match 'rsa\.crt$') { 'Rsa' } elseif ($_ -match 'ecdsa\.crt$') { 'Ecdsa' } else { throw "unknown certificate $_" } })
        DhParam             = @(& $directive 'ssl_dhparam') | Select-Object -First 1
        Stapling            = (& $directive 'ssl_stapling') -contains 'on'
    }
}

function Get-NginxExpectedSuites {
    <#
    The suites a profile's server can negotiate, per version (TlsVersion name -> OpenSSL names), derived from its
    configuration: its ssl_ciphers expanded by this machine's OpenSSL (`openssl ciphers -v`, the library nginx uses, so a
    suite it lacks, such as Debian's 3DES, is not expected), kept to the versions ssl_protocols enables (TLSv1.2-only
    suites only there; the SSLv3-era ones in every version up to 1.2) and to the certificates served (an ECDSA suite needs
    the ECDSA certificate, an RSA one the RSA certificate). TLS 1.3: OpenSSL's default ciphersuites (nginx 1.22 has no
    directive for them, and Mozilla's guideline lists the same three).
    #>
    param([Parameter(Mandatory)] $Config)
    $cipherString = if ($Config.CipherString) { $Config.CipherString } else { 'DEFAULT' }
    $lines = & openssl ciphers -v $cipherString 2>&1
    if ($LASTEXITCODE) { throw "openssl ciphers -v '$cipherString' failed: $lines" }
    $expected = @{}   # in the configured order (openssl ciphers -v keeps it; TLS 1.3's come first, in OpenSSL's order)
    foreach ($v in $Config.Protocols) { $expected[$v] = [Collections.Generic.List[string]]::new() }
    foreach ($line in $lines) {
        if ($line -notmatch '^(\S+)\s+(\S+)\s+Kx=\S+\s+Au=(\S+)') { continue }
        $name = $Matches[1]; $proto = $Matches[2]; $au = $Matches[3]
        if ($au -eq 'RSA' -and $Config.Certificates -notcontains 'Rsa') { continue }
        if ($au -eq 'ECDSA' -and $Config.Certificates -notcontains 'Ecdsa') { continue }
        $versions = switch ($proto) { 'TLSv1.3' { 'Tls13' } 'TLSv1.2' { 'Tls12' } default { 'Tls10', 'Tls11', 'Tls12' } }
        foreach ($v in $versions) { if ($expected.ContainsKey($v)) { $expected[$v].Add($name) } }
    }
    $expected
}

function New-NginxProfileFiles {
    <#
    The certificates of a profile in $Directory: ca.crt (a CA of the key type the guideline's certificate signatures allow:
    ECDSA for modern, RSA otherwise), rsa.crt/rsa.key (RSA 2048) and/or ecdsa.crt/ecdsa.key (P-256) for nginx.tlstools.test
    and 127.0.0.1, valid 89 days (modern allows at most 90; testssl warns under 60 days left), and ocsp.der: one Good response for every certificate, made by
    `openssl ocsp` from an index (nginx staples the same file for each of a server's certificates). Returns the CA and the
    leaves by key type.
    #>
    param([Parameter(Mandatory)] [string] $Directory, [Parameter(Mandatory)] $Config)
    $caAlgorithm = if ($Config.Profile -eq 'Modern') { 'EcdsaP256' } else { 'Rsa2048' }
    $ca = New-CaCertificate -Subject "CN=TlsTools nginx $($Config.Profile) Test CA, O=TlsTools Tests" -Algorithm $caAlgorithm -ValidityDays 365
    Save-Certificate -Path (Join-Path $Directory 'ca.crt') -Certificate $ca -Force
    Save-PrivateKey -Path (Join-Path $Directory 'ca.key') -PrivateKey $ca.PrivateKey -Force
    $leaves = [ordered]@{}
    $notBefore = [DateTime]::UtcNow.AddHours(-1)
    $index = [Text.StringBuilder]::new()
    $ocspArgs = @('ocsp', '-issuer', (Join-Path $Directory 'ca.crt'), '-no_nonce', '-reqout', (Join-Path $Directory 'ocsp-request.der'))
    foreach ($type in $Config.Certificates) {
        $algorithm = if ($type -eq 'Rsa') { 'Rsa2048' } else { 'EcdsaP256' }
        $name = $type.ToLowerInvariant()
        $leaf = New-Certificate -Issuer $ca -Subject "CN=$NginxServerName" -DnsName $NginxServerName -IpAddress 127.0.0.1 -Algorithm $algorithm `
            -NotBefore $notBefore -NotAfter $notBefore.AddDays(89) -OcspUrl 'http://127.0.0.1:1/ocsp'
        Save-Certificate -Path (Join-Path $Directory "$name.crt") -Certificate $leaf -Force
        Save-PrivateKey -Path (Join-Path $Directory "$name.key") -PrivateKey $leaf.PrivateKey -Force
        $leaves[$type] = $leaf
        $serial = $leaf.SerialNumber
        if ($serial.Length % 2) { $serial = '0' + $serial }
        $null = $index.Append("V`t$($leaf.NotAfter.ToString('yyMMddHHmmss'))Z`t`t$serial`tunknown`t/CN=$NginxServerName`n")
        $ocspArgs += '-cert', (Join-Path $Directory "$name.crt")
    }
    Set-Content -LiteralPath (Join-Path $Directory 'index.txt') -Value $index.ToString() -NoNewline
    Set-Content -LiteralPath (Join-Path $Directory 'index.txt.attr') -Value 'unique_subject = no'   # two leaves, one subject
    $out = & openssl @ocspArgs 2>&1
    if ($LASTEXITCODE) { throw "openssl ocsp (request) failed: $out" }
    $out = & openssl ocsp -index (Join-Path $Directory 'index.txt') -CA (Join-Path $Directory 'ca.crt') -rsigner (Join-Path $Directory 'ca.crt') `
        -rkey (Join-Path $Directory 'ca.key') -reqin (Join-Path $Directory 'ocsp-request.der') -respout (Join-Path $Directory 'ocsp.der') -ndays 7 2>&1
    if ($LASTEXITCODE) { throw "openssl ocsp (response) failed: $out" }
    [pscustomobject]@{ Root = $ca; Leaves = $leaves }
}

function Start-NginxProfile {
    <#
    Starts nginx with Mozilla's $Profile configuration (tests/peers/nginx/<profile>.conf) in a new temporary directory on a
    free 127.0.0.1 port, and returns once it accepts connections (within 30 s): Profile, Port, Directory, Config (what the
    file allows, Get-NginxProfileConfig), Root (the CA), Leaves (certificates by key type: Rsa, Ecdsa), ServerName, Peer.
    A configuration nginx rejects fails at once with its error log. Stop it with Stop-NginxProfile.
    #>
    param([Parameter(Mandatory)] [ValidateSet('Modern', 'Intermediate', 'Old')] [string] $Profile)
    $nginx = Find-AssessmentPeer nginx
    $dir = Join-Path ([IO.Path]::GetTempPath()) ('tlstools-nginx-' + $Profile.ToLowerInvariant() + '-' + [guid]::NewGuid().ToString('N').Substring(0, 8))
    $null = New-Item -ItemType Directory -Force $dir
    $config = Get-NginxProfileConfig $Profile
    try {
        $files = New-NginxProfileFiles -Directory $dir -Config $config
        Copy-Item -LiteralPath (Join-Path $NginxPeerConfigs 'ffdhe2048.pem') (Join-Path $dir 'ffdhe2048.pem')
    } catch { Remove-Item -Recurse -Force $dir -ErrorAction Ignore; throw }
    for ($attempt = 1; ; $attempt++) {
        $port = Get-FreeTcpPort
        foreach ($f in 'common.conf', 'http.conf', "$($Profile.ToLowerInvariant()).conf") {
            $text = (Get-Content -Raw -LiteralPath (Join-Path $NginxPeerConfigs $f)).Replace('@DIR@', $dir).Replace('@PORT@', "$port")
            if ($text -match '@[A-Z_]+@') { throw "Start-NginxProfile: $f still holds $($Matches[0])" }
            Set-Content -LiteralPath (Join-Path $dir $f) -Value $text -NoNewline
        }
        $conf = Join-Path $dir "$($Profile.ToLowerInvariant()).conf"
        $peer = Start-TestProcess -FilePath $nginx -ArgumentList '-p', $dir, '-c', $conf, '-e', (Join-Path $dir 'error.log') -WorkingDirectory $dir
        $peer.Stdout = $peer.Process.StandardOutput.ReadToEndAsync()
        $peer.Stderr = $peer.Process.StandardError.ReadToEndAsync()
        $deadline = [DateTime]::UtcNow.AddSeconds($PeerStartSeconds)
        $listening = $false
        while (-not $listening -and -not $peer.Process.HasExited -and [DateTime]::UtcNow -lt $deadline) {
            $c = [Net.Sockets.TcpClient]::new()
            try { $listening = $c.ConnectAsync([Net.IPAddress]::Loopback, $port).Wait(500) -and $c.Connected } catch { } finally { $c.Dispose() }
            if (-not $listening) { Start-Sleep -Milliseconds 100 }
        }
        if ($listening -and -not $peer.Process.HasExited) { break }
        $output = $peer | Stop-TestProcess
        $log = Get-Content -Raw -LiteralPath (Join-Path $dir 'error.log') -ErrorAction Ignore
        if ($log -notmatch 'Address already in use' -or $attempt -ge 5) {
            Remove-Item -Recurse -Force $dir -ErrorAction Ignore
            throw "nginx ($Profile) did not listen on 127.0.0.1:$port within $PeerStartSeconds s (attempt $attempt): $($peer.CommandLine)`n$output`n$log"
        }
    }
    [pscustomobject]@{
        Profile = $Profile; Port = $port; Directory = $dir; Config = $config; Root = $files.Root; Leaves = $files.Leaves
        ServerName = $NginxServerName; Peer = $peer
    }
}

function Stop-NginxProfile {
    <# Kills the nginx master and its workers started by Start-NginxProfile and removes its directory; returns its error log. #>
    param([Parameter(ValueFromPipeline)] $Server)
    process {
        if (-not $Server) { return }
        $null = $Server.Peer | Stop-TestProcess
        $log = Get-Content -Raw -LiteralPath (Join-Path $Server.Directory 'error.log') -ErrorAction Ignore
        Remove-Item -Recurse -Force $Server.Directory -ErrorAction Ignore
        $log
    }
}

function Start-TestSsl {
    <#
    Starts testssl.sh on a server started by Start-NginxProfile without waiting: the default checks (protocols, suites per
    protocol, server preferences, server defaults with certificates, HTTP header, vulnerabilities, rating), offline
    (--nodns none, no --phone-out, the server's CA added with --add-ca so the chain verdict is about the server, not a
    missing root), JSON into the server's directory. Read the result with Receive-TestSsl. -Phases: Receive-TestSsl reads
    the screen output line by line as it comes and times testssl's sections (call it at once: until then nothing reads).
    #>
    param([Parameter(Mandatory)] $Server, [string[]] $ExtraArguments = @(), [switch] $Phases)
    $testssl = Find-AssessmentPeer testssl
    $json = Join-Path $Server.Directory ('testssl-' + [guid]::NewGuid().ToString('N').Substring(0, 8) + '.json')
    $argv = @('--quiet', '--color', '0', '--warnings', 'off', '--nodns', 'none', '--ip', '127.0.0.1',
        '--connect-timeout', '10', '--openssl-timeout', '10', '--add-ca', (Join-Path $Server.Directory 'ca.crt'),
        '--jsonfile-pretty', $json) + $ExtraArguments + @("$($Server.ServerName):$($Server.Port)")
    $psi = [Diagnostics.ProcessStartInfo]::new($testssl)
    foreach ($a in $argv) { $psi.ArgumentList.Add($a) }
    $psi.WorkingDirectory = $Server.Directory
    $psi.UseShellExecute = $false
    $psi.RedirectStandardInput = $true
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    $p = [Diagnostics.Process]::Start($psi)
    $p.StandardInput.Close()
    [pscustomobject]@{
        Process = $p; Json = $json; CommandLine = "testssl $($argv -join ' ')"; Started = [DateTime]::UtcNow
        Stdout = $(if (-not $Phases) { $p.StandardOutput.ReadToEndAsync() }); Stderr = $p.StandardError.ReadToEndAsync()
    }
}

function Receive-TestSsl {
    <#
    Waits (at most $TestSslTimeoutSeconds from its start, then kills it and throws) for a run started by Start-TestSsl and
    returns its parsed JSON (ConvertFrom-TestSslJson) with Seconds (wall time), Output (its screen text), Json (the file) and
    Phases (with Start-TestSsl -Phases: each section's name and Seconds, from its heading to the next or the end).
    #>
    param([Parameter(Mandatory)] $Run)
    $deadline = $Run.Started.AddSeconds($TestSslTimeoutSeconds)
    $phases = [Collections.Generic.List[object]]::new()
    $text = [Text.StringBuilder]::new()
    if (-not $Run.Stdout) {
        # -Phases: "Testing protocols ...", "Testing vulnerabilities", "Running client simulations ..." start the sections.
        $pending = $Run.Process.StandardOutput.ReadLineAsync()
        while ([DateTime]::UtcNow -lt $deadline) {
            if (-not $pending.Wait(200)) { continue }
            $line = $pending.Result
            if ($null -eq $line) { break }
            $null = $text.AppendLine($line)
            if ($line -match '^\s?(Testing|Running) (.+?)\s*$') {
                $phases.Add([pscustomobject]@{ Phase = $Matches[2]; Started = [DateTime]::UtcNow; Seconds = $null })
            }
            $pending = $Run.Process.StandardOutput.ReadLineAsync()
        }
    }
    $left = ($deadline - [DateTime]::UtcNow).TotalMilliseconds
    if (-not $Run.Process.WaitForExit([int][math]::Max(1000, $left))) {
        try { $Run.Process.Kill($true) } catch { }
        throw "testssl did not finish within $TestSslTimeoutSeconds s: $($Run.CommandLine)"
    }
    $Run.Process.WaitForExit()
    $ended = $Run.Process.ExitTime.ToUniversalTime()
    $seconds = ($ended - $Run.Started).TotalSeconds
    for ($i = 0; $i -lt $phases.Count; $i++) {
        $next = if ($i + 1 -lt $phases.Count) { $phases[$i + 1].Started } else { $ended }
        $phases[$i].Seconds = [math]::Round(($next - $phases[$i].Started).TotalSeconds, 1)
    }
    if ($Run.Stdout -and $Run.Stdout.Wait(5000)) { $null = $text.Append($Run.Stdout.Result) }
    $output = $text.ToString() + $(if ($Run.Stderr.Wait(5000)) { $Run.Stderr.Result })
    $Run.Process.Dispose()
    if (-not (Test-Path -LiteralPath $Run.Json)) { throw "testssl wrote no JSON ($($Run.CommandLine)):`n$output" }
    $result = ConvertFrom-TestSslJson (Get-Content -Raw -LiteralPath $Run.Json)
    $result | Add-Member -NotePropertyName Seconds -NotePropertyValue $seconds
    $result | Add-Member -NotePropertyName Json -NotePropertyValue $Run.Json
    $result | Add-Member -NotePropertyName Phases -NotePropertyValue @($phases)
    $result | Add-Member -NotePropertyName Output -NotePropertyValue $output -PassThru
}

function Invoke-TestSsl {
    <# Runs testssl.sh on the server and returns its parsed JSON (Start-TestSsl, then Receive-TestSsl). #>
    param([Parameter(Mandatory)] $Server, [string[]] $ExtraArguments = @())
    Receive-TestSsl (Start-TestSsl -Server $Server -ExtraArguments $ExtraArguments)
}

function ConvertFrom-TestSslJson {
    <#
    testssl.sh's --jsonfile-pretty output as one object: Items (id -> the finding object: id, severity, finding, ...; for
    ids that repeat, such as cert_* with several certificates, the first), All (every finding in order), Versions (TlsVersion
    names offered), Suites (TlsVersion name -> OpenSSL suite names), Order (TlsVersion name -> the server's order, when it
    has one), Groups (curve names), Certificates (one per served
    certificate: KeyAlgorithm in TlsTools' words, Serial, Fields: cert_* id -> finding), Grade (overall_grade or $null),
    Findings (our FindingIds that testssl's mapped ids report as a problem), Clean (our FindingIds testssl checked and found
    fine), and ScanTime.
    #>
    param([Parameter(Mandatory)] [string] $Text)
    $doc = $Text | ConvertFrom-Json
    $all = @($doc.scanResult | ForEach-Object { $_.PSObject.Properties.Value } | Where-Object { $_ -is [array] -or $_ -is [pscustomobject] } |
        ForEach-Object { $_ } | Where-Object { $_.PSObject.Properties['id'] })
    $items = @{}
    foreach ($f in $all) { if (-not $items.ContainsKey($f.id)) { $items[$f.id] = $f } }
    $versions = @(foreach ($id in $TestSslVersionIds.Keys) { if ($items[$id] -and $items[$id].finding -match '^offered') { $TestSslVersionIds[$id] } })
    $suites = @{}
    foreach ($f in $all | Where-Object { $_.id -match '^cipher-(tls1(_[123])?|ssl[23])_x' }) {   # -E: cipher-tls1_2_xc030
        $v = switch -Regex ($f.id) { '^cipher-tls1_3' { 'Tls13'; break } '^cipher-tls1_2' { 'Tls12'; break } '^cipher-tls1_1' { 'Tls11'; break } '^cipher-tls1_' { 'Tls10'; break } '^cipher-ssl3' { 'Ssl30'; break } default { 'Ssl20' } }
        # "TLS 1.2  xc02f  ECDHE-RSA-AES128-GCM-SHA256  ECDH 253  AESGCM  128  TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"
        $name = ($f.finding -split '\s+' | Where-Object { $_ -match '^[A-Z0-9]' -and $_ -match '-' -or $_ -match '^TLS_AES|^TLS_CHACHA' } | Select-Object -First 1)
        if (-not $suites.ContainsKey($v)) { $suites[$v] = [Collections.Generic.List[string]]::new() }
        if ($name) { $suites[$v].Add($name) }
    }
    # Server order per version (with ssl_prefer_server_ciphers on): cipherorder_TLSv1_2 "ECDHE-RSA-AES128-GCM-SHA256 ...".
    $order = @{}
    $orderVersions = @{ TLSv1 = 'Tls10'; TLSv1_1 = 'Tls11'; TLSv1_2 = 'Tls12'; TLSv1_3 = 'Tls13'; SSLv3 = 'Ssl30' }
    foreach ($f in $all) {
        if ($f.id -match '^cipherorder_(\w+)$' -and $orderVersions[$Matches[1]]) { $order[$orderVersions[$Matches[1]]] = @($f.finding -split '\s+' | Where-Object { $_ }) }
    }
    $groups = @()
    $curves = @($items['PFS_ECDHE_curves'], $items['FS_ECDHE_curves'] | Where-Object { $_ }) | Select-Object -First 1   # 3.0 says PFS, 3.1 FS
    if ($curves) { $groups = @($curves.finding -split '\s+' | Where-Object { $_ }) }
    # Certificates: cert_* ids carry a " <cert#N>" suffix when the server has more than one.
    $certs = [ordered]@{}
    foreach ($f in $all) {
        if ($f.id -notmatch '^(cert_\w+|certificate_\w+|intermediate_cert\w*|OCSP_stapling|cert)(\s+<cert#(\d+)>)?$') { continue }
        $n = if ($Matches[3]) { $Matches[3] } else { '1' }
        if (-not $certs.Contains($n)) { $certs[$n] = @{} }
        if (-not $certs[$n].ContainsKey($Matches[1])) { $certs[$n][$Matches[1]] = $f }
    }
    $certificates = @(foreach ($n in $certs.Keys) {
        $fields = $certs[$n]
        $key = if ($fields['cert_keySize']) { $fields['cert_keySize'].finding } else { '' }
        $algorithm = if ($key -match '^RSA\s+(\d+)') { "Rsa$($Matches[1])" } elseif ($key -match '^EC\s+(\d+)') { @{ '256' = 'EcdsaP256'; '384' = 'EcdsaP384'; '521' = 'EcdsaP521' }[$Matches[1]] } else { $key }
        [pscustomobject]@{
            Number = [int]$n; KeyAlgorithm = $algorithm; Serial = $(if ($fields['cert_serialNumber']) { $fields['cert_serialNumber'].finding })
            Fields = $fields
        }
    })
    # Findings: a mapped id testssl rated above OK/INFO is a finding of ours; OK (or INFO "not offered"/"not vulnerable") is clean.
    $findings = [Collections.Generic.List[string]]::new(); $clean = [Collections.Generic.List[string]]::new()
    foreach ($id in $TestSslFindingMap.Keys) {
        $hits = @($all | Where-Object { $_.id -eq $id -or $_.id -like "$id <cert#*" })
        if (-not $hits) { continue }
        $ours = $TestSslFindingMap[$id]
        # A version offered is a finding of ours whatever testssl's severity (it rates TLS 1.0 INFO or LOW); so is a staple
        # not offered. Otherwise what testssl rates above OK/INFO.
        $bad = @($hits | Where-Object {
            if ($id -in 'SSLv2', 'SSLv3', 'TLS1', 'TLS1_1') { $_.finding -match '^offered' }
            elseif ($id -eq 'OCSP_stapling') { $_.finding -match 'not offered' }
            else { $_.severity -in 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL' }
        })
        if ($bad) { if (-not $findings.Contains($ours)) { $findings.Add($ours) } }
        elseif (@($hits | Where-Object { $_.severity -in 'OK', 'INFO' })) { if (-not $clean.Contains($ours)) { $clean.Add($ours) } }
    }
    foreach ($f in $findings) { $null = $clean.Remove($f) }
    [pscustomobject]@{
        Items = $items; All = $all; Versions = $versions; Suites = $suites; Order = $order; Groups = $groups; Certificates = $certificates
        Grade = $(if ($items['overall_grade']) { $items['overall_grade'].finding }); Findings = @($findings); Clean = @($clean)
        ScanTime = $doc.scanTime
    }
}
