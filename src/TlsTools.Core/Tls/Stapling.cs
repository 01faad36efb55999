using System;
using System.Collections.Generic;
using System.Linq;
using Org.BouncyCastle.Asn1;
using TlsTools.Pki;
using TlsTools.Revocation;
using TlsTools.Validation;
using BcTlsServerCertificate = Org.BouncyCastle.Tls.TlsServerCertificate;

namespace TlsTools.Tls
{
    /// <summary>
    /// OCSP stapling and TLS-extension SCTs on the client side: what the server stapled is captured during the handshake,
    /// parsed when the result is filled, and judged (<see cref="OcspResponseValidator"/>, Method Staple) against the leaf
    /// and its issuer; after chain validation, a Revoked staple and a must-staple certificate without a usable staple
    /// become validation failures.
    /// </summary>
    public static class Stapling
    {
        private const int StatusTypeOcsp = 1;

        /// <summary>Takes the staple and SCTs from the server's certificate message (TLS 1.2 CertificateStatus; TLS 1.3 leaf entry extensions).</summary>
        internal static void Capture(RunnerClient client, BcTlsServerCertificate serverCertificate)
        {
            var status = serverCertificate.CertificateStatus;
            if (status != null && status.StatusType == StatusTypeOcsp && status.OcspResponse != null)
                client.StapledOcsp = status.OcspResponse.GetEncoded(Asn1Encodable.Der);
            var chain = serverCertificate.Certificate;
            if (chain == null || chain.IsEmpty) return;
            var extensions = chain.GetCertificateEntryAt(0).Extensions;
            if (extensions == null) return;
            if (extensions.TryGetValue(Org.BouncyCastle.Tls.ExtensionType.status_request, out var entryStatus))
            {
                // A malformed entry is kept as it came: it then fails to parse as OCSP and the staple shows Unavailable with
                // the reason, rather than aborting a handshake that BouncyCastle itself accepted.
                try { client.StapledOcsp = OcspFromCertificateStatus(entryStatus); }
                catch (TlsToolsException) { client.StapledOcsp = entryStatus; }
            }
            if (extensions.TryGetValue(Org.BouncyCastle.Tls.ExtensionType.signed_certificate_timestamp, out var sct) && sct.Length > 0)
                client.SctExtension = sct;
        }

        /// <summary>The OCSP response inside a CertificateStatus structure (status_type ocsp, 3-byte length, DER); throws when malformed.</summary>
        internal static byte[] OcspFromCertificateStatus(byte[] data)
        {
            var r = new WireReader(data, "CertificateStatus");
            int type = r.U8();
            if (type != StatusTypeOcsp) throw WireReader.Malformed("CertificateStatus", "status_type " + type + " is not ocsp(1)");
            var der = r.VectorBytes(3);
            r.End();
            if (der.Length == 0) throw WireReader.Malformed("CertificateStatus", "the OCSP response is empty");
            return der;
        }

        /// <summary>
        /// True when a CertificateStatus body holds an OCSP response that parses and says Successful: what the scanner calls
        /// stapling (an echoed status_request, or a stapled tryLater, is not).
        /// </summary>
        internal static bool IsSuccessfulStaple(byte[]? certificateStatusBody)
        {
            if (certificateStatusBody == null) return false;
            try
            {
                return OcspResponseParser.Parse(OcspFromCertificateStatus(certificateStatusBody)).ResponseStatus == OcspResponseStatus.Successful;
            }
            catch (TlsToolsException)
            {
                return false;
            }
        }

        /// <summary>Fills the result's staple and SCT properties from what the client captured; judges the staple against the presented chain.</summary>
        internal static void Fill(HandshakeResult result, RunnerClient client)
        {
            result.SignedCertificateTimestamps = SctList.TryParse(client.SctExtension, SctSource.TlsExtension);
            if (client.StapledOcsp == null) return;
            result.StapledOcspRaw = client.StapledOcsp;
            try
            {
                result.StapledOcspResponse = OcspResponseParser.Parse(client.StapledOcsp);
            }
            catch (TlsToolsException e)
            {
                result.StapledOcspError = e.Message;
            }
            Judge(result, null);
        }

        /// <summary>
        /// Judges the staple of <paramref name="result"/> against its leaf and the leaf's issuer (from the validated chain when
        /// there is one, else the presented certificates and <paramref name="trustedRoots"/>), sets
        /// <see cref="HandshakeResult.OcspStaple"/>, and when <see cref="HandshakeResult.Validation"/> is set adds a
        /// <see cref="ValidationCheck.Revoked"/> failure for a staple that says Revoked and a <see cref="ValidationCheck.MustStaple"/>
        /// failure when the leaf requires a staple (TLS feature status_request) and none that can be trusted came.
        /// </summary>
        public static RevocationInfo? Judge(HandshakeResult result, IList<Certificate>? trustedRoots)
        {
            if (result == null) throw new ArgumentNullException(nameof(result));
            if (result.Certificates.Length == 0) return null;
            var staple = Decide(result, trustedRoots);
            result.OcspStaple = staple;
            ApplyToValidation(result, staple);
            return staple;
        }

