using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.X509;
using Org.BouncyCastle.X509.Extension;
using TlsTools.Pki;
using TlsTools.Tls;
using TlsTools.Validation;
using Certificate = TlsTools.Pki.Certificate;
using Xunit;
using Xunit.Abstractions;

namespace TlsTools.Tests.Tls
{
    /// <summary>TlsServerHost answering openssl s_client, gnutls-cli and TlsClientRunner on 127.0.0.1.</summary>
    public class TlsServerHostTests
    {
        private readonly ITestOutputHelper _out;

        public TlsServerHostTests(ITestOutputHelper output) => _out = output;

        private static TlsServerHost Start(KeyAlgorithm alg, Action<TlsServerOptions>? more = null)
        {
            var o = new TlsServerOptions { Certificate = TestPki.Leaf(alg).Cert };
            more?.Invoke(o);
            return TlsServerHost.Start(o);
        }

        private string SClient(int port, params string[] extra)
        {
            var args = new List<string> { "s_client", "-connect", "127.0.0.1:" + port, "-servername", "localhost", "-ign_eof", "-CAfile", TestPki.CaPath };
            args.AddRange(extra);
            using var p = new PeerProcess("openssl", args);
            p.CloseInput();
            Assert.True(p.WaitForExit(20000), "s_client did not finish");
            p.WaitForExit(500);
            var output = p.Output;
            _out.WriteLine(p.CommandLine + "\n" + output);
            return output;
        }

        [Theory]
        [InlineData(KeyAlgorithm.EcdsaP256, "-tls1_2", "TLSv1.2")]
        [InlineData(KeyAlgorithm.EcdsaP256, "-tls1_3", "TLSv1.3")]
        [InlineData(KeyAlgorithm.EcdsaP384, "-tls1_3", "TLSv1.3")]
        [InlineData(KeyAlgorithm.Rsa2048, "-tls1_2", "TLSv1.2")]
        [InlineData(KeyAlgorithm.Rsa2048, "-tls1_3", "TLSv1.3")]
        [InlineData(KeyAlgorithm.Ed25519, "-tls1_2", "TLSv1.2")]
        [InlineData(KeyAlgorithm.Ed25519, "-tls1_3", "TLSv1.3")]
        public void OpenSslClient_Connects(KeyAlgorithm alg, string flag, string protocol)
        {
            using var host = Start(alg);
            var output = SClient(host.Port, flag);
            Assert.Contains("New, " + protocol + ", Cipher is", output);
            Assert.Contains("Verify return code: 0 (ok)", output);
            Assert.Contains("Hello from TlsTools", output);
            Assert.True(SpinWait.SpinUntil(() => host.RecentConnections.Length == 1, 3000));
            Assert.Equal(1, host.HandshakesCompleted);
            Assert.Equal("localhost", host.RecentConnections.Single().ServerName);
        }

        [Fact]
        public void OpenSslClient_Alpn()
        {
            using var host = Start(KeyAlgorithm.EcdsaP256, o => o.Alpn = new[] { "h2", "http/1.1" });
            var output = SClient(host.Port, "-alpn", "http/1.1");
            Assert.Contains("ALPN protocol: http/1.1", output);
            Assert.True(SpinWait.SpinUntil(() => host.RecentConnections.Length == 1, 3000));
            Assert.Equal("http/1.1", host.RecentConnections.Single().Alpn);
        }

        [Theory]
        [InlineData("-tls1_2")]
        [InlineData("-tls1_3")]
        public void OpenSslClient_ClientCertificateRequired(string flag)
        {
            var client = TestPki.Leaf(KeyAlgorithm.EcdsaP256, "client.test", CertificateProfile.Client);
            using var host = Start(KeyAlgorithm.EcdsaP256, o => { o.RequireClientCertificate = true; o.TrustedRoots = new[] { TestPki.Ca }; });
            var withCert = SClient(host.Port, flag, "-cert", client.CertPath, "-key", client.KeyPath);
            Assert.Contains("client certificate CN=client.test", withCert);
            var without = SClient(host.Port, flag);
            Assert.DoesNotContain("Hello from TlsTools", without);
            SpinWait.SpinUntil(() => host.HandshakesFailed >= 1, 3000);
            Assert.Equal(1, host.HandshakesCompleted);
            Assert.Equal(1, host.HandshakesFailed);
            Assert.Contains(host.RecentConnections, c => !c.Success && (c.Alert == "certificate_required" || c.Alert == "handshake_failure"));
        }

