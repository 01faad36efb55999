# Test peers on 127.0.0.1 (openssl s_server, gnutls-serv) and ports, shared by Tls.common.ps1 and Scanning.common.ps1 (and
# through them bench/). A peer is ready when it says it listens, never after a fixed sleep; a port is never "free a moment
# ago" when the test needs it to stay so. Every process started here is killed by Stop-TestProcess.

# How long a peer may take to start listening on a loaded machine.
$script:PeerStartSeconds = 30

function Assert-Peer {
    <#
    Fails the test (never skips it) when a peer command is not installed, naming what installs it. The README's test
    command (build.ps1 test) installs every peer in tests/Peers.psd1 before the tests run.
    #>
    param([Parameter(Mandatory)] [string] $Command)
    if (-not (Get-Command $Command -CommandType Application -ErrorAction Ignore)) {
        throw "$Command is not installed: run the tests with ./build.ps1 test, which installs the peers in tests/Peers.psd1, or install it yourself."
    }
}

function Get-FreeTcpPort {
    <#
    A loopback port that was free a moment ago. Only for a peer that cannot bind port 0 itself (gnutls-serv), whose own
    report of its bind is checked (Start-GnuTlsServer); for a port that must refuse connections use New-RefusedPort.
    #>
    $l = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0)
    $l.Start()
    try { $l.LocalEndpoint.Port } finally { $l.Stop() }
}

function New-RefusedPort {
    <#
    A loopback port held bound but not listening: connections to it are refused, and no other process can listen on it,
    until the returned socket is disposed (its Port property is the port). -IPv6: on ::1.
    #>
    param([switch] $IPv6)
    $family = if ($IPv6) { [Net.Sockets.AddressFamily]::InterNetworkV6 } else { [Net.Sockets.AddressFamily]::InterNetwork }
    $address = if ($IPv6) { [Net.IPAddress]::IPv6Loopback } else { [Net.IPAddress]::Loopback }
    $s = [Net.Sockets.Socket]::new($family, [Net.Sockets.SocketType]::Stream, [Net.Sockets.ProtocolType]::Tcp)
    $s.Bind([Net.IPEndPoint]::new($address, 0))
    $s | Add-Member -NotePropertyName Port -NotePropertyValue $s.LocalEndPoint.Port -PassThru
}

function Start-TestProcess {
    <# Starts a process with stdin, stdout and stderr redirected; read it with Wait-PeerLine, stop it with Stop-TestProcess. #>
    param([Parameter(Mandatory)] [string] $FilePath, [string[]] $ArgumentList = @(), [string] $WorkingDirectory)
    if (-not [IO.Path]::IsPathRooted($FilePath)) { Assert-Peer $FilePath }
    $psi = [Diagnostics.ProcessStartInfo]::new($FilePath)
    foreach ($a in $ArgumentList) { $psi.ArgumentList.Add($a) }
    if ($WorkingDirectory) { $psi.WorkingDirectory = $WorkingDirectory }
    $psi.UseShellExecute = $false
    $psi.RedirectStandardInput = $true    # s_server reads commands from stdin: keep it open and silent
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    $p = [Diagnostics.Process]::Start($psi)
    [pscustomobject]@{
        Process = $p; CommandLine = "$FilePath $($ArgumentList -join ' ')"; Lines = [Collections.Generic.List[string]]::new()
        Stdout = $null; Stderr = $null; Pending = $null; Output = $null
    }
}

function Wait-PeerLine {
    <#
    Reads the peer's standard output (or -Stream Error) line by line until a line matches $Pattern, the stream ends or
    $TimeoutSeconds pass; returns the match or $null. Once it returns, the other stream and (after a match) this one are
    drained in the background, so a chatty peer never blocks on a full pipe.
    #>
    param([Parameter(Mandatory)] $Peer, [Parameter(Mandatory)] [regex] $Pattern, [ValidateSet('Output', 'Error')] [string] $Stream = 'Output',
        [int] $TimeoutSeconds = $PeerStartSeconds)
    $reader = if ($Stream -eq 'Output') { $Peer.Process.StandardOutput } else { $Peer.Process.StandardError }
    if ($Stream -eq 'Output') { $Peer.Stderr = $Peer.Process.StandardError.ReadToEndAsync() } else { $Peer.Stdout = $Peer.Process.StandardOutput.ReadToEndAsync() }
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSeconds)
    $pending = $reader.ReadLineAsync()
    while ([DateTime]::UtcNow -lt $deadline) {
        if (-not $pending.Wait(200)) { continue }
        $line = $pending.Result
        if ($null -eq $line) { return $null }
        $Peer.Lines.Add($line)
        $m = $Pattern.Match($line)
        if ($m.Success) {
            if ($Stream -eq 'Output') { $Peer.Stdout = $reader.ReadToEndAsync() } else { $Peer.Stderr = $reader.ReadToEndAsync() }
            return $m
        }
        $pending = $reader.ReadLineAsync()
    }
    $Peer.Pending = $pending   # still reading: Stop-TestProcess ends it
    $null
}

