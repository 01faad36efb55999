using System;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using BcBigInteger = Org.BouncyCastle.Math.BigInteger;

namespace TlsTools.Validation
{
    /// <summary>
    /// The fast path of certificate signature checks: RSA PKCS#1 v1.5 and ECDSA on P-256/P-384/P-521 with SHA-2, through
    /// the platform's cryptography (OpenSSL on Linux, CNG on Windows, Apple's on macOS), several times faster than
    /// BouncyCastle's managed arithmetic (the RSA verification of 1,000 leaves was most of a Test-CertificateChain run).
    /// </summary>
    /// <remarks>
    /// It only ever answers "verified"; everything else (an algorithm it does not take, a key or signature the platform
    /// refuses, a signature that does not verify) goes on to BouncyCastle, whose answer stands. It is fed exactly what
    /// BouncyCastle would check: the DER of the signed part, the issuer key BouncyCastle parsed (and validated), ECDSA
    /// (r, s) decoded by BouncyCastle's own strict DER reader; the platform's PKCS#1 check (exact DigestInfo) is stricter
    /// than BouncyCastle's. So it can make a check faster, never change its verdict.
    /// </remarks>
    internal static class PlatformSignature
    {
        /// <summary>One issuer's key in the platform's form, made once per issuer certificate; calls on it are serialized.</summary>
        private sealed class PlatformKey
        {
            public AsymmetricAlgorithm? Algorithm;
            public int FieldBytes;
            public BcBigInteger? Order;
        }

        private static readonly ConditionalWeakTable<CertInfo, PlatformKey> Keys = new ConditionalWeakTable<CertInfo, PlatformKey>();

        /// <summary>True when the platform verified <paramref name="child"/>'s signature with <paramref name="issuerKey"/>; false means "ask BouncyCastle".</summary>
        public static bool Verified(CertInfo child, CertInfo issuer, AsymmetricKeyParameter issuerKey)
        {
            if (!HashOf(child.SigAlgOid, out var hash, out bool rsa)) return false;
            try
            {
                var parameters = child.Bc.CertificateStructure.SignatureAlgorithm.Parameters;
                // RFC 4055: NULL parameters for PKCS#1 v1.5; RFC 5758: none for ECDSA. Anything else is BouncyCastle's to judge.
                if (rsa ? !(parameters is DerNull) || !(issuerKey is RsaKeyParameters rk) || rk.IsPrivate
                        : parameters != null || !(issuerKey is ECPublicKeyParameters) || issuer.ExplicitCurve)
                    return false;
                var key = Keys.GetValue(issuer, _ => Import(issuerKey, issuer.CurveOid));
                if (key.Algorithm == null) return false;
                byte[] signed = child.Bc.CertificateStructure.TbsCertificate.GetEncoded(Asn1Encodable.Der);
                byte[] signature = child.Bc.GetSignature();
                if (key.Algorithm is RSA platformRsa)
                {
                    lock (key) return platformRsa.VerifyData(signed, signature, hash, RSASignaturePadding.Pkcs1);
                }
                var rs = StandardDsaEncoding.Instance.Decode(key.Order, signature); // throws on anything but strict DER
                var fixedLength = new byte[2 * key.FieldBytes];
                if (!Place(rs[0], fixedLength, 0, key.FieldBytes) || !Place(rs[1], fixedLength, key.FieldBytes, key.FieldBytes)) return false;
                lock (key) return ((ECDsa)key.Algorithm).VerifyData(signed, fixedLength, hash);
            }
            catch (Exception)
            {
                return false;
            }
        }

        private static bool HashOf(string signatureOid, out HashAlgorithmName hash, out bool rsa)
        {
            rsa = signatureOid.StartsWith("1.2.840.113549.1.1.", StringComparison.Ordinal);
            switch (signatureOid)
            {
                case "1.2.840.113549.1.1.11": case "1.2.840.10045.4.3.2": hash = HashAlgorithmName.SHA256; return true;
                case "1.2.840.113549.1.1.12": case "1.2.840.10045.4.3.3": hash = HashAlgorithmName.SHA384; return true;
                case "1.2.840.113549.1.1.13": case "1.2.840.10045.4.3.4": hash = HashAlgorithmName.SHA512; return true;
                default: hash = default; return false;
            }
        }

        /// <summary>The platform's key, or an empty one (never used) when the platform cannot take it.</summary>
        private static PlatformKey Import(AsymmetricKeyParameter issuerKey, string? curveOid)
        {
            var result = new PlatformKey();
            try
            {
                if (issuerKey is RsaKeyParameters rsa)
                {
                    var platform = RSA.Create();
                    platform.ImportParameters(new RSAParameters { Modulus = rsa.Modulus.ToByteArrayUnsigned(), Exponent = rsa.Exponent.ToByteArrayUnsigned() });
                    result.Algorithm = platform;
                }
                else if (issuerKey is ECPublicKeyParameters ec && NamedCurve(curveOid) is ECCurve curve)
                {
                    var q = ec.Q.Normalize();
                    int size = (ec.Parameters.Curve.FieldSize + 7) / 8;
                    result.Algorithm = ECDsa.Create(new ECParameters
                    {
                        Curve = curve,
                        Q = new ECPoint { X = q.AffineXCoord.GetEncoded(), Y = q.AffineYCoord.GetEncoded() },
                    });
                    result.FieldBytes = Math.Max(size, (ec.Parameters.N.BitLength + 7) / 8);
                    result.Order = ec.Parameters.N;
                }
            }
            catch (Exception)
            {
                result.Algorithm = null;
            }
            return result;
        }

        private static ECCurve? NamedCurve(string? oid)
        {
            switch (oid)
            {
                case "1.2.840.10045.3.1.7": return ECCurve.NamedCurves.nistP256;
                case "1.3.132.0.34": return ECCurve.NamedCurves.nistP384;
                case "1.3.132.0.35": return ECCurve.NamedCurves.nistP521;
                default: return null;
            }
        }

        /// <summary>Writes <paramref name="value"/> big-endian into a fixed-width slot (IEEE P1363), false when it does not fit.</summary>
        private static bool Place(BcBigInteger value, byte[] into, int offset, int width)
        {
            byte[] bytes = value.ToByteArrayUnsigned();
            if (bytes.Length > width) return false;
            Buffer.BlockCopy(bytes, 0, into, offset + width - bytes.Length, bytes.Length);
            return true;
        }
    }
}
