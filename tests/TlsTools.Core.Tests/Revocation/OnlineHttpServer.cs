using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace TlsTools.Tests.Revocation
{
    /// <summary>What <see cref="OnlineHttpServer"/> answers to one request.</summary>
    internal sealed class OnlineReply
    {
        public int Status { get; set; } = 200;
        public byte[] Body { get; set; } = Array.Empty<byte>();
        public string? Location { get; set; }
        /// <summary>Send no Content-Length (the body ends when the connection closes).</summary>
        public bool OmitLength { get; set; }
        /// <summary>Accept, read the request, and never answer (until the server is disposed).</summary>
        public bool Hang { get; set; }

        public static OnlineReply Of(byte[] body) => new OnlineReply { Body = body };
    }

    /// <summary>
    /// A tiny HTTP/1.1 server on 127.0.0.1 (a free port) for the -Online tests: routes by path, counts every request, can
    /// redirect, hang, lie about length or send garbage. Only loopback, stopped on Dispose.
    /// </summary>
    internal sealed class OnlineHttpServer : IDisposable
    {
        private readonly TcpListener _listener = new TcpListener(IPAddress.Loopback, 0);
        private readonly ConcurrentDictionary<string, Func<byte[], OnlineReply>> _routes = new ConcurrentDictionary<string, Func<byte[], OnlineReply>>();
        private readonly ConcurrentQueue<string> _requests = new ConcurrentQueue<string>();
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();

        public OnlineHttpServer()
        {
            _listener.Start();
            Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
            _ = Task.Run(AcceptLoop);
        }

        public int Port { get; }

        public string Url(string path) => "http://127.0.0.1:" + Port + path;

        /// <summary>"GET /path" or "POST /path" per request, in arrival order.</summary>
        public IReadOnlyCollection<string> Requests => _requests.ToArray();

        public void Route(string path, Func<byte[], OnlineReply> reply) => _routes[path] = reply;

        public void Route(string path, byte[] body) => Route(path, _ => OnlineReply.Of(body));

        private async Task AcceptLoop()
        {
            while (!_stop.IsCancellationRequested)
            {
                TcpClient client;
                try { client = await _listener.AcceptTcpClientAsync().ConfigureAwait(false); }
                catch (Exception) { return; }
                _ = Task.Run(() => Serve(client));
            }
        }

        private async Task Serve(TcpClient client)
        {
            using (client)
            {
                try
                {
                    var stream = client.GetStream();
                    var head = new MemoryStream();
                    var one = new byte[1];
                    while (head.Length < 65536)
                    {
                        int n = await stream.ReadAsync(one, 0, 1, _stop.Token).ConfigureAwait(false);
                        if (n == 0) return;
                        head.WriteByte(one[0]);
                        var h = head.GetBuffer();
                        long l = head.Length;
                        if (l >= 4 && h[l - 4] == '\r' && h[l - 3] == '\n' && h[l - 2] == '\r' && h[l - 1] == '\n') break;
                    }
                    var lines = Encoding.ASCII.GetString(head.ToArray()).Split(new[] { "\r\n" }, StringSplitOptions.None);
                    var parts = lines[0].Split(' ');
                    int length = 0;
                    foreach (var line in lines)
                        if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase)) length = int.Parse(line.Substring(15).Trim());
                    var body = new byte[length];
                    for (int read = 0; read < length;)
                    {
                        int n = await stream.ReadAsync(body, read, length - read, _stop.Token).ConfigureAwait(false);
                        if (n == 0) return;
                        read += n;
                    }
                    _requests.Enqueue(parts[0] + " " + parts[1]);
                    var reply = _routes.TryGetValue(parts[1], out var route) ? route(body) : new OnlineReply { Status = 404 };
                    if (reply.Hang)
                    {
                        await Task.Delay(Timeout.Infinite, _stop.Token).ConfigureAwait(false);
                        return;
                    }
                    var header = new StringBuilder("HTTP/1.1 " + reply.Status + " X\r\nConnection: close\r\n");
                    if (!reply.OmitLength) header.Append("Content-Length: " + reply.Body.Length + "\r\n");
                    if (reply.Location != null) header.Append("Location: " + reply.Location + "\r\n");
                    header.Append("\r\n");
                    var bytes = Encoding.ASCII.GetBytes(header.ToString());
                    await stream.WriteAsync(bytes, 0, bytes.Length, _stop.Token).ConfigureAwait(false);
                    await stream.WriteAsync(reply.Body, 0, reply.Body.Length, _stop.Token).ConfigureAwait(false);
                }
                catch (Exception)
                {
                    // the client went away, or the server stops
                }
            }
        }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
        }
    }
}
