using System;
using System.IO;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace TlsTools.Scanning.Wire
{
    /// <summary>What <see cref="RecordReader.NextAsync"/> saw.</summary>
    internal enum RecordEvent
    {
        /// <summary>A whole plaintext-header record arrived (<see cref="RecordReader.Type"/>, <see cref="RecordReader.Payload"/>).</summary>
        Record,
        /// <summary>Nothing arrived within the wait; the connection is still open.</summary>
        Quiet,
        /// <summary>The server closed (or reset) the connection.</summary>
        Closed,
        /// <summary>The bytes were not a TLS record (or a record longer than the bound).</summary>
        Malformed,
    }

    /// <summary>
    /// Reads TLS records after a probe's first flight, each wait bounded (a quiet server is an answer too: see the Heartbleed
    /// and CCS probes) and every record bounded in size. A receive left pending by a quiet wait is reused by the next call.
    /// </summary>
    internal sealed class RecordReader
    {
        private const int MaxRecord = 16384 + 2048;
        private readonly Socket _socket;
        private readonly MemoryStream _buffer = new MemoryStream();
        private readonly byte[] _chunk = new byte[4096];
        private Task<int>? _pending;

        public RecordReader(Socket socket) => _socket = socket;

        public int Type { get; private set; }
        public byte[] Payload { get; private set; } = Array.Empty<byte>();

        /// <summary>Waits at most <paramref name="wait"/> for the next record.</summary>
        public async Task<RecordEvent> NextAsync(TimeSpan wait, CancellationToken cancellationToken)
        {
            var delay = Task.Delay(wait, cancellationToken);
            while (true)
            {
                var parsed = TryParse();
                if (parsed != null) return parsed.Value;
                _pending ??= _socket.ReceiveAsync(new ArraySegment<byte>(_chunk), SocketFlags.None);
                var done = await Task.WhenAny(_pending, delay).ConfigureAwait(false);
                if (done != _pending)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    return RecordEvent.Quiet;
                }
                int n;
                try
                {
                    n = await _pending.ConfigureAwait(false);
                }
                catch (Exception e) when (e is SocketException || e is ObjectDisposedException || e is IOException)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    return RecordEvent.Closed;
                }
                finally
                {
                    _pending = null;
                }
                if (n <= 0) return RecordEvent.Closed;
                _buffer.Write(_chunk, 0, n);
            }
        }

        private RecordEvent? TryParse()
        {
            var e = TryTake(_buffer, out int type, out var payload);
            if (e == RecordEvent.Record)
            {
                Type = type;
                Payload = payload;
            }
            return e;
        }

        /// <summary>
        /// Takes one whole TLS record (plaintext header) off the front of <paramref name="buffer"/>: Record with its type and
        /// payload, Malformed when the bytes are no record or one longer than the bound, null when more bytes are needed.
        /// The one record framing of the probes and the scripted scenario server.
        /// </summary>
        internal static RecordEvent? TryTake(MemoryStream buffer, out int type, out byte[] payload)
        {
            type = 0;
            payload = Array.Empty<byte>();
            var b = buffer.GetBuffer();
            int len = (int)buffer.Length;
            if (len < 5) return null;
            int recLen = (b[3] << 8) | b[4];
            if (b[0] < 20 || b[0] > 24 || b[1] != 3 || recLen > MaxRecord) return RecordEvent.Malformed;
            if (len < 5 + recLen) return null;
            type = b[0];
            payload = new byte[recLen];
            Buffer.BlockCopy(b, 5, payload, 0, recLen);
            var rest = new byte[len - 5 - recLen];
            Buffer.BlockCopy(b, 5 + recLen, rest, 0, rest.Length);
            buffer.SetLength(0);
            buffer.Write(rest, 0, rest.Length);
            return RecordEvent.Record;
        }

        /// <summary>Writes <paramref name="payload"/> as plaintext records of one content type (16 KiB fragments; an empty
        /// payload is one empty record).</summary>
        public static async Task SendRecordAsync(Socket socket, int type, int version, byte[] payload)
        {
            for (int off = 0; off < payload.Length || off == 0; off += 16384)
            {
                int n = Math.Min(16384, payload.Length - off);
                var rec = new byte[5 + n];
                rec[0] = (byte)type;
                rec[1] = (byte)(version >> 8);
                rec[2] = (byte)version;
                rec[3] = (byte)(n >> 8);
                rec[4] = (byte)n;
                Buffer.BlockCopy(payload, off, rec, 5, n);
                int sent = 0;
                while (sent < rec.Length)
                    sent += await socket.SendAsync(new ArraySegment<byte>(rec, sent, rec.Length - sent), SocketFlags.None).ConfigureAwait(false);
                if (payload.Length == 0) break;
            }
        }
    }
}
