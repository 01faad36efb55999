using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Reflection;
using TlsTools.Tls;

namespace TlsTools.Scanning
{
    /// <summary>One normalized fact of a report: (area, item) → value.</summary>
    internal sealed class ReportFact
    {
        public string Area { get; set; } = "";
        public string Item { get; set; } = "";
        public string Value { get; set; } = "";
        public string? Detail { get; set; }
    }

    /// <summary>The facts of one report <see cref="ProfileComparer"/> compares, and the per-version server suite order.</summary>
    internal sealed class ReportFacts
    {
        public const string TlsVersions = "TlsVersions", CipherSuites = "CipherSuites", CipherOrder = "CipherOrder",
            NamedGroups = "NamedGroups", Certificates = "Certificates", Findings = "Findings", Grade = "Grade", Policy = "Policy",
            Settings = "Settings";

        public static readonly string[] Areas = { TlsVersions, CipherSuites, CipherOrder, NamedGroups, Certificates, Findings, Grade, Policy, Settings };

        public string Target { get; set; } = "";
        public List<ReportFact> Facts { get; } = new List<ReportFact>();

        /// <summary>Version name → suite names in the report's order, for versions where the server enforces its order.</summary>
        public Dictionary<string, List<string>> ServerOrder { get; } = new Dictionary<string, List<string>>();

        public void Add(string area, string item, string value, string? detail = null)
        {
            // An item seen twice (two chains of one key type for one name) keeps both values.
            var same = Facts.FirstOrDefault(f => f.Area == area && f.Item == item);
            if (same != null) same.Value += " | " + value;
            else Facts.Add(new ReportFact { Area = area, Item = item, Value = value, Detail = detail });
        }
    }

    /// <summary>
    /// Reads a report by property names, whatever it is: a <see cref="ServerProfileReport"/> (by reflection), or dictionaries,
    /// lists and scalars read back from JSON or Clixml. Each value is normalized here, once: versions and severities from enum,
    /// number or name; dates to ISO 8601 UTC seconds; booleans to True/False.
    /// </summary>
    internal static class ReportReader
    {
        public static ReportFacts Read(object report, string which)
        {
            if (Prop(report, "HostName") == null || !(Prop(report, "TlsVersions") is IEnumerable) || !(Prop(report, "CipherSuites") is IEnumerable))
                throw Invalid(which + " is not a Get-TlsServerProfile report (it has no HostName, TlsVersions and CipherSuites).");
            var r = new ReportFacts { Target = Text(Prop(report, "HostName")) + ":" + Text(Prop(report, "Port")) };
            foreach (var v in Items(report, "TlsVersions", which)) r.Add(ReportFacts.TlsVersions, Version(v), "enabled");
            foreach (var s in Objects(report, "CipherSuites", which))
                r.Add(ReportFacts.CipherSuites, Version(Prop(s, "TlsVersion")) + " " + Text(Prop(s, "Name")), "accepted");
            foreach (var p in Objects(report, "CipherPreference", which))
            {
                var order = Prop(p, "ServerOrder");
                string version = Version(Prop(p, "TlsVersion"));
                r.Add(ReportFacts.CipherOrder, version, order == null ? "not determined" : Bool(order) ? "server order" : "client order");
                if (order != null && Bool(order))
                    r.ServerOrder[version] = Objects(report, "CipherSuites", which).Where(s => Version(Prop(s, "TlsVersion")) == version).Select(s => Text(Prop(s, "Name"))).ToList();
            }
            foreach (var g in Objects(report, "NamedGroups", which))
                r.Add(ReportFacts.NamedGroups, Version(Prop(g, "TlsVersion")) + " " + Text(Prop(g, "Name")), "accepted");
            foreach (var c in Objects(report, "CertificateChains", which)) Chain(r, c);
            foreach (var f in Objects(report, "Findings", which))
            {
                var tested = Prop(f, "Tested");
                r.Add(ReportFacts.Findings, Text(Prop(f, "Id")), Severity(Prop(f, "Severity")) + (tested != null && !Bool(tested) ? " (not tested)" : ""), Text(Prop(f, "Title")));
            }
            r.Add(ReportFacts.Grade, "Grade", Text(Prop(report, "Grade")) is var grade && grade.Length > 0 ? grade : "(none)");
            var policy = Prop(report, "PolicyCompliance");
            if (policy != null)
            {
                int deviations = Prop(policy, "Deviations") is IEnumerable d && !(d is string) ? d.Cast<object?>().Count() : 0;
                r.Add(ReportFacts.Policy, Text(Prop(policy, "Policy")) + " " + Text(Prop(policy, "GuidelineVersion")),
                    Bool(Prop(policy, "Compliant")) ? "compliant" : deviations + " deviation(s)");
            }
            foreach (var name in new[] { "ServerCipherPreference", "PreferredNamedGroup", "SecureRenegotiation", "ExtendedMasterSecret", "SessionTickets",
                         "SessionIdResumption", "OcspStapling", "FallbackScsv", "DhParameterBits" })
                r.Add(ReportFacts.Settings, name, Text(Prop(report, name)) is var t && t.Length > 0 ? t : "(not determined)");
            r.Add(ReportFacts.Settings, "ClientCertificateRequested", Prop(report, "ClientCertificateRequested") == null ? "no" : "yes");
            foreach (var a in Items(report, "AlpnProtocols", which)) r.Add(ReportFacts.Settings, "ALPN " + Text(a), "accepted");
            foreach (var s in Items(report, "SignatureAlgorithms", which)) r.Add(ReportFacts.Settings, "Signature " + Text(s), "accepted");
            return r;
        }

