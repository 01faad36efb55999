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

        /// <summary>
        /// PBKDF2 iterations for a PFX's key and certificates, and PKCS#12 MAC iterations: OpenSSL 3.0's default is 2,048 for
        /// each. A PFX is read by .NET and Windows as well, whose loaders refuse more than 600,000 iterations in all (three
        /// derivations here) and take proportionally longer, so this is a tenth of <see cref="KeyIterations"/>.
        /// </summary>
        public const int PfxIterations = 10_000;

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
        /// PKCS#12 with PBES2 (AES-256-CBC, PBKDF2-HMAC-SHA256) for key and certificates and an HMAC-SHA256 MAC, each with
        /// <see cref="PfxIterations"/> iterations; OpenSSL 3 opens it without -legacy. The first certificate with a
        /// private key is the key entry; the others are its chain.
        /// </summary>
        public static byte[] EncodePfx(IReadOnlyList<Certificate> certificates, char[]? password) =>
            EncodePfx(certificates, password, PfxIterations);

        /// <summary>The same with a chosen iteration count: fewer only for a PFX that never leaves memory and whose password is random.</summary>
        internal static byte[] EncodePfx(IReadOnlyList<Certificate> certificates, char[]? password, int iterations)
        {
            if (password == null || password.Length == 0)
                throw new TlsToolsException(ErrorIds.PasswordRequired, ErrorKind.InvalidArgument, "A PFX file needs a password; give one with -Password.");
            if (certificates == null || certificates.Count == 0)
                throw new TlsToolsException(ErrorIds.NoCertificate, ErrorKind.InvalidArgument, "No certificate was given to write.");
            return PfxEncoder.Encode(certificates, password, iterations);
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

    }
}
