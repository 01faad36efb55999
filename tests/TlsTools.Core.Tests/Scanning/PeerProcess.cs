using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using Org.BouncyCastle.Pkcs;
using TlsTools.Formats;
using TlsTools.Pki;

namespace TlsTools.Tests.Scanning
{
    /// <summary>A TLS peer process (openssl s_server, gnutls-serv) on 127.0.0.1, killed with its process tree on Dispose.</summary>
    internal sealed class PeerProcess : IDisposable
    {
        private readonly Process _process;
        private readonly StringBuilder _output = new StringBuilder();

        private PeerProcess(Process process, int port)
        {
            _process = process;
            Port = port;
        }

        public int Port { get; }

        public string Output { get { lock (_output) return _output.ToString(); } }

        public static int FreePort()
        {
            var l = new TcpListener(IPAddress.Loopback, 0);
            l.Start();
            int port = ((IPEndPoint)l.LocalEndpoint).Port;
            l.Stop();
            return port;
        }

        public static bool Available(string tool) =>
            Environment.GetEnvironmentVariable("PATH")!.Split(':').Any(d => File.Exists(Path.Combine(d, tool)));

        /// <summary>Starts the tool with "{port}" in the arguments replaced, and waits (bounded) until the port accepts.</summary>
        public static PeerProcess Start(string tool, IEnumerable<string> args, string workDir)
        {
            for (int attempt = 0; ; attempt++)
            {
                int port = FreePort();
                var psi = new ProcessStartInfo(tool)
                {
                    WorkingDirectory = workDir,
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                    RedirectStandardInput = true,
                    UseShellExecute = false,
                };
                foreach (var a in args) psi.ArgumentList.Add(a.Replace("{port}", port.ToString()));
                var p = Process.Start(psi)!;
                var peer = new PeerProcess(p, port);
                p.OutputDataReceived += (_, e) => { if (e.Data != null) lock (peer._output) peer._output.AppendLine(e.Data); };
                p.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (peer._output) peer._output.AppendLine(e.Data); };
                p.BeginOutputReadLine();
                p.BeginErrorReadLine();
                var deadline = DateTime.UtcNow.AddSeconds(15);
                while (DateTime.UtcNow < deadline && !p.HasExited)
                {
                    try
                    {
                        using var c = new TcpClient();
                        if (c.ConnectAsync(IPAddress.Loopback, port).Wait(500) && c.Connected) return peer;
                    }
                    catch (AggregateException) { }
                    catch (SocketException) { }
                    Thread.Sleep(50);
                }
                string output = peer.Output;
                peer.Dispose();
                if (attempt >= 2) throw new InvalidOperationException(tool + " did not start listening on 127.0.0.1:" + port + ": " + output);
            }
        }

        public void Dispose()
        {
            try
            {
                if (!_process.HasExited) _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }
            catch (InvalidOperationException) { }
            _process.Dispose();
        }
    }

    /// <summary>Certificates and keys written as PEM files into a temporary directory, deleted on Dispose.</summary>
    internal sealed class TestPki : IDisposable
    {
        public TestPki()
        {
            Directory = Path.Combine(Path.GetTempPath(), "tlstools-scan-" + Guid.NewGuid().ToString("N").Substring(0, 12));
            System.IO.Directory.CreateDirectory(Directory);
        }

        public string Directory { get; }

        /// <summary>A CA and a leaf for the names; writes {name}.crt (leaf), {name}.key, {name}-ca.crt. Returns (leaf, ca).</summary>
        public (Certificate Leaf, Certificate Ca) Issue(string name, KeyAlgorithm algorithm, params string[] dnsNames)
        {
            var caKey = KeyFactory.Generate(algorithm);
            var ca = Issuance.CreateCa(new CertificateOptions { Subject = "CN=" + name + " Test CA" }, caKey, null);
            var key = KeyFactory.Generate(algorithm);
            var opts = new CertificateOptions { Subject = "CN=" + dnsNames[0] };
            foreach (var d in dnsNames) opts.DnsNames.Add(d);
            opts.IpAddresses.Add("127.0.0.1");
            var leaf = Issuance.CreateLeaf(opts, ca, null, key);
            File.WriteAllText(Path.Combine(Directory, name + ".crt"), Pem.Encode("CERTIFICATE", leaf.GetRawData()));
            File.WriteAllText(Path.Combine(Directory, name + "-ca.crt"), Pem.Encode("CERTIFICATE", ca.GetRawData()));
            var pkcs8 = PrivateKeyInfoFactory.CreatePrivateKeyInfo(key.Private).GetEncoded();
            File.WriteAllText(Path.Combine(Directory, name + ".key"), Pem.Encode("PRIVATE KEY", pkcs8));
            return (leaf, ca);
        }

        public void Dispose()
        {
            try { System.IO.Directory.Delete(Directory, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
