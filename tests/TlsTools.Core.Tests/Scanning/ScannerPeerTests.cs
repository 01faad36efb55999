using TlsTools.Tls;
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using TlsTools.Pki;
using TlsTools.Scanning;
using Xunit;
using Xunit.Abstractions;

namespace TlsTools.Tests.Scanning
{
    [CollectionDefinition("ScanPeers", DisableParallelization = true)]
    public sealed class ScanPeersCollection { }

    /// <summary>Scans real peers (openssl s_server, gnutls-serv) on 127.0.0.1 and compares with the configuration and with sslscan.</summary>
    [Collection("ScanPeers")]
    public sealed class ScannerPeerTests : IDisposable
    {
        private readonly ITestOutputHelper _out;
        private readonly TestPki _pki = new TestPki();
        private readonly List<PeerProcess> _peers = new List<PeerProcess>();

        /// <summary>Only against a hang: far above any expected duration, far below the timeouts that would end a hung call.</summary>
        private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);

        public ScannerPeerTests(ITestOutputHelper output) => _out = output;

        public void Dispose()
        {
            foreach (var p in _peers) p.Dispose();
            _pki.Dispose();
        }

        private PeerProcess OpenSsl(params string[] args)
        {
            var all = new List<string> { "s_server", "-accept", "127.0.0.1:{port}", "-quiet" };
            all.AddRange(args);
            var p = PeerProcess.Start("openssl", all, _pki.Directory);
            _peers.Add(p);
            return p;
        }

