using System;
using TlsTools.Scanning;

namespace TlsTools.Tls
{
    /// <summary>
    /// The finding scenarios of <see cref="ScenarioFactory"/>: each a <see cref="VulnerablePersonality"/> that answers probes the
    /// way an old or broken server would, so every finding of Get-TlsServerProfile has a positive test (SSL 3.0 and RC4 are
    /// absent from Debian's OpenSSL, and no maintained server has Heartbleed).
    /// </summary>
    internal static class VulnerableScenarios
    {
        private const string EcdheGcm = "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256";

        /// <summary>True for the scenarios a scripted server answers.</summary>
        public static bool IsScripted(TlsScenario scenario) => scenario >= TlsScenario.Sslv2;

        /// <summary>The personality, the finding Id a correct assessment reports, and the description.</summary>
        public static (VulnerablePersonality Personality, string Expected, string Description) For(TlsScenario scenario)
        {
            switch (scenario)
            {
                case TlsScenario.Sslv2:
                    return (new VulnerablePersonality { Ssl2 = true, Suites = new[] { EcdheGcm } }, FindingIds.SSLv2,
                        "scripted: answers an SSL 2.0 CLIENT-HELLO with SERVER-HELLO (DROWN); TLS 1.2 otherwise");
                case TlsScenario.LegacyProtocols:
                    return (new VulnerablePersonality
                    {
                        Versions = new[] { TlsVersion.Ssl30, TlsVersion.Tls10, TlsVersion.Tls11, TlsVersion.Tls12 },
                        Suites = new[] { "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "TLS_RSA_WITH_AES_128_CBC_SHA" },
                    }, FindingIds.SSLv3, "scripted: SSL 3.0, TLS 1.0, 1.1 and 1.2 with CBC suites, no TLS_FALLBACK_SCSV check (POODLE, BEAST)");
                case TlsScenario.WeakCiphers:
                    return (new VulnerablePersonality
                    {
                        Versions = new[] { TlsVersion.Tls10, TlsVersion.Tls12 },
                        Suites = new[]
                        {
                            "TLS_RSA_WITH_RC4_128_SHA", "TLS_RSA_WITH_RC4_128_MD5", "TLS_RSA_WITH_3DES_EDE_CBC_SHA", "TLS_RSA_EXPORT_WITH_RC4_40_MD5",
                            "TLS_DHE_RSA_EXPORT_WITH_DES40_CBC_SHA", "TLS_DH_anon_WITH_AES_128_CBC_SHA", "TLS_RSA_WITH_NULL_SHA",
                            "TLS_DHE_RSA_WITH_AES_128_CBC_SHA",
                        },
                        DhPrimeBits = 1024,
                    }, FindingIds.RC4, "scripted: RC4, 3DES, EXPORT, anonymous and NULL suites, a 1024-bit DHE prime, RSA key exchange preferred");
                case TlsScenario.Heartbleed:
                    return (new VulnerablePersonality { Suites = new[] { EcdheGcm }, Heartbleed = true }, FindingIds.Heartbleed,
                        "scripted: answers heartbeat requests without checking their padding (echoes only the bytes received)");
                case TlsScenario.CcsInjection:
                    return (new VulnerablePersonality { Suites = new[] { EcdheGcm }, EarlyCcs = true }, FindingIds.CcsInjection,
                        "scripted: takes a ChangeCipherSpec before the key exchange (CVE-2014-0224), then fails the next record's MAC");
                case TlsScenario.Compression:
                    return (new VulnerablePersonality { Suites = new[] { EcdheGcm }, Deflate = true }, FindingIds.Crime,
                        "scripted: picks DEFLATE compression when offered (CRIME)");
                case TlsScenario.InsecureRenegotiation:
                    return (new VulnerablePersonality { Suites = new[] { EcdheGcm }, SecureRenegotiation = false }, FindingIds.NoSecureRenegotiation,
                        "scripted: no renegotiation_info in its ServerHello (no RFC 5746 secure renegotiation)");
                default:
                    throw new ArgumentOutOfRangeException(nameof(scenario));
            }
        }
    }
}
