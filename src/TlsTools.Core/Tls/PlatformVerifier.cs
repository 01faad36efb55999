using System;
using System.IO;
using System.Security.Cryptography;
using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using BcBigInteger = Org.BouncyCastle.Math.BigInteger;

namespace TlsTools.Tls
{
    /// <summary>
    /// The client's check of a TLS 1.3 CertificateVerify signed with ECDSA on P-256, P-384 or P-521, done by the
    /// platform's ECDSA (System.Security.Cryptography: OpenSSL on Linux, CNG on Windows, Apple's on macOS). In the
    /// issue 16 profile of warm sequential handshakes, BouncyCastle's managed ECDSA verify was about 40 % of the client's
    /// CPU time; the platform's is several times faster. The signature is decoded exactly as BouncyCastle decodes it
    /// (<see cref="StandardDsaEncoding"/>: canonical DER, r and s in [1, n-1]), so both accept and reject the same
    /// signatures. <see cref="TryCreate"/> returns null where the platform cannot serve (another scheme or curve, a
    /// platform without ECDSA, a key it refuses), and BouncyCastle's verifier is used as before.
    /// </summary>
    internal static class PlatformVerifier
    {
        /// <summary>
        /// A verifier for <paramref name="signatureScheme"/> (a TLS <see cref="SignatureScheme"/> code) with
        /// <paramref name="key"/>, or null when the platform's ECDSA does not serve this case.
        /// </summary>
        public static Tls13Verifier? TryCreate(ECPublicKeyParameters key, int signatureScheme)
        {
            if (key is null) throw new ArgumentNullException(nameof(key));
            HashAlgorithmName hash;
            switch (signatureScheme)
            {
                case SignatureScheme.ecdsa_secp256r1_sha256: hash = HashAlgorithmName.SHA256; break;
                case SignatureScheme.ecdsa_secp384r1_sha384: hash = HashAlgorithmName.SHA384; break;
                case SignatureScheme.ecdsa_secp521r1_sha512: hash = HashAlgorithmName.SHA512; break;
                default: return null;
            }
            // The curve is the key's, as in BouncyCastle's verifier; only the named NIST curves go to the platform.
            if (!(key.Parameters is ECNamedDomainParameters named)) return null;
            ECCurve curve;
            if (SecObjectIdentifiers.SecP256r1.Equals(named.Name)) curve = ECCurve.NamedCurves.nistP256;
            else if (SecObjectIdentifiers.SecP384r1.Equals(named.Name)) curve = ECCurve.NamedCurves.nistP384;
            else if (SecObjectIdentifiers.SecP521r1.Equals(named.Name)) curve = ECCurve.NamedCurves.nistP521;
            else return null;

            var q = key.Q.Normalize();
            ECDsa? ecdsa = null;
            try
            {
                ecdsa = ECDsa.Create();
                ecdsa.ImportParameters(new ECParameters
                {
                    Curve = curve,
                    Q = new System.Security.Cryptography.ECPoint
                    {
                        X = q.AffineXCoord.GetEncoded(),
                        Y = q.AffineYCoord.GetEncoded(),
                    },
                });
                return new Verifier(ecdsa, hash, named.N);
            }
            catch (Exception e) when (e is CryptographicException || e is PlatformNotSupportedException || e is NotSupportedException)
            {
                ecdsa?.Dispose();
                return null;
            }
        }

        /// <summary>
        /// The signature BouncyCastle would verify, as the fixed-length r‖s the platform takes, or null when BouncyCastle
        /// would reject its encoding (then the signature is rejected).
        /// </summary>
        internal static byte[]? ToPlain(BcBigInteger n, byte[] signature)
        {
            BcBigInteger[] rs;
            try
            {
                rs = StandardDsaEncoding.Instance.Decode(n, signature);
            }
            catch (ArgumentException)
            {
                return null;
            }
            return PlainDsaEncoding.Instance.Encode(n, rs[0], rs[1]);
        }

        private sealed class Verifier : Tls13Verifier
        {
            private readonly ECDsa _key;
            private readonly HashAlgorithmName _hash;
            private readonly BcBigInteger _n;
            private readonly KeptStream _content = new KeptStream();

            public Verifier(ECDsa key, HashAlgorithmName hash, BcBigInteger n)
            {
                _key = key;
                _hash = hash;
                _n = n;
            }

            public Stream Stream => _content;

            public bool VerifySignature(byte[] signature)
            {
                using (_key)
                {
                    byte[]? plain = ToPlain(_n, signature);
                    return plain != null && _key.VerifyData(_content.GetBuffer(), 0, _content.Written, plain, _hash);
                }
            }
        }

        // BouncyCastle closes the verifier's stream before it asks for the verdict: the content must outlive that.
        private sealed class KeptStream : MemoryStream
        {
            public KeptStream() : base(160)
            {
            }

            public int Written { get; private set; }

            public override void Write(byte[] buffer, int offset, int count)
            {
                base.Write(buffer, offset, count);
                Written = (int)Position;
            }

            public override void WriteByte(byte value)
            {
                base.WriteByte(value);
                Written = (int)Position;
            }

            protected override void Dispose(bool disposing)
            {
                // kept open: GetBuffer and Written stay readable after BouncyCastle's Dispose
            }
        }
    }
}
