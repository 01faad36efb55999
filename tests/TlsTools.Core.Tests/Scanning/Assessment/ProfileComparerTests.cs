using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using TlsTools.Pki;
using TlsTools.Scanning;
using TlsTools.Tls;
using Xunit;
using static TlsTools.Tests.Scanning.Assessment.HandMadeReports;

namespace TlsTools.Tests.Scanning.Assessment
{
    /// <summary>Compare-TlsServerProfile's core: facts per area, certificates by key type, and saved forms that compare equal.</summary>
    public sealed class ProfileComparerTests
    {
        [Fact]
        public void AReportEqualsItself()
        {
            var r = Good();
            Grading.Apply(r);
            Assert.Empty(ProfileComparer.Compare(r, r));
            Assert.Empty(ProfileComparer.Compare(Good(), Good()));
        }

        [Fact]
        public void VersionsSuitesGroupsFindingsAndGradeAreAddedRemovedOrChanged()
        {
            var before = Good();
            var after = Good();
            after.TlsVersions.Remove(TlsVersion.Tls13);
            after.CipherSuites.RemoveAll(s => s.TlsVersion == TlsVersion.Tls13);
            after.NamedGroups.RemoveAll(g => g.TlsVersion == TlsVersion.Tls13);
            after.TlsVersions.Insert(0, TlsVersion.Tls10);
            after.CipherSuites.Add(Suite(TlsVersion.Tls10, "TLS_RSA_WITH_AES_128_CBC_SHA"));
            after.Findings.Add(new Finding { Id = FindingIds.TLS10, Severity = FindingSeverity.Medium, Title = "TLS 1.0 enabled" });
            after.OcspStapling = false;
            Grading.Apply(before);
            Grading.Apply(after);

            var d = ProfileComparer.Compare(before, after);
            Assert.Contains(d, x => x.Area == "TlsVersions" && x.Change == ProfileChange.Removed && x.Item == "TLS 1.3" && x.Symbol == "-");
            Assert.Contains(d, x => x.Area == "TlsVersions" && x.Change == ProfileChange.Added && x.Item == "TLS 1.0" && x.Symbol == "+");
            Assert.Equal(3, d.Count(x => x.Area == "CipherSuites" && x.Change == ProfileChange.Removed));
            Assert.Contains(d, x => x.Area == "CipherSuites" && x.Change == ProfileChange.Added && x.Item == "TLS 1.0 TLS_RSA_WITH_AES_128_CBC_SHA");
            Assert.Equal(3, d.Count(x => x.Area == "NamedGroups" && x.Change == ProfileChange.Removed));
            Assert.Contains(d, x => x.Area == "Findings" && x.Change == ProfileChange.Added && x.Item == "TLS10" && x.Difference == "Medium");
            var grade = Assert.Single(d, x => x.Area == "Grade");
            Assert.Equal(("A+", "B", "~"), (grade.Reference, grade.Difference, grade.Symbol));
            Assert.Contains(d, x => x.Area == "Settings" && x.Item == "OcspStapling" && x.Reference == "True" && x.Difference == "False");
            Assert.All(d, x => Assert.Equal("www.example.test:443", x.Target));
            // Areas in their documented order.
            var areas = d.Select(x => x.Area).Distinct().ToList();
            Assert.Equal(areas.OrderBy(a => System.Array.IndexOf(new[] { "TlsVersions", "CipherSuites", "CipherOrder", "NamedGroups", "Certificates", "Findings", "Grade", "Policy", "Settings" }, a)), areas);
        }

        [Fact]
        public void CertificatesAreComparedByKeyType()
        {
            var before = Good();
            var after = Good();
            after.CertificateChains[0] = Chain(Leaf(KeyAlgorithm.EcdsaP256, days: 120)); // a new certificate, a new key
            after.CertificateChains.Add(Chain(Leaf(KeyAlgorithm.Rsa2048)));
            var d = ProfileComparer.Compare(before, after).Where(x => x.Area == "Certificates").ToList();
            Assert.Contains(d, x => x.Item == "ecdsa chain, no SNI: serial" && x.Detail == "new serial" && x.Change == ProfileChange.Changed);
            Assert.Contains(d, x => x.Item == "ecdsa chain, no SNI: key" && x.Detail == "new key");
            Assert.Contains(d, x => x.Item == "ecdsa chain, no SNI: expiry" && x.Detail == "expiry changed");
            Assert.DoesNotContain(d, x => x.Item == "ecdsa chain, no SNI: issuer"); // same CA
            Assert.Contains(d, x => x.Item == "rsa chain, no SNI: serial" && x.Change == ProfileChange.Added);
        }

        [Fact]
        public void ServerOrderChangesAreListedOnce()
        {
            var before = Good();
            before.CipherPreference[0].ServerOrder = true;
            var after = Good();
            after.CipherPreference[0].ServerOrder = true;
            var moved = after.CipherSuites.First(s => s.TlsVersion == TlsVersion.Tls12);
            after.CipherSuites.Remove(moved);
            after.CipherSuites.Add(moved);
            var d = Assert.Single(ProfileComparer.Compare(before, after));
            Assert.Equal(("CipherOrder", "TLS 1.2 suite order", "server's suite order changed"), (d.Area, d.Item, d.Detail));
        }

