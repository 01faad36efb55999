using TlsTools.Tls;
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using TlsTools.Scanning;
using TlsTools.Scanning.Wire;
using Xunit;

namespace TlsTools.Tests.Scanning
{
    public sealed class WireCodecTests
    {
        // ---- ClientHello --------------------------------------------------------------------------------------------

        private static Dictionary<int, byte[]> ParseClientHello(byte[] records, out int clientVersion, out List<int> suites)
        {
            // Reassemble handshake records, then walk the ClientHello by hand.
            var hs = new MemoryStream();
            for (int i = 0; i < records.Length;)
            {
                Assert.Equal(22, records[i]);
                int len = (records[i + 3] << 8) | records[i + 4];
                hs.Write(records, i + 5, len);
                i += 5 + len;
            }
            var b = hs.ToArray();
            Assert.Equal(1, b[0]);
            Assert.Equal(b.Length - 4, (b[1] << 16) | (b[2] << 8) | b[3]);
            int p = 4;
            clientVersion = (b[p] << 8) | b[p + 1]; p += 2 + 32;
            p += 1 + b[p];
            int sl = (b[p] << 8) | b[p + 1]; p += 2;
            suites = new List<int>();
            for (int i = 0; i < sl; i += 2) suites.Add((b[p + i] << 8) | b[p + i + 1]);
            p += sl;
            p += 1 + b[p];
            var exts = new Dictionary<int, byte[]>();
            if (p == b.Length) return exts;
            int el = (b[p] << 8) | b[p + 1]; p += 2;
            Assert.Equal(b.Length, p + el);
            while (p < b.Length)
            {
                int t = (b[p] << 8) | b[p + 1];
                int l = (b[p + 2] << 8) | b[p + 3];
                exts.Add(t, b.Skip(p + 4).Take(l).ToArray());
                p += 4 + l;
            }
            return exts;
        }

        [Fact]
        public void Tls12ClientHelloCarriesTheAskedExtensions()
        {
            var spec = new ClientHelloSpec
            {
                Version = TlsVersion.Tls12, CipherSuites = new[] { 0xC02F, 0x009C }, ServerName = "example.test",
                NamedGroups = new[] { 29, 23 }, SignatureSchemes = new[] { 0x0804, 0x0401 }, Alpn = new[] { "h2" },
            };
            var exts = ParseClientHello(ClientHelloCodec.Build(spec), out int version, out var suites);
            Assert.Equal(0x0303, version);
            Assert.Equal(new[] { 0xC02F, 0x009C }, suites);
            Assert.Contains(0, exts.Keys);
            Assert.Equal("example.test", System.Text.Encoding.ASCII.GetString(exts[0], 5, exts[0].Length - 5));
            Assert.Equal(new byte[] { 0, 4, 0, 29, 0, 23 }, exts[10]);
            Assert.Equal(new byte[] { 1, 0 }, exts[11]);
            Assert.Equal(new byte[] { 0, 4, 8, 4, 4, 1 }, exts[13]);
            Assert.Equal(new byte[] { 0, 3, 2, (byte)'h', (byte)'2' }, exts[16]);
            Assert.Equal(new byte[] { 0 }, exts[0xFF01]);
            Assert.Empty(exts[23]);
            Assert.Empty(exts[35]);
            Assert.Contains(5, exts.Keys);
            Assert.DoesNotContain(43, exts.Keys);
        }

        [Fact]
        public void Ssl3ClientHelloHasNoExtensionsAndTheScsv()
        {
            var spec = new ClientHelloSpec { Version = TlsVersion.Ssl30, CipherSuites = new[] { 0x002F }, RenegotiationScsv = true, ServerName = "x.test" };
            var rec = ClientHelloCodec.Build(spec);
            Assert.Equal(0x03, rec[1]);
            Assert.Equal(0x00, rec[2]);
            var exts = ParseClientHello(rec, out int version, out var suites);
            Assert.Equal(0x0300, version);
            Assert.Equal(new[] { 0x002F, 0x00FF }, suites);
            Assert.Empty(exts);
        }

        [Fact]
        public void Tls13ClientHelloHasSupportedVersionsAndKeyShares()
        {
            var spec = new ClientHelloSpec
            {
                Version = TlsVersion.Tls13, CipherSuites = new[] { 0x1301 }, NamedGroups = new[] { 29, 23, 256 },
                KeyShares = new[] { 29, 23, 256 }, SignatureSchemes = new[] { 0x0403 },
            };
            var exts = ParseClientHello(ClientHelloCodec.Build(spec), out int version, out _);
            Assert.Equal(0x0303, version);
            Assert.Equal(new byte[] { 2, 3, 4 }, exts[43]);
            Assert.Equal(new byte[] { 1, 1 }, exts[45]);
            var ks = exts[51];
            int total = (ks[0] << 8) | ks[1];
            Assert.Equal(ks.Length - 2, total);
            var lengths = new List<(int, int)>();
            for (int p = 2; p < ks.Length;)
            {
                int g = (ks[p] << 8) | ks[p + 1], l = (ks[p + 2] << 8) | ks[p + 3];
                lengths.Add((g, l));
                p += 4 + l;
            }
            Assert.Equal(new[] { (29, 32), (23, 65), (256, 256) }, lengths);
        }

