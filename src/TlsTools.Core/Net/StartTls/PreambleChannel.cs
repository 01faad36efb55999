using System;
using System.Collections.Generic;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using TlsTools.Tls;

namespace TlsTools.Net.StartTls
{
    /// <summary>
    /// The one bounded reader and writer every STARTTLS dialect (client and server side) speaks through: lines, exact byte counts
    /// and XML-ish chunks, each read bounded in size (<see cref="MaxLineBytes"/>, <see cref="MaxPreambleBytes"/> in all) and in
    /// time (cancelling the token closes the socket at once, so a silent peer cannot hold a read). What passes is recorded as
    /// transcript messages (Type StartTls) when a transcript is given.
    /// </summary>
    internal sealed class PreambleChannel : IDisposable
    {
        /// <summary>The longest line (or binary message) accepted from the peer.</summary>
        internal const int MaxLineBytes = 8 * 1024;

        /// <summary>The most bytes accepted from the peer before TLS starts.</summary>
        internal const int MaxPreambleBytes = 64 * 1024;

        /// <summary>The most lines one multi-line reply may have.</summary>
        internal const int MaxReplyLines = 200;

        /// <summary>The most characters of what the peer said quoted in an error message.</summary>
        internal const int MaxQuoteChars = 300;

        private static readonly Encoding Latin1 = Encoding.GetEncoding("iso-8859-1");
        private readonly Socket _socket;
        private readonly CancellationToken _token;
        private readonly CancellationTokenRegistration _closeOnCancel;
        private readonly List<TranscriptMessage>? _transcript;
        private readonly Func<double> _clock;
        private readonly byte[] _buffer = new byte[MaxLineBytes * 2];
        private int _start, _end;
        private long _received;

        /// <param name="socket">The connected socket; closed when <paramref name="cancellationToken"/> is cancelled during the preamble.</param>
        /// <param name="info">The protocol spoken (names it in messages and errors).</param>
        /// <param name="peerName">Where the peer is, for error messages (host:port).</param>
        /// <param name="local">Which side this channel speaks for.</param>
        /// <param name="cancellationToken">A timeout or Ctrl+C: closes the socket, so every pending read ends.</param>
        /// <param name="transcript">Receives each message as it passes; null records nothing.</param>
        /// <param name="clock">Milliseconds for each message's offset; null: from the channel's creation.</param>
        internal PreambleChannel(Socket socket, StartTlsProtocolInfo info, string peerName, Sender local, CancellationToken cancellationToken,
            List<TranscriptMessage>? transcript = null, Func<double>? clock = null)
        {
            _socket = socket;
            Info = info;
            PeerName = peerName;
            Local = local;
            _token = cancellationToken;
            _transcript = transcript;
            if (clock == null)
            {
                var watch = System.Diagnostics.Stopwatch.StartNew();
                clock = () => watch.Elapsed.TotalMilliseconds;
            }
            _clock = clock;
            _closeOnCancel = cancellationToken.Register(() => socket.Dispose());
        }

        internal StartTlsProtocolInfo Info { get; }

        internal string PeerName { get; }

        internal Sender Local { get; }

        private Sender Remote => Local == Sender.Client ? Sender.Server : Sender.Client;

        /// <summary>The last thing the peer said (a line or a summary), quoted in errors.</summary>
        internal string LastHeard { get; private set; } = "";

        /// <summary>True when bytes arrived that nobody has read yet (after the final STARTTLS answer: an injection attempt).</summary>
        internal bool HasUnreadInput => _end > _start;

        public void Dispose() => _closeOnCancel.Dispose();

        // ---- writing -------------------------------------------------------------------------------------------------

        /// <summary>Sends one line (CRLF added) and records it.</summary>
        internal Task SendLineAsync(string line, string explanation) =>
            SendAsync(Encoding.ASCII.GetBytes(line + "\r\n"), line, explanation);

        /// <summary>Sends several lines at once (a multi-line reply) and records them as one message.</summary>
        internal Task SendLinesAsync(IList<string> lines, string explanation)
        {
            var text = new StringBuilder();
            foreach (var l in lines) text.Append(l).Append("\r\n");
            return SendAsync(Encoding.ASCII.GetBytes(text.ToString()), string.Join("\n", lines), explanation);
        }

