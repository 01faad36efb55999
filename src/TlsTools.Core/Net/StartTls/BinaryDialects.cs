using System;
using System.Collections.Generic;
using System.Text;
using System.Threading.Tasks;
using TlsTools.Tls;

namespace TlsTools.Net.StartTls
{
    /// <summary>PostgreSQL (protocol §53.2.10 SSL Session Encryption): the 8-byte SSLRequest, then one byte: 'S' yes, 'N' no.</summary>
    internal sealed class PostgresDialect : StartTlsDialect
    {
        /// <summary>Length 8, code 80877103 (1234 in the high 16 bits, 5679 in the low).</summary>
        internal static readonly byte[] SslRequest = { 0, 0, 0, 8, 0x04, 0xD2, 0x16, 0x2F };

        internal override async Task NegotiateAsync(PreambleChannel ch, TlsTarget target)
        {
            await ch.SendAsync(SslRequest, "SSLRequest (code 80877103)", "SSLRequest: the client asks the server to switch to TLS before the startup message.").ConfigureAwait(false);
            var answer = await ch.ReadExactAsync(1).ConfigureAwait(false);
            switch ((char)answer[0])
            {
                case 'S':
                    ch.Received(answer, "S", "'S': the server agrees; the next bytes are the TLS handshake.");
                    return;
                case 'N':
                    ch.Received(answer, "N", "'N': the server does not do TLS on this connection.");
                    throw ch.NotOffered("it answered the SSLRequest with 'N' (ssl = off)", "N");
                case 'E':
                {
                    // An ErrorResponse (a server too old for SSLRequest, or one that refuses the connection): length, then fields.
                    var head = await ch.ReadExactAsync(4).ConfigureAwait(false);
                    int len = (head[0] << 24) | (head[1] << 16) | (head[2] << 8) | head[3];
                    var body = await ch.ReadExactAsync(len - 4).ConfigureAwait(false);
                    var text = ErrorText(body);
                    var raw = new byte[1 + 4 + body.Length];
                    raw[0] = answer[0];
                    Buffer.BlockCopy(head, 0, raw, 1, 4);
                    Buffer.BlockCopy(body, 0, raw, 5, body.Length);
                    ch.Received(raw, text, "ErrorResponse: the server refused the SSLRequest.");
                    throw ch.Refused("it answered the SSLRequest with an error", text);
                }
                default:
                    ch.Received(answer, "0x" + answer[0].ToString("X2"), "An answer that is neither 'S' nor 'N'.");
                    throw ch.ProtocolError("answered the SSLRequest with neither 'S' nor 'N'", "0x" + answer[0].ToString("X2"));
            }
        }

        /// <summary>The severity, code and message fields of an ErrorResponse body (type byte, NUL-terminated text; a NUL ends them).</summary>
        internal static string ErrorText(byte[] body)
        {
            var parts = new List<string>();
            int i = 0;
            while (i < body.Length && body[i] != 0)
            {
                char type = (char)body[i++];
                int end = Array.IndexOf(body, (byte)0, i);
                if (end < 0) end = body.Length;
                var value = Encoding.UTF8.GetString(body, i, end - i);
                if (type == 'S' || type == 'C' || type == 'M') parts.Add(value);
                i = end + 1;
            }
            return string.Join(" ", parts);
        }
    }

    /// <summary>MySQL/MariaDB: the server's initial handshake packet (CLIENT_SSL in its capabilities), then the client's SSL request packet.</summary>
    internal sealed class MysqlDialect : StartTlsDialect
    {
        internal const uint ClientLongPassword = 0x1, ClientProtocol41 = 0x200, ClientSsl = 0x800, ClientSecureConnection = 0x8000;

        /// <summary>A packet payload as it arrived: 3-byte little-endian length, sequence id, payload.</summary>
        internal static async Task<(byte[] Raw, byte[] Payload)> ReadPacketAsync(PreambleChannel ch)
        {
            var head = await ch.ReadExactAsync(4).ConfigureAwait(false);
            int len = head[0] | (head[1] << 8) | (head[2] << 16);
            var payload = await ch.ReadExactAsync(len).ConfigureAwait(false);
            var raw = new byte[4 + len];
            Buffer.BlockCopy(head, 0, raw, 0, 4);
            Buffer.BlockCopy(payload, 0, raw, 4, len);
            return (raw, payload);
        }