        [Fact]
        public void EmptyKeyShareListIsSent()
        {
            var spec = new ClientHelloSpec { Version = TlsVersion.Tls13, CipherSuites = new[] { 0x1301 }, NamedGroups = new[] { 29 } };
            var exts = ParseClientHello(ClientHelloCodec.Build(spec), out _, out _);
            Assert.Equal(new byte[] { 0, 0 }, exts[51]);
        }

        [Fact]
        public void HugeClientHelloIsFragmentedIntoRecords()
        {
            var spec = new ClientHelloSpec { Version = TlsVersion.Tls12, CipherSuites = Enumerable.Range(1, 9000).ToArray() };
            var rec = ClientHelloCodec.Build(spec);
            Assert.True(rec.Length > 16384 + 10);
            ParseClientHello(rec, out _, out var suites);
            Assert.Equal(9000, suites.Count);
        }

        // ---- server flight ------------------------------------------------------------------------------------------

        private static byte[] Record(int type, byte[] payload, int version = 0x0303) =>
            new byte[] { (byte)type, (byte)(version >> 8), (byte)version, (byte)(payload.Length >> 8), (byte)payload.Length }.Concat(payload).ToArray();

        private static byte[] Handshake(int type, byte[] body) =>
            new byte[] { (byte)type, (byte)(body.Length >> 16), (byte)(body.Length >> 8), (byte)body.Length }.Concat(body).ToArray();

        private static byte[] U16(int v) => new[] { (byte)(v >> 8), (byte)v };

        private static byte[] ServerHelloBody(int version, int suite, byte[]? random = null, params (int Type, byte[] Data)[] exts)
        {
            var m = new MemoryStream();
            m.Write(U16(version));
            m.Write(random ?? Enumerable.Repeat((byte)7, 32).ToArray());
            m.WriteByte(4); m.Write(new byte[] { 1, 2, 3, 4 });
            m.Write(U16(suite));
            m.WriteByte(0);
            var e = new MemoryStream();
            foreach (var (t, d) in exts) { e.Write(U16(t)); e.Write(U16(d.Length)); e.Write(d); }
            m.Write(U16((int)e.Length));
            m.Write(e.ToArray());
            return m.ToArray();
        }

        private static readonly byte[] HrrRandom = Convert.FromHexString("CF21AD74E59A6111BE1D8C021E65B891C2A211167ABB8C5E079E09E2C8A8339C");

        private static byte[] Tls12Flight()
        {
            var sh = Handshake(2, ServerHelloBody(0x0303, 0xC02F, null,
                (0xFF01, new byte[] { 0 }), (23, Array.Empty<byte>()), (16, new byte[] { 0, 3, 2, (byte)'h', (byte)'2' })));
            var cert1 = Enumerable.Repeat((byte)0xAA, 300).ToArray();
            var cert2 = Enumerable.Repeat((byte)0xBB, 200).ToArray();
            var list = new MemoryStream();
            foreach (var c in new[] { cert1, cert2 }) { list.WriteByte(0); list.Write(U16(c.Length)); list.Write(c); }
            var certBody = new byte[] { 0 }.Concat(U16((int)list.Length)).Concat(list.ToArray()).ToArray();
            var ske = new byte[] { 3, 0, 29, 32 }.Concat(new byte[32]).Concat(new byte[] { 8, 4, 0, 2, 9, 9 }).ToArray();
            var hs = sh.Concat(Handshake(11, certBody)).Concat(Handshake(12, ske)).Concat(Handshake(14, Array.Empty<byte>())).ToArray();
            // Split the handshake stream over three records at awkward places (mid-header, mid-certificate).
            return Record(22, hs.Take(3).ToArray()).Concat(Record(22, hs.Skip(3).Take(200).ToArray())).Concat(Record(22, hs.Skip(203).ToArray())).ToArray();
        }

