using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Security;
using TlsTools.Pki;
using TlsTools.Pki.Crypto;
using Xunit;

namespace TlsTools.Tests.Pki
{
    /// <summary>
    /// Certificates, requests and CRLs signed by the platform's cryptography (PlatformSignatureFactory) verify with
    /// BouncyCastle and with openssl; the BouncyCastle fallback (forced) signs the same way; Ed25519 stays on BouncyCastle.
    /// </summary>
    public class PlatformSigningTests : IDisposable
    {
        private readonly string _dir = Path.Combine(Path.GetTempPath(), "tlstools-platform-" + Guid.NewGuid().ToString("N").Substring(0, 10));

        public PlatformSigningTests() => Directory.CreateDirectory(_dir);

        public void Dispose()
        {
            try { Directory.Delete(_dir, true); } catch (IOException) { }
        }

        public static IEnumerable<object[]> PlatformAlgorithms() =>
            new[] { KeyAlgorithm.EcdsaP256, KeyAlgorithm.EcdsaP384, KeyAlgorithm.EcdsaP521, KeyAlgorithm.Rsa2048 }.Select(a => new object[] { a });

        [Theory]
        [MemberData(nameof(PlatformAlgorithms))]
        public void Platform_signed_ca_leaf_request_and_crl_verify_with_BouncyCastle_and_openssl(KeyAlgorithm algorithm)
        {
            var caKey = KeyFactory.Generate(algorithm);
            Assert.NotNull(caKey.Platform);
            Assert.IsType<PlatformSignatureFactory>(KeyFactory.SignatureFactory(caKey));

            var ca = Issuance.CreateCa(new CertificateOptions { Subject = "CN=Platform CA " + algorithm }, caKey, null);
            var request = Issuance.CreateRequest(new RequestOptions { DnsNames = { "platform.example.test" } }, KeyFactory.Generate(algorithm));
            Assert.True(request.SignatureValid);
            var leaf = Issuance.CreateLeaf(new CertificateOptions { ValidityDays = 30 }, ca, request, null);
            var crl = Issuance.CreateCrl(ca, new[] { (leaf.SerialNumber, DateTime.UtcNow.AddMinutes(-1), (RevocationReason?)RevocationReason.KeyCompromise) });

            ca.Bc.Verify(ca.Bc.GetPublicKey());   // BouncyCastle throws when a signature does not verify
            leaf.Bc.Verify(ca.Bc.GetPublicKey());
            crl.Bc.Verify(ca.Bc.GetPublicKey());
            Assert.True(request.Bc.Verify(request.PublicKey));

            File.WriteAllText(Path.Combine(_dir, "ca.pem"), ca.ToPem());
            File.WriteAllText(Path.Combine(_dir, "leaf.pem"), leaf.ToPem());
            File.WriteAllText(Path.Combine(_dir, "req.pem"), request.ToPem());
            File.WriteAllBytes(Path.Combine(_dir, "crl.der"), crl.Bc.GetEncoded());
            Assert.Contains("leaf.pem: OK", OpenSsl("verify", "-CAfile", "ca.pem", "leaf.pem"));
            Assert.Contains("ca.pem: OK", OpenSsl("verify", "-CAfile", "ca.pem", "ca.pem"));
            Assert.Contains("verify OK", OpenSsl("req", "-in", "req.pem", "-verify", "-noout"));
            Assert.Contains("verify OK", OpenSsl("crl", "-in", "crl.der", "-inform", "DER", "-CAfile", "ca.pem", "-noout"));
        }

