<#
.SYNOPSIS
    Handshake benchmark for the cmdlet: 1,000 handshakes through the pipeline with -ThrottleLimit 50 against a local
    openssl s_server (wall time, failures), and sequential handshakes per second from Invoke-TlsHandshake next to
    `openssl s_time -new` against the same server, for TLS 1.2 and TLS 1.3.
.DESCRIPTION
    The server is one openssl s_server -www (ECDSA P-256 certificate) on 127.0.0.1; it serves connections one at a time,
    so the concurrent figure is bounded by it. Sequential figures are measured two ways: one Invoke-TlsHandshake call per
    handshake (cmdlet start-up included) and one call with the targets piped in with -ThrottleLimit 1. After a TLS 1.3
    handshake our client reads the server's NewSessionTicket flight until what arrived shows it is over (at most
    300 ms; the result's TicketWaitMilliseconds and TicketWaitReason say how long and why; not counted in
    HandshakeMilliseconds) - that wait is part of the wall time here. Prints figures; asserts nothing
    about time (the machine is shared and noisy).
#>
param([int] $Count = 1000, [int] $ThrottleLimit = 50, [int] $Seconds = 10)
$ErrorActionPreference = 'Stop'
$repo = Split-Path $PSScriptRoot -Parent
Import-Module (Join-Path $repo 'TlsTools.psd1') -Force
. (Join-Path $repo 'tests/Tls.common.ps1')

$dir = Join-Path ([IO.Path]::GetTempPath()) ("tlstools-hsbench-" + [guid]::NewGuid().ToString('N').Substring(0, 8))
New-Item -ItemType Directory $dir | Out-Null
$cert = New-Certificate -SelfSigned -DnsName localhost -IpAddress 127.0.0.1 -Algorithm EcdsaP256
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

            $sw = [Diagnostics.Stopwatch]::StartNew()
            $results = 1..$Count | ForEach-Object { $target } | Invoke-TlsHandshake -SkipCertificateCheck -ThrottleLimit $ThrottleLimit -TimeoutSeconds 60 -ErrorAction SilentlyContinue
            $sw.Stop()
            $ok = @($results | Where-Object Success).Count
            $hsMs = ($results | Where-Object Success | Measure-Object HandshakeMilliseconds -Average).Average
            $rows += [pscustomobject]@{ Version = $version; Measure = "$Count via pipeline, -ThrottleLimit $ThrottleLimit"; Handshakes = @($results).Count; Failures = @($results).Count - $ok
                WallSeconds = [math]::Round($sw.Elapsed.TotalSeconds, 2); PerSecond = [math]::Round($ok / $sw.Elapsed.TotalSeconds, 1); AvgHandshakeMs = [math]::Round($hsMs, 1) }

            # Sequential: one call per handshake.
            $n = 0; $fail = 0
            $sw = [Diagnostics.Stopwatch]::StartNew()
            while ($sw.Elapsed.TotalSeconds -lt $Seconds) {
                $r = Invoke-TlsHandshake -HostName 127.0.0.1 -Port $srv.Port -SkipCertificateCheck -TimeoutSeconds 60 -ErrorAction SilentlyContinue
                $n++; if (-not $r.Success) { $fail++ }
            }
            $sw.Stop()
            $rows += [pscustomobject]@{ Version = $version; Measure = 'sequential, one call each'; Handshakes = $n; Failures = $fail
                WallSeconds = [math]::Round($sw.Elapsed.TotalSeconds, 2); PerSecond = [math]::Round(($n - $fail) / $sw.Elapsed.TotalSeconds, 1); AvgHandshakeMs = $null }

            # Sequential: one call, targets piped, one at a time.
            $m = [math]::Max(10, [int]($n * 1.2))
            $sw = [Diagnostics.Stopwatch]::StartNew()
            $results = 1..$m | ForEach-Object { $target } | Invoke-TlsHandshake -SkipCertificateCheck -ThrottleLimit 1 -TimeoutSeconds 60 -ErrorAction SilentlyContinue
            $sw.Stop()
            $ok = @($results | Where-Object Success).Count
            $hsMs = ($results | Where-Object Success | Measure-Object HandshakeMilliseconds -Average).Average
            $rows += [pscustomobject]@{ Version = $version; Measure = 'sequential, piped, -ThrottleLimit 1'; Handshakes = $m; Failures = $m - $ok
                WallSeconds = [math]::Round($sw.Elapsed.TotalSeconds, 2); PerSecond = [math]::Round($ok / $sw.Elapsed.TotalSeconds, 1); AvgHandshakeMs = [math]::Round($hsMs, 1) }

            # openssl s_time -new: new handshakes only, one at a time.
            $st = Invoke-Peer openssl 's_time', '-connect', $target, '-new', $flag, '-time', $Seconds -TimeoutSeconds ($Seconds + 30)
            if ($st.Output -match '(\d+) connections in (\d+) real seconds') {
                $conns = [int]$Matches[1]; $real = [double]$Matches[2]
                $rows += [pscustomobject]@{ Version = $version; Measure = 'openssl s_time -new'; Handshakes = $conns; Failures = $null
                    WallSeconds = $real; PerSecond = [math]::Round($conns / $real, 1); AvgHandshakeMs = $null }
            } else {
                Write-Warning "Could not read openssl s_time output: $($st.Output)"
            }
        } finally { $srv | Stop-TestProcess | Out-Null }
    }
} finally {
    Remove-Item -Recurse -Force $dir -ErrorAction Ignore
}
$rows | Format-Table -AutoSize | Out-String -Width 150 | Write-Host
"openssl: $((& openssl version) -join ' '); cores: $([Environment]::ProcessorCount); pwsh $($PSVersionTable.PSVersion)" | Write-Host
$rows
