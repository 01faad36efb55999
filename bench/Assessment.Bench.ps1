<#
.SYNOPSIS
    Assessment benchmark: a full Get-TlsServerProfile (with -Policy MozillaOld when the cmdlet has it) vs a full `testssl`
    run on the same nginx with Mozilla's "old" configuration, alternating, in the same run.
.DESCRIPTION
    Starts nginx with tests/peers/nginx/old.conf (tests/Assessment.peers.ps1: 127.0.0.1, a free port, certificates made at
    start, OCSP stapled from a file), warms the cmdlet up once, then runs -Rounds rounds, each running both tools one after
    the other (the order alternates). testssl runs as users run it: its default checks, offline (--nodns none, the test CA
    added), with JSON output. Prints each round's wall times with the load average, then the medians, the ratio
    testssl/cmdlet and the cmdlet's time as a percentage of testssl's (issue 13's goal: under 10 %), and the median time of
    each of testssl's sections (timed from its screen output as it comes). Asserts nothing about time: the machine is shared
    and noisy.
#>
param(
    [int] $Rounds = 3,
    [ValidateSet('Modern', 'Intermediate', 'Old')] [string] $Profile = 'Old',
    # Extra testssl arguments (default: none, its full default run).
    [string[]] $TestSslArguments = @()
)
$ErrorActionPreference = 'Stop'
$repo = Split-Path $PSScriptRoot -Parent
Import-Module (Join-Path $repo 'TlsTools.psd1') -Force
. (Join-Path $repo 'tests/Assessment.peers.ps1')

function Median([double[]] $v) { $s = $v | Sort-Object; $s[[int][math]::Floor($s.Count / 2)] }
function Get-LoadAverage { if (Test-Path /proc/loadavg) { ((Get-Content /proc/loadavg) -split ' ')[0..2] -join ' ' } else { 'n/a' } }

$server = Start-NginxProfile -Profile $Profile
try {
    $profileArgs = @{ HostName = '127.0.0.1'; Port = $server.Port; ServerName = $server.ServerName; TrustedRoot = $server.Root; TimeoutSeconds = 10 }
    $hasPolicy = (Get-Command Get-TlsServerProfile).Parameters.ContainsKey('Policy')
    if ($hasPolicy) { $profileArgs.Policy = "Mozilla$Profile" }
    Write-Host ("nginx {0} on 127.0.0.1:{1}; Get-TlsServerProfile {2}" -f $Profile, $server.Port, $(if ($hasPolicy) { "-Policy Mozilla$Profile" } else { '(no -Policy parameter in this build)' }))
    $null = Get-TlsServerProfile @profileArgs   # warm-up (JIT, module load)

    $oursMs = @(); $theirsMs = @(); $phaseSeconds = [ordered]@{}; $report = $null; $scan = $null
    for ($r = 1; $r -le $Rounds; $r++) {
        $runOurs = { $sw = [Diagnostics.Stopwatch]::StartNew(); $script:report = Get-TlsServerProfile @profileArgs; $sw.Elapsed.TotalMilliseconds }
        $runTheirs = {
            $sw = [Diagnostics.Stopwatch]::StartNew()
            $script:scan = Receive-TestSsl (Start-TestSsl -Server $server -ExtraArguments $TestSslArguments -Phases)
            $sw.Elapsed.TotalMilliseconds
        }
        if ($r % 2) { $o = & $runOurs; $t = & $runTheirs } else { $t = & $runTheirs; $o = & $runOurs }
        $oursMs += $o; $theirsMs += $t
        foreach ($p in $script:scan.Phases) {
            if (-not $phaseSeconds.Contains($p.Phase)) { $phaseSeconds[$p.Phase] = [Collections.Generic.List[double]]::new() }
            $phaseSeconds[$p.Phase].Add($p.Seconds)
        }
        Write-Host ("round {0}: Get-TlsServerProfile {1:n0} ms ({2} probes), testssl {3:n0} ms; ours is {4:n1} % of testssl's; load average {5}" -f `
            $r, $o, $script:report.ProbeCount, $t, (100 * $o / $t), (Get-LoadAverage))
    }
    $ours = Median $oursMs; $theirs = Median $theirsMs
    [pscustomobject]@{
        Benchmark = "Full assessment of nginx '$($Profile.ToLowerInvariant())' (Mozilla 5.7)"; TlsToolsMedianMs = [math]::Round($ours, 0)
        TestSslMedianMs = [math]::Round($theirs, 0); Ratio = [math]::Round($theirs / $ours, 1); OursPercent = [math]::Round(100 * $ours / $theirs, 1)
        Rounds = $Rounds
        Detail = "versions: TlsTools $($script:report.TlsVersions -join ','), testssl $($script:scan.Versions -join ','); suites: TlsTools $($script:report.CipherSuites.Count); findings: TlsTools $(@($script:report.Findings).Count), testssl (mapped) $($script:scan.Findings.Count); grade: TlsTools $($script:report.Grade), testssl $(if ($script:scan.Grade) { $script:scan.Grade } else { 'none (no rating in this testssl)' })"
    }
    foreach ($k in $phaseSeconds.Keys) {
        [pscustomobject]@{
            Benchmark = "  testssl section: $k"; TlsToolsMedianMs = $null; TestSslMedianMs = [math]::Round(1000 * (Median $phaseSeconds[$k]), 0)
            Ratio = $null; OursPercent = $null; Rounds = $phaseSeconds[$k].Count; Detail = ''
        }
    }
} finally {
    $null = Stop-NginxProfile $server
}
