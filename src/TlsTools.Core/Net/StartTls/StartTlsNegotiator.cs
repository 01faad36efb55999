using System;
using System.Collections.Generic;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using TlsTools.Tls;

namespace TlsTools.Net.StartTls
{
    /// <summary>One protocol's plaintext preamble, client side (and, for a few, server side for Start-TlsServer).</summary>
    internal abstract class StartTlsDialect
    {
        /// <summary>Speaks the preamble as the client until the server has agreed to start TLS.</summary>
        /// <exception cref="TlsToolsException">StartTlsNotOffered, StartTlsRefused, StartTlsProtocolError.</exception>
        internal abstract Task NegotiateAsync(PreambleChannel channel, TlsTarget target);

        /// <summary>Speaks the preamble as the server until the client asked for TLS; null when TlsTools has no server side for it.</summary>
        internal virtual Task? ServeAsync(PreambleChannel channel, string serverName) => null;
    }

    /// <summary>
    /// The one hook between connect and the TLS handshake: when the target names a STARTTLS protocol, speaks its plaintext preamble
    /// on the connected socket (every read bounded in bytes and time, cancellable) and records it as transcript messages
    /// (Type StartTls) before the ClientHello. The client runner and the scanner's probes both call it.
    /// </summary>
    public static class StartTlsNegotiator
    {
        /// <summary>True for the errors the preamble ends with: StartTlsNotOffered, StartTlsRefused, StartTlsProtocolError.</summary>
        public static bool IsPreambleError(TlsToolsException e) =>
            e != null && (e.ErrorId == ErrorIds.StartTlsNotOffered || e.ErrorId == ErrorIds.StartTlsRefused || e.ErrorId == ErrorIds.StartTlsProtocolError);

        /// <summary>
        /// Runs the preamble of <paramref name="target"/>'s <see cref="TlsTarget.StartTls"/> protocol (nothing for None).
        /// <paramref name="transcript"/> receives each message as it passes, so it holds what was said also when this throws.
        /// </summary>
        /// <param name="socket">The connected socket; it is closed when <paramref name="cancellationToken"/> is cancelled meanwhile.</param>
        /// <param name="target">Where the socket goes and which protocol to speak; XMPP takes its domain from the SNI name, else the host.</param>
        /// <param name="cancellationToken">Ends the preamble at once (a timeout or Ctrl+C): <see cref="OperationCanceledException"/>.</param>
        /// <param name="transcript">Receives the messages; null records nothing.</param>
        /// <param name="clock">Offsets for the messages in milliseconds; null counts from the call.</param>
        /// <exception cref="TlsToolsException">StartTlsNotOffered, StartTlsRefused or StartTlsProtocolError (ErrorKind ProtocolError),
        /// each quoting what the server said.</exception>
        /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
        public static async Task NegotiateAsync(Socket socket, TlsTarget target, CancellationToken cancellationToken,
            List<TranscriptMessage>? transcript = null, Func<double>? clock = null)
        {
            if (socket == null) throw new ArgumentNullException(nameof(socket));
            if (target == null) throw new ArgumentNullException(nameof(target));
            var info = StartTlsProtocols.Find(target.StartTls);
            if (info == null) return;
            cancellationToken.ThrowIfCancellationRequested();
            using var channel = new PreambleChannel(socket, info, target.ToString(), Sender.Client, cancellationToken, transcript, clock);
            try
            {
                await info.Dialect.NegotiateAsync(channel, target).ConfigureAwait(false);
            }
            catch (Exception e) when (!(e is TlsToolsException) && cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException("The STARTTLS preamble with " + target + " was cancelled or timed out.", e, cancellationToken);
            }
            // Bytes after the final answer, before our ClientHello, would be read as the TLS server's: refuse them (the STARTTLS
            // command injection of CVE-2011-0411, seen from the client).
            if (channel.HasUnreadInput)
                throw channel.ProtocolError("sent data after agreeing to start TLS, before the ClientHello", channel.LastHeard);
        }

        /// <summary>True when a TLS server (Start-TlsServer) can speak <paramref name="protocol"/> before TLS: None, Smtp, Imap, Pop3.</summary>
        public static bool CanServe(StartTlsProtocol protocol) => protocol == StartTlsProtocol.None || protocol == StartTlsProtocol.Smtp
            || protocol == StartTlsProtocol.Imap || protocol == StartTlsProtocol.Pop3;

        /// <summary>Throws StartTlsServerUnsupported unless <see cref="CanServe"/>.</summary>
        internal static void CheckServe(StartTlsProtocol protocol)
        {
            if (!CanServe(protocol))
                throw new TlsToolsException(ErrorIds.StartTlsServerUnsupported, ErrorKind.InvalidArgument,
                    "A TlsTools server speaks SMTP, IMAP or POP3 before TLS, not " + protocol + ".", target: protocol);
        }

        /// <summary>
        /// The server side (Start-TlsServer -StartTls): a minimal greeting and capability list, then waits for the client's STARTTLS
        /// (at most 20 commands, every read bounded) and agrees; the caller then accepts TLS. Nothing for None.
        /// </summary>
        /// <exception cref="TlsToolsException">StartTlsProtocolError: the client quit, sent too much, or never asked for TLS;
        /// StartTlsServerUnsupported for a protocol <see cref="CanServe"/> rejects.</exception>
        internal static async Task ServeAsync(Socket socket, StartTlsProtocol protocol, string serverName, CancellationToken cancellationToken)
        {
            CheckServe(protocol);
            var info = StartTlsProtocols.Find(protocol);
            if (info == null) return;
            using var channel = new PreambleChannel(socket, info, socket.RemoteEndPoint?.ToString() ?? "?", Sender.Server, cancellationToken);
            await info.Dialect.ServeAsync(channel, serverName)!.ConfigureAwait(false);
            if (channel.HasUnreadInput)
                throw channel.ProtocolError("sent data after STARTTLS, before its ClientHello", channel.LastHeard);
        }
    }
}
