<#
.SYNOPSIS
    Start-up benchmark: `Import-Module TlsTools` and the first cmdlet call, each in a fresh `dotnet pwsh -NoProfile`.
.DESCRIPTION
    Starts -Count fresh PowerShell processes per manifest one after another (the same pwsh that runs this script),
    alternating between the manifests given (default: this repository's TlsTools.psd1; give a copy of an older build
    beside it to compare). Each measures, inside the process, how long `Import-Module <manifest>` takes and how long
    after the start of the import the first cmdlet call (New-PrivateKey -Algorithm EcdsaP256) has returned, as wall
    time and as the process's CPU time (steadier on a loaded machine); with -Handshake also the first Invoke-TlsHandshake
    (TLS 1.3) against a local Start-TlsServer.
    Prints every run, the median and the range, and the load average. Asserts nothing about time (the machine is shared
    and noisy).
.EXAMPLE
    dotnet pwsh -NoProfile -File bench/Startup.Bench.ps1 -Count 10

.EXAMPLE
    dotnet pwsh -NoProfile -File bench/Startup.Bench.ps1 -Count 10 -Manifest /tmp/old/TlsTools.psd1, ./TlsTools.psd1 -Handshake
#>
param([int] $Count = 10, [switch] $Handshake, [string[]] $Manifest = @((Join-Path (Split-Path $PSScriptRoot -Parent) 'TlsTools.psd1')))
$ErrorActionPreference = 'Stop'

# The child: times are taken inside the process so the runtime's own start-up does not count.
$child = @'
param([string] $Manifest, [string] $Handshake)
$process = [Diagnostics.Process]::GetCurrentProcess()
$cpu0 = $process.TotalProcessorTime
$sw = [Diagnostics.Stopwatch]::StartNew()
Import-Module $Manifest
$import = $sw.Elapsed.TotalMilliseconds
$process.Refresh(); $importCpu = ($process.TotalProcessorTime - $cpu0).TotalMilliseconds
$key = New-PrivateKey -Algorithm EcdsaP256
$first = $sw.Elapsed.TotalMilliseconds
$process.Refresh(); $firstCpu = ($process.TotalProcessorTime - $cpu0).TotalMilliseconds
$hs = $null
if ($Handshake -eq '1') {
    $cert = New-Certificate -SelfSigned -DnsName localhost -IpAddress 127.0.0.1 -Algorithm EcdsaP256
    $server = Start-TlsServer -Certificate $cert
    try {
        $t = $sw.Elapsed.TotalMilliseconds
        $r = Invoke-TlsHandshake -HostName 127.0.0.1 -Port $server.Port -SkipCertificateCheck -TlsVersion Tls13
        if (-not $r.Success) { throw 'handshake failed' }
        $hs = $sw.Elapsed.TotalMilliseconds - $t
    } finally { $server | Stop-TlsServer }
}
"RESULT $import $first $importCpu $firstCpu $hs"
'@
$childPath = Join-Path ([IO.Path]::GetTempPath()) ("tlstools-startup-" + [guid]::NewGuid().ToString('N').Substring(0, 8) + '.ps1')
Set-Content -LiteralPath $childPath -Value $child
$pwsh = [Diagnostics.Process]::GetCurrentProcess().MainModule.FileName
$prefix = @()
if ([IO.Path]::GetFileNameWithoutExtension($pwsh) -eq 'dotnet') { $prefix = @('pwsh') }   # `dotnet pwsh` (local tool)
$rows = @()
try {
    # Rounds alternate between the manifests, so a change in the machine's load hits each of them alike.
    for ($i = 1; $i -le $Count; $i++) {
        foreach ($m in $Manifest) {
            $out = & $pwsh @prefix -NoProfile -NonInteractive -File $childPath -Manifest $m -Handshake ([int][bool]$Handshake)
            $line = $out | Where-Object { "$_".StartsWith('RESULT ') } | Select-Object -Last 1
            if (-not $line) { throw "Run $i ($m) printed no result:`n$($out -join "`n")" }
            $f = "$line".Split(' ')
            $rows += [pscustomobject]@{
                Manifest         = $m
                Run              = $i
                ImportMs         = [math]::Round([double]$f[1], 1)
                FirstCmdletMs    = [math]::Round([double]$f[2], 1)
                ImportCpuMs      = [math]::Round([double]$f[3], 1)
                FirstCmdletCpuMs = [math]::Round([double]$f[4], 1)
                FirstHandshakeMs = if ($f.Count -gt 5 -and $f[5]) { [math]::Round([double]$f[5], 1) } else { $null }
            }
        }
    }
} finally { Remove-Item -LiteralPath $childPath -ErrorAction Ignore }

function Get-Median([double[]] $v) { $s = $v | Sort-Object; if ($s.Count % 2) { $s[[int][math]::Floor($s.Count / 2)] } else { ($s[$s.Count / 2 - 1] + $s[$s.Count / 2]) / 2 } }
$rows | Format-Table -AutoSize | Out-String -Width 200 | Write-Host
foreach ($m in $Manifest) {
    Write-Host $m
    $mine = @($rows | Where-Object Manifest -EQ $m)
    foreach ($p in 'ImportMs', 'FirstCmdletMs', 'ImportCpuMs', 'FirstCmdletCpuMs', 'FirstHandshakeMs') {
        $v = @($mine.$p | Where-Object { $null -ne $_ })
        if ($v.Count) { Write-Host ("  {0,-17} median {1,7:N1} ms   min {2,7:N1}   max {3,7:N1}" -f $p, (Get-Median $v), ($v | Measure-Object -Minimum).Minimum, ($v | Measure-Object -Maximum).Maximum) }
    }
}
Write-Host "load: $((Get-Content /proc/loadavg -ErrorAction Ignore) -join ' '); cores: $([Environment]::ProcessorCount); pwsh $($PSVersionTable.PSVersion)"
$rows
