using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

namespace TlsTools.Tests.Reliability
{
    /// <summary>One generated input: its bytes and the name of the mutation that made it (for the report and for replay).</summary>
    internal sealed class Mutant
    {
        public Mutant(string seed, string mutation, byte[] data, char[]? password)
        {
            Seed = seed;
            Mutation = mutation;
            Data = data;
            Password = password;
        }

        public string Seed { get; }
        public string Mutation { get; }
        public byte[] Data { get; }
        public char[]? Password { get; }

        public override string ToString() => Seed + "/" + Mutation + " (" + Data.Length + " bytes)";
    }

    /// <summary>
    /// Deterministic mutations of DER, PEM and TLS handshake inputs. Every choice comes from a <see cref="Random"/>
    /// seeded from the seed input's name and a fixed run seed, so a failing input can be regenerated exactly.
    /// </summary>
    internal sealed class Mutator
    {
        private readonly Random _rng;

        public Mutator(int runSeed, string seedName)
        {
            int h = runSeed;
            foreach (char c in seedName) h = unchecked(h * 31 + c);
            _rng = new Random(h);
        }

        // ------------------------------------------------------------------ raw byte mutations

        /// <summary>Every prefix when the input is small, else <paramref name="samples"/> prefixes plus the last 32.</summary>
        public IEnumerable<(string, byte[])> Truncations(byte[] data, int maxEvery, int samples)
        {
            var lengths = new SortedSet<int>();
            if (data.Length <= maxEvery)
                for (int i = 0; i < data.Length; i++) lengths.Add(i);
            else
            {
                for (int i = 0; i < 64; i++) lengths.Add(i);
                for (int i = Math.Max(0, data.Length - 32); i < data.Length; i++) lengths.Add(i);
                for (int i = 0; i < samples; i++) lengths.Add(_rng.Next(data.Length));
            }
            foreach (int n in lengths) yield return ("truncate@" + n, data.Take(n).ToArray());
        }

        public IEnumerable<(string, byte[])> BitFlips(byte[] data, int count)
        {
            for (int i = 0; i < count; i++)
            {
                var copy = (byte[])data.Clone();
                int flips = 1 + (i % 4 == 0 ? _rng.Next(8) : 0);
                var where = new List<int>();
                for (int f = 0; f < flips; f++)
                {
                    int bit = _rng.Next(copy.Length * 8);
                    copy[bit / 8] ^= (byte)(0x80 >> (bit % 8));
                    where.Add(bit);
                }
                yield return ("bitflip@" + string.Join("+", where), copy);
            }
        }

        private static readonly byte[] Interesting = { 0x00, 0x01, 0x7F, 0x80, 0x81, 0x82, 0x84, 0xFF, 0x30, 0x31, 0x02, 0x04, 0x05, 0xA0 };

        public IEnumerable<(string, byte[])> ByteSets(byte[] data, int count)
        {
            for (int i = 0; i < count; i++)
            {
                var copy = (byte[])data.Clone();
                int pos = _rng.Next(copy.Length);
                byte v = _rng.Next(3) == 0 ? (byte)_rng.Next(256) : Interesting[_rng.Next(Interesting.Length)];
                copy[pos] = v;
                yield return ("set@" + pos + "=" + v.ToString("X2"), copy);
            }
        }

        public IEnumerable<(string, byte[])> Splices(byte[] data, IReadOnlyList<byte[]> others, int count)
        {
            for (int i = 0; i < count; i++)
            {
                var other = others[_rng.Next(others.Count)];
                int a = _rng.Next(data.Length + 1), b = _rng.Next(other.Length + 1);
                switch (i % 4)
                {
                    case 0: yield return ("splice@" + a + "/" + b, data.Take(a).Concat(other.Skip(b)).ToArray()); break;
                    case 1: yield return ("append-garbage", data.Concat(RandomBytes(1 + _rng.Next(64))).ToArray()); break;
                    case 2: yield return ("prepend-garbage", RandomBytes(1 + _rng.Next(16)).Concat(data).ToArray()); break;
                    default: yield return ("concat", data.Concat(other).ToArray()); break;
                }
            }
        }

        private byte[] RandomBytes(int n)
        {
            var b = new byte[n];
            _rng.NextBytes(b);
            return b;
        }

        // ------------------------------------------------------------------ ASN.1-aware mutations

