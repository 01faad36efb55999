using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using Org.BouncyCastle.Asn1;
using TlsTools.Pki;
using TlsTools.Revocation;
using Xunit;

namespace TlsTools.Tests.Revocation
{
    /// <summary>A CA, a leaf it issued, and a delegated responder; made once per test class.</summary>
    public sealed class OcspPki
    {
        public OcspPki()
        {
            Ca = Issuance.CreateCa(new CertificateOptions { Subject = "CN=OCSP Test CA" }, KeyFactory.Generate(KeyAlgorithm.EcdsaP256), null);
            Leaf = Issuance.CreateLeaf(new CertificateOptions { DnsNames = { "ocsp.example.test" } }, Ca, null, KeyFactory.Generate(KeyAlgorithm.EcdsaP256));
            Other = Issuance.CreateLeaf(new CertificateOptions { DnsNames = { "other.example.test" } }, Ca, null, KeyFactory.Generate(KeyAlgorithm.EcdsaP256));
            Responder = OcspTestCertificates.Responder(Ca, "CN=OCSP Responder", ocspSigning: true);
            ResponderWithoutEku = OcspTestCertificates.Responder(Ca, "CN=Not A Responder", ocspSigning: false);
            OtherCa = Issuance.CreateCa(new CertificateOptions { Subject = "CN=OCSP Test CA" }, KeyFactory.Generate(KeyAlgorithm.EcdsaP256), null);
        }

        public Certificate Ca { get; }
        public Certificate Leaf { get; }
        public Certificate Other { get; }
        public Certificate Responder { get; }
        public Certificate ResponderWithoutEku { get; }

        /// <summary>Another CA with the same name but another key.</summary>
        public Certificate OtherCa { get; }
    }

    internal static class OcspTestCertificates
    {
        /// <summary>A certificate issued by <paramref name="ca"/>, with id-kp-OCSPSigning when asked, carrying its key.</summary>
        public static Certificate Responder(Certificate ca, string subject, bool ocspSigning, DateTime? notAfter = null)
        {
            var key = KeyFactory.Generate(KeyAlgorithm.EcdsaP256);
            var gen = new Org.BouncyCastle.X509.X509V3CertificateGenerator();
            gen.SetSerialNumber(Org.BouncyCastle.Math.BigInteger.ValueOf(DateTime.UtcNow.Ticks));
            gen.SetIssuerDN(ca.Bc.SubjectDN);
            gen.SetSubjectDN(new Org.BouncyCastle.Asn1.X509.X509Name(subject));
            gen.SetNotBefore(DateTime.UtcNow.AddDays(-1));
            gen.SetNotAfter(notAfter ?? DateTime.UtcNow.AddDays(30));
            gen.SetPublicKey(key.Public);
            var eku = ocspSigning ? Org.BouncyCastle.Asn1.X509.KeyPurposeID.id_kp_OCSPSigning : Org.BouncyCastle.Asn1.X509.KeyPurposeID.id_kp_serverAuth;
            gen.AddExtension(Org.BouncyCastle.Asn1.X509.X509Extensions.ExtendedKeyUsage, false, new Org.BouncyCastle.Asn1.X509.ExtendedKeyUsage(eku));
            var bc = gen.Generate(KeyFactory.SignatureFactory(ca.PrivateKey!));
            return new Certificate(bc, key);
        }
    }

    public class OcspTests : IClassFixture<OcspPki>
    {
        private readonly OcspPki _pki;

        public OcspTests(OcspPki pki) => _pki = pki;

        private OcspResponse Make(RevocationStatus status, Action<OcspResponseOptions>? tweak = null)
        {
            var o = new OcspResponseOptions { Certificate = _pki.Leaf, Issuer = _pki.Ca, Status = status };
            tweak?.Invoke(o);
            return OcspResponseBuilder.Build(o);
        }

