using System;
using System.Security.Cryptography;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Utilities;

namespace TlsTools.Pki.Crypto
{
    /// <summary>
    /// A signature check on the platform's cryptography for the common cases (RSA PKCS#1 v1.5 and ECDSA on P-256/384/521
    /// with SHA-256/384/512), several times faster than BouncyCastle's managed one. Only a "valid" answer is taken from
    /// the platform: anything else (an algorithm or key it does not handle, a signature that is not strict DER, a
    /// signature that does not verify) returns null and BouncyCastle decides, so nothing is refused that BouncyCastle
    /// accepts and nothing is accepted without a signature that verifies.
    /// </summary>
    internal static class PlatformVerifier
    {
        /// <summary>True when the platform verified the signature; null when BouncyCastle has to decide.</summary>
        internal static bool? TryVerify(AsymmetricKeyParameter publicKey, AlgorithmIdentifier algorithm, byte[] data, byte[] signature)
        {
            var hash = HashOf(algorithm.Algorithm, out bool rsa);
            if (hash == null) return null;
            try
            {
                if (rsa && publicKey is RsaKeyParameters rsaKey && !rsaKey.IsPrivate
                    && (algorithm.Parameters == null || algorithm.Parameters is DerNull))
                {
                    using (var platform = RSA.Create())
                    {
                        platform.ImportParameters(new RSAParameters { Modulus = rsaKey.Modulus.ToByteArrayUnsigned(), Exponent = rsaKey.Exponent.ToByteArrayUnsigned() });
                        return platform.VerifyData(data, signature, hash.Value, RSASignaturePadding.Pkcs1) ? true : (bool?)null;
                    }
                }
                if (!rsa && publicKey is ECPublicKeyParameters ecKey && algorithm.Parameters == null)
                {
                    var curve = PlatformKey.CurveOf(ecKey.PublicKeyParamSet);
                    var rs = curve == null ? null : P1363(signature, ecKey.Parameters.N, (ecKey.Parameters.Curve.FieldSize + 7) / 8);
                    if (rs == null) return null;
                    var parameters = PlatformKey.EcParameters(curve!.Value, ecKey, rs.Length / 2, null);
                    using (var platform = ECDsa.Create(parameters))
                        return platform.VerifyData(data, rs, hash.Value) ? true : (bool?)null;
                }
            }
            catch (Exception e) when (PlatformKey.IsPlatformRefusal(e))
            {
            }
            return null;
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

        /// <summary>A strict-DER ECDSA signature as r || s (each <paramref name="size"/> bytes), or null when it is not one.</summary>
        private static byte[]? P1363(byte[] der, BigInteger order, int size)
        {
            Asn1Object parsed;
            try { parsed = Asn1Object.FromByteArray(der); }
            catch (Exception) { return null; } // not ASN.1 at all: BouncyCastle says so
            if (!(parsed is Asn1Sequence seq) || seq.Count != 2) return null;
            if (!(seq[0] is DerInteger ri) || !(seq[1] is DerInteger si)) return null;
            var r = ri.PositiveValue;
            var s = si.PositiveValue;
            if (r.SignValue <= 0 || s.SignValue <= 0 || r.CompareTo(order) >= 0 || s.CompareTo(order) >= 0) return null;
            if (!Arrays.AreEqual(new DerSequence(new DerInteger(r), new DerInteger(s)).GetEncoded(Asn1Encodable.Der), der)) return null;
            var rs = new byte[2 * size];
            BigIntegers.AsUnsignedByteArray(r, rs, 0, size);
            BigIntegers.AsUnsignedByteArray(s, rs, size, size);
            return rs;
        }
    }
}
