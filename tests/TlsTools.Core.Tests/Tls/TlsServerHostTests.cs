using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using TlsTools.Pki;
using TlsTools.Tls;
using Xunit;
using Xunit.Abstractions;

namespace TlsTools.Tests.Tls
{
    /// <summary>TlsServerHost answering openssl s_client, gnutls-cli and TlsClientRunner on 127.0.0.1.</summary>
    public class TlsServerHostTests
    {
        private readonly ITestOutputHelper _out;

        public TlsServerHostTests(ITestOutputHelper output) => _out = output;

        private static TlsServerHost Start(KeyAlgorithm alg, Action<TlsServerOptions>? more = null)
        {
            var o = new TlsServerOptions { Certificate = TestPki.Leaf(alg).Cert };
            more?.Invoke(o);
            return TlsServerHost.Start(o);
        }

        private string SClient(int port, params string[] extra)
        {
            var args = new List<string> { "s_client", "-connect", "127.0.0.1:" + port, "-servername", "localhost", "-ign_eof", "-CAfile", TestPki.CaPath };
            args.AddRange(extra);
            using var p = new PeerProcess("openssl", args);
            p.CloseInput();
            Assert.True(p.WaitForExit(20000), "s_client did not finish");
            p.WaitForExit(500);
            var output = p.Output;
            _out.WriteLine(p.CommandLine + "\n" + output);
            return output;
        }

        [Theory]
        [InlineData(KeyAlgorithm.EcdsaP256, "-tls1_2", "TLSv1.2")]
        [InlineData(KeyAlgorithm.EcdsaP256, "-tls1_3", "TLSv1.3")]
        [InlineData(KeyAlgorithm.EcdsaP384, "-tls1_3", "TLSv1.3")]
        [InlineData(KeyAlgorithm.Rsa2048, "-tls1_2", "TLSv1.2")]
        [InlineData(KeyAlgorithm.Rsa2048, "-tls1_3", "TLSv1.3")]
        [InlineData(KeyAlgorithm.Ed25519, "-tls1_2", "TLSv1.2")]
        [InlineData(KeyAlgorithm.Ed25519, "-tls1_3", "TLSv1.3")]
        public void OpenSslClient_Connects(KeyAlgorithm alg, string flag, string protocol)
        {
            using var host = Start(alg);
            var output = SClient(host.Port, flag);
            Assert.Contains("New, " + protocol + ", Cipher is", output);
            Assert.Contains("Verify return code: 0 (ok)", output);
            Assert.Contains("Hello from TlsTools", output);
            Assert.True(SpinWait.SpinUntil(() => host.RecentConnections.Length == 1, 3000));
            Assert.Equal(1, host.HandshakesCompleted);
            Assert.Equal("localhost", host.RecentConnections.Single().ServerName);
        }

        [Fact]
        public void OpenSslClient_Alpn()
        {
            using var host = Start(KeyAlgorithm.EcdsaP256, o => o.Alpn = new[] { "h2", "http/1.1" });
            var output = SClient(host.Port, "-alpn", "http/1.1");
            Assert.Contains("ALPN protocol: http/1.1", output);
            Assert.True(SpinWait.SpinUntil(() => host.RecentConnections.Length == 1, 3000));
            Assert.Equal("http/1.1", host.RecentConnections.Single().Alpn);
        }

        [Theory]
        [InlineData("-tls1_2")]
        [InlineData("-tls1_3")]
        public void OpenSslClient_ClientCertificateRequired(string flag)
        {
            var client = TestPki.Leaf(KeyAlgorithm.EcdsaP256, "client.test", CertificateProfile.Client);
            using var host = Start(KeyAlgorithm.EcdsaP256, o => { o.RequireClientCertificate = true; o.TrustedRoots = new[] { TestPki.Ca }; });
            var withCert = SClient(host.Port, flag, "-cert", client.CertPath, "-key", client.KeyPath);
            Assert.Contains("client certificate CN=client.test", withCert);
            var without = SClient(host.Port, flag);
            Assert.DoesNotContain("Hello from TlsTools", without);
            SpinWait.SpinUntil(() => host.HandshakesFailed >= 1, 3000);
            Assert.Equal(1, host.HandshakesCompleted);
            Assert.Equal(1, host.HandshakesFailed);
            Assert.Contains(host.RecentConnections, c => !c.Success && (c.Alert == "certificate_required" || c.Alert == "handshake_failure"));
        }

