<#
.SYNOPSIS
    How scan time grows with the suites a server offers: bench/Scan.Bench.ps1 (Get-TlsServerProfile vs sslscan, same
    server, interleaved rounds) against openssl s_server configured with about 5, 40 and 90 cipher suites.
.DESCRIPTION
    The servers (RSA-2048 leaf):
      5   TLS 1.2 and 1.3: two TLS 1.2 suites (-cipher) and the three TLS 1.3 suites
      40  TLS 1.2 and 1.3: the first 37 TLS 1.2 suites of `openssl ciphers 'aRSA:!PSK:!SRP:@SECLEVEL=0'` and the three TLS 1.3 suites
      90  TLS 1.0 to 1.3 with -cipher 'ALL:@SECLEVEL=0': every suite this OpenSSL serves with an RSA key, in each version
          (the bench prints the (version, suite) pairs each tool found; for this OpenSSL 3.0 about 90 or more)
    Prints, per server, the medians and the share of sslscan's wall time the cmdlet took (goal: at most 25 %). Re-run it
    after probes are added to the scanner. Asserts nothing about time.
.EXAMPLE
    dotnet pwsh -NoProfile -File bench/ScanScaling.Bench.ps1 -Rounds 3
#>
param([int] $Rounds = 3)
$ErrorActionPreference = 'Stop'
$scan = Join-Path $PSScriptRoot 'Scan.Bench.ps1'
$tls12 = @((& openssl ciphers 'aRSA:!PSK:!SRP:@SECLEVEL=0') -split ':' | Where-Object { $_ -notlike 'TLS_*' })
$servers = [ordered]@{
    5  = @('-cipher', 'ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384', '-min_protocol', 'TLSv1.2')
    40 = @('-cipher', (($tls12 | Select-Object -First 37) -join ':' | ForEach-Object { $_ + ':@SECLEVEL=0' }), '-min_protocol', 'TLSv1.2')
    90 = @('-cipher', 'ALL:@SECLEVEL=0', '-min_protocol', 'TLSv1')
}
$rows = foreach ($entry in $servers.GetEnumerator()) {
    $size = $entry.Key
    Write-Host "--- server with ~$size suites: openssl s_server $($entry.Value -join ' ')"
    $r = & $scan -Rounds $Rounds -ServerArguments $entry.Value
    [pscustomobject]@{
        Suites = $size; FoundByCmdlet = $r.CmdletSuites; FoundBySslScan = $r.SslScanSuites
        CmdletMs = $r.CmdletMedianMs; SslScanMs = $r.SslScanMedianMs; CmdletShareOfSslScan = '{0:P0}' -f ($r.CmdletMedianMs / $r.SslScanMedianMs)
        Load = ((Get-Content /proc/loadavg -ErrorAction SilentlyContinue) -split ' ')[0]
    }
}
$rows | Format-Table -AutoSize | Out-String -Width 200
