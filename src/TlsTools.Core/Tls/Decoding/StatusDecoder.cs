using System;
using System.Collections.Specialized;
using System.Linq;
using TlsTools.Revocation;

namespace TlsTools.Tls
{
    /// <summary>Stapled OCSP responses and SCT lists as transcript fields (what they claim; the result's OcspStaple says whether to believe it).</summary>
    internal static class StatusDecoder
    {
        /// <summary>The fields of an OCSP response; a malformed one gives a single "Error" field.</summary>
        public static OrderedDictionary Ocsp(byte[] der)
        {
            var f = new OrderedDictionary(StringComparer.Ordinal);
            f["ResponseLength"] = der.Length;
            OcspResponse r;
            try { r = OcspResponseParser.Parse(der); }
            catch (TlsToolsException e)
            {
                f["Error"] = e.Message;
                return f;
            }
            f["ResponseStatus"] = r.ResponseStatus.ToString();
            if (r.ResponseStatus != OcspResponseStatus.Successful) return f;
            f["Responder"] = r.ResponderName ?? "key " + r.ResponderKeyHash;
            f["ProducedAt"] = r.ProducedAt?.ToString("u");
            f["CertStatus"] = r.Status?.ToString();
            f["SerialNumber"] = r.SerialNumber;
            f["ThisUpdate"] = r.ThisUpdate?.ToString("u");
            f["NextUpdate"] = r.NextUpdate?.ToString("u");
            if (r.RevocationTime.HasValue) f["RevocationTime"] = r.RevocationTime.Value.ToString("u");
            if (r.RevocationReason != null) f["RevocationReason"] = r.RevocationReason;
            if (r.Certificates.Length > 0) f["ResponderCertificates"] = r.Certificates.Select(c => c.Subject).ToArray();
            return f;
        }

        /// <summary>One line saying what the staple claims.</summary>
        public static string Summary(OrderedDictionary ocsp)
        {
            if (ocsp.Contains("Error")) return "an OCSP response that cannot be parsed (" + ocsp["Error"] + ")";
            if ((string?)ocsp["ResponseStatus"] != nameof(OcspResponseStatus.Successful)) return "an OCSP error response (" + ocsp["ResponseStatus"] + ")";
            return "an OCSP response by " + ocsp["Responder"] + " saying " + ocsp["CertStatus"]
                + (ocsp.Contains("RevocationReason") ? " (" + ocsp["RevocationReason"] + ")" : "")
                + ", valid " + ocsp["ThisUpdate"] + " to " + (ocsp["NextUpdate"] ?? "(no nextUpdate)");
        }

        /// <summary>The SCTs of a SignedCertificateTimestampList, one line each.</summary>
        public static object Scts(byte[] list) =>
            SctList.Parse(list, SctSource.TlsExtension).Select(s => s.ToString()).ToArray();
    }
}