        [Fact]
        public void GnuTlsClient_Connects_IfInstalled()
        {
            if (!File.Exists("/usr/bin/gnutls-cli")) { _out.WriteLine("gnutls-cli not installed; skipped"); return; }
            using var host = Start(KeyAlgorithm.EcdsaP256, o => o.Alpn = new[] { "h2" });
            foreach (var prio in new[] { "NORMAL:-VERS-ALL:+VERS-TLS1.3", "NORMAL:-VERS-ALL:+VERS-TLS1.2" })
            {
                using var p = new PeerProcess("gnutls-cli", new[] { "--x509cafile", TestPki.CaPath, "--priority", prio, "--alpn", "h2", "-p", host.Port.ToString(), "localhost" });
                Thread.Sleep(0);
                Assert.True(p.WaitForOutput("Hello from TlsTools", 15000), p.Output);
                _out.WriteLine(p.Output);
                Assert.Contains("Handshake was completed", p.Output);
                Assert.Contains(prio.EndsWith("1.3") ? "TLS1.3" : "TLS1.2", p.Output);
            }
        }

        [Theory]
        [InlineData(TlsVersion.Tls12)]
        [InlineData(TlsVersion.Tls13)]
        public async Task OurClient_AgainstOurServer_WithClientCertificate(TlsVersion version)
        {
            var client = TestPki.Leaf(KeyAlgorithm.Rsa2048, "client.test", CertificateProfile.Client);
            using var host = Start(KeyAlgorithm.Rsa2048, o => { o.RequireClientCertificate = true; o.TrustedRoots = new[] { TestPki.Ca }; o.Alpn = new[] { "h2" }; });
            var r = await new TlsClientRunner().HandshakeAsync(new HandshakeOptions
            {
                HostName = "127.0.0.1", Port = host.Port, TlsVersions = new[] { version }, ClientCertificate = client.Cert, Alpn = new[] { "h2" },
            }, CancellationToken.None);
            _out.WriteLine(LadderDiagram.Render(r.Transcript));
            Assert.True(r.Success, r.Error);
            Assert.Equal(version, r.TlsVersion);
            Assert.Equal("h2", r.Alpn);
            if (version == TlsVersion.Tls13) Assert.StartsWith("rsa_pss_rsae_", r.SignatureAlgorithm);
            Assert.True(SpinWait.SpinUntil(() => host.RecentConnections.Length == 1, 3000));
            Assert.Equal("CN=client.test", host.RecentConnections[0].ClientCertificateSubject);

            var refused = await new TlsClientRunner().HandshakeAsync(new HandshakeOptions { HostName = "127.0.0.1", Port = host.Port, TlsVersions = new[] { version } }, CancellationToken.None);
            Assert.False(refused.Success);
            Assert.Equal(version == TlsVersion.Tls13 ? "certificate_required" : "handshake_failure", refused.Alert);
        }

        [Fact]
        public async Task ManyParallelHandshakes_AllSucceed()
        {
            using var host = Start(KeyAlgorithm.EcdsaP256);
            var runner = new TlsClientRunner();
            using var gate = new SemaphoreSlim(20);
            var sw = Stopwatch.StartNew();
            var tasks = Enumerable.Range(0, 200).Select(async i =>
            {
                await gate.WaitAsync();
                try
                {
                    return await runner.HandshakeAsync(new HandshakeOptions { HostName = "127.0.0.1", Port = host.Port, SessionTicketWait = TimeSpan.Zero, CaptureTranscript = false }, CancellationToken.None);
                }
                finally { gate.Release(); }
            }).ToArray();
            var results = await Task.WhenAll(tasks);
            _out.WriteLine("200 handshakes, 20 parallel: " + sw.ElapsedMilliseconds + " ms");
            Assert.All(results, r => Assert.True(r.Success, r.Error));
            Assert.True(SpinWait.SpinUntil(() => host.HandshakesCompleted == 200, 5000), "server counted " + host.HandshakesCompleted);
        }

        [Fact]
        public async Task Stop_ClosesTheListener()
        {
            var host = Start(KeyAlgorithm.EcdsaP256);
            int port = host.Port;
            host.Dispose();
            Assert.False(host.IsRunning);
            var r = await new TlsClientRunner().HandshakeAsync(new HandshakeOptions { HostName = "127.0.0.1", Port = port, Timeout = TimeSpan.FromSeconds(3) }, CancellationToken.None);
            Assert.False(r.Success);
            Assert.Equal(ErrorKind.ConnectionError, r.ErrorKind);
        }

        [Fact]
        public void CertificateWithoutKey_IsRefused()
        {
            var e = Assert.Throws<TlsToolsException>(() => TlsServerHost.Start(new TlsServerOptions { Certificate = TestPki.Ca.WithoutPrivateKey() }));
            Assert.Equal("CertificateHasNoKey", e.ErrorId);
        }
    }
}
