using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using PkiCertificate = TlsTools.Pki.Certificate;

namespace TlsTools.Tls
{
    /// <summary>
    /// The checks <see cref="TlsServerHost"/> makes before it listens, so that a server that could never complete a
    /// handshake fails at start instead of failing every client.
    /// </summary>
    internal static class ServerSuites
    {
        /// <summary>ALPN names the server refuses: it answers every connection in HTTP/1.1, which an h2 client cannot read.</summary>
        private static readonly string[] Http2Names = { "h2", "h2c" };

        /// <summary>
        /// Every suite given must be one the key can authenticate (TLS 1.2 and older: RSA suites need an RSA key, ECDSA
        /// suites an EC or Ed25519 key; static DH/ECDH, PSK, SRP and anonymous suites are not served) and one of the versions
        /// accepted must be able to use it.
        /// </summary>
        /// <exception cref="TlsToolsException">CipherSuiteNotServable.</exception>
        public static void CheckServable(PkiCertificate certificate, IList<int> suites, IList<TlsVersion>? versions)
        {
            bool rsa = Credentials.IsRsa(certificate);
            var accepted = versions == null || versions.Count == 0 ? new[] { TlsVersion.Tls12, TlsVersion.Tls13 } : versions.ToArray();
            bool tls13 = accepted.Contains(TlsVersion.Tls13);
            bool older = accepted.Any(v => v != TlsVersion.Tls13);
            var problems = new List<string>();
            foreach (var code in suites)
            {
                var info = TlsRegistry.CipherSuites.Find(code);
                var name = TlsRegistry.CipherSuites.Name(code);
                if (info == null)
                    problems.Add(name + " is not a cipher suite a server can choose");
                else if (info.IsTls13)
                {
                    if (!tls13) problems.Add(name + " is a TLS 1.3 suite, and TLS 1.3 is not among the versions accepted");
                }
                else if (!older)
                    problems.Add(name + " is a TLS 1.2 suite, and only TLS 1.3 is accepted");
                else if (!(info.KeyExchange == "RSA" || info.IsEphemeralSigned) || (info.Authentication != "RSA" && info.Authentication != "ECDSA"))
                    problems.Add(name + " needs a " + info.KeyExchange + "/" + info.Authentication + " server, which TlsTools does not serve");
                else if ((info.Authentication == "RSA") != rsa)
                    problems.Add(name + " needs an " + info.Authentication + " key, and the certificate's key is " + certificate.PrivateKey!.Algorithm);
            }
            if (problems.Count > 0)
                throw new TlsToolsException(ErrorIds.CipherSuiteNotServable, ErrorKind.InvalidArgument,
                    "The server cannot serve " + (problems.Count == 1 ? "a cipher suite" : problems.Count + " of the cipher suites") + " given: " +
                    string.Join("; ", problems) + ".", target: TlsRegistry.CipherSuites.Name(suites[0]));
        }

        /// <summary>
        /// ALPN names are 1 to 255 bytes. With <paramref name="refuseHttp2"/> (Start-TlsServer, whose connections get its HTTP/1.1
        /// answer) h2 is refused too; the host itself, also a fixture for protocol tests, may negotiate any name.
        /// </summary>
        /// <exception cref="TlsToolsException">InvalidAlpn, AlpnNotServable.</exception>
        public static void CheckAlpn(IList<string>? alpn, bool refuseHttp2)
        {
            if (alpn == null) return;
            foreach (var name in alpn)
            {
                int bytes = name == null ? 0 : Encoding.UTF8.GetByteCount(name);
                if (bytes < 1 || bytes > 255)
                    throw new TlsToolsException(ErrorIds.InvalidAlpn, ErrorKind.InvalidArgument, "An ALPN protocol name is 1 to 255 bytes long; '" + name + "' is not.", target: name);
                if (refuseHttp2 && Http2Names.Contains(name!.ToLowerInvariant()))
                    throw new TlsToolsException(ErrorIds.AlpnNotServable, ErrorKind.InvalidArgument,
                        "The TlsTools server answers in HTTP/1.1 only, so it does not accept '" + name + "' (an HTTP/2 client could not read the answer); offer http/1.1.",
                        target: name);
            }
        }

        /// <summary>A listener on <paramref name="address"/> at <paramref name="port"/>, or null where that address or port cannot be had.</summary>
        public static TcpListener? TryListen(IPAddress address, int port)
        {
            if (!Socket.OSSupportsIPv6 && address.AddressFamily == AddressFamily.InterNetworkV6) return null;
            var listener = new TcpListener(address, port);
            try
            {
                listener.Start(1024);
                return listener;
            }
            catch (SocketException)
            {
                return null;
            }
        }
    }
}
