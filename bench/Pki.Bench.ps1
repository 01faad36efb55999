<#
.SYNOPSIS
    Issuing benchmark: leaf certificates from CSR files in one process, TlsTools vs `openssl ca -batch` (one process
    signing the same CSRs), for 10/100/1,000 CSRs with ECDSA P-256 and RSA-2048 CAs and 100 CSRs with RSA-3072,
    RSA-4096 and Ed25519 CAs; plus Import-Module and first-call times.
.DESCRIPTION
    Both sides read the CSR files, check each request's signature, sign, and write the certificates to one PEM file.
    TlsTools also validates each RSA request key as BouncyCastle does (odd, no small factor, provably composite);
    openssl ca does not, but writes a copy of each certificate to its new_certs_dir and updates its index.
    Each round runs TlsTools, then TlsTools one file per call, then openssl, on the same files; the per-round ratios are
    printed with their median and range, and the load average before and after (the machine is shared and noisy).
    Asserts nothing about time.
    TlsTools reads the files as a user would pass them (one -LiteralPath array): several files are read and validated in
    parallel (issue 16). "one-by-one" is the same pipeline with one Read-CertificateRequest call per file, which reads
    its single file inline as before issue 16 (plus a ForEach-Object step and a command call per file): the before/after
    figure of the parallel read, in the same run.
    The requests' keys come from a pool of -KeyPool distinct keys per algorithm made with openssl; each request is parsed
    and its key validated anew (TlsTools has no cache of keys). Where a run has more requests than the pool has keys, the
    output says how often a key repeats.
.EXAMPLE
    dotnet pwsh -NoProfile -File bench/Pki.Bench.ps1 -Rounds 3
.EXAMPLE
    dotnet pwsh -NoProfile -Command "& ./bench/Pki.Bench.ps1 -Algorithm Rsa2048 -Count 10,100 -ExtraAlgorithm @() -SkipImport"
#>
param(
    [int[]] $Count = @(10, 100, 1000),
    [string[]] $Algorithm = @('EcdsaP256', 'Rsa2048'),
    [string[]] $ExtraAlgorithm = @('Rsa3072', 'Rsa4096', 'Ed25519'),
    [int] $ExtraCount = 100,
    [int] $Rounds = 3,
    [int] $KeyPool = 100,
    [switch] $SkipImport
)
$ErrorActionPreference = 'Stop'
$repo = Split-Path $PSScriptRoot -Parent
Import-Module (Join-Path $repo 'TlsTools.psd1') -Force

function Median([double[]] $v) { $s = $v | Sort-Object; $s[[int][math]::Floor($s.Count / 2)] }

$genpkey = @{
    EcdsaP256 = @('-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256')
    Rsa2048   = @('-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048')
    Rsa3072   = @('-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:3072')
    Rsa4096   = @('-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:4096')
    Ed25519   = @('-algorithm', 'ED25519')
}
"load before: $((& uptime) -replace '^.*load', 'load')"
$plan = @($Algorithm | ForEach-Object { $a = $_; $Count | ForEach-Object { @{ Alg = $a; N = $_ } } }) +
        @($ExtraAlgorithm | ForEach-Object { @{ Alg = $_; N = $ExtraCount } })