        /// <summary>The parts of a protocol-10 greeting TlsTools reads: server version and capability flags. Null when it is not one.</summary>
        internal static (string Version, uint Capabilities)? ParseGreeting(byte[] p)
        {
            if (p.Length < 1 || p[0] != 10) return null;
            int nul = Array.IndexOf(p, (byte)0, 1);
            if (nul < 0) return null;
            var version = Encoding.ASCII.GetString(p, 1, nul - 1);
            int pos = nul + 1 + 4 + 8 + 1; // thread id, auth-plugin-data part 1, filler
            if (p.Length < pos + 2) return null;
            uint caps = (uint)(p[pos] | (p[pos + 1] << 8));
            pos += 2 + 1 + 2; // character set, status flags
            if (p.Length >= pos + 2) caps |= (uint)(p[pos] | (p[pos + 1] << 8)) << 16;
            return (version, caps);
        }

        /// <summary>The message of an ERR packet (0xFF, error code, optional '#' and SQL state).</summary>
        internal static string ErrorText(byte[] p)
        {
            if (p.Length < 3) return "";
            int code = p[1] | (p[2] << 8);
            int pos = 3;
            if (p.Length > pos && p[pos] == '#') pos += 6;
            return "ERROR " + code + ": " + (p.Length > pos ? Encoding.UTF8.GetString(p, pos, p.Length - pos) : "");
        }

        internal override async Task NegotiateAsync(PreambleChannel ch, TlsTarget target)
        {
            var (raw, payload) = await ReadPacketAsync(ch).ConfigureAwait(false);
            if (payload.Length > 0 && payload[0] == 0xFF)
            {
                var text = ErrorText(payload);
                ch.Received(raw, text, "An error packet instead of a greeting: the server turned the connection away.");
                throw ch.Refused("it sent an error instead of its greeting", text);
            }
            var greeting = ParseGreeting(payload);
            if (greeting == null)
            {
                ch.Received(raw, "(" + payload.Length + " bytes)", "Not a protocol-10 greeting.");
                throw ch.ProtocolError("sent something other than a protocol-10 greeting", PreambleChannel.Quote(Encoding.ASCII.GetString(payload)));
            }
            var (version, caps) = greeting.Value;
            bool ssl = (caps & ClientSsl) != 0;
            var said = "server " + version + ", capabilities 0x" + caps.ToString("X8");
            ch.Received(raw, said, "Greeting: the server's version and capabilities" + (ssl ? ", CLIENT_SSL among them." : ", without CLIENT_SSL."),
                ("ServerVersion", version), ("Capabilities", "0x" + caps.ToString("X8")), ("ClientSsl", ssl));
            if (!ssl) throw ch.NotOffered("its greeting lacks the CLIENT_SSL capability", said);

            // SSL request: capabilities, max packet size, character set (utf8mb4), 23 zero bytes; sequence id 1.
            uint mine = ClientLongPassword | ClientProtocol41 | ClientSsl | ClientSecureConnection;
            var packet = new byte[4 + 32];
            packet[0] = 32;
            packet[3] = 1;
            for (int i = 0; i < 4; i++) packet[4 + i] = (byte)(mine >> (8 * i));
            packet[8 + 3] = 0x01; // 16 MiB
            packet[12] = 45;
            await ch.SendAsync(packet, "SSL request, capabilities 0x" + mine.ToString("X8"),
                "SSL request: the client sets CLIENT_SSL; the next bytes are the TLS handshake.", ("Capabilities", "0x" + mine.ToString("X8"))).ConfigureAwait(false);
        }
    }

    /// <summary>LDAP (RFC 4511 §4.14, RFC 4513 §3): the StartTLS extended request (OID 1.3.6.1.4.1.1466.20037) and its extended response.</summary>
    internal sealed class LdapDialect : StartTlsDialect
    {
        internal const string StartTlsOid = "1.3.6.1.4.1.1466.20037";

        /// <summary>LDAPMessage { messageID 1, [APPLICATION 23] ExtendedRequest { [0] requestName } }.</summary>
        internal static byte[] Request()
        {
            var oid = Encoding.ASCII.GetBytes(StartTlsOid);
            var ext = Tlv(0x77, Tlv(0x80, oid));
            var msg = new List<byte> { 0x02, 0x01, 0x01 };
            msg.AddRange(ext);
            return Tlv(0x30, msg.ToArray());
        }

        private static byte[] Tlv(byte tag, byte[] body)
        {
            var r = new List<byte> { tag, (byte)body.Length }; // every part here is shorter than 128 bytes
            r.AddRange(body);
            return r.ToArray();
        }

        /// <summary>The result of an ExtendedResponse: code and diagnostic message. Throws InvalidOperationException on malformed BER.</summary>
        internal static (int MessageId, int ResultCode, string Diagnostic) ParseResponse(byte[] message)
        {
            var r = new Ber(message);
            r.Enter(0x30);
            int id = (int)r.Integer(0x02);
            r.Enter(0x78);
            int code = (int)r.Integer(0x0A);
            r.OctetString(0x04); // matchedDN
            var diag = Encoding.UTF8.GetString(r.OctetString(0x04));
            return (id, code, diag);
        }

