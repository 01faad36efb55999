using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Reflection;
using Org.BouncyCastle.Tls;

namespace TlsTools.Tls
{
    /// <summary>
    /// IANA names for TLS registry values (cipher suites, named groups, signature schemes, extensions, alerts),
    /// as TlsTools shows and accepts them. Unknown values show as hex, e.g. "0x1a1a".
    /// </summary>
    public static class TlsNames
    {
        private static readonly Lazy<(Dictionary<int, string> ByCode, Dictionary<string, int> ByName)> Suites =
            new Lazy<(Dictionary<int, string>, Dictionary<string, int>)>(BuildSuites);

        private static readonly int[] KnownGroups =
        {
            NamedGroup.x25519, NamedGroup.x448, NamedGroup.secp256r1, NamedGroup.secp384r1, NamedGroup.secp521r1,
            NamedGroup.brainpoolP256r1tls13, NamedGroup.brainpoolP384r1tls13, NamedGroup.brainpoolP512r1tls13,
            NamedGroup.ffdhe2048, NamedGroup.ffdhe3072, NamedGroup.ffdhe4096, NamedGroup.ffdhe6144, NamedGroup.ffdhe8192,
            NamedGroup.X25519MLKEM768, NamedGroup.SecP256r1MLKEM768, NamedGroup.SecP384r1MLKEM1024,
            NamedGroup.secp224r1, NamedGroup.secp256k1, NamedGroup.sect283r1, NamedGroup.brainpoolP256r1,
        };

        private static readonly int[] KnownSchemes =
        {
            SignatureScheme.ecdsa_secp256r1_sha256, SignatureScheme.ecdsa_secp384r1_sha384, SignatureScheme.ecdsa_secp521r1_sha512,
            SignatureScheme.ed25519, SignatureScheme.ed448,
            SignatureScheme.rsa_pss_rsae_sha256, SignatureScheme.rsa_pss_rsae_sha384, SignatureScheme.rsa_pss_rsae_sha512,
            SignatureScheme.rsa_pss_pss_sha256, SignatureScheme.rsa_pss_pss_sha384, SignatureScheme.rsa_pss_pss_sha512,
            SignatureScheme.rsa_pkcs1_sha256, SignatureScheme.rsa_pkcs1_sha384, SignatureScheme.rsa_pkcs1_sha512,
            SignatureScheme.rsa_pkcs1_sha1, SignatureScheme.ecdsa_sha1,
        };

        /// <summary>All cipher suite names TlsTools knows, in code order.</summary>
        public static IReadOnlyList<string> CipherSuiteNames => Suites.Value.ByCode.OrderBy(p => p.Key).Select(p => p.Value).ToList();

        /// <summary>Named groups TlsTools can offer (IANA names).</summary>
        public static IReadOnlyList<string> NamedGroupNames => KnownGroups.Select(GroupName).ToList();

        /// <summary>Signature schemes TlsTools can offer (IANA names).</summary>
        public static IReadOnlyList<string> SignatureSchemeNames => KnownSchemes.Select(SchemeName).ToList();

        public static string CipherSuiteName(int code) =>
            Suites.Value.ByCode.TryGetValue(code, out var n) ? n : "0x" + code.ToString("x4", CultureInfo.InvariantCulture);

        public static string GroupName(int code) => Named(NamedGroup.GetName(code), code);

        public static string SchemeName(int code) => Named(SignatureScheme.GetName(code), code);

        public static string ExtensionName(int code) => Named(ExtensionType.GetName(code), code);

        public static string AlertName(int code) => Named(AlertDescription.GetName((short)code), code);

        public static string VersionName(int wireVersion)
        {
            switch (wireVersion)
            {
                case 0x0300: return "SSL 3.0";
                case 0x0301: return "TLS 1.0";
                case 0x0302: return "TLS 1.1";
                case 0x0303: return "TLS 1.2";
                case 0x0304: return "TLS 1.3";
                default:
                    return (wireVersion & 0x0F0F) == 0x0A0A ? "GREASE" : "0x" + wireVersion.ToString("x4", CultureInfo.InvariantCulture);
            }
        }

