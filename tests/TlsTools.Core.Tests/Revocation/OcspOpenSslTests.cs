using System;
using System.Diagnostics;
using System.IO;
using System.Text;
using TlsTools.Pki;
using TlsTools.Revocation;
using TlsTools.Tests.Tls;
using Xunit;

namespace TlsTools.Tests.Revocation
{
    /// <summary>
    /// Our requests answered by OpenSSL's responder (openssl ocsp -index, offline with -reqin/-respout), and our responses
    /// read by openssl ocsp -respin: the same CertIDs, statuses, reasons and nonces both ways.
    /// </summary>
    public class OcspOpenSslTests : IClassFixture<OcspPki>, IDisposable
    {
        private readonly OcspPki _pki;
        private readonly string _dir = Path.Combine(Path.GetTempPath(), "tlstools-ocsp-" + Guid.NewGuid().ToString("N").Substring(0, 10));

        public OcspOpenSslTests(OcspPki pki)
        {
            _pki = pki;
            Directory.CreateDirectory(_dir);
            File.WriteAllText(Path.Combine(_dir, "ca.pem"), _pki.Ca.ToPem());
            File.WriteAllText(Path.Combine(_dir, "ca.key"), TestPki.KeyPem(_pki.Ca.PrivateKey!));
            File.WriteAllText(Path.Combine(_dir, "leaf.pem"), _pki.Leaf.ToPem());
        }

        public void Dispose()
        {
            try { Directory.Delete(_dir, true); } catch (IOException) { }
        }

        [Theory]
        [InlineData("V", OcspHashAlgorithm.Sha1, RevocationStatus.Good, null)]
        [InlineData("R", OcspHashAlgorithm.Sha1, RevocationStatus.Revoked, "KeyCompromise")]
        [InlineData("R", OcspHashAlgorithm.Sha256, RevocationStatus.Revoked, "KeyCompromise")]
        [InlineData("", OcspHashAlgorithm.Sha256, RevocationStatus.Unknown, null)]
        public void OpenSsl_answers_our_request_and_we_read_its_answer(string indexState, OcspHashAlgorithm hash, RevocationStatus expected, string? reason)
        {
            var expiry = _pki.Leaf.NotAfter.ToString("yyMMddHHmmss") + "Z";
            var line = indexState == "" ? "" : indexState + "\t" + expiry + "\t" + (indexState == "R" ? "250101000000Z,keyCompromise" : "") + "\t" + _pki.Leaf.SerialNumber + "\tunknown\t/CN=ocsp.example.test\n";
            File.WriteAllText(Path.Combine(_dir, "index.txt"), line);
            var nonce = OcspRequestBuilder.NewNonce();
            var request = OcspRequestBuilder.Build(_pki.Leaf, _pki.Ca, hash, nonce);
            File.WriteAllBytes(Path.Combine(_dir, "req.der"), request.GetRawData());

            Run("ocsp", "-index", "index.txt", "-rsigner", "ca.pem", "-rkey", "ca.key", "-CA", "ca.pem", "-ndays", "1", "-reqin", "req.der", "-respout", "resp.der");
            var response = OcspResponseParser.Parse(File.ReadAllBytes(Path.Combine(_dir, "resp.der")));
            var info = OcspResponseValidator.Validate(response, _pki.Leaf, _pki.Ca, RevocationMethod.Ocsp, expectedNonce: nonce);

            Assert.Equal(expected, info.Status);
            Assert.Equal(reason, info.Reason);
            Assert.Equal(request.CertificateId, response.Responses[0].CertificateId);
            if (expected == RevocationStatus.Revoked) Assert.Equal(new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc), info.RevocationTime);
            Assert.NotNull(info.NextUpdate);
        }

        [Theory]
        [InlineData(RevocationStatus.Good, "Cert Status: good")]
        [InlineData(RevocationStatus.Revoked, "Cert Status: revoked")]
        [InlineData(RevocationStatus.Unknown, "Cert Status: unknown")]
        public void OpenSsl_verifies_and_reads_our_response(RevocationStatus status, string expectedText)
        {
            var response = OcspResponseBuilder.Build(new OcspResponseOptions
            {
                Certificate = _pki.Leaf, Issuer = _pki.Ca, Status = status, RevocationReason = RevocationReason.Superseded,
            });
            File.WriteAllBytes(Path.Combine(_dir, "ours.der"), response.GetRawData());
            var output = Run("ocsp", "-respin", "ours.der", "-issuer", "ca.pem", "-VAfile", "ca.pem", "-cert", "leaf.pem", "-resp_text");
            Assert.Contains("Response verify OK", output);
            Assert.Contains(expectedText, output);
            Assert.Contains("leaf.pem: " + status.ToString().ToLowerInvariant(), output);
            if (status == RevocationStatus.Revoked) Assert.Contains("Reason: superseded", output);
        }

        private string Run(params string[] args)
        {
            var psi = new ProcessStartInfo("openssl") { WorkingDirectory = _dir, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in args) psi.ArgumentList.Add(a);
            Process p;
            try
            {
                p = Process.Start(psi)!;
            }
            catch (System.ComponentModel.Win32Exception e)
            {
                throw new InvalidOperationException("openssl is not installed: apt-get install -y openssl", e);
            }
            using (p)
            {
                var stdout = p.StandardOutput.ReadToEndAsync();
                var stderr = p.StandardError.ReadToEndAsync();
                if (!p.WaitForExit(60_000))
                {
                    p.Kill(true);
                    throw new TimeoutException("openssl " + string.Join(" ", args) + " did not finish within 60 s");
                }
                var all = stdout.Result + stderr.Result;
                Assert.True(p.ExitCode == 0, "openssl " + string.Join(" ", args) + " failed: " + all);
                return all;
            }
        }
    }
}
