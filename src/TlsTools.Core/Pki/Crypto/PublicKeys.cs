using System;
using System.Collections.Generic;
using System.Security.Cryptography;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Utilities;

namespace TlsTools.Pki.Crypto
{
    /// <summary>
    /// Public keys from a SubjectPublicKeyInfo, with the same checks as BouncyCastle's PublicKeyFactory, only faster for RSA.
    /// BouncyCastle validates every parsed RSA modulus: odd, not larger than its RsaMaxSize, no small prime factor, and
    /// provably composite by Miller-Rabin rounds, each a full-size modular exponentiation in managed code (tens of
    /// milliseconds for 2048 bits; more than the whole rest of issuing a certificate). Here the same rounds run on the
    /// platform's RSA public-key operation (see <see cref="ProvablyComposite"/>); whatever this cannot decide (the
    /// platform refuses, no witness found, an unusual key) goes to BouncyCastle, which then validates, or refuses, as before.
    /// </summary>
    internal static class PublicKeys
    {
        /// <summary>How many keys each generation of the table holds.</summary>
        internal const int GenerationSize = 256;
        private static readonly object ValidatedLock = new object();
        // Two generations: a key found in the older one moves to the newer one, and when the newer one is full the
        // older one is dropped. So a key in use (a CA's key in every chain check, the one server of a loop of
        // handshakes) stays however many other keys pass by, and at most 2 x GenerationSize keys are held.
        private static Dictionary<string, AsymmetricKeyParameter> s_recent = new Dictionary<string, AsymmetricKeyParameter>(StringComparer.Ordinal);
        private static Dictionary<string, AsymmetricKeyParameter> s_older = new Dictionary<string, AsymmetricKeyParameter>(StringComparer.Ordinal);

        /// <summary>
        /// The key of a certificate or handshake, validated once per process for each distinct encoding: a scan parses
        /// the same server certificate in many probes, and a loop of handshakes meets the same key each time, where
        /// BouncyCastle's own parsing (X509Certificate.GetPublicKey once per object, its TLS certificates at every call)
        /// ran the RSA modulus checks in managed code again (tens of milliseconds for 2048 bits). Only keys that passed
        /// are kept (the keys used last: see the two generations above); a refused key throws every time, as
        /// BouncyCastle's PublicKeyFactory does.
        /// </summary>
        internal static AsymmetricKeyParameter Of(SubjectPublicKeyInfo spki)
        {
            if (spki is null) throw new ArgumentNullException(nameof(spki));
            string id = Convert.ToBase64String(spki.GetEncoded(Asn1Encodable.Der));
            lock (ValidatedLock)
            {
                if (s_recent.TryGetValue(id, out var known)) return known;
                if (s_older.TryGetValue(id, out known))
                {
                    Keep(id, known);
                    return known;
                }
            }
            var key = FromSubjectPublicKeyInfo(spki);
            lock (ValidatedLock)
            {
                // Another thread may have validated the same key meanwhile: the first one kept is the one handed out.
                if (s_recent.TryGetValue(id, out var known)) return known;
                Keep(id, key);
            }
            return key;
        }

        private static void Keep(string id, AsymmetricKeyParameter key)
        {
            if (s_recent.Count >= GenerationSize)
            {
                s_older = s_recent;
                s_recent = new Dictionary<string, AsymmetricKeyParameter>(StringComparer.Ordinal);
            }
            s_recent[id] = key;
        }

        /// <summary>The key, validated once. Throws as BouncyCastle's PublicKeyFactory does for a key it refuses.</summary>
        internal static AsymmetricKeyParameter FromSubjectPublicKeyInfo(SubjectPublicKeyInfo spki)
        {
            if (PkcsObjectIdentifiers.RsaEncryption.Equals(spki.Algorithm.Algorithm))
            {
                var rsa = RsaPublicKeyStructure.GetInstance(spki.ParsePublicKey());
                if (PassesBouncyCastleChecks(rsa.Modulus))
                    return WithoutSecondValidation(rsa.Modulus, rsa.PublicExponent);
            }
            return PublicKeyFactory.CreateKey(spki);
        }

