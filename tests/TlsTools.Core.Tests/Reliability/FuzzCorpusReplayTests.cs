using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using TlsTools.Fuzz;
using Xunit;

namespace TlsTools.Tests.Reliability
{
    /// <summary>
    /// Replays the corpus AFL++ kept (tests/TlsTools.Fuzz/corpus/&lt;target&gt;/, minimized with afl-cmin; see the fuzz
    /// README) through the same targets the fuzzer ran, uninstrumented: every input must end normally or with a
    /// TlsToolsException that has an ErrorId, and none may hang.
    /// </summary>
    public sealed class FuzzCorpusReplayTests
    {
        private static readonly string CorpusRoot = FindCorpus();

        public static IEnumerable<object[]> Targets() => FuzzTargets.Names.OrderBy(n => n).Select(n => new object[] { n });

        [Theory]
        [MemberData(nameof(Targets))]
        public async Task EveryKeptInputOfTheTargetRunsWithoutAFinding(string target)
        {
            var dir = Path.Combine(CorpusRoot, target);
            Assert.True(Directory.Exists(dir), "no kept corpus for fuzz target '" + target + "' at " + dir);
            var files = Directory.GetFiles(dir).OrderBy(f => f, StringComparer.Ordinal).ToList();
            Assert.NotEmpty(files);
            var findings = new List<string>();
            foreach (var file in files)
            {
                var data = File.ReadAllBytes(file);
                var run = Task.Run(() => FuzzTargets.Run(target, data));
                try
                {
                    // A hang bound, not a timing: AFL++ ran these with -t 5000 on a loaded machine.
                    if (await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(30))) != run) findings.Add(Path.GetFileName(file) + ": did not finish in 30 s");
                    else await run;
                }
                catch (Exception e)
                {
                    findings.Add(Path.GetFileName(file) + ": " + e);
                }
            }
            Assert.True(findings.Count == 0, findings.Count + " of " + files.Count + " kept inputs are findings:" + Environment.NewLine + string.Join(Environment.NewLine, findings));
        }

        private static string FindCorpus()
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "tests", "TlsTools.Fuzz", "corpus");
                if (Directory.Exists(candidate)) return candidate;
            }
            return Path.Combine(AppContext.BaseDirectory, "corpus-not-found");
        }
    }
}
