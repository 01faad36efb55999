using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using TlsTools.Pki;
using TlsTools.Tls;
using Xunit;
using Xunit.Abstractions;

namespace TlsTools.Tests.Tls
{
    /// <summary>TlsClientRunner against openssl s_server (and small fake servers for faults), all on 127.0.0.1.</summary>
    public class TlsClientRunnerTests
    {
        private readonly ITestOutputHelper _out;

        public TlsClientRunnerTests(ITestOutputHelper output) => _out = output;

        internal static HandshakeOptions Opt(int port, Action<HandshakeOptions>? more = null)
        {
            var o = new HandshakeOptions { HostName = "127.0.0.1", Port = port, Timeout = TimeSpan.FromSeconds(15) };
            more?.Invoke(o);
            return o;
        }

        private async Task<HandshakeResult> Run(HandshakeOptions o)
        {
            var r = await new TlsClientRunner().HandshakeAsync(o, CancellationToken.None);
            _out.WriteLine(r + " [" + r.ErrorKind + "/" + r.ErrorId + "/" + r.Alert + "]");
            _out.WriteLine(LadderDiagram.Render(r.Transcript));
            return r;
        }

        private static string[] Order(HandshakeResult r, bool withCcs = true) =>
            r.Transcript.Where(m => withCcs || m.Type != TranscriptMessageType.ChangeCipherSpec).Select(m => m.Sender + ":" + m.Type).ToArray();

        private static readonly string[] Tls12Full =
        {
            "Client:ClientHello", "Server:ServerHello", "Server:Certificate", "Server:ServerKeyExchange", "Server:ServerHelloDone",
            "Client:ClientKeyExchange", "Client:ChangeCipherSpec", "Client:Finished", "Server:ChangeCipherSpec", "Server:Finished",
        };

        private static readonly string[] Tls13Full =
        {
            "Client:ClientHello", "Server:ServerHello", "Server:EncryptedExtensions", "Server:Certificate",
            "Server:CertificateVerify", "Server:Finished", "Client:Finished",
        };

        [Fact]
        public async Task TestHostLoadsTheShippingNetStandardBuilds_AndSeesTheClientsMessages()
        {
            // Users run the netstandard2.0 builds of the core and of BouncyCastle (the module loads them in its own load
            // context); this net10.0 host must load the same ones, not BouncyCastle's net6.0 build, whose span-based
            // record writers the core does not override (the client's messages would vanish from the transcript).
            string Tfm(Assembly a) => a.GetCustomAttribute<System.Runtime.Versioning.TargetFrameworkAttribute>()!.FrameworkName;
            Assert.Equal(".NETStandard,Version=v2.0", Tfm(typeof(TlsClientRunner).Assembly));
            Assert.Equal(".NETStandard,Version=v2.0", Tfm(typeof(Org.BouncyCastle.Tls.TlsProtocol).Assembly));
            Assert.Null(typeof(Org.BouncyCastle.Tls.TlsProtocol).GetMethod("WriteRecord", BindingFlags.Instance | BindingFlags.NonPublic,
                null, new[] { typeof(short), typeof(ReadOnlySpan<byte>) }, null));

            using var server12 = new OpenSslServer(KeyAlgorithm.EcdsaP256, "-tls1_2");
            var r12 = await Run(Opt(server12.Port));
            Assert.True(r12.Success, r12.Error);
            Assert.Equal(Tls12Full, Order(r12));
            using var server13 = new OpenSslServer(KeyAlgorithm.EcdsaP256, "-tls1_3");
            var r13 = await Run(Opt(server13.Port));
            Assert.True(r13.Success, r13.Error);
            Assert.Equal(Tls13Full, Order(r13, withCcs: false).Take(7).ToArray());
        }

