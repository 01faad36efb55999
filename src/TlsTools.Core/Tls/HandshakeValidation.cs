using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using TlsTools.Net;
using TlsTools.Pki;
using TlsTools.Revocation.Online;
using TlsTools.Validation;

namespace TlsTools.Tls
{
    /// <summary>Validates the certificates a server sent in a handshake, for the name the client asked for.</summary>
    public static partial class HandshakeValidation
    {
        /// <summary>
        /// Runs <see cref="ChainValidator.Validate"/> on <see cref="HandshakeResult.Certificates"/> (leaf first, the rest as
        /// intermediates) for the name the client meant: the SNI name when one was sent, else the host name; an IP
        /// address is checked against the leaf's iPAddress names (<see cref="TlsTarget.ValidationName"/>). Sets and returns <see cref="HandshakeResult.Validation"/>;
        /// null (and nothing set) when the server sent no certificate (a failed or resumed handshake).
        /// </summary>
        /// <param name="result">A handshake result.</param>
        /// <param name="trustedRoots">The trust anchors; null means the operating system's trust store.</param>
        /// <param name="cancellationToken">Cancels path building.</param>
        /// <param name="crls">CRLs to check revocation against (none: revocation is not checked).</param>
        /// <param name="revocationFailure">What an Unknown or Unavailable staple does (Warn: a warning; Fail: RevocationUnavailable).</param>
        /// <exception cref="ArgumentNullException"><paramref name="result"/> is null.</exception>
        /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
        public static ChainValidationResult? Validate(HandshakeResult result, IList<Certificate>? trustedRoots, CancellationToken cancellationToken = default,
            IList<CertificateRevocationList>? crls = null, RevocationFailureAction revocationFailure = RevocationFailureAction.Warn)
        {
            if (result == null) throw new ArgumentNullException(nameof(result));
            var request = RequestFor(result, trustedRoots, crls);
            if (request == null) return null;
            request.RevocationFailure = revocationFailure;
            result.Validation = ChainValidator.Validate(request, cancellationToken);
            Stapling.Rejudge(result, trustedRoots);
            return result.Validation;
        }

        /// <summary>
        /// The validation request for the chain <paramref name="result"/> holds; null when the server sent no certificate. A
        /// stapled OCSP response, judged against the leaf's issuer among the certificates sent and the trusted roots, is one of
        /// its revocation answers (Method Staple).
        /// </summary>
        internal static ChainValidationRequest? RequestFor(HandshakeResult result, IList<Certificate>? trustedRoots, IList<CertificateRevocationList>? crls)
        {
            if (result.Certificates.Length == 0) return null;
            var request = new ChainValidationRequest(result.Certificates[0])
            {
                Intermediates = result.Certificates.Skip(1).ToList(),
                TrustedRoots = trustedRoots,
                Purpose = ValidationPurpose.ServerAuth,
            };
            if (crls != null) request.Crls = crls;
            ForName(request, result.Target);
            result.Validation = null;
            var staple = Stapling.Rejudge(result, trustedRoots);
            if (staple != null) request.RevocationAnswers.Add(staple);
            return request;
        }

        /// <summary>Sets the name a chain from <paramref name="target"/> is validated for: <see cref="TlsTarget.ValidationName"/>, as an
        /// iPAddress name when <see cref="TlsTarget.ValidatesAsIPAddress"/>, else as a DNS name.</summary>
        internal static void ForName(ChainValidationRequest request, TlsTarget target)
        {
            if (target.ValidatesAsIPAddress) request.IpAddress = target.ValidationName;
            else request.DnsName = target.ValidationName;
        }
    }
}
