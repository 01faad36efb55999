using System.Collections.Generic;
using TlsTools.Pki;
using TlsTools.Revocation;
using TlsTools.Revocation.Online;

namespace TlsTools.Validation
{
    public sealed partial class ChainValidationRequest
    {
        /// <summary>
        /// Revocation answers already had for certificates of the chain (fetched OCSP responses, a staple, or Unavailable
        /// when -Online found none), each naming its <see cref="RevocationInfo.Certificate"/>. Revoked fails the chain
        /// (check Revoked); Unknown and Unavailable, when no CRL decided, fail it (RevocationUnavailable) or are warnings,
        /// as <see cref="RevocationFailure"/> says.
        /// </summary>
        public IList<RevocationInfo> RevocationAnswers { get; set; } = new List<RevocationInfo>();

        /// <summary>What an Unknown or Unavailable revocation answer does; default <see cref="RevocationFailureAction.Warn"/>.</summary>
        public RevocationFailureAction RevocationFailure { get; set; } = RevocationFailureAction.Warn;

        /// <summary>Where CRLs in <see cref="Crls"/> were fetched from (shown as the Source of a Crl decision).</summary>
        internal IDictionary<CertificateRevocationList, string> CrlSources { get; } = new Dictionary<CertificateRevocationList, string>();
    }
}
