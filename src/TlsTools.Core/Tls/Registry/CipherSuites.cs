using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;

namespace TlsTools.Tls
{
    public static partial class TlsRegistry
    {
        /// <summary>
        /// Every IANA TLS cipher suite code point (legacy ones included), with its parts parsed from the IANA name, its OpenSSL
        /// name and a strength rating. Code points and names come from BouncyCastle's <c>CipherSuite</c> constants plus a table of
        /// the ones it lacks (Kerberos, ECCPWD, later GOST, AEGIS). The signalling values TLS_EMPTY_RENEGOTIATION_INFO_SCSV and
        /// TLS_FALLBACK_SCSV are not cipher suites: they are named and parsed, but not listed or found.
        /// </summary>
        public static class CipherSuites
        {
            internal const int EmptyRenegotiationInfoScsv = 0x00FF;
            internal const int FallbackScsv = 0x5600;

            private static readonly (int Code, string Name)[] NotInBouncyCastle =
            {
                (0x001E, "TLS_KRB5_WITH_DES_CBC_SHA"), (0x001F, "TLS_KRB5_WITH_3DES_EDE_CBC_SHA"), (0x0020, "TLS_KRB5_WITH_RC4_128_SHA"),
                (0x0021, "TLS_KRB5_WITH_IDEA_CBC_SHA"), (0x0022, "TLS_KRB5_WITH_DES_CBC_MD5"), (0x0023, "TLS_KRB5_WITH_3DES_EDE_CBC_MD5"),
                (0x0024, "TLS_KRB5_WITH_RC4_128_MD5"), (0x0025, "TLS_KRB5_WITH_IDEA_CBC_MD5"), (0x0026, "TLS_KRB5_EXPORT_WITH_DES_CBC_40_SHA"),
                (0x0027, "TLS_KRB5_EXPORT_WITH_RC2_CBC_40_SHA"), (0x0028, "TLS_KRB5_EXPORT_WITH_RC4_40_SHA"),
                (0x0029, "TLS_KRB5_EXPORT_WITH_DES_CBC_40_MD5"), (0x002A, "TLS_KRB5_EXPORT_WITH_RC2_CBC_40_MD5"),
                (0x002B, "TLS_KRB5_EXPORT_WITH_RC4_40_MD5"),
                (0xC0B0, "TLS_ECCPWD_WITH_AES_128_GCM_SHA256"), (0xC0B1, "TLS_ECCPWD_WITH_AES_256_GCM_SHA384"),
                (0xC0B2, "TLS_ECCPWD_WITH_AES_128_CCM_SHA256"), (0xC0B3, "TLS_ECCPWD_WITH_AES_256_CCM_SHA384"),
                (0xC103, "TLS_GOSTR341112_256_WITH_KUZNYECHIK_MGM_L"), (0xC104, "TLS_GOSTR341112_256_WITH_MAGMA_MGM_L"),
                (0xC105, "TLS_GOSTR341112_256_WITH_KUZNYECHIK_MGM_S"), (0xC106, "TLS_GOSTR341112_256_WITH_MAGMA_MGM_S"),
                (0x1306, "TLS_AEGIS_256_SHA512"), (0x1307, "TLS_AEGIS_128L_SHA256"),
            };

            private static readonly Lazy<(CodeTable<CipherSuiteInfo> Table, CipherSuiteInfo[] Suites)> Data =
                new Lazy<(CodeTable<CipherSuiteInfo>, CipherSuiteInfo[])>(Build);

            /// <summary>All cipher suites (not the signalling values), ordered by code point.</summary>
            public static IReadOnlyList<CipherSuiteInfo> All => Data.Value.Suites;

            /// <summary>The suite with this code point; null for an unassigned one or a signalling value.</summary>
            public static CipherSuiteInfo? Find(int code) => IsSignalling(code) ? null : Data.Value.Table.Find(code);

            /// <summary>Looks a suite up by IANA name or OpenSSL name (case-insensitive); null when unknown.</summary>
            public static CipherSuiteInfo? FindByName(string name)
            {
                var s = Data.Value.Table.FindByName(name);
                return s == null || IsSignalling(s.Code) ? null : s;
            }

