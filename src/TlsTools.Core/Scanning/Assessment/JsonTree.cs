using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace TlsTools.Scanning
{
    /// <summary>
    /// A small, bounded JSON reader (RFC 8259) for the data TlsTools reads itself: Mozilla's guideline file and reports saved with
    /// ConvertTo-Json. Objects become case-insensitive <see cref="Dictionary{TKey,TValue}"/>s, arrays <see cref="List{T}"/>s, numbers
    /// <see cref="long"/> or <see cref="double"/>, and strings, booleans and null themselves. Depth and size are bounded; anything
    /// malformed is a <see cref="TlsToolsException"/> (InvalidData, <see cref="ErrorIds.InvalidProfileData"/>).
    /// </summary>
    internal sealed class JsonTree
    {
        internal const int MaxDepth = 64;
        internal const int MaxLength = 64 * 1024 * 1024;

        private readonly string _s;
        private int _i;

        private JsonTree(string text) => _s = text;

        /// <summary>Parses one JSON text (a leading byte-order mark is allowed).</summary>
        /// <exception cref="TlsToolsException">InvalidData: the text is not JSON, nests deeper than 64 or is larger than 64 MiB.</exception>
        public static object? Parse(string text)
        {
            if (text == null) throw new ArgumentNullException(nameof(text));
            if (text.Length > MaxLength) throw Fail("the text is larger than " + MaxLength + " characters");
            var p = new JsonTree(text.TrimStart('\uFEFF'));
            var value = p.Value(0);
            p.Space();
            if (p._i != p._s.Length) throw p.Error("text after the value");
            return value;
        }

        private object? Value(int depth)
        {
            if (depth > MaxDepth) throw Error("nested deeper than " + MaxDepth);
            Space();
            if (_i >= _s.Length) throw Error("unexpected end");
            char c = _s[_i];
            switch (c)
            {
                case '{': return Object(depth);
                case '[': return Array(depth);
                case '"': return String();
                case 't': return Word("true", true);
                case 'f': return Word("false", false);
                case 'n': return Word("null", null);
                default:
                    if (c == '-' || (c >= '0' && c <= '9')) return Number();
                    throw Error("unexpected '" + c + "'");
            }
        }

        private Dictionary<string, object?> Object(int depth)
        {
            var o = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
            _i++;
            Space();
            if (Peek('}')) { _i++; return o; }
            while (true)
            {
                Space();
                if (!Peek('"')) throw Error("a property name expected");
                var name = String();
                Space();
                Expect(':');
                o[name] = Value(depth + 1);
                Space();
                if (Peek(',')) { _i++; continue; }
                Expect('}');
                return o;
            }
        }

        private List<object?> Array(int depth)
        {
            var a = new List<object?>();
            _i++;
            Space();
            if (Peek(']')) { _i++; return a; }
            while (true)
            {
                a.Add(Value(depth + 1));
                Space();
                if (Peek(',')) { _i++; continue; }
                Expect(']');
                return a;
            }
        }

        private string String()
        {
            Expect('"');
            var sb = new StringBuilder();
            while (true)
            {
                if (_i >= _s.Length) throw Error("unterminated string");
                char c = _s[_i++];
                if (c == '"') return sb.ToString();
                if (c < 0x20) throw Error("control character in a string");
                if (c != '\\') { sb.Append(c); continue; }
                if (_i >= _s.Length) throw Error("unterminated escape");
                char e = _s[_i++];
                switch (e)
                {
                    case '"': sb.Append('"'); break;
                    case '\\': sb.Append('\\'); break;
                    case '/': sb.Append('/'); break;
                    case 'b': sb.Append('\b'); break;
                    case 'f': sb.Append('\f'); break;
                    case 'n': sb.Append('\n'); break;
                    case 'r': sb.Append('\r'); break;
                    case 't': sb.Append('\t'); break;
                    case 'u':
                        if (_i + 4 > _s.Length || !int.TryParse(_s.Substring(_i, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int u))
                            throw Error("bad \\u escape");
                        sb.Append((char)u);
                        _i += 4;
                        break;
                    default: throw Error("bad escape '\\" + e + "'");
                }
            }
        }

        private object Number()
        {
            int start = _i;
            if (Peek('-')) _i++;
            while (_i < _s.Length && "0123456789.eE+-".IndexOf(_s[_i]) >= 0) _i++;
            var text = _s.Substring(start, _i - start);
            if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long l)) return l;
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double d)) return d;
            throw Error("bad number '" + text + "'");
        }

        private object? Word(string word, object? value)
        {
            if (string.CompareOrdinal(_s, _i, word, 0, word.Length) != 0) throw Error("unexpected token");
            _i += word.Length;
            return value;
        }

        private void Space()
        {
            while (_i < _s.Length && (_s[_i] == ' ' || _s[_i] == '\t' || _s[_i] == '\r' || _s[_i] == '\n')) _i++;
        }

        private bool Peek(char c) => _i < _s.Length && _s[_i] == c;

        private void Expect(char c)
        {
            if (!Peek(c)) throw Error("'" + c + "' expected");
            _i++;
        }

        private TlsToolsException Error(string what) => Fail(what + " at offset " + _i);

        private static TlsToolsException Fail(string what) =>
            new TlsToolsException(ErrorIds.InvalidProfileData, ErrorKind.InvalidData, "Not valid JSON: " + what + ".");
    }
}
