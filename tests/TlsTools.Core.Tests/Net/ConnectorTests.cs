using System;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using TlsTools.Net;
using TlsTools.Tests.Tls;
using Xunit;

namespace TlsTools.Tests.Net
{
    /// <summary>Connector on loopback: IP literals never reach DNS, names go through the resolver, errors carry ErrorIds, cancellation is prompt.</summary>
    public sealed class ConnectorTests
    {
        private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

        private static Task<IPAddress[]> NoDns(string host) => throw new InvalidOperationException("DNS was asked for '" + host + "'.");

        [Fact]
        public async Task IPLiteral_ConnectsWithoutAskingDns()
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            try
            {
                var target = TlsTarget.Parse("127.0.0.1", ((IPEndPoint)listener.LocalEndpoint).Port);
                using var c = await new Connector(NoDns).ConnectAsync(target, Timeout, CancellationToken.None);
                Assert.True(c.Socket.Connected);
                Assert.Equal(IPAddress.Loopback, c.RemoteAddress);
                Assert.Equal("127.0.0.1", c.Target.Address);
                Assert.Same(target, c.Target); // a literal is its own address
            }
            finally
            {
                listener.Stop();
            }
        }

        [Fact]
        public async Task IPv6Literal_ConnectsToThatAddress()
        {
            var listener = new TcpListener(IPAddress.IPv6Loopback, 0);
            listener.Start(); // ::1 is required on the test machines (see the Pester [::1] tests)
            try
            {
                var target = TlsTarget.Parse("[::1]:" + ((IPEndPoint)listener.LocalEndpoint).Port);
                using var c = await new Connector(NoDns).ConnectAsync(target, Timeout, CancellationToken.None);
                Assert.Equal(IPAddress.IPv6Loopback, c.RemoteAddress);
            }
            finally
            {
                listener.Stop();
            }
        }

        [Fact]
        public async Task Name_IsResolved_IPv4First_AndTheAddressIsBound()
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            try
            {
                string? asked = null;
                var connector = new Connector(h => { asked = h; return Task.FromResult(new[] { IPAddress.IPv6Loopback, IPAddress.Loopback }); });
                var target = TlsTarget.Parse("www.connector.test", ((IPEndPoint)listener.LocalEndpoint).Port);
                using var c = await connector.ConnectAsync(target, Timeout, CancellationToken.None);
                Assert.Equal("www.connector.test", asked);
                Assert.Equal(IPAddress.Loopback, c.RemoteAddress);
                Assert.Equal("127.0.0.1", c.Target.Address);
                Assert.Equal("www.connector.test", c.Target.Host);
                Assert.Equal("www.connector.test", c.Target.ServerName);
                // A bound target connects again without DNS.
                using var again = await new Connector(NoDns).ConnectAsync(c.Target, Timeout, CancellationToken.None);
                Assert.Equal(IPAddress.Loopback, again.RemoteAddress);
            }
            finally
            {
                listener.Stop();
            }
        }

        [Fact]
        public async Task RefusedPort_IsConnectionRefused_Quickly()
        {
            var sw = Stopwatch.StartNew();
            var e = await Assert.ThrowsAsync<TlsToolsException>(() => new Connector(NoDns).ConnectAsync(TlsTarget.Parse("127.0.0.1", Ports.Free()), Timeout, CancellationToken.None));
            Assert.Equal("ConnectionRefused", e.ErrorId);
            Assert.Equal(ErrorKind.ConnectionError, e.Kind);
            Assert.True(sw.ElapsedMilliseconds < 3000, sw.ElapsedMilliseconds + " ms");
        }

        [Fact]
        public async Task UnknownName_IsHostNotFound()
        {
            var connector = new Connector(h => Task.FromException<IPAddress[]>(new SocketException((int)SocketError.HostNotFound)));
            var e = await Assert.ThrowsAsync<TlsToolsException>(() => connector.ConnectAsync(TlsTarget.Parse("nowhere.test"), Timeout, CancellationToken.None));
            Assert.Equal("HostNotFound", e.ErrorId);
            Assert.Equal(ErrorKind.ConnectionError, e.Kind);
            var empty = new Connector(h => Task.FromResult(Array.Empty<IPAddress>()));
            Assert.Equal("HostNotFound", (await Assert.ThrowsAsync<TlsToolsException>(() => empty.ConnectAsync(TlsTarget.Parse("nowhere.test"), Timeout, CancellationToken.None))).ErrorId);
        }

        [Fact]
        public async Task Cancellation_EndsAHangingLookupAtOnce()
        {
            var never = new TaskCompletionSource<IPAddress[]>();
            var connector = new Connector(h => never.Task);
            using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
            var sw = Stopwatch.StartNew();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => connector.ConnectAsync(TlsTarget.Parse("slow.test"), Timeout, cts.Token));
            Assert.True(sw.ElapsedMilliseconds < 2000, sw.ElapsedMilliseconds + " ms");
        }

        [Fact]
        public async Task AlreadyCancelled_NeverConnects()
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            try
            {
                var target = TlsTarget.Parse("127.0.0.1", ((IPEndPoint)listener.LocalEndpoint).Port);
                await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new Connector(NoDns).ConnectAsync(target, Timeout, new CancellationToken(true)));
                Assert.False(listener.Pending());
            }
            finally
            {
                listener.Stop();
            }
        }

        [Fact]
        public async Task Timeout_IsConnectTimeout()
        {
            var never = new TaskCompletionSource<IPAddress[]>();
            var connector = new Connector(h => never.Task);
            var sw = Stopwatch.StartNew();
            var e = await Assert.ThrowsAsync<TlsToolsException>(() => connector.ConnectAsync(TlsTarget.Parse("slow.test"), TimeSpan.FromMilliseconds(300), CancellationToken.None));
            Assert.Equal("ConnectTimeout", e.ErrorId);
            Assert.Equal(ErrorKind.OperationTimeout, e.Kind);
            Assert.True(sw.ElapsedMilliseconds < 3000, sw.ElapsedMilliseconds + " ms");
        }
    }
}
