# Helpers for the TLS cmdlet tests (Invoke-TlsHandshake, Start-TlsServer, ConvertTo-TlsDiagram).
# Dot-source after common.ps1. Every process started here is killed by Stop-TestProcess.
. $PSScriptRoot/Peers.common.ps1

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

function Start-OpenSslServer {
    <#
    openssl s_server on 127.0.0.1 (or -Address ::1; a port the kernel chooses) with the given certificate files and extra
    arguments; returns once it listens. The result has Port and the process; stop it with Stop-TestProcess.
    #>
    param([Parameter(Mandatory)] $Files, [string[]] $Arguments = @(), [string] $Address = '127.0.0.1', [switch] $DiscardOutput)
    Start-OpenSslPeer -Address $Address -DiscardOutput:$DiscardOutput -Arguments (@('-cert', $Files.CertPath, '-key', $Files.KeyPath, '-no-CAfile', '-no-CApath') + $Arguments)
}

function Invoke-Peer {
    <# Runs a client (openssl s_client, gnutls-cli) with empty stdin and a time bound; returns its combined output. #>
    param([Parameter(Mandatory)] [string] $FilePath, [string[]] $ArgumentList = @(), [int] $TimeoutSeconds = 30)
    $peer = Start-TestProcess -FilePath $FilePath -ArgumentList $ArgumentList
    $peer.Stdout = $peer.Process.StandardOutput.ReadToEndAsync()
    $peer.Stderr = $peer.Process.StandardError.ReadToEndAsync()
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
