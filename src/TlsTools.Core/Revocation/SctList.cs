using System;
using System.Collections.Generic;
using TlsTools.Tls;

namespace TlsTools.Revocation
{
    /// <summary>Where a signed certificate timestamp was found.</summary>
    public enum SctSource
    {
        /// <summary>Embedded in the certificate (extension 1.3.6.1.4.1.11129.2.4.2).</summary>
        Certificate,
        /// <summary>Sent in the TLS signed_certificate_timestamp extension (ServerHello in TLS 1.2, the leaf's CertificateEntry in TLS 1.3).</summary>
        TlsExtension,
    }

    /// <summary>
    /// One Certificate Transparency SCT (RFC 6962 3.2), decoded: which log promised to publish the certificate and when.
    /// Offline, TlsTools does not verify the log's signature (that needs the log's public key from a log list): the
    /// values are what the SCT says.
    /// </summary>
    public sealed class SignedCertificateTimestamp
    {
        internal SignedCertificateTimestamp(int version, byte[] logId, DateTime timestamp, string signatureAlgorithm, int extensionsLength, int signatureLength, SctSource source)
        {
            Version = version == 0 ? "v1" : "unknown(" + version + ")";
            LogId = Convert.ToBase64String(logId);
            LogIdHex = Pki.Hex.Upper(logId);
            Timestamp = timestamp;
            SignatureAlgorithm = signatureAlgorithm;
            ExtensionsLength = extensionsLength;
            SignatureLength = signatureLength;
            Source = source;
        }

        /// <summary>"v1" (the only version RFC 6962 defines).</summary>
        public string Version { get; }

        /// <summary>The log's id (SHA-256 of its public key), base64 as log lists print it.</summary>
        public string LogId { get; }

        /// <summary>The same id, uppercase hex.</summary>
        public string LogIdHex { get; }

        /// <summary>When the log saw the certificate (UTC, millisecond precision).</summary>
        public DateTime Timestamp { get; }

        /// <summary>The signature's hash and signature algorithm as a TLS signature scheme name, e.g. ecdsa_secp256r1_sha256.</summary>
        public string SignatureAlgorithm { get; }

        public int ExtensionsLength { get; }

        public int SignatureLength { get; }

        public SctSource Source { get; }

        public override string ToString() => "log " + LogId + " at " + Timestamp.ToString("u") + " (" + SignatureAlgorithm + ", not verified)";
    }

    /// <summary>Decodes a SignedCertificateTimestampList (RFC 6962 3.3), the TLS encoding shared by the certificate extension and the TLS extension.</summary>
    public static class SctList
    {
        /// <summary>The X.509 extension OID of the embedded SCT list.</summary>
        public const string CertificateExtensionOid = "1.3.6.1.4.1.11129.2.4.2";

        /// <summary>At most this many SCTs are decoded from one list (real certificates carry 2 to 5).</summary>
        public const int MaxEntries = 64;

        /// <summary>Decodes the list; throws <see cref="TlsToolsException"/> (<see cref="ErrorIds.MalformedServerMessage"/>) when it is malformed.</summary>
        public static SignedCertificateTimestamp[] Parse(byte[] list, SctSource source)
        {
            if (list == null) throw new ArgumentNullException(nameof(list));
            var outer = new WireReader(list, "SignedCertificateTimestampList");
            var entries = outer.Vector16("sct_list");
            outer.End();
            var result = new List<SignedCertificateTimestamp>();
            while (!entries.AtEnd)
            {
                if (result.Count >= MaxEntries) throw WireReader.Malformed("SignedCertificateTimestampList", "more than " + MaxEntries + " SCTs");
                var sct = entries.Vector16("SerializedSCT");
                int version = sct.U8();
                var logId = sct.Bytes(32);
                long ms = (sct.U32() << 32) | sct.U32();
                int extensions = sct.VectorBytes(2).Length;
                int scheme = sct.U16();
                int signature = sct.VectorBytes(2).Length;
                sct.End();
                DateTime at;
                try { at = DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime; }
                catch (ArgumentOutOfRangeException) { throw WireReader.Malformed("SignedCertificateTimestamp", "its timestamp " + ms + " is out of range"); }
                result.Add(new SignedCertificateTimestamp(version, logId, at, TlsRegistry.SignatureSchemes.Name(scheme), extensions, signature, source));
            }
            return result.ToArray();
        }

        /// <summary>As <see cref="Parse"/>, but a malformed list gives an empty array (for display properties).</summary>
        internal static SignedCertificateTimestamp[] TryParse(byte[]? list, SctSource source)
        {
            if (list == null) return Array.Empty<SignedCertificateTimestamp>();
            try { return Parse(list, source); }
            catch (TlsToolsException) { return Array.Empty<SignedCertificateTimestamp>(); }
        }
    }
}
