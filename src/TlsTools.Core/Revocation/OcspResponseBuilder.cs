using System;
using System.Collections.Generic;
using System.Linq;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Ocsp;
using Org.BouncyCastle.Asn1.X509;
using TlsTools.Pki;
using BcBasicResponse = Org.BouncyCastle.Asn1.Ocsp.BasicOcspResponse;
using BcOcspResponse = Org.BouncyCastle.Asn1.Ocsp.OcspResponse;
using BcResponseStatus = Org.BouncyCastle.Asn1.Ocsp.OcspResponseStatus;

namespace TlsTools.Revocation
{
    /// <summary>What an OCSP response made by <see cref="OcspResponseBuilder"/> says.</summary>
    public sealed class OcspResponseOptions
    {
        /// <summary>The certificate the response is about.</summary>
        public Certificate? Certificate { get; set; }

        /// <summary>Its issuer (the CA). Signs the response when <see cref="Responder"/> is null, so it then needs its private key.</summary>
        public Certificate? Issuer { get; set; }

        /// <summary>A delegated responder (issued by <see cref="Issuer"/>, with id-kp-OCSPSigning and its private key); null: the issuer signs.</summary>
        public Certificate? Responder { get; set; }

        /// <summary>Good, Revoked or Unknown.</summary>
        public RevocationStatus Status { get; set; } = RevocationStatus.Good;

        /// <summary>When Revoked: the reason (none when null).</summary>
        public RevocationReason? RevocationReason { get; set; }

        /// <summary>When Revoked: the revocation time; ThisUpdate when null.</summary>
        public DateTime? RevocationTime { get; set; }

        /// <summary>thisUpdate (and producedAt); now when null.</summary>
        public DateTime? ThisUpdate { get; set; }

        /// <summary>nextUpdate; <see cref="OcspResponseBuilder.DefaultValidity"/> after ThisUpdate when null.</summary>
        public DateTime? NextUpdate { get; set; }

        public OcspHashAlgorithm HashAlgorithm { get; set; } = OcspHashAlgorithm.Sha1;

        /// <summary>A nonce to echo (from the request), or null.</summary>
        public byte[]? Nonce { get; set; }

        /// <summary>Name the responder by the SHA-1 of its key (byKey) rather than by its name (byName, the default).</summary>
        public bool ResponderIdByKey { get; set; }
    }

    /// <summary>Makes signed OCSP responses offline (New-OcspResponse, Start-TlsServer's staples, tests).</summary>
    public static class OcspResponseBuilder
    {
        /// <summary>The nextUpdate a response gets when none is given: 7 days after thisUpdate.</summary>
        public static readonly TimeSpan DefaultValidity = TimeSpan.FromDays(7);

        public static OcspResponse Build(OcspResponseOptions options)
        {
            if (options == null) throw new ArgumentNullException(nameof(options));
            var certificate = options.Certificate ?? throw new ArgumentException("The certificate the response is about is required.", nameof(options));
            var issuer = options.Issuer ?? throw new ArgumentException("The issuer is required.", nameof(options));
            var signer = options.Responder ?? issuer;
            var key = signer.PrivateKey ?? throw new TlsToolsException(ErrorIds.IssuerHasNoPrivateKey, ErrorKind.InvalidArgument,
                "'" + signer.Subject + "' carries no private key, so it cannot sign the OCSP response; read it with its key (PFX, or a PEM with the key).", target: signer);
            if (!certificate.Bc.IssuerDN.Equivalent(issuer.Bc.SubjectDN) || !certificate.SignatureVerifiesWith(issuer.Bc.GetPublicKey()))
                throw new TlsToolsException(ErrorIds.NotIssuedByIssuer, ErrorKind.InvalidArgument,
                    "'" + certificate.Subject + "' is not issued by '" + issuer.Subject + "'; an OCSP response names the certificate by its issuer.", target: certificate);

            var thisUpdate = Seconds(options.ThisUpdate ?? DateTime.UtcNow);
            var nextUpdate = Seconds(options.NextUpdate ?? thisUpdate + DefaultValidity);
            if (nextUpdate <= thisUpdate)
                throw new TlsToolsException(ErrorIds.InvalidNextUpdate, ErrorKind.InvalidArgument, "NextUpdate must be later than ThisUpdate (" + thisUpdate.ToString("u") + ").");

            CertStatus status;
            switch (options.Status)
            {
                case RevocationStatus.Good:
                    status = new CertStatus();
                    break;
                case RevocationStatus.Revoked:
                    var at = new Asn1GeneralizedTime(Seconds(options.RevocationTime ?? thisUpdate));
                    status = new CertStatus(options.RevocationReason.HasValue
                        ? new RevokedInfo(at, new CrlReason((int)options.RevocationReason.Value))
                        : new RevokedInfo(at));
                    break;
                case RevocationStatus.Unknown:
                    status = new CertStatus(2, DerNull.Instance);
                    break;
                default:
                    throw new ArgumentException("An OCSP response says Good, Revoked or Unknown, not " + options.Status + ".", nameof(options));
            }

            var id = OcspCertificateId.For(certificate, issuer, options.HashAlgorithm);
            var single = new SingleResponse(id.Asn1, status, new Asn1GeneralizedTime(thisUpdate), new Asn1GeneralizedTime(nextUpdate), null);
            var responderId = options.ResponderIdByKey
                ? new ResponderID(new DerOctetString(OcspCertificateId.KeyHash(signer)))
                : new ResponderID(signer.Bc.SubjectDN);
            var data = new ResponseData(responderId, new Asn1GeneralizedTime(thisUpdate), new DerSequence(single), OcspRequestBuilder.NonceExtensions(options.Nonce));

            var factory = KeyFactory.SignatureFactory(key);
            var calculator = factory.CreateCalculator();
            var tbs = data.GetEncoded(Asn1Encodable.Der);
            using (var stream = calculator.Stream) stream.Write(tbs, 0, tbs.Length);
            var signature = new DerBitString(((Org.BouncyCastle.Crypto.IBlockResult)calculator.GetResult()).Collect());
            var certs = options.Responder != null ? new DerSequence(options.Responder.Bc.CertificateStructure) : null;
            var basic = new BcBasicResponse(data, (AlgorithmIdentifier)factory.AlgorithmDetails, signature, certs);
            var outer = new BcOcspResponse(new BcResponseStatus(BcResponseStatus.Successful),
                new ResponseBytes(OcspObjectIdentifiers.PkixOcspBasic, new DerOctetString(basic.GetEncoded(Asn1Encodable.Der))));
            return OcspResponseParser.Parse(outer.GetEncoded(Asn1Encodable.Der));
        }

        /// <summary>An unsigned error response (malformedRequest, internalError, tryLater, sigRequired, unauthorized).</summary>
        public static OcspResponse BuildError(OcspResponseStatus status)
        {
            if (status == OcspResponseStatus.Successful)
                throw new ArgumentException("A successful response is made with Build.", nameof(status));
            var outer = new BcOcspResponse(new BcResponseStatus((int)status), null);
            return OcspResponseParser.Parse(outer.GetEncoded(Asn1Encodable.Der));
        }

        private static DateTime Seconds(DateTime t)
        {
            var u = t.ToUniversalTime();
            return new DateTime(u.Ticks - u.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc);
        }
    }
}
