# A peer that answers in plain text (not TLS), for the NotTls tests of Invoke-TlsHandshake and Get-TlsServerProfile.
if (-not (Get-Command Start-TestProcess -ErrorAction Ignore)) { . $PSScriptRoot/Peers.common.ps1 }

function Start-PlainTextPeer {
    <# Starts tests/data/plain-text-server.ps1 in a child PowerShell; returns the peer with its Port. Stop it with Stop-TestProcess. #>
    $command = @(Get-ChildPwshCommand)
    $arguments = @($command | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', (Join-Path $PSScriptRoot 'data/plain-text-server.ps1'))
    $peer = Start-TestProcess -FilePath $command[0] -ArgumentList $arguments
    $m = Wait-PeerLine -Peer $peer -Pattern '^PORT (\d+)$' -TimeoutSeconds 60
    if (-not $m) { $out = $peer | Stop-TestProcess; throw "The plain-text peer did not start: $out" }
    $peer | Add-Member -NotePropertyName Port -NotePropertyValue ([int]$m.Groups[1].Value) -PassThru
}
