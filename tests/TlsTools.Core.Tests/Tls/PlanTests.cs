using System;
using System.Linq;
using TlsTools.Tls;
using Xunit;

namespace TlsTools.Tests.Tls
{
    /// <summary>The options of a handshake turned into BouncyCastle's values (TlsClientRunner.Plan): the versions offered.</summary>
    public class PlanTests
    {
        private static string[] Versions(params TlsVersion[]? asked) =>
            TlsClientRunner.Plan.From(new HandshakeOptions { HostName = "127.0.0.1", Port = 443, TlsVersions = asked })
                .Versions.Select(v => v.ToString()).ToArray();

        [Fact]
        public void Without_versions_TLS_13_and_12_are_offered_newest_first()
        {
            Assert.Equal(new[] { "TLS 1.3", "TLS 1.2" }, Versions(null));
            Assert.Equal(new[] { "TLS 1.3", "TLS 1.2" }, Versions());
        }

        [Fact]
        public void Asked_versions_are_offered_once_each_newest_first_in_any_order_given()
        {
            Assert.Equal(new[] { "TLS 1.3", "TLS 1.2", "TLS 1.0" }, Versions(TlsVersion.Tls12, TlsVersion.Tls10, TlsVersion.Tls13, TlsVersion.Tls12));
            Assert.Equal(new[] { "SSL 3.0" }, Versions(TlsVersion.Ssl30, TlsVersion.Ssl30));
        }

        [Fact]
        public void A_value_outside_the_enum_is_UnknownTlsVersion()
        {
            var e = Assert.Throws<TlsToolsException>(() => Versions(TlsVersion.Tls12, (TlsVersion)9));
            Assert.Equal(ErrorIds.UnknownTlsVersion, e.ErrorId);
            Assert.Throws<TlsToolsException>(() => Versions((TlsVersion)(-1)));
        }
    }
}
