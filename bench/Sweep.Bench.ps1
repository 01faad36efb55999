<#
.SYNOPSIS
    A sweep: -Count targets (default 10,000) through Invoke-TlsHandshake -ThrottleLimit 100, then a smaller sweep through
    Get-TlsServerProfile (-ProfileThrottleLimit, at most 64: each profile opens many connections); prints throughput,
    every target's outcome, and memory (GC heap after a full collection, working set) before, at intervals and after.
.DESCRIPTION
    The targets are -Servers local openssl s_server processes on 127.0.0.1 (default 25, each on its own port the kernel
    chose, ECDSA P-256 chain, TLS 1.2 and 1.3), each target a host:port of one of them in turn: N targets are N separate
    TCP connections and full handshakes (no resumption), with the chain validated against the test root. s_server
    answers one connection at a time, so the servers, not the cmdlet, may bound throughput on a small machine; -Servers
    changes that. The results stream through ForEach-Object and are counted, not kept: what the cmdlet itself holds is
    what the memory figures show. Asserts nothing about time; the figures go in the report.
.EXAMPLE
    dotnet pwsh -NoProfile -File bench/Sweep.Bench.ps1
.EXAMPLE
    dotnet pwsh -NoProfile -Command "& ./bench/Sweep.Bench.ps1 -Count 2000 -Servers 10 -ProfileCount 50"
#>
param(
    [int] $Count = 10000,
    [int] $Servers = 25,
    [int] $ThrottleLimit = 100,
    [int] $ProfileCount = 100,
    [ValidateRange(1, 64)] [int] $ProfileThrottleLimit = 16,
    [int] $Samples = 10
)
$ErrorActionPreference = 'Stop'
$repo = Split-Path $PSScriptRoot -Parent
Import-Module (Join-Path $repo 'TlsTools.psd1') -Force
. (Join-Path $repo 'tests/common.ps1')
. (Join-Path $repo 'tests/Tls.common.ps1')

function Get-Memory {
    [pscustomobject]@{ Gc = [GC]::GetTotalMemory($true); WorkingSet = [Diagnostics.Process]::GetCurrentProcess().WorkingSet64 }
}

function Format-Memory($Label, $m) { '  {0,-24} GC heap {1,9:N0} KiB   working set {2,6:N0} MiB' -f $Label, ($m.Gc / 1KB), ($m.WorkingSet / 1MB) }

function Invoke-Sweep {
    <# Streams $Targets through $Command; counts results per outcome and samples memory every $Every results. #>
    param([string[]] $Targets, [string] $Command, [int] $Throttle, [int] $Every, [string] $Name)
    $state = @{ Results = 0; Ok = 0; Outcomes = @{}; Samples = [Collections.Generic.List[object]]::new() }
    $errors = [Collections.Generic.List[object]]::new()
    $sw = [Diagnostics.Stopwatch]::StartNew()
    $Targets | & $Command -ThrottleLimit $Throttle -TimeoutSeconds 30 -TrustedRoot $root -ErrorAction SilentlyContinue -ErrorVariable +errors | ForEach-Object {
        $state.Results++
        $key = if ($_.PSObject.Properties['Success'] -and -not $_.Success) { "failed: $($_.ErrorId)" } else { 'ok' }
        $state.Outcomes[$key] = 1 + [int]$state.Outcomes[$key]
        if ($Every -gt 0 -and $state.Results % $Every -eq 0) {
            $m = Get-Memory
            $state.Samples.Add($m)
            Write-Host (Format-Memory ('{0} {1,6:N0} done' -f $Name, $state.Results) $m)
        }
    }
    $sw.Stop()
    $state.Elapsed = $sw.Elapsed
    $state.Errors = $errors.Count
    $state.ErrorIds = $errors | Group-Object { "$($_.FullyQualifiedErrorId)".Split(',')[0] } | ForEach-Object { "$($_.Name) x$($_.Count)" }
    $state
}

