using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace TlsTools.Net
{
    /// <summary>A connected TCP socket and where it went. Disposing it closes the socket.</summary>
    public sealed class Connection : IDisposable
    {
        internal Connection(Socket socket, TlsTarget target, IPAddress remoteAddress)
        {
            Socket = socket;
            Target = target;
            RemoteAddress = remoteAddress;
        }

        public Socket Socket { get; }

        /// <summary>The target, bound to <see cref="RemoteAddress"/> (<see cref="TlsTarget.WithAddress"/>) so that further
        /// connections go to the same address.</summary>
        public TlsTarget Target { get; }

        /// <summary>The address the socket is connected to.</summary>
        public IPAddress RemoteAddress { get; }

        public void Dispose() => Socket.Dispose();
    }

    /// <summary>
    /// The one way TlsTools opens a TCP connection to a <see cref="TlsTarget"/>: IP literals (and bound addresses) are used as
    /// they are, names are resolved by DNS (IPv4 addresses tried first, then the others in turn); name lookup and connect share
    /// one timeout, and cancellation closes the socket at once.
    /// </summary>
    /// <remarks>
    /// Errors are <see cref="TlsToolsException"/>s: HostNotFound and ConnectionRefused, NetworkError (ErrorKind ConnectionError),
    /// ConnectTimeout (OperationTimeout). Cancelling the token throws <see cref="OperationCanceledException"/>.
    /// </remarks>
    public sealed class Connector
    {
        private readonly Func<string, Task<IPAddress[]>> _resolve;

        /// <summary>The connector that asks the system's resolver.</summary>
        public static Connector Default { get; } = new Connector(Dns.GetHostAddressesAsync);

        /// <param name="resolve">Name lookup (tests pass their own).</param>
        internal Connector(Func<string, Task<IPAddress[]>> resolve) => _resolve = resolve;

        /// <summary>Resolves (unless the target has an address) and connects.</summary>
        /// <exception cref="ArgumentNullException"><paramref name="target"/> is null.</exception>
        /// <exception cref="TlsToolsException">HostNotFound, ConnectionRefused, NetworkError, ConnectTimeout; InvalidTimeout for a
        /// timeout that is not positive.</exception>
        /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
        public async Task<Connection> ConnectAsync(TlsTarget target, TimeSpan timeout, CancellationToken cancellationToken = default)
        {
            if (target == null) throw new ArgumentNullException(nameof(target));
            if (timeout <= TimeSpan.Zero)
                throw new TlsToolsException(ErrorIds.InvalidTimeout, ErrorKind.InvalidArgument, "The connect timeout must be positive.");
            cancellationToken.ThrowIfCancellationRequested();
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            cts.CancelAfter(timeout);
            try
            {
                var addresses = await ResolveAsync(target, cts.Token).ConfigureAwait(false);
                Exception? last = null;
                foreach (var address in addresses)
                {
                    var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                    try
                    {
                        using (cts.Token.Register(() => socket.Dispose()))
                            await socket.ConnectAsync(new IPEndPoint(address, target.Port)).ConfigureAwait(false);
                        cts.Token.ThrowIfCancellationRequested();
                        return new Connection(socket, target.WithAddress(address), address);
                    }
                    catch (SocketException e) when (!cts.IsCancellationRequested)
                    {
                        socket.Dispose();
                        last = e;
                    }
                    catch
                    {
                        socket.Dispose();
                        throw;
                    }
                }
                throw Failure(target, last as SocketException);
            }
            catch (Exception e) when (cts.IsCancellationRequested && !(e is TlsToolsException))
            {
                cancellationToken.ThrowIfCancellationRequested();
                throw new TlsToolsException(ErrorIds.ConnectTimeout, ErrorKind.OperationTimeout,
                    "Connecting to " + target + " timed out after " + timeout.TotalSeconds + " s.", e, target.ToString());
            }
        }

        /// <summary>The addresses to try, in order: the target's own address, else DNS's answer with IPv4 first.</summary>
        private async Task<IList<IPAddress>> ResolveAsync(TlsTarget target, CancellationToken token)
        {
            if (target.IPAddress != null) return new[] { target.IPAddress };
            var lookup = _resolve(target.Host);
            var done = await Task.WhenAny(lookup, Task.Delay(Timeout.Infinite, token)).ConfigureAwait(false);
            if (done != lookup)
            {
                _ = lookup.ContinueWith(t => _ = t.Exception, TaskScheduler.Default); // the lookup cannot be cancelled: observe it
                token.ThrowIfCancellationRequested();
            }
            IPAddress[] addresses;
            try
            {
                addresses = await lookup.ConfigureAwait(false);
            }
            catch (SocketException e)
            {
                throw new TlsToolsException(ErrorIds.HostNotFound, ErrorKind.ConnectionError,
                    "The name '" + target.Host + "' could not be resolved: " + e.Message, e, target.ToString());
            }
            if (addresses == null || addresses.Length == 0)
                throw new TlsToolsException(ErrorIds.HostNotFound, ErrorKind.ConnectionError, "The name '" + target.Host + "' has no address.", target: target.ToString());
            return addresses.OrderBy(a => a.AddressFamily == AddressFamily.InterNetwork ? 0 : 1).ToList();
        }

        private static TlsToolsException Failure(TlsTarget target, SocketException? e)
        {
            switch (e?.SocketErrorCode)
            {
                case SocketError.ConnectionRefused:
                    return new TlsToolsException(ErrorIds.ConnectionRefused, ErrorKind.ConnectionError,
                        "Connection to " + target + " was refused (nothing listens on that port).", e, target.ToString());
                case SocketError.HostNotFound:
                case SocketError.NoData:
                case SocketError.TryAgain:
                    return new TlsToolsException(ErrorIds.HostNotFound, ErrorKind.ConnectionError,
                        "The name '" + target.Host + "' could not be resolved: " + e!.Message, e, target.ToString());
                default:
                    return new TlsToolsException(ErrorIds.NetworkError, ErrorKind.ConnectionError,
                        "Cannot connect to " + target + ": " + (e?.Message ?? "no address to try") + ".", e, target.ToString());
            }
        }
    }
}
