using System;
using System.IO;
using System.Linq;
using SharpFuzz;

namespace TlsTools.Fuzz
{
    /// <summary>
    /// The fuzzing driver: the first argument picks a target of <see cref="FuzzTargets"/>, the second the engine
    /// (AFL++ by default, --libfuzzer, or --run to replay files without a fuzzer). See README.md.
    /// </summary>
    public static class Program
    {
        public static int Main(string[] args)
        {
            if (args.Length == 0 || !FuzzTargets.TryGet(args[0], out var target))
            {
                Console.Error.WriteLine("usage: TlsTools.Fuzz <" + string.Join("|", FuzzTargets.Names) + "> [--libfuzzer | --run <file-or-directory>...]");
                return 2;
            }
            if (args.Length > 1 && args[1] == "--libfuzzer")
            {
                Fuzzer.LibFuzzer.Run(span => target(span.ToArray()));
                return 0;
            }
            if (args.Length > 1 && args[1] == "--run")
            {
                // Replay inputs without a fuzzer (reproduce a crash, or smoke-test the build).
                var files = args.Skip(2).SelectMany(p => Directory.Exists(p) ? Directory.GetFiles(p) : new[] { p }).ToList();
                foreach (var f in files) target(File.ReadAllBytes(f));
                Console.WriteLine(files.Count + " input(s) ran without a crash.");
                return 0;
            }
            // AFL++: the forkserver protocol runs inside this process.
            Fuzzer.OutOfProcess.Run(stream =>
            {
                using var ms = new MemoryStream();
                stream.CopyTo(ms);
                target(ms.ToArray());
            });
            return 0;
        }
    }
}
