using System;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Crypto;
using TlsTools.Pki.Crypto;

namespace TlsTools.Validation
{
    /// <summary>
    /// The fast path of certificate signature checks: RSA PKCS#1 v1.5 and ECDSA on P-256/P-384/P-521 with SHA-2, through
    /// the platform's cryptography (<see cref="PlatformVerifier"/>), several times faster than BouncyCastle's managed
    /// arithmetic (the RSA verification of 1,000 leaves was most of a Test-CertificateChain run).
    /// </summary>
    /// <remarks>
    /// It only ever answers "verified"; everything else (an algorithm it does not take, a key or signature the platform
    /// refuses, a signature that does not verify) goes on to BouncyCastle, whose answer stands. It is fed exactly what
    /// BouncyCastle would check: the DER of the signed part and the issuer key BouncyCastle parsed (and validated). So it
    /// can make a check faster, never change its verdict.
    /// </remarks>
    internal static class PlatformSignature
    {
        /// <summary>True when the platform verified <paramref name="child"/>'s signature with <paramref name="issuerKey"/>; false means "ask BouncyCastle".</summary>
        public static bool Verified(CertInfo child, CertInfo issuer, AsymmetricKeyParameter issuerKey)
        {
            if (issuer.ExplicitCurve) return false;
            try
            {
                var structure = child.Bc.CertificateStructure;
                return PlatformVerifier.TryVerify(issuerKey, structure.SignatureAlgorithm, structure.TbsCertificate.GetEncoded(Asn1Encodable.Der),
                    child.Bc.GetSignature()) == true;
            }
            catch (Exception)
            {
                return false;
            }
        }
    }
}
