using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using TlsTools.Pki;
using TlsTools.Validation;

namespace TlsTools.Tls
{
    /// <summary>Validates the certificates a server sent in a handshake, for the name the client asked for.</summary>
    public static class HandshakeValidation
    {
        /// <summary>
        /// Runs <see cref="ChainValidator.Validate"/> on <see cref="HandshakeResult.Certificates"/> (leaf first, the rest as
        /// intermediates) for the name the client meant: the SNI name when one was sent, else the host name; an IP
        /// address is checked against the leaf's iPAddress names. Sets and returns <see cref="HandshakeResult.Validation"/>;
        /// null (and nothing set) when the server sent no certificate (a failed or resumed handshake).
        /// </summary>
        /// <param name="result">A handshake result.</param>
        /// <param name="trustedRoots">The trust anchors; null means the operating system's trust store.</param>
        /// <param name="cancellationToken">Cancels path building.</param>
        /// <param name="crls">CRLs to check revocation against (none: revocation is not checked).</param>
        /// <exception cref="ArgumentNullException"><paramref name="result"/> is null.</exception>
        /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
        public static ChainValidationResult? Validate(HandshakeResult result, IList<Certificate>? trustedRoots, CancellationToken cancellationToken = default,
            IList<CertificateRevocationList>? crls = null)
        {
            if (result == null) throw new ArgumentNullException(nameof(result));
            if (result.Certificates.Length == 0) return null;
            var request = new ChainValidationRequest(result.Certificates[0])
            {
                Intermediates = result.Certificates.Skip(1).ToList(),
                TrustedRoots = trustedRoots,
                Purpose = ValidationPurpose.ServerAuth,
            };
            if (crls != null) request.Crls = crls;
            var name = string.IsNullOrEmpty(result.ServerName) ? result.HostName : result.ServerName!;
            name = name.Trim().TrimEnd('.');
            var ipText = name.StartsWith("[", StringComparison.Ordinal) && name.EndsWith("]", StringComparison.Ordinal) ? name.Substring(1, name.Length - 2) : name;
            if (IPAddress.TryParse(ipText, out _)) request.IpAddress = ipText;
            else if (name.Length > 0) request.DnsName = name;
            result.Validation = ChainValidator.Validate(request, cancellationToken);
            return result.Validation;
        }
    }
}