        [Theory]
        [InlineData(RevocationStatus.Good)]
        [InlineData(RevocationStatus.Revoked)]
        [InlineData(RevocationStatus.Unknown)]
        public void A_response_signed_by_the_issuer_says_its_status(RevocationStatus status)
        {
            var thisUpdate = DateTime.UtcNow.AddMinutes(-10);
            var r = Make(status, o => { o.ThisUpdate = thisUpdate; o.RevocationReason = RevocationReason.KeyCompromise; });
            var info = OcspResponseValidator.Validate(r, _pki.Leaf, _pki.Ca, RevocationMethod.Ocsp, source: "http://127.0.0.1/ocsp");
            Assert.Equal(status, info.Status);
            Assert.Equal(RevocationMethod.Ocsp, info.Method);
            Assert.Equal("http://127.0.0.1/ocsp", info.Source);
            Assert.Same(_pki.Leaf, info.Certificate);
            Assert.Equal(thisUpdate.AddTicks(-(thisUpdate.Ticks % TimeSpan.TicksPerSecond)), info.ThisUpdate);
            Assert.Equal(info.ThisUpdate + OcspResponseBuilder.DefaultValidity, info.NextUpdate);
            if (status == RevocationStatus.Revoked)
            {
                Assert.Equal("KeyCompromise", info.Reason);
                Assert.Equal(info.ThisUpdate, info.RevocationTime);
            }
            else
            {
                Assert.Null(info.Reason);
                Assert.Null(info.RevocationTime);
            }
            Assert.Equal(OcspResponseStatus.Successful, r.ResponseStatus);
            Assert.Equal(_pki.Ca.Subject, r.ResponderName);
            Assert.Single(r.Responses);
            Assert.Empty(r.Certificates);
        }

        [Fact]
        public void A_stapled_response_reports_method_Staple_and_source_staple()
        {
            var info = OcspResponseValidator.Validate(Make(RevocationStatus.Good), _pki.Leaf, _pki.Ca, RevocationMethod.Staple);
            Assert.Equal(RevocationMethod.Staple, info.Method);
            Assert.Equal("staple", info.Source);
            Assert.Equal(RevocationStatus.Good, info.Status);
        }

        [Theory]
        [InlineData(OcspHashAlgorithm.Sha1, "1.3.14.3.2.26", 40)]
        [InlineData(OcspHashAlgorithm.Sha256, "2.16.840.1.101.3.4.2.1", 64)]
        public void CertIds_are_made_with_sha1_or_sha256_and_match_only_their_certificate(OcspHashAlgorithm hash, string oid, int hexLength)
        {
            var id = OcspCertificateId.For(_pki.Leaf, _pki.Ca, hash);
            Assert.Equal(oid, id.HashAlgorithmOid);
            Assert.Equal(hash, id.HashAlgorithm);
            Assert.Equal(hexLength, id.IssuerNameHash.Length);
            Assert.Equal(hexLength, id.IssuerKeyHash.Length);
            Assert.Equal(_pki.Leaf.SerialNumber, id.SerialNumber);
            Assert.True(id.Matches(_pki.Leaf, _pki.Ca));
            Assert.False(id.Matches(_pki.Other, _pki.Ca));
            Assert.False(id.Matches(_pki.Leaf, _pki.OtherCa)); // same issuer name, other key
            var r = Make(RevocationStatus.Good, o => o.HashAlgorithm = hash);
            Assert.Equal(RevocationStatus.Good, OcspResponseValidator.Validate(r, _pki.Leaf, _pki.Ca, RevocationMethod.Ocsp).Status);
        }

        [Fact]
        public void A_request_carries_the_certid_and_the_nonce()
        {
            var nonce = OcspRequestBuilder.NewNonce();
            var req = OcspRequestBuilder.Build(_pki.Leaf, _pki.Ca, OcspHashAlgorithm.Sha256, nonce);
            var parsed = Org.BouncyCastle.Asn1.Ocsp.OcspRequest.GetInstance(Asn1Object.FromByteArray(req.GetRawData()));
            var certId = Org.BouncyCastle.Asn1.Ocsp.Request.GetInstance(parsed.TbsRequest.RequestList[0]).ReqCert;
            Assert.Equal(req.CertificateId.Asn1, certId);
            Assert.Equal(nonce, OcspResponseParser.NonceOf(parsed.TbsRequest.RequestExtensions));
            Assert.Equal(nonce, req.Nonce);
            Assert.DoesNotContain("+", req.ToUrlPath());
            Assert.Null(OcspRequestBuilder.Build(_pki.Leaf, _pki.Ca).Nonce);
            Assert.Throws<ArgumentException>(() => OcspRequestBuilder.Build(_pki.Leaf, _pki.Ca, nonce: new byte[33]));
        }

