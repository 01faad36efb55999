using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using TlsTools.Net;
using TlsTools.Pki;
using TlsTools.Scanning;
using TlsTools.Scanning.Wire;
using TlsTools.Tls;
using Xunit;

namespace TlsTools.Tests.Scanning
{
    /// <summary>The client-initiated renegotiation probe against real peers: openssl s_server -client_renegotiation and gnutls-serv
    /// renegotiate, a default openssl s_server refuses; a silent server is bounded by the timeout and the token.</summary>
    [Collection("ScanPeers")]
    public sealed class RenegotiationProbeTests : IDisposable
    {
        private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
        private readonly TestPki _pki = new TestPki();
        private readonly List<PeerProcess> _peers = new List<PeerProcess>();

        public RenegotiationProbeTests() => _pki.Issue("r", KeyAlgorithm.Rsa2048, "r.test");

        public void Dispose()
        {
            foreach (var p in _peers) p.Dispose();
            _pki.Dispose();
        }

        private int Start(string tool, params string[] args)
        {
            var p = PeerProcess.Start(tool, args, _pki.Directory);
            _peers.Add(p);
            return p.Port;
        }

        private int OpenSsl(params string[] args) =>
            Start("openssl", new[] { "s_server", "-accept", "127.0.0.1:{port}", "-quiet", "-cert", "r.crt", "-key", "r.key", "-www" }.Concat(args).ToArray());

        private static ServerProfileReport Report(params TlsVersion[] versions) => new ServerProfileReport
        {
            TlsVersions = versions.ToList(),
            SecureRenegotiation = true,
            CipherSuites = versions.Select(v => new CipherSuiteEntry
            {
                TlsVersion = v, Code = v == TlsVersion.Tls12 ? 0xC02F : 0xC013, // ECDHE-RSA-AES128-GCM-SHA256 / ECDHE-RSA-AES128-SHA
            }).ToList(),
        };

        private static Task<ProbeVerdict> Probe(ServerProfileReport report, int port, CancellationToken token = default) =>
            RenegotiationProbe.RunAsync(report, TlsTarget.Create("127.0.0.1", port, "r.test"), Timeout, token);

        [Fact]
        public async Task OpenSsl_with_client_renegotiation_renegotiates()
        {
            var v = await Probe(Report(TlsVersion.Tls12), OpenSsl("-no_tls1_3", "-client_renegotiation"));
            Assert.True(v.Vulnerable, string.Join("; ", v.Evidence));
            Assert.StartsWith("TLS 1.2: the server answered", Assert.Single(v.Evidence));
            Assert.Contains("handshake record", v.Evidence[0]);
        }

        [Fact]
        public async Task Default_OpenSsl_refuses_with_an_alert()
        {
            var v = await Probe(Report(TlsVersion.Tls12), OpenSsl("-no_tls1_3"));
            Assert.False(v.Vulnerable, string.Join("; ", v.Evidence));
            Assert.Contains("TLS 1.2: the server answered the renegotiation ClientHello with an alert", Assert.Single(v.Evidence));
        }

        [Fact]
        public async Task OpenSsl_TLS10_only_is_probed_with_TLS10()
        {
            var v = await Probe(Report(TlsVersion.Tls10), OpenSsl("-tls1", "-client_renegotiation", "-cipher", "DEFAULT:@SECLEVEL=0"));
            Assert.True(v.Vulnerable, string.Join("; ", v.Evidence));
            Assert.StartsWith("TLS 1.0: ", Assert.Single(v.Evidence));
        }

        [Fact]
        public async Task The_handshake_offers_the_suites_the_server_accepted()
        {
            // ECDHE-RSA-AES256-SHA384 is not among the client's defaults: only the report's suites make this handshake work.
            Assert.DoesNotContain(0xC028, ClientDefaults.Suites);
            var r = Report(TlsVersion.Tls12);
            r.CipherSuites[0].Code = 0xC028;
            var v = await Probe(r, OpenSsl("-no_tls1_3", "-client_renegotiation", "-cipher", "ECDHE-RSA-AES256-SHA384"));
            Assert.True(v.Vulnerable, string.Join("; ", v.Evidence));
        }

