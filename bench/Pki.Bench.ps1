<#
.SYNOPSIS
    Issuing benchmark: 100 leaf certificates from 100 CSR files in one process, TlsTools vs `openssl ca -batch`
    (one process signing the same 100 CSRs), for ECDSA P-256 and RSA-2048 CAs; plus Import-Module and first-call times.
.DESCRIPTION
    Both sides read the 100 CSR files, check each request's signature, sign, and write the certificates to one PEM
    file (openssl ca also writes a copy of each to its new_certs_dir and updates its index).
    Prints rates and the ratio; asserts nothing about time (the machine is shared and noisy).
#>
param([int] $Count = 100, [int] $Rounds = 3)
$ErrorActionPreference = 'Stop'
$repo = Split-Path $PSScriptRoot -Parent
Import-Module (Join-Path $repo 'TlsTools.psd1') -Force

function Median([double[]] $v) { $s = $v | Sort-Object; $s[[int][math]::Floor($s.Count / 2)] }

foreach ($alg in 'EcdsaP256', 'Rsa2048') {
    $dir = Join-Path ([IO.Path]::GetTempPath()) ("tlstools-bench-" + [guid]::NewGuid().ToString('N').Substring(0, 8))
    New-Item -ItemType Directory $dir | Out-Null
    try {
        $ca = New-CaCertificate -Subject "CN=Bench CA $alg" -Algorithm $alg
        $ca | Save-Certificate -Path "$dir/ca.pem" | Out-Null
        $ca | Save-PrivateKey -Path "$dir/ca.key" | Out-Null
        $csrDir = New-Item -ItemType Directory "$dir/csr"
        $csrFiles = 1..$Count | ForEach-Object {
            $p = "$csrDir/host$_.csr"
            New-CertificateRequest -Subject "CN=host$_.bench.test" -DnsName "host$_.bench.test" -Algorithm $alg | Save-CertificateRequest -Path $p | Out-Null
            $p
        }
        # openssl ca needs its little database.
        Set-Content "$dir/index.txt" -Value $null
        Set-Content "$dir/serial" -Value '01'
        @"
[ ca ]
default_ca = bench
[ bench ]
dir = $dir
database = `$dir/index.txt
serial = `$dir/serial
new_certs_dir = `$dir/ossl-out
certificate = `$dir/ca.pem
private_key = `$dir/ca.key
default_md = sha256
default_days = 90
policy = anything
unique_subject = no
copy_extensions = copy
[ anything ]
commonName = supplied
"@ | Set-Content "$dir/ca.cnf"

        $ours = @(); $theirs = @()
        for ($r = 0; $r -lt $Rounds; $r++) {
            # One pipeline, as a user would write it: read the CSR files, issue, write the certificates to one PEM file.
            $sw = [Diagnostics.Stopwatch]::StartNew()
            Read-CertificateRequest -LiteralPath $csrFiles | New-Certificate -Issuer $ca -ValidityDays 90 | Save-Certificate -Path "$dir/tls-all-$r.pem" | Out-Null
            $sw.Stop(); $ours += $Count / $sw.Elapsed.TotalSeconds

            Remove-Item "$dir/ossl-out" -Recurse -ErrorAction Ignore; New-Item -ItemType Directory "$dir/ossl-out" | Out-Null
            Set-Content "$dir/index.txt" -Value $null
            $sw = [Diagnostics.Stopwatch]::StartNew()
            & openssl ca -batch -config "$dir/ca.cnf" -notext -out "$dir/ossl-all-$r.pem" -infiles @csrFiles 2>$null
            $sw.Stop()
            if ($LASTEXITCODE -ne 0) { throw "openssl ca failed ($LASTEXITCODE)" }
            $issued = (Get-ChildItem "$dir/ossl-out" -Filter *.pem).Count
            if ($issued -ne $Count) { throw "openssl ca issued $issued of $Count" }
            $theirs += $Count / $sw.Elapsed.TotalSeconds
        }
        $o = Median $ours; $t = Median $theirs
        '{0,-10} TlsTools {1,7:N0} certs/s   openssl ca -batch {2,7:N0} certs/s   ratio {3:N2}x  (median of {4} rounds of {5})' -f $alg, $o, $t, ($o / $t), $Rounds, $Count
    } finally {
        Remove-Item $dir -Recurse -Force -ErrorAction Ignore
    }
}

# Import-Module and the first cmdlet call, each in a fresh PowerShell process.
$pwsh = (Get-Process -Id $PID).Path
$probe = "`$a = [Diagnostics.Stopwatch]::StartNew(); Import-Module '$repo/TlsTools.psd1'; `$a.Stop(); " +
         "`$b = [Diagnostics.Stopwatch]::StartNew(); `$null = New-PrivateKey; `$b.Stop(); '{0} {1}' -f `$a.Elapsed.TotalMilliseconds, `$b.Elapsed.TotalMilliseconds"
$imports = @(); $firsts = @()
for ($i = 0; $i -lt 5; $i++) {
    $line = if ($pwsh -match 'dotnet(\.exe)?$') { & $pwsh pwsh -NoProfile -NonInteractive -Command $probe } else { & $pwsh -NoProfile -NonInteractive -Command $probe }
    $parts = "$line".Trim() -split ' '
    $imports += [double]$parts[0]; $firsts += [double]$parts[1]
}
'Import-Module {0:N0} ms, first cmdlet call (New-PrivateKey) {1:N0} ms  (median of 5 fresh processes)' -f (Median $imports), (Median $firsts)