        /// <summary>A chain by key type and name: its serial, key, issuer, subject, expiry and verdict, each its own fact.</summary>
        private static void Chain(ReportFacts r, object chain)
        {
            var leaf = Prop(chain, "Certificates") is IEnumerable certs && !(certs is string) ? certs.Cast<object?>().FirstOrDefault() : null;
            if (leaf is string) leaf = null; // saved too shallowly to read; the chain's own properties still say enough
            string keyAlgorithm = Text(Prop(chain, "KeyAlgorithm") ?? Prop(leaf, "KeyAlgorithm"));
            var names = Prop(chain, "ServerNames") is IEnumerable n && !(n is string) ? n.Cast<object?>().Select(Text).ToList() : new List<string>();
            string item = (KeyFamily.Of(keyAlgorithm) is var f && f.Length > 0 ? f : "unreadable") + " chain, "
                + (names.Count > 0 ? "SNI " + string.Join(" ", names) : "no SNI");
            string Of(string name) => Text(Prop(chain, name) ?? Prop(leaf, name));
            r.Add(ReportFacts.Certificates, item + ": serial", Of("SerialNumber"), "new serial");
            r.Add(ReportFacts.Certificates, item + ": key", keyAlgorithm + " " + Of("PublicKeySha256"), "new key");
            r.Add(ReportFacts.Certificates, item + ": issuer", Of("Issuer"), "new issuer");
            r.Add(ReportFacts.Certificates, item + ": subject", Of("Subject"), "new subject");
            r.Add(ReportFacts.Certificates, item + ": expiry", Of("NotAfter"), "expiry changed");
            r.Add(ReportFacts.Certificates, item + ": verdict", Text(Prop(chain, "Verdict")), "validation verdict changed");
        }

        /// <summary>A property by name: from a dictionary (case-insensitive), or a public property of an object.</summary>
        internal static object? Prop(object? node, string name)
        {
            switch (node)
            {
                case null: return null;
                case string _: return null;
                case IDictionary<string, object?> d:
                    if (d.TryGetValue(name, out var v)) return v;
                    return d.FirstOrDefault(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)).Value;
                case IDictionary h:
                    foreach (DictionaryEntry e in h)
                        if (string.Equals(e.Key as string, name, StringComparison.OrdinalIgnoreCase)) return e.Value;
                    return null;
                default:
                    return node.GetType().GetProperty(name, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase)?.GetValue(node);
            }
        }

