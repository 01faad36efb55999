using System;

namespace TlsTools.Scanning.Wire
{
    /// <summary>Bounds-checked big-endian reader over a byte range; every overrun is a TlsToolsException (ProtocolError).</summary>
    internal struct WireReader
    {
        private readonly byte[] _data;
        private readonly int _end;
        private int _pos;
        private readonly string _what;

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

        public byte[] Bytes(int n)
        {
            Need(n);
            var b = new byte[n];
            Buffer.BlockCopy(_data, _pos, b, 0, n);
            _pos += n;
            return b;
        }

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

        private void Need(int n)
        {
            if (n < 0 || _end - _pos < n)
                throw Malformed(_what, "needs " + n + " more byte(s), " + Math.Max(0, _end - _pos) + " left");
        }

        public static TlsToolsException Malformed(string what, string detail) =>
            new TlsToolsException("MalformedServerMessage", ErrorKind.ProtocolError, "Malformed " + what + ": " + detail + ".");
    }
}
