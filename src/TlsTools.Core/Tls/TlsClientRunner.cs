using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Org.BouncyCastle.Tls;
using TlsTools.Net;
using TlsTools.Net.StartTls;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace TlsTools.Tls
{
    /// <summary>
    /// Runs one full TLS client handshake over a plain TCP socket and reports what happened, message by message.
    /// The server certificate is captured, not validated (chain validation is a separate step).
    /// </summary>
    public sealed partial class TlsClientRunner
    {
        /// <summary>
        /// The largest handshake message accepted from a server: 256 KiB (BouncyCastle's default is 32 KiB; OpenSSL's
        /// max_cert_list is 100 KiB). A bigger one (a hostile 16 MiB Certificate message) ends the handshake with a
        /// TlsAlertSent error as soon as its 4-byte header arrives, so at most this much is buffered per connection.
        /// </summary>
        public const int MaxHandshakeMessageBytes = 256 * 1024;

        /// <summary>
        /// The most certificates accepted in a server's Certificate message: 100 (BouncyCastle's default is 10, too few
        /// to show what a server that sends a whole bundle sends). A longer chain ends the handshake with TlsAlertSent.
        /// </summary>
        public const int MaxCertificateChainLength = 100;

        /// <summary>
        /// Connects and runs the handshake. Network failures, alerts and timeouts are returned as a result with
        /// <see cref="HandshakeResult.Success"/> false. Throws <see cref="TlsToolsException"/> (InvalidArgument) for
        /// unusable options and <see cref="OperationCanceledException"/> when <paramref name="cancellationToken"/> is cancelled
        /// (the socket is closed at once).
        /// </summary>
        public async Task<HandshakeResult> HandshakeAsync(HandshakeOptions options, CancellationToken cancellationToken = default)
        {
            var plan = Plan.From(options ?? throw new ArgumentNullException(nameof(options)));
            cancellationToken.ThrowIfCancellationRequested();
            var result = new HandshakeResult(plan.Target);

            using var timeoutCts = new CancellationTokenSource(options.Timeout);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutCts.Token);
            var recorder = new TranscriptRecorder(Sender.Client) { Enabled = options.CaptureTranscript };
            KeyLogCrypto? keyLog = options.KeyLogPath != null ? new KeyLogCrypto() : null;
            var crypto = keyLog ?? new ClientCrypto(Credentials.Random);
            var client = new RunnerClient(crypto, options, plan);
            var preamble = new System.Collections.Generic.List<TranscriptMessage>();
            double startTlsMs = 0;
            Socket? socket = null;
            ProtocolPump? pump = null;
            string phase = "connect";
            bool connectTimedOut = false;
            var total = Stopwatch.StartNew();
            try
            {
                // Name lookup and connect, with their own bound (the connector's errors carry their ErrorIds).
                var connection = await Connector.Default.ConnectAsync(plan.Target, options.ConnectTimeout ?? options.Timeout, linked.Token).ConfigureAwait(false);
                socket = connection.Socket;
                result.Target = connection.Target;
                result.IPAddress = connection.RemoteAddress.ToString();
                result.ConnectMilliseconds = Math.Round(total.Elapsed.TotalMilliseconds, 3);

                // STARTTLS: the plaintext preamble, when the target names a protocol (its messages come first in the transcript).
                phase = "starttls";
                recorder.Restart();
                await StartTlsNegotiator.NegotiateAsync(socket!, connection.Target, linked.Token, options.CaptureTranscript ? preamble : null, () => recorder.ElapsedMs).ConfigureAwait(false);
                startTlsMs = connection.Target.StartTls == StartTlsProtocol.None ? 0 : recorder.ElapsedMs;
                result.StartTlsMilliseconds = Math.Round(startTlsMs, 3);

                phase = "handshake";
                var protocol = new CapturingClientProtocol(recorder);
                pump = new ProtocolPump(protocol, socket!, "server", linked.Token);
                protocol.Connect(client);
                await pump.HandshakeAsync(() => client.Completed).ConfigureAwait(false);
                result.HandshakeMilliseconds = Math.Round(recorder.ElapsedMs - startTlsMs, 3);
                result.Success = true;

                phase = "tickets";
                recorder.PostHandshake = true;
                // In TLS 1.3 the server judges a client certificate after the client's Finished: a rejection arrives
                // as an alert after the handshake "completed". So when one was asked for, the verdict is waited for:
                // the wait ends on what the server sends next (tickets, data, an alert or a close), bounded only by
                // what is left of the handshake timeout, never by a guessed time that a loaded machine outlasts.
                var wait = options.SessionTicketWait;
                var left = options.Timeout - total.Elapsed;
                if (client.CertificateRequested && wait > TimeSpan.Zero && left > wait) wait = left;
                if (client.Version == TlsVersion.Tls13 && wait > TimeSpan.Zero)
                    await TicketFlight.WaitAsync(pump, protocol, wait, result, options.CountAllTickets && wait == options.SessionTicketWait).ConfigureAwait(false);

                recorder.Enabled = false; // the closing alert is not part of the handshake
                await pump.CloseAsync().ConfigureAwait(false);
            }
            catch (Exception e)
            {
                if (pump != null) client.ReceivedAnything = pump.BytesReceived > 0;
                if (cancellationToken.IsCancellationRequested)
                    throw new OperationCanceledException("The handshake with " + plan.Target + " was cancelled.", e, cancellationToken);
                if (phase == "connect" && e is OperationCanceledException) connectTimedOut = true;
                bool alert = e is TlsFatalAlertReceived || (e is TlsFatalAlert tfa && tfa.InnerException is TlsFatalAlertReceived);
                if (phase == "tickets" && alert)
                {
                    result.Success = false;
                    HandshakeFailure.Classify(result, e, phase, false, options, client);
                    result.Error = "The handshake completed, then the server refused the connection: " + result.Error;
                }
                else if (!(result.Success && phase == "tickets"))
                {
                    result.Success = false;
                    HandshakeFailure.Classify(result, e, phase, timeoutCts.IsCancellationRequested || connectTimedOut, options, client);
                }
            }
            finally
            {
                pump?.Dispose();
                socket?.Dispose();
                if (keyLog != null && keyLog.Lines.Count > 0)
                {
                    try { KeyLogCrypto.Append(options.KeyLogPath!, keyLog.Lines); }
                    catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
                    {
                        if (result.Success)
                        {
                            result.Error = "The handshake succeeded but the key log could not be written: " + e.Message;
                            result.ErrorId = ErrorIds.KeyLogWriteFailed;
                            result.ErrorKind = TlsTools.ErrorKind.WriteError;
                        }
                    }
                }
            }

            Fill(result, recorder, client, preamble);
            return result;
        }

        private static void Fill(HandshakeResult result, TranscriptRecorder recorder, RunnerClient client, System.Collections.Generic.List<TranscriptMessage> preamble)
        {
            // The result's own fields now; the transcript when it is first read (most callers never read it).
            var ctx = recorder.Facts();
            result.SetTranscript(() =>
            {
                var transcript = recorder.Decode(out _);
                return preamble.Count == 0 ? transcript : preamble.Concat(transcript).ToArray();
            });
            result.TlsVersion = client.Version ?? ctx.Version;
            int? suite = client.CipherSuite ?? ctx.CipherSuite;
            if (suite != null)
            {
                result.CipherSuite = TlsRegistry.CipherSuites.Name(suite.Value);
                result.KeyExchange = TranscriptDecoder.KeyExchangeName(suite.Value);
            }
            result.NamedGroup = ctx.Group ?? (client.NegotiatedGroup is int g && g >= 0 ? TlsRegistry.NamedGroups.Name(g) : null);
            result.SignatureAlgorithm = ctx.ServerSignatureScheme;
            result.Alpn = client.Alpn ?? ctx.Alpn;
            result.Certificates = client.ServerCertificates.ToArray();
            result.Resumed = client.Resumed;
            result.Session = client.Session;
            result.SessionId = client.Session != null && client.Session.SessionID.Length > 0 && result.TlsVersion != TlsVersion.Tls13
                ? TranscriptDecoder.Hex(client.Session.SessionID) : null;
            result.ClientCertificateRequested = ctx.CertificateRequested;
            result.ClientCertificateSent = ctx.ClientCertificateSent;
            ClientCertificateFailure.Apply(result, client);
            Stapling.Fill(result, client);
            if (result.Success && result.ErrorId == null) result.Error = null;
        }
    }
}
