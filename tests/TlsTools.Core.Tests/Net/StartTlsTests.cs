using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using TlsTools.Net;
using TlsTools.Net.StartTls;
using TlsTools.Tls;
using Xunit;

namespace TlsTools.Tests.Net
{
    /// <summary>The STARTTLS port table and the dialect parsers, pure.</summary>
    public sealed class StartTlsParserTests
    {
        [Fact]
        public void EveryProtocolHasOneTableEntry_WithItsOpenSslName_AndPortsImplyIt()
        {
            var protocols = Enum.GetValues(typeof(StartTlsProtocol)).Cast<StartTlsProtocol>().Where(p => p != StartTlsProtocol.None).ToList();
            Assert.Equal(13, protocols.Count);
            Assert.Equal(protocols.OrderBy(p => p), StartTlsProtocols.All.Select(i => i.Protocol).OrderBy(p => p));
            Assert.Equal(new[] { "smtp", "lmtp", "imap", "pop3", "sieve", "ftp", "ldap", "postgres", "mysql", "xmpp", "xmpp-server", "nntp", "irc" }.OrderBy(x => x),
                StartTlsProtocols.All.Select(i => i.OpenSslName).OrderBy(x => x));
            foreach (var info in StartTlsProtocols.All)
                foreach (var port in info.WellKnownPorts)
                    Assert.Equal(info.Protocol, StartTlsProtocols.ForPort(port));
            Assert.Null(StartTlsProtocols.Find(StartTlsProtocol.None));
        }

        [Theory]
        [InlineData(25, StartTlsProtocol.Smtp)]
        [InlineData(587, StartTlsProtocol.Smtp)]
        [InlineData(5432, StartTlsProtocol.Postgres)]
        [InlineData(465, StartTlsProtocol.None)]
        [InlineData(993, StartTlsProtocol.None)]
        [InlineData(636, StartTlsProtocol.None)]
        [InlineData(443, StartTlsProtocol.None)]
        public void TlsTarget_TakesTheProtocolFromThePort_UnlessGiven(int port, StartTlsProtocol implied)
        {
            Assert.Equal(implied, TlsTarget.Create("mail.example.test", port).StartTls);
            Assert.Equal(StartTlsProtocol.None, TlsTarget.Create("mail.example.test", port, null, StartTlsProtocol.None).StartTls);
            Assert.Equal(StartTlsProtocol.Ldap, TlsTarget.Parse("mail.example.test:" + port, null, null, StartTlsProtocol.Ldap).StartTls);
            var t = TlsTarget.Create("mail.example.test", port, null, StartTlsProtocol.Imap);
            Assert.Equal(StartTlsProtocol.Imap, t.WithServerName("other.example.test").StartTls);
            Assert.Equal(StartTlsProtocol.Imap, t.WithAddress(IPAddress.Loopback).StartTls);
            Assert.Equal(implied, t.WithStartTls(null).StartTls);
        }

        [Fact]
        public void CodedReplies_ContinueUntilTheCodeAndASpace_FtpMiddleLinesIncluded()
        {
            var more = Replies.CodedReply();
            Assert.True(more("220-Welcome"));
            Assert.True(more("  the middle of an FTP banner"));
            Assert.True(more("220-more"));
            Assert.False(more("220 ready"));
            Assert.False(Replies.CodedReply()("250 single line"));
            Assert.Equal(250, Replies.Code("250-STARTTLS"));
            Assert.Equal(-1, Replies.Code("25O nope"));
            Assert.Equal(-1, Replies.Code("2500"));
            Assert.True(Replies.Lists(new[] { "250-x", "250-starttls", "250 SIZE" }, "STARTTLS", 4));
            Assert.False(Replies.Lists(new[] { "250-x", "250-STARTTLSX", "250 SIZE" }, "STARTTLS", 4));
        }

        [Fact]
        public void DotEndedLists_EndAtALoneDot_AndAnErrorIsOneLine()
        {
            var more = Replies.DotEnded("+OK");
            Assert.True(more("+OK capabilities"));
            Assert.True(more("STLS"));
            Assert.False(more("."));
            Assert.False(Replies.DotEnded("+OK")("-ERR unknown command"));
        }

        [Fact]
        public void Irc_CommandSkipsThePrefix()
        {
            Assert.Equal("670", IrcDialect.Command(":irc.example 670 * :STARTTLS successful"));
            Assert.Equal("NOTICE", IrcDialect.Command("NOTICE AUTH :hello"));
            Assert.Equal("", IrcDialect.Command("   "));
        }

