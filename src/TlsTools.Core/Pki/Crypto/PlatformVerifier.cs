using System;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Crypto.Signers;

namespace TlsTools.Pki.Crypto
{
    /// <summary>
    /// A signature check on the platform's cryptography for the common cases (RSA PKCS#1 v1.5 and ECDSA on P-256/384/521
    /// with SHA-256/384/512), several times faster than BouncyCastle's managed one. Only a "valid" answer is taken from
    /// the platform: anything else (an algorithm or key it does not handle, a signature that is not strict DER, a
    /// signature that does not verify) returns null and BouncyCastle decides, so nothing is refused that BouncyCastle
    /// accepts and nothing is accepted without a signature that verifies. The one home of platform signature checks:
    /// certificate requests, certificate chains (<see cref="Validation.PlatformSignature"/>) and the TLS 1.3
    /// CertificateVerify (<see cref="Tls.PlatformTls13Verifier"/>) all come here. Each public key is imported once.
    /// </summary>
    internal static class PlatformVerifier
    {
        /// <summary>The platform's copy of one public key, made once per key object; calls on it are serialized.</summary>
        private sealed class Handle
        {
            public AsymmetricAlgorithm? Algorithm;
            public BigInteger? Order;
        }

        private static readonly ConditionalWeakTable<AsymmetricKeyParameter, Handle> Handles = new ConditionalWeakTable<AsymmetricKeyParameter, Handle>();

        /// <summary>True when the platform verified the signature; null when BouncyCastle has to decide.</summary>
        internal static bool? TryVerify(AsymmetricKeyParameter publicKey, AlgorithmIdentifier algorithm, byte[] data, byte[] signature)
        {
            var hash = HashOf(algorithm.Algorithm, out bool rsa);
            if (hash == null) return null;
            // PKCS#1 v1.5 takes NULL or absent parameters (RFC 4055), ECDSA none (RFC 5758); anything else is BouncyCastle's.
            if (rsa ? !(algorithm.Parameters == null || algorithm.Parameters is DerNull) : algorithm.Parameters != null) return null;
            if (rsa != publicKey is RsaKeyParameters) return null;
            return TryVerify(publicKey, hash.Value, data, 0, data.Length, signature);
        }

        /// <summary>
        /// The one platform check: RSA PKCS#1 v1.5 or ECDSA (P-256/384/521, <paramref name="signature"/> in DER) over
        /// <paramref name="data"/> with <paramref name="hash"/>. True when it verified; null when BouncyCastle has to decide
        /// (another key or curve, a platform refusal, a signature that is not strict DER, or one that does not verify).
        /// </summary>
        internal static bool? TryVerify(AsymmetricKeyParameter publicKey, HashAlgorithmName hash, byte[] data, int offset, int count, byte[] signature)
        {
            if (publicKey == null || publicKey.IsPrivate) return null;
            var handle = Handles.GetValue(publicKey, Import);
            if (handle.Algorithm == null) return null;
            try
            {
                if (handle.Algorithm is RSA platformRsa)
                {
                    lock (handle) return platformRsa.VerifyData(data, offset, count, signature, hash, RSASignaturePadding.Pkcs1) ? true : (bool?)null;
                }
                // Decoded exactly as BouncyCastle decodes it (canonical DER, r and s in [1, n-1]), then r || s as the platform takes it.
                var rs = StandardDsaEncoding.Instance.Decode(handle.Order, signature);
                var plain = PlainDsaEncoding.Instance.Encode(handle.Order, rs[0], rs[1]);
                lock (handle) return ((ECDsa)handle.Algorithm).VerifyData(data, offset, count, plain, hash) ? true : (bool?)null;
            }
            catch (Exception e) when (PlatformKey.IsPlatformRefusal(e))
            {
                return null;
            }
        }

        /// <summary>The platform's key, or an empty handle (never used) when the platform cannot take it.</summary>
        private static Handle Import(AsymmetricKeyParameter publicKey)
        {
            var handle = new Handle();
            try
            {
                if (publicKey is RsaKeyParameters rsaKey)
                {
                    var platform = RSA.Create();
                    platform.ImportParameters(new RSAParameters { Modulus = rsaKey.Modulus.ToByteArrayUnsigned(), Exponent = rsaKey.Exponent.ToByteArrayUnsigned() });
                    handle.Algorithm = platform;
                }
                else if (publicKey is ECPublicKeyParameters ecKey && PlatformKey.CurveOf(ecKey.PublicKeyParamSet) is ECCurve curve)
                {
                    handle.Algorithm = ECDsa.Create(PlatformKey.EcParameters(curve, ecKey, (ecKey.Parameters.Curve.FieldSize + 7) / 8, null));
                    handle.Order = ecKey.Parameters.N;
                }
            }
            catch (Exception e) when (PlatformKey.IsPlatformRefusal(e))
            {
                handle.Algorithm = null;
            }
            return handle;
        }

        private static HashAlgorithmName? HashOf(DerObjectIdentifier oid, out bool rsa)
        {
            rsa = true;
            if (oid.Equals(PkcsObjectIdentifiers.Sha256WithRsaEncryption)) return HashAlgorithmName.SHA256;
            if (oid.Equals(PkcsObjectIdentifiers.Sha384WithRsaEncryption)) return HashAlgorithmName.SHA384;
            if (oid.Equals(PkcsObjectIdentifiers.Sha512WithRsaEncryption)) return HashAlgorithmName.SHA512;
            rsa = false;
            if (oid.Equals(X9ObjectIdentifiers.ECDsaWithSha256)) return HashAlgorithmName.SHA256;
            if (oid.Equals(X9ObjectIdentifiers.ECDsaWithSha384)) return HashAlgorithmName.SHA384;
            if (oid.Equals(X9ObjectIdentifiers.ECDsaWithSha512)) return HashAlgorithmName.SHA512;
            return null;
        }
    }
}
