using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using TlsTools.Scanning.Wire;
using Org.BouncyCastle.Crypto.Agreement;

namespace TlsTools.Tls
{
    /// <summary>
    /// How a scripted vulnerable server answers (<see cref="VulnerableServer"/>): the versions and suites it accepts and the flaws
    /// it has. Only for the finding scenarios of Start-TlsServer: it answers probes like an old server would, it completes no
    /// handshake.
    /// </summary>
    internal sealed class VulnerablePersonality
    {
        /// <summary>SSL 3.0 .. TLS 1.2 versions accepted (TLS 1.3 never: a TLS 1.3 ClientHello is answered at its legacy version).</summary>
        public TlsVersion[] Versions { get; set; } = { TlsVersion.Tls12 };

        /// <summary>Cipher suites (IANA names) in the server's order of preference.</summary>
        public string[] Suites { get; set; } = Array.Empty<string>();

        /// <summary>Answers an SSL 2.0 CLIENT-HELLO with an SSL 2.0 SERVER-HELLO (DROWN).</summary>
        public bool Ssl2 { get; set; }

        /// <summary>Echoes renegotiation_info (RFC 5746); false: an old server without secure renegotiation.</summary>
        public bool SecureRenegotiation { get; set; } = true;

        /// <summary>Picks DEFLATE when the client offers it (CRIME).</summary>
        public bool Deflate { get; set; }

        /// <summary>Negotiates heartbeat and answers requests without checking their padding, as OpenSSL 1.0.1 to 1.0.1f did
        /// (it echoes payload_length bytes; the probe's length equals what it sent, so only its own bytes come back).</summary>
        public bool Heartbleed { get; set; }

        /// <summary>Takes a ChangeCipherSpec before the key exchange and then fails every record's MAC (CVE-2014-0224);
        /// false: answers it with unexpected_message.</summary>
        public bool EarlyCcs { get; set; }

        /// <summary>The DHE prime size: 1024 (RFC 2409 group 2) or 2048 (RFC 3526 group 14).</summary>
        public int DhPrimeBits { get; set; } = 2048;
    }

    /// <summary>
    /// A raw, scripted TLS server for the finding scenarios: parses one ClientHello, answers with ServerHello, Certificate,
    /// ServerKeyExchange ((EC)DHE, unsigned filler where a signature goes) and ServerHelloDone per its
    /// <see cref="VulnerablePersonality"/>, then answers heartbeats and early ChangeCipherSpecs as that personality would.
    /// Every read is bounded in size and by the connection timeout.
    /// </summary>
    internal static class VulnerableServer
    {
        private const int MaxHello = 64 * 1024;
        private static readonly Random Rng = new Random();