        public static TlsVersion? ToVersion(int wireVersion)
        {
            switch (wireVersion)
            {
                case 0x0300: return TlsVersion.Ssl30;
                case 0x0301: return TlsVersion.Tls10;
                case 0x0302: return TlsVersion.Tls11;
                case 0x0303: return TlsVersion.Tls12;
                case 0x0304: return TlsVersion.Tls13;
                default: return null;
            }
        }

        public static int ToWire(TlsVersion version) => version switch
        {
            TlsVersion.Ssl30 => 0x0300,
            TlsVersion.Tls10 => 0x0301,
            TlsVersion.Tls11 => 0x0302,
            TlsVersion.Tls12 => 0x0303,
            TlsVersion.Tls13 => 0x0304,
            _ => throw new ArgumentOutOfRangeException(nameof(version)),
        };

        /// <summary>Cipher suite code for an IANA name ("TLS_AES_128_GCM_SHA256") or hex ("0x1301"); throws InvalidArgument otherwise.</summary>
        public static int ParseCipherSuite(string name)
        {
            if (TryHex(name, out int code)) return code;
            if (Suites.Value.ByName.TryGetValue(name.Trim(), out code)) return code;
            throw new TlsToolsException("UnknownCipherSuite", ErrorKind.InvalidArgument,
                "'" + name + "' is not a cipher suite name TlsTools knows (use the IANA name, e.g. TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, or hex 0xc02f).");
        }

        public static int ParseGroup(string name)
        {
            if (TryHex(name, out int code)) return code;
            foreach (var g in KnownGroups)
                if (string.Equals(GroupName(g), name.Trim(), StringComparison.OrdinalIgnoreCase)) return g;
            throw new TlsToolsException("UnknownNamedGroup", ErrorKind.InvalidArgument,
                "'" + name + "' is not a named group TlsTools knows (" + string.Join(", ", NamedGroupNames) + ").");
        }

        public static int ParseScheme(string name)
        {
            if (TryHex(name, out int code)) return code;
            foreach (var s in KnownSchemes)
                if (string.Equals(SchemeName(s), name.Trim(), StringComparison.OrdinalIgnoreCase)) return s;
            throw new TlsToolsException("UnknownSignatureScheme", ErrorKind.InvalidArgument,
                "'" + name + "' is not a signature scheme TlsTools knows (" + string.Join(", ", SignatureSchemeNames) + ").");
        }

        private static bool TryHex(string s, out int value)
        {
            value = 0;
            if (s == null) throw new ArgumentNullException(nameof(s));
            var t = s.Trim();
            return t.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
                && int.TryParse(t.Substring(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out value)
                && value >= 0 && value <= 0xFFFF;
        }

        private static string Named(string? name, int code) =>
            string.IsNullOrEmpty(name) || name == "UNKNOWN" ? "0x" + code.ToString("x4", CultureInfo.InvariantCulture) : name!;

        private static (Dictionary<int, string>, Dictionary<string, int>) BuildSuites()
        {
            var byCode = new Dictionary<int, string>();
            var byName = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
            foreach (var f in typeof(CipherSuite).GetFields(BindingFlags.Public | BindingFlags.Static))
            {
                if (f.FieldType != typeof(int) || !f.IsLiteral) continue;
                if (!f.Name.StartsWith("TLS_", StringComparison.Ordinal) && !f.Name.StartsWith("SSL_", StringComparison.Ordinal)) continue;
                int code = (int)f.GetRawConstantValue()!;
                byName[f.Name] = code;
                // Prefer a name without DRAFT_ for display.
                if (!byCode.TryGetValue(code, out var existing) || (existing.Contains("DRAFT") && !f.Name.Contains("DRAFT")))
                    byCode[code] = f.Name;
            }
            return (byCode, byName);
        }
    }
}
