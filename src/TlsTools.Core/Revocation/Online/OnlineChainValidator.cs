using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using TlsTools.Formats;
using TlsTools.Pki;
using TlsTools.Validation;

namespace TlsTools.Revocation.Online
{
    /// <summary>
    /// <see cref="ChainValidator"/> with the network (-Online): a chain whose issuer is missing is completed from the AIA
    /// caIssuers URLs (DER, PEM or PKCS#7), then the revocation of every certificate that no given CRL decided is asked of
    /// its OCSP responder and, failing that, of its CRL distribution points. What cannot be had is an Unavailable answer,
    /// which <see cref="ChainValidationRequest.RevocationFailure"/> turns into a failure or a warning. Every fetch goes
    /// through the <see cref="OnlineSession"/> (bounded, cached per run, cancellable).
    /// </summary>
    public static class OnlineChainValidator
    {
        /// <summary>Validates <paramref name="request"/>, fetching what is missing. The request's lists are not changed.</summary>
        /// <exception cref="ArgumentNullException">An argument is null.</exception>
        /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
        public static async Task<ChainValidationResult> ValidateAsync(ChainValidationRequest request, OnlineSession session, CancellationToken cancellationToken = default)
        {
            if (request == null) throw new ArgumentNullException(nameof(request));
            if (session == null) throw new ArgumentNullException(nameof(session));
            var work = Copy(request);
            work.RevocationFailure = session.RevocationFailure;

            // 1. Complete the path from AIA caIssuers.
            var fetched = new List<AiaFetchedCertificate>();
            var aiaProblems = new List<ValidationWarning>();
            var tried = new HashSet<string>(StringComparer.Ordinal);
            var result = ChainValidator.Validate(work, cancellationToken);
            for (int round = 0; round < OnlineSession.MaxAiaFetchesPerChain && result.Failures.Any(f => f.Check == ValidationCheck.MissingIssuer); round++)
            {
                var orphan = result.Chain[result.Chain.Length - 1];
                var added = await FetchIssuersAsync(orphan, session, tried, fetched, aiaProblems, cancellationToken).ConfigureAwait(false);
                if (added.Count == 0) break;
                foreach (var c in added) work.Intermediates.Add(c);
                result = ChainValidator.Validate(work, cancellationToken);
            }

            // 2. Revocation of each certificate below the anchor that no CRL decided: OCSP, then CRL distribution points.
            var chain = result.Chain;
            var pending = new List<Task<Answer>>();
            for (int i = 0; i + 1 < chain.Length; i++)
            {
                if (result.Revocation.Length > i && result.Revocation[i].Method == RevocationMethod.Crl) continue;
                if (work.RevocationAnswers.Any(a => a.Certificate != null && a.Certificate.Equals(chain[i]) &&
                    (a.Status == RevocationStatus.Good || a.Status == RevocationStatus.Revoked))) continue;
                pending.Add(AskAsync(chain[i], chain[i + 1], session, cancellationToken));
            }
            var answers = await Task.WhenAll(pending).ConfigureAwait(false);
            if (answers.Length > 0)
            {
                foreach (var a in answers)
                    foreach (var crl in a.Crls)
                    {
                        work.Crls.Add(crl.Crl);
                        work.CrlSources[crl.Crl] = crl.Url;
                    }
                result = ChainValidator.Validate(work, cancellationToken);
                // What neither a fetched CRL nor OCSP decided is Unavailable (or Unknown, when a responder said so).
                bool more = false;
                foreach (var a in answers)
                {
                    int index = Array.FindIndex(result.Chain, c => c.Equals(a.Certificate));
                    if (index >= 0 && result.Revocation[index].Method == RevocationMethod.Crl) continue;
                    work.RevocationAnswers.Add(a.Final());
                    more = true;
                }
                if (more) result = ChainValidator.Validate(work, cancellationToken);
            }

            result.CompletedFromAia = fetched.ToArray();
            var warnings = fetched.Where(f => result.Chain.Contains(f.Certificate)).Select(f => new ValidationWarning(f.Certificate, ValidationCheck.IncompleteChain,
                "the chain as given lacks '" + f.Certificate.Subject + "', the issuer of '" + f.For + "'; it was fetched from the AIA caIssuers URL " + f.Url));
            return result.WithWarnings(warnings.Concat(aiaProblems));
        }

        private static ChainValidationRequest Copy(ChainValidationRequest r)
        {
            var copy = new ChainValidationRequest(r.Leaf)
            {
                Intermediates = new List<Certificate>(r.Intermediates ?? Array.Empty<Certificate>()),
                TrustedRoots = r.TrustedRoots,
                DnsName = r.DnsName,
                IpAddress = r.IpAddress,
                Email = r.Email,
                At = r.At,
                Purpose = r.Purpose,
                RequiredKeyUsage = r.RequiredKeyUsage,
                Crls = new List<CertificateRevocationList>(r.Crls ?? Array.Empty<CertificateRevocationList>()),
                MaxDepth = r.MaxDepth,
                MaxSignatureChecks = r.MaxSignatureChecks,
                MaxCandidatePaths = r.MaxCandidatePaths,
                RevocationAnswers = new List<RevocationInfo>(r.RevocationAnswers ?? Array.Empty<RevocationInfo>()),
            };
            foreach (var s in r.CrlSources) copy.CrlSources[s.Key] = s.Value;
            return copy;
        }

