using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Pkcs;
using Org.BouncyCastle.X509;
using TlsTools.Pki;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;
using ContentInfo = Org.BouncyCastle.Asn1.Cms.ContentInfo;
using SignedData = Org.BouncyCastle.Asn1.Cms.SignedData;

namespace TlsTools.Formats
{
    /// <summary>
    /// Reads certificates, keys, requests and CRLs in every common encoding: PEM (many blocks), DER,
    /// PKCS#12/PFX, PKCS#7/P7B, PKCS#1, SEC1, PKCS#8 (encrypted or not), OpenSSL's encrypted legacy PEM.
    /// Every failure is a <see cref="TlsToolsException"/> with a stable ErrorId.
    /// </summary>
    public static class PkiReader
    {
        /// <summary>Inputs larger than this are refused (a certificate bundle of 64 MiB is not a real file).</summary>
        public const int MaxInputBytes = 64 * 1024 * 1024;

        /// <summary>Reads every certificate in the data. Private keys found beside them (PEM bundle, PFX) are attached to their certificate.</summary>
        public static IReadOnlyList<Certificate> ReadCertificates(byte[] data, char[]? password = null) => ReadCertificates(data, password, null);

        /// <summary>
        /// As <see cref="ReadCertificates(byte[], char[])"/>; problems that do not stop the reading (a private key in a PEM
        /// bundle that belongs to none of its certificates: ErrorId KeyMismatch) go to <paramref name="onProblem"/>.
        /// </summary>
        public static IReadOnlyList<Certificate> ReadCertificates(byte[] data, char[]? password, Action<TlsToolsException>? onProblem)
        {
            CheckSize(data);
            if (Pem.LooksLikePem(data))
                return ReadCertificatesPem(Text(data), password, onProblem);
            if (Pkcs12Reader.IsPfx(data))
                return Pkcs12Reader.Read(data, password).Certificates;
            return ReadCertificatesDer(data);
        }

        public static IReadOnlyList<Certificate> ReadCertificates(string text, char[]? password = null)
        {
            if (!Pem.LooksLikePem(text))
                throw new TlsToolsException(ErrorIds.InvalidPem, ErrorKind.InvalidData, "The text holds no PEM block ('-----BEGIN CERTIFICATE-----').");
            return ReadCertificatesPem(text, password, null);
        }

        /// <summary>Reads the first private key in the data (PEM, DER PKCS#8/PKCS#1/SEC1, or PFX).</summary>
        public static PrivateKey ReadPrivateKey(byte[] data, char[]? password = null)
        {
            CheckSize(data);
            if (Pem.LooksLikePem(data))
                return ReadPrivateKey(Text(data), password);
            if (Pkcs12Reader.IsPfx(data))
            {
                var pfx = Pkcs12Reader.Read(data, password);
                return pfx.Key ?? throw new TlsToolsException(ErrorIds.NoPrivateKey, ErrorKind.InvalidData, "The PKCS#12 file holds no private key.");
            }
            return Guard(ErrorIds.InvalidPrivateKey, "private key", () => PrivateKeyDecoder.FromDer(data, password));
        }

        public static PrivateKey ReadPrivateKey(string text, char[]? password = null)
        {
            var blocks = Pem.Decode(text);
            foreach (var block in blocks)
            {
                var key = PrivateKeyDecoder.FromPem(block, password);
                if (key != null) return key;
            }
            throw new TlsToolsException(ErrorIds.NoPrivateKey, ErrorKind.InvalidData,
                blocks.Count == 0 ? "The text holds no PEM block." : "No private key block was found (labels: " + string.Join(", ", blocks.Select(b => b.Label)) + ").");
        }

        public static IReadOnlyList<CertificateRequest> ReadCertificateRequests(byte[] data) => ReadCertificateRequests(data, CancellationToken.None);