        [Fact]
        public void GnuTlsClient_Connects_IfInstalled()
        {
            if (!File.Exists("/usr/bin/gnutls-cli")) { _out.WriteLine("gnutls-cli not installed; skipped"); return; }
            using var host = Start(KeyAlgorithm.EcdsaP256, o => o.Alpn = new[] { "h2" });
            foreach (var prio in new[] { "NORMAL:-VERS-ALL:+VERS-TLS1.3", "NORMAL:-VERS-ALL:+VERS-TLS1.2" })
            {
                using var p = new PeerProcess("gnutls-cli", new[] { "--x509cafile", TestPki.CaPath, "--priority", prio, "--alpn", "h2", "-p", host.Port.ToString(), "localhost" });
                Thread.Sleep(0);
                Assert.True(p.WaitForOutput("Hello from TlsTools", 15000), p.Output);
                _out.WriteLine(p.Output);
                Assert.Contains("Handshake was completed", p.Output);
                Assert.Contains(prio.EndsWith("1.3") ? "TLS1.3" : "TLS1.2", p.Output);
            }
        }

        [Theory]
        [InlineData(TlsVersion.Tls12)]
        [InlineData(TlsVersion.Tls13)]
        public async Task OurClient_AgainstOurServer_WithClientCertificate(TlsVersion version)
        {
            var client = TestPki.Leaf(KeyAlgorithm.Rsa2048, "client.test", CertificateProfile.Client);
            using var host = Start(KeyAlgorithm.Rsa2048, o => { o.RequireClientCertificate = true; o.TrustedRoots = new[] { TestPki.Ca }; o.Alpn = new[] { "h2" }; });
            var r = await new TlsClientRunner().HandshakeAsync(new HandshakeOptions
            {
                HostName = "127.0.0.1", Port = host.Port, TlsVersions = new[] { version }, ClientCertificate = client.Cert, Alpn = new[] { "h2" },
            }, CancellationToken.None);
            _out.WriteLine(LadderDiagram.Render(r.Transcript));
            Assert.True(r.Success, r.Error);
            Assert.Equal(version, r.TlsVersion);
            Assert.Equal("h2", r.Alpn);
            if (version == TlsVersion.Tls13) Assert.StartsWith("rsa_pss_rsae_", r.SignatureAlgorithm);
            Assert.True(SpinWait.SpinUntil(() => host.RecentConnections.Length == 1, 3000));
            Assert.Equal("CN=client.test", host.RecentConnections[0].ClientCertificateSubject);

            var refused = await new TlsClientRunner().HandshakeAsync(new HandshakeOptions { HostName = "127.0.0.1", Port = host.Port, TlsVersions = new[] { version } }, CancellationToken.None);
            Assert.False(refused.Success);
            Assert.Equal(version == TlsVersion.Tls13 ? "certificate_required" : "handshake_failure", refused.Alert);
        }

        /// <summary>
        /// Client certificates for the chain-validation tests: a root, an issuing CA under it, and leaves that are right or
        /// wrong in one way each. Written as PEM files for openssl s_client.
        /// </summary>
        private static class ClientPki
        {
            public static readonly Certificate Root = Issuance.CreateCa(new CertificateOptions { Subject = "CN=Client Root" }, KeyFactory.Generate(KeyAlgorithm.EcdsaP256), null);

            public static readonly Certificate Issuing = Issuance.CreateCa(new CertificateOptions { Subject = "CN=Client Issuing CA", PathLength = 0 }, KeyFactory.Generate(KeyAlgorithm.EcdsaP256), Root);

            /// <summary>An end-entity certificate (cA=FALSE, clientAuth) issued by the root: it must not issue anything.</summary>
            public static readonly Certificate EndEntity = Leaf(Root, "ee.test", CertificateProfile.Client);

            public static Certificate Leaf(Certificate issuer, string name, CertificateProfile profile, DateTime? notAfter = null) =>
                Issuance.CreateLeaf(new CertificateOptions
                {
                    Subject = "CN=" + name, DnsNames = { name }, Profile = profile,
                    NotBefore = notAfter.HasValue ? notAfter.Value.AddDays(-30) : (DateTime?)null, NotAfter = notAfter,
                }, issuer, null, KeyFactory.Generate(KeyAlgorithm.EcdsaP256));