        [Fact]
        public void Mysql_GreetingCapabilities_AndErrorPackets()
        {
            var p = Greeting(0xFFFF);
            var g = MysqlDialect.ParseGreeting(p);
            Assert.NotNull(g);
            Assert.Equal("8.0.1", g!.Value.Version);
            Assert.NotEqual(0u, g.Value.Capabilities & MysqlDialect.ClientSsl);
            Assert.Equal(0u, MysqlDialect.ParseGreeting(Greeting(0xF7FF))!.Value.Capabilities & MysqlDialect.ClientSsl);
            Assert.Null(MysqlDialect.ParseGreeting(new byte[] { 9, 1, 2 }));
            Assert.Null(MysqlDialect.ParseGreeting(new byte[] { 10, (byte)'5' })); // no NUL
            var err = new byte[] { 0xFF, 0x6A, 0x04, (byte)'#', (byte)'H', (byte)'Y', (byte)'0', (byte)'0', (byte)'0' }.Concat(Encoding.ASCII.GetBytes("no")).ToArray();
            Assert.Equal("ERROR 1130: no", MysqlDialect.ErrorText(err));
        }

        internal static byte[] Greeting(int lowCaps)
        {
            var b = new List<byte> { 10 };
            b.AddRange(Encoding.ASCII.GetBytes("8.0.1"));
            b.Add(0);
            b.AddRange(new byte[] { 1, 0, 0, 0 });
            b.AddRange(Encoding.ASCII.GetBytes("ABCDEFGH"));
            b.Add(0);
            b.Add((byte)lowCaps);
            b.Add((byte)(lowCaps >> 8));
            b.AddRange(new byte[] { 8, 2, 0, 0xFF, 0x81, 21 });
            b.AddRange(new byte[10]);
            b.AddRange(Encoding.ASCII.GetBytes("123456789012"));
            b.Add(0);
            return b.ToArray();
        }

        [Fact]
        public void Ldap_RequestIsTheStartTlsExtendedOperation_AndResponsesParse()
        {
            var req = LdapDialect.Request();
            Assert.Equal(31, req.Length);
            Assert.Equal(new byte[] { 0x30, 0x1D, 0x02, 0x01, 0x01, 0x77, 0x18, 0x80, 0x16 }, req.Take(9).ToArray());
            Assert.Equal(LdapDialect.StartTlsOid, Encoding.ASCII.GetString(req, 9, 22));
            var ok = new byte[] { 0x30, 0x0C, 0x02, 0x01, 0x01, 0x78, 0x07, 0x0A, 0x01, 0x00, 0x04, 0x00, 0x04, 0x00 };
            Assert.Equal((1, 0, ""), LdapDialect.ParseResponse(ok));
            var diag = new byte[] { 0x30, 0x0E, 0x02, 0x01, 0x01, 0x78, 0x09, 0x0A, 0x01, 0x34, 0x04, 0x00, 0x04, 0x02, (byte)'n', (byte)'o' };
            Assert.Equal((1, 52, "no"), LdapDialect.ParseResponse(diag));
            Assert.Throws<InvalidOperationException>(() => LdapDialect.ParseResponse(new byte[] { 0x30, 0x03, 0x02, 0x01 }));
            Assert.Throws<InvalidOperationException>(() => LdapDialect.ParseResponse(new byte[] { 0x30, 0x05, 0x02, 0x01, 0x01, 0x61, 0x00 }));
        }

        [Fact]
        public void Postgres_ErrorResponseFields()
        {
            var body = Encoding.UTF8.GetBytes("SFATAL\0C28000\0Mno pg_hba.conf entry\0\0");
            Assert.Equal("FATAL 28000 no pg_hba.conf entry", PostgresDialect.ErrorText(body));
            Assert.Equal(new byte[] { 0, 0, 0, 8, 0x04, 0xD2, 0x16, 0x2F }, PostgresDialect.SslRequest);
        }

        [Fact]
        public void Xmpp_FindsTheEndOfFeaturesAndOfTheAnswer()
        {
            Assert.Equal(-1, XmppDialect.FeaturesEnd("<stream:stream><stream:features><starttls"));
            var f = "<stream:stream x='1'><stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/></stream:features>";
            Assert.Equal(f.Length, XmppDialect.FeaturesEnd(f + "rest"));
            Assert.Equal(-1, XmppDialect.AnswerEnd("<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'"));
            Assert.Equal("<proceed xmlns='x'/>".Length, XmppDialect.AnswerEnd("<proceed xmlns='x'/>"));
            Assert.Equal("<failure xmlns='x'></failure>".Length, XmppDialect.AnswerEnd("<failure xmlns='x'></failure>"));
            Assert.Contains("to='a&apos;b'", new XmppDialect(false).StreamHeader("a'b"));
            Assert.Contains("jabber:server", new XmppDialect(true).StreamHeader("example.test"));
        }

