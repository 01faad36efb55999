<#
.SYNOPSIS
    Test-CertificateChain as a user runs it: N leaf files piped through the cmdlet (read, build, validate, host name
    from a HostName property), vs one `openssl verify -CAfile root.pem -untrusted inter.pem leaf*.pem` over the same files.
.DESCRIPTION
    Complements bench/ChainBench (the core alone, in-process). Measures the cmdlet layer too: path resolution, file
    reading, pipeline binding by property name, result objects. Also times the default trust (the operating system's
    store, a chain that does not reach it). Rounds interleaved, medians printed; asserts nothing about time.
#>
param([int] $Count = 500, [int] $Rounds = 3)
$ErrorActionPreference = 'Stop'
$repo = Split-Path $PSScriptRoot -Parent
Import-Module (Join-Path $repo 'TlsTools.psd1') -Force

function Median([double[]] $v) { $s = $v | Sort-Object; $s[[int][math]::Floor($s.Count / 2)] }

$dir = Join-Path ([IO.Path]::GetTempPath()) ('tlstools-chainbench-' + [guid]::NewGuid().ToString('N').Substring(0, 8))
New-Item -ItemType Directory $dir | Out-Null
try {
    $root = New-CaCertificate -Subject 'CN=Bench Root'
    $inter = New-CaCertificate -Subject 'CN=Bench Issuing CA' -Issuer $root
    $root | Save-Certificate -Path "$dir/root.pem" | Out-Null
    $inter | Save-Certificate -Path "$dir/inter.pem" | Out-Null
    $key = New-PrivateKey
    $rows = foreach ($i in 1..$Count) {
        $path = "$dir/leaf$i.pem"
        New-Certificate -Issuer $inter -DnsName "host$i.bench.test" -PrivateKey $key | Save-Certificate -Path $path | Out-Null
        [pscustomobject]@{ Certificate = $path; HostName = "host$i.bench.test" }
    }
    $files = @($rows.Certificate)
    $null = $rows | Select-Object -First 20 | Test-CertificateChain -Intermediate "$dir/inter.pem" -TrustedRoot "$dir/root.pem" -Quiet

    $ours = @(); $system = @(); $theirs = @()
    foreach ($round in 1..$Rounds) {
        $t = Measure-Command { $script:ok = @($rows | Test-CertificateChain -Intermediate "$dir/inter.pem" -TrustedRoot "$dir/root.pem" -Quiet) }
        $ours += $t.TotalSeconds; $okOurs = @($ok | Where-Object { $_ }).Count
        $t = Measure-Command { $script:sys = @($rows | Test-CertificateChain -Intermediate "$dir/inter.pem" -Quiet) }
        $system += $t.TotalSeconds; $okSystem = @($sys | Where-Object { $_ }).Count
        $t = Measure-Command { $script:out = & openssl verify -CAfile "$dir/root.pem" -untrusted "$dir/inter.pem" @files 2>&1 }
        $theirs += $t.TotalSeconds; $okTheirs = @($out | Where-Object { "$_" -like '*: OK' }).Count
    }
    $o = $Count / (Median $ours); $s = $Count / (Median $system); $x = $Count / (Median $theirs)
    '{0,-58} {1,5}/{2} valid  {3,7:F0} chains/s' -f 'Test-CertificateChain (files + HostName, -TrustedRoot)', $okOurs, $Count, $o
    '{0,-58} {1,5}/{2} valid  {3,7:F0} chains/s' -f 'Test-CertificateChain (system store; must not pass)', $okSystem, $Count, $s
    '{0,-58} {1,5}/{2} OK     {3,7:F0} chains/s' -f 'openssl verify (one process, no host name check)', $okTheirs, $Count, $x
    'ratio cmdlet/openssl: {0:F2} (medians of {1} interleaved rounds)' -f ($o / $x), $Rounds
} finally {
    Remove-Item -Recurse -Force $dir
}