            /// <summary>A clientAuth leaf signed by <see cref="EndEntity"/> (TlsTools' own issuance refuses a non-CA issuer, so BouncyCastle signs it).</summary>
            public static Certificate IssuedByEndEntity()
            {
                var key = KeyFactory.Generate(KeyAlgorithm.EcdsaP256);
                var gen = new X509V3CertificateGenerator();
                gen.SetSerialNumber(BigInteger.ValueOf(Environment.TickCount64 & 0x7FFFFFFF).Add(BigInteger.One));
                gen.SetIssuerDN(EndEntity.Bc.SubjectDN);
                gen.SetSubjectDN(new X509Name("CN=under-ee.test"));
                gen.SetNotBefore(DateTime.UtcNow.AddDays(-1));
                gen.SetNotAfter(DateTime.UtcNow.AddDays(30));
                gen.SetPublicKey(key.Public);
                gen.AddExtension(X509Extensions.BasicConstraints, true, new BasicConstraints(false));
                gen.AddExtension(X509Extensions.KeyUsage, true, new KeyUsage(KeyUsage.DigitalSignature));
                gen.AddExtension(X509Extensions.ExtendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeID.id_kp_clientAuth));
                gen.AddExtension(X509Extensions.AuthorityKeyIdentifier, false, X509ExtensionUtilities.CreateAuthorityKeyIdentifier(EndEntity.Bc.GetPublicKey()));
                gen.AddExtension(X509Extensions.SubjectKeyIdentifier, false, X509ExtensionUtilities.CreateSubjectKeyIdentifier(key.Public));
                return new Certificate(gen.Generate(new Asn1SignatureFactory("SHA256WITHECDSA", EndEntity.PrivateKey!.Private)), key);
            }

            /// <summary>Each case: the client certificate, the chain it sends, and the alert the server must answer with (null: accepted).</summary>
            public static (Certificate Leaf, Certificate[] Chain, string? Alert, string? Check) Case(string name) => name switch
            {
                "proper, from an intermediate, chain sent" => (Leaf(Issuing, "client.test", CertificateProfile.Client), new[] { Issuing }, null, null),
                "issued by an end entity" => (IssuedByEndEntity(), new[] { EndEntity }, "bad_certificate", ValidationCheck.BasicConstraints),
                "serverAuth-only EKU" => (Leaf(Issuing, "server-only.test", CertificateProfile.Server), new[] { Issuing }, "unsupported_certificate", ValidationCheck.ExtendedKeyUsage),
                "expired" => (Leaf(Issuing, "expired.test", CertificateProfile.Client, DateTime.UtcNow.AddDays(-2)), new[] { Issuing }, "certificate_expired", ValidationCheck.Expired),
                _ => throw new ArgumentException(name),
            };

            public static (string CertPath, string KeyPath, string ChainPath) Files(string stem, Certificate leaf, Certificate[] chain)
            {
                stem += "-" + Guid.NewGuid().ToString("N");
                return (TestPki.Write(stem + ".crt.pem", leaf.ToPem()), TestPki.Write(stem + ".key.pem", TestPki.KeyPem(leaf.PrivateKey!)),
                    TestPki.Write(stem + ".chain.pem", string.Concat(chain.Select(c => c.ToPem()))));
            }
        }

        public static readonly TheoryData<string, TlsVersion> ClientCertificateCases = new()
        {
            { "proper, from an intermediate, chain sent", TlsVersion.Tls12 },
            { "proper, from an intermediate, chain sent", TlsVersion.Tls13 },
            { "issued by an end entity", TlsVersion.Tls12 },
            { "issued by an end entity", TlsVersion.Tls13 },
            { "serverAuth-only EKU", TlsVersion.Tls12 },
            { "serverAuth-only EKU", TlsVersion.Tls13 },
            { "expired", TlsVersion.Tls12 },
            { "expired", TlsVersion.Tls13 },
        };

        [Theory]
        [MemberData(nameof(ClientCertificateCases))]
        public async Task OurClient_ClientCertificate_IsValidatedForClientAuth(string name, TlsVersion version)
        {
            var (leaf, chain, alert, check) = ClientPki.Case(name);
            using var host = Start(KeyAlgorithm.EcdsaP256, o => { o.RequireClientCertificate = true; o.TrustedRoots = new[] { ClientPki.Root }; });
            var r = await new TlsClientRunner().HandshakeAsync(new HandshakeOptions
            {
                HostName = "127.0.0.1", Port = host.Port, TlsVersions = new[] { version }, ClientCertificate = leaf, ClientCertificateChain = chain,
            }, CancellationToken.None);
            _out.WriteLine(r + " [" + r.ErrorId + "/" + r.Alert + "]");
            Assert.True(SpinWait.SpinUntil(() => host.RecentConnections.Length == 1, 5000));
            var seen = host.RecentConnections.Single();
            _out.WriteLine(seen.Error ?? "accepted");
            Assert.Equal(leaf.Subject, seen.ClientCertificateSubject);
            Assert.NotNull(seen.ClientCertificateValidation);
            if (alert == null)
            {
                Assert.True(r.Success, r.Error);
                Assert.True(seen.Success, seen.Error);
                Assert.True(seen.ClientCertificateValidation!.IsValid);
                Assert.Equal(3, seen.ClientCertificateValidation.Chain.Length);
                return;
            }
            Assert.False(r.Success);
            Assert.Equal(alert, r.Alert);
            Assert.Equal("Received", r.AlertDirection);
            Assert.False(seen.Success);
            Assert.Equal(alert, seen.Alert);
            Assert.False(seen.ClientCertificateValidation!.IsValid);
            Assert.Equal(check, seen.ClientCertificateValidation.Failures[0].Check);
            Assert.Contains(check + ": ", seen.Error);
            Assert.Contains(seen.ClientCertificateValidation.Failures[0].Message, seen.Error);
        }

