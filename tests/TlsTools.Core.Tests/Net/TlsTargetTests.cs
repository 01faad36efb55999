using System;
using TlsTools.Net;
using Xunit;

namespace TlsTools.Tests.Net
{
    /// <summary>TlsTarget.Parse and Create: every accepted form, the malformed ones with their ErrorIds, and the SNI rule.</summary>
    public sealed class TlsTargetTests
    {
        [Theory]
        [InlineData("example.com", "example.com", 443, false, "example.com", "example.com:443")]
        [InlineData("  example.com  ", "example.com", 443, false, "example.com", "example.com:443")]
        [InlineData("example.com:8443", "example.com", 8443, false, "example.com", "example.com:8443")]
        [InlineData("example.com.:8443", "example.com.", 8443, false, "example.com", "example.com.:8443")]
        [InlineData("localhost", "localhost", 443, false, "localhost", "localhost:443")]
        [InlineData("127.0.0.1", "127.0.0.1", 443, true, null, "127.0.0.1:443")]
        [InlineData("127.0.0.1:8443", "127.0.0.1", 8443, true, null, "127.0.0.1:8443")]
        [InlineData("[::1]:8443", "::1", 8443, true, null, "[::1]:8443")]
        [InlineData("[::1]", "::1", 443, true, null, "[::1]:443")]
        [InlineData("::1", "::1", 443, true, null, "[::1]:443")]
        [InlineData("2001:db8::1", "2001:db8::1", 443, true, null, "[2001:db8::1]:443")]
        [InlineData("[2001:DB8:0:0::1]:1", "2001:db8::1", 1, true, null, "[2001:db8::1]:1")]
        [InlineData("https://example.com/", "example.com", 443, false, "example.com", "example.com:443")]
        [InlineData("https://example.com", "example.com", 443, false, "example.com", "example.com:443")]
        [InlineData("HTTPS://example.com:8443/path?q=1#f", "example.com", 8443, false, "example.com", "example.com:8443")]
        [InlineData("https://127.0.0.1:65535/", "127.0.0.1", 65535, true, null, "127.0.0.1:65535")]
        [InlineData("https://[::1]:8443/", "::1", 8443, true, null, "[::1]:8443")]
        [InlineData("https://[::1]/", "::1", 443, true, null, "[::1]:443")]
        [InlineData("_dmarc.example.com", "_dmarc.example.com", 443, false, "_dmarc.example.com", "_dmarc.example.com:443")]
        public void EveryFormParsesToHostPortAndSni(string text, string host, int port, bool isIp, string? sni, string display)
        {
            var t = TlsTarget.Parse(text);
            Assert.Equal(host, t.Host);
            Assert.Equal(port, t.Port);
            Assert.Equal(isIp, t.IsIPAddress);
            Assert.Equal(sni, t.ServerName);
            Assert.Equal(display, t.ToString());
            Assert.Equal(StartTlsProtocol.None, t.StartTls);
            Assert.Equal(isIp ? host : null, t.Address);
        }

        [Theory]
        [InlineData("", "InvalidTarget")]
        [InlineData("   ", "InvalidTarget")]
        [InlineData("bad host", "InvalidTarget")]
        [InlineData("a..b", "InvalidTarget")]
        [InlineData("-a.example", "InvalidTarget")]
        [InlineData("8443", "InvalidTarget")]
        [InlineData("127.1", "InvalidTarget")]
        [InlineData("256.0.0.1", "InvalidTarget")]
        [InlineData("[::1", "InvalidTarget")]
        [InlineData("[::1]8443", "InvalidTarget")]
        [InlineData("[example.com]:443", "InvalidTarget")]
        [InlineData("1:2:3", "InvalidTarget")]
        [InlineData("http://example.com/", "InvalidTarget")]
        [InlineData("tls://example.com:443", "InvalidTarget")]
        [InlineData("https://user@example.com/", "InvalidTarget")]
        [InlineData("https:///", "InvalidTarget")]
        [InlineData("example.com:", "InvalidPort")]
        [InlineData("example.com:0", "InvalidPort")]
        [InlineData("example.com:65536", "InvalidPort")]
        [InlineData("example.com:http", "InvalidPort")]
        [InlineData("example.com:-1", "InvalidPort")]
        [InlineData("[::1]:99999", "InvalidPort")]
        [InlineData("https://example.com:0/", "InvalidPort")]
        public void MalformedTargetsHaveOneErrorIdPerFault(string text, string errorId)
        {
            var e = Assert.Throws<TlsToolsException>(() => TlsTarget.Parse(text));
            Assert.Equal(errorId, e.ErrorId);
            Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        }

