<#
.SYNOPSIS
    STARTTLS benchmark: Get-TlsServerProfile -StartTls Smtp vs `sslscan --starttls-smtp` on the same local postfix, and a CSV
    sweep of 100 STARTTLS targets (the local servers repeated) through Invoke-TlsHandshake at several -ThrottleLimit values.
.DESCRIPTION
    Starts the real servers of tests/StartTls.RealServers.Tests.ps1 (tests/StartTls.peers.ps1: postfix, dovecot, vsftpd,
    slapd, PostgreSQL, MariaDB, prosody) on 127.0.0.1, warms both tools up once, then runs -Rounds interleaved rounds of the
    profile against postfix's SMTP port with each tool, and prints wall times, medians, the ratio sslscan/cmdlet and the TLS
    <= 1.2 suites each found. Then the sweep: a CSV of 100 rows (HostName, Port, ServerName, StartTls) cycling over every
    endpoint, piped through Import-Csv | Invoke-TlsHandshake -ThrottleLimit N, with wall time, handshakes per second and
    the count that succeeded and validated. Asserts nothing about time: the machine is shared and noisy.
#>
param(
    [int] $Rounds = 3,
    [int[]] $ThrottleLimit = @(1, 16, 50),
    [int] $Targets = 100
)
$ErrorActionPreference = 'Stop'
$repo = Split-Path $PSScriptRoot -Parent
Import-Module (Join-Path $repo 'TlsTools.psd1') -Force
. (Join-Path $repo 'tests/Scanning.common.ps1')
. (Join-Path $repo 'tests/StartTls.peers.ps1')

function Median([double[]] $v) { $s = $v | Sort-Object; $s[[int][math]::Floor($s.Count / 2)] }

function Invoke-SslScanStartTls([int] $Port) {
    $psi = [Diagnostics.ProcessStartInfo]::new('sslscan')
    foreach ($a in @('--no-colour', '--starttls-smtp', "127.0.0.1:$Port")) { $psi.ArgumentList.Add($a) }
    $psi.UseShellExecute = $false
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    $p = [Diagnostics.Process]::Start($psi)
    try {
        $out = $p.StandardOutput.ReadToEndAsync()
        $null = $p.StandardError.ReadToEndAsync()
        if (-not $p.WaitForExit(300000)) { $p.Kill($true); throw 'sslscan did not finish within 300 s' }
        ConvertFrom-SslScan $out.Result
    } finally { $p.Dispose() }
}

$dir = Join-Path ([IO.Path]::GetTempPath()) ('tlstools-starttlsbench-' + [guid]::NewGuid().ToString('N').Substring(0, 8))
$null = New-Item -ItemType Directory $dir
$servers = $null
try {
    $clock = [Diagnostics.Stopwatch]::StartNew()
    $servers = Start-StartTlsPeers -Directory $dir
    Write-Host ("servers up in {0:n1} s: {1}" -f $clock.Elapsed.TotalSeconds, (($servers.Endpoints.Keys | Sort-Object) -join ', '))
    if ($servers.Missing.Count) { $servers.Missing.Values | Sort-Object -Unique | ForEach-Object { Write-Warning $_ } }
    if ($servers.Missing.ContainsKey('Smtp')) { throw $servers.Missing['Smtp'] }
    $smtp = $servers.Endpoints['Smtp']

    # 1. Profile vs sslscan on postfix, interleaved.
    $null = Get-TlsServerProfile -HostName 127.0.0.1 -Port $smtp -StartTls Smtp -TimeoutSeconds 10
    $null = Invoke-SslScanStartTls $smtp
    $oursMs = @(); $theirsMs = @(); $report = $null; $scan = $null
    for ($r = 1; $r -le $Rounds; $r++) {
        $runOurs = { $sw = [Diagnostics.Stopwatch]::StartNew(); $script:report = Get-TlsServerProfile -HostName 127.0.0.1 -Port $smtp -StartTls Smtp -TimeoutSeconds 10; $sw.Elapsed.TotalMilliseconds }
        $runTheirs = { $sw = [Diagnostics.Stopwatch]::StartNew(); $script:scan = Invoke-SslScanStartTls $smtp; $sw.Elapsed.TotalMilliseconds }
        if ($r % 2) { $o = & $runOurs; $t = & $runTheirs } else { $t = & $runTheirs; $o = & $runOurs }
        $oursMs += $o; $theirsMs += $t
        Write-Host ("round {0}: Get-TlsServerProfile -StartTls Smtp {1:n0} ms ({2} probes), sslscan --starttls-smtp {3:n0} ms" -f $r, $o, $script:report.ProbeCount, $t)
    }
    $ours = @($script:report.CipherSuites | Where-Object { "$($_.TlsVersion)" -ne 'Tls13' } | ForEach-Object { Get-SslScanSuiteName $_ } | Where-Object { Test-OpenSslKnowsSuite $_ })
    $theirs = @($script:scan.Suites.Keys | Where-Object { $_ -ne 'Tls13' } | ForEach-Object { $script:scan.Suites[$_] })
    [pscustomobject]@{
        Benchmark = 'Profile postfix over STARTTLS (smtp)'; TlsToolsMedianMs = [math]::Round((Median $oursMs), 0); SslscanMedianMs = [math]::Round((Median $theirsMs), 0)
        Ratio = [math]::Round((Median $theirsMs) / (Median $oursMs), 2); Rounds = $Rounds
        Detail = "TLS<=1.2 suites: TlsTools $($ours.Count), sslscan $($theirs.Count)"
    }

    # 2. The sweep: 100 STARTTLS targets from a CSV.
    $endpoints = @($servers.Endpoints.Keys | Where-Object { $_ -ne 'SmtpNoTls' -and -not $servers.Missing.ContainsKey($_) } | Sort-Object)
    $protocol = @{ Submission = 'Smtp' }
    $csv = Join-Path $dir 'targets.csv'
    $rows = for ($i = 0; $i -lt $Targets; $i++) {
        $e = $endpoints[$i % $endpoints.Count]
        [pscustomobject]@{ HostName = '127.0.0.1'; Port = $servers.Endpoints[$e]; ServerName = 'mail.tlstools.test'; StartTls = $(if ($protocol[$e]) { $protocol[$e] } else { $e }) }
    }
    $rows | Export-Csv -LiteralPath $csv -NoTypeInformation
    $null = Import-Csv $csv | Select-Object -First 5 | Invoke-TlsHandshake -TrustedRoot $servers.Root -TimeoutSeconds 30   # warm-up
    foreach ($n in $ThrottleLimit) {
        $sw = [Diagnostics.Stopwatch]::StartNew()
        $results = @(Import-Csv $csv | Invoke-TlsHandshake -ThrottleLimit $n -TrustedRoot $servers.Root -TimeoutSeconds 30 -ErrorAction SilentlyContinue)
        $ms = $sw.Elapsed.TotalMilliseconds
        $ok = @($results | Where-Object { $_.Success -and $_.Validation.IsValid }).Count
        [pscustomobject]@{
            Benchmark = "CSV sweep, $Targets STARTTLS targets ($($endpoints.Count) endpoints), -ThrottleLimit $n"; TlsToolsMedianMs = [math]::Round($ms, 0); SslscanMedianMs = $null
            Ratio = $null; Rounds = 1; Detail = ("{0:n1} handshakes/s, {1}/{2} succeeded and validated" -f ($results.Count / ($ms / 1000)), $ok, $results.Count)
        }
    }
} finally {
    Stop-StartTlsPeers $servers
    Remove-Item -Recurse -Force $dir -ErrorAction Ignore
}
