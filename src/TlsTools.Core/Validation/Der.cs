using System;
using System.Collections.Generic;
using System.Text;
using Org.BouncyCastle.Asn1;

namespace TlsTools.Validation
{
    /// <summary>One DER element: identifier octet, contents.</summary>
    internal readonly struct DerElement
    {
        public DerElement(int tag, byte[] source, int offset, int length)
        {
            Tag = tag;
            Source = source;
            Offset = offset;
            Length = length;
        }

        /// <summary>The identifier octet (class, constructed bit, tag number below 31).</summary>
        public int Tag { get; }
        public byte[] Source { get; }
        public int Offset { get; }
        public int Length { get; }

        public bool IsContext => (Tag & 0xC0) == 0x80;
        public bool IsConstructed => (Tag & 0x20) != 0;
        public int TagNumber => Tag & 0x1F;

        public byte[] Contents()
        {
            var b = new byte[Length];
            Buffer.BlockCopy(Source, Offset, b, 0, Length);
            return b;
        }

        public List<DerElement> Children() => Der.ReadAll(Source, Offset, Length);
    }

    /// <summary>
    /// A minimal strict DER reader for the few structures the validator reads itself (GeneralNames,
    /// name constraints), so that an odd but valid encoding is read exactly and a broken one is reported.
    /// </summary>
    internal static class Der
    {
        public static List<DerElement> ReadAll(byte[] data, int offset, int length)
        {
            var list = new List<DerElement>();
            int end = offset + length;
            int pos = offset;
            while (pos < end)
                list.Add(Read(data, ref pos, end));
            return list;
        }

        public static DerElement ReadSingle(byte[] data)
        {
            int pos = 0;
            var e = Read(data, ref pos, data.Length);
            if (pos != data.Length) throw new FormatException("trailing bytes after the DER element");
            return e;
        }

        private static DerElement Read(byte[] data, ref int pos, int end)
        {
            if (pos + 2 > end) throw new FormatException("truncated DER element");
            int tag = data[pos++];
            if ((tag & 0x1F) == 0x1F) throw new FormatException("high tag numbers are not used here");
            int len = data[pos++];
            if (len >= 0x80)
            {
                int n = len & 0x7F;
                if (n == 0 || n > 3) throw new FormatException("unsupported DER length");
                if (pos + n > end) throw new FormatException("truncated DER length");
                len = 0;
                for (int i = 0; i < n; i++) len = (len << 8) | data[pos++];
            }
            if (len < 0 || pos + len > end) throw new FormatException("DER length runs past its container");
            var e = new DerElement(tag, data, pos, len);
            pos += len;
            return e;
        }

        public static string Ascii(DerElement e, out bool isAscii)
        {
            isAscii = true;
            var sb = new StringBuilder(e.Length);
            for (int i = 0; i < e.Length; i++)
            {
                byte b = e.Source[e.Offset + i];
                if (b >= 0x80 || b == 0) isAscii = false;
                sb.Append((char)b);
            }
            return sb.ToString();
        }
    }

    internal enum NameKind
    {
        Other = 0,
        Email = 1,
        Dns = 2,
        X400 = 3,
        Directory = 4,
        EdiParty = 5,
        Uri = 6,
        Ip = 7,
        RegisteredId = 8,
    }

    /// <summary>A GeneralName read from DER: its kind, its text (IA5 kinds), its octets (iPAddress) or its DN.</summary>
    internal sealed class GeneralNameValue
    {
        public NameKind Kind { get; set; }
        public string Text { get; set; } = "";
        public bool IsAscii { get; set; } = true;
        public byte[] Octets { get; set; } = Array.Empty<byte>();
        public DistinguishedName? Directory { get; set; }

        public override string ToString()
        {
            switch (Kind)
            {
                case NameKind.Ip: return "IP:" + IpText.Format(Octets);
                case NameKind.Directory: return "DirName:" + Directory;
                case NameKind.Dns: return "DNS:" + Text;
                case NameKind.Email: return "email:" + Text;
                case NameKind.Uri: return "URI:" + Text;
                default: return Kind.ToString();
            }
        }

        /// <summary>Reads a GeneralNames SEQUENCE (subjectAltName value).</summary>
        public static List<GeneralNameValue> ReadGeneralNames(byte[] der)
        {
            var seq = Der.ReadSingle(der);
            if (seq.Tag != 0x30) throw new FormatException("GeneralNames is not a SEQUENCE");
            var list = new List<GeneralNameValue>();
            foreach (var child in seq.Children())
                list.Add(Read(child));
            return list;
        }

        public static GeneralNameValue Read(DerElement e)
        {
            if (!e.IsContext) throw new FormatException("a GeneralName must be context-tagged");
            var kind = (NameKind)e.TagNumber;
            var v = new GeneralNameValue { Kind = kind };
            switch (kind)
            {
                case NameKind.Email:
                case NameKind.Dns:
                case NameKind.Uri:
                    if (e.IsConstructed) throw new FormatException("an IA5String GeneralName must be primitive");
                    v.Text = Der.Ascii(e, out bool ascii);
                    v.IsAscii = ascii;
                    break;
                case NameKind.Ip:
                    if (e.IsConstructed) throw new FormatException("an iPAddress GeneralName must be primitive");
                    v.Octets = e.Contents();
                    break;
                case NameKind.Directory:
                    if (!e.IsConstructed) throw new FormatException("a directoryName GeneralName must be constructed");
                    var inner = e.Children();
                    if (inner.Count != 1) throw new FormatException("a directoryName holds exactly one Name");
                    v.Directory = DistinguishedName.FromDer(Slice(inner[0]));
                    break;
                case NameKind.Other:
                case NameKind.X400:
                case NameKind.EdiParty:
                    if (!e.IsConstructed) throw new FormatException(kind + " GeneralName must be constructed");
                    v.Octets = e.Contents();
                    break;
                case NameKind.RegisteredId:
                    v.Octets = e.Contents();
                    break;
                default:
                    throw new FormatException("unknown GeneralName tag [" + e.TagNumber + "]");
            }
            return v;
        }

