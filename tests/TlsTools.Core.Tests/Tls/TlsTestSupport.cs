using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using Org.BouncyCastle.Pkcs;
using TlsTools.Pki;

namespace TlsTools.Tests.Tls
{
    /// <summary>Test PKI made at run time: a CA and leaves for each key type, written as PEM files.</summary>
    internal sealed class TestPki : IDisposable
    {
        private static readonly ConcurrentDictionary<string, (Certificate Cert, string CertPath, string KeyPath)> Cache = new();
        private static readonly Lazy<Certificate> LazyCa = new(() =>
            Issuance.CreateCa(new CertificateOptions { Subject = "CN=TlsTools Test CA" }, KeyFactory.Generate(KeyAlgorithm.EcdsaP256), null));

        public static readonly string Dir = Path.Combine(Path.GetTempPath(), "tlstools-tls-tests-" + Environment.ProcessId);

        public static Certificate Ca => LazyCa.Value;

        public static string CaPath => Write("ca.pem", Ca.ToPem());

        /// <summary>A leaf for localhost/127.0.0.1 with the given key type, its PEM certificate path and PEM PKCS#8 key path.</summary>
        public static (Certificate Cert, string CertPath, string KeyPath) Leaf(KeyAlgorithm alg, string name = "localhost", CertificateProfile profile = CertificateProfile.Server)
        {
            return Cache.GetOrAdd(alg + "|" + name + "|" + profile, _ =>
            {
                var key = KeyFactory.Generate(alg);
                var cert = Issuance.CreateLeaf(new CertificateOptions
                {
                    Subject = "CN=" + name,
                    DnsNames = { name },
                    IpAddresses = name == "localhost" ? new List<string> { "127.0.0.1" } : new List<string>(),
                    Profile = profile,
                }, Ca, null, key);
                var stem = alg + "-" + name + "-" + profile;
                var certPath = Write(stem + ".crt.pem", cert.ToPem());
                var keyPath = Write(stem + ".key.pem", KeyPem(key));
                return (cert, certPath, keyPath);
            });
        }

        public static string KeyPem(PrivateKey key)
        {
            var info = PrivateKeyInfoFactory.CreatePrivateKeyInfo(key.Private);
            // OpenSSL 3.0 refuses the PKCS#8 v2 form (with the public key) that BouncyCastle writes for Ed25519.
            if (info.HasPublicKey) info = new Org.BouncyCastle.Asn1.Pkcs.PrivateKeyInfo(info.PrivateKeyAlgorithm, info.ParsePrivateKey());
            var der = info.GetEncoded();
            var b64 = Convert.ToBase64String(der);
            var sb = new StringBuilder("-----BEGIN PRIVATE KEY-----\n");
            for (int i = 0; i < b64.Length; i += 64) sb.Append(b64, i, Math.Min(64, b64.Length - i)).Append('\n');
            return sb.Append("-----END PRIVATE KEY-----\n").ToString();
        }

        private static readonly object WriteLock = new();

        public static string Write(string name, string text)
        {
            lock (WriteLock)
            {
                Directory.CreateDirectory(Dir);
                var path = Path.Combine(Dir, name);
                if (!File.Exists(path)) File.WriteAllText(path, text);
                return path;
            }
        }

        public void Dispose() { }
    }

    internal static class Ports
    {
        /// <summary>
        /// A loopback port that was free a moment ago. Only for a peer that cannot bind port 0 itself (gnutls-serv): another
        /// process may take the port before the peer binds it, so the caller must check the peer's own report of its bind.
        /// </summary>
        public static int Free()
        {
            var l = new TcpListener(IPAddress.Loopback, 0);
            l.Start();
            int port = ((IPEndPoint)l.LocalEndpoint).Port;
            l.Stop();
            return port;
        }
    }

