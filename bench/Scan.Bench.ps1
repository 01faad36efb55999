<#
.SYNOPSIS
    Scan benchmark: Get-TlsServerProfile vs `sslscan --no-colour` on the same local openssl s_server, in interleaved rounds.
.DESCRIPTION
    Starts one openssl s_server on 127.0.0.1 (default: the mixed legacy configuration, -cipher 'ALL:@SECLEVEL=0'
    -min_protocol TLSv1, TLS 1.0 to 1.3), warms both tools up once, then runs -Rounds rounds, each scanning with the cmdlet
    and with sslscan (alternating which goes first). Prints each round's wall times, the medians, the ratio
    sslscan/cmdlet and how many cipher suites (version + suite pairs) each found, in total and for TLS <= 1.2 with suites
    this OpenSSL can test (the part where both must agree). Asserts nothing about time: the machine is shared and noisy.
    Note the work differs: sslscan also checks heartbleed, compression and renegotiation and prints the certificate;
    the cmdlet also enumerates signature algorithms, ALPN and fallback SCSV, validates the chain and resumes a session.
#>
param(
    [int] $Rounds = 5,
    [string[]] $ServerArguments = @('-cipher', 'ALL:@SECLEVEL=0', '-min_protocol', 'TLSv1'),
    [string] $Algorithm = 'Rsa2048'
)
$ErrorActionPreference = 'Stop'
$repo = Split-Path $PSScriptRoot -Parent
Import-Module (Join-Path $repo 'TlsTools.psd1') -Force
. (Join-Path $repo 'tests/Scanning.common.ps1')

function Median([double[]] $v) { $s = $v | Sort-Object; $s[[int][math]::Floor($s.Count / 2)] }

function Get-Counts($Report, $SslScan) {
    $ours = @($Report.CipherSuites)
    $oursComparable = @($ours | Where-Object { "$($_.TlsVersion)" -ne 'Tls13' -and $_.OpenSslName -and (Test-OpenSslKnowsSuite $_.OpenSslName) })
    $theirs = @($SslScan.Suites.Values | ForEach-Object { $_ })
    $theirsLegacy = @($SslScan.Suites.Keys | Where-Object { $_ -ne 'Tls13' } | ForEach-Object { $SslScan.Suites[$_] })
    [pscustomobject]@{ Ours = $ours.Count; OursTls12AndOlder = $oursComparable.Count; SslScan = $theirs.Count; SslScanTls12AndOlder = $theirsLegacy.Count }
}

$dir = Join-Path ([IO.Path]::GetTempPath()) ('tlstools-scanbench-' + [guid]::NewGuid().ToString('N').Substring(0, 8))
New-Item -ItemType Directory $dir | Out-Null
$server = $null
try {
    New-ScanPeerFiles -Directory $dir -Name bench -Algorithm $Algorithm | Out-Null
    $server = Start-ScanPeer -Tool openssl -WorkingDirectory $dir -Arguments (@('s_server', '-accept', '127.0.0.1:{port}', '-quiet',
            '-cert', 'bench.crt', '-key', 'bench.key') + $ServerArguments)
    Write-Host "openssl s_server $($ServerArguments -join ' ') on 127.0.0.1:$($server.Port); $Rounds rounds"

    # Warm-up: JIT for the cmdlet, page cache for sslscan.
    $null = Get-TlsServerProfile -HostName 127.0.0.1 -Port $server.Port -TimeoutSeconds 10
    $null = Invoke-SslScan -Port $server.Port

    $oursMs = @(); $theirsMs = @(); $counts = $null
    for ($r = 1; $r -le $Rounds; $r++) {
        $runOurs = {
            $sw = [Diagnostics.Stopwatch]::StartNew()
            $script:report = Get-TlsServerProfile -HostName 127.0.0.1 -Port $server.Port -TimeoutSeconds 10
            $sw.Stop(); $sw.Elapsed.TotalMilliseconds
        }
        $runTheirs = {
            $sw = [Diagnostics.Stopwatch]::StartNew()
            $script:sslscan = Invoke-SslScan -Port $server.Port
            $sw.Stop(); $sw.Elapsed.TotalMilliseconds
        }
        if ($r % 2) { $o = & $runOurs; $t = & $runTheirs } else { $t = & $runTheirs; $o = & $runOurs }
        $oursMs += $o; $theirsMs += $t
        $counts = Get-Counts $script:report $script:sslscan
        '{0,2}: Get-TlsServerProfile {1,7:N0} ms ({2} suites, {3} probes)   sslscan {4,7:N0} ms ({5} suites)' -f $r, $o, $counts.Ours,
            $script:report.ProbeCount, $t, $counts.SslScan | Write-Host
    }
    $mo = Median $oursMs; $mt = Median $theirsMs
    Write-Host ('median: Get-TlsServerProfile {0:N0} ms, sslscan {1:N0} ms; sslscan/Get-TlsServerProfile = {2:N2}x' -f $mo, $mt, ($mt / $mo))
    Write-Host ('suites found: Get-TlsServerProfile {0} (TLS <= 1.2 testable by this OpenSSL: {1}), sslscan {2} (TLS <= 1.2: {3})' -f
        $counts.Ours, $counts.OursTls12AndOlder, $counts.SslScan, $counts.SslScanTls12AndOlder)
    [pscustomobject]@{
        Rounds = $Rounds; CmdletMedianMs = [math]::Round($mo); SslScanMedianMs = [math]::Round($mt); Ratio = [math]::Round($mt / $mo, 2)
        CmdletSuites = $counts.Ours; SslScanSuites = $counts.SslScan
        CmdletSuitesTls12AndOlder = $counts.OursTls12AndOlder; SslScanSuitesTls12AndOlder = $counts.SslScanTls12AndOlder
    }
} finally {
    Stop-ScanPeer $server
    Remove-Item -LiteralPath $dir -Recurse -Force -ErrorAction Ignore
}