        internal override async Task NegotiateAsync(PreambleChannel ch, TlsTarget target)
        {
            await ch.SendAsync(Request(), "ExtendedRequest " + StartTlsOid + " (StartTLS)",
                "StartTLS extended request: the client asks to switch to TLS (message 1).").ConfigureAwait(false);
            var head = await ch.ReadExactAsync(2).ConfigureAwait(false);
            if (head[0] != 0x30) { ch.Received(head, "tag 0x" + head[0].ToString("X2"), "Not an LDAP message."); throw ch.ProtocolError("answered with something other than an LDAP message", "tag 0x" + head[0].ToString("X2")); }
            byte[] lenBytes = Array.Empty<byte>();
            int len = head[1];
            if ((len & 0x80) != 0)
            {
                int n = len & 0x7F;
                if (n == 0 || n > 3) throw ch.ProtocolError("sent a BER length TlsTools does not accept", "length byte 0x" + head[1].ToString("X2"));
                lenBytes = await ch.ReadExactAsync(n).ConfigureAwait(false);
                len = 0;
                foreach (var b in lenBytes) len = (len << 8) | b;
            }
            var body = await ch.ReadExactAsync(len).ConfigureAwait(false);
            var raw = new byte[2 + lenBytes.Length + body.Length];
            Buffer.BlockCopy(head, 0, raw, 0, 2);
            Buffer.BlockCopy(lenBytes, 0, raw, 2, lenBytes.Length);
            Buffer.BlockCopy(body, 0, raw, 2 + lenBytes.Length, body.Length);
            (int, int, string) parsed;
            try
            {
                parsed = ParseResponse(raw);
            }
            catch (InvalidOperationException e)
            {
                ch.Received(raw, "(" + raw.Length + " bytes)", "Not an extended response.");
                throw ch.ProtocolError("answered with something other than an extended response (" + e.Message + ")", DecodeText.Hex(raw));
            }
            var (id, code, diag) = parsed;
            var said = "resultCode " + code + (diag.Length > 0 ? ", " + diag : "");
            ch.Received(raw, "ExtendedResponse " + said, code == 0
                ? "StartTLS extended response, success: the next bytes are the TLS handshake."
                : "StartTLS extended response, result " + code + ": the server does not start TLS.", ("MessageId", id), ("ResultCode", code), ("DiagnosticMessage", diag));
            if (id == 0) throw ch.Refused("it sent a notice of disconnection", said);
            if (code == 0) return;
            // protocolError (2): the operation is not supported; unavailable (52): TLS is not set up (RFC 4513 §3.1.3).
            if (code == 2 || code == 52) throw ch.NotOffered("it answered the StartTLS request with result " + code, said);
            throw ch.Refused("it answered the StartTLS request with result " + code, said);
        }

        /// <summary>A minimal BER reader for the one response shape (definite lengths only).</summary>
        private sealed class Ber
        {
            private readonly byte[] _d;
            private int _pos;

            public Ber(byte[] d) => _d = d;

            private int Header(byte tag)
            {
                if (_pos + 2 > _d.Length) throw new InvalidOperationException("truncated");
                if (_d[_pos] != tag) throw new InvalidOperationException("expected tag 0x" + tag.ToString("X2") + ", got 0x" + _d[_pos].ToString("X2"));
                _pos++;
                int len = _d[_pos++];
                if ((len & 0x80) != 0)
                {
                    int n = len & 0x7F;
                    if (n == 0 || n > 3 || _pos + n > _d.Length) throw new InvalidOperationException("bad length");
                    len = 0;
                    for (int i = 0; i < n; i++) len = (len << 8) | _d[_pos++];
                }
                if (_pos + len > _d.Length) throw new InvalidOperationException("length beyond the message");
                return len;
            }

            public void Enter(byte tag) => Header(tag);

            public long Integer(byte tag)
            {
                int len = Header(tag);
                if (len < 1 || len > 4) throw new InvalidOperationException("bad integer");
                long v = (sbyte)_d[_pos];
                for (int i = 1; i < len; i++) v = (v << 8) | _d[_pos + i];
                _pos += len;
                return v;
            }

            public byte[] OctetString(byte tag)
            {
                int len = Header(tag);
                var v = new byte[len];
                Buffer.BlockCopy(_d, _pos, v, 0, len);
                _pos += len;
                return v;
            }
        }
    }
}