            /// <summary>How a suite prints: its IANA name, or <c>unknown(0x1A2B)</c>.</summary>
            public static string Name(int code) => Data.Value.Table.Name(code);

            /// <summary>IANA name, OpenSSL name or hex ("0x1301") to a code; a TlsToolsException (InvalidArgument, UnknownCipherSuite) otherwise.</summary>
            public static int Parse(string name) => Data.Value.Table.Parse(name);

            /// <summary>The suite for a code point, or a placeholder named <c>unknown(0x1A2B)</c> for an unassigned one (rated Weak).</summary>
            internal static CipherSuiteInfo Get(int code) => Find(code)
                ?? new CipherSuiteInfo(code, Name(code), "UNKNOWN", "UNKNOWN", "UNKNOWN", "UNKNOWN", 0, false, false,
                    null, CipherSuiteStrength.Weak, "unknown cipher suite");

            /// <summary>
            /// Rates a suite as used with a protocol version: the version-independent rating plus CBC in SSL 3.0 (POODLE,
            /// insecure) and CBC in TLS 1.0/1.1 (BEAST, Lucky13; weak).
            /// </summary>
            public static (CipherSuiteStrength Strength, string? Reason) Rate(CipherSuiteInfo suite, TlsVersion version)
            {
                if (suite == null) throw new ArgumentNullException(nameof(suite));
                var strength = suite.Strength;
                var reasons = new List<string>();
                if (suite.StrengthReason != null) reasons.Add(suite.StrengthReason);
                if (suite.IsCbc && version == TlsVersion.Ssl30)
                {
                    strength = CipherSuiteStrength.Insecure;
                    reasons.Add("CBC in SSL 3.0 (POODLE)");
                }
                else if (suite.IsCbc && (version == TlsVersion.Tls10 || version == TlsVersion.Tls11))
                {
                    if (strength == CipherSuiteStrength.Secure) strength = CipherSuiteStrength.Weak;
                    reasons.Add("CBC in TLS 1.0/1.1 (BEAST, Lucky13)");
                }
                return (strength, reasons.Count == 0 ? null : string.Join("; ", reasons));
            }

            private static bool IsSignalling(int code) => code == EmptyRenegotiationInfoScsv || code == FallbackScsv;

