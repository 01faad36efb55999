using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Org.BouncyCastle.Asn1.Nist;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Pkcs;
using TlsTools.Pki;

namespace TlsTools.Formats
{
    public enum CertificateFormat { Pem, Der, Pfx, P7b }

    public enum KeyFormat { Pem, Der }

    /// <summary>Encodes certificates, keys, requests and CRLs; file writing is <see cref="SafeFile"/>'s job.</summary>
    public static class PkiWriter
    {
        /// <summary>PBKDF2-HMAC-SHA256 iterations for encrypted PKCS#8 keys.</summary>
        public const int KeyIterations = 100_000;

        public static byte[] EncodeCertificates(IReadOnlyList<Certificate> certificates, CertificateFormat format, char[]? password)
        {
            if (certificates == null || certificates.Count == 0)
                throw new TlsToolsException(ErrorIds.NoCertificate, ErrorKind.InvalidArgument, "No certificate was given to write.");
            switch (format)
            {
                case CertificateFormat.Pem:
                    return Encoding.ASCII.GetBytes(string.Concat(certificates.Select(c => c.ToPem())));
                case CertificateFormat.Der:
                    if (certificates.Count > 1)
                        throw new TlsToolsException(ErrorIds.DerHoldsOneCertificate, ErrorKind.InvalidArgument,
                            "DER holds one certificate, and " + certificates.Count + " were given; use -Format Pem or Pfx for several.");
                    return certificates[0].GetRawData();
                case CertificateFormat.Pfx:
                    return EncodePfx(certificates, password);
                case CertificateFormat.P7b:
                    return Pkcs7Writer.Encode(certificates);
                default:
                    throw new ArgumentOutOfRangeException(nameof(format));
            }
        }

        /// <summary>
        /// PKCS#12 with PBES2 (AES-256-CBC, PBKDF2-HMAC-SHA256) for key and certificates, which OpenSSL 3 opens
        /// without -legacy. The first certificate with a private key is the key entry; the others are its chain.
        /// </summary>
        public static byte[] EncodePfx(IReadOnlyList<Certificate> certificates, char[]? password)
        {
            if (password == null || password.Length == 0)
                throw new TlsToolsException(ErrorIds.PasswordRequired, ErrorKind.InvalidArgument, "A PFX file needs a password; give one with -Password.");
            var store = new Pkcs12StoreBuilder()
                .SetKeyAlgorithm(NistObjectIdentifiers.IdAes256Cbc, PkcsObjectIdentifiers.IdHmacWithSha256)
                .SetCertAlgorithm(NistObjectIdentifiers.IdAes256Cbc, PkcsObjectIdentifiers.IdHmacWithSha256)
                .SetUseDerEncoding(true)
                .Build();
            var keyed = certificates.FirstOrDefault(c => c.PrivateKey != null);
            if (keyed != null)
            {
                var chain = new[] { keyed }.Concat(certificates.Where(c => !ReferenceEquals(c, keyed)))
                    .Select(c => new X509CertificateEntry(c.Bc)).ToArray();
                store.SetKeyEntry(FriendlyName(keyed), new AsymmetricKeyEntry(keyed.PrivateKey!.Private), chain);
            }
            else
            {
                foreach (var c in certificates)
                    store.SetCertificateEntry(FriendlyName(c), new X509CertificateEntry(c.Bc));
            }
            using (var ms = new MemoryStream())
            {
                store.Save(ms, password, KeyFactory.Random);
                return ms.ToArray();
            }
        }

        public static byte[] EncodePrivateKey(PrivateKey key, KeyFormat format, char[]? password)
        {
            if (key == null) throw new ArgumentNullException(nameof(key));
            bool encrypt = password != null && password.Length > 0;
            byte[] der;
            if (encrypt)
            {
                var salt = new byte[16];
                KeyFactory.Random.NextBytes(salt);
                der = EncryptedPrivateKeyInfoFactory.CreateEncryptedPrivateKeyInfo(
                    NistObjectIdentifiers.IdAes256Cbc, PkcsObjectIdentifiers.IdHmacWithSha256,
                    password, salt, KeyIterations, KeyFactory.Random, PrivateKeyInfoV1(key)).GetEncoded();
            }
            else
            {
                der = PrivateKeyInfoV1(key).GetEncoded();
            }
            return format == KeyFormat.Der ? der : Encoding.ASCII.GetBytes(Pem.Encode(encrypt ? "ENCRYPTED PRIVATE KEY" : "PRIVATE KEY", der));
        }

        /// <summary>
        /// PKCS#8 version 1 (no embedded public key). BouncyCastle writes EdDSA keys as RFC 5958 version 2 with the
        /// public key, which OpenSSL 3.0 refuses to read; the public key is derivable, so nothing is lost.
        /// </summary>
        internal static PrivateKeyInfo PrivateKeyInfoV1(PrivateKey key)
        {
            var info = PrivateKeyInfoFactory.CreatePrivateKeyInfo(key.Private);
            return info.PublicKey == null ? info : new PrivateKeyInfo(info.PrivateKeyAlgorithm, info.ParsePrivateKey(), info.Attributes);
        }

        public static byte[] EncodeRequest(CertificateRequest request, KeyFormat format) =>
            format == KeyFormat.Der ? request.GetRawData() : Encoding.ASCII.GetBytes(request.ToPem());

        public static byte[] EncodeCrl(CertificateRevocationList crl, KeyFormat format) =>
            format == KeyFormat.Der ? crl.GetRawData() : Encoding.ASCII.GetBytes(crl.ToPem());

        private static string FriendlyName(Certificate c)
        {
            var cn = c.Bc.SubjectDN.GetValueList(Org.BouncyCastle.Asn1.X509.X509Name.CN);
            return cn.Count > 0 ? cn[0] : c.Thumbprint;
        }
    }
}