        /// <summary>
        /// Mutations at TLV boundaries: wrong lengths and wrong tags in place (no re-encoding), plus structural changes
        /// re-encoded with correct lengths so that the parser gets past the outer layers (huge INTEGERs, deleted and
        /// duplicated elements, tag swaps, deep nesting inside a real structure).
        /// </summary>
        public IEnumerable<(string, byte[])> Asn1(byte[] data, int count)
        {
            var tlvs = new List<Tlv>();
            Tlv.Walk(data, 0, data.Length, 0, tlvs);
            if (tlvs.Count == 0) yield break;
            for (int i = 0; i < count; i++)
            {
                var t = tlvs[_rng.Next(tlvs.Count)];
                switch (_rng.Next(9))
                {
                    case 0: yield return WrongLength(data, t); break;
                    case 1: yield return HugeLength(data, t); break;
                    case 2: yield return WrongTag(data, t); break;
                    case 3: yield return Replace(data, t, "huge-integer", Encode(0x02, HugeInteger())); break;
                    case 4: yield return Replace(data, t, "delete", Array.Empty<byte>()); break;
                    case 5: yield return Replace(data, t, "duplicate", data.Skip(t.Start).Take(t.End - t.Start).Concat(data.Skip(t.Start).Take(t.End - t.Start)).ToArray()); break;
                    case 6: yield return Replace(data, t, "retag", Retagged(data, t)); break;
                    case 7: yield return Replace(data, t, "nest" , Nest(_rng.Next(2) == 0 ? 65 : 1000, data.Skip(t.Start).Take(t.End - t.Start).ToArray())); break;
                    default: yield return Replace(data, t, "empty", new[] { data[t.Start], (byte)0 }); break;
                }
            }
        }

        private (string, byte[]) WrongLength(byte[] data, Tlv t)
        {
            var copy = (byte[])data.Clone();
            // Short-form lengths only: change the value in place.
            if ((copy[t.LengthAt] & 0x80) == 0)
            {
                int delta = new[] { -2, -1, 1, 2, 0x7F - copy[t.LengthAt] }[_rng.Next(5)];
                copy[t.LengthAt] = (byte)Math.Max(0, Math.Min(0x7F, copy[t.LengthAt] + delta));
                return ("length@" + t.Start + (delta >= 0 ? "+" : "") + delta, copy);
            }
            copy[t.LengthAt + 1] ^= (byte)(1 << _rng.Next(8));
            return ("length@" + t.Start + "^", copy);
        }

        private (string, byte[]) HugeLength(byte[] data, Tlv t)
        {
            byte[][] forms =
            {
                new byte[] { 0x84, 0xFF, 0xFF, 0xFF, 0xFF },
                new byte[] { 0x84, 0x7F, 0xFF, 0xFF, 0xFF },
                new byte[] { 0x88, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF },
                new byte[] { 0x8F, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 },
                new byte[] { 0x80 },           // indefinite
                new byte[] { 0xFF },           // reserved
                new byte[] { 0x83, 0x10, 0x00, 0x00 },
            };
            var form = forms[_rng.Next(forms.Length)];
            var result = data.Take(t.LengthAt).Concat(form).Concat(data.Skip(t.ContentStart)).ToArray();
            return ("hugelength@" + t.Start + ":" + form[0].ToString("X2"), result);
        }

        private static readonly byte[] Tags = { 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x0A, 0x0C, 0x13, 0x16, 0x17, 0x18, 0x1E, 0x30, 0x31, 0xA0, 0xA3, 0x80, 0x1F, 0x00, 0x24, 0x3F };

        private (string, byte[]) WrongTag(byte[] data, Tlv t)
        {
            var copy = (byte[])data.Clone();
            byte tag = Tags[_rng.Next(Tags.Length)];
            copy[t.Start] = tag;
            return ("tag@" + t.Start + "=" + tag.ToString("X2"), copy);
        }

        private byte[] Retagged(byte[] data, Tlv t)
        {
            var content = data.Skip(t.ContentStart).Take(t.End - t.ContentStart).ToArray();
            return Encode(Tags[_rng.Next(Tags.Length)], content);
        }

        private byte[] HugeInteger()
        {
            switch (_rng.Next(5))
            {
                case 0: return new byte[] { 0x7F, 0xFF, 0xFF, 0xFF };
                case 1: return new byte[] { 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF };
                case 2: return new byte[] { 0x80 };
                case 3: return Enumerable.Repeat((byte)0x7F, 4096).ToArray();
                default: return new byte[] { 0x00, 0x00, 0x01 }; // not minimal
            }
        }

        /// <summary>Replaces the element at <paramref name="t"/> and fixes the definite lengths of every element around it.</summary>
        private static (string, byte[]) Replace(byte[] data, Tlv t, string what, byte[] replacement)
        {
            var result = Splice(data, t, replacement);
            return (what + "@" + t.Start, result);
        }

