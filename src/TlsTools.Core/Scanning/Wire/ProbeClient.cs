using System;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using TlsTools.Tls;

namespace TlsTools.Scanning.Wire
{
    /// <summary>The result of one probe: the parser's view of the server's answer plus how the connection went.</summary>
    internal sealed class ProbeResult
    {
        public ProbeResult(ProbeOutcome outcome, ServerFlightParser? flight, string? error)
        {
            Outcome = outcome;
            Flight = flight;
            Error = error;
        }

        public ProbeOutcome Outcome { get; }
        public ServerFlightParser? Flight { get; }
        public string? Error { get; }
        public ServerHelloInfo? Hello => Flight?.Hello;

        public override string ToString() => Outcome + (Hello != null ? " suite 0x" + Hello.CipherSuite.ToString("X4") + " version 0x" + Hello.Version.ToString("X4") : "")
            + (Flight?.AlertDescription != null ? " alert " + Flight.AlertDescription : "") + (Error != null ? " (" + Error + ")" : "");
    }

    /// <summary>
    /// One TCP connection per probe: connect, send a ClientHello, read the answer with a byte bound and a time bound, close.
    /// Every socket operation is bounded by the probe timeout and the caller's cancellation token.
    /// </summary>
    internal static class ProbeClient
    {
        /// <summary>Runs one probe. Returns Timeout / ConnectFailed outcomes instead of throwing; throws
        /// <see cref="OperationCanceledException"/> only when <paramref name="cancellationToken"/> is cancelled.</summary>
        public static async Task<ProbeResult> RunAsync(IPEndPoint endPoint, byte[] clientHello, bool wantFlight, int maxBytes,
            TimeSpan timeout, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var parser = new ServerFlightParser(wantFlight, maxBytes);
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            cts.CancelAfter(timeout);
            var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            bool connected = false;
            try
            {
                using (cts.Token.Register(() => socket.Dispose()))
                {
                    await socket.ConnectAsync(endPoint).ConfigureAwait(false);
                    connected = true;
                    int sent = 0;
                    while (sent < clientHello.Length)
                    {
                        sent += await socket.SendAsync(new ArraySegment<byte>(clientHello, sent, clientHello.Length - sent), SocketFlags.None).ConfigureAwait(false);
                    }
                    var buffer = new byte[16384];
                    while (!parser.Done)
                    {
                        int n = await socket.ReceiveAsync(new ArraySegment<byte>(buffer), SocketFlags.None).ConfigureAwait(false);
                        if (n <= 0) { parser.EndOfStream(); break; }
                        parser.Feed(buffer, 0, n);
                    }
                }
                return new ProbeResult(parser.Outcome, parser, parser.Error);
            }
            catch (Exception e) when (e is SocketException || e is ObjectDisposedException || e is OperationCanceledException || e is System.IO.IOException)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (cts.IsCancellationRequested)
                {
                    // Timed out. What was parsed before the timeout still counts.
                    if (parser.Hello != null) { parser.EndOfStream(); return new ProbeResult(parser.Outcome, parser, "timed out after the ServerHello"); }
                    return new ProbeResult(ProbeOutcome.Timeout, parser,
                        (connected ? "no answer within " : "no connection within ") + timeout.TotalMilliseconds + " ms");
                }
                if (!connected) return new ProbeResult(ProbeOutcome.ConnectFailed, parser, e.Message);
                // Reset by the peer: settle on what was read.
                parser.EndOfStream();
                return new ProbeResult(parser.Outcome, parser, parser.Hello == null ? "connection closed: " + e.Message : null);
            }
            finally
            {
                socket.Dispose();
            }
        }
    }
}
