using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using TlsTools.Pki;
using TlsTools.Revocation;
using TlsTools.Revocation.Online;
using TlsTools.Tests.Tls;
using TlsTools.Validation;
using Xunit;

namespace TlsTools.Tests.Revocation
{
    /// <summary>
    /// -Online in the core against a loopback HTTP server: AIA completion, CRLs from distribution points, Unavailable under
    /// Warn and Fail, refused/hanging/oversized/garbage answers, redirects, the per-run cache, cancellation, and no fetch
    /// without a session.
    /// </summary>
    public sealed class OnlineChainValidatorTests : IDisposable
    {
        private readonly OnlineHttpServer _http = new OnlineHttpServer();
        private readonly PrivateKey _rootKey = KeyFactory.Generate(KeyAlgorithm.EcdsaP256);
        private readonly PrivateKey _interKey = KeyFactory.Generate(KeyAlgorithm.EcdsaP256);
        private readonly Certificate _root;
        private readonly Certificate _inter;

        public OnlineChainValidatorTests()
        {
            _root = Issuance.CreateCa(new CertificateOptions { Subject = "CN=Online Root" }, _rootKey, null);
            _inter = Issuance.CreateCa(new CertificateOptions { Subject = "CN=Online Issuing CA", CrlDistributionPoints = { _http.Url("/root.crl") } }, _interKey, _root);
            _http.Route("/root.crl", Crl(_root).GetRawData());
            _http.Route("/inter.cer", _inter.GetRawData());
        }

        public void Dispose() => _http.Dispose();

        private static CertificateRevocationList Crl(Certificate issuer, params Certificate[] revoked) =>
            Issuance.CreateCrl(issuer, revoked.Select(c => (c.SerialNumber, DateTime.UtcNow.AddMinutes(-5), (RevocationReason?)RevocationReason.KeyCompromise)));

        private Certificate Leaf(string? caIssuers = "/inter.cer", string? crl = "/inter.crl", params string[] moreCrls)
        {
            var o = new CertificateOptions { DnsNames = { "www.example.com" } };
            if (caIssuers != null) o.CaIssuersUrls.Add(caIssuers.StartsWith("/") ? _http.Url(caIssuers) : caIssuers);
            if (crl != null) o.CrlDistributionPoints.Add(crl.StartsWith("/") ? _http.Url(crl) : crl);
            foreach (var u in moreCrls) o.CrlDistributionPoints.Add(u);
            return Issuance.CreateLeaf(o, _inter.WithPrivateKey(_interKey), null, KeyFactory.Generate(KeyAlgorithm.EcdsaP256));
        }

        private ChainValidationRequest Request(Certificate leaf, bool withIntermediate = false) => new ChainValidationRequest(leaf)
        {
            Intermediates = withIntermediate ? new List<Certificate> { _inter } : new List<Certificate>(),
            TrustedRoots = new List<Certificate> { _root },
            DnsName = "www.example.com",
        };

        private static OnlineSession Session(RevocationFailureAction action = RevocationFailureAction.Warn, double timeoutSeconds = 5, int maxBytes = HttpFetcher.DefaultMaxResponseBytes) =>
            new OnlineSession(new HttpFetcher { Timeout = TimeSpan.FromSeconds(timeoutSeconds), MaxResponseBytes = maxBytes }, action);

        [Fact]
        public async Task MissingIntermediate_IsFetchedFromAia_AndTheIncompleteChainIsAFinding()
        {
            var leaf = Leaf();
            _http.Route("/inter.crl", Crl(_inter).GetRawData());
            using var session = Session();
            var result = await OnlineChainValidator.ValidateAsync(Request(leaf), session);

            Assert.True(result.IsValid, string.Join("; ", result.Failures.Select(f => f.Message)));
            Assert.Equal(new[] { leaf, _inter, _root }, result.Chain);
            var fetched = Assert.Single(result.CompletedFromAia);
            Assert.Equal(_inter, fetched.Certificate);
            Assert.Equal(_http.Url("/inter.cer"), fetched.Url);
            Assert.Contains(result.Warnings, w => w.Check == ValidationCheck.IncompleteChain && w.Message.Contains("/inter.cer"));
            // Revocation decided per certificate by the fetched CRLs; the anchor is not checked.
            Assert.Equal(3, result.Revocation.Length);
            Assert.Equal((RevocationMethod.Crl, RevocationStatus.Good, _http.Url("/inter.crl")), (result.Revocation[0].Method, result.Revocation[0].Status, result.Revocation[0].Source));
            Assert.Equal((RevocationMethod.Crl, RevocationStatus.Good, _http.Url("/root.crl")), (result.Revocation[1].Method, result.Revocation[1].Status, result.Revocation[1].Source));
            Assert.Equal(RevocationMethod.None, result.Revocation[2].Method);
            Assert.NotNull(result.Revocation[0].NextUpdate);
        }

