using System;
using System.Collections.Generic;
using System.Linq;

namespace TlsTools.Scanning
{
    /// <summary>A TLS named group (supported_groups / key_share) by its IANA name.</summary>
    public sealed class NamedGroupInfo
    {
        internal NamedGroupInfo(int code, string name, string kind, int securityBits, bool tls12, bool tls13, int keyShareLength)
        {
            Code = code;
            Name = name;
            Kind = kind;
            SecurityBits = securityBits;
            UsableInTls12 = tls12;
            UsableInTls13 = tls13;
            KeyShareLength = keyShareLength;
        }

        /// <summary>16-bit IANA code, e.g. 29 for x25519.</summary>
        public int Code { get; }

        /// <summary>IANA name: x25519, secp256r1, ffdhe2048, X25519MLKEM768, ...</summary>
        public string Name { get; }

        /// <summary>EC (Weierstrass), ECX (x25519/x448), FFDHE, GOST, SM2, KEM (ML-KEM) or Hybrid.</summary>
        public string Kind { get; }

        /// <summary>Approximate classical security strength in bits.</summary>
        public int SecurityBits { get; }

        /// <summary>Negotiated in TLS 1.2 ECDHE (EC groups) or RFC 7919 DHE (FFDHE).</summary>
        public bool UsableInTls12 { get; }

        /// <summary>Allowed in TLS 1.3 key_share.</summary>
        public bool UsableInTls13 { get; }

        /// <summary>Length of a client key share for this group (0 when unknown).</summary>
        public int KeyShareLength { get; }

        public override string ToString() => Name + " (" + Code + ")";
    }

    /// <summary>IANA TLS named groups (RFC 8422, 7919, 8446, 8734, 9189, 8998 and the ML-KEM drafts).</summary>
    public static class NamedGroupCatalog
    {
        private static readonly NamedGroupInfo[] Groups = BuildGroups();