foreach ($alg in ($plan | ForEach-Object { $_.Alg } | Select-Object -Unique)) {
    $dir = Join-Path ([IO.Path]::GetTempPath()) ("tlstools-bench-" + [guid]::NewGuid().ToString('N').Substring(0, 8))
    New-Item -ItemType Directory $dir | Out-Null
    try {
        # Keys by openssl (both sides read them; made on every processor at once), the CA certificate and the requests by TlsTools.
        $options = $genpkey[$alg]
        $keyFiles = 0..$KeyPool | ForEach-Object -ThrottleLimit ([Environment]::ProcessorCount) -Parallel {
            & openssl genpkey @($using:options) -out "$($using:dir)/key$_.pem" 2>$null
            if ($LASTEXITCODE -ne 0) { throw "openssl genpkey failed" }
            "$($using:dir)/key$_.pem"
        } | Sort-Object { [int]($_ -replace '^.*key(\d+)\.pem$', '$1') }
        $ca = New-CaCertificate -Subject "CN=Bench CA $alg" -PrivateKey (Read-PrivateKey -LiteralPath $keyFiles[0])
        $ca | Save-Certificate -Path "$dir/ca.pem" | Out-Null
        Copy-Item $keyFiles[0] "$dir/ca.key"
        $keys = $keyFiles[1..$KeyPool] | ForEach-Object { Read-PrivateKey -LiteralPath $_ }
        $max = ($plan | Where-Object { $_.Alg -eq $alg } | ForEach-Object { $_.N } | Measure-Object -Maximum).Maximum
        $csrDir = New-Item -ItemType Directory "$dir/csr"
        $csrFiles = 1..$max | ForEach-Object {
            $p = "$csrDir/host$_.csr"
            New-CertificateRequest -Subject "CN=host$_.bench.test" -DnsName "host$_.bench.test" -PrivateKey $keys[$_ % $KeyPool] | Save-CertificateRequest -Path $p | Out-Null
            $p
        }
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
default_md = default
default_days = 90
policy = anything
unique_subject = no
copy_extensions = copy
[ anything ]
commonName = supplied
"@ | Set-Content "$dir/ca.cnf"
        Set-Content "$dir/serial" -Value '01'

        # One unmeasured issuance first: the JIT's first compilations belong to the first-call figure, not to throughput.
        Read-CertificateRequest -LiteralPath $csrFiles[0] | New-Certificate -Issuer $ca -ValidityDays 90 | Out-Null
        foreach ($n in ($plan | Where-Object { $_.Alg -eq $alg } | ForEach-Object { $_.N })) {
            $files = $csrFiles[0..($n - 1)]
            if ($n -gt $KeyPool) { "note: $alg x $n requests from $KeyPool distinct keys (each key in ~$([math]::Ceiling($n / $KeyPool)) requests; no cache exists, each is validated anew)" }
            $ours = @(); $single = @(); $theirs = @(); $ratios = @(); $singleRatios = @()
            for ($r = 0; $r -lt $Rounds; $r++) {
                # One pipeline, as a user would write it: read the CSR files, issue, write the certificates to one PEM file.
                $sw = [Diagnostics.Stopwatch]::StartNew()
                Read-CertificateRequest -LiteralPath $files | New-Certificate -Issuer $ca -ValidityDays 90 | Save-Certificate -Path "$dir/tls-$n-$r.pem" | Out-Null
                $sw.Stop(); $o = $n / $sw.Elapsed.TotalSeconds

                # The same, one file per Read-CertificateRequest call (read inline, as before issue 16).
                $sw = [Diagnostics.Stopwatch]::StartNew()
                $files | ForEach-Object { Read-CertificateRequest -LiteralPath $_ } | New-Certificate -Issuer $ca -ValidityDays 90 | Save-Certificate -Path "$dir/one-$n-$r.pem" | Out-Null
                $sw.Stop(); $s1 = $n / $sw.Elapsed.TotalSeconds

                Remove-Item "$dir/ossl-out" -Recurse -ErrorAction Ignore; New-Item -ItemType Directory "$dir/ossl-out" | Out-Null
                Set-Content "$dir/index.txt" -Value $null
                $sw = [Diagnostics.Stopwatch]::StartNew()
                & openssl ca -batch -config "$dir/ca.cnf" -notext -out "$dir/ossl-$n-$r.pem" -infiles @files 2>$null
                $sw.Stop()
                if ($LASTEXITCODE -ne 0) { throw "openssl ca failed ($LASTEXITCODE)" }
                $issued = (Get-ChildItem "$dir/ossl-out" -Filter *.pem).Count
                if ($issued -ne $n) { throw "openssl ca issued $issued of $n" }
                $t = $n / $sw.Elapsed.TotalSeconds
                $ours += $o; $single += $s1; $theirs += $t; $ratios += $o / $t; $singleRatios += $s1 / $t
            }
            foreach ($kind in 'tls', 'one') {
                $ourCount = ((Get-Content "$dir/$kind-$n-0.pem") -match 'BEGIN CERTIFICATE').Count
                if ($ourCount -ne $n) { throw "TlsTools ($kind) issued $ourCount of $n" }
            }
            [pscustomobject]@{
                Algorithm      = $alg
                Csrs           = $n
                'TlsTools/s'   = [math]::Round((Median $ours), 0)
                'one-by-one/s' = [math]::Round((Median $single), 0)
                'openssl ca/s' = [math]::Round((Median $theirs), 0)
                Ratio          = [math]::Round((Median $ratios), 2)
                RatioRange     = '{0:N2}-{1:N2}' -f ($ratios | Measure-Object -Minimum).Minimum, ($ratios | Measure-Object -Maximum).Maximum
                'Ratio one-by-one' = '{0:N2} ({1:N2}-{2:N2})' -f (Median $singleRatios), ($singleRatios | Measure-Object -Minimum).Minimum, ($singleRatios | Measure-Object -Maximum).Maximum
                Rounds         = $Rounds
            }
        }
    } finally {
        Remove-Item $dir -Recurse -Force -ErrorAction Ignore
    }
}
"load after: $((& uptime) -replace '^.*load', 'load')"
if ($SkipImport) { return }

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
