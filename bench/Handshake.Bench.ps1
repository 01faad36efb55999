<#
.SYNOPSIS
    Handshake benchmark for the cmdlet: 1,000 handshakes through the pipeline with -ThrottleLimit 50 against a local
    openssl s_server (wall time, failures), and sequential handshakes per second from Invoke-TlsHandshake next to
    `openssl s_time -new` against the same server, for TLS 1.2 and TLS 1.3.
.DESCRIPTION
    The server is one openssl s_server -www (an ECDSA P-256 certificate, or RSA-2048 with -KeyAlgorithm) on 127.0.0.1; it serves connections one at a time,
    so the concurrent figure is bounded by it. Sequential figures are measured two ways: one Invoke-TlsHandshake call per
    handshake (cmdlet start-up included) and one call with the targets piped in with -ThrottleLimit 1, warm (after -WarmUp
    calls), in -Rounds rounds of -Seconds each, every round beside its own `openssl s_time -new` (VsOpenSsl; s_time's
    wall time as measured here, process start included). -SkipConcurrent leaves out the concurrent pipeline
    figure, -FreshRounds 0 the fresh-session figures. JitMethods: methods the JIT compiled in this process while the row was
    measured; after 1,000 calls tiered compilation is often still at work on a loaded machine (its thread then takes much of
    the process's CPU), so a larger -WarmUp shows the settled rate. After a TLS 1.3
    handshake our client reads the server's NewSessionTicket flight until what arrived shows it is over (at most
    300 ms; the result's TicketWaitMilliseconds and TicketWaitReason say how long and why; not counted in
    HandshakeMilliseconds) - that wait is part of the wall time here. Prints figures; asserts nothing
    about time (the machine is shared and noisy).
    Fresh sessions (TLS 1.3, -FreshRounds rounds): a new pwsh imports the module and makes 1,000 sequential
    Invoke-TlsHandshake calls (one call per handshake, as a script that checks hosts does); the rate over its first 10,
    100 and 1,000 calls (import not counted) is set beside `openssl s_time -new` run right after it against the same
    server, round by round, so both see the same load. Each round runs in each PowerShell of -PowerShell: 'Tool', the
    repository's `dotnet pwsh` (IL only: PowerShell JIT-compiles its own binding code in every new process), and
    'Precompiled', the same PowerShell precompiled as its release packages are (bench/New-PrecompiledPowerShell.ps1,
    made once; see bench/Startup.Bench.ps1).
#>
param([int] $Count = 1000, [int] $ThrottleLimit = 50, [int] $Seconds = 10, [int] $FreshRounds = 3, [int] $Rounds = 3, [int] $WarmUp = 1000, [switch] $SkipConcurrent,
    [ValidateSet('Tool', 'Precompiled')] [string[]] $PowerShell = @('Tool', 'Precompiled'),
    [ValidateSet('EcdsaP256', 'Rsa2048')] [string] $KeyAlgorithm = 'EcdsaP256')
$ErrorActionPreference = 'Stop'
$repo = Split-Path $PSScriptRoot -Parent
Import-Module (Join-Path $repo 'TlsTools.psd1') -Force
. (Join-Path $repo 'tests/Tls.common.ps1')