        [Fact]
        public async Task AiaServingPem_AlsoCompletes()
        {
            _http.Route("/inter.pem", Encoding.ASCII.GetBytes(_inter.ToPem()));
            _http.Route("/inter.crl", Crl(_inter).GetRawData());
            using var session = Session();
            var result = await OnlineChainValidator.ValidateAsync(Request(Leaf("/inter.pem")), session);
            Assert.True(result.IsValid, string.Join("; ", result.Failures.Select(f => f.Message)));
            Assert.Single(result.CompletedFromAia);
        }

        [Fact]
        public void WithoutASession_NothingIsFetched()
        {
            var leaf = Leaf();
            var result = ChainValidator.Validate(Request(leaf));
            Assert.Contains(result.Failures, f => f.Check == ValidationCheck.MissingIssuer);
            Assert.All(result.Revocation, r => Assert.Equal(RevocationMethod.None, r.Method));
            Assert.Empty(result.CompletedFromAia);
            Assert.Empty(_http.Requests);
        }

        [Fact]
        public async Task RevokedInTheFetchedCrl_FailsWithRevoked_AndSaysWhy()
        {
            var leaf = Leaf();
            _http.Route("/inter.crl", Crl(_inter, leaf).GetRawData());
            using var session = Session();
            var result = await OnlineChainValidator.ValidateAsync(Request(leaf, withIntermediate: true), session);
            Assert.False(result.IsValid);
            Assert.Contains(result.Failures, f => f.Check == ValidationCheck.Revoked && f.Certificate == leaf);
            var r = result.Revocation[0];
            Assert.Equal((RevocationMethod.Crl, RevocationStatus.Revoked), (r.Method, r.Status));
            Assert.Equal("KeyCompromise", r.Reason);
            Assert.NotNull(r.RevocationTime);
            Assert.Empty(result.CompletedFromAia);
            Assert.DoesNotContain("GET /inter.cer", _http.Requests);
        }

        [Fact]
        public async Task UnreachableCrl_IsUnavailable_WarnKeepsTheChainValid_FailFailsIt()
        {
            using var refused = new RefusedPort();
            var leaf = Leaf(crl: "http://127.0.0.1:" + refused.Port + "/inter.crl");
            using (var warn = Session())
            {
                var result = await OnlineChainValidator.ValidateAsync(Request(leaf, true), warn);
                Assert.True(result.IsValid, string.Join("; ", result.Failures.Select(f => f.Message)));
                Assert.Equal(RevocationStatus.Unavailable, result.Revocation[0].Status);
                Assert.Contains(ErrorIds.OnlineFetchFailed, result.Revocation[0].Message);
                Assert.Contains(result.Warnings, w => w.Check == ValidationCheck.RevocationUnavailable && w.Certificate == leaf);
            }
            using (var fail = Session(RevocationFailureAction.Fail))
            {
                var result = await OnlineChainValidator.ValidateAsync(Request(leaf, true), fail);
                Assert.False(result.IsValid);
                var f = Assert.Single(result.Failures);
                Assert.Equal(ValidationCheck.RevocationUnavailable, f.Check);
                Assert.Equal(leaf, f.Certificate);
            }
        }

        [Fact]
        public async Task ACertificateWithoutAnyUrl_IsUnavailableUnderOnline()
        {
            var leaf = Leaf(caIssuers: null, crl: null);
            using var session = Session(RevocationFailureAction.Fail);
            var result = await OnlineChainValidator.ValidateAsync(Request(leaf, true), session);
            Assert.Contains(result.Failures, f => f.Check == ValidationCheck.RevocationUnavailable && f.Message.Contains("no OCSP responder and no CRL distribution point"));
            Assert.Equal((RevocationMethod.None, RevocationStatus.Unavailable), (result.Revocation[0].Method, result.Revocation[0].Status));
        }

