using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using TlsTools.Pki;
using TlsTools.Tls;
using Xunit;
using Xunit.Abstractions;

namespace TlsTools.Tests.Tls
{
    public class TranscriptDecoderTests
    {
        private readonly ITestOutputHelper _out;

        public TranscriptDecoderTests(ITestOutputHelper output) => _out = output;

        private static async Task<HandshakeResult> Handshake(TlsVersion version)
        {
            using var host = TlsServerHost.Start(new TlsServerOptions { Certificate = TestPki.Leaf(KeyAlgorithm.EcdsaP256).Cert, Alpn = new[] { "h2" } });
            return await new TlsClientRunner().HandshakeAsync(new HandshakeOptions
            {
                HostName = "127.0.0.1", Port = host.Port, ServerName = "localhost", TlsVersions = new[] { version }, Alpn = new[] { "h2" },
            }, CancellationToken.None);
        }

        [Fact]
        public async Task ClientHello_Fields()
        {
            var r = await Handshake(TlsVersion.Tls13);
            Assert.True(r.Success, r.Error);
            var ch = TranscriptDecoder.Decode(Sender.Client, r.Transcript[0].RawData);
            Assert.Null(ch.DecodeError);
            Assert.Equal(TranscriptMessageType.ClientHello, ch.Type);
            var ext = (System.Collections.IDictionary)ch.Fields["Extensions"]!;
            Assert.Equal("localhost", ext["server_name"]);
            Assert.Equal(new[] { "h2" }, (string[])ext["application_layer_protocol_negotiation"]!);
            Assert.Equal(new[] { "TLS 1.3" }, (string[])ext["supported_versions"]!);
            Assert.Contains("x25519", ((string[])ext["key_share"]!)[0]);
            Assert.Contains("TLS_AES_128_GCM_SHA256", (string[])ch.Fields["CipherSuites"]!);
        }

        [Theory]
        [InlineData(TlsVersion.Tls12)]
        [InlineData(TlsVersion.Tls13)]
        public async Task EveryMessage_DecodesStandalone_AndNeverThrowsOnDamage(TlsVersion version)
        {
            var r = await Handshake(version);
            Assert.True(r.Success, r.Error);
            var rnd = new Random(1234);
            foreach (var m in r.Transcript.Where(m => m.Type != TranscriptMessageType.ChangeCipherSpec && m.Type != TranscriptMessageType.Alert))
            {
                var raw = m.RawData;
                var again = TranscriptDecoder.Decode(m.Sender, raw);
                Assert.Equal(m.Type, again.Type);
                Assert.Null(again.DecodeError);
                for (int cut = 0; cut < raw.Length; cut += Math.Max(1, raw.Length / 50))
                {
                    var t = TranscriptDecoder.Decode(m.Sender, raw.Take(cut).ToArray());
                    Assert.NotNull(t.DecodeError);
                    Assert.False(string.IsNullOrEmpty(t.Explanation));
                }
                for (int i = 0; i < 300; i++)
                {
                    var damaged = (byte[])raw.Clone();
                    for (int k = 0; k < 1 + rnd.Next(4); k++) damaged[(4 + rnd.Next(Math.Max(1, damaged.Length - 4))) % damaged.Length] = (byte)rnd.Next(256);
                    var d = TranscriptDecoder.Decode(m.Sender, damaged, version);
                    Assert.NotNull(d);
                }
            }
        }

        [Fact]
        public void RandomBytes_NeverThrow()
        {
            var rnd = new Random(42);
            for (int i = 0; i < 50000; i++)
            {
                var len = rnd.Next(0, 200);
                var b = new byte[len];
                rnd.NextBytes(b);
                if (len > 0) b[0] = (byte)new byte[] { 1, 2, 4, 8, 11, 12, 13, 14, 15, 16, 20, 24, 22, 99 }[rnd.Next(14)];
                if (len >= 4) { b[1] = 0; b[2] = (byte)((len - 4) >> 8); b[3] = (byte)(len - 4); }
                var sender = rnd.Next(2) == 0 ? Sender.Client : Sender.Server;
                var m = TranscriptDecoder.Decode(sender, b, rnd.Next(3) == 0 ? null : (TlsVersion?)TlsVersion.Tls13);
                Assert.NotNull(m.Explanation);
            }
            Assert.NotNull(TranscriptDecoder.Decode(Sender.Client, null!).DecodeError);
        }

        [Fact]
        public async Task Ladder_FitsIn120Columns_AndMermaidIsWellFormed()
        {
            var r = await Handshake(TlsVersion.Tls13);
            var ladder = LadderDiagram.Render(r.Transcript);
            _out.WriteLine(ladder);
            var lines = ladder.TrimEnd('\n').Split('\n');
            Assert.All(lines, l => Assert.True(l.Length <= 120, l.Length + ": " + l));
            Assert.Equal(r.Transcript.Length + 2, lines.Length);
            Assert.Contains(lines, l => l.Contains("-- ClientHello ") && l.Contains(">|"));
            Assert.Contains(lines, l => l.Contains("|<") && l.Contains(" *Certificate --"));
            var mermaid = MermaidDiagram.Render(r.Transcript);
            _out.WriteLine(mermaid);
            Assert.StartsWith("sequenceDiagram\n", mermaid);
            Assert.Contains("C->>S: ClientHello", mermaid);
            Assert.Contains("S->>C: ServerHello", mermaid);
            Assert.DoesNotContain(";", mermaid.Replace("#59;", "").Replace("#35;", ""));
        }