        [Fact]
        public async Task Tls12_EcdheRsa_FullTranscriptInOrder_OutgoingCaptured()
        {
            using var server = new OpenSslServer(KeyAlgorithm.Rsa2048, "-tls1_2");
            var r = await Run(Opt(server.Port));
            Assert.True(r.Success, r.Error);
            Assert.Equal(TlsVersion.Tls12, r.TlsVersion);
            Assert.StartsWith("TLS_ECDHE_RSA_WITH_", r.CipherSuite);
            Assert.Equal("ECDHE", r.KeyExchange);
            Assert.Equal("x25519", r.NamedGroup);
            Assert.NotNull(r.SignatureAlgorithm);
            Assert.Equal(Tls12Full, Order(r));
            var ch = r.Transcript[0];
            Assert.Equal(Sender.Client, ch.Sender);
            Assert.Null(ch.DecodeError);
            Assert.Equal(64, ((string)ch.Fields["Random"]!).Length);
            Assert.Contains("x25519 public key", r.Transcript.Single(m => m.Type == TranscriptMessageType.ClientKeyExchange).Explanation);
            Assert.All(r.Transcript, m => Assert.Null(m.DecodeError));
            Assert.Single(r.Certificates);
            Assert.Equal(server.Leaf, r.Certificates[0]);
            Assert.True(r.ConnectMilliseconds >= 0 && r.HandshakeMilliseconds > 0);
        }

        [Fact]
        public async Task Tls12_EcdheEcdsa()
        {
            using var server = new OpenSslServer(KeyAlgorithm.EcdsaP256, "-tls1_2");
            var r = await Run(Opt(server.Port));
            Assert.True(r.Success, r.Error);
            Assert.StartsWith("TLS_ECDHE_ECDSA_WITH_", r.CipherSuite);
            Assert.Equal("ecdsa_secp256r1_sha256", r.SignatureAlgorithm);
            Assert.Equal(Tls12Full, Order(r));
        }

        [Fact]
        public async Task Tls13_FullTranscriptInOrder_WithNewSessionTicket()
        {
            using var server = new OpenSslServer(KeyAlgorithm.EcdsaP256, "-tls1_3");
            var r = await Run(Opt(server.Port));
            Assert.True(r.Success, r.Error);
            Assert.Equal(TlsVersion.Tls13, r.TlsVersion);
            Assert.Equal("ecdsa_secp256r1_sha256", r.SignatureAlgorithm);
            var order = Order(r, withCcs: false);
            Assert.Equal(Tls13Full, order.Take(7).ToArray());
            Assert.Contains("Server:NewSessionTicket", order.Skip(7));
            var nst = r.Transcript.First(m => m.Type == TranscriptMessageType.NewSessionTicket);
            Assert.True((long)nst.Fields["LifetimeSeconds"]! > 0);
            Assert.True((int)nst.Fields["TicketLength"]! > 0);
            Assert.All(r.Transcript, m => Assert.Null(m.DecodeError));
            Assert.Contains("verifies the signature with the public key", r.Transcript.Single(m => m.Type == TranscriptMessageType.CertificateVerify).Explanation);
            // The flight was judged over from what arrived, not by the bound running out.
            Assert.Equal(TicketWaitReason.FlightComplete, r.TicketWaitReason);
            Assert.Equal(r.Transcript.Count(m => m.Type == TranscriptMessageType.NewSessionTicket), r.NewSessionTickets);
            Assert.InRange(r.NewSessionTickets, 1, 2);
        }

        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public async Task Tls13_TicketFlight_CountedWithOrWithoutTranscript(bool transcript)
        {
            using var server = new OpenSslServer(KeyAlgorithm.EcdsaP256, "-tls1_3", "-num_tickets", "4");
            var r = await Run(Opt(server.Port, o => o.CaptureTranscript = transcript));
            Assert.True(r.Success, r.Error);
            _out.WriteLine(r.NewSessionTickets + " tickets, " + r.TicketWaitReason + " after " + r.TicketWaitMilliseconds + " ms");
            Assert.Equal(TicketWaitReason.FlightComplete, r.TicketWaitReason);
            Assert.InRange(r.NewSessionTickets, 1, 4);
            if (transcript) Assert.Equal(r.Transcript.Count(m => m.Type == TranscriptMessageType.NewSessionTicket), r.NewSessionTickets);
            else Assert.Empty(r.Transcript);
        }