        /// <summary>
        /// As <see cref="ReadCertificateRequests(byte[])"/>; the requests of a PEM bundle are parsed and their keys validated
        /// in parallel (results in file order; the first bad block's error, as before). <paramref name="cancellationToken"/>
        /// stops a long bundle.
        /// </summary>
        public static IReadOnlyList<CertificateRequest> ReadCertificateRequests(byte[] data, CancellationToken cancellationToken)
        {
            CheckSize(data);
            if (Pem.LooksLikePem(data))
            {
                var blocks = Pem.Decode(Text(data)).Where(b => b.Label == "CERTIFICATE REQUEST" || b.Label == "NEW CERTIFICATE REQUEST").ToList();
                var list = Concurrency.OrderedParallel.Map(blocks, b => ParseRequest(b.Data), cancellationToken);
                if (list.Count == 0)
                    throw new TlsToolsException(ErrorIds.NoCertificateRequest, ErrorKind.InvalidData, "No 'CERTIFICATE REQUEST' PEM block was found.");
                return list;
            }
            return new[] { ParseRequest(data) };
        }

        public static IReadOnlyList<CertificateRevocationList> ReadCrls(byte[] data)
        {
            CheckSize(data);
            if (Pem.LooksLikePem(data))
            {
                var list = Pem.Decode(Text(data)).Where(b => b.Label == "X509 CRL").Select(b => ParseCrl(b.Data)).ToList();
                if (list.Count == 0)
                    throw new TlsToolsException(ErrorIds.NoCrl, ErrorKind.InvalidData, "No 'X509 CRL' PEM block was found.");
                return list;
            }
            return new[] { ParseCrl(data) };
        }

        internal static CertificateRequest ParseRequest(byte[] der) =>
            Guard(ErrorIds.InvalidCertificateRequest, "certificate request", () =>
            {
                var asn1 = Asn1Object.FromByteArray(der);
                return new CertificateRequest(new Pkcs10CertificationRequest(Asn1Sequence.GetInstance(asn1)));
            });

        internal static CertificateRevocationList ParseCrl(byte[] der) =>
            Guard(ErrorIds.InvalidCrl, "certificate revocation list", () =>
            {
                var asn1 = Asn1Object.FromByteArray(der);
                return new CertificateRevocationList(new X509Crl(CertificateList.GetInstance(asn1)));
            });

        private static IReadOnlyList<Certificate> ReadCertificatesPem(string text, char[]? password, Action<TlsToolsException>? onProblem)
        {
            var blocks = Pem.Decode(text);
            var certs = new List<BcCertificate>();
            var keys = new List<PrivateKey>();
            foreach (var block in blocks)
            {
                switch (block.Label)
                {
                    case "CERTIFICATE":
                    case "X509 CERTIFICATE":
                        certs.Add(CertificateParsing.ParseDer(block.Data));
                        break;
                    case "TRUSTED CERTIFICATE":
                        // OpenSSL's trusted form: a certificate followed by its trust settings.
                        certs.Add(Guard(ErrorIds.InvalidCertificate, "certificate", () =>
                        {
                            using (var s = new Asn1InputStream(block.Data))
                                return new BcCertificate(X509CertificateStructure.GetInstance(s.ReadObject()));
                        }));
                        break;
                    case "PKCS7":
                    case "CMS":
                        certs.AddRange(ReadPkcs7(block.Data));
                        break;
                }
            }
            if (certs.Count == 0)
                throw new TlsToolsException(ErrorIds.NoCertificate, ErrorKind.InvalidData,
                    blocks.Count == 0 ? "The text holds no PEM block." : "No certificate block was found (labels: " + string.Join(", ", blocks.Select(b => b.Label)) + ").");
            // Keys beside the certificates (a combined PEM): attached to the certificate they belong to.
            // An encrypted one is read only when a password was given.
            foreach (var block in blocks.Where(b => PrivateKeyDecoder.IsKeyLabel(b.Label) && (password != null || !PrivateKeyDecoder.IsEncryptedKeyBlock(b))))
            {
                var key = PrivateKeyDecoder.FromPem(block, password);
                if (key != null) keys.Add(key);
            }
            var result = Attach(certs, keys);
            int unmatched = keys.Count(k => !result.Any(c => c.PrivateKey == k));
            if (unmatched > 0)
                onProblem?.Invoke(new TlsToolsException(ErrorIds.KeyMismatch, ErrorKind.InvalidData,
                    (unmatched == 1 ? "1 private key in the input belongs" : unmatched + " private keys in the input belong") + " to none of its " +
                    Wording.Count(result.Count, "certificate") + "; the certificates are read without " + (unmatched == 1 ? "it." : "them.")));
            return result;
        }

