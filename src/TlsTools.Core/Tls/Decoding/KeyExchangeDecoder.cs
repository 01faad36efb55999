using System.Linq;

namespace TlsTools.Tls
{
    /// <summary>ServerKeyExchange (read by the parser the scanner uses too) and ClientKeyExchange.</summary>
    internal static class KeyExchangeDecoder
    {
        public static void ServerKeyExchange(TranscriptMessage m, WireReader r, DecodeContext ctx)
        {
            var kx = ctx.Suite?.KeyExchange;
            bool ecdhe = kx == null ? r.Remaining > 0 && r.PeekU8() == 3 : IsEcdhe(kx);
            bool psk = kx != null && kx.EndsWith("PSK", System.StringComparison.Ordinal);
            bool signed = ctx.Suite == null || (!psk && ctx.Suite.Authentication != "anon");
            var ske = ServerMessages.ParseServerKeyExchange(r, ecdhe, psk, signed, ctx.Version == null ? (bool?)null : ctx.Version >= TlsVersion.Tls12);
            r.End();
            string what;
            if (ecdhe)
            {
                m.Fields["CurveType"] = "named_curve";
                var group = TlsRegistry.NamedGroups.Name(ske.NamedGroup!.Value);
                m.Fields["NamedGroup"] = group;
                m.Fields["PublicKeyLength"] = ske.PublicKeyLength;
                ctx.Group = group;
                what = "its ephemeral " + group + " public key";
            }
            else
            {
                int bits = ske.DhPrimeBits ?? 0;
                m.Fields["DhPrimeBits"] = bits;
                m.Fields["DhGenerator"] = DecodeText.Hex(ske.DhGenerator!);
                m.Fields["PublicKeyLength"] = ske.PublicKeyLength;
                var ff = FfdheName(ske.DhPrime!);
                if (ff != null) { m.Fields["NamedGroup"] = ff; ctx.Group = ff; }
                ctx.DhBits = bits;
                what = "its ephemeral Diffie-Hellman public value in a " + bits + "-bit group" + (ff != null ? " (" + ff + ")" : "");
            }
            string? scheme = ske.SignatureScheme is int s ? TlsRegistry.SignatureSchemes.Name(s) : null;
            if (scheme != null) m.Fields["SignatureScheme"] = scheme;
            if (ske.SignatureLength != null) m.Fields["SignatureLength"] = ske.SignatureLength;
            else if (signed) throw DecodeText.Fail("The Server Key Exchange ends before its signature.");
            ctx.ServerSignatureScheme = scheme ?? ctx.ServerSignatureScheme;
            m.Explanation = "Server Key Exchange: the server sent " + what + (signed ? ", signed with its certificate's private key" : "")
                + (scheme != null ? " (" + scheme + ")" : "") + (signed ? "; the client verifies the signature with the certificate's public key." : ".");
        }

        public static void ClientKeyExchange(TranscriptMessage m, WireReader r, DecodeContext ctx)
        {
            // Without the chosen suite, guess: an EC point has a 1-byte length, RSA and DH values a 2-byte one.
            string kx = ctx.Suite?.KeyExchange ?? (r.Remaining > 0 && r.PeekU8() == r.Remaining - 1 ? "ECDHE" : "RSA");
            if (IsEcdhe(kx))
            {
                var point = r.VectorBytes(1);
                r.End();
                m.Fields["PublicKeyLength"] = point.Length;
                m.Explanation = "Client Key Exchange: the client sent its " + (ctx.Group ?? "ephemeral") + " public key; both sides now derive the same premaster secret.";
            }
            else if (kx == "RSA")
            {
                byte[] enc = ctx.Version == TlsVersion.Ssl30 ? r.Rest() : r.VectorBytes(2);
                r.End();
                m.Fields["EncryptedPreMasterSecretLength"] = enc.Length;
                m.Explanation = "Client Key Exchange: the client encrypted a 48-byte premaster secret to the server's RSA public key from its certificate; only the holder of the matching private key can decrypt it.";
            }
            else
            {
                var yc = r.VectorBytes(2);
                r.End();
                m.Fields["PublicKeyLength"] = yc.Length;
                m.Explanation = "Client Key Exchange: the client sent its Diffie-Hellman public value" + (ctx.DhBits > 0 ? " (" + ctx.DhBits + "-bit group)" : "") + "; both sides now derive the same premaster secret.";
            }
        }

        private static bool IsEcdhe(string kx) => kx == "ECDHE" || kx == "ECDHE_PSK";

        /// <summary>The RFC 7919 group a DH prime is, by its fixed leading and trailing bits and its size; null for another prime.</summary>
        private static string? FfdheName(byte[] p)
        {
            if (p.Length < 16 || p.Take(8).Any(b => b != 0xFF) || p.Skip(p.Length - 8).Any(b => b != 0xFF)) return null;
            if (p[8] != 0xAD) return null; // RFC 7919 primes continue with ADF85458...
            return p.Length switch { 256 => "ffdhe2048", 384 => "ffdhe3072", 512 => "ffdhe4096", 768 => "ffdhe6144", 1024 => "ffdhe8192", _ => null };
        }
    }
}
