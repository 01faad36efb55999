using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using TlsTools.Pki;

namespace TlsTools.Revocation.Online
{
    /// <summary>Asks a certificate's OCSP responders (AIA OCSP URLs) about it.</summary>
    internal static class OcspQuery
    {
        /// <summary>The validated answer of the first responder that gave one; null when the certificate names no responder.</summary>
        public static Task<RevocationInfo?> AskAsync(Certificate certificate, Certificate issuer, OnlineSession session, List<string> problems, CancellationToken ct)
        {
            // Filled in with the OCSP core (request builder, response validator) once it is merged.
            return Task.FromResult<RevocationInfo?>(null);
        }
    }
}
