using System;
using System.Collections.Generic;
using System.Text;

namespace TlsTools.Tls
{
    /// <summary>A ServerHello or HelloRetryRequest as read from the wire: the fields, every extension raw, and the few
    /// extensions whose meaning both the decoder and the scanner need.</summary>
    internal sealed class ServerHelloInfo
    {
        public int LegacyVersion { get; set; }
        /// <summary>The negotiated version: supported_versions when present, else server_version.</summary>
        public int Version { get; set; }
        /// <summary>The supported_versions extension's value; null when absent.</summary>
        public int? SelectedVersion { get; set; }
        public byte[] Random { get; set; } = Array.Empty<byte>();
        public bool IsHelloRetryRequest { get; set; }
        public byte[] SessionId { get; set; } = Array.Empty<byte>();
        public int CipherSuite { get; set; }
        public int Compression { get; set; }
        /// <summary>Extension types in the order sent.</summary>
        public List<int> Extensions { get; } = new List<int>();
        /// <summary>Extensions in the order sent, with their bytes; null when the hello had no extension block.</summary>
        public List<(int Type, byte[] Data)>? ExtensionBlock { get; set; }
        public byte[]? RenegotiationInfo { get; set; }
        public string? Alpn { get; set; }
        /// <summary>key_share group: the selected group in a HelloRetryRequest, the server's share group in a ServerHello.</summary>
        public int? KeyShareGroup { get; set; }
        /// <summary>What was wrong with an extension (a duplicate, a malformed value); the fields above are still read.</summary>
        public string? Problem { get; set; }

        public bool Has(int extension) => Extensions.Contains(extension);
    }

    /// <summary>What a ServerKeyExchange for (EC)DHE holds.</summary>
    internal sealed class ServerKeyExchangeInfo
    {
        public int? NamedGroup { get; set; }
        public int? CurveType { get; set; }
        public int? PublicKeyLength { get; set; }
        public byte[]? DhPrime { get; set; }
        public byte[]? DhGenerator { get; set; }
        public int? DhPrimeBits { get; set; }
        public int? SignatureScheme { get; set; }
        public int? SignatureLength { get; set; }
    }

    /// <summary>
    /// The one wire parser for ServerHello, HelloRetryRequest and ServerKeyExchange, used by the transcript decoder and by
    /// the scanner. Throws TlsToolsException (MalformedServerMessage) on structure it cannot read.
    /// </summary>
    internal static class ServerMessages
    {
        /// <summary>The fixed random that marks a HelloRetryRequest (RFC 8446 4.1.3).</summary>
        internal static readonly byte[] HelloRetryRequestRandom =
        {
            0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11, 0xBE, 0x1D, 0x8C, 0x02, 0x1E, 0x65, 0xB8, 0x91,
            0xC2, 0xA2, 0x11, 0x16, 0x7A, 0xBB, 0x8C, 0x5E, 0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C,
        };

        /// <summary>True when a handshake message (4-byte header + body) is a ServerHello carrying the HelloRetryRequest random.</summary>
        internal static bool IsHelloRetryRequest(byte[] message) =>
            message.Length >= 4 + 2 + 32 && message[0] == 2 && SameBytes(message, 6, HelloRetryRequestRandom);

