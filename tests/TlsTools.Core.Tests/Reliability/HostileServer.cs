using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace TlsTools.Tests.Reliability
{
    public enum HostileMode
    {
        NeverAnswer,
        AnswerAfterTimeout,
        CloseMidHandshake,
        RandomBytes,
        HttpResponse,
        HugeCertificateMessage,
        ChainOf1000,
        /// <summary>150 real certificates (90 KiB): under the message limit, over the chain-length limit.</summary>
        ChainOf150,
        TrickleOneBytePerSecond,
        AlertAfterAlert,
        MaxRecord16640,
        MaxRecord18432,
        OverMaxRecord18433,
        OverMaxRecord65535,
    }

    /// <summary>
    /// A raw-socket "TLS server" on 127.0.0.1 that misbehaves in one way per connection. It counts the bytes it sent and
    /// the connections the client closed, and closes everything on Dispose.
    /// </summary>
    internal sealed class HostileServer : IDisposable
    {
        private readonly TcpListener _listener;
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        private readonly List<Socket> _sockets = new List<Socket>();
        private long _sent;
        private int _accepted;
        private int _closedByClient;

        public HostileServer(HostileMode mode, TimeSpan clientTimeout, byte[]? certificate = null)
        {
            Mode = mode;
            ClientTimeout = clientTimeout;
            Certificate = certificate ?? new byte[] { 0x30, 0x03, 0x02, 0x01, 0x00 };
            _chainRecords = new Lazy<byte[]>(ChainRecords);
            _ = _chainRecords.Value;
            _listener = new TcpListener(IPAddress.Loopback, 0);
            _listener.Start(512);
            Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
            _ = AcceptLoop();
        }

        private Lazy<byte[]> _chainRecords = null!;

        /// <summary>The Certificate message of ChainOf1000 / ChainOf150, cut into records.</summary>
        private byte[] ChainRecords()
        {
            int count = Mode == HostileMode.ChainOf150 ? 150 : 1000;
            var entries = Enumerable.Range(0, count).SelectMany(_ => U24(Certificate.Length).Concat(Certificate)).ToArray();
            var body = U24(entries.Length).Concat(entries).ToArray();
            var msg = new byte[] { 11 }.Concat(U24(body.Length)).Concat(body).ToArray();
            var records = new List<byte>();
            for (int off = 0; off < msg.Length; off += 16384) records.AddRange(Record(22, msg.Skip(off).Take(16384).ToArray()));
            return records.ToArray();
        }

        public HostileMode Mode { get; }
        public TimeSpan ClientTimeout { get; }
        public byte[] Certificate { get; }
        public int Port { get; }
        public long BytesSent => Interlocked.Read(ref _sent);
        public int Accepted => Volatile.Read(ref _accepted);
        /// <summary>Connections on which the server saw the client close (read 0 or a reset, or a failed send).</summary>
        public int ClosedByClient => Volatile.Read(ref _closedByClient);

        private async Task AcceptLoop()
        {
            while (!_stop.IsCancellationRequested)
            {
                Socket s;
                try { s = await _listener.AcceptSocketAsync().ConfigureAwait(false); }
                catch (Exception) { return; }
                Interlocked.Increment(ref _accepted);
                lock (_sockets) _sockets.Add(s);
                _ = Task.Run(() => Serve(s));
            }
        }

        private async Task Serve(Socket s)
        {
            var ct = _stop.Token;
            bool clientClosed = false;
            try
            {
                var buf = new byte[16384];
                // Read the ClientHello (or what arrives of it).
                int n = await s.ReceiveAsync(new ArraySegment<byte>(buf), SocketFlags.None).ConfigureAwait(false);
                if (n == 0) { clientClosed = true; return; }
                var rng = new Random(Port);
                switch (Mode)
                {
                    case HostileMode.NeverAnswer:
                        break;
                    case HostileMode.AnswerAfterTimeout:
                        await Task.Delay(ClientTimeout + TimeSpan.FromSeconds(1), ct).ConfigureAwait(false);
                        await Send(s, ServerHello()).ConfigureAwait(false);
                        break;
                    case HostileMode.CloseMidHandshake:
                        var hello = ServerHello();
                        await Send(s, hello.Take(hello.Length / 2).ToArray()).ConfigureAwait(false);
                        s.Shutdown(SocketShutdown.Both);
                        s.Close();
                        return;
                    case HostileMode.RandomBytes:
                        var junk = new byte[64 * 1024];
                        rng.NextBytes(junk);
                        await Send(s, junk).ConfigureAwait(false);
                        break;
                    case HostileMode.HttpResponse:
                        await Send(s, Encoding.ASCII.GetBytes("HTTP/1.1 400 Bad Request\r\nContent-Type: text/html\r\nContent-Length: 40\r\nConnection: close\r\n\r\n<html><body>Bad Request</body></html>\r\n")).ConfigureAwait(false);
                        s.Shutdown(SocketShutdown.Send);
                        break;
                    case HostileMode.HugeCertificateMessage:
                    {
                        await Send(s, ServerHello()).ConfigureAwait(false);
                        // Certificate message header claiming 16 MiB - 1, then the body in full records for as long as the
                        // client reads. The record is made once, so the server allocates nothing while it floods.
                        const int length = 0xFFFFFF;
                        await Send(s, Record(22, new byte[] { 11, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFC })).ConfigureAwait(false);
                        var record = Record(22, new byte[16384]);
                        for (long left = length - 3; left > 0 && !ct.IsCancellationRequested; left -= 16384)
                            await Send(s, record).ConfigureAwait(false);
                        break;
                    }
                    case HostileMode.ChainOf1000:
                    case HostileMode.ChainOf150:
                        await Send(s, ServerHello()).ConfigureAwait(false);
                        await Send(s, _chainRecords.Value).ConfigureAwait(false);
                        break;
                    case HostileMode.TrickleOneBytePerSecond:
                        foreach (var b in ServerHello())
                        {
                            await Send(s, new[] { b }).ConfigureAwait(false);
                            await Task.Delay(1000, ct).ConfigureAwait(false);
                        }
                        break;
                    case HostileMode.AlertAfterAlert:
                        // Warning alerts (no_renegotiation) as fast as the client takes them.
                        var alerts = Enumerable.Range(0, 512).SelectMany(_ => Record(21, new byte[] { 1, 100 })).ToArray();
                        while (!ct.IsCancellationRequested) await Send(s, alerts).ConfigureAwait(false);
                        break;
                    case HostileMode.MaxRecord16640:
                    case HostileMode.MaxRecord18432:
                    case HostileMode.OverMaxRecord18433:
                    case HostileMode.OverMaxRecord65535:
                    {
                        int len = Mode == HostileMode.MaxRecord16640 ? 16384 + 256 : Mode == HostileMode.MaxRecord18432 ? 16384 + 2048
                            : Mode == HostileMode.OverMaxRecord18433 ? 16384 + 2049 : 65535;
                        await Send(s, ServerHello()).ConfigureAwait(false);
                        var payload = new byte[len];
                        rng.NextBytes(payload);
                        await Send(s, new byte[] { 22, 3, 3, (byte)(len >> 8), (byte)len }.Concat(payload).ToArray()).ConfigureAwait(false);
                        break;
                    }
                }
                // Hold the connection until the client closes it (or the server stops).
                while (!ct.IsCancellationRequested)
                {
                    var read = s.ReceiveAsync(new ArraySegment<byte>(buf), SocketFlags.None);
                    var done = await Task.WhenAny(read, Task.Delay(Timeout.Infinite, ct)).ConfigureAwait(false);
                    if (done != read) break;
                    if (await read.ConfigureAwait(false) == 0) { clientClosed = true; break; }
                }
            }
            catch (Exception e) when (e is SocketException || e is ObjectDisposedException || e is IOException)
            {
                clientClosed = !_stop.IsCancellationRequested;
            }
            catch (OperationCanceledException)
            {
            }
            finally
            {
                if (clientClosed) Interlocked.Increment(ref _closedByClient);
                try { s.Dispose(); } catch (Exception) { }
            }
        }

        private async Task Send(Socket s, byte[] data)
        {
            int sent = 0;
            while (sent < data.Length)
            {
                int n = await s.SendAsync(new ArraySegment<byte>(data, sent, data.Length - sent), SocketFlags.None).ConfigureAwait(false);
                sent += n;
                Interlocked.Add(ref _sent, n);
            }
        }

        internal static byte[] U24(int n) => new[] { (byte)(n >> 16), (byte)(n >> 8), (byte)n };

        internal static byte[] Record(byte type, byte[] payload) =>
            new byte[] { type, 3, 3, (byte)(payload.Length >> 8), (byte)payload.Length }.Concat(payload).ToArray();

        /// <summary>A TLS 1.2 ServerHello choosing ECDHE-RSA-AES128-GCM-SHA256 with renegotiation_info, in one record.</summary>
        internal static byte[] ServerHello()
        {
            var random = new byte[32];
            new Random(7).NextBytes(random);
            var ext = new byte[] { 0xFF, 0x01, 0x00, 0x01, 0x00 };
            var body = new byte[] { 3, 3 }.Concat(random).Concat(new byte[] { 0 }) // no session id
                .Concat(new byte[] { 0xC0, 0x2F, 0 }).Concat(new byte[] { 0, (byte)ext.Length }).Concat(ext).ToArray();
            var msg = new byte[] { 2 }.Concat(U24(body.Length)).Concat(body).ToArray();
            return Record(22, msg);
        }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
            lock (_sockets)
                foreach (var s in _sockets)
                    try { s.Dispose(); } catch (Exception) { }
        }
    }
}
