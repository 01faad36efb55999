using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using TlsTools.Pki;

namespace TlsTools.Revocation.Online
{
    /// <summary>
    /// Asks a certificate's OCSP responders (AIA OCSP URLs) about it: HTTP POST of the DER OCSPRequest
    /// (application/ocsp-request, RFC 6960 appendix A.1) with a SHA-1 CertID and no nonce, as browsers do (RFC 5019: most
    /// responders serve pre-signed responses, which carry no nonce; freshness is judged by thisUpdate/nextUpdate). The answer
    /// is validated by <see cref="OcspResponseValidator"/> (the issuer's or a delegated responder's signature, CertID, freshness).
    /// </summary>
    internal static class OcspQuery
    {
        public const string RequestContentType = "application/ocsp-request";

        /// <summary>
        /// The answer of the first responder that said Good or Revoked; else the last answer had (Unknown, or Unavailable with
        /// why); null when the certificate names no http(s) responder. What went wrong is also added to <paramref name="problems"/>.
        /// </summary>
        public static async Task<RevocationInfo?> AskAsync(Certificate certificate, Certificate issuer, OnlineSession session, List<string> problems, CancellationToken ct)
        {
            RevocationInfo? last = null;
            byte[]? request = null;
            foreach (var text in certificate.OcspUrls)
            {
                var url = OnlineSession.HttpUrl(text, out var why);
                if (url == null)
                {
                    problems.Add("OCSP responder not asked: " + why);
                    continue;
                }
                request ??= OcspRequestBuilder.Build(certificate, issuer, OcspHashAlgorithm.Sha1).GetRawData();
                try
                {
                    var body = await session.PostAsync(url, RequestContentType, request, "Ocsp", ct).ConfigureAwait(false);
                    var response = OnlineChainValidator.Read(url, () => OcspResponseParser.Parse(body), "an OCSP response");
                    last = OcspResponseValidator.Validate(response, certificate, issuer, RevocationMethod.Ocsp, source: text);
                    if (last.Status == RevocationStatus.Good || last.Status == RevocationStatus.Revoked) return last;
                    problems.Add("OCSP " + text + " says " + last.Status + (last.Message != null ? ": " + last.Message : ""));
                }
                catch (TlsToolsException e)
                {
                    problems.Add(e.Message + " (" + e.ErrorId + ")");
                    last = new RevocationInfo(certificate, RevocationMethod.Ocsp, RevocationStatus.Unavailable) { Source = text, Message = e.Message + " (" + e.ErrorId + ")" };
                }
            }
            return last;
        }
    }
}