        [Fact]
        public void Quote_IsBoundedAndPrintable()
        {
            Assert.Equal("a b", PreambleChannel.Quote(" a\u0001b \r\n"));
            Assert.Equal(PreambleChannel.MaxQuoteChars + 1, PreambleChannel.Quote(new string('x', 5000)).Length);
        }
    }

    /// <summary>Each dialect against a scripted peer on loopback: the transcript, the errors, the bounds and cancellation.</summary>
    public sealed class StartTlsNegotiationTests
    {
        /// <summary>A connected loopback pair: the client socket (with its target for <paramref name="protocol"/>) and the accepted server side.</summary>
        private static async Task<(Socket Client, Socket Server, TlsTarget Target)> PairAsync(StartTlsProtocol protocol, string? serverName = null)
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            try
            {
                var target = TlsTarget.Create("127.0.0.1", ((IPEndPoint)listener.LocalEndpoint).Port, serverName, protocol);
                var accept = listener.AcceptSocketAsync();
                var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                await client.ConnectAsync(IPAddress.Loopback, target.Port);
                return (client, await accept, target);
            }
            finally
            {
                listener.Stop();
            }
        }

        /// <summary>Runs <paramref name="server"/> on one accepted connection while the client negotiates; returns the transcript.</summary>
        private static async Task<List<TranscriptMessage>> RunAsync(StartTlsProtocol protocol, Func<NetworkStream, Task> server,
            CancellationToken ct = default, string serverName = "mail.example.test")
        {
            var (socket, accepted, target) = await PairAsync(protocol, serverName);
            using var peer = new NetworkStream(accepted, ownsSocket: true);
            var serverTask = Task.Run(async () =>
            {
                try { await server(peer); } catch (IOException) { } catch (ObjectDisposedException) { }
            });
            var transcript = new List<TranscriptMessage>();
            try
            {
                await StartTlsNegotiator.NegotiateAsync(socket, target, ct, transcript);
            }
            finally
            {
                socket.Dispose();
                await Task.WhenAny(serverTask, Task.Delay(5000));
            }
            return transcript;
        }

        private static async Task Say(NetworkStream s, params string[] lines)
        {
            var b = Encoding.ASCII.GetBytes(string.Concat(lines.Select(l => l + "\r\n")));
            await s.WriteAsync(b, 0, b.Length);
        }

        private static async Task<string> Hear(NetworkStream s)
        {
            var sb = new StringBuilder();
            var one = new byte[1];
            while (await s.ReadAsync(one, 0, 1) == 1)
            {
                if (one[0] == '\n') break;
                if (one[0] != '\r') sb.Append((char)one[0]);
            }
            return sb.ToString();
        }

        private static async Task<byte[]> HearBytes(NetworkStream s, int n)
        {
            var b = new byte[n];
            int got = 0;
            while (got < n) { int k = await s.ReadAsync(b, got, n - got); if (k <= 0) break; got += k; }
            return b;
        }

        [Fact]
        public async Task Smtp_RecordsEveryLine_InOrder_BeforeTls()
        {
            string? ehlo = null, starttls = null;
            var t = await RunAsync(StartTlsProtocol.Smtp, async s =>
            {
                await Say(s, "220 mx ESMTP");
                ehlo = await Hear(s);
                await Say(s, "250-mx", "250-PIPELINING", "250 STARTTLS");
                starttls = await Hear(s);
                await Say(s, "220 2.0.0 Ready to start TLS");
                await Task.Delay(300);
            });
            Assert.Equal("EHLO " + Replies.ClientName, ehlo);
            Assert.Equal("STARTTLS", starttls);
            Assert.Equal(new[] { Sender.Server, Sender.Client, Sender.Server, Sender.Client, Sender.Server }, t.Select(m => m.Sender));
            Assert.All(t, m => Assert.Equal(TranscriptMessageType.StartTls, m.Type));
            Assert.Equal("250-mx\n250-PIPELINING\n250 STARTTLS", t[2].Fields["Text"]);
            Assert.Equal("Smtp", t[2].Fields["Protocol"]);
            Assert.Equal(Encoding.ASCII.GetByteCount("250-mx\r\n250-PIPELINING\r\n250 STARTTLS\r\n"), t[2].Length);
            Assert.Contains("STARTTLS among them", t[2].Explanation);
            Assert.True(t.Zip(t.Skip(1), (a, b) => a.OffsetMilliseconds <= b.OffsetMilliseconds).All(x => x));
        }

