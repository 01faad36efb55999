namespace TlsTools.Validation
{
    /// <summary>Which signature algorithms and keys a purpose accepts.</summary>
    internal static class AlgorithmPolicy
    {
        public const string ServerAuthOid = "1.3.6.1.5.5.7.3.1";
        public const string ClientAuthOid = "1.3.6.1.5.5.7.3.2";
        public const string AnyEkuOid = "2.5.29.37.0";

        /// <summary>Null when the signature algorithm is acceptable, else why not.</summary>
        public static string? CheckSignatureAlgorithm(string oid, ValidationPurpose purpose)
        {
            switch (oid)
            {
                case "1.2.840.113549.1.1.2": return "MD2 with RSA is broken";
                case "1.2.840.113549.1.1.3": return "MD4 with RSA is broken";
                case "1.2.840.113549.1.1.4": return "MD5 with RSA is broken";
            }
            if (purpose == ValidationPurpose.Any) return null;
            switch (oid)
            {
                case "1.2.840.113549.1.1.11": // sha256WithRSAEncryption
                case "1.2.840.113549.1.1.12": // sha384WithRSAEncryption
                case "1.2.840.113549.1.1.13": // sha512WithRSAEncryption
                case "1.2.840.113549.1.1.10": // RSASSA-PSS
                case "1.2.840.10045.4.3.2":  // ecdsa-with-SHA256
                case "1.2.840.10045.4.3.3":  // ecdsa-with-SHA384
                case "1.2.840.10045.4.3.4":  // ecdsa-with-SHA512
                case "1.3.101.112":          // Ed25519
                case "1.3.101.113":          // Ed448
                    return null;
                case "1.2.840.113549.1.1.5":
                case "1.3.14.3.2.29":
                    return "SHA-1 with RSA is not accepted for TLS (collisions are practical)";
                case "1.2.840.10045.4.1":
                    return "ECDSA with SHA-1 is not accepted for TLS (collisions are practical)";
                case "1.2.840.10040.4.3":
                case "2.16.840.1.101.3.4.3.1":
                case "2.16.840.1.101.3.4.3.2":
                    return "DSA signatures are not accepted for TLS";
                default:
                    return "signature algorithm " + oid + " is not one of RSA (PKCS#1 v1.5 or PSS) with SHA-256/384/512, ECDSA with SHA-256/384/512, Ed25519 or Ed448";
            }
        }

        /// <summary>Null when the public key is acceptable, else why not.</summary>
        public static string? CheckKey(CertInfo c, ValidationPurpose purpose)
        {
            if (purpose == ValidationPurpose.Any)
            {
                if (c.KeyKind == PublicKeyKind.Rsa && c.KeyBits < 1024) return "an RSA key of " + c.KeyBits + " bits is breakable";
                return null;
            }
            switch (c.KeyKind)
            {
                case PublicKeyKind.Rsa:
                    if (c.KeyBits < 2048) return "an RSA key of " + c.KeyBits + " bits is below the 2048 bits required for TLS";
                    if (c.KeyBits % 8 != 0) return "an RSA modulus of " + c.KeyBits + " bits is not a whole number of bytes";
                    return null;
                case PublicKeyKind.Ec:
                    if (c.ExplicitCurve) return "an EC key with explicit curve parameters is not accepted (a named curve is required)";
                    switch (c.CurveOid)
                    {
                        case "1.2.840.10045.3.1.7":
                        case "1.3.132.0.34":
                        case "1.3.132.0.35":
                            return null;
                        default:
                            return "an EC key on curve " + CertInfo.CurveName(c.CurveOid ?? "?") + " is not accepted (P-256, P-384 or P-521)";
                    }
                case PublicKeyKind.Ed25519:
                case PublicKeyKind.Ed448:
                    return null;
                case PublicKeyKind.Dsa:
                    return "DSA keys are not accepted for TLS";
                default:
                    return c.KeyDescription + " is not accepted for TLS";
            }
        }
    }
}