        private static NamedGroupInfo[] BuildGroups()
        {
            var list = new List<NamedGroupInfo>();
            string[] legacy =
            {
                "sect163k1", "sect163r1", "sect163r2", "sect193r1", "sect193r2", "sect233k1", "sect233r1", "sect239k1", "sect283k1",
                "sect283r1", "sect409k1", "sect409r1", "sect571k1", "sect571r1", "secp160k1", "secp160r1", "secp160r2", "secp192k1",
                "secp192r1", "secp224k1", "secp224r1", "secp256k1",
            };
            for (int i = 0; i < legacy.Length; i++)
            {
                int fieldBits = int.Parse(legacy[i].Substring(4, 3));
                list.Add(new NamedGroupInfo(i + 1, legacy[i], "EC", fieldBits / 2, true, false, 1 + 2 * ((fieldBits + 7) / 8)));
            }
            list.Add(new NamedGroupInfo(23, "secp256r1", "EC", 128, true, true, 65));
            list.Add(new NamedGroupInfo(24, "secp384r1", "EC", 192, true, true, 97));
            list.Add(new NamedGroupInfo(25, "secp521r1", "EC", 256, true, true, 133));
            list.Add(new NamedGroupInfo(26, "brainpoolP256r1", "EC", 128, true, false, 65));
            list.Add(new NamedGroupInfo(27, "brainpoolP384r1", "EC", 192, true, false, 97));
            list.Add(new NamedGroupInfo(28, "brainpoolP512r1", "EC", 256, true, false, 129));
            list.Add(new NamedGroupInfo(29, "x25519", "ECX", 128, true, true, 32));
            list.Add(new NamedGroupInfo(30, "x448", "ECX", 224, true, true, 56));
            list.Add(new NamedGroupInfo(31, "brainpoolP256r1tls13", "EC", 128, false, true, 65));
            list.Add(new NamedGroupInfo(32, "brainpoolP384r1tls13", "EC", 192, false, true, 97));
            list.Add(new NamedGroupInfo(33, "brainpoolP512r1tls13", "EC", 256, false, true, 129));
            list.Add(new NamedGroupInfo(34, "GC256A", "GOST", 128, true, true, 64));
            list.Add(new NamedGroupInfo(35, "GC256B", "GOST", 128, true, true, 64));
            list.Add(new NamedGroupInfo(36, "GC256C", "GOST", 128, true, true, 64));
            list.Add(new NamedGroupInfo(37, "GC256D", "GOST", 128, true, true, 64));
            list.Add(new NamedGroupInfo(38, "GC512A", "GOST", 256, true, true, 128));
            list.Add(new NamedGroupInfo(39, "GC512B", "GOST", 256, true, true, 128));
            list.Add(new NamedGroupInfo(40, "GC512C", "GOST", 256, true, true, 128));
            list.Add(new NamedGroupInfo(41, "curveSM2", "SM2", 128, false, true, 65));
            list.Add(new NamedGroupInfo(256, "ffdhe2048", "FFDHE", 103, true, true, 256));
            list.Add(new NamedGroupInfo(257, "ffdhe3072", "FFDHE", 125, true, true, 384));
            list.Add(new NamedGroupInfo(258, "ffdhe4096", "FFDHE", 150, true, true, 512));
            list.Add(new NamedGroupInfo(259, "ffdhe6144", "FFDHE", 175, true, true, 768));
            list.Add(new NamedGroupInfo(260, "ffdhe8192", "FFDHE", 192, true, true, 1024));
            list.Add(new NamedGroupInfo(512, "MLKEM512", "KEM", 128, false, true, 800));
            list.Add(new NamedGroupInfo(513, "MLKEM768", "KEM", 192, false, true, 1184));
            list.Add(new NamedGroupInfo(514, "MLKEM1024", "KEM", 256, false, true, 1568));
            list.Add(new NamedGroupInfo(4587, "SecP256r1MLKEM768", "Hybrid", 192, false, true, 65 + 1184));
            list.Add(new NamedGroupInfo(4588, "X25519MLKEM768", "Hybrid", 192, false, true, 1184 + 32));
            list.Add(new NamedGroupInfo(4589, "SecP384r1MLKEM1024", "Hybrid", 256, false, true, 97 + 1568));
            list.Add(new NamedGroupInfo(25497, "X25519Kyber768Draft00", "Hybrid", 192, false, true, 32 + 1184));
            list.Add(new NamedGroupInfo(25498, "SecP256r1Kyber768Draft00", "Hybrid", 192, false, true, 65 + 1184));
            return list.ToArray();
        }

        private static readonly Dictionary<int, NamedGroupInfo> ByCode = Groups.ToDictionary(g => g.Code);
        private static readonly Dictionary<string, NamedGroupInfo> ByName = BuildNames();

        private static Dictionary<string, NamedGroupInfo> BuildNames()
        {
            var d = Groups.ToDictionary(g => g.Name, StringComparer.OrdinalIgnoreCase);
            // Common aliases (OpenSSL / NIST).
            d["P-256"] = ByCode[23];
            d["prime256v1"] = ByCode[23];
            d["P-384"] = ByCode[24];
            d["P-521"] = ByCode[25];
            d["X25519"] = ByCode[29];
            d["X448"] = ByCode[30];
            return d;
        }

        /// <summary>All groups, ordered by code.</summary>
        public static IReadOnlyList<NamedGroupInfo> All => Groups;

        public static NamedGroupInfo? Find(int code) => ByCode.TryGetValue(code, out var g) ? g : null;

        /// <summary>By IANA name or a common alias (P-256, prime256v1, X25519); case-insensitive.</summary>
        public static NamedGroupInfo? FindByName(string name)
        {
            if (name == null) throw new ArgumentNullException(nameof(name));
            return ByName.TryGetValue(name.Trim(), out var g) ? g : null;
        }

        internal static string NameOf(int code) => Find(code)?.Name ?? "unknown_" + code;
    }

    /// <summary>A TLS SignatureScheme (RFC 8446) or TLS 1.2 (hash, signature) pair by IANA name.</summary>
    public sealed class SignatureSchemeInfo
    {
        internal SignatureSchemeInfo(int code, string name) { Code = code; Name = name; }

        public int Code { get; }

        /// <summary>IANA name: rsa_pkcs1_sha256, ecdsa_secp256r1_sha256, rsa_pss_rsae_sha256, ed25519, ...</summary>
        public string Name { get; }

