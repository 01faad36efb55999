using System;
using TlsTools.Pki;

namespace TlsTools.Validation
{
    /// <summary>The stable names of the checks a <see cref="ValidationFailure"/> can report.</summary>
    public static class ValidationCheck
    {
        public const string Signature = "Signature";
        public const string Expired = "Expired";
        public const string NotYetValid = "NotYetValid";
        public const string BasicConstraints = "BasicConstraints";
        public const string PathLength = "PathLength";
        public const string KeyUsage = "KeyUsage";
        public const string ExtendedKeyUsage = "ExtendedKeyUsage";
        public const string NameConstraints = "NameConstraints";
        public const string HostnameMismatch = "HostnameMismatch";
        public const string IpMismatch = "IpMismatch";
        public const string EmailMismatch = "EmailMismatch";
        public const string UnknownCriticalExtension = "UnknownCriticalExtension";
        public const string Revoked = "Revoked";
        public const string CrlInvalid = "CrlInvalid";
        public const string WeakAlgorithm = "WeakAlgorithm";
        public const string WeakKey = "WeakKey";
        public const string UntrustedRoot = "UntrustedRoot";
        public const string SelfSigned = "SelfSigned";
        public const string MissingIssuer = "MissingIssuer";
        public const string MalformedCertificate = "MalformedCertificate";
        public const string PolicyConstraints = "PolicyConstraints";
        public const string DepthExceeded = "DepthExceeded";
        public const string WorkLimitExceeded = "WorkLimitExceeded";
        public const string InternalError = "InternalError";
        /// <summary>The leaf requires an OCSP staple (TLS feature status_request) and the server stapled none that can be trusted.</summary>
        public const string MustStaple = "MustStaple";
        public const string RevocationUnavailable = "RevocationUnavailable";
        public const string IncompleteChain = "IncompleteChain";

        /// <summary>Every name above, for completers and documentation.</summary>
        public static readonly string[] All =
        {
            Signature, Expired, NotYetValid, BasicConstraints, PathLength, KeyUsage, ExtendedKeyUsage, NameConstraints,
            HostnameMismatch, IpMismatch, EmailMismatch, UnknownCriticalExtension, Revoked, CrlInvalid, WeakAlgorithm,
            WeakKey, UntrustedRoot, SelfSigned, MissingIssuer, MalformedCertificate, PolicyConstraints, DepthExceeded,
            WorkLimitExceeded, InternalError, MustStaple, RevocationUnavailable, IncompleteChain,
        };
    }

    /// <summary>Something validation found about a certificate of the chain: a <see cref="ValidationFailure"/> or a <see cref="ValidationWarning"/>.</summary>
    public abstract class ValidationFinding
    {
        private protected ValidationFinding(Certificate? certificate, string check, string message)
        {
            Certificate = certificate;
            Check = check ?? throw new ArgumentNullException(nameof(check));
            Message = message ?? throw new ArgumentNullException(nameof(message));
        }

        /// <summary>The certificate the finding is about, or null when it is about the chain as a whole.</summary>
        public Certificate? Certificate { get; }

        /// <summary>A stable name from <see cref="ValidationCheck"/>.</summary>
        public string Check { get; }

        /// <summary>Plain words, naming the certificate.</summary>
        public string Message { get; }

        public override string ToString() => Check + ": " + Message;
    }

    /// <summary>One reason a chain is not valid.</summary>
    public sealed class ValidationFailure : ValidationFinding
    {
        public ValidationFailure(Certificate? certificate, string check, string message) : base(certificate, check, message)
        {
        }
    }

    /// <summary>The outcome of <see cref="ChainValidator.Validate"/>. Holds no references back to itself (safe to serialize).</summary>
    public sealed partial class ChainValidationResult
    {
        internal ChainValidationResult(bool isValid, Certificate[] chain, ValidationFailure[] failures, DateTime validatedAt,
            ValidationPurpose purpose, int signatureChecks, int candidatePaths, ValidationWarning[]? warnings = null)
        {
            IsValid = isValid;
            Chain = chain;
            Failures = failures;
            Warnings = warnings ?? Array.Empty<ValidationWarning>();
            ValidatedAt = validatedAt;
            Purpose = purpose;
            SignatureChecks = signatureChecks;
            CandidatePaths = candidatePaths;
        }

        public bool IsValid { get; }

        /// <summary>Leaf first, trust anchor last: the valid path, or the most promising path when none is valid.</summary>
        public Certificate[] Chain { get; }

        /// <summary>Empty when <see cref="IsValid"/>; otherwise at least one failure.</summary>
        public ValidationFailure[] Failures { get; }

        /// <summary>
        /// What the certificates of <see cref="Chain"/> do wrong without failing it: profile rules the trust anchor breaks
        /// (authorityKeyIdentifier contents, no subjectKeyIdentifier, a non-critical basicConstraints, X.509 version 1, ...),
        /// and a certificate issued directly by an anchor without subjectKeyIdentifier that has no authorityKeyIdentifier
        /// keyIdentifier. The same rules fail an intermediate or a leaf. Empty when there is nothing to say.
        /// </summary>
        public ValidationWarning[] Warnings { get; }

        /// <summary>The time validation was done for (UTC, whole seconds).</summary>
        public DateTime ValidatedAt { get; }

        public ValidationPurpose Purpose { get; }

        /// <summary>How many signatures were verified while building paths.</summary>
        public int SignatureChecks { get; }

        /// <summary>How many complete candidate paths were evaluated.</summary>
        public int CandidatePaths { get; }

        public override string ToString() =>
            IsValid ? "Valid (" + Wording.Count(Chain.Length, "certificate") + (Warnings.Length > 0 ? ", " + Wording.Count(Warnings.Length, "warning") : "") + ")" : "Invalid: " + (Failures.Length > 0 ? Failures[0].Message : "no reason");
    }
}
