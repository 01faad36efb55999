using System;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using TlsTools.Pki;
using TlsTools.Tls;
using Xunit;
using Xunit.Abstractions;

namespace TlsTools.Tests.Tls
{
    public class TlsClientRunnerTests
    {
        private readonly ITestOutputHelper _out;

        public TlsClientRunnerTests(ITestOutputHelper output) => _out = output;

        private static HandshakeOptions Opt(int port, Action<HandshakeOptions>? more = null)
        {
            var o = new HandshakeOptions { HostName = "127.0.0.1", Port = port, Timeout = TimeSpan.FromSeconds(10) };
            more?.Invoke(o);
            return o;
        }

        private void Dump(HandshakeResult r)
        {
            _out.WriteLine(r.ToString() + " error=" + r.ErrorId + " " + r.Error);
            foreach (var m in r.Transcript) _out.WriteLine($"{m.OffsetMilliseconds,8:F1} {m.Sender,-6} {m.Label,-20} {m.Length,5} {m.Explanation} {m.DecodeError}");
        }

        private static string[] Order(HandshakeResult r) => r.Transcript.Select(m => m.Sender + ":" + m.Type).ToArray();

        [Fact]
        public async Task Tls13_Default_Transcript()
        {
            using var server = new OpenSslServer(KeyAlgorithm.EcdsaP256, "-tls1_3");
            var r = await new TlsClientRunner().HandshakeAsync(Opt(server.Port), CancellationToken.None);
            Dump(r);
            Assert.True(r.Success, r.Error);
            Assert.Equal(TlsVersion.Tls13, r.TlsVersion);
            Assert.Equal("x25519", r.NamedGroup);
            Assert.Equal("ecdsa_secp256r1_sha256", r.SignatureAlgorithm);
            Assert.Equal(server.Leaf, r.Certificates[0]);
            var order = Order(r).Where(x => !x.EndsWith("ChangeCipherSpec", StringComparison.Ordinal)).ToArray();
            Assert.Equal(new[]
            {
                "Client:ClientHello", "Server:ServerHello", "Server:EncryptedExtensions", "Server:Certificate",
                "Server:CertificateVerify", "Server:Finished", "Client:Finished",
            }, order.Take(7).ToArray());
            Assert.Contains("Server:NewSessionTicket", order);
        }

        [Fact]
        public async Task Tls12_EcdheRsa_Transcript()
        {
            using var server = new OpenSslServer(KeyAlgorithm.Rsa2048, "-tls1_2");
            var r = await new TlsClientRunner().HandshakeAsync(Opt(server.Port), CancellationToken.None);
            Dump(r);
            Assert.True(r.Success, r.Error);
            Assert.Equal(TlsVersion.Tls12, r.TlsVersion);
            Assert.StartsWith("TLS_ECDHE_RSA_WITH_", r.CipherSuite);
            Assert.Equal(new[]
            {
                "Client:ClientHello", "Server:ServerHello", "Server:Certificate", "Server:ServerKeyExchange", "Server:ServerHelloDone",
                "Client:ClientKeyExchange", "Client:ChangeCipherSpec", "Client:Finished", "Server:ChangeCipherSpec", "Server:Finished",
            }, Order(r));
        }
    }
}
