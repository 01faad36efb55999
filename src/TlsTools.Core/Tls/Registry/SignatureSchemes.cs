using System.Collections.Generic;
using System.Linq;

namespace TlsTools.Tls
{
    /// <summary>A TLS SignatureScheme (RFC 8446) or TLS 1.2 (hash, signature) pair.</summary>
    public sealed class SignatureSchemeInfo : TlsCodePoint
    {
        internal SignatureSchemeInfo(int code, string name, params string[] aliases) : base(code, name, aliases) { }
    }

    public static partial class TlsRegistry
    {
        /// <summary>IANA TLS signature schemes, including the TLS 1.2 MD5/SHA-1/SHA-224 and DSA pairs.</summary>
        public static class SignatureSchemes
        {
            private static readonly CodeTable<SignatureSchemeInfo> Table = new CodeTable<SignatureSchemeInfo>(Build(), 2,
                ErrorIds.UnknownSignatureScheme, "signature scheme", "rsa_pss_rsae_sha256");

            /// <summary>What TlsTools' client can offer, in its preference order (the argument completers list these).</summary>
            private static readonly int[] Usable =
            {
                0x0403, 0x0503, 0x0603, 0x0807, 0x0808, 0x0804, 0x0805, 0x0806, 0x0809, 0x080A, 0x080B, 0x0401, 0x0501, 0x0601, 0x0201, 0x0203,
            };

            public static IReadOnlyList<SignatureSchemeInfo> All => Table.All;

            /// <summary>The schemes TlsTools' client can offer.</summary>
            public static IReadOnlyList<SignatureSchemeInfo> Offerable => Usable.Select(c => Find(c)!).ToArray();

            public static SignatureSchemeInfo? Find(int code) => Table.Find(code);

            /// <summary>By IANA name or an alias (OpenSSL's "ECDSA+SHA256", "RSA-PSS+SHA256"); case-insensitive.</summary>
            public static SignatureSchemeInfo? FindByName(string name) => Table.FindByName(name);

            /// <summary>How a scheme prints: "rsa_pss_rsae_sha256", or <c>unknown(0x0420)</c>.</summary>
            public static string Name(int code) => Table.Name(code);

            /// <summary>Name, alias or hex to a code; a TlsToolsException (InvalidArgument, UnknownSignatureScheme) otherwise.</summary>
            public static int Parse(string name) => Table.Parse(name);

            private static IEnumerable<SignatureSchemeInfo> Build()
            {
                // TLS 1.2 (hash, signature) pairs: hash 1..6 = MD5, SHA1, SHA224, SHA256, SHA384, SHA512; signature 1..3 = RSA, DSA, ECDSA.
                string[] hashes = { "md5", "sha1", "sha224", "sha256", "sha384", "sha512" };
                string[] ecdsaCurves = { "", "", "", "secp256r1_", "secp384r1_", "secp521r1_" };
                for (int h = 0; h < hashes.Length; h++)
                {
                    string hash = hashes[h], openSsl = hash.ToUpperInvariant();
                    int code = (h + 1) << 8;
                    yield return new SignatureSchemeInfo(code | 1, "rsa_pkcs1_" + hash, "RSA+" + openSsl);
                    yield return new SignatureSchemeInfo(code | 2, "dsa_" + hash, "DSA+" + openSsl);
                    yield return ecdsaCurves[h].Length == 0
                        ? new SignatureSchemeInfo(code | 3, "ecdsa_" + hash, "ECDSA+" + openSsl)
                        : new SignatureSchemeInfo(code | 3, "ecdsa_" + ecdsaCurves[h] + hash, "ECDSA+" + openSsl, "ecdsa_" + hash);
                }
                yield return new SignatureSchemeInfo(0x0708, "sm2sig_sm3");
                yield return new SignatureSchemeInfo(0x0709, "gostr34102012_256a");
                yield return new SignatureSchemeInfo(0x070A, "gostr34102012_256b");
                yield return new SignatureSchemeInfo(0x070B, "gostr34102012_256c");
                yield return new SignatureSchemeInfo(0x070C, "gostr34102012_256d");
                yield return new SignatureSchemeInfo(0x070D, "gostr34102012_512a");
                yield return new SignatureSchemeInfo(0x070E, "gostr34102012_512b");
                yield return new SignatureSchemeInfo(0x070F, "gostr34102012_512c");
                yield return new SignatureSchemeInfo(0x0804, "rsa_pss_rsae_sha256", "RSA-PSS+SHA256", "rsa_pss_sha256");
                yield return new SignatureSchemeInfo(0x0805, "rsa_pss_rsae_sha384", "RSA-PSS+SHA384", "rsa_pss_sha384");
                yield return new SignatureSchemeInfo(0x0806, "rsa_pss_rsae_sha512", "RSA-PSS+SHA512", "rsa_pss_sha512");
                yield return new SignatureSchemeInfo(0x0807, "ed25519", "Ed25519");
                yield return new SignatureSchemeInfo(0x0808, "ed448", "Ed448");
                yield return new SignatureSchemeInfo(0x0809, "rsa_pss_pss_sha256");
                yield return new SignatureSchemeInfo(0x080A, "rsa_pss_pss_sha384");
                yield return new SignatureSchemeInfo(0x080B, "rsa_pss_pss_sha512");
                yield return new SignatureSchemeInfo(0x081A, "ecdsa_brainpoolP256r1tls13_sha256");
                yield return new SignatureSchemeInfo(0x081B, "ecdsa_brainpoolP384r1tls13_sha384");
                yield return new SignatureSchemeInfo(0x081C, "ecdsa_brainpoolP512r1tls13_sha512");
                yield return new SignatureSchemeInfo(0x0904, "mldsa44", "ML-DSA-44");
                yield return new SignatureSchemeInfo(0x0905, "mldsa65", "ML-DSA-65");
                yield return new SignatureSchemeInfo(0x0906, "mldsa87", "ML-DSA-87");
            }
        }
    }
}