        /// <summary>Sends bytes and records them with <paramref name="text"/> as what they say.</summary>
        internal async Task SendAsync(byte[] data, string text, string explanation, params (string Key, object Value)[] fields)
        {
            try
            {
                int sent = 0;
                while (sent < data.Length)
                    sent += await _socket.SendAsync(new ArraySegment<byte>(data, sent, data.Length - sent), SocketFlags.None).ConfigureAwait(false);
            }
            catch (Exception e) when (e is ObjectDisposedException || e is SocketException)
            {
                _token.ThrowIfCancellationRequested();
                throw;
            }
            Record(Local, data, text, explanation, fields);
        }

        // ---- reading -------------------------------------------------------------------------------------------------

        /// <summary>Reads one line (CR LF or LF ended; the ending is not returned), at most <see cref="MaxLineBytes"/>.</summary>
        /// <exception cref="TlsToolsException">StartTlsProtocolError: the peer closed the connection, sent a too long line or too much.</exception>
        internal async Task<(string Line, byte[] Raw)> ReadLineAsync()
        {
            while (true)
            {
                int nl = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
                if (nl - _start >= MaxLineBytes || (nl < 0 && _end - _start >= MaxLineBytes))
                    throw ProtocolError("sent a line longer than " + MaxLineBytes + " bytes", Latin1.GetString(_buffer, _start, Math.Min(MaxQuoteChars, _end - _start)));
                if (nl >= 0)
                {
                    var raw = Take(nl + 1 - _start);
                    int len = raw.Length - 1;
                    if (len > 0 && raw[len - 1] == '\r') len--;
                    var line = Latin1.GetString(raw, 0, len);
                    LastHeard = line;
                    return (line, raw);
                }
                await FillAsync().ConfigureAwait(false);
            }
        }

        /// <summary>
        /// Reads a reply of one or more lines: lines are read while <paramref name="more"/> says another follows (at most
        /// <see cref="MaxReplyLines"/>), and recorded as one message with <paramref name="explain"/>'s words.
        /// </summary>
        internal async Task<List<string>> ReadReplyAsync(Func<string, bool> more, Func<List<string>, string> explain)
        {
            var lines = new List<string>();
            var raw = new List<byte>();
            while (true)
            {
                var (line, bytes) = await ReadLineAsync().ConfigureAwait(false);
                lines.Add(line);
                raw.AddRange(bytes);
                if (!more(line)) break;
                if (lines.Count >= MaxReplyLines)
                    throw ProtocolError("sent a reply of more than " + MaxReplyLines + " lines", lines[0]);
            }
            LastHeard = string.Join(" ", lines);
            Record(Remote, raw.ToArray(), string.Join("\n", lines), explain(lines));
            return lines;
        }

        /// <summary>Reads exactly <paramref name="count"/> bytes (at most <see cref="MaxLineBytes"/>), not recorded (the caller records the message).</summary>
        internal async Task<byte[]> ReadExactAsync(int count)
        {
            if (count < 0 || count > MaxLineBytes)
                throw ProtocolError("announced a message of " + count + " bytes (at most " + MaxLineBytes + " are accepted before TLS)", LastHeard);
            while (_end - _start < count) await FillAsync().ConfigureAwait(false);
            return Take(count);
        }

        /// <summary>
        /// Reads until the text received so far (Latin-1) satisfies <paramref name="done"/> (which returns the length of the
        /// complete part, or -1 to read on), at most <see cref="MaxLineBytes"/> bytes; returns the complete part.
        /// </summary>
        internal async Task<(string Text, byte[] Raw)> ReadUntilAsync(Func<string, int> done)
        {
            while (true)
            {
                var text = Latin1.GetString(_buffer, _start, _end - _start);
                int n = done(text);
                if (n >= 0)
                {
                    var raw = Take(n);
                    LastHeard = text.Substring(0, n);
                    return (LastHeard, raw);
                }
                if (_end - _start >= MaxLineBytes)
                    throw ProtocolError("sent more than " + MaxLineBytes + " bytes without completing a message", text);
                await FillAsync().ConfigureAwait(false);
            }
        }