function Stop-TestProcess {
    <# Kills the process (and children) if still running; returns everything it printed. Stopping twice is harmless. #>
    param([Parameter(Mandatory, ValueFromPipeline)] $Peer)
    process {
        if ($null -ne $Peer.Output) { return $Peer.Output }
        try { if (-not $Peer.Process.HasExited) { $Peer.Process.Kill($true) } } catch { }
        $null = $Peer.Process.WaitForExit(5000)
        if ($Peer.Pending -and $Peer.Pending.Wait(2000) -and $null -ne $Peer.Pending.Result) { $Peer.Lines.Add($Peer.Pending.Result) }
        $text = ($Peer.Lines -join "`n")
        if ($Peer.Stdout -and $Peer.Stdout.Wait(2000)) { $text += "`n" + $Peer.Stdout.Result }
        if ($Peer.Stderr -and $Peer.Stderr.Wait(2000)) { $text += "`n" + $Peer.Stderr.Result }
        $Peer.Process.Dispose()
        $Peer.Output = $text
        $text
    }
}

function Start-OpenSslPeer {
    <#
    openssl s_server with $Arguments (no -accept; -quiet is dropped, since it hides the ACCEPT line) on $Address (127.0.0.1
    by default, or ::1), on a port the kernel chooses: OpenSSL 3 prints "ACCEPT 127.0.0.1:PORT" ("ACCEPT [::1]:PORT") once
    it listens. Returns the peer with its Port. -DiscardOutput (not on Windows): its later output is thrown away.
    #>
    param([string[]] $Arguments = @(), [string] $WorkingDirectory, [string] $Address = '127.0.0.1', [switch] $DiscardOutput)
    $hostPart = if ($Address.Contains(':')) { "[$Address]" } else { $Address }
    $argv = @('s_server', '-accept', "${hostPart}:0") + @($Arguments | Where-Object { $_ -ne '-quiet' })
    if ($DiscardOutput -and -not $IsWindows) {
        # Thousands of connections: what s_server prints per connection goes to /dev/null, not into this process's
        # memory (the sweep and load measurements count this process's heap); only its ACCEPT line comes back.
        Assert-Peer openssl
        $quoted = ($argv | ForEach-Object { "'" + $_.Replace("'", "'\''") + "'" }) -join ' '
        $peer = Start-TestProcess -FilePath sh -ArgumentList @('-c', "openssl $quoted | { grep -m1 '^ACCEPT '; cat > /dev/null; }") -WorkingDirectory $WorkingDirectory
    } else {
        $peer = Start-TestProcess -FilePath openssl -ArgumentList $argv -WorkingDirectory $WorkingDirectory
    }
    $m = Wait-PeerLine -Peer $peer -Pattern ('^ACCEPT ' + [regex]::Escape($hostPart) + ':(\d+)$')
    if (-not $m) {
        $output = $peer | Stop-TestProcess
        throw "openssl s_server did not report listening on $hostPart within $PeerStartSeconds s: $($peer.CommandLine)`n$output"
    }
    $peer | Add-Member -NotePropertyName Port -NotePropertyValue ([int]$m.Groups[1].Value) -PassThru
}

function Start-GnuTlsPeer {
    <#
    gnutls-serv with '{port}' in $Arguments replaced by a free port. It cannot report a port it was given as 0 (it binds IPv4
    and IPv6 apart and prints "port 0"), and when the IPv4 bind fails it carries on with IPv6 alone: so its own report of
    the IPv4 bind is read (on stderr), and a port another process took meanwhile is retried with another.
    #>
    param([string[]] $Arguments = @(), [string] $WorkingDirectory)
    for ($attempt = 1; ; $attempt++) {
        $port = Get-FreeTcpPort
        $argv = @($Arguments | ForEach-Object { $_.Replace('{port}', "$port") })
        $peer = Start-TestProcess -FilePath gnutls-serv -ArgumentList $argv -WorkingDirectory $WorkingDirectory
        $m = Wait-PeerLine -Peer $peer -Stream Error -Pattern 'listening on IPv4 \S+ port (\d+)\.\.\.(.*)$'
        if ($m -and $m.Groups[1].Value -eq "$port" -and $m.Groups[2].Value.StartsWith('done')) {
            return $peer | Add-Member -NotePropertyName Port -NotePropertyValue $port -PassThru
        }
        $output = $peer | Stop-TestProcess
        if (-not ($m -and $m.Groups[2].Value -match 'in use') -or $attempt -ge 5) {
            throw "gnutls-serv did not report listening on IPv4 port $port within $PeerStartSeconds s (attempt $attempt): $($peer.CommandLine)`n$output"
        }
    }
}