        [Fact]
        public void The_nonce_must_match_when_one_was_sent()
        {
            var nonce = OcspRequestBuilder.NewNonce();
            var echoed = Make(RevocationStatus.Good, o => o.Nonce = nonce);
            Assert.Equal(nonce, echoed.Nonce);
            Assert.Equal(RevocationStatus.Good, OcspResponseValidator.Validate(echoed, _pki.Leaf, _pki.Ca, RevocationMethod.Ocsp, expectedNonce: nonce).Status);

            var other = OcspResponseValidator.Validate(echoed, _pki.Leaf, _pki.Ca, RevocationMethod.Ocsp, expectedNonce: OcspRequestBuilder.NewNonce());
            Assert.Equal(RevocationStatus.Unavailable, other.Status);
            Assert.Contains("nonce does not match", other.Message);

            var none = OcspResponseValidator.Validate(Make(RevocationStatus.Good), _pki.Leaf, _pki.Ca, RevocationMethod.Ocsp, expectedNonce: nonce);
            Assert.Equal(RevocationStatus.Unavailable, none.Status);
            Assert.Contains("carries none", none.Message);
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void A_delegated_responder_with_OCSPSigning_is_believed(bool byKey)
        {
            var r = Make(RevocationStatus.Revoked, o => { o.Responder = _pki.Responder; o.ResponderIdByKey = byKey; });
            Assert.Single(r.Certificates);
            Assert.Equal(byKey ? null : "CN=OCSP Responder", r.ResponderName);
            Assert.Equal(byKey, r.ResponderKeyHash != null);
            var info = OcspResponseValidator.Validate(r, _pki.Leaf, _pki.Ca, RevocationMethod.Ocsp);
            Assert.Equal(RevocationStatus.Revoked, info.Status);
        }

        [Fact]
        public void A_delegated_responder_without_OCSPSigning_is_not_believed()
        {
            var r = Make(RevocationStatus.Good, o => o.Responder = _pki.ResponderWithoutEku);
            var info = OcspResponseValidator.Validate(r, _pki.Leaf, _pki.Ca, RevocationMethod.Ocsp);
            Assert.Equal(RevocationStatus.Unavailable, info.Status);
            Assert.Contains("OCSPSigning", info.Message);
        }

        [Fact]
        public void A_responder_the_issuer_did_not_certify_is_not_believed()
        {
            var foreign = OcspTestCertificates.Responder(_pki.OtherCa, "CN=Foreign Responder", ocspSigning: true);
            // signed by a responder issued by another CA of the same name: the issuer's key did not sign its certificate
            var r = Make(RevocationStatus.Good, o => o.Responder = foreign);
            var info = OcspResponseValidator.Validate(r, _pki.Leaf, _pki.Ca, RevocationMethod.Ocsp);
            Assert.Equal(RevocationStatus.Unavailable, info.Status);
            Assert.Contains("not issued by", info.Message);
        }

        [Fact]
        public void An_expired_responder_certificate_is_not_believed()
        {
            var expired = OcspTestCertificates.Responder(_pki.Ca, "CN=Old Responder", ocspSigning: true, notAfter: DateTime.UtcNow.AddHours(-1));
            var r = Make(RevocationStatus.Good, o => o.Responder = expired);
            var info = OcspResponseValidator.Validate(r, _pki.Leaf, _pki.Ca, RevocationMethod.Ocsp);
            Assert.Equal(RevocationStatus.Unavailable, info.Status);
            Assert.Contains("not valid now", info.Message);
        }

        [Fact]
        public void A_response_signed_by_another_key_of_the_same_name_is_not_believed()
        {
            var r = OcspResponseBuilder.Build(new OcspResponseOptions { Certificate = _pki.Leaf, Issuer = _pki.Ca, Status = RevocationStatus.Good });
            // the same name, another key: the CertID's key hash differs, so the response is not about this issuer
            var info = OcspResponseValidator.Validate(r, _pki.Leaf, _pki.OtherCa, RevocationMethod.Ocsp);
            Assert.Equal(RevocationStatus.Unavailable, info.Status);
        }

        [Fact]
        public void A_tampered_signature_is_not_believed()
        {
            var der = Make(RevocationStatus.Revoked).GetRawData();
            // flip the last byte (inside the signature BIT STRING) and the revoked status byte is left alone
            der[der.Length - 1] ^= 0x01;
            var tampered = OcspResponseParser.Parse(der);
            var info = OcspResponseValidator.Validate(tampered, _pki.Leaf, _pki.Ca, RevocationMethod.Ocsp);
            Assert.Equal(RevocationStatus.Unavailable, info.Status);
            Assert.Contains("signature does not verify", info.Message);
        }

        [Fact]
        public void A_response_about_another_certificate_is_not_believed()
        {
            var info = OcspResponseValidator.Validate(Make(RevocationStatus.Good), _pki.Other, _pki.Ca, RevocationMethod.Ocsp);
            Assert.Equal(RevocationStatus.Unavailable, info.Status);
            Assert.Contains("not about this certificate", info.Message);
        }

        [Fact]
        public void Stale_and_future_responses_are_not_believed()
        {
            var stale = Make(RevocationStatus.Good, o => { o.ThisUpdate = DateTime.UtcNow.AddDays(-3); o.NextUpdate = DateTime.UtcNow.AddDays(-1); });
            var info = OcspResponseValidator.Validate(stale, _pki.Leaf, _pki.Ca, RevocationMethod.Staple);
            Assert.Equal(RevocationStatus.Unavailable, info.Status);
            Assert.Contains("stale", info.Message);
            Assert.NotNull(info.NextUpdate);

            var future = Make(RevocationStatus.Good, o => o.ThisUpdate = DateTime.UtcNow.AddHours(1));
            Assert.Equal(RevocationStatus.Unavailable, OcspResponseValidator.Validate(future, _pki.Leaf, _pki.Ca, RevocationMethod.Ocsp).Status);
            // within the allowed skew it is fine; judged at a later time the stale one is good again at its own time
            var slightlyAhead = Make(RevocationStatus.Good, o => o.ThisUpdate = DateTime.UtcNow.AddMinutes(2));
            Assert.Equal(RevocationStatus.Good, OcspResponseValidator.Validate(slightlyAhead, _pki.Leaf, _pki.Ca, RevocationMethod.Ocsp).Status);
            Assert.Equal(RevocationStatus.Good, OcspResponseValidator.Validate(stale, _pki.Leaf, _pki.Ca, RevocationMethod.Ocsp, at: DateTime.UtcNow.AddDays(-2)).Status);
        }

        [Theory]
        [InlineData(OcspResponseStatus.TryLater)]
        [InlineData(OcspResponseStatus.Unauthorized)]
        public void An_error_response_is_unavailable(OcspResponseStatus status)
        {
            var r = OcspResponseBuilder.BuildError(status);
            Assert.Equal(status, r.ResponseStatus);
            Assert.Empty(r.Responses);
            var info = OcspResponseValidator.Validate(r, _pki.Leaf, _pki.Ca, RevocationMethod.Ocsp);
            Assert.Equal(RevocationStatus.Unavailable, info.Status);
            Assert.Contains(status.ToString(), info.Message);
        }

        [Fact]
        public void The_builder_refuses_an_issuer_without_key_and_a_certificate_it_did_not_issue()
        {
            var e = Assert.Throws<TlsToolsException>(() => Make(RevocationStatus.Good, o => o.Issuer = _pki.Ca.WithoutPrivateKey()));
            Assert.Equal(ErrorIds.IssuerHasNoPrivateKey, e.ErrorId);
            e = Assert.Throws<TlsToolsException>(() => Make(RevocationStatus.Good, o => o.Issuer = _pki.OtherCa));
            Assert.Equal(ErrorIds.NotIssuedByIssuer, e.ErrorId);
            e = Assert.Throws<TlsToolsException>(() => Make(RevocationStatus.Good, o => { o.ThisUpdate = DateTime.UtcNow; o.NextUpdate = DateTime.UtcNow.AddDays(-1); }));
            Assert.Equal(ErrorIds.InvalidNextUpdate, e.ErrorId);
            Assert.Throws<ArgumentException>(() => Make(RevocationStatus.Unavailable));
        }

        [Theory]
        [InlineData("")]
        [InlineData("30")]
        [InlineData("3003020101")]               // responseStatus 1 but not ENUMERATED
        [InlineData("30030a0104")]               // responseStatus 4 is not defined
        [InlineData("30030a0100")]               // successful without responseBytes
        [InlineData("30030a01030000")]           // trailing bytes
        [InlineData("300fa00d300b06092b0601050507300102")] // wrong response type
        [InlineData("deadbeef")]
        public void Malformed_responses_fail_with_OcspResponseMalformed(string hex)
        {
            var bytes = Org.BouncyCastle.Utilities.Encoders.Hex.Decode(hex);
            var e = Assert.Throws<TlsToolsException>(() => OcspResponseParser.Parse(bytes));
            Assert.Equal(ErrorIds.OcspResponseMalformed, e.ErrorId);
            Assert.Equal(ErrorKind.InvalidData, e.Kind);
        }

        [Fact]
        public void Truncations_of_a_real_response_fail_cleanly()
        {
            var der = Make(RevocationStatus.Revoked, o => o.Responder = _pki.Responder).GetRawData();
            for (int n = 0; n < der.Length; n += 7)
            {
                var e = Assert.Throws<TlsToolsException>(() => OcspResponseParser.Parse(der.Take(n).ToArray()));
                Assert.Equal(ErrorIds.OcspResponseMalformed, e.ErrorId);
            }
        }

        [Fact]
        public void Mutated_responses_fail_cleanly_and_are_never_believed()
        {
            // Seeded, so a failure reproduces: 3,000 mutants of a signed Revoked response (byte flips, truncations,
            // insertions). Each parses to an OcspResponseMalformed error or is judged; none may come out Good, and any
            // that is still believed must say exactly what the original said.
            var original = Make(RevocationStatus.Revoked, o => o.Responder = _pki.Responder).GetRawData();
            var random = new Random(14);
            int malformed = 0, unavailable = 0;
            for (int i = 0; i < 3000; i++)
            {
                var data = original.ToList();
                for (int k = random.Next(1, 4); k > 0; k--)
                {
                    int at = random.Next(data.Count);
                    switch (random.Next(3))
                    {
                        case 0: data[at] ^= (byte)(1 << random.Next(8)); break;
                        case 1: data.RemoveRange(at, Math.Min(random.Next(1, 9), data.Count - at)); break;
                        default: data.Insert(at, (byte)random.Next(256)); break;
                    }
                    if (data.Count == 0) data.Add(0);
                }
                OcspResponse parsed;
                try { parsed = OcspResponseParser.Parse(data.ToArray()); }
                catch (TlsToolsException e)
                {
                    Assert.Equal(ErrorIds.OcspResponseMalformed, e.ErrorId);
                    malformed++;
                    continue;
                }
                var info = OcspResponseValidator.Validate(parsed, _pki.Leaf, _pki.Ca, RevocationMethod.Ocsp);
                Assert.NotEqual(RevocationStatus.Good, info.Status);
                if (info.Status == RevocationStatus.Unavailable) { unavailable++; Assert.False(string.IsNullOrEmpty(info.Message)); }
                else Assert.Equal("KeyCompromise", info.Reason);
            }
            Assert.True(malformed > 1000 && unavailable > 100, malformed + " malformed, " + unavailable + " unavailable");
        }

        [Fact]
        public void An_oversized_response_is_refused_before_parsing()
        {
            var e = Assert.Throws<TlsToolsException>(() => OcspResponseParser.Parse(new byte[OcspResponseParser.MaxResponseBytes + 1]));
            Assert.Equal(ErrorIds.OcspResponseTooLarge, e.ErrorId);
            Assert.Equal(ErrorKind.LimitsExceeded, e.Kind);
        }
    }
}
