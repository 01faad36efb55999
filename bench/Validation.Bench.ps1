<#
.SYNOPSIS
    Test-CertificateChain as a user runs it over a folder of leaf files, vs `openssl verify` over the same files.
.DESCRIPTION
    For each key type (-Key) and each count (-Count, default 100, 1000 and 10000) a folder of N leaf PEM files issued by
    one intermediate under one root, then, interleaved for -Rounds rounds:
      ours     Get-ChildItem *.pem | Test-CertificateChain -Intermediate inter.pem -TrustedRoot root.pem -Quiet
      names    the same with a HostName property per row (Import-Csv style), so the host name is checked too
      openssl  ONE process: openssl verify -CAfile root.pem -untrusted inter.pem leaf1.pem ... leafN.pem
      per-file one `openssl verify` process per file, as a shell loop over files does (only up to -PerFileMax files)
    Prints chains per second (medians) and the ratios ours/openssl, with the load average. Asserts nothing about time.
    The core alone (no PowerShell) is bench/ChainBench.
.EXAMPLE
    dotnet pwsh -NoProfile -Command "& ./bench/Validation.Bench.ps1 -Key EcdsaP256,Rsa2048 -Count 100,1000,10000 -Rounds 3"
#>
param(
    [ValidateSet('EcdsaP256', 'EcdsaP384', 'Rsa2048', 'Rsa3072')] [string[]] $Key = @('EcdsaP256', 'Rsa2048'),
    [int[]] $Count = @(100, 1000, 10000),
    [int] $Rounds = 3,
    [int] $PerFileMax = 1000
)
$ErrorActionPreference = 'Stop'
$repo = Split-Path $PSScriptRoot -Parent
Import-Module (Join-Path $repo 'TlsTools.psd1') -Force

function Median([double[]] $v) { $s = $v | Sort-Object; $s[[int][math]::Floor($s.Count / 2)] }

$top = Join-Path ([IO.Path]::GetTempPath()) ('tlstools-chainbench-' + [guid]::NewGuid().ToString('N').Substring(0, 8))
New-Item -ItemType Directory $top | Out-Null
$here = Get-Location
try {
    foreach ($k in $Key) {
        $dir = Join-Path $top $k
        New-Item -ItemType Directory $dir | Out-Null
        $root = New-CaCertificate -Subject 'CN=Bench Root' -PrivateKey (New-PrivateKey -Algorithm $k)
        $inter = New-CaCertificate -Subject 'CN=Bench Issuing CA' -Issuer $root -PrivateKey (New-PrivateKey -Algorithm $k)
        $rootPath = Join-Path $dir 'root.pem'; $interPath = Join-Path $dir 'inter.pem'
        $root | Save-Certificate -Path $rootPath | Out-Null
        $inter | Save-Certificate -Path $interPath | Out-Null
        $leafKey = New-PrivateKey -Algorithm $k # one key for all leaves: each leaf is still signed (and checked) on its own
        $max = ($Count | Measure-Object -Maximum).Maximum
        $all = Join-Path $dir 'all'
        New-Item -ItemType Directory $all | Out-Null
        Write-Host "$k : issuing $max leaves ..."
        foreach ($i in 1..$max) {
            New-Certificate -Issuer $inter -DnsName "host$i.bench.test" -PrivateKey $leafKey |
                Save-Certificate -Path (Join-Path $all ('leaf{0:D5}.pem' -f $i)) | Out-Null
        }
        $allFiles = @(Get-ChildItem $all -Filter *.pem | Sort-Object Name)
        foreach ($n in $Count) {
            $set = Join-Path $dir "n$n"
            New-Item -ItemType Directory $set | Out-Null
            $allFiles | Select-Object -First $n | Copy-Item -Destination $set
            Set-Location $set
            $rows = @(Get-ChildItem *.pem | ForEach-Object { [pscustomobject]@{ Certificate = $_.FullName; HostName = 'host' + [int]$_.BaseName.Substring(4) + '.bench.test' } })
            $names = @((Get-ChildItem *.pem).Name)
            $null = Get-ChildItem *.pem | Select-Object -First 20 | Test-CertificateChain -Intermediate $interPath -TrustedRoot $rootPath -Quiet
            $ours = @(); $named = @(); $theirs = @(); $perFile = @()
            foreach ($round in 1..$Rounds) {
                $t = Measure-Command { $script:ok = @(Get-ChildItem *.pem | Test-CertificateChain -Intermediate $interPath -TrustedRoot $rootPath -Quiet) }
                $ours += $t.TotalSeconds; $okOurs = @($ok | Where-Object { $_ }).Count
                $t = Measure-Command { $script:out = & openssl verify -CAfile $rootPath -untrusted $interPath @names 2>&1 }
                $theirs += $t.TotalSeconds; $okTheirs = @($out | Where-Object { "$_" -like '*: OK' }).Count
                $t = Measure-Command { $script:okn = @($rows | Test-CertificateChain -Intermediate $interPath -TrustedRoot $rootPath -Quiet) }
                $named += $t.TotalSeconds; $okNamed = @($okn | Where-Object { $_ }).Count
                if ($n -le $PerFileMax) {
                    $t = Measure-Command { $script:okp = @(foreach ($f in $names) { & openssl verify -CAfile $rootPath -untrusted $interPath $f 2>&1 | Where-Object { "$_" -like '*: OK' } }).Count }
                    $perFile += $t.TotalSeconds
                }
            }
            $load = ((Get-Content /proc/loadavg -ErrorAction SilentlyContinue) -split ' ')[0]
            $o = $n / (Median $ours); $h = $n / (Median $named); $x = $n / (Median $theirs)
            '{0,-9} {1,6} files  Get-ChildItem | Test-CertificateChain: {2,6:F0}/s ({3} valid)  with HostName: {4,6:F0}/s ({5} valid)  openssl verify (one process): {6,6:F0}/s ({7} OK)  ratio {8:F2} / {9:F2}' -f `
                $k, $n, $o, $okOurs, $h, $okNamed, $x, $okTheirs, ($o / $x), ($h / $x)
            if ($perFile.Count) {
                $p = $n / (Median $perFile)
                '{0,-9} {1,6} files  openssl verify per file (one process each): {2,6:F0}/s ({3} OK)  ratio ours/per-file {4:F2}' -f $k, $n, $p, $okp, ($o / $p)
            }
            '          medians of {0} interleaved rounds; load average {1}' -f $Rounds, $load
            Set-Location $here
        }
    }
} finally {
    Set-Location $here
    Remove-Item -Recurse -Force $top
}