        public static async Task ServeAsync(Socket socket, TlsServerOptions options, ServerConnection record, CancellationToken stop)
        {
            var p = options.Personality!;
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(stop);
            cts.CancelAfter(options.ConnectionTimeout);
            using var reg = cts.Token.Register(() => socket.Dispose());
            var inbox = new MemoryStream();
            var chunk = new byte[4096];
            try
            {
                socket.NoDelay = true;
                var chain = new List<byte[]> { options.Certificate!.GetRawData() };
                if (options.Chain != null) chain.AddRange(options.Chain.Select(c => c.GetRawData()));

                // The first bytes: an SSL 2.0 or a TLS ClientHello.
                while (inbox.Length < 3) if (!await Read(socket, inbox, chunk).ConfigureAwait(false)) return;
                var first = inbox.GetBuffer();
                if ((first[0] & 0x80) != 0)
                {
                    record.Error = "SSL 2.0 CLIENT-HELLO";
                    if (p.Ssl2 && first[2] == 1) await Send(socket, Ssl2ServerHello(chain[0])).ConfigureAwait(false);
                    return;
                }
                byte[] hello = await ReadHandshake(socket, inbox, chunk).ConfigureAwait(false);
                var ch = ParseClientHello(hello);
                int version = Math.Min(ch.Version, 0x0303);
                var accepted = p.Versions.Select(v => TlsRegistry.Versions.ToWire(v)).ToList();
                if (!accepted.Contains(version)) { await Alert(socket, 0x0301, 70).ConfigureAwait(false); record.Alert = "protocol_version"; return; }
                var suite = p.Suites.Select(TlsRegistry.CipherSuites.Parse).FirstOrDefault(s => ch.Suites.Contains(s) && UsableAt(s, version));
                if (suite == 0) { await Alert(socket, version, 40).ConfigureAwait(false); record.Alert = "handshake_failure"; return; }
                var info = TlsRegistry.CipherSuites.Get(suite);
                record.TlsVersion = TlsRegistry.Versions.FromWire(version);
                record.CipherSuite = info.Name;

                var flight = new MemoryStream();
                Handshake(flight, 2, ServerHello(p, ch, version, suite));
                if (info.Authentication != "anon") Handshake(flight, 11, CertificateMessage(chain));
                if (info.KeyExchange == "DHE" || info.KeyExchange == "ECDHE")
                    Handshake(flight, 12, ServerKeyExchange(info, version, p.DhPrimeBits));
                Handshake(flight, 14, Array.Empty<byte>());
                await RecordReader.SendRecordAsync(socket, 22, version, flight.ToArray()).ConfigureAwait(false);
                record.Success = true;

                // After the flight: heartbeats, an early ChangeCipherSpec, or the client's key exchange (not completed here).
                bool ccsTaken = false;
                for (int i = 0; i < 16; i++)
                {
                    var (type, payload) = await ReadRecord(socket, inbox, chunk).ConfigureAwait(false);
                    if (type < 0) return;
                    if (ccsTaken) { await Alert(socket, version, 20).ConfigureAwait(false); record.Error = "bad_record_mac after an early ChangeCipherSpec"; return; }
                    switch (type)
                    {
                        case 24:
                            if (p.Heartbleed && ch.Heartbeat && payload.Length >= 3 && payload[0] == 1)
                            {
                                // Echo payload_length bytes, never more than were received (a simulation reads no memory either).
                                int n = Math.Min((payload[1] << 8) | payload[2], payload.Length - 3);
                                var response = new byte[3 + n];
                                response[0] = 2; response[1] = (byte)(n >> 8); response[2] = (byte)n;
                                Buffer.BlockCopy(payload, 3, response, 3, n);
                                await RecordReader.SendRecordAsync(socket, 24, version, response).ConfigureAwait(false);
                                record.Error = "answered an unpadded heartbeat";
                            }
                            break; // a compliant server discards it
                        case 20:
                            if (!p.EarlyCcs) { await Alert(socket, version, 10).ConfigureAwait(false); record.Alert = "unexpected_message"; return; }
                            ccsTaken = true;
                            record.Error = "took an early ChangeCipherSpec";
                            break;
                        case 21:
                            return;
                        default:
                            await Alert(socket, version, 40).ConfigureAwait(false); // a scripted server completes no handshake
                            record.Error = "scripted server: no key exchange";
                            return;
                    }
                }
            }
            catch (Exception e) when (e is SocketException || e is ObjectDisposedException || e is IOException || e is InvalidDataException || e is TlsToolsException)
            {
                record.Error ??= cts.IsCancellationRequested ? "The connection timed out." : e.Message;
            }
        }

        private static bool UsableAt(int suite, int version)
        {
            var s = TlsRegistry.CipherSuites.Find(suite);
            if (s == null || s.IsTls13) return false;
            return version >= 0x0303 || (s.Mac != "AEAD" && s.Mac != "SHA256" && s.Mac != "SHA384");
        }

        private sealed class ClientHelloFields
        {
            public int Version;
            public byte[] SessionId = Array.Empty<byte>();
            public List<int> Suites = new List<int>();
            public List<int> Compression = new List<int>();
            public bool RenegotiationInfo;
            public bool Heartbeat;
        }