        /// <summary>
        /// BouncyCastle's RsaKeyParameters modulus checks, with the Miller-Rabin rounds on the platform. False means
        /// "not decided here" (BouncyCastle then decides), never "invalid".
        /// </summary>
        internal static bool PassesBouncyCastleChecks(BigInteger modulus)
        {
            if (modulus.SignValue <= 0 || !modulus.TestBit(0)) return false;
            if (Properties.GetBoolean(Properties.RsaAllowUnsafeModulus, false)) return false;
            if (modulus.BitLength > Properties.GetInt32(Properties.RsaMaxSize, 16384)) return false;
            if (BigIntegers.HasAnySmallFactors(modulus)) return false;
            int half = modulus.BitLength / 2;
            int rounds = Properties.GetInt32(Properties.RsaMaxMRTests, half >= 1536 ? 3 : half >= 1024 ? 4 : half >= 512 ? 7 : 50);
            return rounds > 0 && ProvablyComposite(modulus, rounds);
        }

        /// <summary>
        /// Miller-Rabin on the platform: with n - 1 = 2^s * d (d odd), an RSA public-key operation with exponent d turns
        /// a PKCS#1-padded random block x (2 &lt;= x &lt; n) into y = x^d mod n. Were n prime, y would be 1 or reach n - 1
        /// within s - 1 squarings, whatever x is; when it does neither, x is a witness and n is provably composite. The
        /// base stays unknown and need not be known. Up to <paramref name="rounds"/> random bases, as BouncyCastle tries.
        /// </summary>
        internal static bool ProvablyComposite(BigInteger n, int rounds)
        {
            var nMinusOne = n.Subtract(BigInteger.One);
            int s = nMinusOne.GetLowestSetBit();
            var d = nMinusOne.ShiftRight(s);
            try
            {
                using (var rsa = RSA.Create())
                {
                    rsa.ImportParameters(new RSAParameters { Modulus = n.ToByteArrayUnsigned(), Exponent = d.ToByteArrayUnsigned() });
                    var message = new byte[1];
                    for (int round = 0; round < rounds; round++)
                    {
                        var y = new BigInteger(1, rsa.Encrypt(message, RSAEncryptionPadding.Pkcs1));
                        if (IsWitness(y, n, nMinusOne, s)) return true;
                    }
                }
            }
            catch (Exception e) when (PlatformKey.IsPlatformRefusal(e))
            {
                // OpenSSL refuses exponents over 64 bits for moduli over 3072 bits; CNG and Apple's limit public exponents.
            }
            return false;
        }

        private static bool IsWitness(BigInteger y, BigInteger n, BigInteger nMinusOne, int s)
        {
            if (y.Equals(BigInteger.One) || y.Equals(nMinusOne)) return false;
            for (int j = 1; j < s; j++)
            {
                y = y.ModMultiply(y, n);
                if (y.Equals(nMinusOne)) return false;
                if (y.Equals(BigInteger.One)) return true; // a non-trivial square root of 1
            }
            return true;
        }

        /// <summary>An RSA public key whose modulus passed the checks above: BouncyCastle is told not to run them again.</summary>
        private static RsaKeyParameters WithoutSecondValidation(BigInteger modulus, BigInteger exponent)
        {
            var earlier = Properties.GetThreadProperty(Properties.RsaAllowUnsafeModulus);
            Properties.SetThreadBoolean(Properties.RsaAllowUnsafeModulus, true);
            try
            {
                return new RsaKeyParameters(false, modulus, exponent);
            }
            finally
            {
                if (earlier == null) Properties.RemoveThreadProperty(Properties.RsaAllowUnsafeModulus);
                else Properties.SetThreadProperty(Properties.RsaAllowUnsafeModulus, earlier);
            }
        }
    }
}