        [Fact]
        public async Task Lmtp_SaysLhlo()
        {
            string? hello = null;
            await RunAsync(StartTlsProtocol.Lmtp, async s =>
            {
                await Say(s, "220 lmtp");
                hello = await Hear(s);
                await Say(s, "250 STARTTLS");
                await Hear(s);
                await Say(s, "220 go");
                await Task.Delay(300);
            });
            Assert.StartsWith("LHLO ", hello);
        }

        [Fact]
        public async Task Imap_AsksForCapabilities_WhenTheGreetingHasNone()
        {
            var t = await RunAsync(StartTlsProtocol.Imap, async s =>
            {
                await Say(s, "* OK ready");
                Assert.Equal("A1 CAPABILITY", await Hear(s));
                await Say(s, "* CAPABILITY IMAP4rev1 STARTTLS", "A1 OK done");
                Assert.Equal("A2 STARTTLS", await Hear(s));
                await Say(s, "A2 OK go");
                await Task.Delay(300);
            });
            Assert.Equal(5, t.Count);
        }

        [Fact]
        public async Task Ftp_MultiLineBanner_ThenAuthTls()
        {
            var t = await RunAsync(StartTlsProtocol.Ftp, async s =>
            {
                await Say(s, "220-Welcome", " to the test", "220 ready");
                Assert.Equal("AUTH TLS", await Hear(s));
                await Say(s, "234 Proceed");
                await Task.Delay(300);
            });
            Assert.Equal(3, t.Count);
            Assert.Equal("220-Welcome\n to the test\n220 ready", t[0].Fields["Text"]);
        }

        [Fact]
        public async Task Nntp_Sieve_Irc_Succeed()
        {
            Assert.Equal(5, (await RunAsync(StartTlsProtocol.Nntp, async s =>
            {
                await Say(s, "200 news");
                await Hear(s);
                await Say(s, "101 caps", "VERSION 2", "STARTTLS", ".");
                await Hear(s);
                await Say(s, "382 go");
                await Task.Delay(300);
            })).Count);
            Assert.Equal(3, (await RunAsync(StartTlsProtocol.Sieve, async s =>
            {
                await Say(s, "\"IMPLEMENTATION\" \"x\"", "\"STARTTLS\"", "OK \"ready\"");
                await Hear(s);
                await Say(s, "OK \"go\"");
                await Task.Delay(300);
            })).Count);
            Assert.Equal(2, (await RunAsync(StartTlsProtocol.Irc, async s =>
            {
                Assert.Equal("STARTTLS", await Hear(s));
                await Say(s, ":irc NOTICE * :hi", ":irc 670 * :STARTTLS successful");
                await Task.Delay(300);
            })).Count);
        }

        [Fact]
        public async Task Postgres_SslRequestAndS()
        {
            var t = await RunAsync(StartTlsProtocol.Postgres, async s =>
            {
                Assert.Equal(PostgresDialect.SslRequest, await HearBytes(s, 8));
                await s.WriteAsync(new[] { (byte)'S' }, 0, 1);
                await Task.Delay(300);
            });
            Assert.Equal(new[] { 8, 1 }, t.Select(m => m.Length));
        }

        [Fact]
        public async Task Mysql_SendsTheSslRequestPacket_WithSequence1AndClientSsl()
        {
            byte[]? request = null;
            var t = await RunAsync(StartTlsProtocol.Mysql, async s =>
            {
                var g = StartTlsParserTests.Greeting(0xFFFF);
                var packet = new byte[] { (byte)g.Length, 0, 0, 0 }.Concat(g).ToArray();
                await s.WriteAsync(packet, 0, packet.Length);
                request = await HearBytes(s, 36);
                await Task.Delay(300);
            });
            Assert.Equal(new byte[] { 32, 0, 0, 1 }, request!.Take(4).ToArray());
            uint caps = BitConverter.ToUInt32(request!, 4);
            Assert.NotEqual(0u, caps & MysqlDialect.ClientSsl);
            Assert.Equal(true, t[0].Fields["ClientSsl"]);
            Assert.Equal("8.0.1", t[0].Fields["ServerVersion"]);
        }

        [Fact]
        public async Task Ldap_ExtendedRequestAndSuccess()
        {
            var t = await RunAsync(StartTlsProtocol.Ldap, async s =>
            {
                Assert.Equal(LdapDialect.Request(), await HearBytes(s, 31));
                var ok = new byte[] { 0x30, 0x0C, 0x02, 0x01, 0x01, 0x78, 0x07, 0x0A, 0x01, 0x00, 0x04, 0x00, 0x04, 0x00 };
                await s.WriteAsync(ok, 0, ok.Length);
                await Task.Delay(300);
            });
            Assert.Equal(0, t[1].Fields["ResultCode"]);
        }

