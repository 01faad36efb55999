using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using TlsTools.Pki;

namespace TlsTools.Validation
{
    /// <summary>
    /// RFC 5280 path building and validation with the web PKI profile for TLS, explaining every failure.
    /// </summary>
    /// <remarks>
    /// Paths are built depth-first from the leaf: issuers are matched by name, trusted roots before intermediates,
    /// those whose subjectKeyIdentifier matches the child's authorityKeyIdentifier and that are valid at the time
    /// first. Each complete path is validated as a whole; the first valid one is returned. When none is, the most
    /// promising attempt (one that reached a trusted root, with the fewest failures) is reported. Work is bounded by
    /// <see cref="ChainValidationRequest.MaxSignatureChecks"/> and <see cref="ChainValidationRequest.MaxCandidatePaths"/>.
    /// <para>Host names: subjectAltName only (RFC 6125; no common-name fallback). A leaf without subjectAltName does not
    /// match any name, and certificate policies are not evaluated beyond requireExplicitPolicy.</para>
    /// </remarks>
    public static class ChainValidator
    {
        /// <summary>Validates the request. Never throws for a bad chain: every problem is a <see cref="ValidationFailure"/>.</summary>
        /// <exception cref="ArgumentNullException">The request or its leaf is null.</exception>
        /// <exception cref="ArgumentOutOfRangeException">MaxDepth or a work bound is negative.</exception>
        /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
        public static ChainValidationResult Validate(ChainValidationRequest request, CancellationToken cancellationToken = default)
        {
            if (request == null) throw new ArgumentNullException(nameof(request));
            if (request.Leaf == null) throw new ArgumentNullException(nameof(request), "The request has no leaf certificate.");
            if (request.MaxDepth < 0) throw new ArgumentOutOfRangeException(nameof(request), "MaxDepth cannot be negative.");
            if (request.MaxSignatureChecks < 1 || request.MaxCandidatePaths < 1)
                throw new ArgumentOutOfRangeException(nameof(request), "The work bounds must be at least 1.");

            var at = request.At ?? DateTime.UtcNow;
            if (at.Kind == DateTimeKind.Local) at = at.ToUniversalTime();
            at = new DateTime(at.Ticks - at.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc);
            try
            {
                var search = new PathSearch(request, at, cancellationToken);
                return search.WithRevocation(search.Run());
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception e)
            {
                // Nothing fails open.
                return new ChainValidationResult(false, new[] { request.Leaf },
                    new[] { new ValidationFailure(request.Leaf, ValidationCheck.InternalError,
                        "validation of '" + request.Leaf.Subject + "' stopped on an internal error (" + e.GetType().Name + ": " + e.Message + "); the chain is not trusted") },
                    at, request.Purpose, 0, 0);
            }
        }
    }

    /// <summary>Builds candidate paths (this file) and checks each one (PathSearch.Checks.cs).</summary>
    internal sealed partial class PathSearch
    {
        private sealed class Attempt
        {
            public Attempt(List<CertInfo> path, List<ValidationFailure> failures, int score, List<ValidationWarning>? warnings = null)
            {
                Path = path;
                Failures = failures;
                Score = score;
                Warnings = warnings ?? new List<ValidationWarning>();
            }

            public List<CertInfo> Path { get; }
            public List<ValidationFailure> Failures { get; }
            public List<ValidationWarning> Warnings { get; }
            public int Score { get; }
        }

        private readonly ChainValidationRequest _request;
        private readonly DateTime _at;
        private readonly CancellationToken _ct;
        private readonly ValidationPurpose _purpose;
        private readonly bool _web;
        private readonly Dictionary<string, List<CertInfo>> _anchors = new Dictionary<string, List<CertInfo>>(StringComparer.Ordinal);
        private readonly Dictionary<string, List<CertInfo>> _intermediates = new Dictionary<string, List<CertInfo>>(StringComparer.Ordinal);
        private readonly HashSet<string> _anchorIdentities = new HashSet<string>(StringComparer.Ordinal);
        private readonly List<CrlInfo> _crls;
        private int _signatureChecks;
        private int _paths;
        private bool _workExceeded;
        private List<CertInfo>? _valid;
        private List<ValidationWarning> _validWarnings = new List<ValidationWarning>();
        private Attempt? _best;

