#if NET8_0_OR_GREATER
using System;
using System.Security.Cryptography;

namespace TlsTools.Validation
{
    /// <summary>
    /// Fast path for the common certificate signatures (RSA PKCS#1 v1.5 and ECDSA on P-256/384/521 with SHA-2),
    /// verified with the platform's crypto (OpenSSL on Linux, CNG on Windows) on net8.0+, where BouncyCastle's
    /// big-integer arithmetic makes RSA verification several times slower. Everything else, and every case the
    /// platform cannot import, goes to BouncyCastle. The netstandard2.0 build always uses BouncyCastle.
    /// </summary>
    internal static class PlatformSignature
    {
        /// <summary>True/false when the platform decided; null when BouncyCastle must.</summary>
        public static bool? TryVerify(CertInfo child, CertInfo issuer)
        {
            HashAlgorithmName hash;
            bool rsa;
            switch (child.SigAlgOid)
            {
                case "1.2.840.113549.1.1.11": hash = HashAlgorithmName.SHA256; rsa = true; break;
                case "1.2.840.113549.1.1.12": hash = HashAlgorithmName.SHA384; rsa = true; break;
                case "1.2.840.113549.1.1.13": hash = HashAlgorithmName.SHA512; rsa = true; break;
                case "1.2.840.10045.4.3.2": hash = HashAlgorithmName.SHA256; rsa = false; break;
                case "1.2.840.10045.4.3.3": hash = HashAlgorithmName.SHA384; rsa = false; break;
                case "1.2.840.10045.4.3.4": hash = HashAlgorithmName.SHA512; rsa = false; break;
                default: return null;
            }
            // PKCS#1 v1.5 identifiers carry NULL or no parameters, ECDSA ones none; anything else is BouncyCastle's to judge.
            var parameters = child.Bc.CertificateStructure.SignatureAlgorithm.Parameters?.ToAsn1Object();
            if (parameters != null && !(rsa && parameters is Org.BouncyCastle.Asn1.Asn1Null)) return null;
            var key = issuer.PlatformKey.Value;
            if (key == null) return null;
            try
            {
                byte[] tbs = child.Bc.GetTbsCertificate();
                byte[] signature = child.Bc.GetSignature();
                lock (key)
                {
                    if (rsa && key is RSA r) return r.VerifyData(tbs, signature, hash, RSASignaturePadding.Pkcs1);
                    if (!rsa && key is ECDsa e) return e.VerifyData(tbs, signature, hash, DSASignatureFormat.Rfc3279DerSequence);
                }
                return issuer.KeyKind == PublicKeyKind.Rsa || issuer.KeyKind == PublicKeyKind.Ec ? false : (bool?)null;
            }
            catch (CryptographicException)
            {
                return null;
            }
        }

        public static AsymmetricAlgorithm? Import(CertInfo c)
        {
            try
            {
                byte[] spki = c.Bc.CertificateStructure.SubjectPublicKeyInfo.GetEncoded(Org.BouncyCastle.Asn1.Asn1Encodable.Der);
                if (c.KeyKind == PublicKeyKind.Rsa && c.Bc.CertificateStructure.SubjectPublicKeyInfo.Algorithm.Algorithm.Id == "1.2.840.113549.1.1.1")
                {
                    var rsa = RSA.Create();
                    rsa.ImportSubjectPublicKeyInfo(spki, out _);
                    return rsa;
                }
                if (c.KeyKind == PublicKeyKind.Ec && !c.ExplicitCurve)
                {
                    switch (c.CurveOid)
                    {
                        case "1.2.840.10045.3.1.7":
                        case "1.3.132.0.34":
                        case "1.3.132.0.35":
                            var ec = ECDsa.Create();
                            ec.ImportSubjectPublicKeyInfo(spki, out _);
                            return ec;
                    }
                }
            }
            catch (CryptographicException) { }
            return null;
        }
    }
}
#endif
