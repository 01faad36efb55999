using System;
using System.Collections.Generic;
using System.Linq;
using TlsTools.Tls;

namespace TlsTools.Scanning
{
    /// <summary>
    /// Checks a report against one configuration of Mozilla's Server Side TLS guidelines (<see cref="MozillaGuidelines"/>,
    /// version 5.7), one <see cref="PolicyDeviation"/> per fact: each version, suite (TLS 1.3 and ≤ 1.2) and group the server
    /// accepts beyond the configuration, each version it lacks, a DHE prime below dh_param_size, server cipher order where the
    /// configuration asks for it, OCSP stapling, and for every served chain its leaf's key type, RSA size or ECDSA curve,
    /// signature algorithm and lifetime. Fails closed: a fact the scan could not determine (OCSP stapling null, an unreadable
    /// leaf) is a deviation. Not checked: HSTS (an HTTP header, not TLS) and which client versions the guideline names.
    /// </summary>
    public static class PolicyChecker
    {
        public const string Versions = "TlsVersions";
        public const string Suites = "CipherSuites";
        public const string Order = "CipherOrder";
        public const string Groups = "NamedGroups";
        public const string DhParameters = "DhParameters";
        public const string Certificate = "Certificate";
        public const string CertificateSignature = "CertificateSignature";
        public const string CertificateLifetime = "CertificateLifetime";
        public const string OcspStapling = "OcspStapling";

        /// <summary>The report against <paramref name="policy"/>; <see cref="PolicyCompliance.Compliant"/> when no deviation.</summary>
        /// <exception cref="ArgumentNullException"><paramref name="report"/> is null.</exception>
        public static PolicyCompliance Check(ServerProfileReport report, TlsPolicy policy)
        {
            if (report == null) throw new ArgumentNullException(nameof(report));
            var g = MozillaGuidelines.For(policy);
            var d = new List<PolicyDeviation>();
            string profile = policy.ToString();

            // Versions: exactly tls_versions. SSL 2.0 is not a TlsVersion: the SSLv2 finding says the server speaks it.
            foreach (var v in report.TlsVersions.Where(v => !g.TlsVersions.Contains(v)))
                d.Add(Dev(Versions, "not " + VersionName(v) + " (" + profile + ": " + string.Join(", ", g.TlsVersions.Select(VersionName)) + ")", VersionName(v) + " enabled"));
            if (report.Findings.Any(f => f.Id == FindingIds.SSLv2 && f.Tested))
                d.Add(Dev(Versions, "not SSL 2.0", "SSL 2.0 enabled"));
            foreach (var v in g.TlsVersions.Where(v => !report.TlsVersions.Contains(v)))
                d.Add(Dev(Versions, VersionName(v) + " enabled", VersionName(v) + " not accepted"));

            // Suites, by code point: TLS 1.3 against ciphersuites, the rest against ciphers.openssl.
            foreach (var s in report.CipherSuites)
            {
                bool tls13 = s.TlsVersion == TlsVersion.Tls13;
                if (!(tls13 ? g.Tls13Ciphers : g.Ciphers).Contains(s.Code))
                    d.Add(Dev(Suites, (tls13 ? "a TLS 1.3 suite of " : "a suite of ") + profile,
                        s.Name + " with " + VersionName(s.TlsVersion) + " not in " + profile));
            }
            if (g.ServerPreferredOrder && report.ServerCipherPreference == false)
                d.Add(Dev(Order, "server cipher order", "the client's order is followed"));

            // Groups the server accepts beyond tls_curves (each named once, whatever versions accept it).
            foreach (var name in report.NamedGroups.Where(x => !g.Groups.Contains(x.Code)).Select(x => x.Name).Distinct())
                d.Add(Dev(Groups, "one of " + string.Join(", ", g.Groups.Select(TlsRegistry.NamedGroups.Name)), name + " not in " + profile));
            if (report.DhParameterBits is int dh && (g.DhParamSize == null || dh < g.DhParamSize))
                d.Add(Dev(DhParameters, g.DhParamSize == null ? "no DHE" : "DHE primes of at least " + g.DhParamSize + " bits", "DHE with a " + dh + "-bit prime"));

            if (g.OcspStaple && report.OcspStapling != true)
                d.Add(Dev(OcspStapling, "an OCSP response stapled", report.OcspStapling == false ? "no OCSP response stapled" : "OCSP stapling not determined"));

            foreach (var chain in report.CertificateChains) CheckChain(chain, g, profile, d);
            if (report.CertificateChains.Count == 0)
                d.Add(Dev(Certificate, "a certificate of type " + string.Join(" or ", g.CertificateTypes), "no certificate chain was read"));

            return new PolicyCompliance { Policy = profile, GuidelineVersion = MozillaGuidelines.Version, Compliant = d.Count == 0, Deviations = d };
        }

        /// <summary>Each chain must pass the certificate rules for its key type: type, RSA size, ECDSA curve, leaf signature, lifetime.</summary>
        private static void CheckChain(ServedCertificateChain chain, GuidelineConfiguration g, string profile, List<PolicyDeviation> d)
        {
            var leaf = chain.Certificates.FirstOrDefault();
            string who = "leaf " + (chain.Subject ?? "(unreadable)") + (chain.KeyAlgorithm != null ? " (" + chain.KeyAlgorithm + ")" : "");
            if (leaf == null)
            {
                d.Add(Dev(Certificate, "a readable leaf certificate", who + " could not be read"));
                return;
            }
            string family = KeyFamily.Of(leaf.KeyAlgorithm);
            if (!g.CertificateTypes.Contains(family))
                d.Add(Dev(Certificate, "certificate type " + string.Join(" or ", g.CertificateTypes), who + ": type " + family + " not in " + profile));
            else if (family == KeyFamily.Rsa && g.RsaKeySize is int rsa && leaf.KeySize < rsa)
                d.Add(Dev(Certificate, "RSA keys of at least " + rsa + " bits", who + ": " + leaf.KeySize + "-bit RSA key"));
            else if (family == KeyFamily.Ecdsa)
            {
                var curve = KeyFamily.Curve(leaf.KeyAlgorithm);
                if (curve == null || !g.CertificateCurves.Contains(curve.Code))
                    d.Add(Dev(Certificate, "ECDSA on " + string.Join(" or ", g.CertificateCurves.Select(TlsRegistry.NamedGroups.Name)),
                        who + ": curve " + (curve?.Name ?? leaf.KeyAlgorithm) + " not in " + profile));
            }
            if (!g.CertificateSignatures.Contains(leaf.SignatureAlgorithm))
                d.Add(Dev(CertificateSignature, "one of " + string.Join(", ", g.CertificateSignatures), who + ": signed with " + leaf.SignatureAlgorithm));
            int lifetime = (int)Math.Floor((leaf.NotAfter - leaf.NotBefore).TotalDays); // whole days: an hour of backdating is no extra day
            if (lifetime > g.MaximumCertificateLifespanDays)
                d.Add(Dev(CertificateLifetime, "at most " + g.MaximumCertificateLifespanDays + " days", who + ": valid for " + lifetime + " days"));
        }

        private static string VersionName(TlsVersion v) => TlsRegistry.Versions.Name(v);

        private static PolicyDeviation Dev(string area, string expected, string actual) =>
            new PolicyDeviation { Area = area, Expected = expected, Actual = actual };
    }
}
