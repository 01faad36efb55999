using System;
using System.Collections.Generic;
using System.Linq;
using TlsTools.Pki;
using TlsTools.Scanning;
using TlsTools.Tls;

namespace TlsTools.Tests.Scanning.Assessment
{
    /// <summary>Reports made by hand for the grade, policy and comparer tests: versions, suites (from the registry), chains.</summary>
    internal static class HandMadeReports
    {
        private static readonly Lazy<Certificate> Ca = new Lazy<Certificate>(() =>
            Issuance.CreateCa(new CertificateOptions { Subject = "CN=Assessment Test CA" }, KeyFactory.Generate(KeyAlgorithm.EcdsaP256), null));

        private static readonly Dictionary<(KeyAlgorithm, int), Certificate> Leaves = new Dictionary<(KeyAlgorithm, int), Certificate>();

        /// <summary>A leaf for www.example.test with this key, valid for <paramref name="days"/> days (cached per key and days).</summary>
        public static Certificate Leaf(KeyAlgorithm alg, int days = 90)
        {
            lock (Leaves)
            {
                if (!Leaves.TryGetValue((alg, days), out var c))
                {
                    var o = new CertificateOptions { Subject = "CN=www.example.test", ValidityDays = days };
                    o.DnsNames.Add("www.example.test");
                    Leaves[(alg, days)] = c = Issuance.CreateLeaf(o, Ca.Value, null, KeyFactory.Generate(alg));
                }
                return c;
            }
        }

        public static ServedCertificateChain Chain(Certificate leaf, params string[] failedChecks) => new ServedCertificateChain
        {
            TlsVersion = TlsVersion.Tls12,
            Certificates = new List<Certificate> { leaf, Ca.Value },
            KeyAlgorithm = leaf.KeyAlgorithm, Subject = leaf.Subject, Issuer = leaf.Issuer, NotAfter = leaf.NotAfter,
            DaysUntilExpiry = leaf.DaysUntilExpiry, ValidatedFor = "www.example.test", IsValid = failedChecks.Length == 0,
            Verdict = failedChecks.Length == 0 ? "Valid" : "Invalid: " + string.Join(", ", failedChecks),
            ValidationFailures = failedChecks.Select(c => new ChainProblem { Check = c, Message = c }).ToList(),
        };

        public static CipherSuiteEntry Suite(TlsVersion version, string name)
        {
            var s = TlsRegistry.CipherSuites.FindByName(name) ?? throw new ArgumentException("unknown suite " + name);
            return new CipherSuiteEntry
            {
                TlsVersion = version, Name = s.Name, OpenSslName = s.OpenSslName, Code = s.Code, KeyExchange = s.KeyExchange,
                Authentication = s.Authentication, Encryption = s.Encryption, Mac = s.Mac, KeySize = s.KeySize, Strength = s.Strength,
            };
        }

        public static NamedGroupEntry Group(TlsVersion version, string name)
        {
            var g = TlsRegistry.NamedGroups.FindByName(name)!;
            return new NamedGroupEntry { TlsVersion = version, Name = g.Name, Code = g.Code };
        }

        /// <summary>A good modern server: TLS 1.2 (ECDHE-ECDSA AES-GCM/ChaCha) and TLS 1.3, x25519/P-256/P-384, one valid
        /// ECDSA P-256 chain, OCSP stapling, secure renegotiation, findings all passed.</summary>
        public static ServerProfileReport Good(KeyAlgorithm key = KeyAlgorithm.EcdsaP256)
        {
            var r = new ServerProfileReport { HostName = "www.example.test", Port = 443, IPAddress = "127.0.0.1", ServerName = "www.example.test" };
            r.TlsVersions.AddRange(new[] { TlsVersion.Tls12, TlsVersion.Tls13 });
            foreach (var s in new[] { "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256" })
                r.CipherSuites.Add(Suite(TlsVersion.Tls13, s));
            bool rsa = key.ToString().StartsWith("Rsa", StringComparison.Ordinal);
            foreach (var s in rsa
                ? new[] { "ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-RSA-AES256-GCM-SHA384", "ECDHE-RSA-CHACHA20-POLY1305" }
                : new[] { "ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-ECDSA-CHACHA20-POLY1305" })
                r.CipherSuites.Add(Suite(TlsVersion.Tls12, s));
            foreach (var v in new[] { TlsVersion.Tls13, TlsVersion.Tls12 })
                foreach (var g in new[] { "x25519", "secp256r1", "secp384r1" })
                    r.NamedGroups.Add(Group(v, g));
            r.CipherPreference.Add(new CipherPreferenceEntry { TlsVersion = TlsVersion.Tls12, ServerOrder = false });
            r.ServerCipherPreference = false;
            r.CertificateChains.Add(Chain(Leaf(key)));
            r.OcspStapling = true;
            r.SecureRenegotiation = true;
            r.PassedChecks.AddRange(new[] { FindingIds.SSLv2, FindingIds.Heartbleed, FindingIds.CcsInjection, FindingIds.Crime });
            return r;
        }
    }
}
