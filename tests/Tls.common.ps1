# Helpers for the TLS cmdlet tests (Invoke-TlsHandshake, Start-TlsServer, ConvertTo-TlsDiagram).
# Dot-source after common.ps1. Every process started here is killed by Stop-OpenSslServer / Stop-TestProcess.

function Get-FreeTcpPort {
    <# A loopback port that was free a moment ago. #>
    $l = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0)
    $l.Start()
    try { $l.LocalEndpoint.Port } finally { $l.Stop() }
}

function Save-TlsTestFiles {
    <# Writes a certificate (and its chain, separately) as PEM and its key as PKCS#8 PEM under $Directory; returns the paths. #>
    param([Parameter(Mandatory)] $Certificate, [object[]] $Chain = @(), [Parameter(Mandatory)] [string] $Directory, [Parameter(Mandatory)] [string] $Name)
    $cert = Join-Path $Directory "$Name.crt.pem"
    $key = Join-Path $Directory "$Name.key.pem"
    $Certificate | Save-Certificate -Path $cert -Force | Out-Null
    $Certificate | Save-PrivateKey -Path $key -Force | Out-Null
    $chainPath = $null
    if ($Chain.Count) {
        $chainPath = Join-Path $Directory "$Name.chain.pem"
        $Chain | Save-Certificate -Path $chainPath -Force | Out-Null
    }
    [pscustomobject]@{ Certificate = $Certificate; CertPath = $cert; KeyPath = $key; ChainPath = $chainPath }
}

function Start-TestProcess {
    <# Starts a process with stdin, stdout and stderr redirected; output is drained in the background. #>
    param([Parameter(Mandatory)] [string] $FilePath, [string[]] $ArgumentList = @())
    $psi = [Diagnostics.ProcessStartInfo]::new($FilePath)
    foreach ($a in $ArgumentList) { $psi.ArgumentList.Add($a) }
    $psi.UseShellExecute = $false
    $psi.RedirectStandardInput = $true
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    $p = [Diagnostics.Process]::Start($psi)
    [pscustomobject]@{ Process = $p; Stdout = $null; Stderr = $p.StandardError.ReadToEndAsync(); Lines = [Collections.Generic.List[string]]::new() }
}

function Stop-TestProcess {
    <# Kills the process (and children) if still running; returns everything it printed. #>
    param([Parameter(Mandatory, ValueFromPipeline)] $Peer)
    process {
        try { if (-not $Peer.Process.HasExited) { $Peer.Process.Kill($true) } } catch { }
        $null = $Peer.Process.WaitForExit(5000)
        $text = ($Peer.Lines -join "`n")
        if ($Peer.Stdout -and $Peer.Stdout.Wait(2000)) { $text += "`n" + $Peer.Stdout.Result }
        if ($Peer.Stderr.Wait(2000)) { $text += "`n" + $Peer.Stderr.Result }
        $Peer.Process.Dispose()
        $text
    }
}

function Start-OpenSslServer {
    <#
    openssl s_server on a free 127.0.0.1 port with the given certificate files and extra arguments; returns once it
    prints ACCEPT (within 15 s). The result has Port and the process; stop it with Stop-TestProcess.
    #>
    param([Parameter(Mandatory)] $Files, [string[]] $Arguments = @())
    for ($attempt = 1; ; $attempt++) {
        $port = Get-FreeTcpPort
        $argv = @('s_server', '-accept', "127.0.0.1:$port", '-cert', $Files.CertPath, '-key', $Files.KeyPath, '-no-CAfile', '-no-CApath') + $Arguments
        $peer = Start-TestProcess -FilePath openssl -ArgumentList $argv
        $peer | Add-Member -NotePropertyName Port -NotePropertyValue $port
        $deadline = [DateTime]::UtcNow.AddSeconds(15)
        $ready = $false
        $pending = $peer.Process.StandardOutput.ReadLineAsync()
        while ([DateTime]::UtcNow -lt $deadline) {
            if (-not $pending.Wait(200)) { continue }
            $line = $pending.Result
            if ($null -eq $line) { break }
            $peer.Lines.Add($line)
            if ($line -match '^ACCEPT') { $ready = $true; break }
            $pending = $peer.Process.StandardOutput.ReadLineAsync()
        }
        if ($ready) {
            # Keep draining stdout so a chatty server never blocks on a full pipe.
            $peer.Stdout = $peer.Process.StandardOutput.ReadToEndAsync()
            return $peer
        }
        $output = $peer | Stop-TestProcess
        if ($attempt -ge 3 -or $output -notmatch 'in use') { throw "openssl s_server did not start: $output" }
    }
}

function Invoke-Peer {
    <# Runs a client (openssl s_client, gnutls-cli) with empty stdin and a time bound; returns its combined output. #>
    param([Parameter(Mandatory)] [string] $FilePath, [string[]] $ArgumentList = @(), [int] $TimeoutSeconds = 30)
    $peer = Start-TestProcess -FilePath $FilePath -ArgumentList $ArgumentList
    $peer.Stdout = $peer.Process.StandardOutput.ReadToEndAsync()
    $peer.Process.StandardInput.Close()
    $exited = $peer.Process.WaitForExit($TimeoutSeconds * 1000)
    $exit = if ($exited) { $peer.Process.ExitCode } else { -1 }
    $text = $peer | Stop-TestProcess
    [pscustomobject]@{ ExitCode = $exit; Output = $text }
}

function Get-TranscriptOrder {
    <# "Client:ClientHello", "Server:ServerHello", ... optionally without ChangeCipherSpec. #>
    param([Parameter(Mandatory)] $Result, [switch] $NoChangeCipherSpec)
    @($Result.Transcript | Where-Object { -not $NoChangeCipherSpec -or $_.Type -ne 'ChangeCipherSpec' } | ForEach-Object { "$($_.Sender):$($_.Type)" })
}

$script:Tls12Full = @('Client:ClientHello', 'Server:ServerHello', 'Server:Certificate', 'Server:ServerKeyExchange', 'Server:ServerHelloDone',
    'Client:ClientKeyExchange', 'Client:ChangeCipherSpec', 'Client:Finished', 'Server:ChangeCipherSpec', 'Server:Finished')
$script:Tls13Full = @('Client:ClientHello', 'Server:ServerHello', 'Server:EncryptedExtensions', 'Server:Certificate',
    'Server:CertificateVerify', 'Server:Finished', 'Client:Finished')