        /// <summary>Fetches the caIssuers URLs of <paramref name="orphan"/> not yet tried; returns the certificates read.</summary>
        private static async Task<List<Certificate>> FetchIssuersAsync(Certificate orphan, OnlineSession session, HashSet<string> tried,
            List<AiaFetchedCertificate> fetched, List<ValidationWarning> problems, CancellationToken ct)
        {
            var added = new List<Certificate>();
            foreach (var text in orphan.CaIssuersUrls)
            {
                if (!tried.Add(text)) continue;
                var url = OnlineSession.HttpUrl(text, out var why);
                if (url == null)
                {
                    problems.Add(new ValidationWarning(orphan, ValidationCheck.MissingIssuer, "the caIssuers URL of '" + orphan.Subject + "' was not followed: " + why));
                    continue;
                }
                try
                {
                    var body = await session.GetAsync(url, "CaIssuers", ct).ConfigureAwait(false);
                    var certs = Read(url, () => PkiReader.ReadCertificates(body).Select(c => c.WithoutPrivateKey()).ToList(), "certificates");
                    foreach (var c in certs)
                    {
                        if (c.Equals(orphan) || added.Contains(c)) continue;
                        added.Add(c);
                        fetched.Add(new AiaFetchedCertificate(text, c, orphan));
                    }
                    if (added.Count > 0) break;
                }
                catch (TlsToolsException e)
                {
                    problems.Add(new ValidationWarning(orphan, ValidationCheck.MissingIssuer,
                        "the issuer of '" + orphan.Subject + "' could not be fetched from its caIssuers URL: " + e.Message + " (" + e.ErrorId + ")"));
                }
            }
            return added;
        }

        /// <summary>Parses what a URL returned; anything the reader refuses becomes OnlineResponseInvalid naming the URL.</summary>
        internal static T Read<T>(Uri url, Func<T> read, string what)
        {
            try
            {
                return read();
            }
            catch (Exception e) when (!(e is OperationCanceledException))
            {
                throw new TlsToolsException(ErrorIds.OnlineResponseInvalid, ErrorKind.InvalidData,
                    "What " + url + " returned is not " + what + " that can be read: " + e.Message, e, url.ToString());
            }
        }

        /// <summary>Asks about one certificate: OCSP first, then its CRL distribution points when OCSP did not say Good or Revoked.</summary>
        private static async Task<Answer> AskAsync(Certificate certificate, Certificate issuer, OnlineSession session, CancellationToken ct)
        {
            var answer = new Answer(certificate);
            var ocsp = await OcspQuery.AskAsync(certificate, issuer, session, answer.Problems, ct).ConfigureAwait(false);
            if (ocsp != null)
            {
                answer.Ocsp = ocsp;
                if (ocsp.Status == RevocationStatus.Good || ocsp.Status == RevocationStatus.Revoked) return answer;
            }
            var urls = certificate.CrlDistributionPoints;
            foreach (var text in urls)
            {
                var url = OnlineSession.HttpUrl(text, out var why);
                if (url == null)
                {
                    answer.Problems.Add("CRL distribution point not followed: " + why);
                    continue;
                }
                answer.CrlUrl ??= text;
                try
                {
                    var body = await session.GetAsync(url, "Crl", ct).ConfigureAwait(false);
                    var crls = Read(url, () => PkiReader.ReadCrls(body), "a CRL");
                    foreach (var crl in crls) answer.Crls.Add((crl, text));
                    break;
                }
                catch (TlsToolsException e)
                {
                    answer.Problems.Add(e.Message + " (" + e.ErrorId + ")");
                }
            }
            if (urls.Length > 0 && answer.Crls.Count > 0)
                answer.Problems.Add("the CRL from " + answer.Crls[0].Url + " does not decide it (another issuer, or scoped to other certificates)");
            return answer;
        }

        /// <summary>What was learnt about one certificate.</summary>
        private sealed class Answer
        {
            public Answer(Certificate certificate) => Certificate = certificate;

            public Certificate Certificate { get; }
            public RevocationInfo? Ocsp { get; set; }
            public string? CrlUrl { get; set; }
            public List<(CertificateRevocationList Crl, string Url)> Crls { get; } = new List<(CertificateRevocationList, string)>();
            public List<string> Problems { get; } = new List<string>();

            /// <summary>The answer when no CRL decided: the OCSP one (Unknown, or Unavailable with why), else Unavailable.</summary>
            public RevocationInfo Final()
            {
                string why = Problems.Count > 0 ? string.Join("; ", Problems) : "it names no OCSP responder and no CRL distribution point";
                if (Ocsp != null)
                {
                    if (Problems.Count > 0) Ocsp.Message = why; // every responder and CRL tried, in order
                    return Ocsp;
                }
                var method = CrlUrl != null ? RevocationMethod.Crl : RevocationMethod.None;
                return new RevocationInfo(Certificate, method, RevocationStatus.Unavailable) { Source = CrlUrl, Message = why };
            }
        }
    }
}
