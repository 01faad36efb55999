using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace TlsTools.Tls
{
    /// <summary>What kind of key exchange a named group is.</summary>
    public enum NamedGroupKind
    {
        /// <summary>An elliptic curve: NIST/SEC, brainpool, x25519/x448, GOST, SM2.</summary>
        EllipticCurve,
        /// <summary>A finite-field Diffie-Hellman group (RFC 7919 ffdhe*).</summary>
        FiniteField,
        /// <summary>A post-quantum KEM on its own (ML-KEM).</summary>
        PostQuantum,
        /// <summary>A classical curve combined with a post-quantum KEM (X25519MLKEM768, ...).</summary>
        HybridPostQuantum,
    }

    /// <summary>A TLS named group (supported_groups / key_share).</summary>
    public sealed class NamedGroupInfo : TlsCodePoint
    {
        internal NamedGroupInfo(int code, string name, NamedGroupKind kind, int securityBits, bool tls12, bool tls13, int keyShareLength,
            params string[] aliases) : base(code, name, aliases)
        {
            Kind = kind;
            SecurityBits = securityBits;
            UsableInTls12 = tls12;
            UsableInTls13 = tls13;
            KeyShareLength = keyShareLength;
        }

        public NamedGroupKind Kind { get; }

        /// <summary>Approximate classical security strength in bits.</summary>
        public int SecurityBits { get; }

        /// <summary>Negotiated in TLS 1.2 ECDHE (EC groups) or RFC 7919 DHE (FFDHE).</summary>
        public bool UsableInTls12 { get; }

        /// <summary>Allowed in TLS 1.3 key_share.</summary>
        public bool UsableInTls13 { get; }

        /// <summary>Length of a client key share for this group (0 when unknown).</summary>
        public int KeyShareLength { get; }

        /// <summary>TlsTools' own client and server (on BouncyCastle) can offer and use it.</summary>
        public bool SupportedByTlsTools { get; internal set; }
    }

    public static partial class TlsRegistry
    {
        /// <summary>IANA TLS named groups (RFC 8422, 7919, 8446, 8734, 9189, 8998 and the ML-KEM drafts).</summary>
        public static class NamedGroups
        {
            // What TlsTools' client can offer, in its preference order (declared before Table: Build reads it).
            private static readonly int[] Usable =
            {
                29, 30, 23, 24, 25, 31, 32, 33, 256, 257, 258, 259, 260, 4588, 4587, 4589, 21, 22, 10, 26,
            };

            private static readonly CodeTable<NamedGroupInfo> Table = new CodeTable<NamedGroupInfo>(Build(), 2,
                ErrorIds.UnknownNamedGroup, "named group", "x25519");

            /// <summary>All groups, ordered by code.</summary>
            public static IReadOnlyList<NamedGroupInfo> All => Table.All;

            /// <summary>The groups TlsTools' client can offer, most common first (the argument completers list these).</summary>
            public static IReadOnlyList<NamedGroupInfo> Offerable => Usable.Select(c => Find(c)!).ToArray();

            public static NamedGroupInfo? Find(int code) => Table.Find(code);

            /// <summary>By IANA name or an alias (P-256, prime256v1, X25519); case-insensitive.</summary>
            public static NamedGroupInfo? FindByName(string name) => Table.FindByName(name);

            /// <summary>How a group prints: "x25519", or <c>unknown(0x1234)</c>.</summary>
            public static string Name(int code) => Table.Name(code);

            /// <summary>Name, alias or hex to a code; a TlsToolsException (InvalidArgument, UnknownNamedGroup) otherwise.</summary>
            public static int Parse(string name) => Table.Parse(name);

            private static IEnumerable<NamedGroupInfo> Build()
            {
                const NamedGroupKind EC = NamedGroupKind.EllipticCurve, FF = NamedGroupKind.FiniteField,
                    PQ = NamedGroupKind.PostQuantum, Hybrid = NamedGroupKind.HybridPostQuantum;
                var list = new List<NamedGroupInfo>();
                string[] legacy =
                {
                    "sect163k1", "sect163r1", "sect163r2", "sect193r1", "sect193r2", "sect233k1", "sect233r1", "sect239k1", "sect283k1",
                    "sect283r1", "sect409k1", "sect409r1", "sect571k1", "sect571r1", "secp160k1", "secp160r1", "secp160r2", "secp192k1",
                    "secp192r1", "secp224k1", "secp224r1", "secp256k1",
                };
                for (int i = 0; i < legacy.Length; i++)
                {
                    int fieldBits = int.Parse(legacy[i].Substring(4, 3), CultureInfo.InvariantCulture);
                    string[] aliases = legacy[i] == "secp192r1" ? new[] { "P-192", "prime192v1" } : legacy[i] == "secp224r1" ? new[] { "P-224" } : new string[0];
                    list.Add(new NamedGroupInfo(i + 1, legacy[i], EC, fieldBits / 2, true, false, 1 + 2 * ((fieldBits + 7) / 8), aliases));
                }
                list.Add(new NamedGroupInfo(23, "secp256r1", EC, 128, true, true, 65, "P-256", "prime256v1", "NIST P-256"));
                list.Add(new NamedGroupInfo(24, "secp384r1", EC, 192, true, true, 97, "P-384", "NIST P-384"));
                list.Add(new NamedGroupInfo(25, "secp521r1", EC, 256, true, true, 133, "P-521", "NIST P-521"));
                list.Add(new NamedGroupInfo(26, "brainpoolP256r1", EC, 128, true, false, 65));
                list.Add(new NamedGroupInfo(27, "brainpoolP384r1", EC, 192, true, false, 97));
                list.Add(new NamedGroupInfo(28, "brainpoolP512r1", EC, 256, true, false, 129));
                list.Add(new NamedGroupInfo(29, "x25519", EC, 128, true, true, 32, "X25519", "Curve25519"));
                list.Add(new NamedGroupInfo(30, "x448", EC, 224, true, true, 56, "X448", "Curve448"));
                list.Add(new NamedGroupInfo(31, "brainpoolP256r1tls13", EC, 128, false, true, 65));
                list.Add(new NamedGroupInfo(32, "brainpoolP384r1tls13", EC, 192, false, true, 97));
                list.Add(new NamedGroupInfo(33, "brainpoolP512r1tls13", EC, 256, false, true, 129));
                list.Add(new NamedGroupInfo(34, "GC256A", EC, 128, true, true, 64));
                list.Add(new NamedGroupInfo(35, "GC256B", EC, 128, true, true, 64));
                list.Add(new NamedGroupInfo(36, "GC256C", EC, 128, true, true, 64));
                list.Add(new NamedGroupInfo(37, "GC256D", EC, 128, true, true, 64));
                list.Add(new NamedGroupInfo(38, "GC512A", EC, 256, true, true, 128));
                list.Add(new NamedGroupInfo(39, "GC512B", EC, 256, true, true, 128));
                list.Add(new NamedGroupInfo(40, "GC512C", EC, 256, true, true, 128));
                list.Add(new NamedGroupInfo(41, "curveSM2", EC, 128, false, true, 65, "SM2"));
                list.Add(new NamedGroupInfo(256, "ffdhe2048", FF, 103, true, true, 256));
                list.Add(new NamedGroupInfo(257, "ffdhe3072", FF, 125, true, true, 384));
                list.Add(new NamedGroupInfo(258, "ffdhe4096", FF, 150, true, true, 512));
                list.Add(new NamedGroupInfo(259, "ffdhe6144", FF, 175, true, true, 768));
                list.Add(new NamedGroupInfo(260, "ffdhe8192", FF, 192, true, true, 1024));
                list.Add(new NamedGroupInfo(512, "MLKEM512", PQ, 128, false, true, 800, "ML-KEM-512"));
                list.Add(new NamedGroupInfo(513, "MLKEM768", PQ, 192, false, true, 1184, "ML-KEM-768"));
                list.Add(new NamedGroupInfo(514, "MLKEM1024", PQ, 256, false, true, 1568, "ML-KEM-1024"));
                list.Add(new NamedGroupInfo(4587, "SecP256r1MLKEM768", Hybrid, 192, false, true, 65 + 1184));
                list.Add(new NamedGroupInfo(4588, "X25519MLKEM768", Hybrid, 192, false, true, 1184 + 32));
                list.Add(new NamedGroupInfo(4589, "SecP384r1MLKEM1024", Hybrid, 256, false, true, 97 + 1568));
                list.Add(new NamedGroupInfo(4590, "curveSM2MLKEM768", Hybrid, 192, false, true, 65 + 1184));
                list.Add(new NamedGroupInfo(25497, "X25519Kyber768Draft00", Hybrid, 192, false, true, 32 + 1184));
                list.Add(new NamedGroupInfo(25498, "SecP256r1Kyber768Draft00", Hybrid, 192, false, true, 65 + 1184));
                foreach (var g in list) g.SupportedByTlsTools = Usable.Contains(g.Code);
                return list;
            }
        }
    }
}