        [Theory]
        [InlineData("-tls1_2")]
        [InlineData("-tls1_3")]
        public void OpenSslClient_CertificateIssuedByAnEndEntity_IsRefused(string flag)
        {
            var (leaf, chain, _, _) = ClientPki.Case("issued by an end entity");
            var files = ClientPki.Files("under-ee", leaf, chain);
            using var host = Start(KeyAlgorithm.EcdsaP256, o => { o.RequireClientCertificate = true; o.TrustedRoots = new[] { ClientPki.Root }; });
            var output = SClient(host.Port, flag, "-cert", files.CertPath, "-key", files.KeyPath, "-cert_chain", files.ChainPath);
            Assert.DoesNotContain("Hello from TlsTools", output);
            Assert.Contains("alert bad certificate", output);
            Assert.True(SpinWait.SpinUntil(() => host.RecentConnections.Length == 1, 5000));
            var seen = host.RecentConnections.Single();
            Assert.False(seen.Success);
            Assert.Equal("bad_certificate", seen.Alert);
            Assert.Equal("CN=under-ee.test", seen.ClientCertificateSubject);
            Assert.Contains(seen.ClientCertificateValidation!.Failures, f => f.Check == ValidationCheck.BasicConstraints && f.Message.Contains("CN=ee.test"));
            Assert.Contains("BasicConstraints: ", seen.Error);

            // The same client with a proper certificate from the issuing CA is accepted.
            var (good, goodChain, _, _) = ClientPki.Case("proper, from an intermediate, chain sent");
            var goodFiles = ClientPki.Files("proper", good, goodChain);
            var accepted = SClient(host.Port, flag, "-cert", goodFiles.CertPath, "-key", goodFiles.KeyPath, "-cert_chain", goodFiles.ChainPath);
            Assert.Contains("client certificate CN=client.test", accepted);
        }

        [Fact]
        public async Task ManyParallelHandshakes_AllSucceed()
        {
            using var host = Start(KeyAlgorithm.EcdsaP256);
            var runner = new TlsClientRunner();
            using var gate = new SemaphoreSlim(20);
            var sw = Stopwatch.StartNew();
            var tasks = Enumerable.Range(0, 200).Select(async i =>
            {
                await gate.WaitAsync();
                try
                {
                    return await runner.HandshakeAsync(new HandshakeOptions { HostName = "127.0.0.1", Port = host.Port, SessionTicketWait = TimeSpan.Zero, CaptureTranscript = false }, CancellationToken.None);
                }
                finally { gate.Release(); }
            }).ToArray();
            var results = await Task.WhenAll(tasks);
            _out.WriteLine("200 handshakes, 20 parallel: " + sw.ElapsedMilliseconds + " ms");
            Assert.All(results, r => Assert.True(r.Success, r.Error));
            Assert.True(SpinWait.SpinUntil(() => host.HandshakesCompleted == 200, 5000), "server counted " + host.HandshakesCompleted);
        }

        [Fact]
        public async Task Stop_ClosesTheListener()
        {
            var host = Start(KeyAlgorithm.EcdsaP256);
            int port = host.Port;
            host.Dispose();
            Assert.False(host.IsRunning);
            var r = await new TlsClientRunner().HandshakeAsync(new HandshakeOptions { HostName = "127.0.0.1", Port = port, Timeout = TimeSpan.FromSeconds(3) }, CancellationToken.None);
            Assert.False(r.Success);
            Assert.Equal(ErrorKind.ConnectionError, r.ErrorKind);
        }

        [Fact]
        public void CertificateWithoutKey_IsRefused()
        {
            var e = Assert.Throws<TlsToolsException>(() => TlsServerHost.Start(new TlsServerOptions { Certificate = TestPki.Ca.WithoutPrivateKey() }));
            Assert.Equal("CertificateHasNoKey", e.ErrorId);
        }
    }
}
