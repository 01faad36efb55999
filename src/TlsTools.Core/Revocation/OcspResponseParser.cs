using System;
using System.Collections.Generic;
using System.IO;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Ocsp;
using Org.BouncyCastle.Asn1.X509;
using TlsTools.Pki;
using BcBasicResponse = Org.BouncyCastle.Asn1.Ocsp.BasicOcspResponse;
using BcOcspResponse = Org.BouncyCastle.Asn1.Ocsp.OcspResponse;

namespace TlsTools.Revocation
{
    /// <summary>
    /// Parses DER OCSP responses, bounded: at most <see cref="MaxResponseBytes"/>, at most <see cref="MaxSingleResponses"/>
    /// single responses and <see cref="MaxCertificates"/> certificates, the whole input one OCSPResponse. Anything else is
    /// a <see cref="TlsToolsException"/> with <see cref="ErrorIds.OcspResponseMalformed"/> or <see cref="ErrorIds.OcspResponseTooLarge"/>.
    /// </summary>
    public static class OcspResponseParser
    {
        /// <summary>The largest response accepted: 256 KiB (real responses are a few KiB; a TLS handshake message is capped the same).</summary>
        public const int MaxResponseBytes = 256 * 1024;

        public const int MaxSingleResponses = 512;
        public const int MaxCertificates = 16;

        public static OcspResponse Parse(byte[] der)
        {
            if (der == null) throw new ArgumentNullException(nameof(der));
            if (der.Length > MaxResponseBytes)
                throw new TlsToolsException(ErrorIds.OcspResponseTooLarge, ErrorKind.LimitsExceeded,
                    "The OCSP response has " + der.Length + " bytes; at most " + MaxResponseBytes + " are accepted.");
            if (der.Length == 0) throw Malformed("it is empty", null);
            try
            {
                BcOcspResponse outer;
                using (var s = new Asn1InputStream(new MemoryStream(der, false), der.Length))
                {
                    outer = BcOcspResponse.GetInstance(s.ReadObject());
                    if (s.ReadObject() != null) throw Malformed("bytes follow the OCSPResponse", null);
                }
                var status = outer.ResponseStatus.IntValueExact;
                if (!Enum.IsDefined(typeof(OcspResponseStatus), status)) throw Malformed("its responseStatus " + status + " is not defined", null);
                var responseStatus = (OcspResponseStatus)status;
                var bytes = outer.ResponseBytes;
                if (responseStatus != OcspResponseStatus.Successful)
                {
                    if (bytes != null) throw Malformed("an unsuccessful response (" + responseStatus + ") carries responseBytes", null);
                    return new OcspResponse((byte[])der.Clone(), responseStatus, null, null, null, null, Array.Empty<OcspSingleResponse>(), Array.Empty<Certificate>(), null, null);
                }
                if (bytes == null) throw Malformed("a successful response has no responseBytes", null);
                if (!bytes.ResponseType.Equals(OcspObjectIdentifiers.PkixOcspBasic))
                    throw Malformed("its response type " + bytes.ResponseType.Id + " is not id-pkix-ocsp-basic", null);
                var inner = bytes.Response.GetOctets();
                BcBasicResponse basic;
                using (var s = new Asn1InputStream(new MemoryStream(inner, false), inner.Length))
                {
                    basic = BcBasicResponse.GetInstance(s.ReadObject());
                    if (s.ReadObject() != null) throw Malformed("bytes follow the BasicOCSPResponse", null);
                }
                var data = basic.TbsResponseData;
                if (data.Version.IntValueExact != 0) throw Malformed("its version is v" + (data.Version.IntValueExact + 1) + ", not v1", null);
                var responder = data.ResponderID;
                var keyHash = responder.GetKeyHash();
                string? responderName = keyHash == null ? responder.Name.ToString() : null;

                if (data.Responses.Count > MaxSingleResponses) throw Malformed("it has " + data.Responses.Count + " single responses (at most " + MaxSingleResponses + ")", null);
                var singles = new List<OcspSingleResponse>();
                foreach (var element in data.Responses)
                    singles.Add(Single(SingleResponse.GetInstance(element)));

                var certs = new List<Certificate>();
                if (basic.Certs != null)
                {
                    if (basic.Certs.Count > MaxCertificates) throw Malformed("it carries " + basic.Certs.Count + " certificates (at most " + MaxCertificates + ")", null);
                    foreach (var element in basic.Certs)
                        certs.Add(new Certificate(new Org.BouncyCastle.X509.X509Certificate(X509CertificateStructure.GetInstance(element))));
                }
                return new OcspResponse((byte[])der.Clone(), responseStatus, basic, responderName, keyHash == null ? null : Hex.Upper(keyHash),
                    data.ProducedAt.ToDateTime().ToUniversalTime(), singles.ToArray(), certs.ToArray(), NonceOf(data.ResponseExtensions),
                    SignatureNames.Describe(basic.SignatureAlgorithm.Algorithm.Id, basic.SignatureAlgorithm.Algorithm.Id));
            }
            catch (TlsToolsException)
            {
                throw;
            }
            catch (Exception e) when (!(e is OutOfMemoryException))
            {
                throw Malformed(e.Message, e);
            }
        }

        private static OcspSingleResponse Single(SingleResponse single)
        {
            var id = OcspCertificateId.From(single.CertId);
            var thisUpdate = single.ThisUpdate.ToDateTime().ToUniversalTime();
            var nextUpdate = single.NextUpdate?.ToDateTime().ToUniversalTime();
            var cs = single.CertStatus;
            switch (cs.TagNo)
            {
                case 0:
                    return new OcspSingleResponse(id, RevocationStatus.Good, thisUpdate, nextUpdate, null, null);
                case 1:
                    var revoked = RevokedInfo.GetInstance(cs.Status);
                    string? reason = revoked.RevocationReason == null ? null : RevocationReasons.Name(revoked.RevocationReason.IntValueExact);
                    return new OcspSingleResponse(id, RevocationStatus.Revoked, thisUpdate, nextUpdate, revoked.RevocationTime.ToDateTime().ToUniversalTime(), reason);
                case 2:
                    return new OcspSingleResponse(id, RevocationStatus.Unknown, thisUpdate, nextUpdate, null, null);
                default:
                    throw Malformed("a certStatus has the undefined tag [" + cs.TagNo + "]", null);
            }
        }

        /// <summary>The nonce extension (RFC 8954: an OCTET STRING inside extnValue; a bare value is taken as it is).</summary>
        internal static byte[]? NonceOf(X509Extensions? extensions)
        {
            var ext = extensions?.GetExtension(OcspObjectIdentifiers.PkixOcspNonce);
            if (ext == null) return null;
            var raw = ext.Value.GetOctets();
            try
            {
                if (raw.Length > 0 && raw[0] == 0x04 && Asn1Object.FromByteArray(raw) is Asn1OctetString inner) return inner.GetOctets();
            }
            catch (IOException)
            {
                // not DER: the bare bytes are the nonce
            }
            return raw;
        }

        private static TlsToolsException Malformed(string why, Exception? inner) =>
            new TlsToolsException(ErrorIds.OcspResponseMalformed, ErrorKind.InvalidData, "The OCSP response is malformed: " + why + ".", inner);
    }
}
