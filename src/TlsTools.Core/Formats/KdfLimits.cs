using System;
using System.IO;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;

namespace TlsTools.Formats
{
    /// <summary>
    /// Bounds on the password-based key derivation work a file may ask for. The iteration count is chosen by whoever wrote
    /// the file, so without a bound a 265-byte key asking for 2^31 PBKDF2 iterations keeps a reader busy for hours
    /// (BouncyCastle's own cap lets 4,000,000 through: 10 s on a loaded 2-core machine). Same defaults as .NET's
    /// Pkcs12LoaderLimits: 300,000 per derivation, 1,000,000 per file.
    /// </summary>
    public static class KdfLimits
    {
        /// <summary>The most PBKDF2 / PKCS#12 iterations one key derivation (a MAC, a bag, an encrypted key) may ask for (3 × <see cref="PkiWriter.KeyIterations"/>).</summary>
        public const int MaxIterationsPerDerivation = 300_000;

        /// <summary>The most iterations all the derivations visible in one PKCS#12 file may ask for together.</summary>
        public const int MaxIterationsPerFile = 1_000_000;

        /// <summary>Checks an encrypted PKCS#8 key's algorithm before it is decrypted.</summary>
        internal static void CheckEncryptedKey(EncryptedPrivateKeyInfo info) => Check(Iterations(info.EncryptionAlgorithm), "private key");

        /// <summary>
        /// Checks the MAC and the encryption of a PKCS#12 file before BouncyCastle runs any derivation. Only what is
        /// visible before decryption is checked (a key bag inside encrypted contents is not). A structure that cannot be
        /// read is left to the PKCS#12 reader, which reports it.
        /// </summary>
        internal static void CheckPfx(byte[] data)
        {
            long total = 0;
            try
            {
                var pfx = Pfx.GetInstance(Asn1Object.FromByteArray(data));
                if (pfx.MacData != null) total += Check(Count(pfx.MacData.IterationCount), "PKCS#12 MAC");
                var authSafe = pfx.AuthSafe;
                if (!PkcsObjectIdentifiers.Data.Equals(authSafe.ContentType)) return;
                var octets = Asn1OctetString.GetInstance(authSafe.Content).GetOctets();
                foreach (var element in Asn1Sequence.GetInstance(Asn1Object.FromByteArray(octets)))
                {
                    var ci = ContentInfo.GetInstance(element);
                    if (PkcsObjectIdentifiers.EncryptedData.Equals(ci.ContentType))
                    {
                        var ed = Asn1Sequence.GetInstance(ci.Content);
                        var eci = Asn1Sequence.GetInstance(ed[1]); // EncryptedContentInfo: contentType, algorithm, content
                        total += Check(Iterations(AlgorithmIdentifier.GetInstance(eci[1])), "PKCS#12 contents");
                    }
                    else if (PkcsObjectIdentifiers.Data.Equals(ci.ContentType))
                    {
                        var bags = Asn1Sequence.GetInstance(Asn1Object.FromByteArray(Asn1OctetString.GetInstance(ci.Content).GetOctets()));
                        foreach (var b in bags)
                        {
                            var bag = SafeBag.GetInstance(b);
                            if (PkcsObjectIdentifiers.Pkcs8ShroudedKeyBag.Equals(bag.BagID))
                                total += Check(Iterations(EncryptedPrivateKeyInfo.GetInstance(bag.BagValue).EncryptionAlgorithm), "PKCS#12 key");
                        }
                    }
                }
            }
            catch (Exception e) when (!(e is TlsToolsException) && !(e is OutOfMemoryException))
            {
                return;
            }
            if (total > MaxIterationsPerFile)
                throw new TlsToolsException(ErrorIds.KdfIterationsTooLarge, ErrorKind.LimitsExceeded,
                    "The PKCS#12 file asks for " + total + " key-derivation iterations in all; TlsTools reads at most " + MaxIterationsPerFile + ".");
        }

        private static long Check(long iterations, string what)
        {
            if (iterations > MaxIterationsPerDerivation)
                throw new TlsToolsException(ErrorIds.KdfIterationsTooLarge, ErrorKind.LimitsExceeded,
                    "The " + what + " asks for " + iterations + " key-derivation iterations; TlsTools reads at most " + MaxIterationsPerDerivation +
                    " per derivation (a hostile file could otherwise keep the reader busy for hours).");
            return Math.Max(0, iterations);
        }

        private static long Count(Org.BouncyCastle.Math.BigInteger? n) =>
            n == null || n.SignValue <= 0 ? 0 : n.BitLength > 62 ? long.MaxValue : n.LongValue;

        /// <summary>The iteration count of a password-based encryption algorithm (PBES2 with PBKDF2, PKCS#12 PBE, PKCS#5 PBES1); 0 when there is none.</summary>
        internal static long Iterations(AlgorithmIdentifier algorithm)
        {
            var oid = algorithm.Algorithm;
            try
            {
                if (PkcsObjectIdentifiers.IdPbeS2.Equals(oid))
                {
                    var p = PbeS2Parameters.GetInstance(algorithm.Parameters);
                    var kdf = p.KeyDerivationFunc;
                    if (PkcsObjectIdentifiers.IdPbkdf2.Equals(kdf.Algorithm))
                        return Count(Pbkdf2Params.GetInstance(kdf.Parameters).IterationCount);
                    return 0;
                }
                if (oid.Id.StartsWith("1.2.840.113549.1.12.1.", StringComparison.Ordinal))
                    return Count(Pkcs12PbeParams.GetInstance(algorithm.Parameters).Iterations);
                if (oid.Id.StartsWith("1.2.840.113549.1.5.", StringComparison.Ordinal))
                    return Count(PbeParameter.GetInstance(algorithm.Parameters).IterationCount);
            }
            catch (Exception e) when (!(e is OutOfMemoryException))
            {
                // Unreadable parameters: the decryption reports them.
            }
            return 0;
        }
    }
}