$dir = Join-Path ([IO.Path]::GetTempPath()) ("tlstools-hsbench-" + [guid]::NewGuid().ToString('N').Substring(0, 8))
New-Item -ItemType Directory $dir | Out-Null
$cert = New-Certificate -SelfSigned -DnsName localhost -IpAddress 127.0.0.1 -Algorithm $KeyAlgorithm
$files = Save-TlsTestFiles -Certificate $cert -Directory $dir -Name server
$rows = @()
try {
    foreach ($version in 'Tls12', 'Tls13') {
        $flag = if ($version -eq 'Tls12') { '-tls1_2' } else { '-tls1_3' }
        $srv = Start-OpenSslServer -Files $files -Arguments '-www', $flag
        try {
            $target = "127.0.0.1:$($srv.Port)"
            # Warm-up: JIT, BouncyCastle tables.
            $null = 1..20 | ForEach-Object { $target } | Invoke-TlsHandshake -SkipCertificateCheck -ThrottleLimit 4 -TimeoutSeconds 60

            if (-not $SkipConcurrent) {
                $sw = [Diagnostics.Stopwatch]::StartNew()
                $results = 1..$Count | ForEach-Object { $target } | Invoke-TlsHandshake -SkipCertificateCheck -ThrottleLimit $ThrottleLimit -TimeoutSeconds 60 -ErrorAction SilentlyContinue
                $sw.Stop()
                $ok = @($results | Where-Object Success).Count
                $hsMs = ($results | Where-Object Success | Measure-Object HandshakeMilliseconds -Average).Average
                $rows += [pscustomobject]@{ Version = $version; Measure = "$Count via pipeline, -ThrottleLimit $ThrottleLimit"; Handshakes = @($results).Count; Failures = @($results).Count - $ok
                    WallSeconds = [math]::Round($sw.Elapsed.TotalSeconds, 2); PerSecond = [math]::Round($ok / $sw.Elapsed.TotalSeconds, 1); AvgHandshakeMs = [math]::Round($hsMs, 1) }
            }

            # Warm sequential figures: -WarmUp calls first (JIT tiers, caches), then -Rounds rounds, each measuring ours (one
            # call per handshake, then piped with -ThrottleLimit 1) and `openssl s_time -new` right after, so each ratio
            # compares figures taken under the same load.
            for ($i = 0; $i -lt $WarmUp; $i++) { $null = Invoke-TlsHandshake -HostName 127.0.0.1 -Port $srv.Port -SkipCertificateCheck -TimeoutSeconds 60 -ErrorAction SilentlyContinue }
            for ($round = 1; $round -le $Rounds; $round++) {
                $roundRows = @()
                # Sequential: one call per handshake.
                $n = 0; $fail = 0
                $jit = [System.Runtime.JitInfo]::GetCompiledMethodCount($false)
                $sw = [Diagnostics.Stopwatch]::StartNew()
                while ($sw.Elapsed.TotalSeconds -lt $Seconds) {
                    $r = Invoke-TlsHandshake -HostName 127.0.0.1 -Port $srv.Port -SkipCertificateCheck -TimeoutSeconds 60 -ErrorAction SilentlyContinue
                    $n++; if (-not $r.Success) { $fail++ }
                }
                $sw.Stop()
                $roundRows += [pscustomobject]@{ Version = $version; Measure = "round ${round}: sequential, one call each"; Handshakes = $n; Failures = $fail
                    WallSeconds = [math]::Round($sw.Elapsed.TotalSeconds, 2); PerSecond = [math]::Round(($n - $fail) / $sw.Elapsed.TotalSeconds, 1); AvgHandshakeMs = $null
                    JitMethods = [System.Runtime.JitInfo]::GetCompiledMethodCount($false) - $jit }

                # Sequential: one call, targets piped, one at a time.
                $m = [math]::Max(10, [int]($n * 1.2))
                $jit = [System.Runtime.JitInfo]::GetCompiledMethodCount($false)
                $sw = [Diagnostics.Stopwatch]::StartNew()
                $results = 1..$m | ForEach-Object { $target } | Invoke-TlsHandshake -SkipCertificateCheck -ThrottleLimit 1 -TimeoutSeconds 60 -ErrorAction SilentlyContinue
                $sw.Stop()
                $ok = @($results | Where-Object Success).Count
                $hsMs = ($results | Where-Object Success | Measure-Object HandshakeMilliseconds -Average).Average
                $roundRows += [pscustomobject]@{ Version = $version; Measure = "round ${round}: sequential, piped, -ThrottleLimit 1"; Handshakes = $m; Failures = $m - $ok
                    WallSeconds = [math]::Round($sw.Elapsed.TotalSeconds, 2); PerSecond = [math]::Round($ok / $sw.Elapsed.TotalSeconds, 1); AvgHandshakeMs = [math]::Round($hsMs, 1)
                    JitMethods = [System.Runtime.JitInfo]::GetCompiledMethodCount($false) - $jit }

                # openssl s_time -new: new handshakes only, one at a time.
                # Its own "N connections in S real seconds" counts whole seconds only: its wall time is taken here instead.
                $sw = [Diagnostics.Stopwatch]::StartNew()
                $st = Invoke-Peer openssl 's_time', '-connect', $target, '-new', $flag, '-time', $Seconds -TimeoutSeconds ($Seconds + 30)
                $sw.Stop()
                if ($st.Output -match '(\d+) connections in (\d+) real seconds') {
                    $conns = [int]$Matches[1]; $real = [math]::Round($sw.Elapsed.TotalSeconds, 2); $peerRate = $conns / $real
                    foreach ($row in $roundRows) { $row | Add-Member VsOpenSsl ([math]::Round($row.PerSecond / $peerRate, 2)) }
                    $roundRows += [pscustomobject]@{ Version = $version; Measure = "round ${round}: openssl s_time -new"; Handshakes = $conns; Failures = $null
                        WallSeconds = $real; PerSecond = [math]::Round($peerRate, 1); AvgHandshakeMs = $null }
                } else {
                    Write-Warning "Could not read openssl s_time output: $($st.Output)"
                }
                $rows += $roundRows
            }
            if ($version -eq 'Tls13') {
                # Fresh sessions: how the cost of the first calls of a new pwsh grows (JIT, first use), beside s_time.
                $child = Join-Path $dir 'fresh.ps1'
                Set-Content -LiteralPath $child -Value @'
param([string] $Manifest, [int] $Port)
Import-Module $Manifest
# The times are kept and printed after the loop: PowerShell's first output (and the string built for it) is not
# counted in the calls. Each result is checked, as a script that checks hosts would, and not kept.
$ticks = [long[]]::new(1001)
$sw = [Diagnostics.Stopwatch]::StartNew()
for ($i = 1; $i -le 1000; $i++) {
    $r = Invoke-TlsHandshake -HostName 127.0.0.1 -Port $Port -SkipCertificateCheck -TimeoutSeconds 60
    if (-not $r.Success) { throw "handshake $i failed" }
    $ticks[$i] = $sw.ElapsedTicks
}
foreach ($n in 10, 100, 1000) { "AT $n $($ticks[$n] * 1000.0 / [Diagnostics.Stopwatch]::Frequency)" }
'@
                $shells = if ($FreshRounds -gt 0) { & (Join-Path $PSScriptRoot 'Get-BenchPowerShell.ps1') -Kind $PowerShell } else { [ordered]@{} }
                for ($round = 1; $round -le $FreshRounds; $round++) {
                    $roundRows = @()
                    foreach ($kind in $shells.Keys) {
                        $exe = $shells[$kind][0]; $rest = @($shells[$kind] | Select-Object -Skip 1)
                        $out = & $exe @rest -NoProfile -NonInteractive -File $child -Manifest (Join-Path $repo 'TlsTools.psd1') -Port $srv.Port
                        $at = @{}
                        foreach ($line in $out) { if ("$line" -match '^AT (\d+) ([\d.]+)') { $at[[int]$Matches[1]] = [double]$Matches[2] } }
                        foreach ($n in 10, 100, 1000) {
                            if (-not $at.ContainsKey($n)) { Write-Warning "fresh round ${round} (${kind}): no figure for $n calls: $($out -join ' ')"; continue }
                            $roundRows += [pscustomobject]@{ Version = $version; Measure = "fresh $kind pwsh round $round, first $n calls"; Handshakes = $n; Failures = 0
                                WallSeconds = [math]::Round($at[$n] / 1000, 2); PerSecond = [math]::Round($n / ($at[$n] / 1000), 1); AvgHandshakeMs = $null }
                        }
                    }
                    # s_time's own "in N real seconds" counts whole seconds: its wall time is taken here (as above).
                    $sw = [Diagnostics.Stopwatch]::StartNew()
                    $st = Invoke-Peer openssl 's_time', '-connect', $target, '-new', $flag, '-time', '5' -TimeoutSeconds 60
                    $sw.Stop()
                    $peerRate = if ($st.Output -match '(\d+) connections in (\d+) real seconds') { [int]$Matches[1] / $sw.Elapsed.TotalSeconds } else { [double]::NaN }
                    foreach ($row in $roundRows) { $row | Add-Member VsOpenSsl ([math]::Round($row.PerSecond / $peerRate, 2)) }
                    $rows += $roundRows
                    $rows += [pscustomobject]@{ Version = $version; Measure = "openssl s_time -new after round $round"; Handshakes = $null; Failures = $null
                        WallSeconds = [math]::Round($sw.Elapsed.TotalSeconds, 2); PerSecond = [math]::Round($peerRate, 1); AvgHandshakeMs = $null }
                }
            }
        } finally { $srv | Stop-TestProcess | Out-Null }
    }
} finally {
    Remove-Item -Recurse -Force $dir -ErrorAction Ignore
}
$rows | Format-Table Version, Measure, Handshakes, Failures, WallSeconds, PerSecond, AvgHandshakeMs, VsOpenSsl, JitMethods -AutoSize | Out-String -Width 170 | Write-Host
"openssl: $((& openssl version) -join ' '); cores: $([Environment]::ProcessorCount); pwsh $($PSVersionTable.PSVersion); load: $((Get-Content /proc/loadavg -ErrorAction Ignore) -join ' ')" | Write-Host
$rows