        [Fact]
        public async Task Tls13_TicketRecordsSplitAcrossReads_TheWholeFlightIsRead()
        {
            // Both tickets reach the client in 100-byte pieces 20 ms apart, the first ticket's record ending inside a piece
            // that also starts the second: a quiet-gap rule stops after one ticket; the record boundary rule reads both.
            using var server = new OpenSslServer(KeyAlgorithm.EcdsaP256, "-tls1_3", "-num_tickets", "2");
            using var proxy = new ChunkingProxy(server.Port, chunk: 100, gapMs: 20);
            var r = await Run(Opt(proxy.Port, o => o.SessionTicketWait = TimeSpan.FromSeconds(5)));
            Assert.True(r.Success, r.Error);
            _out.WriteLine(r.NewSessionTickets + " tickets, " + r.TicketWaitReason + " after " + r.TicketWaitMilliseconds + " ms");
            Assert.Equal(TicketWaitReason.FlightComplete, r.TicketWaitReason);
            Assert.Equal(2, r.NewSessionTickets);
        }

        [Fact]
        public async Task Tls13_CountingTickets_WaitsOutTheGapsBetweenThemButNotTheWholeBound()
        {
            // The scanner's count (CountAllTickets): four tickets reach the client in 100-byte pieces 20 ms apart, so the
            // socket is empty at record boundaries between them. The count goes on until nothing comes for
            // TicketFlight.CountSettle (100 ms), then ends, long before the 5 s bound.
            using var server = new OpenSslServer(KeyAlgorithm.EcdsaP256, "-tls1_3", "-num_tickets", "4");
            using var proxy = new ChunkingProxy(server.Port, chunk: 100, gapMs: 20);
            var r = await Run(Opt(proxy.Port, o => { o.SessionTicketWait = TimeSpan.FromSeconds(5); o.CountAllTickets = true; }));
            Assert.True(r.Success, r.Error);
            _out.WriteLine(r.NewSessionTickets + " tickets, " + r.TicketWaitReason + " after " + r.TicketWaitMilliseconds + " ms");
            Assert.Equal(4, r.NewSessionTickets);
            Assert.Equal(TicketWaitReason.FlightComplete, r.TicketWaitReason);
            Assert.InRange(r.TicketWaitMilliseconds, TicketFlight.CountSettle.TotalMilliseconds, 3000);
        }

        /// <summary>
        /// A loopback TCP proxy for one connection: client to server as it comes; server to client collected for 50 ms
        /// after each read, then sent in pieces of <c>chunk</c> bytes, <c>gapMs</c> apart; every read after the server's
        /// first flight is held back <c>lateMs</c> more.
        /// </summary>
        private sealed class ChunkingProxy : IDisposable
        {
            private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
            private readonly CancellationTokenSource _stop = new();
            private readonly int _target, _chunk, _gapMs, _lateMs;

            public ChunkingProxy(int targetPort, int chunk, int gapMs, int lateMs = 0)
            {
                _target = targetPort;
                _chunk = chunk;
                _gapMs = gapMs;
                _lateMs = lateMs;
                _listener.Start();
                Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
                _ = Task.Run(Serve);
            }

            public int Port { get; }

            private async Task Serve()
            {
                try
                {
                    using var client = await _listener.AcceptSocketAsync(_stop.Token);
                    using var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                    await server.ConnectAsync(new IPEndPoint(IPAddress.Loopback, _target), _stop.Token);
                    client.NoDelay = true;
                    await Task.WhenAny(Forward(client, server, false), Forward(server, client, true));
                }
                catch (Exception) when (_stop.IsCancellationRequested)
                {
                }
                catch (SocketException)
                {
                }
            }

            private async Task Forward(Socket from, Socket to, bool chunked)
            {
                var buf = new byte[64 * 1024];
                for (int reads = 0; ; reads++)
                {
                    int n = await from.ReceiveAsync(buf, SocketFlags.None, _stop.Token);
                    if (n == 0) return;
                    if (!chunked)
                    {
                        await to.SendAsync(buf.AsMemory(0, n), SocketFlags.None, _stop.Token);
                        continue;
                    }
                    await Task.Delay(50 + (reads > 0 ? _lateMs : 0), _stop.Token);
                    while (from.Available > 0 && n < buf.Length) n += from.Receive(buf, n, buf.Length - n, SocketFlags.None);
                    for (int off = 0; off < n; off += _chunk)
                    {
                        await to.SendAsync(buf.AsMemory(off, Math.Min(_chunk, n - off)), SocketFlags.None, _stop.Token);
                        await Task.Delay(_gapMs, _stop.Token);
                    }
                }
            }

