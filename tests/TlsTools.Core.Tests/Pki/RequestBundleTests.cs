using System;
using System.Linq;
using System.Text;
using System.Threading;
using TlsTools.Formats;
using TlsTools.Pki;
using Xunit;

namespace TlsTools.Tests.Pki
{
    /// <summary>
    /// A PEM bundle of requests is parsed and its keys validated in parallel (issue 16): the same requests, in file order,
    /// and the same error as a one-by-one reading.
    /// </summary>
    public class RequestBundleTests
    {
        private static string Bundle(int count, int badAt = -1)
        {
            var keys = new[] { KeyFactory.Generate(KeyAlgorithm.Rsa2048), KeyFactory.Generate(KeyAlgorithm.EcdsaP256) };
            return string.Concat(Enumerable.Range(0, count).Select(i => i == badAt
                ? "-----BEGIN CERTIFICATE REQUEST-----\nAAAAAAAA\n-----END CERTIFICATE REQUEST-----\n"
                : Issuance.CreateRequest(new RequestOptions { DnsNames = { $"host{i}.bundle.test" } }, keys[i % 2]).ToPem()));
        }

        [Fact]
        public void A_bundle_comes_back_in_file_order_equal_to_each_block_read_alone()
        {
            var pem = Bundle(24);
            var all = PkiReader.ReadCertificateRequests(Encoding.ASCII.GetBytes(pem));
            Assert.Equal(Enumerable.Range(0, 24).Select(i => $"host{i}.bundle.test"), all.Select(r => r.DnsNames.Single()));
            var alone = Pem.Decode(pem).Select(b => PkiReader.ReadCertificateRequests(b.Data)[0]).ToList();
            Assert.Equal(alone.Select(r => r.PublicKeySha256 + r.SignatureValid + r.KeyAlgorithm), all.Select(r => r.PublicKeySha256 + r.SignatureValid + r.KeyAlgorithm));
            Assert.All(all, r => Assert.True(r.SignatureValid));
        }

        [Fact]
        public void A_bad_block_in_a_bundle_fails_the_read_with_InvalidCertificateRequest_as_before()
        {
            var e = Assert.Throws<TlsToolsException>(() => PkiReader.ReadCertificateRequests(Encoding.ASCII.GetBytes(Bundle(12, badAt: 7))));
            Assert.Equal(ErrorIds.InvalidCertificateRequest, e.ErrorId);
        }

        [Fact]
        public void A_cancelled_read_of_a_bundle_stops()
        {
            using (var cts = new CancellationTokenSource())
            {
                cts.Cancel();
                Assert.ThrowsAny<OperationCanceledException>(() => PkiReader.ReadCertificateRequests(Encoding.ASCII.GetBytes(Bundle(4)), cts.Token));
            }
        }
    }
}