        [Fact]
        public void ParsesAFragmentedTls12FlightFedOneByteAtATime()
        {
            var flight = Tls12Flight();
            var parser = new ServerFlightParser(wantFlight: true);
            for (int i = 0; i < flight.Length && !parser.Done; i++) parser.Feed(flight, i, 1);
            Assert.True(parser.Done);
            Assert.Equal(ProbeOutcome.ServerHello, parser.Outcome);
            Assert.Null(parser.Error);
            var h = parser.Hello!;
            Assert.Equal(0x0303, h.Version);
            Assert.Equal(0xC02F, h.CipherSuite);
            Assert.Equal(new byte[] { 1, 2, 3, 4 }, h.SessionId);
            Assert.True(h.Has(0xFF01));
            Assert.True(h.Has(23));
            Assert.Equal("h2", h.Alpn);
            Assert.Equal(2, parser.Certificates.Count);
            Assert.Equal(300, parser.Certificates[0].Length);
            Assert.True(parser.ServerHelloDone);
            var ske = ServerFlightParser.ParseServerKeyExchange(parser.ServerKeyExchange!, TlsRegistry.CipherSuites.Find(0xC02F)!, 0x0303);
            Assert.Equal(29, ske.NamedGroup);
            Assert.Equal(0x0804, ske.SignatureScheme);
        }

        [Fact]
        public void StopsAtServerHelloWhenTheFlightIsNotWanted()
        {
            var flight = Tls12Flight();
            var parser = new ServerFlightParser(wantFlight: false);
            parser.Feed(flight, 0, flight.Length);
            Assert.True(parser.Done);
            Assert.Equal(ProbeOutcome.ServerHello, parser.Outcome);
            Assert.Empty(parser.Certificates);
        }

        [Fact]
        public void ParsesHelloRetryRequestAndTls13ServerHello()
        {
            var hrr = Record(22, Handshake(2, ServerHelloBody(0x0303, 0x1302, HrrRandom, (43, U16(0x0304)), (51, U16(24)))));
            var p = new ServerFlightParser(true);
            p.Feed(hrr, 0, hrr.Length);
            Assert.Equal(ProbeOutcome.HelloRetryRequest, p.Outcome);
            Assert.True(p.Hello!.IsHelloRetryRequest);
            Assert.Equal(0x0304, p.Hello.Version);
            Assert.Equal(24, p.Hello.KeyShareGroup);
            Assert.Equal(0x1302, p.Hello.CipherSuite);

            var sh = Record(22, Handshake(2, ServerHelloBody(0x0303, 0x1301, null, (43, U16(0x0304)), (51, U16(29).Concat(U16(32)).Concat(new byte[32]).ToArray()))))
                .Concat(Record(20, new byte[] { 1 })).Concat(Record(23, new byte[40])).ToArray();
            p = new ServerFlightParser(true);
            p.Feed(sh, 0, sh.Length);
            Assert.Equal(ProbeOutcome.ServerHello, p.Outcome);
            Assert.Equal(0x0304, p.Hello!.Version);
            Assert.False(p.Hello.IsHelloRetryRequest);
            Assert.Equal(29, p.Hello.KeyShareGroup);
        }

        [Fact]
        public void ScannerAndDecoderReadServerMessagesWithTheSameParser()
        {
            // HelloRetryRequest: both see the same version, suite and requested group.
            var hrr = Handshake(2, ServerHelloBody(0x0303, 0x1302, HrrRandom, (43, U16(0x0304)), (51, U16(24))));
            var p = new ServerFlightParser(true);
            p.Feed(Record(22, hrr), 0, hrr.Length + 5);
            var d = TranscriptDecoder.Decode(Sender.Server, hrr);
            Assert.Equal(TranscriptMessageType.HelloRetryRequest, d.Type);
            Assert.Equal(TlsRegistry.CipherSuites.Name(p.Hello!.CipherSuite), d.Fields["CipherSuite"]);
            Assert.Equal(TlsRegistry.Versions.Name(p.Hello.Version), d.Fields["Version"]);
            Assert.Equal("asks for " + TlsRegistry.NamedGroups.Name(p.Hello.KeyShareGroup!.Value), ((System.Collections.IDictionary)d.Fields["Extensions"]!)["key_share"]);

            // A duplicate extension: the scanner refuses the hello, the decoder reports it and still shows the fields.
            var dup = Handshake(2, ServerHelloBody(0x0303, 0xC02F, null, (23, Array.Empty<byte>()), (23, Array.Empty<byte>())));
            p = new ServerFlightParser(true);
            p.Feed(Record(22, dup), 0, dup.Length + 5);
            Assert.Equal(ProbeOutcome.Malformed, p.Outcome);
            Assert.Contains("duplicate extension 23", p.Error);
            d = TranscriptDecoder.Decode(Sender.Server, dup);
            Assert.Contains("duplicate extension 23", d.DecodeError);
            Assert.Equal("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", d.Fields["CipherSuite"]);

            // ServerKeyExchange of the TLS 1.2 flight: the same group and scheme either way.
            var ske = new byte[] { 3, 0, 29, 32 }.Concat(new byte[32]).Concat(new byte[] { 8, 4, 0, 2, 9, 9 }).ToArray();
            var viaScanner = ServerFlightParser.ParseServerKeyExchange(ske, TlsRegistry.CipherSuites.Find(0xC02F)!, 0x0303);
            var all = TranscriptDecoder.DecodeAll(new[]
            {
                (Sender.Server, (byte)22, Handshake(2, ServerHelloBody(0x0303, 0xC02F))),
                (Sender.Server, (byte)22, Handshake(12, ske)),
            });
            Assert.Null(all[1].DecodeError);
            Assert.Equal(TlsRegistry.NamedGroups.Name(viaScanner.NamedGroup!.Value), all[1].Fields["NamedGroup"]);
            Assert.Equal(TlsRegistry.SignatureSchemes.Name(viaScanner.SignatureScheme!.Value), all[1].Fields["SignatureScheme"]);
        }