    /// <summary>
    /// A loopback port held bound but not listening: a connection to it is refused for as long as this lives, and no
    /// other process can start listening on it meanwhile (a port that was merely free a moment ago may be taken).
    /// </summary>
    internal sealed class RefusedPort : IDisposable
    {
        private readonly Socket _socket;

        public RefusedPort(AddressFamily family = AddressFamily.InterNetwork)
        {
            _socket = new Socket(family, SocketType.Stream, ProtocolType.Tcp);
            _socket.Bind(new IPEndPoint(family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Loopback : IPAddress.Loopback, 0));
            Port = ((IPEndPoint)_socket.LocalEndPoint!).Port;
        }

        public int Port { get; }

        public void Dispose() => _socket.Dispose();
    }

    /// <summary>An external process (openssl s_server, gnutls-serv, ...) killed on Dispose, with its output captured.</summary>
    internal sealed class PeerProcess : IDisposable
    {
        private readonly Process _process;
        private readonly StringBuilder _out = new();
        private readonly object _lock = new();

        public PeerProcess(string file, IEnumerable<string> args, string? workingDirectory = null)
        {
            var psi = new ProcessStartInfo(file)
            {
                WorkingDirectory = workingDirectory ?? "",
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var a in args) psi.ArgumentList.Add(a);
            CommandLine = file + " " + string.Join(" ", psi.ArgumentList);
            _process = new Process { StartInfo = psi };
            _process.OutputDataReceived += (_, e) => { if (e.Data != null) lock (_lock) _out.AppendLine(e.Data); };
            _process.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (_lock) _out.AppendLine(e.Data); };
            _process.Start();
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
        }

        public string CommandLine { get; }

        public string Output { get { lock (_lock) return _out.ToString(); } }

        public bool HasExited => _process.HasExited;

        public void WriteInput(string text)
        {
            _process.StandardInput.Write(text);
            _process.StandardInput.Flush();
        }

        public void CloseInput() => _process.StandardInput.Close();

        public bool WaitForExit(int ms)
        {
            if (!_process.WaitForExit(ms)) return false;
            _process.WaitForExit(); // also waits for the redirected output to be read to the end
            return true;
        }

        /// <summary>Waits (bounded) until the output contains <paramref name="text"/>.</summary>
        public bool WaitForOutput(string text, int ms) =>
            WaitForLine(new Regex(Regex.Escape(text)), TimeSpan.FromMilliseconds(ms)) != null;

        /// <summary>
        /// Waits until a line of the output matches, the process exits or <paramref name="within"/> passes; the match, or
        /// null.
        /// </summary>
        public Match? WaitForLine(Regex pattern, TimeSpan within)
        {
            var sw = Stopwatch.StartNew();
            while (true)
            {
                bool exited = _process.HasExited;
                if (exited) _process.WaitForExit(); // the redirected output is read to the end
                foreach (var line in Output.Split('\n'))
                {
                    var m = pattern.Match(line.TrimEnd('\r'));
                    if (m.Success) return m;
                }
                if (exited || sw.Elapsed >= within) return null;
                Thread.Sleep(20);
            }
        }

        /// <summary>For a failure message: the command line, whether the process is still running, and what it printed.</summary>
        public string Describe() =>
            CommandLine + (_process.HasExited ? " (exited with " + _process.ExitCode + ")" : " (still running)") + ":\n" + Output;

