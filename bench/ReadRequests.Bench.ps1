<#
.SYNOPSIS
    Read-CertificateRequest alone (issue 16): many files read in parallel vs one file per call (read inline, as before),
    and what a single input costs through the parallel path.
.DESCRIPTION
    Makes -Count RSA-2048 (or -Algorithm) request files from -KeyPool distinct keys, then each round reads them three
    ways, alternating: one -LiteralPath array (parallel), one Read-CertificateRequest call per file (inline), and
    Get-ChildItem piped (parallel). Then single inputs, -Single times each: one file by -LiteralPath (read inline) and
    one FileInfo piped (through the parallel map): the difference bounds the thread hop (it also holds the pipeline
    binding). Prints rates, the speedup, and the load average before and after. Asserts nothing about time.
.EXAMPLE
    dotnet pwsh -NoProfile -File bench/ReadRequests.Bench.ps1 -Count 300 -Rounds 3
#>
param(
    [int] $Count = 300,
    [string] $Algorithm = 'Rsa2048',
    [int] $KeyPool = 50,
    [int] $Rounds = 3,
    [int] $Single = 300
)
$ErrorActionPreference = 'Stop'
$repo = Split-Path $PSScriptRoot -Parent
Import-Module (Join-Path $repo 'TlsTools.psd1') -Force

$dir = Join-Path ([IO.Path]::GetTempPath()) ("tlstools-readbench-" + [guid]::NewGuid().ToString('N').Substring(0, 8))
New-Item -ItemType Directory $dir | Out-Null
try {
    $keys = 1..$KeyPool | ForEach-Object { New-PrivateKey -Algorithm $Algorithm }
    $files = 1..$Count | ForEach-Object {
        $p = Join-Path $dir ('h{0:D6}.csr' -f $_)
        New-CertificateRequest -Subject "CN=h$_.bench.test" -PrivateKey $keys[$_ % $KeyPool] | Save-CertificateRequest -Path $p | Out-Null
        $p
    }
    if ($Count -gt $KeyPool) { "note: $Count requests from $KeyPool distinct keys (no cache exists; each key is validated anew)" }
    Read-CertificateRequest -LiteralPath $files[0..([math]::Min(9, $Count - 1))] | Out-Null # JIT
    "load before: $((& uptime) -replace '^.*load', 'load')"
    for ($r = 0; $r -lt $Rounds; $r++) {
        $array = (Measure-Command { Read-CertificateRequest -LiteralPath $files | Out-Null }).TotalSeconds
        $one = (Measure-Command { $files | ForEach-Object { Read-CertificateRequest -LiteralPath $_ } | Out-Null }).TotalSeconds
        $piped = (Measure-Command { Get-ChildItem -LiteralPath $dir -Filter *.csr | Read-CertificateRequest | Out-Null }).TotalSeconds
        '{0} x {1}: -LiteralPath array {2:N0}/s, one file per call {3:N0}/s, Get-ChildItem piped {4:N0}/s; array/one-by-one {5:N2}x' -f
            $Algorithm, $Count, ($Count / $array), ($Count / $one), ($Count / $piped), ($one / $array)
    }
    $fi = Get-Item -LiteralPath $files[0]
    for ($r = 0; $r -lt $Rounds; $r++) {
        $inline = (Measure-Command { for ($i = 0; $i -lt $Single; $i++) { $null = Read-CertificateRequest -LiteralPath $files[0] } }).TotalMilliseconds / $Single
        $hop = (Measure-Command { for ($i = 0; $i -lt $Single; $i++) { $null = $fi | Read-CertificateRequest } }).TotalMilliseconds / $Single
        'one input: -LiteralPath (inline) {0:N3} ms/call, FileInfo piped (parallel map) {1:N3} ms/call, difference {2:N3} ms' -f $inline, $hop, ($hop - $inline)
    }
    "load after: $((& uptime) -replace '^.*load', 'load')"
} finally {
    Remove-Item $dir -Recurse -Force -ErrorAction Ignore
}
