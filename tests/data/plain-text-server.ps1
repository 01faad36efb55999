<#
A peer that is not TLS: listens on 127.0.0.1 (a free port, printed as "PORT <n>"), answers every connection with an HTTP
400 in plain text and closes it. Bounded: it stops after 400 connections or 120 seconds. For the NotTls tests.
#>
$listener = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0)
$listener.Start()
"PORT $($listener.LocalEndpoint.Port)"
[Console]::Out.Flush()
$reply = [Text.Encoding]::ASCII.GetBytes("HTTP/1.1 400 Bad Request`r`nContent-Length: 0`r`nConnection: close`r`n`r`n")
$deadline = [DateTime]::UtcNow.AddSeconds(120)
for ($i = 0; $i -lt 400 -and [DateTime]::UtcNow -lt $deadline; $i++) {
    $accept = $listener.AcceptTcpClientAsync()
    while (-not $accept.Wait(200)) { if ([DateTime]::UtcNow -ge $deadline) { break } }
    if (-not $accept.IsCompleted) { break }
    $client = $accept.Result
    try {
        $stream = $client.GetStream()
        $stream.ReadTimeout = 2000
        $buffer = [byte[]]::new(4096)
        try { $null = $stream.Read($buffer, 0, $buffer.Length) } catch { }   # the ClientHello, unread beyond one buffer
        $stream.Write($reply, 0, $reply.Length)
        $stream.Flush()
    } catch { } finally { $client.Dispose() }
}
$listener.Stop()
