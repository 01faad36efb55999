using System;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;

namespace TlsTools.Pki
{
    /// <summary>Describes public and private keys in TlsTools' words ("EcdsaP256", "Rsa2048", "Ed25519").</summary>
    internal static class KeyInfo
    {
        public static string Describe(AsymmetricKeyParameter key)
        {
            switch (key)
            {
                case RsaKeyParameters rsa:
                    return "Rsa" + rsa.Modulus.BitLength;
                case ECKeyParameters ec:
                    return CurveLabel(ec);
                case Ed25519PublicKeyParameters _:
                case Ed25519PrivateKeyParameters _:
                    return "Ed25519";
                case Ed448PublicKeyParameters _:
                case Ed448PrivateKeyParameters _:
                    return "Ed448";
                case DsaKeyParameters dsa:
                    return "Dsa" + dsa.Parameters.P.BitLength;
                default:
                    return key.GetType().Name.Replace("PublicKeyParameters", "").Replace("PrivateKeyParameters", "").Replace("KeyParameters", "");
            }
        }

        public static int KeySize(AsymmetricKeyParameter key)
        {
            switch (key)
            {
                case RsaKeyParameters rsa: return rsa.Modulus.BitLength;
                case ECKeyParameters ec: return ec.Parameters.Curve.FieldSize;
                case Ed25519PublicKeyParameters _:
                case Ed25519PrivateKeyParameters _: return 256;
                case Ed448PublicKeyParameters _:
                case Ed448PrivateKeyParameters _: return 456;
                case DsaKeyParameters dsa: return dsa.Parameters.P.BitLength;
                default: return 0;
            }
        }

        /// <summary>The named-curve OID of an EC key, or null when the curve is given by explicit parameters.</summary>
        public static DerObjectIdentifier? CurveOid(ECKeyParameters ec)
        {
            if (ec.Parameters is ECNamedDomainParameters named)
                return named.Name;
            return null;
        }

        private static string CurveLabel(ECKeyParameters ec)
        {
            var oid = CurveOid(ec);
            if (oid == null)
                return "Ecdsa(explicit)";
            var name = ECNamedCurveTable.GetName(oid);
            switch (name)
            {
                case "P-256":
                case "secp256r1":
                case "prime256v1": return "EcdsaP256";
                case "P-384":
                case "secp384r1": return "EcdsaP384";
                case "P-521":
                case "secp521r1": return "EcdsaP521";
                default: return "Ecdsa(" + (name ?? oid.Id) + ")";
            }
        }

        /// <summary>Derives the public half of a private key.</summary>
        public static AsymmetricKeyParameter PublicOf(AsymmetricKeyParameter privateKey)
        {
            switch (privateKey)
            {
                case RsaPrivateCrtKeyParameters rsa:
                    return new RsaKeyParameters(false, rsa.Modulus, rsa.PublicExponent);
                case ECPrivateKeyParameters ec:
                    var q = ec.Parameters.G.Multiply(ec.D).Normalize();
                    return new ECPublicKeyParameters(ec.AlgorithmName, q, ec.Parameters);
                case Ed25519PrivateKeyParameters ed:
                    return ed.GeneratePublicKey();
                case Ed448PrivateKeyParameters ed448:
                    return ed448.GeneratePublicKey();
                case DsaPrivateKeyParameters dsa:
                    return new DsaPublicKeyParameters(dsa.Parameters.G.ModPow(dsa.X, dsa.Parameters.P), dsa.Parameters);
                default:
                    throw new TlsToolsException(ErrorIds.UnsupportedKey, ErrorKind.InvalidData,
                        "This kind of private key is not supported: " + privateKey.GetType().Name);
            }
        }

        /// <summary>True when both keys are the same public key.</summary>
        public static bool SamePublicKey(AsymmetricKeyParameter a, AsymmetricKeyParameter b)
        {
            var ea = Org.BouncyCastle.X509.SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(a).GetEncoded();
            var eb = Org.BouncyCastle.X509.SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(b).GetEncoded();
            return Org.BouncyCastle.Utilities.Arrays.FixedTimeEquals(ea, eb);
        }

    }
}
