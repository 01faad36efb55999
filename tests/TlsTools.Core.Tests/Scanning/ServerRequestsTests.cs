using System;
using System.Linq;
using TlsTools.Scanning;
using TlsTools.Tls;
using Xunit;

namespace TlsTools.Tests.Scanning
{
    /// <summary>The CertificateRequest and TLS 1.3 NewSessionTicket readers of the report (issue 13), on hand-built messages.</summary>
    public sealed class ServerRequestsTests
    {
        private static byte[] U16(int v) => new[] { (byte)(v >> 8), (byte)v };

        private static byte[] Vec16(params byte[][] parts)
        {
            var body = parts.SelectMany(p => p).ToArray();
            return U16(body.Length).Concat(body).ToArray();
        }

        private static readonly Org.BouncyCastle.Asn1.X509.X509Name Name = new Org.BouncyCastle.Asn1.X509.X509Name("CN=Request Test CA,O=TlsTools Tests");

        private static byte[] Dn => Name.GetEncoded();

        [Fact]
        public void Tls12Request_GivesSchemesAndCaNames()
        {
            var body = new byte[] { 2, 1, 64 } // certificate_types rsa_sign, ecdsa_sign
                .Concat(Vec16(U16(0x0804), U16(0x0403))).Concat(Vec16(Vec16(Dn))).ToArray();
            var r = ServerRequests.ParseCertificateRequest(body, TlsVersion.Tls12);
            Assert.Equal(TlsVersion.Tls12, r.TlsVersion);
            Assert.Null(r.Required);
            Assert.Equal(new[] { "rsa_pss_rsae_sha256", "ecdsa_secp256r1_sha256" }, r.SignatureAlgorithms);
            Assert.Equal(new[] { "CN=Request Test CA,O=TlsTools Tests" }, r.CertificateAuthorities);
        }

        [Fact]
        public void Tls11Request_HasNoSchemes()
        {
            var body = new byte[] { 1, 1 }.Concat(Vec16()).ToArray();
            var r = ServerRequests.ParseCertificateRequest(body, TlsVersion.Tls11);
            Assert.Empty(r.SignatureAlgorithms);
            Assert.Empty(r.CertificateAuthorities);
        }

        [Fact]
        public void Tls13Request_ReadsItsExtensions()
        {
            var sigs = U16(13).Concat(Vec16(Vec16(U16(0x0807)))).ToArray();
            var cas = U16(47).Concat(Vec16(Vec16(Vec16(Dn)))).ToArray();
            var other = U16(0x1234).Concat(Vec16()).ToArray();
            var body = new byte[] { 0 }.Concat(Vec16(sigs, other, cas)).ToArray();
            var r = ServerRequests.ParseCertificateRequest(body, TlsVersion.Tls13);
            Assert.Equal(new[] { "ed25519" }, r.SignatureAlgorithms);
            Assert.Equal(new[] { "CN=Request Test CA,O=TlsTools Tests" }, r.CertificateAuthorities);
        }

        [Fact]
        public void TruncatedRequest_IsMalformed()
        {
            var e = Assert.Throws<TlsToolsException>(() => ServerRequests.ParseCertificateRequest(new byte[] { 2, 1 }, TlsVersion.Tls12));
            Assert.Equal(ErrorIds.MalformedServerMessage, e.ErrorId);
        }

        [Fact]
        public void Tls13Ticket_LifetimeAndEarlyData()
        {
            byte[] Ticket(params byte[][] extensions) => new byte[] { 0, 0, 0x1C, 0x20 } // lifetime 7200
                .Concat(new byte[] { 1, 2, 3, 4 }).Concat(new byte[] { 1, 0 }).Concat(Vec16(new byte[] { 9, 9, 9 })).Concat(Vec16(extensions)).ToArray();
            Assert.Equal((7200L, (long?)null), ServerRequests.ParseTls13Ticket(Ticket()));
            var early = U16(42).Concat(Vec16(new byte[] { 0, 0, 0x40, 0 })).ToArray();
            Assert.Equal((7200L, (long?)16384), ServerRequests.ParseTls13Ticket(Ticket(early)));
            Assert.Throws<TlsToolsException>(() => ServerRequests.ParseTls13Ticket(new byte[] { 0, 0, 0x1C }));
        }
    }
}