        public override string ToString() => Name + " (0x" + Code.ToString("X4") + ")";
    }

    /// <summary>IANA TLS signature schemes, including the TLS 1.2 MD5/SHA-1/SHA-224 and DSA pairs.</summary>
    public static class SignatureSchemeCatalog
    {
        private static readonly SignatureSchemeInfo[] Schemes =
        {
            new SignatureSchemeInfo(0x0101, "rsa_pkcs1_md5"), new SignatureSchemeInfo(0x0102, "dsa_md5"), new SignatureSchemeInfo(0x0103, "ecdsa_md5"),
            new SignatureSchemeInfo(0x0201, "rsa_pkcs1_sha1"), new SignatureSchemeInfo(0x0202, "dsa_sha1"), new SignatureSchemeInfo(0x0203, "ecdsa_sha1"),
            new SignatureSchemeInfo(0x0301, "rsa_pkcs1_sha224"), new SignatureSchemeInfo(0x0302, "dsa_sha224"), new SignatureSchemeInfo(0x0303, "ecdsa_sha224"),
            new SignatureSchemeInfo(0x0401, "rsa_pkcs1_sha256"), new SignatureSchemeInfo(0x0402, "dsa_sha256"), new SignatureSchemeInfo(0x0403, "ecdsa_secp256r1_sha256"),
            new SignatureSchemeInfo(0x0501, "rsa_pkcs1_sha384"), new SignatureSchemeInfo(0x0502, "dsa_sha384"), new SignatureSchemeInfo(0x0503, "ecdsa_secp384r1_sha384"),
            new SignatureSchemeInfo(0x0601, "rsa_pkcs1_sha512"), new SignatureSchemeInfo(0x0602, "dsa_sha512"), new SignatureSchemeInfo(0x0603, "ecdsa_secp521r1_sha512"),
            new SignatureSchemeInfo(0x0708, "sm2sig_sm3"),
            new SignatureSchemeInfo(0x0709, "gostr34102012_256a"), new SignatureSchemeInfo(0x070A, "gostr34102012_256b"),
            new SignatureSchemeInfo(0x070B, "gostr34102012_256c"), new SignatureSchemeInfo(0x070C, "gostr34102012_256d"),
            new SignatureSchemeInfo(0x070D, "gostr34102012_512a"), new SignatureSchemeInfo(0x070E, "gostr34102012_512b"),
            new SignatureSchemeInfo(0x070F, "gostr34102012_512c"),
            new SignatureSchemeInfo(0x0804, "rsa_pss_rsae_sha256"), new SignatureSchemeInfo(0x0805, "rsa_pss_rsae_sha384"),
            new SignatureSchemeInfo(0x0806, "rsa_pss_rsae_sha512"), new SignatureSchemeInfo(0x0807, "ed25519"), new SignatureSchemeInfo(0x0808, "ed448"),
            new SignatureSchemeInfo(0x0809, "rsa_pss_pss_sha256"), new SignatureSchemeInfo(0x080A, "rsa_pss_pss_sha384"),
            new SignatureSchemeInfo(0x080B, "rsa_pss_pss_sha512"),
            new SignatureSchemeInfo(0x081A, "ecdsa_brainpoolP256r1tls13_sha256"), new SignatureSchemeInfo(0x081B, "ecdsa_brainpoolP384r1tls13_sha384"),
            new SignatureSchemeInfo(0x081C, "ecdsa_brainpoolP512r1tls13_sha512"),
            new SignatureSchemeInfo(0x0904, "mldsa44"), new SignatureSchemeInfo(0x0905, "mldsa65"), new SignatureSchemeInfo(0x0906, "mldsa87"),
        };

        private static readonly Dictionary<int, SignatureSchemeInfo> ByCode = Schemes.ToDictionary(s => s.Code);

        public static IReadOnlyList<SignatureSchemeInfo> All => Schemes;

        public static SignatureSchemeInfo? Find(int code) => ByCode.TryGetValue(code, out var s) ? s : null;

        internal static string NameOf(int code) => Find(code)?.Name ?? "unknown_0x" + code.ToString("X4");
    }
}
