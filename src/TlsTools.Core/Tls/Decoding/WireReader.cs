using System;

namespace TlsTools.Tls
{
    /// <summary>
    /// Bounds-checked big-endian reader over a byte range, shared by the transcript decoder and the scanner's parsers. Every
    /// overrun is a TlsToolsException (MalformedServerMessage, ProtocolError) naming what was being read.
    /// </summary>
    internal sealed class WireReader
    {
        private readonly byte[] _data;
        private readonly int _end;
        private int _pos;
        private readonly string _what;

        public WireReader(byte[] data, string what) : this(data, 0, data.Length, what) { }

        public WireReader(byte[] data, int offset, int count, string what)
        {
            if (offset < 0 || count < 0 || offset + count > data.Length) throw Malformed(what, "range outside the buffer");
            _data = data;
            _pos = offset;
            _end = offset + count;
            _what = what;
        }

        public int Remaining => _end - _pos;
        public int Position => _pos;
        public bool AtEnd => _pos >= _end;

        public int U8() { Need(1); return _data[_pos++]; }

        public int U16() { Need(2); int v = (_data[_pos] << 8) | _data[_pos + 1]; _pos += 2; return v; }

        public int U24() { Need(3); int v = (_data[_pos] << 16) | (_data[_pos + 1] << 8) | _data[_pos + 2]; _pos += 3; return v; }

        public long U32() { Need(4); long v = ((long)_data[_pos] << 24) | ((long)U24At(_pos + 1)); _pos += 4; return v; }

        public int PeekU8() { Need(1); return _data[_pos]; }

        /// <summary>The 2-byte value <paramref name="at"/> bytes ahead, or -1 when there are not enough bytes.</summary>
        public int PeekU16(int at) => Remaining >= at + 2 ? (_data[_pos + at] << 8) | _data[_pos + at + 1] : -1;

        public int PeekU24() { Need(3); return U24At(_pos); }

        private int U24At(int p) => (_data[p] << 16) | (_data[p + 1] << 8) | _data[p + 2];

        public byte[] Bytes(int n)
        {
            Need(n);
            var b = new byte[n];
            Buffer.BlockCopy(_data, _pos, b, 0, n);
            _pos += n;
            return b;
        }

        /// <summary>Everything left.</summary>
        public byte[] Rest() => Bytes(Remaining);

        public void Skip(int n) { Need(n); _pos += n; }

        /// <summary>A reader over the next n bytes; this reader moves past them.</summary>
        public WireReader Sub(int n, string what)
        {
            Need(n);
            var r = new WireReader(_data, _pos, n, what);
            _pos += n;
            return r;
        }

        public WireReader Vector8(string what) => Sub(U8(), what);
        public WireReader Vector16(string what) => Sub(U16(), what);
        public WireReader Vector24(string what) => Sub(U24(), what);

        /// <summary>The bytes of a vector with a 1-, 2- or 3-byte length.</summary>
        public byte[] VectorBytes(int lengthBytes) => Bytes(lengthBytes == 1 ? U8() : lengthBytes == 2 ? U16() : U24());

        /// <summary>Counts vectors (each followed by <paramref name="trailer"/> bytes) up to the end.</summary>
        public int CountVectors(int lengthBytes, int trailer)
        {
            int n = 0;
            while (!AtEnd) { VectorBytes(lengthBytes); Skip(trailer); n++; }
            return n;
        }

        /// <summary>Throws when bytes are left over.</summary>
        public void End()
        {
            if (!AtEnd) throw Malformed(_what, Wording.Count(Remaining, "unexpected byte") + " at the end");
        }

        private void Need(int n)
        {
            if (n < 0 || _end - _pos < n)
                throw Malformed(_what, "needs " + Wording.Count(n, "more byte", "more bytes") + ", " + Math.Max(0, _end - _pos) + " left");
        }

        public static TlsToolsException Malformed(string what, string detail) =>
            new TlsToolsException(ErrorIds.MalformedServerMessage, ErrorKind.ProtocolError, "Malformed " + what + ": " + detail + ".");
    }
}
