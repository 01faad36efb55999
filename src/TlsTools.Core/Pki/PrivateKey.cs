using System;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.X509;

namespace TlsTools.Pki
{
    /// <summary>
    /// A private key with its public half. Shows what the key is, never what it holds:
    /// no property, ToString or serialization exposes the secret.
    /// </summary>
    public sealed partial class PrivateKey
    {
        internal PrivateKey(AsymmetricKeyParameter privateKey, AsymmetricKeyParameter? publicKey = null)
        {
            if (privateKey == null) throw new ArgumentNullException(nameof(privateKey));
            if (!privateKey.IsPrivate)
                throw new ArgumentException("A public key was given where a private key is needed.", nameof(privateKey));
            Private = privateKey;
            Public = publicKey ?? KeyInfo.PublicOf(privateKey);
            Algorithm = KeyInfo.Describe(Public);
            KeySize = KeyInfo.KeySize(Public);
            PublicKeySha256 = ComputePublicKeySha256(Public);
        }

        internal AsymmetricKeyParameter Private { get; }

        internal AsymmetricKeyParameter Public { get; }

        /// <summary>"EcdsaP256", "Rsa2048", "Ed25519", ...</summary>
        public string Algorithm { get; }

        /// <summary>Size in bits (RSA modulus, EC field size).</summary>
        public int KeySize { get; }

        /// <summary>SHA-256 of the SubjectPublicKeyInfo, uppercase hex: the same value for the key, its requests and its certificates.</summary>
        public string PublicKeySha256 { get; }

        internal static string ComputePublicKeySha256(AsymmetricKeyParameter publicKey)
        {
            var spki = SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(publicKey).GetEncoded();
            var digest = new Sha256Digest();
            digest.BlockUpdate(spki, 0, spki.Length);
            var hash = new byte[digest.GetDigestSize()];
            digest.DoFinal(hash, 0);
            return Hex.Upper(hash);
        }

        public override string ToString() => Algorithm + " private key (public SHA-256 " + PublicKeySha256.Substring(0, 16) + "…)";
    }

    internal static class Hex
    {
        public static string Upper(byte[] bytes)
        {
            var chars = new char[bytes.Length * 2];
            const string digits = "0123456789ABCDEF";
            for (int i = 0; i < bytes.Length; i++)
            {
                chars[2 * i] = digits[bytes[i] >> 4];
                chars[2 * i + 1] = digits[bytes[i] & 0xF];
            }
            return new string(chars);
        }
    }
}