        /// <summary>Records a message received from the peer (its bytes already read).</summary>
        internal void Received(byte[] raw, string text, string explanation, params (string Key, object Value)[] fields)
        {
            LastHeard = text;
            Record(Remote, raw, text, explanation, fields);
        }

        private byte[] Take(int count)
        {
            var raw = new byte[count];
            Buffer.BlockCopy(_buffer, _start, raw, 0, count);
            _start += count;
            return raw;
        }

        private async Task FillAsync()
        {
            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }
            int room = _buffer.Length - _end;
            if (_received >= MaxPreambleBytes)
                throw ProtocolError("sent more than " + MaxPreambleBytes + " bytes before TLS", LastHeard);
            int n;
            try
            {
                n = await _socket.ReceiveAsync(new ArraySegment<byte>(_buffer, _end, room), SocketFlags.None).ConfigureAwait(false);
            }
            catch (Exception e) when (e is ObjectDisposedException || e is SocketException)
            {
                _token.ThrowIfCancellationRequested();
                if (e is SocketException se && se.SocketErrorCode == SocketError.ConnectionReset)
                    throw ProtocolError("reset the connection", LastHeard, e);
                throw;
            }
            if (n <= 0)
                throw ProtocolError("closed the connection", LastHeard);
            _end += n;
            _received += n;
        }

        // ---- transcript and errors -------------------------------------------------------------------------------------

        private void Record(Sender sender, byte[] raw, string text, string explanation, (string Key, object Value)[]? fields = null)
        {
            if (_transcript == null) return;
            var m = new TranscriptMessage(sender, TranscriptMessageType.StartTls, raw.Length, raw) { OffsetMilliseconds = Math.Round(_clock(), 3), Explanation = explanation };
            m.Fields["Protocol"] = Info.Protocol.ToString();
            m.Fields["Text"] = text;
            if (fields != null)
                foreach (var (k, v) in fields) m.Fields[k] = v;
            _transcript.Add(m);
        }

        /// <summary>Text fit to quote in a message: control characters as spaces, trimmed, at most <see cref="MaxQuoteChars"/> characters.</summary>
        internal static string Quote(string said)
        {
            var sb = new StringBuilder(Math.Min(said.Length, MaxQuoteChars + 1));
            foreach (var c in said)
            {
                if (sb.Length >= MaxQuoteChars) { sb.Append('…'); break; }
                sb.Append(c < ' ' || c == 0x7F ? ' ' : c);
            }
            return sb.ToString().Trim();
        }

        private string Who => "The " + Info.DisplayName + " " + (Local == Sender.Client ? "server" : "client") + " at " + PeerName;

        private string Said(string said) => said.Trim().Length == 0 ? " (it said nothing)" : " (it said: '" + Quote(said) + "')";

        /// <summary>StartTlsNotOffered: the peer does not offer STARTTLS.</summary>
        internal TlsToolsException NotOffered(string why, string said) =>
            new TlsToolsException(ErrorIds.StartTlsNotOffered, ErrorKind.ProtocolError, Who + " does not offer STARTTLS: " + why + Said(said) + ".", target: PeerName);

        /// <summary>StartTlsRefused: the peer refused the STARTTLS request (or the connection before it).</summary>
        internal TlsToolsException Refused(string why, string said) =>
            new TlsToolsException(ErrorIds.StartTlsRefused, ErrorKind.ProtocolError, Who + " refused STARTTLS: " + why + Said(said) + ".", target: PeerName);

        /// <summary>StartTlsProtocolError: the peer answered out of protocol.</summary>
        internal TlsToolsException ProtocolError(string why, string said, Exception? inner = null) =>
            new TlsToolsException(ErrorIds.StartTlsProtocolError, ErrorKind.ProtocolError, Who + " " + why + " during the STARTTLS preamble" + Said(said) + ".", inner, PeerName);
    }
}
