using System;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;

namespace TlsTools.Pki
{
    /// <summary>Makes private keys.</summary>
    public static class KeyFactory
    {
        internal static readonly SecureRandom Random = new SecureRandom();

        public static PrivateKey Generate(KeyAlgorithm algorithm)
        {
            IAsymmetricCipherKeyPairGenerator generator;
            switch (algorithm)
            {
                case KeyAlgorithm.EcdsaP256: generator = Ec(SecObjectIdentifiers.SecP256r1); break;
                case KeyAlgorithm.EcdsaP384: generator = Ec(SecObjectIdentifiers.SecP384r1); break;
                case KeyAlgorithm.EcdsaP521: generator = Ec(SecObjectIdentifiers.SecP521r1); break;
                case KeyAlgorithm.Rsa2048: generator = Rsa(2048); break;
                case KeyAlgorithm.Rsa3072: generator = Rsa(3072); break;
                case KeyAlgorithm.Rsa4096: generator = Rsa(4096); break;
                case KeyAlgorithm.Ed25519:
                    generator = new Ed25519KeyPairGenerator();
                    generator.Init(new Ed25519KeyGenerationParameters(Random));
                    break;
                default:
                    throw new TlsToolsException(ErrorIds.UnsupportedKeyAlgorithm, ErrorKind.InvalidArgument, "Unknown key algorithm '" + algorithm + "'.");
            }
            var pair = generator.GenerateKeyPair();
            return new PrivateKey(pair.Private, pair.Public);
        }

        private static IAsymmetricCipherKeyPairGenerator Ec(DerObjectIdentifier curve)
        {
            // Named-curve parameters: keys, requests and certificates name the curve's OID, never explicit parameters.
            var g = new ECKeyPairGenerator("EC");
            g.Init(new ECKeyGenerationParameters(curve, Random));
            return g;
        }

        private static IAsymmetricCipherKeyPairGenerator Rsa(int bits)
        {
            var g = new RsaKeyPairGenerator();
            g.Init(new RsaKeyGenerationParameters(BigInteger.ValueOf(65537), Random, bits, 100));
            return g;
        }

        /// <summary>
        /// The signature algorithm TlsTools uses with a key: SHA-256/384/512 matched to the curve, SHA-256 for RSA, pure EdDSA.
        /// The platform's cryptography signs where it can (RSA, ECDSA P-256/384/521), BouncyCastle otherwise;
        /// <paramref name="usePlatform"/> false always signs with BouncyCastle (tests compare the two).
        /// </summary>
        internal static ISignatureFactory SignatureFactory(PrivateKey key, string? algorithm = null, bool usePlatform = true)
        {
            return Crypto.PlatformSignatureFactory.Create(key, algorithm ?? SignatureAlgorithmFor(key), Random, usePlatform);
        }

        /// <summary>An RSA key of any size, for deliberately weak test material (scenario servers); not offered to users.</summary>
        internal static PrivateKey GenerateRsa(int bits)
        {
            var pair = Rsa(bits).GenerateKeyPair();
            return new PrivateKey(pair.Private, pair.Public);
        }

        internal static string SignatureAlgorithmFor(PrivateKey key)
        {
            switch (key.Private)
            {
                case RsaKeyParameters _: return "SHA256WITHRSA";
                case ECPrivateKeyParameters ec:
                    int bits = ec.Parameters.Curve.FieldSize;
                    return bits > 384 ? "SHA512WITHECDSA" : bits > 256 ? "SHA384WITHECDSA" : "SHA256WITHECDSA";
                case Ed25519PrivateKeyParameters _: return "Ed25519";
                case Ed448PrivateKeyParameters _: return "Ed448";
                case DsaPrivateKeyParameters _: return "SHA256WITHDSA";
                default:
                    throw new TlsToolsException(ErrorIds.UnsupportedKey, ErrorKind.InvalidArgument, "TlsTools cannot sign with a " + key.Algorithm + " key.");
            }
        }
    }
}
