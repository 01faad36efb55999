using System;
using System.Collections.Generic;
using System.Linq;
using TlsTools.Pki;
using TlsTools.Revocation;
using TlsTools.Revocation.Online;
using BcCrlEntry = Org.BouncyCastle.X509.X509CrlEntry;

namespace TlsTools.Validation
{
    /// <summary>
    /// The revocation decision per certificate: a usable CRL (given or fetched) first, then the answers of
    /// <see cref="ChainValidationRequest.RevocationAnswers"/> (OCSP, staple, Unavailable). Revoked beats Good.
    /// </summary>
    internal sealed partial class PathSearch
    {
        private readonly Dictionary<string, RevocationInfo> _crlDecisions = new Dictionary<string, RevocationInfo>(StringComparer.Ordinal);

        private static string PairKey(CertInfo c, CertInfo issuer) => c.Identity + "\n" + issuer.Identity;

        /// <summary>Called by CheckRevocation for each CRL that was usable for <paramref name="c"/>.</summary>
        private void NoteCrl(CertInfo c, CertInfo issuer, CrlInfo crl, BcCrlEntry? entry)
        {
            string key = PairKey(c, issuer);
            if (_crlDecisions.TryGetValue(key, out var had) && had.Status == RevocationStatus.Revoked) return;
            var info = new RevocationInfo(c.Certificate, RevocationMethod.Crl, entry != null ? RevocationStatus.Revoked : RevocationStatus.Good)
            {
                Source = _request.CrlSources.TryGetValue(crl.Crl, out var url) ? url : "CRL of '" + issuer.Subject + "'",
                ThisUpdate = crl.Crl.ThisUpdate,
                NextUpdate = crl.Crl.NextUpdate,
            };
            if (entry != null)
            {
                info.RevocationTime = entry.RevocationDate.ToUniversalTime();
                info.Reason = crl.Crl.RevokedCertificates.FirstOrDefault(e => string.Equals(e.SerialNumber, c.Certificate.SerialNumber, StringComparison.OrdinalIgnoreCase))?.Reason;
            }
            _crlDecisions[key] = info;
        }

        /// <summary>The answer given for <paramref name="c"/>, best first: Revoked, Good, Unknown, Unavailable.</summary>
        private RevocationInfo? AnswerFor(Certificate c)
        {
            RevocationInfo? best = null;
            foreach (var a in _request.RevocationAnswers ?? Array.Empty<RevocationInfo>())
            {
                if (a?.Certificate == null || !a.Certificate.Equals(c)) continue;
                if (best == null || Rank(a.Status) < Rank(best.Status)) best = a;
            }
            return best;
        }

        private static int Rank(RevocationStatus s) =>
            s == RevocationStatus.Revoked ? 0 : s == RevocationStatus.Good ? 1 : s == RevocationStatus.Unknown ? 2 : 3;

        /// <summary>How revocation of <paramref name="c"/> (issued by <paramref name="issuer"/>, or null at the end of the path) was decided.</summary>
        private RevocationInfo Decide(CertInfo c, CertInfo? issuer)
        {
            RevocationInfo? crl = null;
            if (issuer != null) _crlDecisions.TryGetValue(PairKey(c, issuer), out crl);
            var answer = AnswerFor(c.Certificate);
            if (crl != null && crl.Status == RevocationStatus.Revoked) return crl;
            if (answer != null && answer.Status == RevocationStatus.Revoked) return answer;
            return crl ?? answer ?? new RevocationInfo(c.Certificate, RevocationMethod.None, RevocationStatus.Unknown);
        }

        /// <summary>An answer that decides nothing: Unavailable, or Unknown from a responder (Method None with Unknown is "not checked").</summary>
        private static bool Undecided(RevocationInfo info) =>
            info.Status == RevocationStatus.Unavailable || (info.Status == RevocationStatus.Unknown && info.Method != RevocationMethod.None);

        /// <summary>Where an answer came from, in words; empty when nothing could be asked.</summary>
        private static string Describe(RevocationInfo info) =>
            info.Method == RevocationMethod.Staple ? "the stapled OCSP response" :
            info.Method == RevocationMethod.None ? "" : (info.Method + " " + (info.Source ?? "")).Trim();

        /// <summary>Part of <see cref="Evaluate"/> on an anchored path: answers that say Revoked, and Unknown/Unavailable under Fail.</summary>
        private void CheckRevocationAnswers(List<CertInfo> path, List<ValidationFailure> f)
        {
            for (int i = 0; i < path.Count - 1; i++)
            {
                var c = path[i];
                var info = Decide(c, path[i + 1]);
                string who = Describe(c, i, path.Count, true);
                if (info.Status == RevocationStatus.Revoked && info.Method != RevocationMethod.Crl)
                    f.Add(new ValidationFailure(c.Certificate, ValidationCheck.Revoked,
                        who + " (serial " + c.Certificate.SerialNumber + ") is revoked" +
                        (info.RevocationTime.HasValue ? " since " + info.RevocationTime.Value.ToString("u") : "") +
                        (info.Reason != null ? ", reason " + info.Reason : "") + ", says " + Describe(info)));
                else if (Undecided(info) && _request.RevocationFailure == RevocationFailureAction.Fail)
                    f.Add(new ValidationFailure(c.Certificate, ValidationCheck.RevocationUnavailable, Unavailable(who, info) + " (-RevocationFailure Fail)"));
            }
        }

        private static string Unavailable(string who, RevocationInfo info) =>
            "the revocation status of " + who + " is " + info.Status + " (" +
            string.Join(": ", new[] { Describe(info), info.Message }.Where(s => !string.IsNullOrEmpty(s))) + ")";

        /// <summary>The result with <see cref="ChainValidationResult.Revocation"/> for its path and, under Warn, the warnings for undecided ones.</summary>
        internal ChainValidationResult WithRevocation(ChainValidationResult result)
        {
            var path = result.Chain.Select(CertInfo.Of).ToList();
            var warnings = new List<ValidationWarning>();
            var infos = new RevocationInfo[path.Count];
            bool anchored = path.Count > 0 && _anchorIdentities.Contains(path[path.Count - 1].Identity + "|" + path[path.Count - 1].Certificate.ThumbprintSha256);
            for (int i = 0; i < path.Count; i++)
            {
                bool isAnchor = anchored && i == path.Count - 1;
                if (isAnchor)
                {
                    infos[i] = new RevocationInfo(path[i].Certificate, RevocationMethod.None, RevocationStatus.Unknown) { Message = "a trust anchor is not checked for revocation" };
                    continue;
                }
                infos[i] = Decide(path[i], i + 1 < path.Count ? path[i + 1] : null);
                if (Undecided(infos[i]) && _request.RevocationFailure == RevocationFailureAction.Warn)
                    warnings.Add(new ValidationWarning(path[i].Certificate, ValidationCheck.RevocationUnavailable,
                        Unavailable(Describe(path[i], i, path.Count, anchored), infos[i]) + "; the chain is not failed for it (-RevocationFailure Warn)"));
            }
            result.Revocation = infos;
            return result.WithWarnings(warnings);
        }
    }
}
