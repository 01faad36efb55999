using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using TlsTools.Tls;

namespace TlsTools.Scanning
{
    /// <summary>How one fact differs between two reports.</summary>
    public enum ProfileChange
    {
        /// <summary>Only the difference (newer) report has it.</summary>
        Added,
        /// <summary>Only the reference (older) report has it.</summary>
        Removed,
        /// <summary>Both have it, with other values.</summary>
        Changed,
    }

    /// <summary>One difference between two server reports (Compare-TlsServerProfile).</summary>
    public sealed class ProfileDifference
    {
        /// <summary>TlsVersions, CipherSuites, CipherOrder, NamedGroups, Certificates, Findings, Grade, Policy or Settings.</summary>
        public string Area { get; set; } = "";

        public ProfileChange Change { get; set; }

        /// <summary>What changed within the area: a version, a suite with its version, a group, a chain (key type and name),
        /// a finding Id, a setting.</summary>
        public string Item { get; set; } = "";

        /// <summary>The value in the reference report; null when Added.</summary>
        public string? Reference { get; set; }

        /// <summary>The value in the difference report; null when Removed.</summary>
        public string? Difference { get; set; }

        /// <summary>What kind of change, for certificates: new serial, new key, new issuer, expiry changed, ...</summary>
        public string? Detail { get; set; }

        /// <summary>The server (host:port) of the difference report.</summary>
        public string Target { get; set; } = "";

        /// <summary>+ for Added, - for Removed, ~ for Changed (the diff view's first column).</summary>
        public string Symbol => Change == ProfileChange.Added ? "+" : Change == ProfileChange.Removed ? "-" : "~";

        public override string ToString() => Symbol + " " + Area + " " + Item + (Change == ProfileChange.Changed ? ": " + Reference + " -> " + Difference : "");
    }

    /// <summary>
    /// Compares two server reports fact by fact. A report is a <see cref="ServerProfileReport"/>, or the same read back from a
    /// file: a tree of dictionaries (by property name, case-insensitive), lists and scalars, as <see cref="ReadJson"/> or the
    /// cmdlet's reading of Export-Clixml output makes it. Enum values may be names or numbers, dates DateTime or text: each
    /// fact is normalized once (<see cref="ReportReader"/>), so a report and its saved-and-read copy compare equal.
    /// </summary>
    public static class ProfileComparer
    {
        /// <summary>Every difference, in area order (versions, suites, order, groups, certificates, findings, grade, policy,
        /// settings), then Removed before Changed before Added within an item's area.</summary>
        /// <exception cref="ArgumentNullException">An argument is null.</exception>
        /// <exception cref="TlsToolsException">InvalidData (<see cref="ErrorIds.InvalidProfileData"/>): an object is not a report, or
        /// was saved too shallowly to compare (ConvertTo-Json needs -Depth 6 or more).</exception>
        public static List<ProfileDifference> Compare(object reference, object difference)
        {
            if (reference == null) throw new ArgumentNullException(nameof(reference));
            if (difference == null) throw new ArgumentNullException(nameof(difference));
            var a = ReportReader.Read(reference, "ReferenceObject");
            var b = ReportReader.Read(difference, "DifferenceObject");
            var result = new List<ProfileDifference>();
            foreach (var area in ReportFacts.Areas)
            {
                var ra = a.Facts.Where(f => f.Area == area).ToDictionary(f => f.Item, f => f);
                var rb = b.Facts.Where(f => f.Area == area).ToDictionary(f => f.Item, f => f);
                foreach (var f in ra.Values.Where(f => !rb.ContainsKey(f.Item)))
                    result.Add(new ProfileDifference { Area = area, Change = ProfileChange.Removed, Item = f.Item, Reference = f.Value, Detail = f.Detail });
                foreach (var f in ra.Values.Where(f => rb.ContainsKey(f.Item)))
                {
                    var g = rb[f.Item];
                    if (f.Value != g.Value)
                        result.Add(new ProfileDifference { Area = area, Change = ProfileChange.Changed, Item = f.Item, Reference = f.Value, Difference = g.Value, Detail = g.Detail ?? f.Detail });
                }
                foreach (var g in rb.Values.Where(g => !ra.ContainsKey(g.Item)))
                    result.Add(new ProfileDifference { Area = area, Change = ProfileChange.Added, Item = g.Item, Difference = g.Value, Detail = g.Detail });
                if (area == ReportFacts.CipherOrder) result.AddRange(OrderChanges(a, b));
            }
            foreach (var d in result) d.Target = b.Target;
            return result;
        }

        /// <summary>For each version where both reports say the server picks by its own order: the order of the suites both
        /// accept, when it changed (added or removed suites are listed under CipherSuites, not here).</summary>
        private static IEnumerable<ProfileDifference> OrderChanges(ReportFacts a, ReportFacts b)
        {
            foreach (var version in a.ServerOrder.Keys.Intersect(b.ServerOrder.Keys))
            {
                var common = a.ServerOrder[version].Intersect(b.ServerOrder[version]).ToList();
                var ia = a.ServerOrder[version].Where(common.Contains).ToList();
                var ib = b.ServerOrder[version].Where(common.Contains).ToList();
                if (!ia.SequenceEqual(ib))
                    yield return new ProfileDifference
                    {
                        Area = ReportFacts.CipherOrder, Change = ProfileChange.Changed, Item = version + " suite order",
                        Reference = string.Join(", ", ia), Difference = string.Join(", ", ib), Detail = "server's suite order changed",
                    };
            }
        }

        /// <summary>Reads a saved report (ConvertTo-Json output) into the tree <see cref="Compare"/> takes.</summary>
        /// <exception cref="TlsToolsException">InvalidData (<see cref="ErrorIds.InvalidProfileData"/>): not JSON, or not a report.</exception>
        public static object ReadJson(string json)
        {
            var tree = JsonTree.Parse(json ?? throw new ArgumentNullException(nameof(json)));
            if (tree is List<object?> list && list.Count == 1) tree = list[0]; // ConvertTo-Json of a one-element array
            if (tree == null) throw new TlsToolsException(ErrorIds.InvalidProfileData, ErrorKind.InvalidData, "The JSON holds no report (null).");
            ReportReader.Read(tree, "JSON");
            return tree;
        }
    }
}
