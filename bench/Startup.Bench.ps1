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
    Each manifest is measured in two PowerShells (-PowerShell): 'Tool', the repository's `dotnet pwsh` (the powershell
    dotnet tool package, whose own assemblies are IL only, so PowerShell's module import and parameter binding are
    JIT-compiled in every new process), and 'Precompiled', a copy of that same PowerShell with its assemblies compiled
    ReadyToRun as PowerShell's release packages ship them (made once by bench/New-PrecompiledPowerShell.ps1; about two
    minutes). Beside TlsTools an empty script module is imported the same way ('(empty module)'): what PowerShell itself
    costs for a first module import in that process.
    Prints every run, the median and the range, and the load average. Asserts nothing about time (the machine is shared
    and noisy).
.EXAMPLE
    dotnet pwsh -NoProfile -File bench/Startup.Bench.ps1 -Count 10

.EXAMPLE
    dotnet pwsh -NoProfile -File bench/Startup.Bench.ps1 -Count 10 -Manifest /tmp/old/TlsTools.psd1, ./TlsTools.psd1 -Handshake
#>
param(
    [int] $Count = 10,
    [switch] $Handshake,
    [string[]] $Manifest = @((Join-Path (Split-Path $PSScriptRoot -Parent) 'TlsTools.psd1')),
    [ValidateSet('Tool', 'Precompiled')] [string[]] $PowerShell = @('Tool', 'Precompiled'),
    [switch] $NoBaseline
)
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
if ($Manifest.EndsWith(".psd1")) { $key = New-PrivateKey -Algorithm EcdsaP256 }
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
$shells = & (Join-Path $PSScriptRoot 'Get-BenchPowerShell.ps1') -Kind $PowerShell
$emptyModule = $null
$targets = @($Manifest)
if (-not $NoBaseline) {
    $emptyModule = Join-Path ([IO.Path]::GetTempPath()) ("tlstools-empty-" + [guid]::NewGuid().ToString('N').Substring(0, 8) + '.psm1')
    Set-Content -LiteralPath $emptyModule -Value '# an empty module: what a first Import-Module costs PowerShell itself'
    $targets += $emptyModule
}
$rows = @()
try {
    # Rounds alternate between the PowerShells and the manifests, so a change in the machine's load hits each alike.
    for ($i = 1; $i -le $Count; $i++) {
        foreach ($kind in $shells.Keys) {
            foreach ($m in $targets) {
            $exe = $shells[$kind][0]; $rest = @($shells[$kind] | Select-Object -Skip 1)
            $out = & $exe @rest -NoProfile -NonInteractive -File $childPath -Manifest $m -Handshake ([int][bool]($Handshake -and $m -ne $emptyModule))
            $line = $out | Where-Object { "$_".StartsWith('RESULT ') } | Select-Object -Last 1
            if (-not $line) { throw "Run $i ($kind, $m) printed no result:`n$($out -join "`n")" }
            $f = "$line".Split(' ')
            $rows += [pscustomobject]@{
                PowerShell       = $kind
                Manifest         = if ($m -eq $emptyModule) { '(empty module)' } else { $m }
                Run              = $i
                ImportMs         = [math]::Round([double]$f[1], 1)
                FirstCmdletMs    = [math]::Round([double]$f[2], 1)
                ImportCpuMs      = [math]::Round([double]$f[3], 1)
                FirstCmdletCpuMs = [math]::Round([double]$f[4], 1)
                FirstHandshakeMs = if ($f.Count -gt 5 -and $f[5]) { [math]::Round([double]$f[5], 1) } else { $null }
            }
            }
        }
    }
} finally {
    Remove-Item -LiteralPath $childPath -ErrorAction Ignore
    if ($emptyModule) { Remove-Item -LiteralPath $emptyModule -ErrorAction Ignore }
}

function Get-Median([double[]] $v) { $s = $v | Sort-Object; if ($s.Count % 2) { $s[[int][math]::Floor($s.Count / 2)] } else { ($s[$s.Count / 2 - 1] + $s[$s.Count / 2]) / 2 } }
$rows | Format-Table -AutoSize | Out-String -Width 200 | Write-Host
foreach ($group in $rows | Group-Object PowerShell, Manifest) {
    Write-Host "$($group.Group[0].PowerShell) PowerShell, $($group.Group[0].Manifest)"
    $mine = @($group.Group)
    foreach ($p in 'ImportMs', 'FirstCmdletMs', 'ImportCpuMs', 'FirstCmdletCpuMs', 'FirstHandshakeMs') {
        $v = @($mine.$p | Where-Object { $null -ne $_ })
        if ($v.Count) { Write-Host ("  {0,-17} median {1,7:N1} ms   min {2,7:N1}   max {3,7:N1}" -f $p, (Get-Median $v), ($v | Measure-Object -Minimum).Minimum, ($v | Measure-Object -Maximum).Maximum) }
    }
}
Write-Host "load: $((Get-Content /proc/loadavg -ErrorAction Ignore) -join ' '); cores: $([Environment]::ProcessorCount); pwsh $($PSVersionTable.PSVersion)"
$rows
