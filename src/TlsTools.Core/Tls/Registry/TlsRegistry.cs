using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;

namespace TlsTools.Tls
{
    /// <summary>
    /// The one home of TLS protocol facts: versions, cipher suites, named groups, signature schemes, extensions, alerts and
    /// handshake message types, each a table of typed records. Every name TlsTools prints comes from here and is printed one
    /// way: the IANA name when the value is known, <c>GREASE(0x1A1A)</c> for an RFC 8701 GREASE value, and
    /// <c>unknown(0x001D)</c> otherwise (two hex digits for one-byte kinds: <c>unknown(0x7F)</c>).
    /// </summary>
    public static partial class TlsRegistry
    {
        /// <summary>How an unassigned value prints: <c>unknown(0x001D)</c>, or <c>unknown(0x7F)</c> when <paramref name="bytes"/> is 1.</summary>
        public static string Unknown(int code, int bytes = 2) => "unknown(" + Hex(code, bytes) + ")";

        /// <summary>A GREASE value (RFC 8701): both bytes of the form 0x?A.</summary>
        public static bool IsGrease(int code) => code >= 0 && code <= 0xFFFF && (code & 0x0F0F) == 0x0A0A && (code >> 8) == (code & 0xFF);

        /// <summary>How a GREASE value prints: <c>GREASE(0x1A1A)</c>.</summary>
        public static string Grease(int code) => "GREASE(" + Hex(code, 2) + ")";

        internal static string Hex(int code, int bytes) => "0x" + code.ToString(bytes == 1 ? "X2" : "X4", CultureInfo.InvariantCulture);

        private static readonly Regex HexForm = new Regex(@"^(?:(?:unknown|GREASE)\()?0x([0-9A-Fa-f]{1,4})\)?$", RegexOptions.CultureInvariant);

        /// <summary>Reads "0x1301", "unknown(0x1301)" or "GREASE(0x1A1A)": the forms the printer writes for values without a name.</summary>
        internal static bool TryParseHex(string text, int bytes, out int code)
        {
            code = 0;
            var m = HexForm.Match(text.Trim());
            if (!m.Success) return false;
            code = int.Parse(m.Groups[1].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            return code <= (bytes == 1 ? 0xFF : 0xFFFF);
        }
    }

    /// <summary>One assigned value of a TLS registry: its code, IANA name and other names it is known by.</summary>
    public abstract class TlsCodePoint
    {
        private protected TlsCodePoint(int code, string name, IReadOnlyList<string>? aliases)
        {
            Code = code;
            Name = name;
            Aliases = aliases ?? Array.Empty<string>();
        }

        /// <summary>The value on the wire.</summary>
        public int Code { get; }

        /// <summary>The IANA name, which is how TlsTools prints the value.</summary>
        public string Name { get; }

        /// <summary>Other names accepted for it (OpenSSL, NIST, older spellings); never printed.</summary>
        public IReadOnlyList<string> Aliases { get; }

        private protected virtual int Bytes => 2;

        public override string ToString() => Name + " (" + TlsRegistry.Hex(Code, Bytes) + ")";
    }

    /// <summary>Lookup by code and by name or alias (case-insensitive), and the printer, for one kind of code point.</summary>
    internal sealed class CodeTable<T> where T : TlsCodePoint
    {
        private readonly Dictionary<int, T> _byCode = new Dictionary<int, T>();
        private readonly Dictionary<string, T> _byName = new Dictionary<string, T>(StringComparer.OrdinalIgnoreCase);
        private readonly int _bytes;
        private readonly string _errorId, _what, _example;

        /// <param name="entries">The records; a later record with a code already seen is ignored.</param>
        /// <param name="bytes">1 or 2: the width of the value on the wire.</param>
        /// <param name="errorId">ErrorId for a name that is not known.</param>
        /// <param name="what">"cipher suite", "named group", ...</param>
        /// <param name="example">An example name for the error message.</param>
        public CodeTable(IEnumerable<T> entries, int bytes, string errorId, string what, string example)
        {
            _bytes = bytes;
            _errorId = errorId;
            _what = what;
            _example = example;
            var list = new List<T>();
            foreach (var e in entries)
            {
                if (_byCode.ContainsKey(e.Code)) continue;
                _byCode.Add(e.Code, e);
                list.Add(e);
            }
            All = list.OrderBy(e => e.Code).ToArray();
            foreach (var e in All) _byName[e.Name] = e;
            foreach (var e in All)
                foreach (var a in e.Aliases)
                    if (!_byName.ContainsKey(a)) _byName[a] = e;
        }

        public IReadOnlyList<T> All { get; }

        public T? Find(int code) => _byCode.TryGetValue(code, out var e) ? e : null;

        public T? FindByName(string name)
        {
            if (name == null) throw new ArgumentNullException(nameof(name));
            return _byName.TryGetValue(name.Trim(), out var e) ? e : null;
        }

        /// <summary>The one way a value of this kind prints.</summary>
        public string Name(int code)
        {
            if (_byCode.TryGetValue(code, out var e)) return e.Name;
            if (_bytes == 2 && TlsRegistry.IsGrease(code)) return TlsRegistry.Grease(code);
            return TlsRegistry.Unknown(code, _bytes);
        }

        /// <summary>A name, alias or hex form (0x1301, unknown(0x1301)) to its code; a TlsToolsException (InvalidArgument) otherwise.</summary>
        public int Parse(string name)
        {
            if (name == null) throw new ArgumentNullException(nameof(name));
            if (TlsRegistry.TryParseHex(name, _bytes, out int code)) return code;
            var e = FindByName(name);
            if (e != null) return e.Code;
            throw new TlsToolsException(_errorId, ErrorKind.InvalidArgument,
                "'" + name + "' is not a " + _what + " TlsTools knows (use the IANA name, e.g. " + _example + ", or hex " + TlsRegistry.Hex(FindByName(_example)?.Code ?? 0, _bytes) + ").");
        }
    }
}
