using System;
using System.Linq;
using System.Reflection;
using TlsTools.Tls;
using Xunit;

namespace TlsTools.Tests.Tls
{
    public sealed class RegistryTests
    {
        [Fact]
        public void EveryBouncyCastleSuite_HasExactlyOneRecord()
        {
            var bc = typeof(Org.BouncyCastle.Tls.CipherSuite).GetFields(BindingFlags.Public | BindingFlags.Static)
                .Where(f => f.IsLiteral && f.FieldType == typeof(int))
                .Select(f => (Name: f.Name, Code: (int)f.GetRawConstantValue()!))
                .Where(f => f.Code != 0x00FF && f.Code != 0x5600)
                .ToList();
            Assert.True(bc.Count > 300, "only " + bc.Count);
            foreach (var (name, code) in bc)
            {
                Assert.Single(TlsRegistry.CipherSuites.All, s => s.Code == code);
                Assert.Equal(code, TlsRegistry.CipherSuites.FindByName(name)!.Code);
            }
            Assert.Equal(TlsRegistry.CipherSuites.All.Count, TlsRegistry.CipherSuites.All.Select(s => s.Name).Distinct(StringComparer.OrdinalIgnoreCase).Count());
            Assert.DoesNotContain(TlsRegistry.CipherSuites.All, s => s.Code == 0x00FF || s.Code == 0x5600);
            Assert.Equal("TLS_EMPTY_RENEGOTIATION_INFO_SCSV", TlsRegistry.CipherSuites.Name(0x00FF));
            Assert.Equal(0x5600, TlsRegistry.CipherSuites.Parse("TLS_FALLBACK_SCSV"));
        }

        [Fact]
        public void Names_RoundTrip_NameToCodeToName()
        {
            foreach (var s in TlsRegistry.CipherSuites.All) Assert.Equal(s.Name, TlsRegistry.CipherSuites.Name(TlsRegistry.CipherSuites.Parse(s.Name)));
            foreach (var g in TlsRegistry.NamedGroups.All) Assert.Equal(g.Name, TlsRegistry.NamedGroups.Name(TlsRegistry.NamedGroups.Parse(g.Name)));
            foreach (var s in TlsRegistry.SignatureSchemes.All) Assert.Equal(s.Name, TlsRegistry.SignatureSchemes.Name(TlsRegistry.SignatureSchemes.Parse(s.Name)));
            foreach (var v in TlsRegistry.Versions.All) Assert.Equal(v.Version, TlsRegistry.Versions.Parse(v.Name));
            foreach (var a in TlsRegistry.Alerts.All) Assert.Same(a, TlsRegistry.Alerts.FindByName(a.Name));
            foreach (var e in TlsRegistry.Extensions.All) Assert.Equal(e.Name, TlsRegistry.Extensions.Name(e.Code));
            // Every printed form parses back, unknown and GREASE values included.
            foreach (int code in new[] { 0x1301, 0x1A1A, 0xFEFE, 0x0000 })
                Assert.Equal(code, TlsRegistry.CipherSuites.Parse(TlsRegistry.CipherSuites.Name(code)));
        }

        [Theory]
        [InlineData("P-256", 23)]
        [InlineData("prime256v1", 23)]
        [InlineData("secp256r1", 23)]
        [InlineData("X25519", 29)]
        [InlineData("x25519", 29)]
        [InlineData("P-384", 24)]
        [InlineData("0x11ec", 4588)]
        public void GroupAliases_Resolve(string name, int code) => Assert.Equal(code, TlsRegistry.NamedGroups.Parse(name));

        [Theory]
        [InlineData("ECDSA+SHA256", 0x0403)]
        [InlineData("ecdsa_secp256r1_sha256", 0x0403)]
        [InlineData("RSA-PSS+SHA256", 0x0804)]
        [InlineData("rsa_pss_rsae_sha256", 0x0804)]
        [InlineData("RSA+SHA1", 0x0201)]
        [InlineData("Ed25519", 0x0807)]
        public void SchemeAliases_Resolve(string name, int code) => Assert.Equal(code, TlsRegistry.SignatureSchemes.Parse(name));

        [Fact]
        public void SuiteAliases_Resolve_ToTheIanaName()
        {
            Assert.Equal(0xC02F, TlsRegistry.CipherSuites.Parse("ECDHE-RSA-AES128-GCM-SHA256"));
            Assert.Equal("TLS_RSA_WITH_3DES_EDE_CBC_SHA", TlsRegistry.CipherSuites.FindByName("DES-CBC3-SHA")!.Name);
            var e = Assert.Throws<TlsToolsException>(() => TlsRegistry.CipherSuites.Parse("TLS_NO_SUCH_SUITE"));
            Assert.Equal("UnknownCipherSuite", e.ErrorId);
            Assert.Equal("UnknownNamedGroup", Assert.Throws<TlsToolsException>(() => TlsRegistry.NamedGroups.Parse("P-999")).ErrorId);
            Assert.Equal("UnknownSignatureScheme", Assert.Throws<TlsToolsException>(() => TlsRegistry.SignatureSchemes.Parse("RSA+SHA999")).ErrorId);
        }