        public PathSearch(ChainValidationRequest request, DateTime at, CancellationToken ct)
        {
            _request = request;
            _at = at;
            _ct = ct;
            _purpose = request.Purpose;
            _web = request.Purpose == ValidationPurpose.ServerAuth;
            var roots = request.TrustedRoots ?? (IList<Certificate>)SystemTrustStore.Roots.ToList();
            foreach (var root in roots)
            {
                if (root == null) continue;
                var info = CertInfo.Of(root);
                if (_anchorIdentities.Add(info.Identity + "|" + root.ThumbprintSha256)) Add(_anchors, info);
            }
            foreach (var cert in request.Intermediates ?? Array.Empty<Certificate>())
            {
                if (cert == null) continue;
                var info = CertInfo.Of(cert);
                if (_anchorIdentities.Contains(info.Identity + "|" + cert.ThumbprintSha256)) continue;
                Add(_intermediates, info);
            }
            _crls = (request.Crls ?? Array.Empty<CertificateRevocationList>()).Where(c => c != null).Select(CrlInfo.Of).ToList();
        }

        private static void Add(Dictionary<string, List<CertInfo>> index, CertInfo info)
        {
            if (!index.TryGetValue(info.Subject.Key, out var list)) index[info.Subject.Key] = list = new List<CertInfo>();
            if (!list.Any(x => x.Certificate.Equals(info.Certificate))) list.Add(info);
        }

        public ChainValidationResult Run()
        {
            var leaf = CertInfo.Of(_request.Leaf);
            var start = new List<CertInfo> { leaf };
            if (_anchorIdentities.Contains(leaf.Identity + "|" + _request.Leaf.ThumbprintSha256))
            {
                // The leaf itself is trusted (pinned): validate it alone.
                _paths++;
                var failures = Evaluate(start, anchored: true, out var warnings);
                if (failures.Count == 0) (_valid, _validWarnings) = (start, warnings);
                else Record(start, failures, 2_000_000 - failures.Count, warnings);
            }
            if (_valid == null) Search(start);

            if (_valid != null)
                return Result(true, _valid, new List<ValidationFailure>(), _validWarnings);
            var best = _best ?? new Attempt(start, new List<ValidationFailure>
            {
                new ValidationFailure(_request.Leaf, ValidationCheck.MissingIssuer, "no issuer of the leaf '" + _request.Leaf.Subject + "' was found"),
            }, 0);
            var list = new List<ValidationFailure>(best.Failures);
            if (_workExceeded)
                list.Insert(0, new ValidationFailure(null, ValidationCheck.WorkLimitExceeded,
                    "path building gave up after " + _signatureChecks + " signature checks and " + _paths + " candidate paths (limits " +
                    _request.MaxSignatureChecks + " and " + _request.MaxCandidatePaths + "); the certificates given may be hostile"));
            if (list.Count == 0)
                list.Add(new ValidationFailure(_request.Leaf, ValidationCheck.InternalError, "no valid path was found, and no reason was recorded"));
            return Result(false, best.Path, list, best.Warnings);
        }

        private ChainValidationResult Result(bool valid, List<CertInfo> path, List<ValidationFailure> failures, List<ValidationWarning> warnings) =>
            new ChainValidationResult(valid, path.Select(c => c.Certificate).ToArray(), failures.ToArray(), _at, _purpose, _signatureChecks, _paths, warnings.ToArray());

        private void Record(List<CertInfo> path, List<ValidationFailure> failures, int score, List<ValidationWarning>? warnings = null)
        {
            if (_best == null || score > _best.Score) _best = new Attempt(new List<CertInfo>(path), failures, score, warnings);
        }

        private bool Budget()
        {
            if (_signatureChecks >= _request.MaxSignatureChecks || _paths >= _request.MaxCandidatePaths) _workExceeded = true;
            return !_workExceeded;
        }

