using System;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using TlsTools.Tls;
using TlsTools.Net;
using TlsTools.Net.StartTls;

namespace TlsTools.Scanning.Wire
{
    /// <summary>The result of one probe: the parser's view of the server's answer plus how the connection went.</summary>
    internal sealed class ProbeResult
    {
        public ProbeResult(ProbeOutcome outcome, ServerFlightParser? flight, string? error, TlsToolsException? connectError = null, TlsTarget? connected = null)
        {
            Outcome = outcome;
            Flight = flight;
            Error = error;
            ConnectError = connectError;
            Connected = connected;
        }

        public ProbeOutcome Outcome { get; }
        public ServerFlightParser? Flight { get; }
        public string? Error { get; }

        /// <summary>Why no connection was made (the connector's error: HostNotFound, ConnectionRefused, ConnectTimeout, ...).</summary>
        public TlsToolsException? ConnectError { get; }

        /// <summary>The target bound to the address the probe connected to; null when it did not connect.</summary>
        public TlsTarget? Connected { get; }

        public ServerHelloInfo? Hello => Flight?.Hello;

        public override string ToString() => Outcome + (Hello != null ? " suite 0x" + Hello.CipherSuite.ToString("X4") + " version 0x" + Hello.Version.ToString("X4") : "")
            + (Flight?.AlertDescription != null ? " alert " + Flight.AlertDescription : "") + (Error != null ? " (" + Error + ")" : "");
    }

    /// <summary>
    /// One TCP connection per probe (through <see cref="Connector"/>): connect, send a ClientHello, read the answer with a byte
    /// bound and a time bound, close. The whole probe is bounded by the probe timeout and the caller's cancellation token.
    /// </summary>
    internal static class ProbeClient
    {
        /// <summary>Runs one probe. Returns Timeout / ConnectFailed outcomes instead of throwing; throws
        /// <see cref="OperationCanceledException"/> only when <paramref name="cancellationToken"/> is cancelled. When an afterFlight
        /// callback is given and the server's TLS &lt;= 1.2 flight ended with ServerHelloDone, it is called on the open socket (the
        /// vulnerability probes send their next record there), bounded by the same timeout and token.</summary>
        public static async Task<ProbeResult> RunAsync(TlsTarget target, byte[] clientHello, bool wantFlight, int maxBytes,
            TimeSpan timeout, CancellationToken cancellationToken, Func<Socket, ServerFlightParser, CancellationToken, Task>? afterFlight = null)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var parser = new ServerFlightParser(wantFlight, maxBytes);
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            cts.CancelAfter(timeout);
            Connection connection;
            try
            {
                connection = await Connector.Default.ConnectAsync(target, timeout, cts.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return new ProbeResult(ProbeOutcome.Timeout, parser, "no connection within " + timeout.TotalMilliseconds + " ms",
                    new TlsToolsException(ErrorIds.ConnectTimeout, ErrorKind.OperationTimeout, "Connecting to " + target + " timed out after " + timeout.TotalSeconds + " s.", target: target.ToString()));
            }
            catch (TlsToolsException e) when (e.Kind == ErrorKind.OperationTimeout)
            {
                return new ProbeResult(ProbeOutcome.Timeout, parser, "no connection within " + timeout.TotalMilliseconds + " ms", e);
            }
            catch (TlsToolsException e) when (e.Kind == ErrorKind.ConnectionError)
            {
                return new ProbeResult(ProbeOutcome.ConnectFailed, parser, e.Message, e);
            }
            var socket = connection.Socket;
            try
            {
                using (cts.Token.Register(() => socket.Dispose()))
                {
                    await StartTlsNegotiator.NegotiateAsync(socket, connection.Target, cts.Token).ConfigureAwait(false);
                    int sent = 0;
                    while (sent < clientHello.Length)
                        sent += await socket.SendAsync(new ArraySegment<byte>(clientHello, sent, clientHello.Length - sent), SocketFlags.None).ConfigureAwait(false);
                    var buffer = new byte[16384];
                    while (!parser.Done)
                    {
                        int n = await socket.ReceiveAsync(new ArraySegment<byte>(buffer), SocketFlags.None).ConfigureAwait(false);
                        if (n <= 0) { parser.EndOfStream(); break; }
                        parser.Feed(buffer, 0, n);
                    }
                    if (afterFlight != null && parser.ServerHelloDone) await afterFlight(socket, parser, cts.Token).ConfigureAwait(false);
                }
                return new ProbeResult(parser.Outcome, parser, parser.Error, connected: connection.Target);
            }
            catch (TlsToolsException e) when (StartTlsNegotiator.IsPreambleError(e))
            {
                // The STARTTLS preamble failed: no TLS was spoken; the scan reports this error when its first probe meets it.
                return new ProbeResult(ProbeOutcome.ConnectFailed, parser, e.Message, e);
            }
            catch (Exception e) when (e is SocketException || e is ObjectDisposedException || e is OperationCanceledException || e is System.IO.IOException)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (cts.IsCancellationRequested)
                {
                    // Timed out. What was parsed before the timeout still counts.
                    if (parser.Hello != null) { parser.EndOfStream(); return new ProbeResult(parser.Outcome, parser, "timed out after the ServerHello", connected: connection.Target); }
                    return new ProbeResult(ProbeOutcome.Timeout, parser, "no answer within " + timeout.TotalMilliseconds + " ms", connected: connection.Target);
                }
                // Reset by the peer: settle on what was read.
                parser.EndOfStream();
                return new ProbeResult(parser.Outcome, parser, parser.Hello == null ? "connection closed: " + e.Message : null, connected: connection.Target);
            }
            finally
            {
                connection.Dispose();
            }
        }
    }
}