            public void Dispose()
            {
                _stop.Cancel();
                _listener.Stop();
            }
        }

        [Fact]
        public async Task Tls13_ClientCertificateRefusedLate_IsStillARefusal()
        {
            // The server's refusal of a missing client certificate comes after the TLS 1.3 handshake; here it reaches the
            // client 2 s late (a loaded machine, a slow link). A fixed post-handshake wait (it was 500 ms) would call
            // this a success; the client waits for the server's verdict instead.
            using var server = new OpenSslServer(KeyAlgorithm.Rsa2048, "-tls1_3", "-Verify", "2", "-verifyCAfile", TestPki.CaPath, "-verify_return_error");
            using var proxy = new ChunkingProxy(server.Port, chunk: 64 * 1024, gapMs: 0, lateMs: 2000);
            var r = await Run(Opt(proxy.Port, o => o.Timeout = TimeSpan.FromSeconds(30)));
            _out.WriteLine(r.TicketWaitReason + " after " + r.TicketWaitMilliseconds + " ms: " + r.Error);
            Assert.True(r.ClientCertificateRequested);
            Assert.False(r.Success);
            Assert.Equal("Received", r.AlertDirection);
            Assert.Contains(r.Alert, new[] { "certificate_required", "handshake_failure" });
            Assert.Equal(TicketWaitReason.AlertReceived, r.TicketWaitReason);
        }

        [Fact]
        public async Task Tls13_ServerWithoutTickets_WaitEndsAtTheBound()
        {
            using var server = new OpenSslServer(KeyAlgorithm.EcdsaP256, "-tls1_3", "-num_tickets", "0");
            var r = await Run(Opt(server.Port, o => o.SessionTicketWait = TimeSpan.FromMilliseconds(100)));
            Assert.True(r.Success, r.Error);
            Assert.Equal(TicketWaitReason.WaitExpired, r.TicketWaitReason);
            Assert.Equal(0, r.NewSessionTickets);
            Assert.DoesNotContain(r.Transcript, m => m.Type == TranscriptMessageType.NewSessionTicket);
        }

        [Fact]
        public async Task Tls13_ServerThatSpeaksFirst_WaitEndsAtItsApplicationData()
        {
            // TlsServerHost sends its response right after the handshake and no tickets.
            using var host = TlsServerHost.Start(new TlsServerOptions { Certificate = TestPki.Leaf(KeyAlgorithm.EcdsaP256).Cert });
            var r = await Run(Opt(host.Port, o => { o.TlsVersions = new[] { TlsVersion.Tls13 }; o.SessionTicketWait = TimeSpan.FromSeconds(10); }));
            Assert.True(r.Success, r.Error);
            Assert.Contains(r.TicketWaitReason, new[] { TicketWaitReason.ApplicationData, TicketWaitReason.ConnectionClosed });
            Assert.Equal(0, r.NewSessionTickets);
        }

        [Fact]
        public async Task TicketWait_NotWaited_ForTls12_OrWhenSwitchedOff()
        {
            using var server = new OpenSslServer(KeyAlgorithm.EcdsaP256);
            var tls12 = await Run(Opt(server.Port, o => o.TlsVersions = new[] { TlsVersion.Tls12 }));
            Assert.True(tls12.Success, tls12.Error);
            Assert.Equal(TicketWaitReason.NotWaited, tls12.TicketWaitReason);
            Assert.Equal(0, tls12.TicketWaitMilliseconds);
            var off = await Run(Opt(server.Port, o => o.SessionTicketWait = TimeSpan.Zero));
            Assert.True(off.Success, off.Error);
            Assert.Equal(TlsVersion.Tls13, off.TlsVersion);
            Assert.Equal(TicketWaitReason.NotWaited, off.TicketWaitReason);
            Assert.Equal(0, off.NewSessionTickets);
        }