$dir = Join-Path ([IO.Path]::GetTempPath()) ('tlstools-sweep-' + [guid]::NewGuid().ToString('N').Substring(0, 8))
New-Item -ItemType Directory $dir | Out-Null
$peers = [Collections.Generic.List[object]]::new()
try {
    $chain = New-TestChain -Algorithm EcdsaP256 -Name 'Sweep'
    $files = Save-TlsTestFiles -Certificate $chain.Leaf -Chain $chain.Intermediate -Directory $dir -Name sweep
    foreach ($i in 1..$Servers) { $peers.Add((Start-OpenSslServer -Files $files -DiscardOutput -Arguments @('-cert_chain', $files.ChainPath))) }
    $ports = @($peers.Port)
    $targets = [string[]]::new($Count)
    for ($i = 0; $i -lt $Count; $i++) { $targets[$i] = '127.0.0.1:{0}' -f $ports[$i % $ports.Count] }
    $root = $chain.Root
    Write-Host ("{0:N0} targets over {1} openssl s_server processes on 127.0.0.1; -ThrottleLimit {2}; {3} CPU(s); load average {4}" -f
        $Count, $Servers, $ThrottleLimit, [Environment]::ProcessorCount, ((Get-Content /proc/loadavg -ErrorAction SilentlyContinue) -split ' ')[0])

    $handshake = 'Invoke-TlsHandshake'
    $scanCommand = 'Get-TlsServerProfile'

    # Warm-up (JIT, pools, the servers' first connections): not counted.
    $null = Invoke-Sweep -Targets ($targets | Select-Object -First 200) -Command $handshake -Throttle $ThrottleLimit -Every 0 -Name warm-up
    $before = Get-Memory
    Write-Host (Format-Memory 'before' $before)
    $run = Invoke-Sweep -Targets $targets -Command $handshake -Throttle $ThrottleLimit -Every ([math]::Max(1, [int]($Count / $Samples))) -Name 'Invoke-TlsHandshake'
    $after = Get-Memory
    Write-Host (Format-Memory 'after' $after)
    $outcomes = ($run.Outcomes.GetEnumerator() | Sort-Object Name | ForEach-Object { "$($_.Name) x$($_.Value)" }) -join ', '
    '{0}: {1:N0} targets, {2:N0} results ({3}), {4} error records{5}, {6:N1} s = {7:N0} handshakes/s' -f ('Invoke-TlsHandshake -ThrottleLimit ' + $ThrottleLimit),
        $Count, $run.Results, $outcomes, $run.Errors, $(if ($run.ErrorIds) { ' (' + ($run.ErrorIds -join ', ') + ')' } else { '' }), $run.Elapsed.TotalSeconds, ($Count / $run.Elapsed.TotalSeconds)
    $gcs = @($run.Samples | ForEach-Object Gc)
    '  GC heap: before {0:N0} KiB, after {1:N0} KiB ({2:+#,0;-#,0;0} KiB); samples min {3:N0} / max {4:N0} KiB; working set before {5:N0} MiB, after {6:N0} MiB, max sampled {7:N0} MiB' -f
        ($before.Gc / 1KB), ($after.Gc / 1KB), (($after.Gc - $before.Gc) / 1KB), (($gcs | Measure-Object -Minimum).Minimum / 1KB), (($gcs | Measure-Object -Maximum).Maximum / 1KB),
        ($before.WorkingSet / 1MB), ($after.WorkingSet / 1MB), ((@($run.Samples | ForEach-Object WorkingSet) | Measure-Object -Maximum).Maximum / 1MB)

    if ($ProfileCount -gt 0) {
        $scanTargets = $targets | Select-Object -First $ProfileCount
        $pBefore = Get-Memory
        $scan = Invoke-Sweep -Targets $scanTargets -Command $scanCommand -Throttle $ProfileThrottleLimit -Every ([math]::Max(1, [int]($ProfileCount / 4))) -Name 'Get-TlsServerProfile'
        $pAfter = Get-Memory
        '{0}: {1:N0} targets, {2:N0} reports, {3} error records{4}, {5:N1} s = {6:N1} profiles/s; GC heap {7:N0} -> {8:N0} KiB, working set {9:N0} -> {10:N0} MiB' -f ('Get-TlsServerProfile -ThrottleLimit ' + $ProfileThrottleLimit),
            $ProfileCount, $scan.Results, $scan.Errors, $(if ($scan.ErrorIds) { ' (' + ($scan.ErrorIds -join ', ') + ')' } else { '' }), $scan.Elapsed.TotalSeconds, ($ProfileCount / $scan.Elapsed.TotalSeconds),
            ($pBefore.Gc / 1KB), ($pAfter.Gc / 1KB), ($pBefore.WorkingSet / 1MB), ($pAfter.WorkingSet / 1MB)
    }
    'load average at the end: {0}' -f ((Get-Content /proc/loadavg -ErrorAction SilentlyContinue) -split ' ')[0]
} finally {
    foreach ($p in $peers) { $null = $p | Stop-TestProcess }
    Remove-Item -Recurse -Force $dir
}