        private static async Task<ServerProfile> Scan(int port, string? serverName = null)
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            return await TlsServerScanner.ScanAsync(new ScanOptions
            {
                HostName = "127.0.0.1", Port = port, ServerName = serverName, Timeout = TimeSpan.FromSeconds(5), MaxConcurrency = 8,
            }, null, cts.Token);
        }

        private static List<string> Names(ServerProfile p, TlsVersion v) =>
            p.CipherSuites.Where(c => c.TlsVersion == v).Select(c => c.OpenSslName ?? c.Name).ToList();

        private static List<string> Groups(ServerProfile p, TlsVersion v) =>
            p.NamedGroups.Where(g => g.TlsVersion == v).Select(g => g.Name).ToList();

        private void Dump(ServerProfile p, SslScanReport? s = null)
        {
            _out.WriteLine("versions: " + string.Join(",", p.TlsVersions) + "; " + p.ScanMilliseconds + " ms, " + p.ProbeCount + " probes");
            foreach (var c in p.CipherSuites) _out.WriteLine("  " + c.TlsVersion + " " + c.Name + " " + c.Strength + " " + c.StrengthReason);
            _out.WriteLine("groups: " + string.Join(",", p.NamedGroups) + " preferred " + p.PreferredNamedGroup);
            _out.WriteLine("sigalgs: " + string.Join(",", p.SignatureAlgorithms) + " alpn: " + string.Join(",", p.AlpnProtocols));
            foreach (var e in p.Errors) _out.WriteLine("error: " + e);
            foreach (var w in p.Warnings) _out.WriteLine("warning: " + w);
            if (s != null) _out.WriteLine("---- sslscan ----\n" + s.Text);
        }

        /// <summary>For TLS ≤ 1.2: the same versions, the same suites per version and the same TLS 1.2 groups as sslscan.</summary>
        private static void AssertSameAsSslScan(ServerProfile p, SslScanReport s, bool compareOrder, bool compareGroups = true)
        {
            foreach (var v in new[] { TlsVersion.Tls10, TlsVersion.Tls11, TlsVersion.Tls12 })
            {
                Assert.Equal(s.EnabledVersions.Contains(v), p.TlsVersions.Contains(v));
                // sslscan prints OpenSSL's name when its OpenSSL knows the suite, else the IANA name (from its own table).
                var ours = p.CipherSuites.Where(c => c.TlsVersion == v)
                    .Select(c => c.OpenSslName != null && SslScanReport.CanTest(c.OpenSslName) ? c.OpenSslName : c.Name).ToList();
                if (compareOrder) Assert.Equal(s.SuitesFor(v), ours);
                else Assert.Equal(s.SuitesFor(v).OrderBy(x => x), ours.OrderBy(x => x));
            }
            if (compareGroups)
                Assert.Equal(s.GroupsFor(TlsVersion.Tls12).OrderBy(x => x), Groups(p, TlsVersion.Tls12).OrderBy(x => x));
        }

        [Fact]
        public async Task Tls12OnlyNarrowSuitesServerPreference()
        {
            _pki.Issue("a", KeyAlgorithm.Rsa2048, "a.test");
            string[] order = { "ECDHE-RSA-AES256-GCM-SHA384", "ECDHE-RSA-CHACHA20-POLY1305", "ECDHE-RSA-AES128-GCM-SHA256", "AES128-SHA" };
            var server = OpenSsl("-cert", "a.crt", "-key", "a.key", "-cert_chain", "a-ca.crt", "-tls1_2", "-cipher", string.Join(":", order),
                "-serverpref", "-groups", "P-384:X25519", "-alpn", "h2,http/1.1");
            var p = await Scan(server.Port);
            var s = SslScanReport.Run(server.Port, TimeSpan.FromSeconds(60));
            Dump(p, s);

            Assert.Equal(new[] { TlsVersion.Tls12 }, p.TlsVersions);
            Assert.Equal(order, Names(p, TlsVersion.Tls12));
            Assert.True(p.ServerCipherPreference);
            Assert.Equal(new[] { "secp384r1", "x25519" }, Groups(p, TlsVersion.Tls12));
            Assert.Equal("secp384r1", p.PreferredNamedGroup);
            Assert.Equal(new[] { "h2", "http/1.1" }, p.AlpnProtocols);
            Assert.True(p.SecureRenegotiation);
            Assert.True(p.ExtendedMasterSecret);
            Assert.Null(p.SessionIdResumption);
            Assert.Contains("rsa_pss_rsae_sha256", p.SignatureAlgorithms);
            Assert.Contains("rsa_pkcs1_sha256", p.SignatureAlgorithms);
            Assert.All(p.SignatureAlgorithms, a => Assert.StartsWith("rsa_", a));
            var chain = Assert.Single(p.CertificateChains);
            Assert.Equal(2, chain.Certificates.Count);
            Assert.True(chain.WithoutSni);
            var aes128Sha = p.CipherSuites.Single(c => c.Name == "TLS_RSA_WITH_AES_128_CBC_SHA");
            Assert.Equal(CipherSuiteStrength.Weak, aes128Sha.Strength);
            Assert.Contains("forward secrecy", aes128Sha.StrengthReason);
            Assert.Empty(p.Errors);
            AssertSameAsSslScan(p, s, compareOrder: true);
        }

        [Fact]
        public async Task Tls13OnlyRestrictedSuitesAndGroups()
        {
            _pki.Issue("b", KeyAlgorithm.EcdsaP256, "b.test");
            var server = OpenSsl("-cert", "b.crt", "-key", "b.key", "-tls1_3", "-ciphersuites", "TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256",
                "-groups", "P-384:X448:ffdhe3072");
            var p = await Scan(server.Port);
            var s = SslScanReport.Run(server.Port, TimeSpan.FromSeconds(60));
            Dump(p, s);

            Assert.Equal(new[] { TlsVersion.Tls13 }, p.TlsVersions);
            Assert.Equal(new[] { "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256" }, Names(p, TlsVersion.Tls13).OrderBy(x => x));
            // OpenSSL answers HelloRetryRequest with the first group of its own list.
            Assert.Equal(new[] { "secp384r1", "x448", "ffdhe3072" }, Groups(p, TlsVersion.Tls13));
            Assert.Equal("secp384r1", p.PreferredNamedGroup);
            Assert.Empty(p.CertificateChains);
            Assert.Null(p.SecureRenegotiation);
            Assert.Contains(p.Warnings, w => w.Contains("No TLS 1.2 or older handshake"));
            Assert.Empty(p.Errors);
            Assert.Equal(s.SuitesFor(TlsVersion.Tls13).OrderBy(x => x), Names(p, TlsVersion.Tls13).OrderBy(x => x));
            Assert.Equal(s.GroupsFor(TlsVersion.Tls13).OrderBy(x => x), Groups(p, TlsVersion.Tls13).OrderBy(x => x));
            AssertSameAsSslScan(p, s, compareOrder: false);
        }

        [Fact]
        public async Task MixedLegacyServerMatchesSslScan()
        {
            _pki.Issue("c", KeyAlgorithm.Rsa2048, "c.test");
            // OpenSSL 3.0 on this box has no 3DES suites at all (openssl ciphers lists none), so 3DES is covered by gnutls below.
            var server = OpenSsl("-cert", "c.crt", "-key", "c.key", "-cipher", "ALL:@SECLEVEL=0", "-min_protocol", "TLSv1");
            var p = await Scan(server.Port);
            var s = SslScanReport.Run(server.Port, TimeSpan.FromSeconds(60));
            Dump(p, s);

            Assert.Equal(new[] { TlsVersion.Tls10, TlsVersion.Tls11, TlsVersion.Tls12, TlsVersion.Tls13 }, p.TlsVersions);
            Assert.False(p.ServerCipherPreference);
            Assert.True(p.FallbackScsv);
            AssertSameAsSslScan(p, s, compareOrder: false);
            Assert.Equal(s.SuitesFor(TlsVersion.Tls13).OrderBy(x => x), Names(p, TlsVersion.Tls13).OrderBy(x => x));
            Assert.Equal(s.GroupsFor(TlsVersion.Tls13).OrderBy(x => x), Groups(p, TlsVersion.Tls13).OrderBy(x => x));
            Assert.All(p.CipherSuites.Where(c => c.Authentication == "anon"), c => Assert.Equal(CipherSuiteStrength.Insecure, c.Strength));
            Assert.All(p.CipherSuites.Where(c => c.TlsVersion == TlsVersion.Tls10 && c.Encryption.EndsWith("_CBC")),
                c => Assert.NotEqual(CipherSuiteStrength.Secure, c.Strength));
            Assert.Empty(p.Errors);
        }

        [Fact]
        public async Task EcdsaOnlyServer()
        {
            _pki.Issue("d", KeyAlgorithm.EcdsaP256, "d.test");
            var server = OpenSsl("-cert", "d.crt", "-key", "d.key", "-tls1_2",
                "-cipher", "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-SHA:ECDHE-RSA-AES128-GCM-SHA256:AES128-GCM-SHA256");
            var p = await Scan(server.Port);
            var s = SslScanReport.Run(server.Port, TimeSpan.FromSeconds(60));
            Dump(p, s);

            Assert.Equal(new[] { "ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES256-SHA" }, Names(p, TlsVersion.Tls12).OrderBy(x => x));
            Assert.All(p.CipherSuites, c => Assert.Equal("ECDSA", c.Authentication));
            Assert.Contains("ecdsa_secp256r1_sha256", p.SignatureAlgorithms);
            Assert.All(p.SignatureAlgorithms, a => Assert.StartsWith("ecdsa_", a));
            // In TLS 1.2 supported_groups also names the certificate's curve: offered alone, only P-256 works; offered with
            // P-256 (issue 13), every group of the server shows. sslscan offers each alone and lists P-256 only.
            Assert.Equal(new[] { "secp256r1", "secp384r1", "secp521r1", "x25519", "x448" }, Groups(p, TlsVersion.Tls12).OrderBy(x => x));
            Assert.Equal(new[] { "secp256r1" }, s.GroupsFor(TlsVersion.Tls12));
            AssertSameAsSslScan(p, s, compareOrder: false, compareGroups: false);
            Assert.Empty(p.Errors);
        }

        [Fact]
        public async Task RsaOnlyServerWithSniCertificate()
        {
            var (leafA, _) = _pki.Issue("e", KeyAlgorithm.Rsa2048, "e.test");
            var (leafB, _) = _pki.Issue("f", KeyAlgorithm.Rsa2048, "sni.test");
            var server = OpenSsl("-cert", "e.crt", "-key", "e.key", "-servername", "sni.test", "-cert2", "f.crt", "-key2", "f.key", "-tls1_2",
                "-cipher", "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384");
            var p = await Scan(server.Port, "sni.test");
            var s = SslScanReport.Run(server.Port, TimeSpan.FromSeconds(60), "sni.test");
            Dump(p, s);

            Assert.Equal(new[] { "DHE-RSA-AES256-GCM-SHA384", "ECDHE-RSA-AES128-GCM-SHA256" }, Names(p, TlsVersion.Tls12).OrderBy(x => x));
            Assert.All(p.CipherSuites, c => Assert.Equal("RSA", c.Authentication));
            Assert.All(p.SignatureAlgorithms, a => Assert.StartsWith("rsa_", a));
            Assert.Equal(2, p.CertificateChains.Count);
            var withSni = p.CertificateChains.Single(c => c.ServerNames.Contains("sni.test"));
            var without = p.CertificateChains.Single(c => c.WithoutSni);
            Assert.Equal(leafB.GetRawData(), withSni.Certificates[0]);
            Assert.Equal(leafA.GetRawData(), without.Certificates[0]);
            // sslscan's group test does not use --sni-name and this s_server refuses other names: it lists no groups.
            AssertSameAsSslScan(p, s, compareOrder: false, compareGroups: false);
            Assert.Equal(new[] { "secp256r1", "secp384r1", "secp521r1", "x25519", "x448" }, Groups(p, TlsVersion.Tls12).OrderBy(x => x));
            Assert.Empty(p.Errors);
        }

        [Fact]
        public async Task GnuTlsServerWith3Des()
        {
            _pki.Issue("g", KeyAlgorithm.Rsa2048, "g.test");
            // gnutls-serv has no bind-address option: it listens on the wildcard address; the scan connects to 127.0.0.1 only.
            var server = PeerProcess.Start("gnutls-serv", new[]
            {
                "--port", "{port}", "--x509certfile", "g.crt", "--x509keyfile", "g.key",
                "--priority", "NORMAL:-VERS-ALL:+VERS-TLS1.2:+VERS-TLS1.1:+3DES-CBC:%SERVER_PRECEDENCE",
            }, _pki.Directory);
            _peers.Add(server);
            var p = await Scan(server.Port);
            var s = SslScanReport.Run(server.Port, TimeSpan.FromSeconds(90));
            Dump(p, s);

            Assert.Equal(new[] { TlsVersion.Tls11, TlsVersion.Tls12 }, p.TlsVersions);
            Assert.True(p.ServerCipherPreference);
            var des3 = p.CipherSuites.Where(c => c.Encryption == "3DES_EDE_CBC").ToList();
            Assert.Contains(des3, c => c.Name == "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA" && c.TlsVersion == TlsVersion.Tls12);
            Assert.Contains(des3, c => c.Name == "TLS_RSA_WITH_3DES_EDE_CBC_SHA" && c.TlsVersion == TlsVersion.Tls11);
            Assert.All(des3, c => Assert.Contains("SWEET32", c.StrengthReason));
            Assert.All(des3, c => Assert.NotEqual(CipherSuiteStrength.Secure, c.Strength));
            AssertSameAsSslScan(p, s, compareOrder: false);
        }

        [Fact]
        public async Task UnreachablePortIsConnectionError()
        {
            using var refused = new Tls.RefusedPort();
            var e = await Assert.ThrowsAsync<TlsToolsException>(() => Scan(refused.Port));
            Assert.Equal(ErrorKind.ConnectionError, e.Kind);
            Assert.Equal("ConnectionRefused", e.ErrorId);
        }

        [Fact]
        public async Task SilentServerTimesOutWithoutHanging()
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start(100);
            var held = new List<Socket>();
            using var stop = new CancellationTokenSource();
            var accepting = Task.Run(async () =>
            {
                try { while (true) held.Add(await listener.AcceptSocketAsync(stop.Token)); }
                catch (OperationCanceledException) { }
                catch (SocketException) { }
            });
            try
            {
                // A probe timeout of 400 ms: the scan ends because its probes time out (it finds nothing, and says why).
                var scan = TlsServerScanner.ScanAsync(new ScanOptions
                {
                    HostName = "127.0.0.1", Port = ((IPEndPoint)listener.LocalEndpoint).Port, Timeout = TimeSpan.FromMilliseconds(400),
                });
                Assert.True(await Task.WhenAny(scan, Task.Delay(HangGuard)) == scan, "the scan hung: not done after " + HangGuard);
                var p = await scan;
                Assert.Empty(p.TlsVersions);
                Assert.Contains(p.Errors, e => e.Contains("Timeout"));

                // A probe timeout of 5 minutes, cancelled after 200 ms: it ends because of the cancellation, not a timeout.
                using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
                var cancelled = TlsServerScanner.ScanAsync(new ScanOptions
                {
                    HostName = "127.0.0.1", Port = ((IPEndPoint)listener.LocalEndpoint).Port, Timeout = TimeSpan.FromMinutes(5),
                }, null, cts.Token);
                Assert.True(await Task.WhenAny(cancelled, Task.Delay(HangGuard)) == cancelled, "cancellation did not end the scan within " + HangGuard);
                await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
            }
            finally
            {
                stop.Cancel();
                listener.Stop();
                await accepting;
                foreach (var s in held) s.Dispose();
            }
        }
    }
}