        /// <summary>Parses a ServerHello / HelloRetryRequest body.</summary>
        internal static ServerHelloInfo ParseServerHello(WireReader r)
        {
            var h = new ServerHelloInfo();
            h.LegacyVersion = r.U16();
            h.Version = h.LegacyVersion;
            h.Random = r.Bytes(32);
            h.IsHelloRetryRequest = SameBytes(h.Random, 0, HelloRetryRequestRandom);
            var sid = r.Vector8("ServerHello session id");
            if (sid.Remaining > 32) throw WireReader.Malformed("ServerHello", "session id longer than 32 bytes");
            h.SessionId = sid.Rest();
            h.CipherSuite = r.U16();
            h.Compression = r.U8();
            if (r.AtEnd) return h; // SSL 3.0 / TLS without extensions
            var exts = r.Vector16("ServerHello extensions");
            h.ExtensionBlock = new List<(int, byte[])>();
            while (!exts.AtEnd)
            {
                int type = exts.U16();
                var data = exts.VectorBytes(2);
                if (h.Extensions.Contains(type)) h.Problem ??= "duplicate extension " + type;
                h.Extensions.Add(type);
                h.ExtensionBlock.Add((type, data));
                try
                {
                    Interpret(h, type, new WireReader(data, "ServerHello extension " + type));
                }
                catch (TlsToolsException e)
                {
                    h.Problem ??= e.Message;
                }
            }
            if (!r.AtEnd) throw WireReader.Malformed("ServerHello", "trailing bytes");
            return h;
        }

        private static void Interpret(ServerHelloInfo h, int type, WireReader data)
        {
            switch (type)
            {
                case ExtensionCodes.SupportedVersions:
                    h.SelectedVersion = data.U16();
                    h.Version = h.SelectedVersion.Value;
                    break;
                case ExtensionCodes.RenegotiationInfo:
                    h.RenegotiationInfo = data.VectorBytes(1);
                    break;
                case ExtensionCodes.Alpn:
                    var list = data.Vector16("ALPN list");
                    h.Alpn = Encoding.ASCII.GetString(list.VectorBytes(1));
                    break;
                case ExtensionCodes.KeyShare:
                    h.KeyShareGroup = data.U16();
                    break;
            }
        }

        /// <summary>
        /// Parses an (EC)DHE ServerKeyExchange: the named curve and point, or the DH prime, generator and public value; then,
        /// when <paramref name="signed"/> and bytes remain, the signature (with its TLS 1.2 scheme when
        /// <paramref name="hasScheme"/>; null guesses from the lengths). A PSK suite starts with an identity hint.
        /// </summary>
        internal static ServerKeyExchangeInfo ParseServerKeyExchange(WireReader r, bool ecdhe, bool pskHint, bool signed, bool? hasScheme)
        {
            var info = new ServerKeyExchangeInfo();
            if (pskHint) r.Vector16("PSK identity hint");
            if (ecdhe)
            {
                int curveType = r.U8();
                info.CurveType = curveType;
                if (curveType != 3) throw WireReader.Malformed("ServerKeyExchange", "curve type " + curveType + " is not named_curve");
                info.NamedGroup = r.U16();
                info.PublicKeyLength = r.VectorBytes(1).Length;
            }
            else
            {
                info.DhPrime = r.VectorBytes(2);
                info.DhPrimeBits = BitLength(info.DhPrime);
                info.DhGenerator = r.VectorBytes(2);
                info.PublicKeyLength = r.VectorBytes(2).Length;
            }
            if (!signed || r.AtEnd) return info;
            // TLS 1.2+ put a 2-byte signature scheme before the 2-byte-length signature; TLS 1.0/1.1 do not.
            bool scheme = hasScheme ?? (r.Remaining >= 4 && r.PeekU16(2) == r.Remaining - 4);
            if (scheme) info.SignatureScheme = r.U16();
            info.SignatureLength = r.VectorBytes(2).Length;
            return info;
        }

        internal static int BitLength(byte[] b)
        {
            for (int i = 0; i < b.Length; i++)
            {
                if (b[i] == 0) continue;
                int bits = 8;
                for (int v = b[i]; (v & 0x80) == 0; v <<= 1) bits--;
                return bits + 8 * (b.Length - i - 1);
            }
            return 0;
        }

        internal static bool SameBytes(byte[] data, int offset, byte[] expected)
        {
            if (offset < 0 || offset + expected.Length > data.Length) return false;
            for (int i = 0; i < expected.Length; i++)
                if (data[offset + i] != expected[i]) return false;
            return true;
        }
    }
}
