using System;
using System.Collections.Generic;
using System.Linq;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;

namespace TlsTools.Pki
{
    internal static class SignatureNames
    {
        private static readonly Dictionary<string, string> ByOid = new Dictionary<string, string>
        {
            ["1.2.840.113549.1.1.4"] = "md5WithRSAEncryption",
            ["1.2.840.113549.1.1.5"] = "sha1WithRSAEncryption",
            ["1.2.840.113549.1.1.11"] = "sha256WithRSAEncryption",
            ["1.2.840.113549.1.1.12"] = "sha384WithRSAEncryption",
            ["1.2.840.113549.1.1.13"] = "sha512WithRSAEncryption",
            ["1.2.840.113549.1.1.14"] = "sha224WithRSAEncryption",
            ["1.2.840.113549.1.1.10"] = "rsassaPss",
            ["1.2.840.10045.4.1"] = "ecdsa-with-SHA1",
            ["1.2.840.10045.4.3.1"] = "ecdsa-with-SHA224",
            ["1.2.840.10045.4.3.2"] = "ecdsa-with-SHA256",
            ["1.2.840.10045.4.3.3"] = "ecdsa-with-SHA384",
            ["1.2.840.10045.4.3.4"] = "ecdsa-with-SHA512",
            ["1.3.101.112"] = "Ed25519",
            ["1.3.101.113"] = "Ed448",
            ["1.2.840.10040.4.3"] = "dsa-with-SHA1",
            ["2.16.840.1.101.3.4.3.2"] = "dsa-with-SHA256",
        };

        public static string Describe(string oid, string fallback) => ByOid.TryGetValue(oid, out var name) ? name : (fallback ?? oid);
    }

    internal static class ExtendedKeyUsageNames
    {
        private static readonly Dictionary<string, string> ByOid = new Dictionary<string, string>
        {
            ["1.3.6.1.5.5.7.3.1"] = "ServerAuth",
            ["1.3.6.1.5.5.7.3.2"] = "ClientAuth",
            ["1.3.6.1.5.5.7.3.3"] = "CodeSigning",
            ["1.3.6.1.5.5.7.3.4"] = "EmailProtection",
            ["1.3.6.1.5.5.7.3.8"] = "TimeStamping",
            ["1.3.6.1.5.5.7.3.9"] = "OcspSigning",
            ["2.5.29.37.0"] = "AnyExtendedKeyUsage",
        };

        public static string Describe(string oid) => ByOid.TryGetValue(oid, out var name) ? name : oid;
    }

    /// <summary>Turns what a user types as a subject into an X.509 name.</summary>
    internal static class DistinguishedNames
    {
        /// <summary>
        /// Accepts "CN=web, O=Acme, C=DE", OpenSSL's "/CN=web/O=Acme", or a bare "web" (taken as CN=web).
        /// </summary>
        public static X509Name Parse(string subject)
        {
            if (subject == null) throw new ArgumentNullException(nameof(subject));
            var text = subject.Trim();
            if (text.Length == 0)
                throw new TlsToolsException(ErrorIds.InvalidSubject, ErrorKind.InvalidArgument, "The subject is empty.");
            if (text.StartsWith("/", StringComparison.Ordinal))
                text = string.Join(",", text.Substring(1).Split('/').Select(p => p.Replace(",", "\\,")));
            else if (text.IndexOf('=') < 0)
                text = "CN=" + text.Replace(",", "\\,");
            try
            {
                return new X509Name(text);
            }
            catch (Exception e)
            {
                throw new TlsToolsException(ErrorIds.InvalidSubject, ErrorKind.InvalidArgument,
                    "The subject '" + subject + "' is not a distinguished name such as 'CN=web, O=Acme': " + e.Message, e);
            }
        }
    }
}