        internal static byte[] Splice(byte[] data, Tlv target, byte[] replacement)
        {
            // Rebuild bottom-up: each ancestor gets its contents re-encoded with the right length.
            var path = new List<Tlv>();
            for (var p = target.Parent; p != null; p = p.Parent) path.Add(p);
            byte[] current = replacement;
            int start = target.Start, end = target.End;
            foreach (var parent in path)
            {
                if (parent.Indefinite)
                {
                    // Leave indefinite-length ancestors alone: their contents end at the end-of-contents octets.
                    var inner = data.Skip(parent.Start).Take(start - parent.Start).Concat(current).Concat(data.Skip(end).Take(parent.End - end)).ToArray();
                    current = inner;
                }
                else
                {
                    var contents = data.Skip(parent.ContentStart).Take(start - parent.ContentStart).Concat(current)
                        .Concat(data.Skip(end).Take(parent.End - end)).ToArray();
                    current = EncodeWithTagBytes(data.Skip(parent.Start).Take(parent.LengthAt - parent.Start).ToArray(), contents);
                }
                start = parent.Start;
                end = parent.End;
            }
            return data.Take(start).Concat(current).Concat(data.Skip(end)).ToArray();
        }

        public static byte[] Encode(byte tag, byte[] contents) => EncodeWithTagBytes(new[] { tag }, contents);

        private static byte[] EncodeWithTagBytes(byte[] tag, byte[] contents)
        {
            var ms = new MemoryStream();
            ms.Write(tag, 0, tag.Length);
            int n = contents.Length;
            if (n < 0x80) ms.WriteByte((byte)n);
            else if (n < 0x100) { ms.WriteByte(0x81); ms.WriteByte((byte)n); }
            else if (n < 0x10000) { ms.WriteByte(0x82); ms.WriteByte((byte)(n >> 8)); ms.WriteByte((byte)n); }
            else if (n < 0x1000000) { ms.WriteByte(0x83); ms.WriteByte((byte)(n >> 16)); ms.WriteByte((byte)(n >> 8)); ms.WriteByte((byte)n); }
            else { ms.WriteByte(0x84); ms.WriteByte((byte)(n >> 24)); ms.WriteByte((byte)(n >> 16)); ms.WriteByte((byte)(n >> 8)); ms.WriteByte((byte)n); }
            ms.Write(contents, 0, contents.Length);
            return ms.ToArray();
        }

        /// <summary><paramref name="depth"/> SEQUENCEs around <paramref name="inner"/>, with definite lengths, built without recursion.</summary>
        public static byte[] Nest(int depth, byte[] inner)
        {
            var size = new long[depth + 1];
            size[depth] = inner.Length;
            for (int i = depth - 1; i >= 0; i--) size[i] = 1 + LengthOctets(size[i + 1]) + size[i + 1];
            var result = new byte[size[0]];
            int p = 0;
            for (int i = 0; i < depth; i++)
            {
                result[p++] = 0x30;
                p = WriteLength(result, p, size[i + 1]);
            }
            Buffer.BlockCopy(inner, 0, result, p, inner.Length);
            return result;
        }

        /// <summary>Indefinite-length nesting: 0x30 0x80 repeated, closed by end-of-contents octets (or not, when <paramref name="close"/> is false).</summary>
        public static byte[] NestIndefinite(int depth, bool close)
        {
            var b = new byte[depth * 2 + 2 + (close ? depth * 2 : 0)];
            int p = 0;
            for (int i = 0; i < depth; i++) { b[p++] = 0x30; b[p++] = 0x80; }
            b[p++] = 0x05; b[p++] = 0x00;
            return b;
        }

        private static int LengthOctets(long n) => n < 0x80 ? 1 : n < 0x100 ? 2 : n < 0x10000 ? 3 : n < 0x1000000 ? 4 : 5;

        private static int WriteLength(byte[] b, int p, long n)
        {
            if (n < 0x80) { b[p++] = (byte)n; return p; }
            int octets = LengthOctets(n) - 1;
            b[p++] = (byte)(0x80 | octets);
            for (int i = octets - 1; i >= 0; i--) b[p++] = (byte)(n >> (8 * i));
            return p;
        }

        // ------------------------------------------------------------------ PEM mutations