        /// <summary>
        /// <see cref="Judge"/> for a result whose staple was judged already (when the handshake captured it, and again around
        /// validation): a staple decided then (Good, Revoked or Unknown: its issuer was at hand and its signature checked) is
        /// not checked again, only its consequences for <see cref="HandshakeResult.Validation"/> are applied; an Unavailable
        /// one is judged again, since validation may have found the issuer (a trusted root, an AIA fetch).
        /// </summary>
        internal static RevocationInfo? Rejudge(HandshakeResult result, IList<Certificate>? trustedRoots)
        {
            var decided = result.OcspStaple;
            if (decided == null || decided.Status == RevocationStatus.Unavailable) return Judge(result, trustedRoots);
            ApplyToValidation(result, decided);
            return decided;
        }

        /// <summary>The staple's verdict: validated against the leaf and its issuer, or Unavailable with the reason; null when none came.</summary>
        private static RevocationInfo? Decide(HandshakeResult result, IList<Certificate>? trustedRoots)
        {
            var leaf = result.Certificates[0];
            var validation = result.Validation;
            var at = validation?.ValidatedAt ?? DateTime.UtcNow;
            if (result.StapledOcspResponse != null)
            {
                var issuer = IssuerOf(leaf, validation, result.Certificates.Skip(1).Concat(trustedRoots ?? Array.Empty<Certificate>()));
                var notAnswered = OcspResponseValidator.NotAnswered(result.StapledOcspResponse);
                return issuer == null || notAnswered != null
                    ? new RevocationInfo(leaf, RevocationMethod.Staple, RevocationStatus.Unavailable)
                    {
                        Source = "staple",
                        ThisUpdate = result.StapledOcspResponse.ThisUpdate,
                        NextUpdate = result.StapledOcspResponse.NextUpdate,
                        Message = notAnswered ?? "the issuer of '" + leaf.Subject + "' is not at hand (neither sent by the server nor a trusted root), so the staple's signature cannot be checked.",
                    }
                    : OcspResponseValidator.Validate(result.StapledOcspResponse, leaf, issuer, RevocationMethod.Staple, at);
            }
            if (result.StapledOcspRaw != null)
                return new RevocationInfo(leaf, RevocationMethod.Staple, RevocationStatus.Unavailable) { Source = "staple", Message = result.StapledOcspError };
            return null;
        }

        /// <summary>Adds to <see cref="HandshakeResult.Validation"/> (when set) the failures a staple means: Revoked, and MustStaple.</summary>
        private static void ApplyToValidation(HandshakeResult result, RevocationInfo? staple)
        {
            var validation = result.Validation;
            if (validation == null) return;
            var leaf = result.Certificates[0];
            var added = new List<ValidationFailure>();
            // The validator already fails a Revoked staple it was given as a revocation answer (HandshakeValidation.RequestFor).
            if (staple?.Status == RevocationStatus.Revoked && !validation.Failures.Any(f => f.Check == ValidationCheck.Revoked && leaf.Equals(f.Certificate)))
                added.Add(new ValidationFailure(leaf, ValidationCheck.Revoked, "The server's stapled OCSP response says '" + leaf.Subject + "' is revoked"
                    + (staple.Reason != null ? " (" + staple.Reason + ")" : "") + (staple.RevocationTime.HasValue ? " since " + staple.RevocationTime.Value.ToString("u") : "") + "."));
            if (leaf.MustStaple && (staple == null || staple.Status == RevocationStatus.Unavailable))
                added.Add(new ValidationFailure(leaf, ValidationCheck.MustStaple, "'" + leaf.Subject + "' requires an OCSP staple (TLS feature status_request, must-staple) and the server "
                    + (staple == null ? "stapled none." : "stapled one that cannot be trusted: " + staple.Message)));
            if (added.Count > 0)
                result.Validation = validation.WithFailures(added);
        }

        private static Certificate? IssuerOf(Certificate leaf, ChainValidationResult? validation, IEnumerable<Certificate> candidates)
        {
            if (validation != null && validation.Chain.Length > 1 && validation.Chain[0].Equals(leaf) && IssuedBy(leaf, validation.Chain[1]))
                return validation.Chain[1];
            return candidates.FirstOrDefault(c => IssuedBy(leaf, c));
        }

        private static bool IssuedBy(Certificate leaf, Certificate issuer)
        {
            try
            {
                return leaf.Bc.IssuerDN.Equivalent(issuer.Bc.SubjectDN) && leaf.SignatureVerifiesWith(issuer.Bc.GetPublicKey());
            }
            catch (Exception e) when (!(e is OutOfMemoryException))
            {
                return false;
            }
        }
    }
}
