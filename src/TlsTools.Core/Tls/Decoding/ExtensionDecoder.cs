using System;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.Globalization;
using System.Linq;

namespace TlsTools.Tls
{
    /// <summary>What the extensions of a hello told about the handshake.</summary>
    internal sealed class HelloInfo
    {
        public string[]? SupportedVersions;
        public readonly List<string> KeyShareGroups = new List<string>();
        public string? ServerName;
        public readonly List<string> Alpn = new List<string>();
        public readonly List<string> SignatureSchemes = new List<string>();
    }

    /// <summary>Decodes extension blocks into name → value entries (names from the registry; a repeated one gets " #2").</summary>
    internal static class ExtensionDecoder
    {
        public static void Decode(OrderedDictionary target, byte[] block, Sender sender, TranscriptMessageType msg, HelloInfo info)
        {
            var r = new WireReader(block, "extensions");
            var list = new List<(int, byte[])>();
            while (!r.AtEnd)
            {
                int type = r.U16();
                list.Add((type, r.VectorBytes(2)));
            }
            Decode(target, list, sender, msg, info);
        }

        public static void Decode(OrderedDictionary target, IEnumerable<(int Type, byte[] Data)> extensions, Sender sender, TranscriptMessageType msg, HelloInfo info)
        {
            foreach (var (type, data) in extensions)
            {
                string name = TlsRegistry.Extensions.Name(type);
                object value;
                try { value = Value(type, data, sender, msg, info); }
                catch (Exception e) when (e is TlsToolsException || e is IndexOutOfRangeException) { value = "malformed (" + data.Length + " bytes): " + e.Message; }
                var key = name;
                for (int i = 2; target.Contains(key); i++) key = name + " #" + i;
                target[key] = value;
            }
        }

        private static object Value(int type, byte[] data, Sender sender, TranscriptMessageType msg, HelloInfo info)
        {
            var r = new WireReader(data, TlsRegistry.Extensions.Name(type));
            switch (type)
            {
                case ExtensionCodes.ServerName:
                {
                    if (data.Length == 0) return "acknowledged";
                    var list = r.Vector16("server_name list");
                    var names = new List<string>();
                    while (!list.AtEnd)
                    {
                        int nt = list.U8();
                        var n = list.VectorBytes(2);
                        names.Add(nt == 0 ? DecodeText.Ascii(n) : "type " + nt + ": " + DecodeText.Hex(n));
                    }
                    if (names.Count > 0) info.ServerName = names[0];
                    return names.Count == 1 ? names[0] : (object)names.ToArray();
                }
                case ExtensionCodes.SupportedGroups:
                    return DecodeText.U16List(r.VectorBytes(2)).Select(TlsRegistry.NamedGroups.Name).ToArray();
                case ExtensionCodes.EcPointFormats:
                    return r.VectorBytes(1).Select(b => b == 0 ? "uncompressed" : b == 1 ? "ansiX962_compressed_prime" : b == 2 ? "ansiX962_compressed_char2" : b.ToString(CultureInfo.InvariantCulture)).ToArray();
                case ExtensionCodes.SignatureAlgorithms:
                case ExtensionCodes.SignatureAlgorithmsCert:
                {
                    var schemes = DecodeText.SchemeList(r.VectorBytes(2));
                    if (type == ExtensionCodes.SignatureAlgorithms) info.SignatureSchemes.AddRange(schemes);
                    return schemes;
                }
                case ExtensionCodes.Alpn:
                {
                    var list = r.Vector16("ALPN list");
                    while (!list.AtEnd) info.Alpn.Add(DecodeText.Ascii(list.VectorBytes(1)));
                    return info.Alpn.Count == 1 && sender == Sender.Server ? info.Alpn[0] : (object)info.Alpn.ToArray();
                }
                case ExtensionCodes.SupportedVersions:
                    if (sender == Sender.Client)
                    {
                        var codes = DecodeText.U16List(r.VectorBytes(1));
                        info.SupportedVersions = codes.Where(c => !TlsRegistry.IsGrease(c)).Select(TlsRegistry.Versions.Name).ToArray();
                        return codes.Select(TlsRegistry.Versions.Name).ToArray();
                    }
                    return TlsRegistry.Versions.Name(r.U16());
                case ExtensionCodes.KeyShare:
                    return KeyShareValue(r, sender, msg, info);
                case ExtensionCodes.PskKeyExchangeModes:
                    return r.VectorBytes(1).Select(b => b == 0 ? "psk_ke" : b == 1 ? "psk_dhe_ke" : b.ToString(CultureInfo.InvariantCulture)).ToArray();
                case ExtensionCodes.RenegotiationInfo:
                {
                    var v = r.VectorBytes(1);
                    return v.Length == 0 ? "empty (initial handshake)" : DecodeText.Hex(v);
                }
                case ExtensionCodes.RecordSizeLimit:
                    return r.U16();
                case ExtensionCodes.MaxFragmentLength:
                    return r.U8() switch { 1 => "512", 2 => "1024", 3 => "2048", 4 => "4096", var x => x.ToString(CultureInfo.InvariantCulture) };
                case ExtensionCodes.StatusRequest:
                    if (data.Length == 0) return "acknowledged";
                    if (msg == TranscriptMessageType.Certificate) return StatusDecoder.Ocsp(Stapling.OcspFromCertificateStatus(data));
                    return r.U8() == 1 ? "ocsp" : "other";
                case ExtensionCodes.PreSharedKey:
                    if (sender == Sender.Server) return "selected identity " + r.U16();
                    return r.Vector16("PSK identities").CountVectors(2, 4) + " identities";
                case ExtensionCodes.EarlyData:
                    return data.Length == 4 ? "max " + r.U32() + " bytes" : "requested";
                case ExtensionCodes.SignedCertificateTimestamp:
                    if (data.Length == 0) return "requested";
                    return StatusDecoder.Scts(data);
                case ExtensionCodes.Padding:
                    return data.Length + " bytes";
                default:
                    if (data.Length == 0) return "present";
                    return data.Length <= 32 ? DecodeText.Hex(data) : data.Length + " bytes";
            }
        }

        private static object KeyShareValue(WireReader r, Sender sender, TranscriptMessageType msg, HelloInfo info)
        {
            if (msg == TranscriptMessageType.HelloRetryRequest)
            {
                var g = TlsRegistry.NamedGroups.Name(r.U16());
                info.KeyShareGroups.Add(g);
                return "asks for " + g;
            }
            if (sender == Sender.Client)
            {
                var list = r.Vector16("key_share list");
                var shares = new List<string>();
                while (!list.AtEnd)
                {
                    var g = TlsRegistry.NamedGroups.Name(list.U16());
                    var k = list.VectorBytes(2);
                    info.KeyShareGroups.Add(g);
                    shares.Add(g + " (" + k.Length + "-byte key)");
                }
                return shares.ToArray();
            }
            var group = TlsRegistry.NamedGroups.Name(r.U16());
            var key = r.VectorBytes(2);
            info.KeyShareGroups.Add(group);
            return group + " (" + key.Length + "-byte key)";
        }
    }
}