        [Fact]
        public async Task Xmpp_OpensTheStreamToTheServerName_ThenProceeds()
        {
            string? header = null;
            var t = await RunAsync(StartTlsProtocol.Xmpp, async s =>
            {
                var buf = new byte[4096];
                int n = await s.ReadAsync(buf, 0, buf.Length);
                header = Encoding.ASCII.GetString(buf, 0, n);
                var f = Encoding.ASCII.GetBytes("<stream:stream from='x'><stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls></stream:features>");
                await s.WriteAsync(f, 0, f.Length);
                n = await s.ReadAsync(buf, 0, buf.Length);
                var p = Encoding.ASCII.GetBytes("<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
                await s.WriteAsync(p, 0, p.Length);
                await Task.Delay(300);
            }, serverName: "chat.example.test");
            Assert.Contains("to='chat.example.test'", header);
            Assert.Equal(4, t.Count);
        }

        [Fact]
        public async Task TooManyReplyLines_IsAProtocolError()
        {
            var e = await Assert.ThrowsAsync<TlsToolsException>(() => RunAsync(StartTlsProtocol.Smtp, async s =>
            {
                await Say(s, "220 mx");
                await Hear(s);
                await Say(s, Enumerable.Repeat("250-x", PreambleChannel.MaxReplyLines + 5).ToArray());
                await Task.Delay(500);
            }));
            Assert.Equal(ErrorIds.StartTlsProtocolError, e.ErrorId);
            Assert.Contains("more than " + PreambleChannel.MaxReplyLines + " lines", e.Message);
        }

        [Fact]
        public async Task Postgres_AnswerNotSOrN_IsAProtocolError_AndOversizedMessagesAreRefused()
        {
            var e = await Assert.ThrowsAsync<TlsToolsException>(() => RunAsync(StartTlsProtocol.Postgres, async s =>
            {
                await HearBytes(s, 8);
                await s.WriteAsync(new byte[] { 0x16, 3, 1 }, 0, 3);
                await Task.Delay(300);
            }));
            Assert.Equal(ErrorIds.StartTlsProtocolError, e.ErrorId);
            e = await Assert.ThrowsAsync<TlsToolsException>(() => RunAsync(StartTlsProtocol.Mysql, async s =>
            {
                await s.WriteAsync(new byte[] { 0xFF, 0xFF, 0xFF, 0 }, 0, 4); // a 16 MiB packet announced
                await Task.Delay(300);
            }));
            Assert.Equal(ErrorIds.StartTlsProtocolError, e.ErrorId);
            Assert.Contains("at most " + PreambleChannel.MaxLineBytes, e.Message);
        }

        [Fact]
        public async Task Cancellation_EndsASilentPreambleAtOnce()
        {
            var (client, silent, target) = await PairAsync(StartTlsProtocol.Imap); // the server accepts and never says a word
            using (client)
            using (silent)
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
                var clock = Stopwatch.StartNew();
                await Assert.ThrowsAnyAsync<OperationCanceledException>(() => StartTlsNegotiator.NegotiateAsync(client, target, cts.Token));
                // A hang bound, not a timing: without the token the silent server would hold the preamble forever. 15 s leaves
                // room for a loaded CI machine (3.4 s was seen there while the rest of the suite started).
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), "took " + clock.Elapsed);
            }
        }

        [Fact]
        public async Task ServerSide_AndClientSide_AgreeForSmtpImapPop3()
        {
            foreach (var protocol in new[] { StartTlsProtocol.Smtp, StartTlsProtocol.Imap, StartTlsProtocol.Pop3 })
            {
                var (client, server, target) = await PairAsync(protocol);
                using (client)
                using (server)
                {
                    var serve = StartTlsNegotiator.ServeAsync(server, protocol, "mail.example.test", CancellationToken.None);
                    var transcript = new List<TranscriptMessage>();
                    await StartTlsNegotiator.NegotiateAsync(client, target, CancellationToken.None, transcript);
                    await serve;
                    Assert.True(transcript.Count >= 3, protocol + ": " + transcript.Count);
                }
            }
            Assert.False(StartTlsNegotiator.CanServe(StartTlsProtocol.Ldap));
            var e = Assert.Throws<TlsToolsException>(() => StartTlsNegotiator.CheckServe(StartTlsProtocol.Mysql));
            Assert.Equal(ErrorIds.StartTlsServerUnsupported, e.ErrorId);
        }
    }
}