        [Fact]
        public void UnknownValues_PrintOneWay()
        {
            Assert.Equal("unknown(0x001D)", TlsRegistry.Unknown(29));
            Assert.Equal("unknown(0xFEFE)", TlsRegistry.CipherSuites.Name(0xFEFE));
            Assert.Equal("unknown(0x1234)", TlsRegistry.NamedGroups.Name(0x1234));
            Assert.Equal("unknown(0x0420)", TlsRegistry.SignatureSchemes.Name(0x0420));
            Assert.Equal("unknown(0x7777)", TlsRegistry.Extensions.Name(0x7777));
            Assert.Equal("unknown(0x0305)", TlsRegistry.Versions.Name(0x0305));
            Assert.Equal("unknown(0x7F)", TlsRegistry.Alerts.Name(0x7F));
            Assert.Equal("unknown(0x63)", TlsRegistry.HandshakeTypes.Name(99));
            Assert.Equal("unknown(0x03)", TlsRegistry.Alerts.LevelName(3));
            Assert.Equal("GREASE(0x0A0A)", TlsRegistry.Versions.Name(0x0A0A));
            Assert.Equal("GREASE(0xFAFA)", TlsRegistry.Extensions.Name(0xFAFA));
        }

        [Fact]
        public void Versions_UnknownWireValueIsNotTls13()
        {
            Assert.Null(TlsRegistry.Versions.FromWire(0x0305));
            Assert.Null(TlsRegistry.Versions.FromWire(0x7F1C)); // a TLS 1.3 draft
            Assert.Null(TlsRegistry.Versions.FromWire(0xFEFD)); // DTLS 1.2
            Assert.Equal(TlsVersion.Tls13, TlsRegistry.Versions.FromWire(0x0304));
            Assert.Equal(0x0300, TlsRegistry.Versions.ToWire(TlsVersion.Ssl30));
            Assert.Equal("TLS 1.2", TlsRegistry.Versions.Name(TlsVersion.Tls12));
            Assert.Equal("SSL 3.0", TlsRegistry.Versions.Name(0x0300));
            Assert.Equal(TlsVersion.Tls12, TlsRegistry.Versions.Parse("TLSv1.2"));
            Assert.Throws<TlsToolsException>(() => TlsRegistry.Versions.ToWire((TlsVersion)42));
        }

        [Fact]
        public void Alerts_Extensions_HandshakeTypes_And_GroupKinds()
        {
            Assert.Equal("unknown_ca", TlsRegistry.Alerts.Name(48));
            Assert.Contains("trusted CA", TlsRegistry.Alerts.Meaning(48));
            Assert.Equal("key_share", TlsRegistry.Extensions.Name(51));
            Assert.Equal("encrypted_client_hello", TlsRegistry.Extensions.Name(0xFE0D));
            Assert.Equal(TranscriptMessageType.Finished, TlsRegistry.HandshakeTypes.MessageType(20));
            Assert.Equal("client_hello", TlsRegistry.HandshakeTypes.Name(1));
            Assert.Equal(NamedGroupKind.HybridPostQuantum, TlsRegistry.NamedGroups.Find(4588)!.Kind);
            Assert.Equal(NamedGroupKind.FiniteField, TlsRegistry.NamedGroups.Find(256)!.Kind);
            Assert.Equal(NamedGroupKind.EllipticCurve, TlsRegistry.NamedGroups.Find(29)!.Kind);
            Assert.Equal(40, TlsRegistry.SignatureSchemes.All.Count);
            Assert.Equal(16, TlsRegistry.SignatureSchemes.Offerable.Count);
            Assert.Equal(20, TlsRegistry.NamedGroups.Offerable.Count);
            // BouncyCastle's own names agree with the registry wherever it has one.
            foreach (var g in TlsRegistry.NamedGroups.All)
            {
                var bcName = Org.BouncyCastle.Tls.NamedGroup.GetName(g.Code);
                if (bcName != null && bcName != "UNKNOWN") Assert.Equal(bcName, g.Name);
            }
            foreach (var s in TlsRegistry.SignatureSchemes.All)
            {
                var bcName = Org.BouncyCastle.Tls.SignatureScheme.GetName(s.Code);
                if (bcName != null && bcName != "UNKNOWN" && !bcName.StartsWith("UNKNOWN", StringComparison.Ordinal)) Assert.Equal(bcName, s.Name);
            }
        }
    }
}