        public IEnumerable<(string, byte[])> Pem(string text, int count)
        {
            for (int i = 0; i < count; i++)
            {
                string m;
                string name;
                switch (_rng.Next(14))
                {
                    case 0:
                    {
                        // A character that is not base64 inside the body.
                        int at = BodyPosition(text);
                        var bads = "!*$%~\u00e9\0\u2028-_.@"; char bad = bads[_rng.Next(bads.Length)];
                        m = text.Insert(at, bad.ToString()); name = "badchar@" + at; break;
                    }
                    case 1: { int at = BodyPosition(text); m = text.Remove(at, 1); name = "dropchar@" + at; break; }
                    case 2: m = text.Replace("=", ""); name = "nopadding"; break;
                    case 3: { int at = BodyPosition(text); m = text.Insert(at, "===="); name = "padding-mid@" + at; break; }
                    case 4: m = ReplaceFirst(text, "-----END ", "-----END X"); name = "end-mismatch"; break;
                    case 5: m = text.Substring(0, Math.Max(0, text.IndexOf("-----END ", StringComparison.Ordinal))); name = "no-end"; break;
                    case 6: m = text.Replace("-----BEGIN ", "-----begin "); name = "lowercase-begin"; break;
                    case 7: m = ReplaceFirst(text, "-----BEGIN ", "-----BEGIN " + new string('A', 70) + " "); name = "long-label"; break;
                    case 8: m = text.Replace("\n", "\r\n"); name = "crlf"; break;
                    case 9: m = ReplaceFirst(text, "\n", "\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,ZZZZ\n\n"); name = "bogus-dek-info"; break;
                    case 10: m = "garbage before\n" + text + "\ngarbage after"; name = "surrounded"; break;
                    case 11: m = text.Replace("\n", ""); name = "one-line"; break;
                    case 12: { int at = BodyPosition(text); m = text.Insert(at, "\n\n  \t \n"); name = "whitespace@" + at; break; }
                    default: m = text + text.Replace("-----BEGIN ", "-----BEGIN ENCRYPTED "); name = "duplicate-relabelled"; break;
                }
                yield return ("pem-" + name, Encoding.UTF8.GetBytes(m));
            }
        }

        private int BodyPosition(string text)
        {
            int first = text.IndexOf('\n') + 1;
            int last = text.IndexOf("-----END ", StringComparison.Ordinal);
            if (first <= 0 || last <= first) return 0;
            return first + _rng.Next(last - first);
        }

        private static string ReplaceFirst(string s, string what, string with)
        {
            int i = s.IndexOf(what, StringComparison.Ordinal);
            return i < 0 ? s : s.Substring(0, i) + with + s.Substring(i + what.Length);
        }

        // ------------------------------------------------------------------ TLS handshake messages

        /// <summary>Bit flips and byte sets in a handshake message, with the 4-byte header's length fixed half the time so the body parser runs.</summary>
        public IEnumerable<(string, byte[])> Handshake(byte[] message, int count)
        {
            foreach (var (name, m) in BitFlips(message, count / 2).Concat(ByteSets(message, count / 2)))
            {
                if (m.Length >= 4 && _rng.Next(2) == 0)
                {
                    int body = m.Length - 4;
                    m[1] = (byte)(body >> 16); m[2] = (byte)(body >> 8); m[3] = (byte)body;
                    yield return (name + "+hdr", m);
                }
                else yield return (name, m);
            }
        }

        public int Next(int n) => _rng.Next(n);
    }

    /// <summary>A TLV found in the input, for the ASN.1-aware mutations (a lenient BER walk; no recursion beyond 64 levels).</summary>
    internal sealed class Tlv
    {
        public int Start;
        public int LengthAt;
        public int ContentStart;
        public int End;
        public bool Indefinite = false; // the walk stops at indefinite lengths (the seeds are DER)
        public Tlv? Parent;

        public static void Walk(byte[] d, int pos, int end, int depth, List<Tlv> into, Tlv? parent = null)
        {
            while (pos < end && depth < 64 && into.Count < 4096)
            {
                int start = pos;
                if (pos + 2 > end) return;
                byte tag = d[pos++];
                if ((tag & 0x1F) == 0x1F) return;
                int lengthAt = pos;
                int b = d[pos++];
                int len;
                bool indefinite = false;
                if (b < 0x80) len = b;
                else if (b == 0x80) { indefinite = true; len = -1; }
                else
                {
                    int n = b & 0x7F;
                    if (n > 3 || pos + n > end) return;
                    len = 0;
                    for (int i = 0; i < n; i++) len = (len << 8) | d[pos++];
                }
                if (indefinite) return; // the seeds are DER
                if (len > end - pos) return;
                var t = new Tlv { Start = start, LengthAt = lengthAt, ContentStart = pos, End = pos + len, Parent = parent };
                into.Add(t);
                if ((tag & 0x20) != 0) Walk(d, pos, pos + len, depth + 1, into, t);
                else if ((tag == 0x04 || tag == 0x03) && len > 2)
                {
                    // Encapsulated DER (extension values, key bags): walk into it when it looks like a SEQUENCE.
                    int inner = tag == 0x03 ? pos + 1 : pos;
                    if (d[inner] == 0x30) Walk(d, inner, pos + len, depth + 1, into, t);
                }
                pos += len;
            }
        }
    }
}