        [Fact]
        public void AJsonCopyWithNumbersForEnumsAndTextForDatesComparesEqual()
        {
            var r = Good();
            r.Findings.Add(new Finding { Id = FindingIds.NoOcspStapling, Severity = FindingSeverity.Low, Title = "t", Tested = false });
            Grading.Apply(r);
            var json = Json(r);
            Assert.Empty(ProfileComparer.Compare(r, ProfileComparer.ReadJson(json)));
            Assert.Empty(ProfileComparer.Compare(ProfileComparer.ReadJson("[" + json + "]"), r)); // one report in an array

            var changed = ProfileComparer.Compare(r, ProfileComparer.ReadJson(json.Replace("\"Grade\":\"A+\"", "\"Grade\":\"B\"")));
            Assert.Equal("Grade", Assert.Single(changed).Area);
        }

        [Fact]
        public void WhatIsNoReportOrSavedTooShallowIsInvalidProfileData()
        {
            var e = Assert.Throws<TlsToolsException>(() => ProfileComparer.ReadJson("{\"a\":1}"));
            Assert.Equal(ErrorIds.InvalidProfileData, e.ErrorId);
            Assert.Equal(ErrorIds.InvalidProfileData, Assert.Throws<TlsToolsException>(() => ProfileComparer.ReadJson("{\"HostName\":")).ErrorId);
            var shallow = Assert.Throws<TlsToolsException>(() => ProfileComparer.Compare(Good(),
                ProfileComparer.ReadJson("{\"HostName\":\"h\",\"Port\":443,\"TlsVersions\":[3],\"CipherSuites\":[\"TLS 1.2 TLS_X\"]}")));
            Assert.Contains("too shallowly", shallow.Message);
            Assert.Equal(ErrorIds.InvalidProfileData, Assert.Throws<TlsToolsException>(() => ProfileComparer.Compare(Good(), new object())).ErrorId);
        }

        [Fact]
        public void TheJsonReaderIsBounded()
        {
            Assert.Equal(ErrorIds.InvalidProfileData, Assert.Throws<TlsToolsException>(() => JsonTree.Parse(new string('[', 100) + new string(']', 100))).ErrorId);
            var tree = (Dictionary<string, object?>)JsonTree.Parse("{\"a\":[1,2.5,\"x\\u0041\",true,null]}")!;
            Assert.Equal(new object?[] { 1L, 2.5, "xA", true, null }, (List<object?>)tree["A"]!);
        }

        /// <summary>The report as PowerShell 7's ConvertTo-Json writes it: enums as numbers, dates as ISO text.</summary>
        private static string Json(ServerProfileReport r)
        {
            string S(string? s) => s == null ? "null" : "\"" + s.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
            string B(bool? b) => b == null ? "null" : b.Value ? "true" : "false";
            string D(System.DateTime? d) => d == null ? "null" : S(d.Value.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture));
            string Arr<T>(IEnumerable<T> items, System.Func<T, string> f) => "[" + string.Join(",", items.Select(f)) + "]";
            return "{" + string.Join(",", new[]
            {
                "\"HostName\":" + S(r.HostName), "\"Port\":" + r.Port,
                "\"TlsVersions\":" + Arr(r.TlsVersions, v => ((int)v).ToString(CultureInfo.InvariantCulture)),
                "\"CipherSuites\":" + Arr(r.CipherSuites, s => "{\"TlsVersion\":" + (int)s.TlsVersion + ",\"Name\":" + S(s.Name) + ",\"KeySize\":" + s.KeySize + "}"),
                "\"CipherPreference\":" + Arr(r.CipherPreference, p => "{\"TlsVersion\":" + (int)p.TlsVersion + ",\"ServerOrder\":" + B(p.ServerOrder) + "}"),
                "\"NamedGroups\":" + Arr(r.NamedGroups, g => "{\"TlsVersion\":" + (int)g.TlsVersion + ",\"Name\":" + S(g.Name) + ",\"Code\":" + g.Code + "}"),
                "\"CertificateChains\":" + Arr(r.CertificateChains, c => "{\"ServerNames\":[],\"KeyAlgorithm\":" + S(c.KeyAlgorithm) + ",\"Subject\":" + S(c.Subject)
                    + ",\"Issuer\":" + S(c.Issuer) + ",\"NotAfter\":" + D(c.NotAfter) + ",\"Verdict\":" + S(c.Verdict) + ",\"SerialNumber\":" + S(c.SerialNumber)
                    + ",\"PublicKeySha256\":" + S(c.PublicKeySha256) + ",\"Certificates\":[\"" + c.Subject + "\"]}"),
                "\"Findings\":" + Arr(r.Findings, f => "{\"Id\":" + S(f.Id) + ",\"Severity\":" + (int)f.Severity + ",\"Tested\":" + B(f.Tested) + ",\"Title\":" + S(f.Title) + "}"),
                "\"Grade\":" + S(r.Grade), "\"PolicyCompliance\":null", "\"ServerCipherPreference\":" + B(r.ServerCipherPreference),
                "\"PreferredNamedGroup\":" + S(r.PreferredNamedGroup), "\"SecureRenegotiation\":" + B(r.SecureRenegotiation),
                "\"ExtendedMasterSecret\":" + B(r.ExtendedMasterSecret), "\"SessionTickets\":" + B(r.SessionTickets),
                "\"SessionIdResumption\":" + B(r.SessionIdResumption), "\"OcspStapling\":" + B(r.OcspStapling), "\"FallbackScsv\":" + B(r.FallbackScsv),
                "\"DhParameterBits\":null", "\"ClientCertificateRequested\":null", "\"AlpnProtocols\":[]", "\"SignatureAlgorithms\":[]",
            }) + "}";
        }
    }
}
