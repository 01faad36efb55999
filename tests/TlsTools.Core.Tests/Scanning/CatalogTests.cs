using TlsTools.Tls;
using System.Linq;
using Xunit;

namespace TlsTools.Tests.Scanning
{
    public sealed class CatalogTests
    {
        [Fact]
        public void CatalogCoversLegacyAndModernCodePoints()
        {
            Assert.True(TlsRegistry.CipherSuites.All.Count > 340, "only " + TlsRegistry.CipherSuites.All.Count);
            Assert.Equal(TlsRegistry.CipherSuites.All.Count, TlsRegistry.CipherSuites.All.Select(s => s.Code).Distinct().Count());
            Assert.Null(TlsRegistry.CipherSuites.Find(0x00FF)); // SCSV is not a suite
            foreach (var code in new[] { 0x0003, 0x0004, 0x0009, 0x000A, 0x0018, 0x001E, 0x002C, 0x0041, 0x0096, 0x00A8, 0xC02F, 0xC072,
                         0xC050, 0xC09C, 0xCCA8, 0x1301, 0x1305, 0xC100, 0xC103, 0x1306, 0xC0B0 })
                Assert.NotNull(TlsRegistry.CipherSuites.Find(code));
        }

        [Fact]
        public void PartsAreParsedFromTheIanaName()
        {
            var s = TlsRegistry.CipherSuites.Find(0xC02F)!;
            Assert.Equal("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", s.Name);
            Assert.Equal(("ECDHE", "RSA", "AES_128_GCM", "AEAD", 128), (s.KeyExchange, s.Authentication, s.Encryption, s.Mac, s.KeySize));
            Assert.Equal(CipherSuiteStrength.Secure, s.Strength);
            Assert.Equal("ECDHE-RSA-AES128-GCM-SHA256", s.OpenSslName);
            Assert.Same(s, TlsRegistry.CipherSuites.FindByName("ecdhe-rsa-aes128-gcm-sha256"));

            var t = TlsRegistry.CipherSuites.Find(0x1303)!;
            Assert.Equal(("ANY", "ANY", "CHACHA20_POLY1305", "AEAD", 256), (t.KeyExchange, t.Authentication, t.Encryption, t.Mac, t.KeySize));
            Assert.True(t.IsTls13);

            var des3 = TlsRegistry.CipherSuites.Find(0x000A)!;
            Assert.Equal(("RSA", "3DES_EDE_CBC", "SHA1", 112), (des3.KeyExchange, des3.Encryption, des3.Mac, des3.KeySize));
            Assert.Equal(CipherSuiteStrength.Weak, des3.Strength);
            Assert.Contains("SWEET32", des3.StrengthReason);
            Assert.Contains("forward secrecy", des3.StrengthReason);

            var exp = TlsRegistry.CipherSuites.Find(0x0003)!; // TLS_RSA_EXPORT_WITH_RC4_40_MD5
            Assert.Equal((true, 40, "MD5", CipherSuiteStrength.Insecure), (exp.Export, exp.KeySize, exp.Mac, exp.Strength));
            Assert.Contains("EXPORT", exp.StrengthReason);
            Assert.Contains("RC4", exp.StrengthReason);

            Assert.Equal(CipherSuiteStrength.Insecure, TlsRegistry.CipherSuites.Find(0x0001)!.Strength); // NULL_MD5
            Assert.Equal(CipherSuiteStrength.Insecure, TlsRegistry.CipherSuites.Find(0x0034)!.Strength); // DH_anon
            Assert.Equal(CipherSuiteStrength.Insecure, TlsRegistry.CipherSuites.Find(0x0009)!.Strength); // DES
            Assert.Equal("KRB5", TlsRegistry.CipherSuites.Find(0x001E)!.KeyExchange);
            Assert.Equal(("GOST", "GOST", 256), (TlsRegistry.CipherSuites.Find(0xC100)!.KeyExchange, TlsRegistry.CipherSuites.Find(0xC100)!.Mac, TlsRegistry.CipherSuites.Find(0xC100)!.KeySize));
            Assert.Equal(("NULL", "SHA256"), (TlsRegistry.CipherSuites.Find(0xC0B4)!.Encryption, TlsRegistry.CipherSuites.Find(0xC0B4)!.Mac));
            Assert.All(TlsRegistry.CipherSuites.All.Where(c => c.Code != 0 && c.Encryption != "NULL"), c => Assert.True(c.KeySize > 0, c.Name));
        }

        [Fact]
        public void RatingDependsOnTheVersionForCbc()
        {
            var cbc = TlsRegistry.CipherSuites.Find(0xC013)!; // ECDHE_RSA_WITH_AES_128_CBC_SHA
            Assert.Equal(CipherSuiteStrength.Secure, TlsRegistry.CipherSuites.Rate(cbc, TlsVersion.Tls12).Strength);
            Assert.Equal(CipherSuiteStrength.Weak, TlsRegistry.CipherSuites.Rate(cbc, TlsVersion.Tls10).Strength);
            Assert.Equal(CipherSuiteStrength.Insecure, TlsRegistry.CipherSuites.Rate(cbc, TlsVersion.Ssl30).Strength);
        }

        [Fact]
        public void NamedGroupsAndSignatureSchemes()
        {
            Assert.Equal(29, TlsRegistry.NamedGroups.FindByName("x25519")!.Code);
            Assert.Equal(4588, TlsRegistry.NamedGroups.FindByName("X25519MLKEM768")!.Code);
            Assert.Equal(23, TlsRegistry.NamedGroups.FindByName("P-256")!.Code);
            Assert.Equal("ffdhe8192", TlsRegistry.NamedGroups.Find(260)!.Name);
            Assert.Equal("brainpoolP256r1", TlsRegistry.NamedGroups.Find(26)!.Name);
            Assert.Equal("sect163k1", TlsRegistry.NamedGroups.Find(1)!.Name);
            Assert.Equal("rsa_pss_rsae_sha256", TlsRegistry.SignatureSchemes.Find(0x0804)!.Name);
            Assert.Equal(TlsRegistry.NamedGroups.All.Count, TlsRegistry.NamedGroups.All.Select(g => g.Code).Distinct().Count());
        }
    }
}