        /// <summary>The whole TLV of an element (for re-parsing with BouncyCastle).</summary>
        private static byte[] Slice(DerElement e)
        {
            // Rebuild the TLV: the identifier and length octets precede Offset.
            var contents = e.Contents();
            var len = EncodeLength(contents.Length);
            var b = new byte[1 + len.Length + contents.Length];
            b[0] = (byte)e.Tag;
            Buffer.BlockCopy(len, 0, b, 1, len.Length);
            Buffer.BlockCopy(contents, 0, b, 1 + len.Length, contents.Length);
            return b;
        }

        private static byte[] EncodeLength(int n)
        {
            if (n < 0x80) return new[] { (byte)n };
            if (n < 0x100) return new byte[] { 0x81, (byte)n };
            if (n < 0x10000) return new byte[] { 0x82, (byte)(n >> 8), (byte)n };
            return new byte[] { 0x83, (byte)(n >> 16), (byte)(n >> 8), (byte)n };
        }
    }

    /// <summary>A distinguished name as RDNs of normalized attribute values, for name chaining and directoryName constraints.</summary>
    internal sealed class DistinguishedName
    {
        private DistinguishedName(string[] rdns, string text, List<string> commonNames, List<string> emails)
        {
            Rdns = rdns;
            Key = string.Join(",", rdns);
            Text = text;
            CommonNames = commonNames;
            EmailAddresses = emails;
        }

        /// <summary>Normalized RDNs in encoding order (each: sorted "oid=value" joined by '+').</summary>
        public string[] Rdns { get; }

        /// <summary>Normalized form: two names are the same name when their keys are equal (RFC 5280 7.1, simplified).</summary>
        public string Key { get; }
        public string Text { get; }
        public bool IsEmpty => Rdns.Length == 0;
        public List<string> CommonNames { get; }
        public List<string> EmailAddresses { get; }

        private static readonly DerObjectIdentifier CnOid = new DerObjectIdentifier("2.5.4.3");
        private static readonly DerObjectIdentifier EmailOid = new DerObjectIdentifier("1.2.840.113549.1.9.1");

        public static DistinguishedName FromDer(byte[] der) =>
            From(Org.BouncyCastle.Asn1.X509.X509Name.GetInstance(Asn1Object.FromByteArray(der)));

        public static DistinguishedName From(Org.BouncyCastle.Asn1.X509.X509Name name)
        {
            var seq = Asn1Sequence.GetInstance(name.ToAsn1Object());
            var rdns = new string[seq.Count];
            var cns = new List<string>();
            var emails = new List<string>();
            for (int i = 0; i < seq.Count; i++)
            {
                var set = Asn1Set.GetInstance(seq[i]);
                var avas = new List<string>(set.Count);
                foreach (var element in set)
                {
                    var ava = Asn1Sequence.GetInstance(element);
                    var oid = DerObjectIdentifier.GetInstance(ava[0]);
                    var value = ava[1];
                    string text = value is IAsn1String s ? s.GetString() : "#" + Pki.Hex.Upper(value.GetEncoded());
                    if (oid.Equals(CnOid)) cns.Add(text);
                    if (oid.Equals(EmailOid)) emails.Add(text);
                    avas.Add(oid.Id + "=" + Normalize(text));
                }
                avas.Sort(StringComparer.Ordinal);
                rdns[i] = string.Join("+", avas);
            }
            string display;
            try { display = name.ToString(); }
            catch (Exception) { display = string.Join(",", rdns); }
            return new DistinguishedName(rdns, display, cns, emails);
        }

        private static string Normalize(string value)
        {
            var sb = new StringBuilder(value.Length);
            bool space = false;
            foreach (char c in value.Trim())
            {
                if (char.IsWhiteSpace(c)) { space = true; continue; }
                if (space) { sb.Append(' '); space = false; }
                sb.Append(char.ToLowerInvariant(c));
            }
            return sb.ToString();
        }

        /// <summary>True when <paramref name="prefix"/>'s RDNs begin this name (directoryName subtree, RFC 5280 4.2.1.10).</summary>
        public bool IsWithin(DistinguishedName prefix)
        {
            if (prefix.Rdns.Length > Rdns.Length) return false;
            for (int i = 0; i < prefix.Rdns.Length; i++)
                if (!string.Equals(prefix.Rdns[i], Rdns[i], StringComparison.Ordinal)) return false;
            return true;
        }

        public override string ToString() => Text;
    }

    internal static class IpText
    {
        public static string Format(byte[] octets)
        {
            if (octets.Length == 4 || octets.Length == 16)
                return new System.Net.IPAddress(octets).ToString();
            return Pki.Hex.Upper(octets);
        }
    }
}
