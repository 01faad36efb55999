using Xunit;

namespace TlsTools.Tests
{
    // xunit collections whose tests run alone, after the parallel ones (DisableParallelization). While the CPU is over
    // 80 % busy, .NET's thread pool injects a thread for queued work only after about a second per pool thread without
    // a dequeue (PortableThreadPool's gate thread), so on this 2-core machine a test that keeps every core busy delays
    // the pool work of the tests beside it by seconds: an AIA fetch from a loopback server once ran past its 5 s timeout
    // beside the full limbo suite, and OrderedParallelMap tests took 1-6 s instead of 0.1 s beside the seeded fuzz run.
    // The tests that saturate the cores run here alone, as do the tests of process-wide state.

    /// <summary>Tests that keep every core busy on purpose: the seeded fuzz run, the full x509-limbo suite.</summary>
    [CollectionDefinition(Name, DisableParallelization = true)]
    public sealed class SaturatesEveryCore
    {
        public const string Name = "Saturates every core";
    }

    /// <summary>
    /// The process-wide table of validated public keys (PublicKeys.Of): every test that reads a certificate adds to it, and
    /// what these tests check (one object for one key, what the table keeps) holds only while nobody else adds to it.
    /// </summary>
    [CollectionDefinition(Name, DisableParallelization = true)]
    public sealed class ProcessWideKeyTable
    {
        public const string Name = "Process-wide key table";
    }
}