        [Fact]
        public void Rsa_pss_through_the_platform_verifies_with_BouncyCastle_and_openssl()
        {
            var caKey = KeyFactory.Generate(KeyAlgorithm.Rsa2048);
            var ca = Issuance.CreateCa(new CertificateOptions { Subject = "CN=PSS CA" }, caKey, null);
            Assert.IsType<PlatformSignatureFactory>(KeyFactory.SignatureFactory(caKey, "SHA256WITHRSAANDMGF1"));
            var leaf = Issuance.CreateLeaf(new CertificateOptions { DnsNames = { "pss.example.test" }, SignatureAlgorithm = "SHA256WITHRSAANDMGF1" },
                ca, null, KeyFactory.Generate(KeyAlgorithm.EcdsaP256));

            Assert.Equal("1.2.840.113549.1.1.10", leaf.Bc.SigAlgOid);
            leaf.Bc.Verify(ca.Bc.GetPublicKey());
            File.WriteAllText(Path.Combine(_dir, "ca.pem"), ca.ToPem());
            File.WriteAllText(Path.Combine(_dir, "leaf.pem"), leaf.ToPem());
            Assert.Contains("leaf.pem: OK", OpenSsl("verify", "-CAfile", "ca.pem", "leaf.pem"));
        }

        [Theory]
        [InlineData(KeyAlgorithm.Rsa2048, "SHA256WITHRSA")]
        [InlineData(KeyAlgorithm.Rsa3072, "SHA384WITHRSA")]
        public void Rsa_pkcs1_signatures_are_the_same_bytes_from_the_platform_and_from_BouncyCastle(KeyAlgorithm algorithm, string signatureAlgorithm)
        {
            // PKCS#1 v1.5 is deterministic: the platform's signature must be BouncyCastle's to the byte.
            var key = KeyFactory.Generate(algorithm);
            var tbs = new DerSequence(new DerUtf8String("to be signed"), DerInteger.ValueOf(42));
            var platform = Sign(KeyFactory.SignatureFactory(key, signatureAlgorithm), tbs);
            var bouncyCastle = Sign(KeyFactory.SignatureFactory(key, signatureAlgorithm, usePlatform: false), tbs);
            Assert.IsType<Asn1SignatureFactory>(KeyFactory.SignatureFactory(key, signatureAlgorithm, usePlatform: false));
            Assert.Equal(bouncyCastle, platform);
        }

        [Theory]
        [InlineData(KeyAlgorithm.Rsa2048)]
        [InlineData(KeyAlgorithm.EcdsaP256)]
        public void A_platform_failure_while_signing_falls_back_to_BouncyCastle_over_the_same_bytes(KeyAlgorithm algorithm)
        {
            var key = KeyFactory.Generate(algorithm);
            var name = KeyFactory.SignatureAlgorithmFor(key);
            int calls = 0;
            var failing = new PlatformSignatureFactory(new Asn1SignatureFactory(name, key.Private, new SecureRandom()),
                (data, offset, count) => { calls++; throw new CryptographicException("simulated platform failure"); });
            var tbs = new DerSequence(new DerUtf8String("fallback"), DerInteger.ValueOf(7));

            var signature = Sign(failing, tbs);

            Assert.Equal(1, calls);
            var verifier = SignerUtilities.GetSigner(name);
            verifier.Init(false, key.Public);
            var data = tbs.GetEncoded(Asn1Encodable.Der);
            verifier.BlockUpdate(data, 0, data.Length);
            Assert.True(verifier.VerifySignature(signature));
            if (algorithm == KeyAlgorithm.Rsa2048)
                Assert.Equal(Sign(KeyFactory.SignatureFactory(key), tbs), signature);
        }

        [Fact]
        public void Forced_BouncyCastle_issuance_gives_certificates_that_verify_like_the_platform_ones()
        {
            foreach (var algorithm in new[] { KeyAlgorithm.Rsa2048, KeyAlgorithm.EcdsaP256 })
            {
                var caKey = KeyFactory.Generate(algorithm);
                var tbs = new DerSequence(new DerUtf8String("same input"));
                foreach (var usePlatform in new[] { true, false })
                {
                    var sig = Sign(KeyFactory.SignatureFactory(caKey, null, usePlatform), tbs);
                    var verifier = SignerUtilities.GetSigner(KeyFactory.SignatureAlgorithmFor(caKey));
                    verifier.Init(false, caKey.Public);
                    var data = tbs.GetEncoded(Asn1Encodable.Der);
                    verifier.BlockUpdate(data, 0, data.Length);
                    Assert.True(verifier.VerifySignature(sig), algorithm + (usePlatform ? " platform" : " BouncyCastle"));
                }
            }
        }