        [Theory]
        [InlineData("x25519")]
        [InlineData("secp256r1")]
        [InlineData("secp384r1")]
        public async Task Tls13_EachGroup_IsTheOneTheServerAllowed(string group)
        {
            using var server = new OpenSslServer(KeyAlgorithm.EcdsaP256, "-tls1_3", "-groups", group);
            var r = await Run(Opt(server.Port));
            Assert.True(r.Success, r.Error);
            Assert.Equal(group, r.NamedGroup);
            // Our first key share is x25519; any other group makes the server ask again.
            Assert.Equal(group != "x25519", r.Transcript.Any(m => m.Type == TranscriptMessageType.HelloRetryRequest));
            var serverHello = r.Transcript.Single(m => m.Type == TranscriptMessageType.ServerHello);
            Assert.StartsWith(group, (string)((System.Collections.IDictionary)serverHello.Fields["Extensions"]!)["key_share"]!);
        }

        [Fact]
        public async Task Tls13_OfferingOnlyTheRequestedGroup()
        {
            using var server = new OpenSslServer(KeyAlgorithm.EcdsaP256, "-tls1_3");
            var r = await Run(Opt(server.Port, o => o.NamedGroups = new[] { "secp384r1" }));
            Assert.True(r.Success, r.Error);
            Assert.Equal("secp384r1", r.NamedGroup);
            var ext = (System.Collections.IDictionary)r.Transcript[0].Fields["Extensions"]!;
            Assert.Equal(new[] { "secp384r1" }, (string[])ext["supported_groups"]!);
        }