        private static IEnumerable<object?> Items(object report, string name, string which) =>
            Prop(report, name) switch
            {
                null => Enumerable.Empty<object?>(),
                string s => throw Invalid(which + "." + name + " is a string ('" + Short(s) + "'), not a list: it was saved too shallowly; save with ConvertTo-Json -Depth 6 or Export-Clixml -Depth 6."),
                IEnumerable e => e.Cast<object?>(),
                object o => new[] { o }, // ConvertFrom-Json of a one-element list
            };

        private static IEnumerable<object> Objects(object report, string name, string which)
        {
            foreach (var item in Items(report, name, which))
            {
                if (item == null) continue;
                if (item is string s)
                    throw Invalid(which + "." + name + " holds text ('" + Short(s) + "') instead of objects: it was saved too shallowly; save with ConvertTo-Json -Depth 6 or Export-Clixml -Depth 6.");
                yield return item;
            }
        }

        /// <summary>"TLS 1.2" from TlsVersion.Tls12, 3, "Tls12", "TLS 1.2" or "TLSv1.2".</summary>
        internal static string Version(object? v)
        {
            switch (v)
            {
                case null: return "";
                case TlsVersion tv: return TlsRegistry.Versions.Name(tv);
                case string s:
                    try { return TlsRegistry.Versions.Name(TlsRegistry.Versions.Parse(s)); }
                    catch (TlsToolsException) { return s; }
                default:
                    if (IsInteger(v, out long n) && Enum.IsDefined(typeof(TlsVersion), (int)n)) return TlsRegistry.Versions.Name((TlsVersion)(int)n);
                    return Text(v);
            }
        }

        private static string Severity(object? v) =>
            v is string s ? s : IsInteger(v, out long n) && Enum.IsDefined(typeof(FindingSeverity), (int)n) ? ((FindingSeverity)(int)n).ToString() : Text(v);

        /// <summary>One culture-invariant text per value: dates as yyyy-MM-ddTHH:mm:ssZ (JSON text and /Date(ms)/ too).</summary>
        internal static string Text(object? v)
        {
            switch (v)
            {
                case null: return "";
                case string s: return DateText(s) ?? s;
                case bool b: return b ? "True" : "False";
                case DateTime d: return Iso(d);
                case DateTimeOffset o: return Iso(o.UtcDateTime);
                case Enum e: return e.ToString();
                case IFormattable f: return f.ToString(null, CultureInfo.InvariantCulture);
                default: return v.ToString() ?? "";
            }
        }

        private static string? DateText(string s)
        {
            if (s.StartsWith("/Date(", StringComparison.Ordinal) && s.EndsWith(")/", StringComparison.Ordinal)
                && long.TryParse(s.Substring(6, s.Length - 8).Split('+', '-')[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out long ms))
                return Iso(new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddMilliseconds(ms));
            // Only ISO 8601 date-times (yyyy-MM-ddTHH:mm...), never version or suite names.
            if (s.Length >= 19 && s[4] == '-' && s[7] == '-' && s[10] == 'T'
                && DateTime.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var d))
                return Iso(d);
            return null;
        }

        private static string Iso(DateTime d) =>
            (d.Kind == DateTimeKind.Local ? d.ToUniversalTime() : d).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

        private static bool Bool(object? v) => v is bool b ? b : v is string s && bool.TryParse(s, out var p) && p;

        private static bool IsInteger(object? v, out long n)
        {
            switch (v)
            {
                case int i: n = i; return true;
                case long l: n = l; return true;
                case short s: n = s; return true;
                case byte b: n = b; return true;
                default: n = 0; return false;
            }
        }

        private static string Short(string s) => s.Length > 60 ? s.Substring(0, 60) + "..." : s;

        private static TlsToolsException Invalid(string message) => new TlsToolsException(ErrorIds.InvalidProfileData, ErrorKind.InvalidData, message);
    }
}
