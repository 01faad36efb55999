using System;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Ocsp;
using Org.BouncyCastle.Asn1.X509;
using TlsTools.Pki;

namespace TlsTools.Revocation
{
    /// <summary>An OCSP request (RFC 6960 4.1) for one certificate, unsigned, as sent to a responder.</summary>
    public sealed class OcspRequest
    {
        private readonly byte[] _der;

        internal OcspRequest(byte[] der, OcspCertificateId certificateId, byte[]? nonce)
        {
            _der = der;
            CertificateId = certificateId;
            Nonce = nonce;
        }

        /// <summary>The CertID asked about; the response must answer for the same one.</summary>
        public OcspCertificateId CertificateId { get; }

        /// <summary>The nonce sent (RFC 8954), or null; pass it to <see cref="OcspResponseValidator"/> as the expected nonce.</summary>
        public byte[]? Nonce { get; }

        /// <summary>The DER encoding (a copy): the body of an HTTP POST with Content-Type application/ocsp-request.</summary>
        public byte[] GetRawData() => (byte[])_der.Clone();

        /// <summary>The request for an HTTP GET (RFC 6960 A.1): base64 of the DER, URL-escaped, to append to the responder URL after a '/'.</summary>
        public string ToUrlPath() => Uri.EscapeDataString(Convert.ToBase64String(_der));
    }

    /// <summary>Builds OCSP requests: a CertID with SHA-1 or SHA-256 (or SHA-384/512) and an optional nonce extension.</summary>
    public static class OcspRequestBuilder
    {
        /// <summary>The nonce length <see cref="NewNonce"/> makes: 32 octets, the RFC 8954 maximum and what OpenSSL accepts.</summary>
        public const int NonceLength = 32;

        /// <summary>A fresh random nonce of <see cref="NonceLength"/> octets.</summary>
        public static byte[] NewNonce()
        {
            var nonce = new byte[NonceLength];
            KeyFactory.Random.NextBytes(nonce);
            return nonce;
        }

        /// <summary>A request about <paramref name="certificate"/>, issued by <paramref name="issuer"/>.</summary>
        /// <param name="certificate">The certificate asked about.</param>
        /// <param name="issuer">Its issuer (the CertID hashes the issuer's name and key).</param>
        /// <param name="hash">The CertID hash; SHA-1 is what most responders index by.</param>
        /// <param name="nonce">The nonce to send (1 to 32 octets), e.g. <see cref="NewNonce"/>; null sends none.</param>
        public static OcspRequest Build(Certificate certificate, Certificate issuer, OcspHashAlgorithm hash = OcspHashAlgorithm.Sha1, byte[]? nonce = null)
        {
            if (nonce != null && (nonce.Length < 1 || nonce.Length > NonceLength))
                throw new ArgumentException("An OCSP nonce has 1 to " + NonceLength + " octets (RFC 8954).", nameof(nonce));
            var id = OcspCertificateId.For(certificate, issuer, hash);
            var tbs = new TbsRequest(null, new DerSequence(new Request(id.Asn1, null)), NonceExtensions(nonce));
            var der = new Org.BouncyCastle.Asn1.Ocsp.OcspRequest(tbs, null).GetEncoded(Asn1Encodable.Der);
            return new OcspRequest(der, id, nonce == null ? null : (byte[])nonce.Clone());
        }

        /// <summary>The nonce extension (RFC 8954: the nonce as an OCTET STRING inside extnValue) for a request or response; null for no nonce.</summary>
        internal static X509Extensions? NonceExtensions(byte[]? nonce) => nonce == null ? null
            : new X509Extensions(new[] { OcspObjectIdentifiers.PkixOcspNonce }, new[] { new X509Extension(false, new DerOctetString(new DerOctetString(nonce))) });
    }
}
