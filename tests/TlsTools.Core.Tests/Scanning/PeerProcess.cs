using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Org.BouncyCastle.Pkcs;
using TlsTools.Formats;
using TlsTools.Pki;

namespace TlsTools.Tests.Scanning
{
    /// <summary>A TLS peer process (openssl s_server, gnutls-serv) on 127.0.0.1, killed with its process tree on Dispose.</summary>
    internal sealed class PeerProcess : IDisposable
    {
        private readonly Tls.PeerProcess _process;

        private PeerProcess(Tls.PeerProcess process, int port)
        {
            _process = process;
            Port = port;
        }

        public int Port { get; }

        public string Output => _process.Output;

        /// <summary>
        /// Fails the test (never skips it) when a peer tool is not installed, naming what installs it; the README's test
        /// command (build.ps1 test) installs every peer listed in tests/Peers.psd1 before the tests run.
        /// </summary>
        public static void Require(string tool)
        {
            if (!Environment.GetEnvironmentVariable("PATH")!.Split(':').Any(d => File.Exists(Path.Combine(d, tool))))
                throw new InvalidOperationException(tool + " is not installed: run the tests with ./build.ps1 test, which installs the peers in tests/Peers.psd1, or install it yourself.");
        }

        /// <summary>
        /// Starts openssl s_server (its "-accept 127.0.0.1:{port}" becomes a port the kernel chooses) or gnutls-serv ("{port}"
        /// becomes a free port, retried when taken) and returns once it listens (bounded; see <see cref="Tls.Peers"/>).
        /// </summary>
        public static PeerProcess Start(string tool, IEnumerable<string> args, string workDir)
        {
            Require(tool);
            var list = args.ToList();
            switch (tool)
            {
                case "openssl":
                    int accept = list.IndexOf("-accept");
                    if (list.Count < 2 || list[0] != "s_server" || accept < 0 || list[accept + 1] != "127.0.0.1:{port}")
                        throw new ArgumentException("expected: s_server -accept 127.0.0.1:{port} ...", nameof(args));
                    list.RemoveRange(accept, 2);
                    list.RemoveAt(0);
                    var (openssl, port) = Tls.Peers.OpenSsl(list, workDir);
                    return new PeerProcess(openssl, port);
                case "gnutls-serv":
                    var (gnutls, gnutlsPort) = Tls.Peers.GnuTls(list, workDir);
                    return new PeerProcess(gnutls, gnutlsPort);
                default:
                    throw new ArgumentException("no readiness signal known for " + tool, nameof(tool));
            }
        }

        public void Dispose() => _process.Dispose();
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
