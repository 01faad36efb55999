using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using TlsTools.Tests.Reliability;
using Xunit;

namespace TlsTools.Tests
{
    /// <summary>ErrorIds have one home (TlsTools.ErrorIds); the help topic is generated from it.</summary>
    public class ErrorIdsTests
    {
        private static readonly string[] Sources = Directory.GetFiles(Path.Combine(MalformedInputTests.RepoRoot(), "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar) && !f.Contains(Path.DirectorySeparatorChar + "bin" + Path.DirectorySeparatorChar))
            .ToArray();

        [Fact]
        public void EveryIdIsItsOwnName_HasAMeaning_AndIsUnique()
        {
            var all = ErrorIds.All;
            Assert.True(all.Count > 50, "only " + all.Count + " ids");
            Assert.Equal(all.Count, all.Select(p => p.Key).Distinct(StringComparer.OrdinalIgnoreCase).Count());
            foreach (var p in all)
            {
                Assert.Matches("^[A-Z][A-Za-z0-9]+$", p.Key);
                Assert.False(string.IsNullOrWhiteSpace(p.Value), p.Key + " has no description");
                Assert.EndsWith(".", p.Value);
            }
        }

        [Fact]
        public void NoSourceFileSpellsAnErrorIdAsAStringLiteral()
        {
            var ids = new HashSet<string>(ErrorIds.All.Select(p => p.Key), StringComparer.Ordinal);
            var literal = new Regex("\"([A-Za-z0-9]+)\"");
            var offenders = new List<string>();
            foreach (var file in Sources.Where(f => Path.GetFileName(f) != "ErrorIds.cs"))
            {
                int n = 0;
                foreach (var line in File.ReadLines(file))
                {
                    n++;
                    var t = line.TrimStart();
                    if (t.StartsWith("//", StringComparison.Ordinal)) continue;
                    foreach (Match m in literal.Matches(line))
                        if (ids.Contains(m.Groups[1].Value)) offenders.Add(Path.GetFileName(file) + ":" + n + " " + m.Value);
                }
            }
            Assert.True(offenders.Count == 0, "ErrorIds written as literals (use TlsTools.ErrorIds): " + string.Join(", ", offenders));
            Assert.True(Sources.Length > 50, "the source tree was not found (" + Sources.Length + " files)");
        }

        [Fact]
        public void ExceptionsAndResultsTakeTheirIdFromTheConstants()
        {
            // A TlsToolsException or result ErrorId built from a fresh literal would escape the help listing.
            var direct = new Regex(@"(new TlsToolsException\(\s*""|ErrorId\s*=\s*""|ErrorRecords\.From\(\s*"")");
            var offenders = Sources.SelectMany(f => File.ReadLines(f).Select((l, i) => (f, i, l)))
                .Where(x => direct.IsMatch(x.l)).Select(x => Path.GetFileName(x.f) + ":" + (x.i + 1)).ToList();
            Assert.True(offenders.Count == 0, "literal ErrorIds: " + string.Join(", ", offenders));
        }

        [Fact]
        public void EveryConstantIsUsed()
        {
            var text = string.Join("\n", Sources.Where(f => Path.GetFileName(f) != "ErrorIds.cs").Select(File.ReadAllText));
            var unused = ErrorIds.All.Select(p => p.Key).Where(id => !text.Contains("ErrorIds." + id)).ToList();
            Assert.True(unused.Count == 0, "ErrorIds nobody reports: " + string.Join(", ", unused));
        }
    }
}