        [Fact]
        public async Task AResponderThatNeverAnswers_TimesOutWithinTheBound()
        {
            _http.Route("/inter.crl", _ => new OnlineReply { Hang = true });
            var leaf = Leaf();
            using var session = Session(timeoutSeconds: 1);
            var clock = Stopwatch.StartNew();
            var result = await OnlineChainValidator.ValidateAsync(Request(leaf, true), session);
            clock.Stop();
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), "took " + clock.Elapsed);
            Assert.Equal(RevocationStatus.Unavailable, result.Revocation[0].Status);
            Assert.Contains(session.Fetches, f => f.Url.EndsWith("/inter.crl") && f.ErrorId == ErrorIds.OnlineFetchTimeout);
        }

        [Fact]
        public async Task OversizedAndGarbageAnswers_AreBoundedAndNamed()
        {
            _http.Route("/big.crl", _ => new OnlineReply { Body = new byte[300_000], OmitLength = true });
            _http.Route("/big2.crl", _ => new OnlineReply { Body = new byte[300_000] });
            _http.Route("/garbage.crl", Encoding.ASCII.GetBytes("<html>not a CRL</html>"));
            using var session = Session(maxBytes: 100_000);
            foreach (var (path, id) in new[] { ("/big.crl", ErrorIds.OnlineResponseTooLarge), ("/big2.crl", ErrorIds.OnlineResponseTooLarge), ("/garbage.crl", ErrorIds.OnlineResponseInvalid) })
            {
                var result = await OnlineChainValidator.ValidateAsync(Request(Leaf(crl: path), true), session);
                Assert.True(result.IsValid);
                Assert.Equal(RevocationStatus.Unavailable, result.Revocation[0].Status);
                Assert.Contains(id, result.Revocation[0].Message);
            }
        }

        [Fact]
        public async Task Redirects_AreFollowedAFewTimes_ThenRefused()
        {
            _http.Route("/inter.crl", Crl(_inter).GetRawData());
            _http.Route("/moved.crl", _ => new OnlineReply { Status = 302, Location = "/inter.crl" });
            _http.Route("/loop.crl", _ => new OnlineReply { Status = 301, Location = "/loop.crl" });
            using var session = Session();
            var moved = await OnlineChainValidator.ValidateAsync(Request(Leaf(crl: "/moved.crl"), true), session);
            Assert.Equal((RevocationMethod.Crl, RevocationStatus.Good), (moved.Revocation[0].Method, moved.Revocation[0].Status));
            var loop = await OnlineChainValidator.ValidateAsync(Request(Leaf(crl: "/loop.crl"), true), session);
            Assert.Equal(RevocationStatus.Unavailable, loop.Revocation[0].Status);
            Assert.Contains("redirects", loop.Revocation[0].Message);
            Assert.Equal(1 + HttpFetcher.DefaultMaxRedirects, _http.Requests.Count(r => r == "GET /loop.crl"));
        }

        [Fact]
        public async Task EachUrlIsFetchedOncePerRun()
        {
            _http.Route("/inter.crl", Crl(_inter).GetRawData());
            using var session = Session();
            for (int i = 0; i < 3; i++)
            {
                var result = await OnlineChainValidator.ValidateAsync(Request(Leaf()), session);
                Assert.True(result.IsValid);
            }
            Assert.Equal(1, _http.Requests.Count(r => r == "GET /inter.cer"));
            Assert.Equal(1, _http.Requests.Count(r => r == "GET /inter.crl"));
            Assert.Equal(1, _http.Requests.Count(r => r == "GET /root.crl"));
        }

        [Fact]
        public async Task Cancellation_StopsAHangingFetchAtOnce()
        {
            _http.Route("/inter.crl", _ => new OnlineReply { Hang = true });
            using var session = Session(timeoutSeconds: 60);
            using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
            var clock = Stopwatch.StartNew();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => OnlineChainValidator.ValidateAsync(Request(Leaf(), true), session, cts.Token));
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), "took " + clock.Elapsed);
        }

        private Certificate OcspLeaf(string ocspPath) =>
            Issuance.CreateLeaf(new CertificateOptions { DnsNames = { "www.example.com" }, OcspUrls = { _http.Url(ocspPath) }, CrlDistributionPoints = { _http.Url("/inter.crl") } },
                _inter.WithPrivateKey(_interKey), null, KeyFactory.Generate(KeyAlgorithm.EcdsaP256));

        private byte[] OcspAnswer(Certificate leaf, RevocationStatus status) =>
            OcspResponseBuilder.Build(new OcspResponseOptions
            {
                Certificate = leaf, Issuer = _inter.WithPrivateKey(_interKey), Status = status,
                RevocationReason = status == RevocationStatus.Revoked ? RevocationReason.KeyCompromise : null,
                RevocationTime = status == RevocationStatus.Revoked ? DateTime.UtcNow.AddHours(-1) : null,
            }).GetRawData();

        [Fact]
        public async Task Ocsp_GoodAndRevoked_ArePostedAndDecide_AndACrlIsNotFetchedThen()
        {
            _http.Route("/inter.crl", Crl(_inter).GetRawData());
            var good = OcspLeaf("/ocsp-good");
            var revoked = OcspLeaf("/ocsp-revoked");
            _http.Route("/ocsp-good", _ => OnlineReply.Of(OcspAnswer(good, RevocationStatus.Good)));
            _http.Route("/ocsp-revoked", _ => OnlineReply.Of(OcspAnswer(revoked, RevocationStatus.Revoked)));
            using var session = Session();

            var g = await OnlineChainValidator.ValidateAsync(Request(good, true), session);
            Assert.True(g.IsValid, string.Join("; ", g.Failures.Select(f => f.Message)));
            Assert.Equal((RevocationMethod.Ocsp, RevocationStatus.Good, _http.Url("/ocsp-good")), (g.Revocation[0].Method, g.Revocation[0].Status, g.Revocation[0].Source));
            Assert.Contains("POST /ocsp-good", _http.Requests);
            Assert.DoesNotContain("GET /inter.crl", _http.Requests);

            var r = await OnlineChainValidator.ValidateAsync(Request(revoked, true), session);
            Assert.False(r.IsValid);
            Assert.Contains(r.Failures, f => f.Check == ValidationCheck.Revoked && f.Certificate == revoked && f.Message.Contains("Ocsp"));
            Assert.Equal((RevocationMethod.Ocsp, RevocationStatus.Revoked), (r.Revocation[0].Method, r.Revocation[0].Status));
            Assert.NotNull(r.Revocation[0].Reason);
        }

        [Fact]
        public async Task Ocsp_AnswerForAnotherCertificateOrGarbage_FallsBackToTheCrl()
        {
            _http.Route("/inter.crl", Crl(_inter).GetRawData());
            var leaf = OcspLeaf("/ocsp-wrong");
            var other = OcspLeaf("/unused");
            _http.Route("/ocsp-wrong", _ => OnlineReply.Of(OcspAnswer(other, RevocationStatus.Good)));
            using var session = Session(RevocationFailureAction.Fail);
            var result = await OnlineChainValidator.ValidateAsync(Request(leaf, true), session);
            Assert.Equal((RevocationMethod.Crl, RevocationStatus.Good), (result.Revocation[0].Method, result.Revocation[0].Status));
            Assert.Contains("POST /ocsp-wrong", _http.Requests);
            Assert.Contains("GET /inter.crl", _http.Requests);

            _http.Route("/inter.crl", _ => new OnlineReply { Status = 500 });
            var garbage = OcspLeaf("/ocsp-garbage");
            _http.Route("/ocsp-garbage", Encoding.ASCII.GetBytes("no"));
            var none = await OnlineChainValidator.ValidateAsync(Request(garbage, true), Session(RevocationFailureAction.Fail));
            Assert.False(none.IsValid);
            Assert.Equal((RevocationMethod.Ocsp, RevocationStatus.Unavailable), (none.Revocation[0].Method, none.Revocation[0].Status));
            Assert.Contains(ErrorIds.OnlineResponseInvalid, none.Revocation[0].Message);
            Assert.Contains("HTTP 500", none.Revocation[0].Message);
        }

        [Fact]
        public void ACallerGivenCrl_ReportsMethodCrl()
        {
            var leaf = Leaf();
            var request = Request(leaf, true);
            request.Crls = new List<CertificateRevocationList> { Crl(_inter, leaf) };
            var result = ChainValidator.Validate(request);
            Assert.Contains(result.Failures, f => f.Check == ValidationCheck.Revoked);
            Assert.Equal((RevocationMethod.Crl, RevocationStatus.Revoked), (result.Revocation[0].Method, result.Revocation[0].Status));
            Assert.Equal(RevocationMethod.None, result.Revocation[1].Method);
            Assert.Empty(_http.Requests);
        }

        [Fact]
        public void AnswersGiven_RevokedFails_UnknownFollowsRevocationFailure()
        {
            var leaf = Leaf();
            var request = Request(leaf, true);
            request.RevocationAnswers.Add(new RevocationInfo(leaf, RevocationMethod.Ocsp, RevocationStatus.Revoked) { Source = "http://127.0.0.1/ocsp", Reason = "keyCompromise" });
            var revoked = ChainValidator.Validate(request);
            Assert.Contains(revoked.Failures, f => f.Check == ValidationCheck.Revoked && f.Message.Contains("keyCompromise"));

            request.RevocationAnswers.Clear();
            request.RevocationAnswers.Add(new RevocationInfo(leaf, RevocationMethod.Ocsp, RevocationStatus.Unknown) { Source = "http://127.0.0.1/ocsp" });
            var warn = ChainValidator.Validate(request);
            Assert.True(warn.IsValid);
            Assert.Contains(warn.Warnings, w => w.Check == ValidationCheck.RevocationUnavailable);
            request.RevocationFailure = RevocationFailureAction.Fail;
            var fail = ChainValidator.Validate(request);
            Assert.Contains(fail.Failures, f => f.Check == ValidationCheck.RevocationUnavailable);
        }
    }
}
