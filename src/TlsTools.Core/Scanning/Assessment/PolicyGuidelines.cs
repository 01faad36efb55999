using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using TlsTools.Tls;

namespace TlsTools.Scanning
{
    /// <summary>One configuration (modern, intermediate or old) of Mozilla's Server Side TLS guidelines, as published.</summary>
    internal sealed class GuidelineConfiguration
    {
        public TlsPolicy Policy { get; set; }

        /// <summary>The configuration's name in the guideline file: modern, intermediate, old.</summary>
        public string Name { get; set; } = "";

        /// <summary>tls_versions.</summary>
        public List<TlsVersion> TlsVersions { get; } = new List<TlsVersion>();

        /// <summary>ciphers.openssl (TLS ≤ 1.2), as registry code points, in the guideline's order.</summary>
        public List<int> Ciphers { get; } = new List<int>();

        /// <summary>ciphersuites (TLS 1.3), as registry code points.</summary>
        public List<int> Tls13Ciphers { get; } = new List<int>();

        /// <summary>tls_curves, as registry group code points.</summary>
        public List<int> Groups { get; } = new List<int>();

        /// <summary>certificate_types: rsa, ecdsa.</summary>
        public List<string> CertificateTypes { get; } = new List<string>();

        /// <summary>certificate_curves, as registry group code points (prime256v1 is secp256r1).</summary>
        public List<int> CertificateCurves { get; } = new List<int>();

        /// <summary>certificate_signatures, in OpenSSL's words (sha256WithRSAEncryption, ecdsa-with-SHA256): the words
        /// <see cref="Pki.Certificate.SignatureAlgorithm"/> uses.</summary>
        public List<string> CertificateSignatures { get; } = new List<string>();

        public int? RsaKeySize { get; set; }
        public int? DhParamSize { get; set; }
        public int? EcdhParamSize { get; set; }
        public int MaximumCertificateLifespanDays { get; set; }
        public bool OcspStaple { get; set; }
        public bool ServerPreferredOrder { get; set; }
        public long HstsMinAge { get; set; }
    }

    /// <summary>
    /// Mozilla's Server Side TLS guidelines, read from the published JSON (embedded as a resource, unmodified; source, version and
    /// MPL-2.0 licence in Scanning/Assessment/Guidelines/README.md). Suite names are resolved through <see cref="TlsRegistry"/>
    /// (the OpenSSL names of ciphers.openssl, the IANA names of ciphersuites), group names too: no name table here.
    /// </summary>
    internal static class MozillaGuidelines
    {
        /// <summary>The guideline version the rules come from.</summary>
        public const string Version = "5.7";

        /// <summary>Where the data was published.</summary>
        public const string SourceUrl = "https://ssl-config.mozilla.org/guidelines/5.7.json";

        internal const string ResourceName = "TlsTools.Guidelines.mozilla-5.7.json";

        private static readonly Lazy<IReadOnlyDictionary<TlsPolicy, GuidelineConfiguration>> Data =
            new Lazy<IReadOnlyDictionary<TlsPolicy, GuidelineConfiguration>>(Load);

        public static GuidelineConfiguration For(TlsPolicy policy) =>
            Data.Value.TryGetValue(policy, out var c) ? c
                : throw new ArgumentOutOfRangeException(nameof(policy), policy, "Not a policy of the Mozilla guidelines.");

        /// <summary>The raw guideline file as parsed JSON (tests compare it with the resolved configuration).</summary>
        internal static Dictionary<string, object?> Raw()
        {
            using var stream = typeof(MozillaGuidelines).Assembly.GetManifestResourceStream(ResourceName)
                ?? throw new InvalidOperationException("The embedded resource " + ResourceName + " is missing from TlsTools.Core.");
            using var reader = new StreamReader(stream);
            return (Dictionary<string, object?>)JsonTree.Parse(reader.ReadToEnd())!;
        }

        private static IReadOnlyDictionary<TlsPolicy, GuidelineConfiguration> Load()
        {
            var root = Raw();
            var version = Convert.ToString(root["version"], CultureInfo.InvariantCulture);
            if (version != Version) throw new InvalidOperationException("The embedded guidelines are version " + version + ", not " + Version + ".");
            var configurations = (Dictionary<string, object?>)root["configurations"]!;
            var result = new Dictionary<TlsPolicy, GuidelineConfiguration>();
            foreach (var (policy, name) in new[] { (TlsPolicy.MozillaModern, "modern"), (TlsPolicy.MozillaIntermediate, "intermediate"), (TlsPolicy.MozillaOld, "old") })
                result[policy] = Read(policy, name, (Dictionary<string, object?>)configurations[name]!);
            return result;
        }

        private static GuidelineConfiguration Read(TlsPolicy policy, string name, Dictionary<string, object?> c)
        {
            var g = new GuidelineConfiguration
            {
                Policy = policy,
                Name = name,
                RsaKeySize = Int(c["rsa_key_size"]),
                DhParamSize = Int(c["dh_param_size"]),
                EcdhParamSize = Int(c["ecdh_param_size"]),
                MaximumCertificateLifespanDays = Int(c["maximum_certificate_lifespan"]) ?? 0,
                OcspStaple = c["ocsp_staple"] is true,
                ServerPreferredOrder = c["server_preferred_order"] is true,
                HstsMinAge = Int(c["hsts_min_age"]) ?? 0,
            };
            g.TlsVersions.AddRange(Strings(c["tls_versions"]).Select(TlsRegistry.Versions.Parse));
            var ciphers = (Dictionary<string, object?>)c["ciphers"]!;
            g.Ciphers.AddRange(Strings(ciphers["openssl"]).Select(TlsRegistry.CipherSuites.Parse));
            g.Tls13Ciphers.AddRange(Strings(c["ciphersuites"]).Select(TlsRegistry.CipherSuites.Parse));
            g.Groups.AddRange(Strings(c["tls_curves"]).Select(TlsRegistry.NamedGroups.Parse));
            g.CertificateCurves.AddRange(Strings(c["certificate_curves"]).Select(TlsRegistry.NamedGroups.Parse));
            g.CertificateTypes.AddRange(Strings(c["certificate_types"]));
            g.CertificateSignatures.AddRange(Strings(c["certificate_signatures"]));
            return g;
        }

        internal static IEnumerable<string> Strings(object? list) =>
            list is List<object?> items ? items.Select(x => Convert.ToString(x, CultureInfo.InvariantCulture) ?? "") : Enumerable.Empty<string>();

        private static int? Int(object? value) => value == null ? (int?)null : Convert.ToInt32(value, CultureInfo.InvariantCulture);
    }
}
