using System;
using System.Linq;
using System.Threading.Tasks;
using TlsTools.Tls;
using TlsTools.Validation;
using Xunit;

namespace TlsTools.Tests.Tls
{
    /// <summary>Each scenario server, reached by our client and judged by our validator, shows exactly its intended fault.</summary>
    public class ScenarioTests
    {
        [Theory]
        [InlineData(TlsScenario.Valid)]
        [InlineData(TlsScenario.Expired)]
        [InlineData(TlsScenario.NotYetValid)]
        [InlineData(TlsScenario.WrongHost)]
        [InlineData(TlsScenario.SelfSigned)]
        [InlineData(TlsScenario.UntrustedRoot)]
        [InlineData(TlsScenario.IncompleteChain)]
        [InlineData(TlsScenario.Revoked)]
        [InlineData(TlsScenario.WeakKey)]
        [InlineData(TlsScenario.Sha1Signature)]
        public async Task Certificate_scenarios_fail_validation_for_their_reason_only(TlsScenario scenario)
        {
            var kit = ScenarioFactory.Create(scenario);
            using var server = TlsServerHost.Start(kit.ServerOptions);
            var result = await new TlsClientRunner().HandshakeAsync(new HandshakeOptions
            {
                HostName = "127.0.0.1",
                Port = server.Port,
                ServerName = kit.HostName,
                Timeout = TimeSpan.FromSeconds(20),
            });
            Assert.True(result.Success, result.Error);
            var request = new ChainValidationRequest(result.Certificates[0])
            {
                Intermediates = result.Certificates.Skip(1).ToList(),
                TrustedRoots = new[] { kit.TrustedRoot },
                DnsName = kit.HostName,
                Crls = new[] { kit.Crl! },
            };
            var verdict = ChainValidator.Validate(request);
            if (kit.ExpectedCheck == "Valid")
            {
                Assert.True(verdict.IsValid, string.Join("; ", verdict.Failures.Select(f => f.Check + ": " + f.Message)));
            }
            else
            {
                Assert.False(verdict.IsValid);
                Assert.Contains(verdict.Failures, f => f.Check == kit.ExpectedCheck);
            }
        }

        [Fact]
        public async Task Tls10Only_is_refused_by_a_modern_client_with_protocol_version()
        {
            var kit = ScenarioFactory.Create(TlsScenario.Tls10Only);
            using var server = TlsServerHost.Start(kit.ServerOptions);
            var result = await new TlsClientRunner().HandshakeAsync(new HandshakeOptions
            {
                HostName = "127.0.0.1", Port = server.Port, ServerName = kit.HostName,
                TlsVersions = new[] { TlsVersion.Tls12, TlsVersion.Tls13 }, Timeout = TimeSpan.FromSeconds(20),
            });
            Assert.False(result.Success);
            Assert.Equal("protocol_version", result.Alert);
        }

        [Fact]
        public async Task ClientCertificateRequired_refuses_without_and_accepts_with_the_kit_certificate()
        {
            var kit = ScenarioFactory.Create(TlsScenario.ClientCertificateRequired);
            using var server = TlsServerHost.Start(kit.ServerOptions);
            var options = new HandshakeOptions { HostName = "127.0.0.1", Port = server.Port, ServerName = kit.HostName, Timeout = TimeSpan.FromSeconds(20) };
            var refused = await new TlsClientRunner().HandshakeAsync(options);
            Assert.False(refused.Success);
            Assert.Equal(kit.ExpectedCheck, refused.Alert);
            options.ClientCertificate = kit.ClientCertificate;
            var accepted = await new TlsClientRunner().HandshakeAsync(options);
            Assert.True(accepted.Success, accepted.Error);
        }
    }
}