        [Fact]
        public void Names_RoundTrip()
        {
            Assert.Equal(0xc02f, TlsRegistry.CipherSuites.Parse("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"));
            Assert.Equal("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", TlsRegistry.CipherSuites.Name(0xc02f));
            Assert.Equal("x25519", TlsRegistry.NamedGroups.Name(TlsRegistry.NamedGroups.Parse("X25519")));
            Assert.Equal("rsa_pss_rsae_sha256", TlsRegistry.SignatureSchemes.Name(TlsRegistry.SignatureSchemes.Parse("rsa_pss_rsae_sha256")));
            Assert.Equal("GREASE(0x1A1A)", TlsRegistry.CipherSuites.Name(0x1a1a));
            Assert.Equal("unknown(0x5A5B)", TlsRegistry.CipherSuites.Name(0x5a5b));
            Assert.Contains(TlsRegistry.NamedGroups.Offerable, g => g.Name == "ffdhe2048");
        }

        [Fact]
        public void UnknownAndGreaseValues_PrintOneWay_InDecodedMessages()
        {
            // A ClientHello offering GREASE and unassigned values of every kind.
            var body = new List<byte> { 3, 3 };
            body.AddRange(new byte[32]);
            body.Add(0);
            body.AddRange(new byte[] { 0, 6, 0x1A, 0x1A, 0xFE, 0xFE, 0x13, 0x01 }); // suites: GREASE, unknown, TLS_AES_128_GCM_SHA256
            body.AddRange(new byte[] { 1, 0 });
            var ext = new List<byte>();
            ext.AddRange(new byte[] { 0, 10, 0, 6, 0, 4, 0x2A, 0x2A, 0x12, 0x34 });       // supported_groups: GREASE, unknown
            ext.AddRange(new byte[] { 0, 43, 0, 5, 4, 0x3A, 0x3A, 0x03, 0x05 });          // supported_versions: GREASE, unknown
            ext.AddRange(new byte[] { 0, 13, 0, 4, 0, 2, 0x04, 0x20 });                   // signature_algorithms: unknown
            ext.AddRange(new byte[] { 0x4A, 0x4A, 0, 0, 0x77, 0x77, 0, 0 });              // GREASE and unknown extensions
            body.Add((byte)(ext.Count >> 8));
            body.Add((byte)ext.Count);
            body.AddRange(ext);
            var msg = new List<byte> { 1, 0, (byte)(body.Count >> 8), (byte)body.Count };
            msg.AddRange(body);

            var m = TranscriptDecoder.Decode(Sender.Client, msg.ToArray());
            Assert.Null(m.DecodeError);
            Assert.Equal(new[] { "GREASE(0x1A1A)", "unknown(0xFEFE)", "TLS_AES_128_GCM_SHA256" }, (string[])m.Fields["CipherSuites"]!);
            var e = (System.Collections.IDictionary)m.Fields["Extensions"]!;
            Assert.Equal(new[] { "GREASE(0x2A2A)", "unknown(0x1234)" }, (string[])e["supported_groups"]!);
            Assert.Equal(new[] { "GREASE(0x3A3A)", "unknown(0x0305)" }, (string[])e["supported_versions"]!);
            Assert.Equal(new[] { "unknown(0x0420)" }, (string[])e["signature_algorithms"]!);
            Assert.True(e.Contains("GREASE(0x4A4A)"));
            Assert.True(e.Contains("unknown(0x7777)"));
            Assert.Equal(new[] { "unknown(0x0305)" }, (string[])m.Fields["OfferedVersions"]!);

            var alert = TranscriptDecoder.DecodeAll(new[] { (Sender.Server, (byte)21, new byte[] { 3, 0x7F }) })[0];
            Assert.Equal(("unknown(0x03)", "unknown(0x7F)"), ((string)alert.Fields["Level"]!, (string)alert.Fields["Description"]!));
            Assert.Equal("unknown(0x63)", TranscriptDecoder.Decode(Sender.Server, new byte[] { 99, 0, 0, 0 }).Fields["HandshakeType"]);
        }

        [Fact]
        public void ServerHello_WithAnUnknownVersion_IsNotTls13()
        {
            var body = new List<byte> { 3, 3 };
            body.AddRange(new byte[32]);
            body.Add(0);
            body.AddRange(new byte[] { 0x13, 0x01, 0, 0, 6, 0, 43, 0, 2, 0x03, 0x05 }); // supported_versions: 0x0305
            var msg = new List<byte> { 2, 0, 0, (byte)body.Count };
            msg.AddRange(body);
            var ctx = new DecodeContext();
            var m = TranscriptDecoder.DecodeHandshake(Sender.Server, msg.ToArray(), ctx);
            Assert.Equal("unknown(0x0305)", m.Fields["Version"]);
            Assert.Null(ctx.Version);
            Assert.False(ctx.ServerChoseTls13);
        }
    }
}
