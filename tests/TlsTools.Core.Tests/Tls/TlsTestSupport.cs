using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
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
        /// <summary>A loopback port that was free a moment ago.</summary>
        public static int Free()
        {
            var l = new TcpListener(IPAddress.Loopback, 0);
            l.Start();
            int port = ((IPEndPoint)l.LocalEndpoint).Port;
            l.Stop();
            return port;
        }
    }

    /// <summary>An external process (openssl s_server, gnutls-serv, ...) killed on Dispose, with its output captured.</summary>
    internal sealed class PeerProcess : IDisposable
    {
        private readonly Process _process;
        private readonly StringBuilder _out = new();
        private readonly object _lock = new();

        public PeerProcess(string file, IEnumerable<string> args)
        {
            var psi = new ProcessStartInfo(file)
            {
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
        public bool WaitForOutput(string text, int ms)
        {
            var sw = Stopwatch.StartNew();
            while (sw.ElapsedMilliseconds < ms)
            {
                if (Output.Contains(text, StringComparison.Ordinal)) return true;
                if (_process.HasExited) { Thread.Sleep(50); return Output.Contains(text, StringComparison.Ordinal); }
                Thread.Sleep(20);
            }
            return false;
        }

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

    /// <summary>openssl s_server on a free loopback port; ready once it prints ACCEPT.</summary>
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
            for (int attempt = 0; ; attempt++)
            {
                Port = Ports.Free();
                var args = new List<string> { "s_server", "-accept", "127.0.0.1:" + Port, "-cert", leaf.CertPath, "-key", leaf.KeyPath, "-no-CAfile", "-no-CApath", "-quiet" };
                // -quiet hides ACCEPT; use -ign_eof-free form instead: keep output.
                args.Remove("-quiet");
                args.AddRange(extra);
                _process = new PeerProcess("openssl", args);
                if (_process.WaitForOutput("ACCEPT", 10000)) break;
                var output = _process.Output;
                _process.Dispose();
                if (attempt >= 2 || !output.Contains("in use", StringComparison.OrdinalIgnoreCase))
                    throw new InvalidOperationException("openssl s_server did not start: " + output);
            }
        }

        public Certificate Leaf { get; }

        public int Port { get; }

        public string Output => _process.Output;

        public void Dispose() => _process.Dispose();
    }
}
