using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using TlsTools.Pki;
using TlsTools.Revocation.Online;
using TlsTools.Validation;

namespace TlsTools.Tls
{
    public static partial class HandshakeValidation
    {
        /// <summary>
        /// As <see cref="Validate"/>, with the network (-Online): a missing intermediate is fetched from AIA caIssuers, and
        /// revocation is asked of OCSP responders and CRL distribution points (<see cref="OnlineChainValidator"/>). A chain the
        /// server sent incomplete carries the warning IncompleteChain even when AIA completed it.
        /// </summary>
        /// <exception cref="ArgumentNullException"><paramref name="result"/> or <paramref name="online"/> is null.</exception>
        /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
        public static async Task<ChainValidationResult?> ValidateOnlineAsync(HandshakeResult result, IList<Certificate>? trustedRoots,
            IList<CertificateRevocationList>? crls, OnlineSession online, CancellationToken cancellationToken = default)
        {
            if (result == null) throw new ArgumentNullException(nameof(result));
            if (online == null) throw new ArgumentNullException(nameof(online));
            var request = RequestFor(result, trustedRoots, crls);
            if (request == null) return null;
            result.Validation = await OnlineChainValidator.ValidateAsync(request, online, cancellationToken).ConfigureAwait(false);
            Stapling.Rejudge(result, trustedRoots);
            return result.Validation;
        }
    }
}
