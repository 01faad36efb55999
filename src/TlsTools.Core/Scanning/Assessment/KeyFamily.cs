using System;
using TlsTools.Tls;

namespace TlsTools.Scanning
{
    /// <summary>
    /// Reads the key words of <see cref="Pki.Certificate.KeyAlgorithm"/> (Rsa2048, EcdsaP256, Ecdsa(brainpoolP256r1), Ed25519,
    /// Dsa1024) for the assessment: the family (rsa, ecdsa, ed25519, ed448, dsa) and, for ECDSA, the curve as a registry group.
    /// </summary>
    internal static class KeyFamily
    {
        public const string Rsa = "rsa";
        public const string Ecdsa = "ecdsa";
        public const string Ed25519 = "ed25519";
        public const string Ed448 = "ed448";
        public const string Dsa = "dsa";

        /// <summary>rsa, ecdsa, ed25519, ed448, dsa, or the words lower-cased when they are none of those; "" for null.</summary>
        public static string Of(string? keyAlgorithm)
        {
            if (string.IsNullOrEmpty(keyAlgorithm)) return "";
            var k = keyAlgorithm!;
            if (k.StartsWith("Rsa", StringComparison.OrdinalIgnoreCase)) return Rsa;
            if (k.StartsWith("Ecdsa", StringComparison.OrdinalIgnoreCase)) return Ecdsa;
            if (k.StartsWith("Dsa", StringComparison.OrdinalIgnoreCase)) return Dsa;
            if (k.Equals("Ed25519", StringComparison.OrdinalIgnoreCase)) return Ed25519;
            if (k.Equals("Ed448", StringComparison.OrdinalIgnoreCase)) return Ed448;
            return k.ToLowerInvariant();
        }

        /// <summary>The named group of an ECDSA key's curve (EcdsaP256 → secp256r1); null for other keys or an unknown curve.</summary>
        public static NamedGroupInfo? Curve(string? keyAlgorithm)
        {
            if (Of(keyAlgorithm) != Ecdsa) return null;
            var name = keyAlgorithm!.Substring("Ecdsa".Length).Trim('(', ')');
            return TlsRegistry.NamedGroups.FindByName(name.StartsWith("P", StringComparison.Ordinal) && !name.Contains("-") ? "P-" + name.Substring(1) : name);
        }
    }
}
