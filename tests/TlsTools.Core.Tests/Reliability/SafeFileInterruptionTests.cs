using System;
using System.IO;
using System.Linq;
using TlsTools.Formats;
using Xunit;

namespace TlsTools.Tests.Reliability
{
    /// <summary>
    /// SafeFile.Write interrupted after every possible number of bytes: the old file stays byte-equal, no temporary file
    /// is left behind, and the failure is a TlsToolsException (WriteFailed) for I/O faults.
    /// </summary>
    public sealed class SafeFileInterruptionTests : IDisposable
    {
        private readonly string _dir = Path.Combine(Path.GetTempPath(), "tlstools-safefile-" + Guid.NewGuid().ToString("N"));

        public SafeFileInterruptionTests() => Directory.CreateDirectory(_dir);

        public void Dispose()
        {
            try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
        }

        /// <summary>Passes writes through until <c>limit</c> bytes, then writes what still fits and throws; can also fail on Flush.</summary>
        private sealed class FaultStream : Stream
        {
            private readonly Stream _inner;
            private readonly int _limit;
            private readonly Func<Exception> _fault;
            private readonly bool _failFlush;
            private long _written;

            public FaultStream(Stream inner, int limit, Func<Exception> fault, bool failFlush)
            {
                _inner = inner; _limit = limit; _fault = fault; _failFlush = failFlush;
            }

            public override void Write(byte[] buffer, int offset, int count)
            {
                int room = (int)Math.Max(0, Math.Min(count, _limit - _written));
                if (room > 0) { _inner.Write(buffer, offset, room); _written += room; }
                if (room < count)
                {
                    _inner.Flush(); // the partial bytes really reach the temporary file
                    throw _fault();
                }
            }

            public override void Flush()
            {
                _inner.Flush();
                if (_failFlush) throw _fault();
            }

            public override bool CanRead => false;
            public override bool CanSeek => false;
            public override bool CanWrite => true;
            public override long Length => _written;
            public override long Position { get => _written; set => throw new NotSupportedException(); }
            public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
            public override void SetLength(long value) => throw new NotSupportedException();
        }

        private string[] Leftovers(string target) =>
            Directory.GetFiles(_dir).Where(f => f != target).Select(Path.GetFileName).ToArray()!;

        [Theory]
        [Trait("Category", "Reliability")]
        [InlineData(false, false)]
        [InlineData(true, false)]
        [InlineData(false, true)]
        public void A_write_interrupted_after_any_byte_leaves_the_old_file_and_no_temporary_file(bool isPrivate, bool nonIoFault)
        {
            var target = Path.Combine(_dir, isPrivate ? "key.pem" : "cert.pem");
            var old = Enumerable.Range(0, 300).Select(i => (byte)('a' + i % 26)).ToArray();
            var data = Enumerable.Range(0, 257).Select(i => (byte)('A' + i % 26)).ToArray();
            File.WriteAllBytes(target, old);
            Func<Exception> fault = nonIoFault ? () => new InvalidOperationException("injected") : () => new IOException("injected: disk gone");

            // N = 0 .. data.Length - 1: the fault hits inside the data; N = data.Length: all bytes written, the flush fails.
            for (int n = 0; n <= data.Length; n++)
            {
                int limit = n;
                bool failFlush = n == data.Length;
                var e = Record.Exception(() => SafeFile.Write(target, data, force: true, isPrivate,
                    s => new FaultStream(s, limit, fault, failFlush)));
                Assert.NotNull(e);
                if (nonIoFault) Assert.IsType<InvalidOperationException>(e);
                else Assert.Equal("WriteFailed", Assert.IsType<TlsToolsException>(e).ErrorId);
                Assert.True(old.SequenceEqual(File.ReadAllBytes(target)), "old file changed after a fault at byte " + n);
                Assert.True(Leftovers(target).Length == 0, "left behind after a fault at byte " + n + ": " + string.Join(", ", Leftovers(target)));
            }

            // Without a fault the same call replaces the file whole.
            SafeFile.Write(target, data, force: true, isPrivate, s => new FaultStream(s, int.MaxValue, fault, failFlush: false));
            Assert.Equal(data, File.ReadAllBytes(target));
            Assert.Empty(Leftovers(target));
        }

        [Fact]
        [Trait("Category", "Reliability")]
        public void A_first_write_interrupted_after_any_byte_creates_no_file()
        {
            var target = Path.Combine(_dir, "new.pem");
            var data = Enumerable.Range(0, 64).Select(i => (byte)i).ToArray();
            for (int n = 0; n < data.Length; n++)
            {
                int limit = n;
                Assert.Throws<TlsToolsException>(() => SafeFile.Write(target, data, force: false, isPrivate: false,
                    s => new FaultStream(s, limit, () => new IOException("injected"), failFlush: false)));
                Assert.Empty(Directory.GetFiles(_dir));
            }
        }
    }
}
