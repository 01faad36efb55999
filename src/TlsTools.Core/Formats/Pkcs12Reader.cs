using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Pkcs;
using TlsTools.Pki;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace TlsTools.Formats
{
    /// <summary>PKCS#12/PFX decoding: wrong or missing passwords told apart from damaged files; KDF work bounded first.</summary>
    internal static class Pkcs12Reader
    {
        internal sealed class PfxContents
        {
            public List<Certificate> Certificates { get; } = new List<Certificate>();
            public PrivateKey? Key { get; set; }
        }

        /// <summary>Opens a PKCS#12 file: its certificates (the key's own first, duplicates dropped) and its first private key, attached to its certificate.</summary>
        public static PfxContents Read(byte[] data, char[]? password)
        {
            KdfLimits.CheckPfx(data);
            var store = new Pkcs12StoreBuilder().Build();
            try
            {
                store.Load(new MemoryStream(data, false), password ?? Array.Empty<char>());
            }
            catch (IOException e) when (e.Message.IndexOf("wrong password", StringComparison.OrdinalIgnoreCase) >= 0 ||
                                        e.Message.IndexOf("MAC invalid", StringComparison.OrdinalIgnoreCase) >= 0)
            {
                throw password == null || password.Length == 0
                    ? new TlsToolsException(ErrorIds.PasswordRequired, ErrorKind.AuthenticationError, "The PKCS#12 file is protected by a password; give it with -Password.")
                    : new TlsToolsException(ErrorIds.WrongPassword, ErrorKind.AuthenticationError, "The password does not open this PKCS#12 file.");
            }
            catch (TlsToolsException) { throw; }
            catch (Exception e) when (IsDecryptFailure(e))
            {
                throw new TlsToolsException(ErrorIds.WrongPassword, ErrorKind.AuthenticationError, "The password does not open this PKCS#12 file.");
            }
            catch (Exception e)
            {
                throw new TlsToolsException(ErrorIds.InvalidPfx, ErrorKind.InvalidData, "The data is not a readable PKCS#12/PFX file: " + e.Message, e);
            }

            var result = new PfxContents();
            var leafs = new List<BcCertificate>();
            var others = new List<BcCertificate>();
            foreach (var alias in store.Aliases.ToList())
            {
                if (store.IsKeyEntry(alias))
                {
                    var key = store.GetKey(alias).Key;
                    var chain = store.GetCertificateChain(alias) ?? Array.Empty<X509CertificateEntry>();
                    var pk = new PrivateKey(key, chain.Length > 0 ? chain[0].Certificate.GetPublicKey() : null);
                    result.Key ??= pk;
                    foreach (var entry in chain) (entry == chain[0] ? leafs : others).Add(entry.Certificate);
                }
                else
                {
                    var entry = store.GetCertificate(alias);
                    if (entry != null) others.Add(entry.Certificate);
                }
            }
            var all = leafs.Concat(others).GroupBy(c => Hex.Upper(c.GetEncoded())).Select(g => g.First()).ToList();
            if (all.Count == 0)
                throw new TlsToolsException(ErrorIds.NoCertificate, ErrorKind.InvalidData, "The PKCS#12 file holds no certificate.");
            var keys = result.Key != null ? new List<PrivateKey> { result.Key } : new List<PrivateKey>();
            result.Certificates.AddRange(PkiReader.Attach(all, keys));
            return result;
        }

        /// <summary>True when the data starts like a PFX (a SEQUENCE of version 3 and a SEQUENCE).</summary>
        internal static bool IsPfx(byte[] data)
        {
            try
            {
                using (var s = new Asn1InputStream(new MemoryStream(data, false), Math.Min(data.Length, PkiReader.MaxInputBytes)))
                {
                    var obj = s.ReadObject();
                    return obj is Asn1Sequence seq && seq.Count >= 2 && seq[0] is DerInteger v && v.HasValue(3) && seq[1] is Asn1Sequence;
                }
            }
            catch (Exception)
            {
                return false;
            }
        }

        private static bool IsDecryptFailure(Exception e) =>
            e is InvalidCipherTextException || e.InnerException is InvalidCipherTextException ||
            e.Message.IndexOf("pad block corrupted", StringComparison.OrdinalIgnoreCase) >= 0;
    }
}