        [Fact]
        public void ParsesAlertsAndSsl2Replies()
        {
            var alert = Record(21, new byte[] { 2, 40 });
            var p = new ServerFlightParser(false);
            p.Feed(alert, 0, alert.Length);
            Assert.Equal(ProbeOutcome.Alert, p.Outcome);
            Assert.Equal(2, p.AlertLevel);
            Assert.Equal(40, p.AlertDescription);

            // SSL 2.0 SERVER-HELLO: 2-byte header with the high bit set, message type 4.
            var v2 = new byte[] { 0x80, 0x20, 4, 0, 1, 0, 2 }.Concat(new byte[30]).ToArray();
            p = new ServerFlightParser(false);
            p.Feed(v2, 0, v2.Length);
            Assert.Equal(ProbeOutcome.Ssl2Reply, p.Outcome);
        }

        [Theory]
        [InlineData("485454502F312E31203430302042616420526571756573740D0A")] // "HTTP/1.1 400 Bad Request"
        [InlineData("1603030004")] // record header only, then EOF
        [InlineData("16030300040200FFFF")] // ServerHello claiming 64 KiB
        [InlineData("16030300060200000203")] // truncated ServerHello body
        [InlineData("160303000B0B000007000004000001AA")] // Certificate before ServerHello
        [InlineData("1603034001")] // record longer than allowed
        [InlineData("16020300020000")] // bad record version
        [InlineData("160303000400000000")] // HelloRequest then nothing
        public void MalformedInputEndsCleanly(string hex)
        {
            var bytes = Convert.FromHexString(hex);
            var p = new ServerFlightParser(true);
            p.Feed(bytes, 0, bytes.Length);
            p.EndOfStream();
            Assert.True(p.Done);
            Assert.NotEqual(ProbeOutcome.ServerHello, p.Outcome);
            Assert.NotEqual(ProbeOutcome.HelloRetryRequest, p.Outcome);
        }

        [Fact]
        public void ByteBoundStopsAServerThatNeverFinishes()
        {
            var sh = Record(22, Handshake(2, ServerHelloBody(0x0303, 0xC02F)));
            var p = new ServerFlightParser(true, maxBytes: 4096);
            p.Feed(sh, 0, sh.Length);
            Assert.False(p.Done);
            var junk = Record(22, Handshake(4, new byte[1000])); // NewSessionTicket-typed filler, never ServerHelloDone
            for (int i = 0; i < 100 && !p.Done; i++) p.Feed(junk, 0, junk.Length);
            Assert.True(p.Done);
            Assert.Equal(ProbeOutcome.ServerHello, p.Outcome); // the ServerHello stays usable
            Assert.Contains("4096", p.Error);
        }

        [Fact]
        public void MutatedFlightsNeverThrowAnythingButTlsToolsException()
        {
            var good = Tls12Flight();
            var rng = new Random(12345);
            for (int round = 0; round < 3000; round++)
            {
                var b = (byte[])good.Clone();
                int edits = 1 + rng.Next(6);
                for (int e = 0; e < edits; e++) b[rng.Next(b.Length)] = (byte)rng.Next(256);
                int cut = rng.Next(b.Length + 1);
                var p = new ServerFlightParser(true, 8192);
                int pos = 0;
                while (pos < cut && !p.Done)
                {
                    int n = Math.Min(cut - pos, 1 + rng.Next(64));
                    p.Feed(b, pos, n); // must not throw
                    pos += n;
                }
                p.EndOfStream();
                Assert.True(p.Done);
                if (p.Hello != null && p.ServerKeyExchange != null)
                {
                    try
                    {
                        ServerFlightParser.ParseServerKeyExchange(p.ServerKeyExchange, TlsRegistry.CipherSuites.Get(p.Hello.CipherSuite), p.Hello.Version);
                    }
                    catch (TlsToolsException) { }
                }
            }
        }
    }
}