        private static ClientHelloFields ParseClientHello(byte[] m)
        {
            if (m.Length < 4 || m[0] != 1) throw new InvalidDataException("not a ClientHello");
            int o = 4;
            int Need(int n) { if (o + n > m.Length) throw new InvalidDataException("truncated ClientHello"); int at = o; o += n; return at; }
            int U8() => m[Need(1)];
            int U16() { int at = Need(2); return (m[at] << 8) | m[at + 1]; }
            var ch = new ClientHelloFields { Version = U16() };
            Need(32);
            int sid = U8(); ch.SessionId = m.Skip(Need(sid)).Take(sid).ToArray();
            int suites = U16(); int end = Need(suites) + suites;
            for (int i = end - suites; i + 1 < end; i += 2) ch.Suites.Add((m[i] << 8) | m[i + 1]);
            int comp = U8(); int cAt = Need(comp);
            for (int i = 0; i < comp; i++) ch.Compression.Add(m[cAt + i]);
            ch.RenegotiationInfo = ch.Suites.Contains(TlsRegistry.CipherSuites.EmptyRenegotiationInfoScsv);
            if (o + 2 <= m.Length)
            {
                int extLen = U16();
                int stop = Need(extLen) + extLen;
                o = stop - extLen;
                while (o + 4 <= stop)
                {
                    int type = U16(), len = U16();
                    Need(len);
                    if (type == ExtensionCodes.RenegotiationInfo) ch.RenegotiationInfo = true;
                    if (type == ExtensionCodes.Heartbeat) ch.Heartbeat = true;
                }
            }
            return ch;
        }

        private static byte[] ServerHello(VulnerablePersonality p, ClientHelloFields ch, int version, int suite)
        {
            var b = new MemoryStream();
            U16(b, version);
            var random = new byte[32];
            lock (Rng) Rng.NextBytes(random);
            b.Write(random, 0, 32);
            b.WriteByte(32);
            b.Write(random, 0, 32); // a session id: any 32 bytes
            U16(b, suite);
            b.WriteByte((byte)(p.Deflate && ch.Compression.Contains(1) ? 1 : 0));
            var ext = new MemoryStream();
            if (p.SecureRenegotiation && ch.RenegotiationInfo) { U16(ext, ExtensionCodes.RenegotiationInfo); U16(ext, 1); ext.WriteByte(0); }
            if (p.Heartbleed && ch.Heartbeat) { U16(ext, ExtensionCodes.Heartbeat); U16(ext, 1); ext.WriteByte(1); }
            if (TlsRegistry.CipherSuites.Get(suite).KeyExchange == "ECDHE") { U16(ext, ExtensionCodes.EcPointFormats); U16(ext, 2); ext.WriteByte(1); ext.WriteByte(0); }
            if (ext.Length > 0 && version > 0x0300) { U16(b, (int)ext.Length); b.Write(ext.ToArray(), 0, (int)ext.Length); }
            return b.ToArray();
        }

        private static byte[] CertificateMessage(List<byte[]> chain)
        {
            var list = new MemoryStream();
            foreach (var c in chain) { U24(list, c.Length); list.Write(c, 0, c.Length); }
            var b = new MemoryStream();
            U24(b, (int)list.Length);
            b.Write(list.ToArray(), 0, (int)list.Length);
            return b.ToArray();
        }

        /// <summary>(EC)DHE parameters with filler where the signature goes: no client here ever completes the handshake.</summary>
        private static byte[] ServerKeyExchange(CipherSuiteInfo suite, int version, int dhBits)
        {
            var b = new MemoryStream();
            if (suite.KeyExchange == "DHE")
            {
                var group = dhBits <= 1024 ? DHStandardGroups.rfc2409_1024 : DHStandardGroups.rfc3526_2048;
                var prime = group.P.ToByteArrayUnsigned();
                Vector16(b, prime);
                Vector16(b, new byte[] { 2 });
                var y = new byte[prime.Length]; y[y.Length - 1] = 4; // 2^2: a public value in range
                Vector16(b, y);
            }
            else
            {
                b.WriteByte(3); U16(b, 23); // named_curve secp256r1
                var point = TlsTools.Scanning.Wire.ClientHelloCodec.KeyShareFor(23);
                b.WriteByte((byte)point.Length); b.Write(point, 0, point.Length);
            }
            if (suite.Authentication == "anon") return b.ToArray();
            if (version >= 0x0303) U16(b, suite.Authentication == "ECDSA" ? 0x0403 : 0x0401);
            Vector16(b, new byte[suite.Authentication == "ECDSA" ? 72 : 256]);
            return b.ToArray();
        }

