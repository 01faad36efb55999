using System;
using System.IO;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Org.BouncyCastle.Tls;

namespace TlsTools.Tls
{
    /// <summary>
    /// Drives BouncyCastle's non-blocking <see cref="TlsProtocol"/> (client or server) over a connected socket: offers what
    /// the socket delivers, sends what the protocol queues, reads in bounded chunks, and tracks TLS record boundaries in
    /// what arrived. Cancelling the token given at construction (a timeout, Ctrl+C, a server stopping) closes the socket
    /// at once, so every pending read or write ends. The client runner and the server host both use it.
    /// </summary>
    internal sealed class ProtocolPump : IDisposable
    {
        /// <summary>The most bytes read from the socket at once.</summary>
        internal const int ReadChunkBytes = 32 * 1024;

        private readonly TlsProtocol _protocol;
        private readonly Socket _socket;
        private readonly string _peer;
        private readonly CancellationToken _token;
        private readonly CancellationTokenRegistration _closeOnCancel;
        private readonly byte[] _input = new byte[ReadChunkBytes];
        private readonly byte[] _output = new byte[16 * 1024];
        private readonly byte[] _recordHeader = new byte[5];
        private int _recordHeaderHave;
        private int _recordBodyLeft;
        private Task<int>? _pendingReceive;

        /// <param name="protocol">The protocol, before Connect/Accept.</param>
        /// <param name="socket">A connected socket; the pump closes it when <paramref name="cancellationToken"/> is cancelled.</param>
        /// <param name="peer">"client" or "server": the other side, as named in error messages.</param>
        /// <param name="cancellationToken">Ends the connection at once.</param>
        public ProtocolPump(TlsProtocol protocol, Socket socket, string peer, CancellationToken cancellationToken)
        {
            _protocol = protocol;
            _socket = socket;
            _peer = peer;
            _token = cancellationToken;
            _closeOnCancel = cancellationToken.Register(() => socket.Dispose());
        }

        /// <summary>Bytes the socket delivered so far.</summary>
        public long BytesReceived { get; private set; }

        /// <summary>True when everything received so far ends on a TLS record boundary (no record half read).</summary>
        public bool AtRecordBoundary => _recordHeaderHave == 0 && _recordBodyLeft == 0;

        /// <summary>True when the socket holds received bytes that nobody has read yet (or a pending read has completed).</summary>
        public bool MoreBuffered => _pendingReceive != null ? _pendingReceive.IsCompleted : _socket.Available > 0;

        /// <summary>Sends the handshake's first flight (after Connect/Accept), then reads and answers until <paramref name="completed"/> is true.</summary>
        /// <exception cref="EndOfStreamException">The peer closed the connection first.</exception>
        public async Task HandshakeAsync(Func<bool> completed)
        {
            await FlushAsync().ConfigureAwait(false);
            while (!completed())
            {
                int n = await ReceiveAsync(Timeout.InfiniteTimeSpan).ConfigureAwait(false);
                if (n == 0) throw new EndOfStreamException("The " + _peer + " closed the connection during the handshake.");
            }
        }

        /// <summary>
        /// Reads once from the socket, waiting at most <paramref name="within"/> (Timeout.InfiniteTimeSpan: no
        /// bound), offers the bytes to the protocol and sends whatever it queued in answer (a fatal alert included, also when
        /// the input made it throw). Returns the bytes read, 0 when the peer closed, -1 when nothing arrived in time
        /// (the read stays pending and the next call takes it up, so no byte is lost).
        /// </summary>
        public async Task<int> ReceiveAsync(TimeSpan within)
        {
            int n = await ReadSocketAsync(within).ConfigureAwait(false);
            if (n <= 0) return n;
            Track(_input, n);
            try
            {
                _protocol.OfferInput(_input, 0, n);
            }
            finally
            {
                await FlushAsync().ConfigureAwait(false);
            }
            return n;
        }

        /// <summary>Reads raw bytes (after the protocol closed) without offering them to the protocol; 0 when the peer closed.</summary>
        public Task<int> ReceiveRawAsync() => ReadSocketAsync(Timeout.InfiniteTimeSpan);

        /// <summary>Discards application data the protocol has decrypted; returns how many bytes there were.</summary>
        public int DiscardApplicationData()
        {
            int total = 0;
            while (_protocol.GetAvailableInputBytes() > 0)
                total += _protocol.ReadInput(_output, 0, _output.Length);
            return total;
        }

        /// <summary>Sends application data and flushes.</summary>
        public Task WriteApplicationDataAsync(byte[] data)
        {
            _protocol.WriteApplicationData(data, 0, data.Length);
            return FlushAsync();
        }

        /// <summary>Sends close_notify; best effort (a peer that is gone is not an error here).</summary>
        public async Task CloseAsync()
        {
            try
            {
                _protocol.Close();
                await FlushAsync().ConfigureAwait(false);
            }
            catch (Exception) when (!_token.IsCancellationRequested)
            {
                // Closing politely is best effort.
            }
        }

        /// <summary>Sends everything the protocol has queued.</summary>
        public async Task FlushAsync()
        {
            int available;
            while ((available = _protocol.GetAvailableOutputBytes()) > 0)
            {
                int n = _protocol.ReadOutput(_output, 0, Math.Min(available, _output.Length));
                int sent = 0;
                while (sent < n)
                    sent += await _socket.SendAsync(new ArraySegment<byte>(_output, sent, n - sent), SocketFlags.None).ConfigureAwait(false);
            }
        }

        private async Task<int> ReadSocketAsync(TimeSpan within)
        {
            var receive = _pendingReceive ?? _socket.ReceiveAsync(new ArraySegment<byte>(_input), SocketFlags.None);
            _pendingReceive = null;
            if (!receive.IsCompleted && within != Timeout.InfiniteTimeSpan)
            {
                if (within <= TimeSpan.Zero)
                {
                    _pendingReceive = receive;
                    return -1;
                }
                using var delayCts = CancellationTokenSource.CreateLinkedTokenSource(_token);
                var delay = Task.Delay(within, delayCts.Token);
                if (await Task.WhenAny(receive, delay).ConfigureAwait(false) != receive)
                {
                    _pendingReceive = receive;
                    _token.ThrowIfCancellationRequested();
                    return -1;
                }
                delayCts.Cancel();
            }
            int n = await receive.ConfigureAwait(false);
            BytesReceived += n;
            return n;
        }

        /// <summary>Follows the 5-byte record headers through the received bytes.</summary>
        private void Track(byte[] data, int count)
        {
            int pos = 0;
            while (pos < count)
            {
                if (_recordBodyLeft > 0)
                {
                    int k = Math.Min(_recordBodyLeft, count - pos);
                    _recordBodyLeft -= k;
                    pos += k;
                    continue;
                }
                _recordHeader[_recordHeaderHave++] = data[pos++];
                if (_recordHeaderHave == _recordHeader.Length)
                {
                    _recordBodyLeft = (_recordHeader[3] << 8) | _recordHeader[4];
                    _recordHeaderHave = 0;
                }
            }
        }

        /// <summary>Stops closing the socket on cancellation; a read left pending is observed so its failure goes unreported.</summary>
        public void Dispose()
        {
            _closeOnCancel.Dispose();
            _pendingReceive?.ContinueWith(t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }
}