        private static IReadOnlyList<Certificate> ReadCertificatesDer(byte[] data)
        {
            Asn1Object asn1 = Guard(ErrorIds.InvalidCertificate, "certificate", () => Asn1Object.FromByteArray(data));
            if (asn1 is Asn1Sequence seq && seq.Count >= 1 && seq[0] is DerObjectIdentifier)
                return ReadPkcs7(data).Select(c => new Certificate(c)).ToList();
            return new[] { new Certificate(CertificateParsing.ParseDer(data)) };
        }

        private static List<BcCertificate> ReadPkcs7(byte[] data) =>
            Guard(ErrorIds.InvalidPkcs7, "PKCS#7 bundle", () =>
            {
                var info = ContentInfo.GetInstance(Asn1Object.FromByteArray(data));
                if (!PkcsObjectIdentifiers.SignedData.Equals(info.ContentType))
                    throw new InvalidDataException("the PKCS#7 content is " + info.ContentType.Id + ", not signedData");
                var signed = SignedData.GetInstance(info.Content);
                var result = new List<BcCertificate>();
                if (signed.Certificates != null)
                {
                    foreach (var element in signed.Certificates)
                    {
                        var obj = element.ToAsn1Object();
                        if (obj is Asn1Sequence)
                            result.Add(new BcCertificate(X509CertificateStructure.GetInstance(obj)));
                    }
                }
                if (result.Count == 0)
                    throw new InvalidDataException("the PKCS#7 bundle holds no certificate");
                return result;
            });

        /// <summary>Each certificate with the key whose public half it holds, if any.</summary>
        internal static List<Certificate> Attach(List<BcCertificate> certs, List<PrivateKey> keys)
        {
            return certs.Select(c =>
            {
                PrivateKey? key = null;
                if (keys.Count > 0)
                {
                    // A certificate whose public key cannot be parsed is still a certificate (validation reports the key); it gets no private key.
                    Org.BouncyCastle.Crypto.AsymmetricKeyParameter? pub = null;
                    try { pub = c.GetPublicKey(); }
                    catch (Exception) { }
                    if (pub != null) key = keys.FirstOrDefault(k => KeyInfo.SamePublicKey(k.Public, pub));
                }
                return new Certificate(c, key);
            }).ToList();
        }

        private static void CheckSize(byte[] data)
        {
            if (data == null) throw new ArgumentNullException(nameof(data));
            if (data.Length == 0)
                throw new TlsToolsException(ErrorIds.EmptyInput, ErrorKind.InvalidData, "The input is empty.");
            if (data.Length > MaxInputBytes)
                throw new TlsToolsException(ErrorIds.InputTooLarge, ErrorKind.LimitsExceeded, "The input is larger than " + (MaxInputBytes >> 20) + " MiB.");
        }

        private static string Text(byte[] data) => Encoding.UTF8.GetString(data);

        /// <summary>Runs a parse; any library exception becomes an InvalidData TlsToolsException with the given ErrorId.</summary>
        internal static T Guard<T>(string errorId, string what, Func<T> parse)
        {
            try
            {
                return parse();
            }
            catch (TlsToolsException) { throw; }
            catch (Exception e) when (!(e is OutOfMemoryException))
            {
                // Our words first; the parser's own detail (BouncyCastle's, e.g. "corrupted stream ...") only after, marked as such.
                throw new TlsToolsException(errorId, ErrorKind.InvalidData, "The data is not a valid " + what + " (parser detail: " + e.Message + ").", e);
            }
        }

    }

    internal static class CertificateParsing
    {
        /// <summary>Parses exactly one DER certificate (no trailing bytes).</summary>
        public static BcCertificate ParseDer(byte[] der) =>
            PkiReader.Guard(ErrorIds.InvalidCertificate, "X.509 certificate", () =>
            {
                var asn1 = Asn1Object.FromByteArray(der);
                return new BcCertificate(X509CertificateStructure.GetInstance(asn1));
            });
    }
}
