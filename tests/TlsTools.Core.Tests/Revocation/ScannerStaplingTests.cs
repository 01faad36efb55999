using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using TlsTools.Pki;
using TlsTools.Revocation;
using TlsTools.Scanning;
using TlsTools.Tests.Tls;
using TlsTools.Tls;
using Xunit;

namespace TlsTools.Tests.Revocation
{
    /// <summary>
    /// Get-TlsServerProfile's OcspStapling is true only for a real, successful staple (issue 11's finding: it was also true
    /// when the server only echoed status_request). openssl s_server 3 echoes status_request only with -status_file; a
    /// stapled tryLater response is echoed and sent, but is no staple of a status.
    /// </summary>
    public class ScannerStaplingTests
    {
        private static string Write(OcspResponse response)
        {
            Directory.CreateDirectory(TestPki.Dir);
            var path = Path.Combine(TestPki.Dir, "scan-staple-" + Guid.NewGuid().ToString("N").Substring(0, 8) + ".der");
            File.WriteAllBytes(path, response.GetRawData());
            return path;
        }

        private static async Task<ServerProfile> Scan(int port)
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
            return await TlsServerScanner.ScanAsync(new ScanOptions { HostName = "127.0.0.1", Port = port, Timeout = TimeSpan.FromSeconds(10), MaxConcurrency = 4 }, null, cts.Token);
        }

        [Fact]
        public async Task OcspStapling_is_true_only_when_a_successful_response_is_stapled()
        {
            var leaf = TestPki.Leaf(KeyAlgorithm.EcdsaP256);
            var good = Write(OcspResponseBuilder.Build(new OcspResponseOptions { Certificate = leaf.Cert, Issuer = TestPki.Ca, Status = RevocationStatus.Good }));
            var tryLater = Write(OcspResponseBuilder.BuildError(OcspResponseStatus.TryLater));

            using (var plain = new OpenSslServer(leaf, "-no_tls1_3"))
                Assert.False((await Scan(plain.Port)).OcspStapling);
            using (var stapling = new OpenSslServer(leaf, "-no_tls1_3", "-status_file", good))
                Assert.True((await Scan(stapling.Port)).OcspStapling);
            using (var echoOnly = new OpenSslServer(leaf, "-no_tls1_3", "-status_file", tryLater))
            {
                // The server does answer status_request (the handshake client sees the echo and the tryLater staple) ...
                var r = await new TlsClientRunner().HandshakeAsync(TlsClientRunnerTests.Opt(echoOnly.Port, o => o.TlsVersions = new[] { TlsVersion.Tls12 }));
                Assert.True(r.Success, r.Error);
                var hello = Assert.Single(r.Transcript, m => m.Type == TranscriptMessageType.ServerHello);
                Assert.True(((System.Collections.Specialized.OrderedDictionary)hello.Fields["Extensions"]!).Contains("status_request"));
                Assert.Equal(RevocationStatus.Unavailable, r.OcspStaple!.Status);
                Assert.Contains("TryLater", r.OcspStaple.Message);
                // ... but that is no stapled status.
                Assert.False((await Scan(echoOnly.Port)).OcspStapling);
            }
        }
    }
}