        [Fact]
        public void Ed25519_has_no_platform_key_and_still_issues_with_BouncyCastle()
        {
            var caKey = KeyFactory.Generate(KeyAlgorithm.Ed25519);
            Assert.Null(caKey.Platform);
            Assert.IsType<Asn1SignatureFactory>(KeyFactory.SignatureFactory(caKey));
            var ca = Issuance.CreateCa(new CertificateOptions { Subject = "CN=Ed25519 CA" }, caKey, null);
            var request = Issuance.CreateRequest(new RequestOptions { DnsNames = { "ed.example.test" } }, KeyFactory.Generate(KeyAlgorithm.Ed25519));
            var leaf = Issuance.CreateLeaf(new CertificateOptions(), ca, request, null);
            leaf.Bc.Verify(ca.Bc.GetPublicKey());
            Assert.True(request.SignatureValid);
            File.WriteAllText(Path.Combine(_dir, "ca.pem"), ca.ToPem());
            File.WriteAllText(Path.Combine(_dir, "leaf.pem"), leaf.ToPem());
            Assert.Contains("leaf.pem: OK", OpenSsl("verify", "-CAfile", "ca.pem", "leaf.pem"));
        }

        [Theory]
        [InlineData("EC", "ec_paramgen_curve:P-256")]
        [InlineData("EC", "ec_paramgen_curve:P-384")]
        [InlineData("RSA", "rsa_keygen_bits:2048")]
        public void A_key_openssl_made_and_TlsTools_read_signs_on_the_platform(string algorithm, string option)
        {
            OpenSsl("genpkey", "-algorithm", algorithm, "-pkeyopt", option, "-out", "key.pem");
            var key = TlsTools.Formats.PkiReader.ReadPrivateKey(File.ReadAllBytes(Path.Combine(_dir, "key.pem")));
            Assert.NotNull(key.Platform);
            Assert.IsType<PlatformSignatureFactory>(KeyFactory.SignatureFactory(key));
            var ca = Issuance.CreateCa(new CertificateOptions { Subject = "CN=Read CA" }, key, null);
            ca.Bc.Verify(ca.Bc.GetPublicKey());
        }

        [Fact]
        public void The_platform_key_is_imported_once_per_private_key_even_from_many_threads()
        {
            var key = KeyFactory.Generate(KeyAlgorithm.EcdsaP256);
            var seen = new PlatformKey?[16];
            System.Threading.Tasks.Parallel.For(0, seen.Length, i => seen[i] = key.Platform);
            Assert.NotNull(seen[0]);
            Assert.All(seen, k => Assert.Same(seen[0], k));
        }

        private static byte[] Sign(ISignatureFactory factory, Asn1Encodable tbs)
        {
            var calculator = factory.CreateCalculator();
            using (var stream = calculator.Stream) tbs.EncodeTo(stream, Asn1Encodable.Der);
            return calculator.GetResult().Collect();
        }

        /// <summary>openssl in the test directory; its stdout and stderr together. A missing openssl fails the test.</summary>
        private string OpenSsl(params string[] args)
        {
            var psi = new ProcessStartInfo("openssl") { WorkingDirectory = _dir, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in args) psi.ArgumentList.Add(a);
            Process process;
            try { process = Process.Start(psi)!; }
            catch (System.ComponentModel.Win32Exception e) { throw new InvalidOperationException("openssl is not installed: apt-get install -y openssl", e); }
            using (process)
            {
                var output = process.StandardOutput.ReadToEndAsync();
                var errors = process.StandardError.ReadToEndAsync();
                if (!process.WaitForExit(60_000))
                {
                    process.Kill(true);
                    throw new TimeoutException("openssl " + string.Join(" ", args) + " ran longer than 60 s");
                }
                var text = output.Result + errors.Result;
                Assert.True(process.ExitCode == 0, "openssl " + string.Join(" ", args) + " exited " + process.ExitCode + ": " + text);
                return text;
            }
        }
    }
}
