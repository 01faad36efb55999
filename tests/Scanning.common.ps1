# Helpers for the scanning tests and bench/Scan.Bench.ps1: TLS peers on 127.0.0.1 (openssl s_server, gnutls-serv),
# sslscan runs parsed like tests/TlsTools.Core.Tests/Scanning/SslScanReport.cs, and PEM files for the peers.
# Dot-source after the module is imported.

. $PSScriptRoot/Peers.common.ps1

function New-ScanPeerFiles {
    <# Writes <Name>.crt (leaf), <Name>.key and <Name>-ca.crt into $Directory: a CA and a leaf for the DNS names and 127.0.0.1. #>
    param([string] $Directory, [string] $Name, [string] $Algorithm = 'Rsa2048', [string[]] $DnsName = @("$Name.test"))
    $ca = New-CaCertificate -Subject "CN=$Name Scan Test CA, O=TlsTools Tests" -Algorithm $Algorithm
    $leaf = New-Certificate -Issuer $ca -Subject "CN=$($DnsName[0])" -DnsName $DnsName -IpAddress 127.0.0.1 -Algorithm $Algorithm
    Save-Certificate -Path (Join-Path $Directory "$Name.crt") -Certificate $leaf -Force
    Save-Certificate -Path (Join-Path $Directory "$Name-ca.crt") -Certificate $ca -Force
    Save-PrivateKey -Path (Join-Path $Directory "$Name.key") -PrivateKey $leaf.PrivateKey -Force
    $leaf
}

function Start-ScanPeer {
    <#
    Starts a TLS peer on 127.0.0.1 (openssl also on -Address ::1) and returns once it listens (within 30 s): openssl
    ('s_server', '-accept', '127.0.0.1:{port}' or '[::1]:{port}', ...) on a port the kernel chooses, gnutls-serv ('--port', '{port}', ...) on a free port, retried
    if another process takes it first. Returns the peer (Port, Process, Tool). Stop it with Stop-ScanPeer.
    #>
    param([string] $Tool, [string[]] $Arguments, [string] $WorkingDirectory, [Net.IPAddress] $Address = [Net.IPAddress]::Loopback)
    $peer = switch ($Tool) {
        'openssl' {
            $accept = [array]::IndexOf($Arguments, '-accept')
            $hostPart = if ($Address.AddressFamily -eq 'InterNetworkV6') { "[$Address]" } else { "$Address" }
            if ($Arguments[0] -ne 's_server' -or $accept -lt 0 -or $Arguments[$accept + 1] -ne "${hostPart}:{port}") {
                throw "Start-ScanPeer: expected 's_server', '-accept', '${hostPart}:{port}', ...; got: $Arguments"
            }
            $rest = for ($i = 1; $i -lt $Arguments.Count; $i++) { if ($i -ne $accept -and $i -ne $accept + 1) { $Arguments[$i] } }
            Start-OpenSslPeer -Arguments $rest -WorkingDirectory $WorkingDirectory -Address "$Address"
        }
        'gnutls-serv' { Start-GnuTlsPeer -Arguments $Arguments -WorkingDirectory $WorkingDirectory }
        default { throw "Start-ScanPeer: no readiness signal known for $Tool" }
    }
    $peer | Add-Member -NotePropertyName Tool -NotePropertyValue $Tool -PassThru
}

function Stop-ScanPeer {
    param($Peer)
    if (-not $Peer -or -not $Peer.Process) { return }
    $null = $Peer | Stop-TestProcess
}

$script:SslScanVersions = @{ 'SSLv3' = 'Ssl30'; 'TLSv1.0' = 'Tls10'; 'TLSv1.1' = 'Tls11'; 'TLSv1.2' = 'Tls12'; 'TLSv1.3' = 'Tls13' }

function ConvertFrom-SslScan {
    <# Parses `sslscan --no-colour` output: enabled versions, accepted suites (printed order) and groups per version. #>
    param([string] $Text)
    $r = [pscustomobject]@{ EnabledVersions = [Collections.Generic.List[string]]::new(); Suites = @{}; Groups = @{}; Text = $Text }
    foreach ($line in $Text -split "`r?`n") {
        if ($line -match '^(Preferred|Accepted)\s+(SSLv3|TLSv1\.[0-3])\s+\d+ bits\s+(\S+)') {
            $v = $SslScanVersions[$Matches[2]]
            if (-not $r.Suites.ContainsKey($v)) { $r.Suites[$v] = [Collections.Generic.List[string]]::new() }
            $r.Suites[$v].Add($Matches[3])
        } elseif ($line -match '^(SSLv3|TLSv1\.[0-3])\s+enabled') {
            $r.EnabledVersions.Add($SslScanVersions[$Matches[1]])
        } elseif ($line -match '^(TLSv1\.[0-3])\s+\d+ bits\s+(\S+)') {
            $v = $SslScanVersions[$Matches[1]]
            if (-not $r.Groups.ContainsKey($v)) { $r.Groups[$v] = [Collections.Generic.List[string]]::new() }
            $r.Groups[$v].Add($Matches[2])
        }
    }
    $r
}

function Invoke-SslScan {
    <# Runs sslscan against 127.0.0.1:Port (bounded) and parses its output. #>
    param([int] $Port, [string] $SniName, [int] $TimeoutSeconds = 120)
    Assert-Peer sslscan
    $psi = [Diagnostics.ProcessStartInfo]::new('sslscan')
    $psi.UseShellExecute = $false
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    $psi.ArgumentList.Add('--no-colour')
    if ($SniName) { $psi.ArgumentList.Add("--sni-name=$SniName") }
    $psi.ArgumentList.Add("127.0.0.1:$Port")
    $p = [Diagnostics.Process]::Start($psi)
    try {
        $out = $p.StandardOutput.ReadToEndAsync()
        $p.BeginErrorReadLine()
        if (-not $p.WaitForExit($TimeoutSeconds * 1000)) { $p.Kill($true); throw "sslscan did not finish within $TimeoutSeconds s" }
        $null = $out.Wait(5000)
        ConvertFrom-SslScan $out.Result
    } finally { $p.Dispose() }
}

$script:OpenSslKnownSuites = $null
function Test-OpenSslKnowsSuite {
    <# Whether this machine's OpenSSL (hence sslscan) can test the suite at all (OpenSSL 3.0 here has no 3DES, RC4, DES...). #>
    param([string] $OpenSslName)
    if ($null -eq $script:OpenSslKnownSuites) {
        $text = & openssl ciphers -V 'ALL:COMPLEMENTOFALL:@SECLEVEL=0' 2>$null | Out-String
        $script:OpenSslKnownSuites = [Collections.Generic.HashSet[string]]::new()
        foreach ($m in [regex]::Matches($text, '0x[0-9A-F]{2},0x[0-9A-F]{2} - (\S+)')) { $null = $script:OpenSslKnownSuites.Add($m.Groups[1].Value) }
    }
    $script:OpenSslKnownSuites.Contains($OpenSslName)
}

function Get-SslScanSuiteName {
    <# The name sslscan prints for a suite entry of a report: OpenSSL's when its OpenSSL knows it, else IANA's. #>
    param($Entry)
    if ($Entry.OpenSslName -and (Test-OpenSslKnowsSuite $Entry.OpenSslName)) { $Entry.OpenSslName } else { $Entry.Name }
}
