using System;
using System.Collections.Generic;
using System.Linq;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;
using Org.BouncyCastle.X509.Extension;

namespace TlsTools.Pki
{
    /// <summary>One entry of a CRL.</summary>
    public sealed class RevokedCertificate
    {
        public RevokedCertificate(string serialNumber, DateTime revocationDate, string? reason)
        {
            SerialNumber = serialNumber;
            RevocationDate = revocationDate;
            Reason = reason;
        }

        public string SerialNumber { get; }
        public DateTime RevocationDate { get; }
        public string? Reason { get; }
        public override string ToString() => SerialNumber;
    }

    /// <summary>An X.509 certificate revocation list.</summary>
    public sealed class CertificateRevocationList
    {
        internal CertificateRevocationList(X509Crl crl)
        {
            Bc = crl ?? throw new ArgumentNullException(nameof(crl));
            var entries = crl.GetRevokedCertificates();
            RevokedCertificates = entries == null
                ? Array.Empty<RevokedCertificate>()
                : entries.Select(e => new RevokedCertificate(
                    e.SerialNumber.ToString(16).ToUpperInvariant().PadLeft(2, '0'),
                    e.RevocationDate.ToUniversalTime(),
                    ReasonOf(e))).ToArray();
        }

        internal X509Crl Bc { get; }

        public string Issuer => Bc.IssuerDN.ToString();
        public DateTime ThisUpdate => Bc.ThisUpdate.ToUniversalTime();
        public DateTime? NextUpdate => Bc.NextUpdate?.ToUniversalTime();

        /// <summary>The cRLNumber extension as decimal text, or null.</summary>
        public string? CrlNumber
        {
            get
            {
                var ext = Bc.GetExtensionValue(X509Extensions.CrlNumber);
                if (ext == null) return null;
                // Parsed on demand: a malformed extension (the CRL reader accepts it) shows as null rather than throwing.
                try { return DerInteger.GetInstance(X509ExtensionUtilities.FromExtensionValue(ext))?.Value.ToString(); }
                catch (Exception e) when (!(e is OutOfMemoryException)) { return null; }
            }
        }

        public bool IsDelta => Bc.GetExtensionValue(X509Extensions.DeltaCrlIndicator) != null;

        public string SignatureAlgorithm => SignatureNames.Describe(Bc.SigAlgOid, Bc.SigAlgName);

        public RevokedCertificate[] RevokedCertificates { get; }

        public int Count => RevokedCertificates.Length;

        /// <summary>The DER encoding. A method, not a property, so ConvertTo-Json stays readable.</summary>
        public byte[] GetRawData() => Bc.GetEncoded();

        public string ToPem() => Formats.Pem.Encode("X509 CRL", Bc.GetEncoded());

        /// <summary>True when the serial number (uppercase hex) is listed.</summary>
        public bool Lists(string serialNumber)
        {
            var wanted = Normalize(serialNumber);
            return RevokedCertificates.Any(r => string.Equals(Normalize(r.SerialNumber), wanted, StringComparison.OrdinalIgnoreCase));
        }

        private static string Normalize(string serial)
        {
            var s = serial.Replace(":", "").Replace(" ", "").TrimStart('0');
            return s.Length == 0 ? "0" : s;
        }

        public override string ToString() => Issuer + " (" + Count + " revoked)";

        private static string? ReasonOf(X509CrlEntry entry)
        {
            var ext = entry.GetExtensionValue(X509Extensions.ReasonCode);
            if (ext == null) return null;
            var code = DerEnumerated.GetInstance(X509ExtensionUtilities.FromExtensionValue(ext)).IntValueExact;
            return RevocationReasons.Name(code);
        }
    }

    /// <summary>RFC 5280 CRLReason values.</summary>
    public enum RevocationReason
    {
        Unspecified = 0,
        KeyCompromise = 1,
        CACompromise = 2,
        AffiliationChanged = 3,
        Superseded = 4,
        CessationOfOperation = 5,
        CertificateHold = 6,
        RemoveFromCrl = 8,
        PrivilegeWithdrawn = 9,
        AACompromise = 10,
    }

    internal static class RevocationReasons
    {
        public static string Name(int code) => Enum.IsDefined(typeof(RevocationReason), code) ? ((RevocationReason)code).ToString() : code.ToString();
    }
}