        public void Dispose()
        {
            try
            {
                if (!_process.HasExited)
                {
                    _process.Kill(entireProcessTree: true);
                    _process.WaitForExit(5000);
                }
            }
            catch (InvalidOperationException) { }
            _process.Dispose();
        }
    }

    /// <summary>Starts the test peers (openssl s_server, gnutls-serv) on 127.0.0.1 and returns once each listens.</summary>
    internal static class Peers
    {
        /// <summary>How long a peer may take to start listening on a loaded machine.</summary>
        public static readonly TimeSpan StartBound = TimeSpan.FromSeconds(30);

        /// <summary>OpenSSL 3 prints the address it bound, so "-accept 127.0.0.1:0" tells which port the kernel gave it.</summary>
        private static readonly Regex OpenSslAccept = new Regex(@"^ACCEPT 127\.0\.0\.1:(\d+)$");

        /// <summary>gnutls-serv, per address family: "... listening on IPv4 0.0.0.0 port N...done" or "...bind() failed: ...".</summary>
        private static readonly Regex GnuTlsListen = new Regex(@"listening on IPv4 \S+ port (\d+)\.\.\.(.*)$");

        /// <summary>
        /// openssl s_server with <paramref name="args"/> (which must not set -accept; -quiet is dropped, since it hides the
        /// ACCEPT line) on 127.0.0.1, port chosen by the kernel. Returns once it listens.
        /// </summary>
        public static (PeerProcess Process, int Port) OpenSsl(IEnumerable<string> args, string? workingDirectory = null)
        {
            var all = new List<string> { "s_server", "-accept", "127.0.0.1:0" };
            all.AddRange(args.Where(a => a != "-quiet"));
            var p = new PeerProcess("openssl", all, workingDirectory);
            var m = p.WaitForLine(OpenSslAccept, StartBound);
            if (m != null) return (p, int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
            var what = p.Describe();
            p.Dispose();
            throw new InvalidOperationException("openssl s_server did not report listening on 127.0.0.1 within " + StartBound.TotalSeconds + " s: " + what);
        }

        /// <summary>
        /// gnutls-serv with "{port}" in <paramref name="args"/> replaced by a free port. It cannot bind port 0 usefully (it
        /// binds IPv4 and IPv6 separately and prints "port 0"), and when the IPv4 bind fails it carries on with IPv6 alone:
        /// so its own report of the IPv4 bind is read, and a port another process took meanwhile is retried with another.
        /// </summary>
        public static (PeerProcess Process, int Port) GnuTls(IEnumerable<string> args, string? workingDirectory = null)
        {
            for (int attempt = 1; ; attempt++)
            {
                int port = Ports.Free();
                var p = new PeerProcess("gnutls-serv", args.Select(a => a.Replace("{port}", port.ToString(System.Globalization.CultureInfo.InvariantCulture))), workingDirectory);
                var m = p.WaitForLine(GnuTlsListen, StartBound);
                if (m != null && m.Groups[1].Value == port.ToString(System.Globalization.CultureInfo.InvariantCulture) && m.Groups[2].Value.StartsWith("done", StringComparison.Ordinal))
                    return (p, port);
                var what = p.Describe();
                p.Dispose();
                bool taken = m != null && m.Groups[2].Value.Contains("in use", StringComparison.OrdinalIgnoreCase);
                if (!taken || attempt >= 5)
                    throw new InvalidOperationException("gnutls-serv did not report listening on IPv4 port " + port + " within " + StartBound.TotalSeconds + " s (attempt " + attempt + "): " + what);
            }
        }
    }

    /// <summary>openssl s_server on 127.0.0.1, on a port the kernel chose; ready once it prints ACCEPT.</summary>
    internal sealed class OpenSslServer : IDisposable
    {
        private readonly PeerProcess _process;

        public OpenSslServer(KeyAlgorithm keyAlgorithm, params string[] extra)
            : this(TestPki.Leaf(keyAlgorithm), extra)
        {
        }

        public OpenSslServer((Certificate Cert, string CertPath, string KeyPath) leaf, params string[] extra)
        {
            Leaf = leaf.Cert;
            var args = new List<string> { "-cert", leaf.CertPath, "-key", leaf.KeyPath, "-no-CAfile", "-no-CApath" };
            args.AddRange(extra);
            (_process, Port) = Peers.OpenSsl(args);
        }

        public Certificate Leaf { get; }

        public int Port { get; }

        public string Output => _process.Output;

        public void Dispose() => _process.Dispose();
    }
}
