using TlsTools.Tls;
using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace TlsTools.Scanning.Wire
{
    /// <summary>What to put in a probing ClientHello. Only fields that are set produce an extension.</summary>
    internal sealed class ClientHelloSpec
    {
        /// <summary>SSLv3..TLS 1.2: the client_version; TLS 1.3: legacy_version 1.2 plus supported_versions {1.3}.</summary>
        public TlsVersion Version { get; set; } = TlsVersion.Tls12;

        /// <summary>Cipher suite code points in preference order.</summary>
        public IList<int> CipherSuites { get; set; } = new List<int>();

        /// <summary>SNI host name; null sends no server_name extension.</summary>
        public string? ServerName { get; set; }

        /// <summary>supported_groups (and ec_point_formats below TLS 1.3); null omits them.</summary>
        public IList<int>? NamedGroups { get; set; }

        /// <summary>signature_algorithms (TLS 1.2 and 1.3 only); null omits it.</summary>
        public IList<int>? SignatureSchemes { get; set; }

        /// <summary>TLS 1.3: groups for which a key share of the right length is sent (a valid-looking public value). Empty: an
        /// empty key_share list, so a server that accepts a group answers with HelloRetryRequest.</summary>
        public IList<int> KeyShares { get; set; } = new List<int>();

        public IList<string>? Alpn { get; set; }

        public bool RenegotiationInfo { get; set; } = true;

        /// <summary>renegotiation_info's renegotiated_connection (RFC 5746 §3.5): the client's verify_data of the handshake being
        /// renegotiated; null or empty on an initial handshake.</summary>
        public byte[]? RenegotiatedConnection { get; set; }

        /// <summary>Send TLS_EMPTY_RENEGOTIATION_INFO_SCSV instead of the extension (used for SSL 3.0).</summary>
        public bool RenegotiationScsv { get; set; }

        /// <summary>Append TLS_FALLBACK_SCSV (RFC 7507): "this is a downgraded retry".</summary>
        public bool FallbackScsv { get; set; }

        public bool SessionTicket { get; set; } = true;
        public bool ExtendedMasterSecret { get; set; } = true;
        public bool StatusRequest { get; set; } = true;

        /// <summary>SSL 3.0 hellos carry no extensions unless this is set.</summary>
        public bool ExtensionsInSsl3 { get; set; }

        /// <summary>compression_methods in preference order; null: null compression only. (The CRIME probe offers DEFLATE, 1.)</summary>
        public IList<int>? CompressionMethods { get; set; }

        /// <summary>Send the heartbeat extension (RFC 6520, peer_allowed_to_send): the Heartbleed probe.</summary>
        public bool Heartbeat { get; set; }
    }

    /// <summary>Encodes probing ClientHellos as TLS records (no BouncyCastle handshake code involved).</summary>
    internal static class ClientHelloCodec
    {
        public const int ExtServerName = ExtensionCodes.ServerName, ExtStatusRequest = ExtensionCodes.StatusRequest,
            ExtSupportedGroups = ExtensionCodes.SupportedGroups, ExtEcPointFormats = ExtensionCodes.EcPointFormats,
            ExtSignatureAlgorithms = ExtensionCodes.SignatureAlgorithms, ExtAlpn = ExtensionCodes.Alpn, ExtEncryptThenMac = ExtensionCodes.EncryptThenMac,
            ExtExtendedMasterSecret = ExtensionCodes.ExtendedMasterSecret, ExtSessionTicket = ExtensionCodes.SessionTicket,
            ExtSupportedVersions = ExtensionCodes.SupportedVersions, ExtPskKeyExchangeModes = ExtensionCodes.PskKeyExchangeModes,
            ExtKeyShare = ExtensionCodes.KeyShare, ExtRenegotiationInfo = ExtensionCodes.RenegotiationInfo,
            ExtHeartbeat = ExtensionCodes.Heartbeat;

        private static readonly Random Rng = new Random();

        private static byte[] RandomBytes(int n)
        {
            var b = new byte[n];
            lock (Rng) Rng.NextBytes(b); // probe randomness needs no cryptographic quality: no secret is ever derived
            return b;
        }

        /// <summary>The ClientHello handshake message (4-byte header + body).</summary>
        public static byte[] BuildHandshake(ClientHelloSpec spec)
        {
            if (spec == null) throw new ArgumentNullException(nameof(spec));
            bool tls13 = spec.Version == TlsVersion.Tls13;
            var body = new MemoryStream();
            U16(body, tls13 ? 0x0303 : TlsRegistry.Versions.ToWire(spec.Version));
            Raw(body, RandomBytes(32));
            if (tls13) { body.WriteByte(32); Raw(body, RandomBytes(32)); } // middlebox-compatibility session id
            else body.WriteByte(0);

            var suites = new List<int>(spec.CipherSuites);
            if (spec.RenegotiationScsv) suites.Add(TlsRegistry.CipherSuites.EmptyRenegotiationInfoScsv);
            if (spec.FallbackScsv) suites.Add(TlsRegistry.CipherSuites.FallbackScsv);
            if (suites.Count == 0 || suites.Count > 32767)
                throw new TlsToolsException(ErrorIds.InvalidClientHello, ErrorKind.InvalidArgument, "A ClientHello needs 1 to 32767 cipher suites.");
            U16(body, suites.Count * 2);
            foreach (var s in suites) U16(body, s);
            var compression = spec.CompressionMethods ?? new[] { 0 };
            if (compression.Count == 0 || compression.Count > 255)
                throw new TlsToolsException(ErrorIds.InvalidClientHello, ErrorKind.InvalidArgument, "A ClientHello needs 1 to 255 compression methods.");
            body.WriteByte((byte)compression.Count);
            foreach (var c in compression) body.WriteByte((byte)c);

            if (spec.Version != TlsVersion.Ssl30 || spec.ExtensionsInSsl3)
            {
                var ext = new MemoryStream();
                WriteExtensions(ext, spec, tls13);
                if (ext.Length > 0xFFFF) throw new TlsToolsException(ErrorIds.InvalidClientHello, ErrorKind.InvalidArgument, "ClientHello extensions are too long.");
                U16(body, (int)ext.Length);
                Raw(body, ext.ToArray());
            }

            var msg = new MemoryStream();
            msg.WriteByte(1);
            U24(msg, (int)body.Length);
            Raw(msg, body.ToArray());
            return msg.ToArray();
        }

        /// <summary>The ClientHello wrapped in handshake records (fragmented at 16 KiB).</summary>
        public static byte[] Build(ClientHelloSpec spec)
        {
            var hs = BuildHandshake(spec);
            int recordVersion = spec.Version == TlsVersion.Ssl30 ? 0x0300 : 0x0301;
            var rec = new MemoryStream();
            for (int off = 0; off < hs.Length; off += 16384)
            {
                int n = Math.Min(16384, hs.Length - off);
                rec.WriteByte(22);
                U16(rec, recordVersion);
                U16(rec, n);
                rec.Write(hs, off, n);
            }
            return rec.ToArray();
        }

        private static void WriteExtensions(MemoryStream ext, ClientHelloSpec spec, bool tls13)
        {
            if (!string.IsNullOrEmpty(spec.ServerName))
            {
                var name = Encoding.ASCII.GetBytes(spec.ServerName);
                Extension(ext, ExtServerName, w => { U16(w, name.Length + 3); w.WriteByte(0); U16(w, name.Length); Raw(w, name); });
            }
            if (spec.NamedGroups != null)
            {
                var groups = spec.NamedGroups;
                Extension(ext, ExtSupportedGroups, w => { U16(w, groups.Count * 2); foreach (var g in groups) U16(w, g); });
                Extension(ext, ExtEcPointFormats, w => { w.WriteByte(1); w.WriteByte(0); });
            }
            if (spec.SignatureSchemes != null && (tls13 || spec.Version == TlsVersion.Tls12))
            {
                var schemes = spec.SignatureSchemes;
                Extension(ext, ExtSignatureAlgorithms, w => { U16(w, schemes.Count * 2); foreach (var s in schemes) U16(w, s); });
            }
            if (spec.StatusRequest)
                Extension(ext, ExtStatusRequest, w => { w.WriteByte(1); U16(w, 0); U16(w, 0); }); // ocsp, no responder ids, no extensions
            if (spec.Alpn != null && spec.Alpn.Count > 0)
            {
                var list = new MemoryStream();
                foreach (var p in spec.Alpn)
                {
                    var b = Encoding.ASCII.GetBytes(p);
                    if (b.Length == 0 || b.Length > 255) throw new TlsToolsException(ErrorIds.InvalidClientHello, ErrorKind.InvalidArgument, "ALPN protocol names are 1 to 255 bytes.");
                    list.WriteByte((byte)b.Length);
                    Raw(list, b);
                }
                Extension(ext, ExtAlpn, w => { U16(w, (int)list.Length); Raw(w, list.ToArray()); });
            }
            if (spec.SessionTicket) Extension(ext, ExtSessionTicket, _ => { });
            if (spec.ExtendedMasterSecret) Extension(ext, ExtExtendedMasterSecret, _ => { });
            if (spec.RenegotiationInfo && !spec.RenegotiationScsv)
            {
                var renegotiated = spec.RenegotiatedConnection ?? Array.Empty<byte>();
                if (renegotiated.Length > 255) throw new TlsToolsException(ErrorIds.InvalidClientHello, ErrorKind.InvalidArgument, "renegotiated_connection is 0 to 255 bytes.");
                Extension(ext, ExtRenegotiationInfo, w => { w.WriteByte((byte)renegotiated.Length); Raw(w, renegotiated); });
            }
            if (spec.Heartbeat) Extension(ext, ExtHeartbeat, w => w.WriteByte(1)); // peer_allowed_to_send
            if (tls13)
            {
                Extension(ext, ExtSupportedVersions, w => { w.WriteByte(2); U16(w, 0x0304); });
                Extension(ext, ExtPskKeyExchangeModes, w => { w.WriteByte(1); w.WriteByte(1); }); // psk_dhe_ke
                var shares = new MemoryStream();
                foreach (var g in spec.KeyShares)
                {
                    var key = KeyShareFor(g);
                    U16(shares, g);
                    U16(shares, key.Length);
                    Raw(shares, key);
                }
                Extension(ext, ExtKeyShare, w => { U16(w, (int)shares.Length); Raw(w, shares.ToArray()); });
            }
        }

        /// <summary>
        /// A public value of the right length that a server accepts as well-formed: the curve's base point for the NIST curves,
        /// the base point u=9 (x25519) / u=5 (x448), 2 for FFDHE, random bytes otherwise. No shared secret is ever used.
        /// </summary>
        internal static byte[] KeyShareFor(int group)
        {
            switch (group)
            {
                case 23: return Concat(new byte[] { 4 }, Hex("6B17D1F2E12C4247F8BCE6E563A440F277037D812DEB33A0F4A13945D898C296"),
                    Hex("4FE342E2FE1A7F9B8EE7EB4A7C0F9E162BCE33576B315ECECBB6406837BF51F5"));
                case 24: return Concat(new byte[] { 4 },
                    Hex("AA87CA22BE8B05378EB1C71EF320AD746E1D3B628BA79B9859F741E082542A385502F25DBF55296C3A545E3872760AB7"),
                    Hex("3617DE4A96262C6F5D9E98BF9292DC29F8F41DBD289A147CE9DA3113B5F0B8C00A60B1CE1D7E819D7A431D7C90EA0E5F"));
                case 25: return Concat(new byte[] { 4 },
                    Hex("00C6858E06B70404E9CD9E3ECB662395B4429C648139053FB521F828AF606B4D3DBAA14B5E77EFE75928FE1DC127A2FFA8DE3348B3C1856A429BF97E7E31C2E5BD66"),
                    Hex("011839296A789A3BC0045C8A5FB42C7D1BD998F54449579B446817AFBD17273E662C97EE72995EF42640C550B9013FAD0761353C7086A272C24088BE94769FD16650"));
                case 29: { var k = new byte[32]; k[0] = 9; return k; }
                case 30: { var k = new byte[56]; k[0] = 5; return k; }
            }
            var info = TlsRegistry.NamedGroups.Find(group);
            if (info != null && info.Kind == NamedGroupKind.FiniteField) { var k = new byte[info.KeyShareLength]; k[k.Length - 1] = 2; return k; }
            return RandomBytes(info != null && info.KeyShareLength > 0 ? info.KeyShareLength : 32);
        }

        private static byte[] Hex(string s)
        {
            var b = new byte[s.Length / 2];
            for (int i = 0; i < b.Length; i++) b[i] = Convert.ToByte(s.Substring(2 * i, 2), 16);
            return b;
        }

        private static byte[] Concat(params byte[][] parts)
        {
            var m = new MemoryStream();
            foreach (var p in parts) Raw(m, p);
            return m.ToArray();
        }

        private static void Extension(MemoryStream ext, int type, Action<MemoryStream> write)
        {
            var data = new MemoryStream();
            write(data);
            U16(ext, type);
            U16(ext, (int)data.Length);
            Raw(ext, data.ToArray());
        }

        private static void U16(Stream s, int v) { s.WriteByte((byte)(v >> 8)); s.WriteByte((byte)v); }
        private static void U24(Stream s, int v) { s.WriteByte((byte)(v >> 16)); s.WriteByte((byte)(v >> 8)); s.WriteByte((byte)v); }
        private static void Raw(Stream s, byte[] b) => s.Write(b, 0, b.Length);
    }
}