        private void Search(List<CertInfo> path)
        {
            _ct.ThrowIfCancellationRequested();
            if (_valid != null || _workExceeded) return;
            var current = path[path.Count - 1];
            var candidates = Candidates(current, path);
            if (candidates.Count == 0)
            {
                RecordDeadEnd(path);
                return;
            }
            // A self-signed certificate whose name another certificate also bears (Debian's ssl-cert-snakeoil.pem is a
            // trusted "CN=localhost") is not that certificate's child: when no candidate's key verifies it, the reason is
            // that it is self-signed (or an untrusted root), as OpenSSL says, not a bad signature.
            bool selfSigned = current.SelfIssued && current.SignedBy(current, ref _signatureChecks);
            bool anyVerified = false;
            foreach (var (issuer, isAnchor) in candidates)
            {
                if (!Budget()) return;
                if (!current.SignedBy(issuer, ref _signatureChecks))
                {
                    if (selfSigned) continue;
                    var bad = new List<CertInfo>(path) { issuer };
                    string why = current.SignatureAlgorithmsMatch
                        ? "the signature of " + Describe(current, path.Count - 1, path.Count + 1, false) + " does not verify with the public key of '" + issuer.Subject + "'"
                        : Describe(current, path.Count - 1, path.Count + 1, false) + " names different signature algorithms inside and outside its signed part";
                    var failures = new List<ValidationFailure> { new ValidationFailure(current.Certificate, ValidationCheck.Signature, why) };
                    failures.AddRange(LeafLocalChecks(path[0]));
                    Record(bad, failures, isAnchor ? 500_000 + path.Count : 1000 + path.Count);
                    continue;
                }
                anyVerified = true;
                var next = new List<CertInfo>(path) { issuer };
                if (isAnchor)
                {
                    _paths++;
                    var failures = Evaluate(next, anchored: true, out var warnings);
                    if (failures.Count == 0)
                    {
                        (_valid, _validWarnings) = (next, warnings);
                        return;
                    }
                    Record(next, failures, 1_000_000 - 1000 * Math.Min(failures.Count, 900) + next.Count, warnings);
                }
                else
                {
                    int intermediates = CountIntermediates(next);
                    if (intermediates > _request.MaxDepth || next.Count > _request.MaxDepth + 10)
                    {
                        var failures = new List<ValidationFailure>
                        {
                            new ValidationFailure(issuer.Certificate, ValidationCheck.DepthExceeded,
                                "the path through '" + issuer.Subject + "' needs more than " + _request.MaxDepth + " intermediate certificates"),
                        };
                        Record(next, failures, 2000 + next.Count);
                        continue;
                    }
                    Search(next);
                    if (_valid != null || _workExceeded) return;
                }
            }
            if (selfSigned && !anyVerified) RecordDeadEnd(path);
        }

        /// <summary>Intermediates that count towards MaxDepth: not the leaf, not the anchor, not self-issued.</summary>
        private static int CountIntermediates(List<CertInfo> pathWithoutAnchor)
        {
            int n = 0;
            for (int i = 1; i < pathWithoutAnchor.Count; i++)
                if (!pathWithoutAnchor[i].SelfIssued) n++;
            return n;
        }

        private void RecordDeadEnd(List<CertInfo> path)
        {
            var last = path[path.Count - 1];
            var failures = new List<ValidationFailure>();
            bool selfSigned = last.SelfIssued && last.SignedBy(last, ref _signatureChecks);
            if (selfSigned && path.Count == 1)
                failures.Add(new ValidationFailure(last.Certificate, ValidationCheck.SelfSigned,
                    "leaf '" + last.Subject + "' is self-signed and is not among the trusted certificates"));
            else if (selfSigned)
                failures.Add(new ValidationFailure(last.Certificate, ValidationCheck.UntrustedRoot,
                    "the chain ends at root '" + last.Subject + "', which is not trusted"));
            else
                failures.Add(new ValidationFailure(last.Certificate, ValidationCheck.MissingIssuer,
                    "the issuer '" + last.Issuer + "' of " + Describe(last, path.Count - 1, path.Count + 1, false) +
                    " was not found among the intermediates or trusted roots given"));
            failures.AddRange(LeafLocalChecks(path[0]));
            Record(path, failures, 100 + path.Count);
        }

        private List<(CertInfo Issuer, bool IsAnchor)> Candidates(CertInfo child, List<CertInfo> path)
        {
            var result = new List<(CertInfo, bool, int)>();
            void Collect(Dictionary<string, List<CertInfo>> index, bool anchor)
            {
                if (!index.TryGetValue(child.Issuer.Key, out var list)) return;
                foreach (var c in list)
                {
                    bool used = false;
                    foreach (var p in path)
                        if (p.Identity == c.Identity) { used = true; break; }
                    if (used) continue;
                    int rank = anchor ? 0 : 100;
                    if (child.AkiKeyId != null && c.Ski != null)
                        rank += Org.BouncyCastle.Utilities.Arrays.AreEqual(child.AkiKeyId, c.Ski) ? 0 : 20;
                    else
                        rank += 10;
                    if (!(c.Bc.NotBefore <= _at && _at <= c.Bc.NotAfter)) rank += 5;
                    result.Add((c, anchor, rank));
                }
            }
            Collect(_anchors, true);
            Collect(_intermediates, false);
            return result.Select((x, i) => (x, i)).OrderBy(t => t.x.Item3).ThenBy(t => t.i).Select(t => (t.x.Item1, t.x.Item2)).ToList();
        }

        private static string Role(int index, int count, bool anchored)
        {
            if (index == 0) return "leaf";
            if (anchored && index == count - 1) return "root";
            return "intermediate";
        }

        private static string Describe(CertInfo c, int index, int count, bool anchored) =>
            Role(index, count, anchored) + " '" + (c.Subject.IsEmpty ? "(empty subject)" : c.Subject.Text) + "'";

        private static bool ValidAt(CertInfo c, DateTime at) => c.Bc.NotBefore <= at && at <= c.Bc.NotAfter;
    }
}
