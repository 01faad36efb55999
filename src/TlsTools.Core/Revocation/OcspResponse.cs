using System;
using System.Linq;
using TlsTools.Pki;
using BcBasicResponse = Org.BouncyCastle.Asn1.Ocsp.BasicOcspResponse;

namespace TlsTools.Revocation
{
    /// <summary>OCSPResponseStatus (RFC 6960 4.2.1): whether the responder answered at all.</summary>
    public enum OcspResponseStatus
    {
        Successful = 0,
        MalformedRequest = 1,
        InternalError = 2,
        TryLater = 3,
        SigRequired = 5,
        Unauthorized = 6,
    }

    /// <summary>One SingleResponse: what the responder says about one CertID.</summary>
    public sealed class OcspSingleResponse
    {
        internal OcspSingleResponse(OcspCertificateId certificateId, RevocationStatus status, DateTime thisUpdate, DateTime? nextUpdate,
            DateTime? revocationTime, string? revocationReason)
        {
            CertificateId = certificateId;
            Status = status;
            ThisUpdate = thisUpdate;
            NextUpdate = nextUpdate;
            RevocationTime = revocationTime;
            RevocationReason = revocationReason;
        }

        public OcspCertificateId CertificateId { get; }

        /// <summary>Good, Revoked or Unknown, as the responder says (not yet validated).</summary>
        public RevocationStatus Status { get; }

        public DateTime ThisUpdate { get; }
        public DateTime? NextUpdate { get; }

        /// <summary>When Revoked: the revocation time (UTC).</summary>
        public DateTime? RevocationTime { get; }

        /// <summary>When Revoked and given: the CRLReason name (KeyCompromise, Superseded, ...).</summary>
        public string? RevocationReason { get; }

        public override string ToString() => CertificateId.SerialNumber + ": " + Status + (RevocationReason != null ? " (" + RevocationReason + ")" : "");
    }

    /// <summary>
    /// A parsed OCSP response (RFC 6960 4.2). Parsing says what the response claims; only
    /// <see cref="OcspResponseValidator"/> says whether to believe it.
    /// </summary>
    public sealed class OcspResponse
    {
        private readonly byte[] _der;

        internal OcspResponse(byte[] der, OcspResponseStatus responseStatus, BcBasicResponse? basic, string? responderName, string? responderKeyHash,
            DateTime? producedAt, OcspSingleResponse[] responses, Certificate[] certificates, byte[]? nonce, string? signatureAlgorithm)
        {
            _der = der;
            ResponseStatus = responseStatus;
            Basic = basic;
            ResponderName = responderName;
            ResponderKeyHash = responderKeyHash;
            ProducedAt = producedAt;
            Responses = responses;
            Certificates = certificates;
            Nonce = nonce;
            SignatureAlgorithm = signatureAlgorithm;
        }

        public OcspResponseStatus ResponseStatus { get; }

        /// <summary>The ResponderID byName, as a distinguished name; null when byKey.</summary>
        public string? ResponderName { get; }

        /// <summary>The ResponderID byKey (SHA-1 of the responder's public key), uppercase hex; null when byName.</summary>
        public string? ResponderKeyHash { get; }

        public DateTime? ProducedAt { get; }

        public OcspSingleResponse[] Responses { get; }

        /// <summary>The certificates the responder included (a delegated responder's certificate, usually).</summary>
        public Certificate[] Certificates { get; }

        /// <summary>The nonce extension's value, or null.</summary>
        public byte[]? Nonce { get; }

        public string? SignatureAlgorithm { get; }

        /// <summary>The first single response's certificate serial number (most responses answer for one certificate).</summary>
        public string? SerialNumber => First?.CertificateId.SerialNumber;

        /// <summary>The first single response's status, as the responder says it (not validated); null when there is none.</summary>
        public RevocationStatus? Status => First?.Status;

        public DateTime? ThisUpdate => First?.ThisUpdate;
        public DateTime? NextUpdate => First?.NextUpdate;
        public DateTime? RevocationTime => First?.RevocationTime;
        public string? RevocationReason => First?.RevocationReason;

        /// <summary>The DER encoding (a copy): what <c>openssl ocsp -respin</c> reads and <c>openssl s_server -status_file</c> staples.</summary>
        public byte[] RawData => GetRawData();

        /// <summary>The DER encoding as received (a copy).</summary>
        public byte[] GetRawData() => (byte[])_der.Clone();

        private OcspSingleResponse? First => Responses.Length > 0 ? Responses[0] : null;

        internal byte[] DerNoCopy => _der;

        internal BcBasicResponse? Basic { get; }

        /// <summary>The single response about <paramref name="certificate"/> issued by <paramref name="issuer"/>, or null.</summary>
        public OcspSingleResponse? Find(Certificate certificate, Certificate issuer) =>
            Responses.FirstOrDefault(r => r.CertificateId.Matches(certificate, issuer));

        public override string ToString() =>
            ResponseStatus != OcspResponseStatus.Successful ? ResponseStatus.ToString() : string.Join(", ", Responses.Select(r => r.ToString()));
    }
}
