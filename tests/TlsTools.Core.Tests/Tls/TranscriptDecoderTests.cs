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
            Assert.Equal(0xc02f, TlsNames.ParseCipherSuite("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"));
            Assert.Equal("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", TlsNames.CipherSuiteName(0xc02f));
            Assert.Equal("x25519", TlsNames.GroupName(TlsNames.ParseGroup("X25519")));
            Assert.Equal("rsa_pss_rsae_sha256", TlsNames.SchemeName(TlsNames.ParseScheme("rsa_pss_rsae_sha256")));
            Assert.Equal("0x1a1a", TlsNames.CipherSuiteName(0x1a1a));
            Assert.Contains("ffdhe2048", TlsNames.NamedGroupNames);
        }
    }
}