        [Fact]
        public async Task GnuTls_serv_renegotiates_by_default()
        {
            // GnuTLS servers accept a (safe) renegotiation the client starts; gnutls-serv logs "Received hello message" again.
            int port = Start("gnutls-serv", "--port", "{port}", "--x509certfile", "r.crt", "--x509keyfile", "r.key",
                "--priority", "NORMAL:-VERS-ALL:+VERS-TLS1.2");
            var v = await Probe(Report(TlsVersion.Tls12), port);
            Assert.True(v.Vulnerable, string.Join("; ", v.Evidence));
        }

        [Fact]
        public async Task A_server_without_secure_renegotiation_or_TLS12_is_not_probed()
        {
            var r = Report(TlsVersion.Tls12);
            r.SecureRenegotiation = false;
            var v = await Probe(r, 1); // no connection is made: port 1 would refuse
            Assert.Null(v.Vulnerable);
            Assert.Contains("NoSecureRenegotiation", v.Evidence.Single());
            v = await Probe(Report(TlsVersion.Tls13), 1);
            Assert.Null(v.Vulnerable);
            Assert.Contains("TLS <= 1.2", v.Evidence.Single());
        }

        [Fact]
        public async Task A_silent_server_is_bounded_by_the_timeout_and_the_token()
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var held = new List<Socket>();
            var accepting = Task.Run(async () => { while (true) held.Add(await listener.AcceptSocketAsync()); });
            try
            {
                int port = ((IPEndPoint)listener.LocalEndpoint).Port;
                var sw = Stopwatch.StartNew();
                var v = await RenegotiationProbe.RunAsync(Report(TlsVersion.Tls12), TlsTarget.Create("127.0.0.1", port, "r.test"), TimeSpan.FromSeconds(1), default);
                Assert.Null(v.Vulnerable);
                Assert.Contains("the handshake did not complete within 1 s", v.Evidence.Single());
                Assert.InRange(sw.Elapsed.TotalSeconds, 0.9, 8);

                using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
                sw.Restart();
                await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Probe(Report(TlsVersion.Tls12), port, cts.Token));
                Assert.InRange(sw.Elapsed.TotalSeconds, 0.2, 5);
            }
            finally
            {
                listener.Stop();
                foreach (var s in held) s.Dispose();
            }
        }

        [Theory]
        [InlineData("Record", 22, true)]
        [InlineData("Record", 21, false)]
        [InlineData("Closed", 0, false)]
        [InlineData("Quiet", 0, null)]
        [InlineData("Malformed", 0, null)]
        public void The_first_record_after_the_ClientHello_decides(string e, int type, bool? vulnerable)
        {
            var a = RenegotiationProbe.Answer((RecordEvent)Enum.Parse(typeof(RecordEvent), e), type);
            Assert.NotNull(a);
            Assert.Equal(vulnerable, a!.Value.Vulnerable);
            Assert.Null(RenegotiationProbe.Answer(RecordEvent.Record, 23)); // application data: read on
        }

        [Fact]
        public void The_renegotiation_ClientHello_carries_the_verify_data_and_no_SCSV()
        {
            var verify = Enumerable.Range(1, 12).Select(i => (byte)i).ToArray();
            var hs = ClientHelloCodec.BuildHandshake(new ClientHelloSpec
            {
                Version = TlsVersion.Tls12, CipherSuites = new List<int> { 0xC02F }, RenegotiatedConnection = verify,
            });
            Assert.Equal(1, hs[0]);
            var ext = new byte[] { 0xFF, 0x01, 0, 13, 12 }.Concat(verify).ToArray();
            Assert.True(Contains(hs, ext), "renegotiation_info with the 12-byte verify_data");
            // type, length (3), version (2), random (32), empty session id (1): then the suites, only the one offered (no SCSV).
            Assert.Equal(new byte[] { 0, 2, 0xC0, 0x2F }, hs.Skip(39).Take(4).ToArray());
        }

        private static bool Contains(byte[] haystack, byte[] needle)
        {
            for (int i = 0; i + needle.Length <= haystack.Length; i++)
                if (haystack.Skip(i).Take(needle.Length).SequenceEqual(needle)) return true;
            return false;
        }
    }
}