        [Fact]
        public void AGivenPortIsUsedOnlyWhenTheTextHasNone()
        {
            Assert.Equal(8443, TlsTarget.Parse("example.com", 8443).Port);
            Assert.Equal(8443, TlsTarget.Parse("[::1]", 8443).Port);
            Assert.Equal(8443, TlsTarget.Parse("::1", 8443).Port);
            Assert.Equal(8443, TlsTarget.Parse("https://example.com/", 8443).Port);
            Assert.Equal(8443, TlsTarget.Parse("example.com:8443", 8443).Port);
            Assert.Equal("PortConflict", Assert.Throws<TlsToolsException>(() => TlsTarget.Parse("example.com:8443", 443)).ErrorId);
            Assert.Equal("InvalidPort", Assert.Throws<TlsToolsException>(() => TlsTarget.Parse("example.com", 0)).ErrorId);
            Assert.Equal("InvalidPort", Assert.Throws<TlsToolsException>(() => TlsTarget.Create("example.com", 70000)).ErrorId);
        }

        [Fact]
        public void SniRule_DefaultNameOrNone_ExplicitName_EmptyMeansNone()
        {
            // Not given: the host when it is a DNS name (no trailing dot), none for an IP literal.
            Assert.Equal("www.example.com", TlsTarget.Parse("www.example.com.").ServerName);
            Assert.Null(TlsTarget.Parse("127.0.0.1").ServerName);
            Assert.Null(TlsTarget.Parse("[::1]:8443").ServerName);
            // A name: that name.
            Assert.Equal("other.test", TlsTarget.Parse("127.0.0.1", serverName: "other.test").ServerName);
            Assert.Equal("other.test", TlsTarget.Parse("www.example.com", serverName: " other.test ").ServerName);
            // '' (or blank): no SNI, for a DNS host too.
            Assert.Null(TlsTarget.Parse("www.example.com", serverName: "").ServerName);
            Assert.Null(TlsTarget.Parse("www.example.com", serverName: "  ").ServerName);
            // SNI carries DNS names only.
            Assert.Equal("InvalidServerName", Assert.Throws<TlsToolsException>(() => TlsTarget.Parse("example.com", serverName: "10.0.0.1")).ErrorId);
            Assert.Equal("InvalidServerName", Assert.Throws<TlsToolsException>(() => TlsTarget.Parse("example.com", serverName: "a b")).ErrorId);
        }

        [Fact]
        public void ValidationName_IsTheSniElseTheHost()
        {
            var ip = TlsTarget.Parse("127.0.0.1:8443");
            Assert.Equal("127.0.0.1", ip.ValidationName);
            Assert.True(ip.ValidatesAsIPAddress);
            var ipWithSni = ip.WithServerName("www.example.com");
            Assert.Equal("www.example.com", ipWithSni.ValidationName);
            Assert.False(ipWithSni.ValidatesAsIPAddress);
            var v6 = TlsTarget.Parse("::1");
            Assert.Equal("::1", v6.ValidationName);
            Assert.True(v6.ValidatesAsIPAddress);
            var nameNoSni = TlsTarget.Parse("www.example.com.", serverName: "");
            Assert.Null(nameNoSni.ServerName);
            Assert.Equal("www.example.com", nameNoSni.ValidationName);
            Assert.False(nameNoSni.ValidatesAsIPAddress);
        }

        [Fact]
        public void WithServerNameAndWithAddressKeepTheRest()
        {
            var t = TlsTarget.Parse("www.example.com:8443");
            Assert.Null(t.Address);
            var bound = t.WithAddress(System.Net.IPAddress.Loopback);
            Assert.Equal("127.0.0.1", bound.Address);
            Assert.Equal("www.example.com", bound.Host);
            Assert.False(bound.IsIPAddress);
            Assert.Equal("www.example.com", bound.ServerName);
            Assert.Equal("www.example.com:8443", bound.ToString());
            var none = bound.WithServerName("");
            Assert.Null(none.ServerName);
            Assert.Equal("127.0.0.1", none.Address);
            Assert.Equal(8443, none.Port);
            Assert.Equal("www.example.com", bound.WithServerName(null).ServerName);
            var literal = TlsTarget.Parse("127.0.0.1");
            Assert.Same(literal, literal.WithAddress(System.Net.IPAddress.IPv6Loopback));
        }

        [Fact]
        public void InternationalNamesBecomeTheirAsciiForm()
        {
            var t = TlsTarget.Parse("bücher.example:444");
            Assert.Equal("xn--bcher-kva.example", t.Host);
            Assert.Equal("xn--bcher-kva.example", t.ServerName);
        }

        [Fact]
        public void CreateTakesBracketedOrBareIPv6AndRejectsAPortInTheHost()
        {
            Assert.Equal("::1", TlsTarget.Create("[::1]", 8443).Host);
            Assert.Equal("::1", TlsTarget.Create("::1", 8443).Host);
            Assert.Equal("InvalidTarget", Assert.Throws<TlsToolsException>(() => TlsTarget.Create("example.com:8443", 443)).ErrorId);
            Assert.Equal("InvalidTarget", Assert.Throws<TlsToolsException>(() => TlsTarget.Create("", 443)).ErrorId);
        }
    }
}
