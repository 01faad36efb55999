using System;
using TlsTools.Pki;

namespace TlsTools.Revocation
{
    /// <summary>How the revocation status of a certificate was decided.</summary>
    public enum RevocationMethod
    {
        /// <summary>Not checked (no CRL given, no staple, no -Online, or the certificate is the trust anchor).</summary>
        None,
        /// <summary>An OCSP response fetched from the certificate's AIA OCSP URL.</summary>
        Ocsp,
        /// <summary>A CRL, given by the caller or fetched from a CRL distribution point.</summary>
        Crl,
        /// <summary>An OCSP response the server stapled to the handshake.</summary>
        Staple,
    }

    /// <summary>The revocation status of one certificate.</summary>
    public enum RevocationStatus
    {
        Good,
        Revoked,
        Unknown,
        /// <summary>No answer could be had (responder unreachable, timeout, bad response, no URL).</summary>
        Unavailable,
    }

    /// <summary>How revocation was decided for one certificate of a chain, or what a stapled/fetched OCSP response said.</summary>
    public sealed class RevocationInfo
    {
        public RevocationInfo(Certificate? certificate, RevocationMethod method, RevocationStatus status)
        {
            Certificate = certificate;
            Method = method;
            Status = status;
        }

        /// <summary>The certificate the status is about (null when the response named a certificate we do not hold).</summary>
        public Certificate? Certificate { get; }

        public RevocationMethod Method { get; }

        public RevocationStatus Status { get; }

        /// <summary>Where the answer came from: the OCSP or CRL URL, "staple", or the CRL's file/issuer for a given CRL.</summary>
        public string? Source { get; set; }

        /// <summary>thisUpdate of the OCSP response or CRL (UTC).</summary>
        public DateTime? ThisUpdate { get; set; }

        /// <summary>nextUpdate of the OCSP response or CRL (UTC), when it has one.</summary>
        public DateTime? NextUpdate { get; set; }

        /// <summary>The revocation reason (RFC 5280 CRLReason name, e.g. keyCompromise) when Revoked and the source gave one.</summary>
        public string? Reason { get; set; }

        /// <summary>When Revoked: the revocation time (UTC).</summary>
        public DateTime? RevocationTime { get; set; }

        /// <summary>Why the status is Unavailable or Unknown, or what was wrong with the response; plain words.</summary>
        public string? Message { get; set; }

        public override string ToString() =>
            Method == RevocationMethod.None ? (Status == RevocationStatus.Unavailable ? "Unavailable" : "not checked") : Method + ": " + Status + (Reason != null ? " (" + Reason + ")" : "");
    }
}
