using System;
using System.Linq;
using TlsTools.Pki;

namespace TlsTools.Revocation
{
    /// <summary>
    /// Decides whether to believe an OCSP response about one certificate (RFC 6960 3.2), failing closed: anything that
    /// cannot be trusted gives <see cref="RevocationStatus.Unavailable"/> with a <see cref="RevocationInfo.Message"/>, never Good.
    /// Checks: the responder answered (Successful); a single response is about this certificate and issuer (CertID); the
    /// signature is the issuer's, or a delegated responder's whose certificate the issuer signed, carries id-kp-OCSPSigning
    /// and is valid now; thisUpdate is not in the future (beyond <see cref="AllowedClockSkew"/>) and nextUpdate has not
    /// passed; the nonce matches when one was sent.
    /// </summary>
    public static class OcspResponseValidator
    {
        /// <summary>How far the responder's clock may be ahead of ours, or a nextUpdate behind: 5 minutes.</summary>
        public static readonly TimeSpan AllowedClockSkew = TimeSpan.FromMinutes(5);

        internal const string OcspSigningOid = "1.3.6.1.5.5.7.3.9";

        /// <param name="response">The parsed response.</param>
        /// <param name="certificate">The certificate asked about.</param>
        /// <param name="issuer">Its issuer (whose key, or whose delegate, must have signed the response).</param>
        /// <param name="method"><see cref="RevocationMethod.Ocsp"/> for a fetched response, <see cref="RevocationMethod.Staple"/> for a stapled one.</param>
        /// <param name="at">The time to judge freshness at (UTC); now when null.</param>
        /// <param name="expectedNonce">The nonce sent in the request; null when none was sent (then any nonce is ignored).</param>
        /// <param name="source">What to put in <see cref="RevocationInfo.Source"/> (the URL, or "staple").</param>
        public static RevocationInfo Validate(OcspResponse response, Certificate certificate, Certificate issuer, RevocationMethod method,
            DateTime? at = null, byte[]? expectedNonce = null, string? source = null)
        {
            if (response == null) throw new ArgumentNullException(nameof(response));
            if (certificate == null) throw new ArgumentNullException(nameof(certificate));
            if (issuer == null) throw new ArgumentNullException(nameof(issuer));
            var now = (at ?? DateTime.UtcNow).ToUniversalTime();
            source ??= method == RevocationMethod.Staple ? "staple" : null;

            RevocationInfo Unavailable(string why, OcspSingleResponse? single = null) => new RevocationInfo(certificate, method, RevocationStatus.Unavailable)
            {
                Source = source,
                ThisUpdate = single?.ThisUpdate,
                NextUpdate = single?.NextUpdate,
                Message = why,
            };

            var answered = NotAnswered(response);
            if (answered != null) return Unavailable(answered);
            var single = response.Find(certificate, issuer);
            if (single == null)
                return Unavailable(response.Responses.Length == 0
                    ? "the response holds no single response."
                    : "the response is not about this certificate and issuer (no CertID matches serial " + certificate.SerialNumber + ").");

            var signer = SignerProblem(response, issuer, now);
            if (signer != null) return Unavailable(signer, single);

            if (single.ThisUpdate > now + AllowedClockSkew)
                return Unavailable("its thisUpdate (" + single.ThisUpdate.ToString("u") + ") is in the future.", single);
            if (single.NextUpdate.HasValue && single.NextUpdate.Value < now - AllowedClockSkew)
                return Unavailable("it is stale: its nextUpdate (" + single.NextUpdate.Value.ToString("u") + ") has passed.", single);
            if (single.NextUpdate.HasValue && single.NextUpdate.Value < single.ThisUpdate)
                return Unavailable("its nextUpdate is before its thisUpdate.", single);

            if (expectedNonce != null)
            {
                if (response.Nonce == null)
                    return Unavailable("a nonce was sent and the response carries none (it may be a replay).", single);
                if (!Org.BouncyCastle.Utilities.Arrays.FixedTimeEquals(expectedNonce, response.Nonce))
                    return Unavailable("its nonce does not match the one sent (it may be a replay).", single);
            }

            return new RevocationInfo(certificate, method, single.Status)
            {
                Source = source,
                ThisUpdate = single.ThisUpdate,
                NextUpdate = single.NextUpdate,
                RevocationTime = single.RevocationTime,
                Reason = single.Status == RevocationStatus.Revoked ? single.RevocationReason : null,
                Message = single.Status == RevocationStatus.Unknown ? "the responder does not know this certificate." : null,
            };
        }

        /// <summary>Why the response is no answer (an error responseStatus such as tryLater), or null when it is Successful.</summary>
        internal static string? NotAnswered(OcspResponse response) => response.ResponseStatus == OcspResponseStatus.Successful
            ? null : "the responder did not answer: its responseStatus is " + response.ResponseStatus + ".";

        /// <summary>Null when the response is signed by the issuer or a valid delegated responder; otherwise why not.</summary>
        private static string? SignerProblem(OcspResponse response, Certificate issuer, DateTime now)
        {
            var basic = response.Basic;
            if (basic == null) return "the response has no signed body.";
            if (Identifies(response, issuer))
                return Verifies(basic, issuer) ? null : "its signature does not verify with the issuer's key.";

            var delegated = response.Certificates.FirstOrDefault(c => Identifies(response, c));
            if (delegated == null)
                return "it is signed by a responder that is neither the issuer nor a certificate included in the response (" +
                       (response.ResponderName ?? "key " + response.ResponderKeyHash) + ").";
            if (!delegated.Bc.IssuerDN.Equivalent(issuer.Bc.SubjectDN) || !delegated.SignatureVerifiesWith(issuer.Bc.GetPublicKey()))
                return "its responder certificate '" + delegated.Subject + "' is not issued by the certificate's issuer.";
            if (!HasOcspSigning(delegated))
                return "its responder certificate '" + delegated.Subject + "' lacks the OCSPSigning extended key usage.";
            if (delegated.NotBefore > now + AllowedClockSkew || delegated.NotAfter < now)
                return "its responder certificate '" + delegated.Subject + "' is not valid now (" + delegated.NotBefore.ToString("u") + " to " + delegated.NotAfter.ToString("u") + ").";
            return Verifies(basic, delegated) ? null : "its signature does not verify with the responder certificate's key.";
        }

        private static bool HasOcspSigning(Certificate certificate)
        {
            try
            {
                return certificate.Bc.GetExtendedKeyUsage()?.Any(o => o.Id == OcspSigningOid) == true;
            }
            catch (Exception e) when (!(e is OutOfMemoryException))
            {
                return false; // an unreadable extendedKeyUsage grants nothing
            }
        }

        private static bool Identifies(OcspResponse response, Certificate certificate)
        {
            if (response.ResponderKeyHash != null)
                return string.Equals(response.ResponderKeyHash, Hex.Upper(OcspCertificateId.KeyHash(certificate)), StringComparison.Ordinal);
            var name = response.Basic!.TbsResponseData.ResponderID.Name;
            return name != null && name.Equivalent(certificate.Bc.SubjectDN);
        }

        private static bool Verifies(Org.BouncyCastle.Asn1.Ocsp.BasicOcspResponse basic, Certificate signer)
        {
            try
            {
                return new Org.BouncyCastle.Ocsp.BasicOcspResp(basic).Verify(signer.Bc.GetPublicKey());
            }
            catch (Exception e) when (!(e is OutOfMemoryException))
            {
                return false;
            }
        }
    }
}