            private static (CodeTable<CipherSuiteInfo>, CipherSuiteInfo[]) Build()
            {
                var names = new Dictionary<int, string>();
                // BouncyCastle's CipherSuite constants carry the IANA names: read them once, here.
                foreach (var f in typeof(Org.BouncyCastle.Tls.CipherSuite).GetFields(BindingFlags.Public | BindingFlags.Static))
                {
                    if (!f.IsLiteral || f.FieldType != typeof(int) || !f.Name.StartsWith("TLS_", StringComparison.Ordinal)) continue;
                    int code = (int)f.GetRawConstantValue()!;
                    if (!names.ContainsKey(code)) names.Add(code, f.Name);
                }
                foreach (var (code, name) in NotInBouncyCastle)
                    if (!names.ContainsKey(code)) names.Add(code, name);
                // Sorted by code with plain arrays, not LINQ over KeyValuePair<int, string>: built in the first handshake of
                // each session, where LINQ over a value type is generic code the JIT compiles first (issue 16).
                var codes = new int[names.Count];
                names.Keys.CopyTo(codes, 0);
                Array.Sort(codes);
                var infos = new CipherSuiteInfo[codes.Length];
                var suites = new List<CipherSuiteInfo>(codes.Length);
                for (int i = 0; i < codes.Length; i++)
                {
                    infos[i] = FromIanaName(codes[i], names[codes[i]]);
                    if (!IsSignalling(codes[i])) suites.Add(infos[i]);
                }
                var table = new CodeTable<CipherSuiteInfo>(infos, 2, ErrorIds.UnknownCipherSuite, "cipher suite", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
                return (table, suites.ToArray());
            }

            private static readonly Dictionary<string, (string Kx, string Auth, bool Export)> KeyExchanges =
                new Dictionary<string, (string, string, bool)>(StringComparer.Ordinal)
                {
                    ["NULL"] = ("NULL", "NULL", false),
                    ["RSA"] = ("RSA", "RSA", false),
                    ["RSA_EXPORT"] = ("RSA", "RSA", true),
                    ["DH_DSS"] = ("DH", "DSS", false),
                    ["DH_DSS_EXPORT"] = ("DH", "DSS", true),
                    ["DH_RSA"] = ("DH", "RSA", false),
                    ["DH_RSA_EXPORT"] = ("DH", "RSA", true),
                    ["DHE_DSS"] = ("DHE", "DSS", false),
                    ["DHE_DSS_EXPORT"] = ("DHE", "DSS", true),
                    ["DHE_RSA"] = ("DHE", "RSA", false),
                    ["DHE_RSA_EXPORT"] = ("DHE", "RSA", true),
                    ["DH_anon"] = ("DHE", "anon", false),
                    ["DH_anon_EXPORT"] = ("DHE", "anon", true),
                    ["ECDH_ECDSA"] = ("ECDH", "ECDSA", false),
                    ["ECDHE_ECDSA"] = ("ECDHE", "ECDSA", false),
                    ["ECDH_RSA"] = ("ECDH", "RSA", false),
                    ["ECDHE_RSA"] = ("ECDHE", "RSA", false),
                    ["ECDH_anon"] = ("ECDHE", "anon", false),
                    ["PSK"] = ("PSK", "PSK", false),
                    ["DHE_PSK"] = ("DHE_PSK", "PSK", false),
                    ["PSK_DHE"] = ("DHE_PSK", "PSK", false),
                    ["RSA_PSK"] = ("RSA_PSK", "RSA", false),
                    ["ECDHE_PSK"] = ("ECDHE_PSK", "PSK", false),
                    ["SRP_SHA"] = ("SRP", "SRP", false),
                    ["SRP_SHA_RSA"] = ("SRP", "RSA", false),
                    ["SRP_SHA_DSS"] = ("SRP", "DSS", false),
                    ["KRB5"] = ("KRB5", "KRB5", false),
                    ["KRB5_EXPORT"] = ("KRB5", "KRB5", true),
                    ["ECCPWD"] = ("ECCPWD", "ECCPWD", false),
                    ["GOSTR341112_256"] = ("GOST", "GOST", false),
                };

            private static readonly HashSet<string> MacTokens = new HashSet<string>(StringComparer.Ordinal)
                { "MD5", "SHA", "SHA256", "SHA384", "SHA512", "SM3" };

            internal static CipherSuiteInfo FromIanaName(int code, string name)
            {
                string body = name.StartsWith("TLS_", StringComparison.Ordinal) ? name.Substring(4) : name;
                string kx, auth, rest;
                bool export = false, tls13;
                int with = body.IndexOf("_WITH_", StringComparison.Ordinal);
                if (with >= 0)
                {
                    string kxPart = body.Substring(0, with);
                    rest = body.Substring(with + 6);
                    if (KeyExchanges.TryGetValue(kxPart, out var k)) (kx, auth, export) = k;
                    else { kx = kxPart; auth = kxPart; }
                    tls13 = false;
                }
                else
                {
                    kx = "ANY";
                    auth = "ANY";
                    rest = body;
                    tls13 = true;
                }

                var tokens = rest.Split('_').ToList();
                string? macToken = null;
                if (tokens.Count > 1 && MacTokens.Contains(tokens[tokens.Count - 1]))
                {
                    macToken = tokens[tokens.Count - 1];
                    tokens.RemoveAt(tokens.Count - 1);
                }
                string enc = string.Join("_", tokens);
                string mac;
                int bits;
                bool aead = enc.Contains("GCM") || enc.Contains("CCM") || enc.Contains("POLY1305") || enc.Contains("MGM") || enc.StartsWith("AEGIS", StringComparison.Ordinal);

                if (enc == "SHA256" || enc == "SHA384") // TLS_SHA256_SHA256: integrity only (RFC 9150)
                {
                    mac = enc;
                    enc = "NULL";
                    bits = 0;
                    aead = false;
                }
                else
                {
                    bits = KeyBits(enc, export);
                    if (aead) mac = "AEAD";
                    else if (enc.EndsWith("_OMAC", StringComparison.Ordinal)) { mac = "GOST"; enc = enc.Substring(0, enc.Length - 5); }
                    else if (enc.EndsWith("_IMIT", StringComparison.Ordinal)) { mac = "GOST"; enc = "GOST28147_" + enc.Substring(0, enc.Length - 5); }
                    else mac = macToken == "SHA" ? "SHA1" : macToken ?? "NULL";
                }

                var (strength, reason) = BaseRating(kx, auth, enc, mac, export, code == 0x0000);
                OpenSslSuiteNames.ByCode.TryGetValue(code, out var ossl);
                return new CipherSuiteInfo(code, name, kx, auth, enc, mac, bits, export, tls13, ossl, strength, reason);
            }

            private static int KeyBits(string enc, bool export)
            {
                if (enc == "NULL") return 0;
                if (enc.StartsWith("RC4_", StringComparison.Ordinal)) return int.TryParse(enc.Substring(4), out var b) ? b : 128;
                if (enc.Contains("_40") || enc.StartsWith("DES40", StringComparison.Ordinal)) return 40;
                if (enc == "DES_CBC") return export ? 40 : 56;
                if (enc.StartsWith("3DES", StringComparison.Ordinal)) return 112;
                if (enc.StartsWith("IDEA", StringComparison.Ordinal) || enc.StartsWith("SEED", StringComparison.Ordinal)
                    || enc.StartsWith("SM4", StringComparison.Ordinal)) return 128;
                if (enc.StartsWith("CHACHA20", StringComparison.Ordinal)) return 256;
                if (enc.StartsWith("KUZNYECHIK", StringComparison.Ordinal) || enc.StartsWith("MAGMA", StringComparison.Ordinal)
                    || enc.StartsWith("28147", StringComparison.Ordinal)) return 256;
                if (enc.StartsWith("AEGIS_128", StringComparison.Ordinal)) return 128;
                if (enc.StartsWith("AEGIS_256", StringComparison.Ordinal)) return 256;
                // AES_128_GCM, CAMELLIA_256_CBC, ARIA_128_GCM ...
                foreach (var part in enc.Split('_'))
                    if (int.TryParse(part, out var n) && (n == 128 || n == 192 || n == 256)) return n;
                return 0;
            }

            private static (CipherSuiteStrength, string?) BaseRating(string kx, string auth, string enc, string mac, bool export, bool nullNull)
            {
                var insecure = new List<string>();
                var weak = new List<string>();
                if (nullNull) insecure.Add("no key exchange, authentication or encryption");
                if (enc == "NULL" && !nullNull) insecure.Add("NULL encryption");
                if (auth == "anon") insecure.Add("anonymous key exchange (no server authentication)");
                if (export) insecure.Add("EXPORT-grade keys");
                if (enc.StartsWith("RC4", StringComparison.Ordinal)) insecure.Add("RC4");
                if (enc.StartsWith("RC2", StringComparison.Ordinal)) insecure.Add("RC2");
                if (enc.StartsWith("DES", StringComparison.Ordinal)) insecure.Add("single DES");
                if (enc.StartsWith("3DES", StringComparison.Ordinal)) weak.Add("3DES: 64-bit block (SWEET32)");
                if (enc.StartsWith("IDEA", StringComparison.Ordinal)) weak.Add("IDEA: 64-bit block (SWEET32)");
                if (mac == "MD5") weak.Add("MD5 MAC");
                if (!nullNull && (kx == "RSA" || kx == "DH" || kx == "ECDH" || kx == "PSK" || kx == "RSA_PSK" || kx == "KRB5"))
                    weak.Add("no forward secrecy");
                if (insecure.Count > 0) return (CipherSuiteStrength.Insecure, string.Join("; ", insecure.Concat(weak)));
                if (weak.Count > 0) return (CipherSuiteStrength.Weak, string.Join("; ", weak));
                return (CipherSuiteStrength.Secure, null);
            }
        }
    }
}