        [Theory]
        [InlineData("-tls1_2", "ECDHE-RSA-AES256-GCM-SHA384", "secp384r1", TlsVersion.Tls12, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384")]
        [InlineData("-tls1_3", "TLS_AES_256_GCM_SHA384", "secp256r1", TlsVersion.Tls13, "TLS_AES_256_GCM_SHA384")]
        [InlineData("-tls1_3", "TLS_CHACHA20_POLY1305_SHA256", "x25519", TlsVersion.Tls13, "TLS_CHACHA20_POLY1305_SHA256")]
        public async Task Negotiated_VersionSuiteGroup_EqualWhatTheServerAllowed(string version, string suite, string group, TlsVersion expectedVersion, string expectedSuite)
        {
            using var server = new OpenSslServer(KeyAlgorithm.Rsa2048, version, version == "-tls1_3" ? "-ciphersuites" : "-cipher", suite, "-groups", group);
            var r = await Run(Opt(server.Port));
            Assert.True(r.Success, r.Error);
            Assert.Equal(expectedVersion, r.TlsVersion);
            Assert.Equal(expectedSuite, r.CipherSuite);
            Assert.Equal(group, r.NamedGroup);
            if (expectedVersion == TlsVersion.Tls13) Assert.StartsWith("rsa_pss_", r.SignatureAlgorithm);
        }

        [Fact]
        public async Task Ed25519_ServerKey()
        {
            using var server = new OpenSslServer(KeyAlgorithm.Ed25519, "-tls1_3");
            var r = await Run(Opt(server.Port));
            Assert.True(r.Success, r.Error);
            Assert.Equal("ed25519", r.SignatureAlgorithm);
            Assert.Equal("Ed25519", r.Certificates[0].KeyAlgorithm);
        }

        [Fact]
        public async Task Alpn_IsNegotiated()
        {
            using var server = new OpenSslServer(KeyAlgorithm.EcdsaP256, "-alpn", "h2,http/1.1");
            var r = await Run(Opt(server.Port, o => o.Alpn = new[] { "h2", "http/1.1" }));
            Assert.True(r.Success, r.Error);
            Assert.Equal("h2", r.Alpn);
            var ee = r.Transcript.Single(m => m.Type == TranscriptMessageType.EncryptedExtensions);
            Assert.Contains("ALPN h2", ee.Explanation);
        }

        [Fact]
        public async Task Sni_ReachesTheServer()
        {
            var other = TestPki.Leaf(KeyAlgorithm.EcdsaP256, "sni.test");
            using var server = new OpenSslServer(KeyAlgorithm.EcdsaP256, "-servername", "sni.test", "-cert2", other.CertPath, "-key2", other.KeyPath);
            var with = await Run(Opt(server.Port, o => o.ServerName = "sni.test"));
            Assert.True(with.Success, with.Error);
            Assert.Equal("sni.test", with.ServerName);
            Assert.Equal("CN=sni.test", with.Certificates[0].Subject);
            var ext = (System.Collections.IDictionary)with.Transcript[0].Fields["Extensions"]!;
            Assert.Equal("sni.test", ext["server_name"]);

            var without = await Run(Opt(server.Port)); // an IP address: no SNI, default certificate
            Assert.True(without.Success, without.Error);
            Assert.Null(without.ServerName);
            Assert.Equal("CN=localhost", without.Certificates[0].Subject);
        }

        [Theory]
        [InlineData("-tls1_2")]
        [InlineData("-tls1_3")]
        public async Task ClientCertificate_Required_AcceptedWithOne_RefusedWithout(string version)
        {
            var client = TestPki.Leaf(KeyAlgorithm.EcdsaP256, "client.test", CertificateProfile.Client);
            using var server = new OpenSslServer(KeyAlgorithm.Rsa2048, version, "-Verify", "2", "-verifyCAfile", TestPki.CaPath, "-verify_return_error");
            var ok = await Run(Opt(server.Port, o => o.ClientCertificate = client.Cert));
            Assert.True(ok.Success, ok.Error);
            Assert.True(ok.ClientCertificateRequested);
            Assert.True(ok.ClientCertificateSent);
            Assert.Contains(ok.Transcript, m => m.Sender == Sender.Client && m.Type == TranscriptMessageType.CertificateVerify);
            Assert.Contains(ok.Transcript, m => m.Sender == Sender.Server && m.Type == TranscriptMessageType.CertificateRequest);

            var refused = await Run(Opt(server.Port));
            Assert.False(refused.Success);
            Assert.Equal(ErrorKind.AuthenticationError, refused.ErrorKind); // issue 13: ClientCertificateRequired, not a bare alert
            Assert.Equal(ErrorIds.ClientCertificateRequired, refused.ErrorId);
            Assert.Contains("-ClientCertificate", refused.Error);
            Assert.Equal("Received", refused.AlertDirection);
            Assert.Contains(refused.Alert, new[] { "certificate_required", "handshake_failure" });
        }

        [Fact]
        public async Task RsaKeyExchange_HasNoServerKeyExchange()
        {
            using var server = new OpenSslServer(KeyAlgorithm.Rsa2048, "-tls1_2", "-cipher", "AES128-GCM-SHA256");
            var r = await Run(Opt(server.Port));
            Assert.True(r.Success, r.Error);
            Assert.Equal("TLS_RSA_WITH_AES_128_GCM_SHA256", r.CipherSuite);
            Assert.Equal("RSA", r.KeyExchange);
            Assert.DoesNotContain(r.Transcript, m => m.Type == TranscriptMessageType.ServerKeyExchange);
            Assert.Null(r.NamedGroup);
            var cke = r.Transcript.Single(m => m.Type == TranscriptMessageType.ClientKeyExchange);
            Assert.Equal(256, cke.Fields["EncryptedPreMasterSecretLength"]);
            Assert.Contains("encrypted a 48-byte premaster secret to the server's RSA public key", cke.Explanation);
        }

        [Fact]
        public async Task Tls12_SessionIdResumption()
        {
            using var server = new OpenSslServer(KeyAlgorithm.EcdsaP256, "-tls1_2");
            var first = await Run(Opt(server.Port, o => o.TlsVersions = new[] { TlsVersion.Tls12 }));
            Assert.True(first.Success, first.Error);
            Assert.False(first.Resumed);
            Assert.NotNull(first.SessionId);
            var second = await Run(Opt(server.Port, o => { o.TlsVersions = new[] { TlsVersion.Tls12 }; o.ResumeSession = first; }));
            Assert.True(second.Success, second.Error);
            Assert.True(second.Resumed);
            Assert.DoesNotContain(second.Transcript, m => m.Type == TranscriptMessageType.Certificate);
            Assert.Equal(new[] { "Client:ClientHello", "Server:ServerHello", "Server:ChangeCipherSpec", "Server:Finished", "Client:ChangeCipherSpec", "Client:Finished" }, Order(second));
            Assert.Contains("accepted resuming session", second.Transcript[1].Explanation);
        }

        [Fact]
        public async Task Tls13_Resumption_IsRefusedPlainly()
        {
            using var server = new OpenSslServer(KeyAlgorithm.EcdsaP256, "-tls1_3");
            var first = await Run(Opt(server.Port));
            Assert.True(first.Success, first.Error);
            var e = await Assert.ThrowsAsync<TlsToolsException>(() => new TlsClientRunner().HandshakeAsync(Opt(server.Port, o => o.ResumeSession = first), CancellationToken.None));
            Assert.Equal("Tls13ResumptionUnsupported", e.ErrorId);
            Assert.Contains("discards", e.Message);
        }

        [Theory]
        [InlineData("-tls1_2")]
        [InlineData("-tls1_3")]
        public async Task KeyLog_EqualsOpenSslKeyLog(string version)
        {
            var serverLog = Path.Combine(TestPki.Dir, "server-keylog-" + Guid.NewGuid().ToString("N") + ".txt");
            var clientLog = Path.Combine(TestPki.Dir, "client-keylog-" + Guid.NewGuid().ToString("N") + ".txt");
            Directory.CreateDirectory(TestPki.Dir);
            using var server = new OpenSslServer(KeyAlgorithm.EcdsaP256, version, "-keylogfile", serverLog);
            var r = await Run(Opt(server.Port, o => o.KeyLogPath = clientLog));
            Assert.True(r.Success, r.Error);
            var random = (string)r.Transcript[0].Fields["Random"]!;
            var ours = File.ReadAllLines(clientLog).Where(l => l.Contains(random, StringComparison.OrdinalIgnoreCase)).ToArray();
            int expected = version == "-tls1_3" ? 5 : 1;
            Assert.Equal(expected, ours.Length);
            string[] theirs = Array.Empty<string>();
            var sw = Stopwatch.StartNew();
            while (sw.ElapsedMilliseconds < 30_000) // until openssl has written its lines
            {
                theirs = File.Exists(serverLog)
                    ? File.ReadAllLines(serverLog).Where(l => l.Contains(random, StringComparison.OrdinalIgnoreCase) && !l.StartsWith('#')).ToArray()
                    : Array.Empty<string>();
                if (theirs.Length >= expected) break;
                await Task.Delay(50);
            }
            _out.WriteLine(string.Join("\n", ours));
            Assert.Equal(theirs.Select(l => l.ToLowerInvariant()).OrderBy(l => l), ours.Select(l => l.ToLowerInvariant()).OrderBy(l => l));
        }

        [Fact]
        public async Task ProtocolVersionAlert_IsAStructuredFailure()
        {
            using var server = new OpenSslServer(KeyAlgorithm.EcdsaP256, "-tls1_3");
            var r = await Run(Opt(server.Port, o => o.TlsVersions = new[] { TlsVersion.Tls12 }));
            Assert.False(r.Success);
            Assert.Equal(ErrorKind.ProtocolError, r.ErrorKind);
            Assert.Equal("protocol_version", r.Alert);
            Assert.Equal("Received", r.AlertDirection);
            Assert.Equal("TlsAlertReceived", r.ErrorId);
            Assert.Equal(TranscriptMessageType.Alert, r.Transcript.Last().Type);
            Assert.Equal(Sender.Server, r.Transcript.Last().Sender);
        }

        [Fact]
        public async Task OffersExactlyTheRequestedSuites()
        {
            using var server = new OpenSslServer(KeyAlgorithm.EcdsaP256, "-tls1_2");
            var suites = new[] { "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA" };
            var r = await Run(Opt(server.Port, o => { o.CipherSuites = suites; o.TlsVersions = new[] { TlsVersion.Tls12 }; o.SignatureAlgorithms = new[] { "ecdsa_secp256r1_sha256" }; }));
            Assert.True(r.Success, r.Error);
            var offered = (string[])r.Transcript[0].Fields["CipherSuites"]!;
            Assert.Equal(suites, offered.Where(s => s != "TLS_EMPTY_RENEGOTIATION_INFO_SCSV"));
            var ext = (System.Collections.IDictionary)r.Transcript[0].Fields["Extensions"]!;
            Assert.Equal(new[] { "ecdsa_secp256r1_sha256" }, (string[])ext["signature_algorithms"]!);
            Assert.Equal("ecdsa_secp256r1_sha256", r.SignatureAlgorithm);
        }

        [Fact]
        public void UnknownNames_AreInvalidArguments()
        {
            var e = Assert.ThrowsAny<TlsToolsException>(() => new TlsClientRunner().HandshakeAsync(Opt(1, o => o.CipherSuites = new[] { "TLS_NOPE" }), CancellationToken.None).GetAwaiter().GetResult());
            Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        }

        // ---------------------------------------------------------------- faults

        [Fact]
        public async Task RefusedPort_IsConnectionRefused()
        {
            using var refused = new RefusedPort();
            var r = await Run(Opt(refused.Port, o => o.Timeout = TimeSpan.FromMinutes(5)));
            Assert.False(r.Success);
            Assert.Equal(ErrorKind.ConnectionError, r.ErrorKind);
            // The refusal itself was observed (not the 5-minute timeout), and nothing of TLS was sent.
            Assert.Equal("ConnectionRefused", r.ErrorId);
            Assert.Empty(r.Transcript);
        }

        [Fact]
        public async Task SilentServer_IsOperationTimeout_WithinTheTimeout()
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            try
            {
                int port = ((IPEndPoint)listener.LocalEndpoint).Port;
                var r = await Run(Opt(port, o => o.Timeout = TimeSpan.FromSeconds(1.5)));
                Assert.False(r.Success);
                Assert.Equal(ErrorKind.OperationTimeout, r.ErrorKind);
                Assert.Equal("HandshakeTimeout", r.ErrorId);
                Assert.Contains("within 1.5 s; the server sent nothing", r.Error);
                Assert.Equal(TranscriptMessageType.ClientHello, r.Transcript.Single().Type);
                // The runner closed its socket: the silent server sees the end of the connection.
                using var accepted = listener.AcceptSocket();
                accepted.ReceiveTimeout = 10000;
                Assert.Equal(0, ReceiveUntilClosed(accepted));
            }
            finally
            {
                listener.Stop();
            }
        }

        /// <summary>Reads until the peer closes (0) or resets (also 0); a receive timeout (the peer still open) fails the test.</summary>
        private static int ReceiveUntilClosed(Socket s)
        {
            var buf = new byte[16 * 1024];
            try
            {
                int n;
                while ((n = s.Receive(buf)) > 0) { }
                return n;
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
            {
                return 0;
            }
        }

        [Theory]
        [InlineData("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")]
        [InlineData("\u0016\u0003\u0003\u0000\u0005garbage-garbage-garbage")]
        public async Task GarbageServer_IsProtocolError(string reply)
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            int port = ((IPEndPoint)listener.LocalEndpoint).Port;
            var serve = Task.Run(async () =>
            {
                using var s = await listener.AcceptSocketAsync();
                var buf = new byte[4096];
                await s.ReceiveAsync(buf, SocketFlags.None);
                await s.SendAsync(Encoding.Latin1.GetBytes(reply), SocketFlags.None);
                await Task.Delay(500);
            });
            try
            {
                var r = await Run(Opt(port, o => o.Timeout = TimeSpan.FromSeconds(5)));
                Assert.False(r.Success);
                Assert.Equal(ErrorKind.ProtocolError, r.ErrorKind);
                _out.WriteLine(r.Error);
            }
            finally
            {
                listener.Stop();
                await Task.WhenAny(serve, Task.Delay(2000));
            }
        }

        [Fact]
        public async Task Cancellation_ClosesTheConnectionAtOnce()
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            try
            {
                int port = ((IPEndPoint)listener.LocalEndpoint).Port;
                using var cts = new CancellationTokenSource();
                var handshake = new TlsClientRunner().HandshakeAsync(Opt(port, o => o.Timeout = TimeSpan.FromSeconds(60)), cts.Token);
                using var accepted = listener.AcceptSocket();
                accepted.ReceiveTimeout = 10000;
                var hello = new byte[16 * 1024];
                Assert.True(accepted.Receive(hello) > 0); // the ClientHello: the runner now waits on the silent server
                cts.Cancel();
                var e = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => handshake);
                Assert.Equal(cts.Token, e.CancellationToken);
                Assert.Contains("was cancelled", e.Message);
                // Cancelling closed the socket at once, not at the 60 s timeout: the server sees the end of the connection.
                Assert.Equal(0, ReceiveUntilClosed(accepted));
            }
            finally
            {
                listener.Stop();
            }
        }
    }
}