        private static byte[] Ssl2ServerHello(byte[] certificate)
        {
            var specs = TlsTools.Scanning.Wire.Ssl2Hello.CipherKinds;
            var body = new MemoryStream();
            body.WriteByte(4); // SERVER-HELLO
            body.WriteByte(0); // no session id hit
            body.WriteByte(1); // X.509 certificate
            U16(body, 0x0002);
            U16(body, certificate.Length);
            U16(body, specs.Length * 3);
            U16(body, 16);
            body.Write(certificate, 0, certificate.Length);
            foreach (var k in specs) { body.WriteByte((byte)(k >> 16)); body.WriteByte((byte)(k >> 8)); body.WriteByte((byte)k); }
            var id = new byte[16];
            lock (Rng) Rng.NextBytes(id);
            body.Write(id, 0, 16);
            var msg = new MemoryStream();
            U16(msg, 0x8000 | (int)body.Length);
            msg.Write(body.ToArray(), 0, (int)body.Length);
            return msg.ToArray();
        }

        // ---- records --------------------------------------------------------------------------------------------------

        private static async Task<bool> Read(Socket socket, MemoryStream inbox, byte[] chunk)
        {
            if (inbox.Length > MaxHello) throw new InvalidDataException("the client sent more than " + MaxHello + " bytes");
            int n = await socket.ReceiveAsync(new ArraySegment<byte>(chunk), SocketFlags.None).ConfigureAwait(false);
            if (n <= 0) return false;
            inbox.Seek(0, SeekOrigin.End);
            inbox.Write(chunk, 0, n);
            return true;
        }

        /// <summary>The next record (type, payload); type -1 when the client closed.</summary>
        private static async Task<(int, byte[])> ReadRecord(Socket socket, MemoryStream inbox, byte[] chunk)
        {
            while (true)
            {
                var e = RecordReader.TryTake(inbox, out int type, out var payload);
                if (e == RecordEvent.Malformed) throw new InvalidDataException("not a TLS record");
                if (e == RecordEvent.Record) return (type, payload);
                if (!await Read(socket, inbox, chunk).ConfigureAwait(false)) return (-1, Array.Empty<byte>());
            }
        }

        /// <summary>The first handshake message (a ClientHello), reassembled from handshake records.</summary>
        private static async Task<byte[]> ReadHandshake(Socket socket, MemoryStream inbox, byte[] chunk)
        {
            var hs = new MemoryStream();
            while (true)
            {
                var (type, payload) = await ReadRecord(socket, inbox, chunk).ConfigureAwait(false);
                if (type != 22) throw new InvalidDataException(type < 0 ? "the client closed before its ClientHello" : "a record of type " + type + " before the ClientHello");
                hs.Write(payload, 0, payload.Length);
                var m = hs.GetBuffer();
                if (hs.Length >= 4)
                {
                    int len = (m[1] << 16) | (m[2] << 8) | m[3];
                    if (len > MaxHello) throw new InvalidDataException("a ClientHello of " + len + " bytes");
                    if (hs.Length >= 4 + len) return hs.ToArray().Take(4 + len).ToArray();
                }
            }
        }

        private static Task Alert(Socket socket, int version, int description) => RecordReader.SendRecordAsync(socket, 21, version, new byte[] { 2, (byte)description });

        private static async Task Send(Socket socket, byte[] data)
        {
            int sent = 0;
            while (sent < data.Length)
                sent += await socket.SendAsync(new ArraySegment<byte>(data, sent, data.Length - sent), SocketFlags.None).ConfigureAwait(false);
        }

        private static void Handshake(MemoryStream flight, int type, byte[] body)
        {
            flight.WriteByte((byte)type);
            U24(flight, body.Length);
            flight.Write(body, 0, body.Length);
        }

        private static void Vector16(Stream s, byte[] v) { U16(s, v.Length); s.Write(v, 0, v.Length); }
        private static void U16(Stream s, int v) { s.WriteByte((byte)(v >> 8)); s.WriteByte((byte)v); }
        private static void U24(Stream s, int v) { s.WriteByte((byte)(v >> 16)); s.WriteByte((byte)(v >> 8)); s.WriteByte((byte)v); }
    }
}
