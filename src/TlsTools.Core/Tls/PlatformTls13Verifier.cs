using System;
using System.IO;
using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using TlsTools.Pki.Crypto;

namespace TlsTools.Tls
{
    /// <summary>
    /// The client's check of a TLS 1.3 CertificateVerify signed with ECDSA on P-256, P-384 or P-521, done by the
    /// platform's ECDSA (<see cref="PlatformVerifier"/>, the one home of platform signature checks). In the issue 16 profile
    /// of warm sequential handshakes, BouncyCastle's managed ECDSA verify was about 40 % of the client's CPU time; the
    /// platform's is several times faster. Only "verified" is taken from the platform: any other answer goes to
    /// BouncyCastle's own verifier over the same bytes, whose verdict stands. <see cref="TryCreate"/> returns null for other
    /// schemes and curves, and BouncyCastle's verifier is used as before.
    /// </summary>
    internal sealed class PlatformTls13Verifier : Tls13Verifier
    {
        private readonly ECPublicKeyParameters _key;
        private readonly HashAlgorithmName _hash;
        private readonly Func<Tls13Verifier> _fallback;
        // BouncyCastle closes the stream before it asks for the verdict: keep our own buffer.
        private readonly MemoryStream _content = new MemoryStream(160);

        private PlatformTls13Verifier(ECPublicKeyParameters key, HashAlgorithmName hash, Func<Tls13Verifier> fallback)
        {
            _key = key;
            _hash = hash;
            _fallback = fallback;
        }

        /// <summary>
        /// A verifier for <paramref name="signatureScheme"/> (a TLS <see cref="SignatureScheme"/> code) with
        /// <paramref name="key"/>, or null when the scheme or curve is not one the platform serves. <paramref name="fallback"/>
        /// makes BouncyCastle's verifier, used whenever the platform does not say "verified".
        /// </summary>
        public static Tls13Verifier? TryCreate(ECPublicKeyParameters key, int signatureScheme, Func<Tls13Verifier> fallback)
        {
            if (key is null) throw new ArgumentNullException(nameof(key));
            if (fallback is null) throw new ArgumentNullException(nameof(fallback));
            HashAlgorithmName hash;
            switch (signatureScheme)
            {
                case SignatureScheme.ecdsa_secp256r1_sha256: hash = HashAlgorithmName.SHA256; break;
                case SignatureScheme.ecdsa_secp384r1_sha384: hash = HashAlgorithmName.SHA384; break;
                case SignatureScheme.ecdsa_secp521r1_sha512: hash = HashAlgorithmName.SHA512; break;
                default: return null;
            }
            // The curve is the key's, as in BouncyCastle's verifier; only the named NIST curves go to the platform.
            if (PlatformKey.CurveOf(key.PublicKeyParamSet) == null) return null;
            return new PlatformTls13Verifier(key, hash, fallback);
        }

        public Stream Stream => _content;

        public bool VerifySignature(byte[] signature)
        {
            byte[] content = _content.ToArray();
            if (PlatformVerifier.TryVerify(_key, _hash, content, 0, content.Length, signature) == true) return true;
            var verifier = _fallback();
            using (var stream = verifier.Stream) stream.Write(content, 0, content.Length);
            return verifier.VerifySignature(signature);
        }
    }
}
