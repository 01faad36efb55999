using System;
using System.Security.Cryptography;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Utilities;

namespace TlsTools.Pki.Crypto
{
    /// <summary>
    /// A private key imported once into the platform's own cryptography (System.Security.Cryptography: OpenSSL on Linux,
    /// CNG on Windows, Apple's on macOS), whose private-key operation is several times faster than BouncyCastle's managed
    /// one. RSA (with CRT parameters) and ECDSA on P-256/P-384/P-521 only; <see cref="TryCreate"/> answers null for any
    /// other key (Ed25519, Ed448, DSA, explicit curves) or when the platform refuses the key, and the caller keeps
    /// BouncyCastle. Reusable beyond issuance (a TLS server's signing key): the key is imported once, checked once
    /// against its public half, and signs from any thread.
    /// </summary>
    internal sealed class PlatformKey
    {
        private readonly RSA? _rsa;
        private readonly ECDsa? _ecdsa;
        private readonly int _fieldBytes;
        // .NET does not promise that one key object may sign from several threads at once; the operation is short.
        private readonly object _gate = new object();

        private PlatformKey(RSA rsa) { _rsa = rsa; }

        private PlatformKey(ECDsa ecdsa, int fieldBytes) { _ecdsa = ecdsa; _fieldBytes = fieldBytes; }

        internal bool IsRsa => _rsa != null;

        internal bool IsEcdsa => _ecdsa != null;

        /// <summary>
        /// The platform's copy of the key, or null when the platform has no such key type or refuses it. The copy is
        /// proven once: it signs a probe that BouncyCastle must verify with the public half, so a key the platform
        /// imported differently is never used.
        /// </summary>
        internal static PlatformKey? TryCreate(AsymmetricKeyParameter privateKey, AsymmetricKeyParameter publicKey)
        {
            PlatformKey? key = null;
            try
            {
                switch (privateKey)
                {
                    case RsaPrivateCrtKeyParameters rsa:
                        var r = RSA.Create();
                        r.ImportParameters(DotNetUtilities.ToRSAParameters(rsa));
                        key = new PlatformKey(r);
                        break;
                    case ECPrivateKeyParameters ec when publicKey is ECPublicKeyParameters ecPublic:
                        var curve = CurveOf(ec.PublicKeyParamSet);
                        if (curve == null) return null;
                        int size = (ec.Parameters.Curve.FieldSize + 7) / 8;
                        var parameters = EcParameters(curve.Value, ecPublic, size, ec.D);
                        key = new PlatformKey(ECDsa.Create(parameters), size);
                        break;
                    default:
                        return null;
                }
                return key.Proves(publicKey) ? key : null;
            }
            catch (Exception e) when (IsPlatformRefusal(e))
            {
                return null;
            }
        }

        /// <summary>The exceptions that mean "the platform cannot do this here" (the caller then uses BouncyCastle).</summary>
        internal static bool IsPlatformRefusal(Exception e) =>
            e is CryptographicException || e is PlatformNotSupportedException || e is NotSupportedException || e is ArgumentException;

        /// <summary>RSA PKCS#1 v1.5 or PSS (salt as long as the hash, MGF1 with the same hash) over data.</summary>
        internal byte[] SignRsa(byte[] data, int offset, int count, HashAlgorithmName hash, RSASignaturePadding padding)
        {
            if (_rsa == null) throw new InvalidOperationException("Not an RSA key.");
            lock (_gate) return _rsa.SignData(data, offset, count, hash, padding);
        }

        /// <summary>ECDSA over data, DER-encoded (SEQUENCE of r and s) as X.509, PKCS#10, CRLs and OCSP carry it.</summary>
        internal byte[] SignEcdsa(byte[] data, int offset, int count, HashAlgorithmName hash)
        {
            if (_ecdsa == null) throw new InvalidOperationException("Not an ECDSA key.");
            byte[] rs;
            lock (_gate) rs = _ecdsa.SignData(data, offset, count, hash); // IEEE P1363: r || s, each the field size
            if (rs.Length != 2 * _fieldBytes)
                throw new CryptographicException("The platform returned an ECDSA signature of " + rs.Length + " bytes.");
            var r = new BigInteger(1, rs, 0, _fieldBytes);
            var s = new BigInteger(1, rs, _fieldBytes, _fieldBytes);
            return new DerSequence(new DerInteger(r), new DerInteger(s)).GetEncoded(Asn1Encodable.Der);
        }

        private bool Proves(AsymmetricKeyParameter publicKey)
        {
            var probe = System.Text.Encoding.ASCII.GetBytes("TlsTools platform key check");
            ISigner verifier;
            byte[] signature;
            if (_rsa != null)
            {
                signature = SignRsa(probe, 0, probe.Length, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
                verifier = SignerUtilities.GetSigner("SHA256WITHRSA");
            }
            else
            {
                signature = SignEcdsa(probe, 0, probe.Length, HashAlgorithmName.SHA256);
                verifier = SignerUtilities.GetSigner("SHA256WITHECDSA");
            }
            verifier.Init(false, publicKey);
            verifier.BlockUpdate(probe, 0, probe.Length);
            return verifier.VerifySignature(signature);
        }

        /// <summary>The platform's form of an EC key: the named curve, Q, and D for a private key (each coordinate <paramref name="size"/> bytes).</summary>
        internal static ECParameters EcParameters(ECCurve curve, ECPublicKeyParameters publicKey, int size, BigInteger? d)
        {
            var q = publicKey.Q.Normalize();
            return new ECParameters
            {
                Curve = curve,
                D = d == null ? null : BigIntegers.AsUnsignedByteArray(size, d),
                Q = new ECPoint
                {
                    X = BigIntegers.AsUnsignedByteArray(size, q.AffineXCoord.ToBigInteger()),
                    Y = BigIntegers.AsUnsignedByteArray(size, q.AffineYCoord.ToBigInteger()),
                },
            };
        }

        /// <summary>The platform's named curve for P-256/384/521, else null.</summary>
        internal static ECCurve? CurveOf(DerObjectIdentifier? oid)
        {
            if (oid == null) return null;
            if (oid.Equals(SecObjectIdentifiers.SecP256r1)) return ECCurve.NamedCurves.nistP256;
            if (oid.Equals(SecObjectIdentifiers.SecP384r1)) return ECCurve.NamedCurves.nistP384;
            if (oid.Equals(SecObjectIdentifiers.SecP521r1)) return ECCurve.NamedCurves.nistP521;
            return null;
        }
    }
}
