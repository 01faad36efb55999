using System;
using System.Collections.Generic;
using System.Linq;
using TlsTools.Pki;
using TlsTools.Revocation;

namespace TlsTools.Validation
{
    /// <summary>A certificate -Online fetched from an AIA caIssuers URL to complete a chain.</summary>
    public sealed class AiaFetchedCertificate
    {
        internal AiaFetchedCertificate(string url, Certificate certificate, Certificate issued)
        {
            Url = url;
            Certificate = certificate;
            For = issued.Subject;
        }

        /// <summary>The caIssuers URL it came from.</summary>
        public string Url { get; }

        /// <summary>The certificate fetched.</summary>
        public Certificate Certificate { get; }

        /// <summary>The subject of the certificate whose AIA named the URL.</summary>
        public string For { get; }

        public override string ToString() => Certificate.Subject + " from " + Url;
    }

    public sealed partial class ChainValidationResult
    {
        /// <summary>
        /// How revocation was decided for each certificate of <see cref="Chain"/>, in the same order (Method None for the
        /// trust anchor and for certificates nothing was known about).
        /// </summary>
        public RevocationInfo[] Revocation { get; internal set; } = Array.Empty<RevocationInfo>();

        /// <summary>Certificates fetched from AIA caIssuers URLs to build the path (-Online); empty when none was needed.
        /// The chain as sent was incomplete when this is not empty.</summary>
        public AiaFetchedCertificate[] CompletedFromAia { get; internal set; } = Array.Empty<AiaFetchedCertificate>();

        /// <summary>This result, not valid, with <paramref name="more"/> added to its <see cref="Failures"/> (the rest unchanged).</summary>
        internal ChainValidationResult WithFailures(IEnumerable<ValidationFailure> more) =>
            new ChainValidationResult(false, Chain, Failures.Concat(more).ToArray(), ValidatedAt, Purpose, SignatureChecks, CandidatePaths, Warnings)
            {
                Revocation = Revocation,
                CompletedFromAia = CompletedFromAia,
            };

        /// <summary>This result with <paramref name="more"/> added to its <see cref="Warnings"/> (the rest unchanged).</summary>
        internal ChainValidationResult WithWarnings(IEnumerable<ValidationWarning> more)
        {
            var added = more.ToArray();
            if (added.Length == 0) return this;
            return new ChainValidationResult(IsValid, Chain, Failures, ValidatedAt, Purpose, SignatureChecks, CandidatePaths, Warnings.Concat(added).ToArray())
            {
                Revocation = Revocation,
                CompletedFromAia = CompletedFromAia,
            };
        }
    }
}
