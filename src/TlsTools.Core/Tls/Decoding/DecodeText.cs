using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace TlsTools.Tls
{
    /// <summary>Small text and byte helpers the message decoders share.</summary>
    internal static class DecodeText
    {
        /// <summary>A decoding failure with this message (it becomes <see cref="TranscriptMessage.DecodeError"/>).</summary>
        public static TlsToolsException Fail(string message) => new TlsToolsException(ErrorIds.MalformedHandshakeMessage, ErrorKind.ProtocolError, message);

        public static string Name(Sender s) => s == Sender.Client ? "client" : "server";

        public static Sender Other(Sender s) => s == Sender.Client ? Sender.Server : Sender.Client;

        /// <summary>"ServerHelloDone" as "Server Hello Done".</summary>
        public static string Spaced(TranscriptMessageType t)
        {
            var s = t.ToString();
            var sb = new StringBuilder();
            for (int i = 0; i < s.Length; i++)
            {
                if (i > 0 && char.IsUpper(s[i]) && !char.IsUpper(s[i - 1])) sb.Append(' ');
                sb.Append(s[i]);
            }
            return sb.ToString();
        }

        public static string JoinOr(IList<string> items) =>
            items.Count <= 1 ? string.Join("", items) : string.Join(", ", items.Take(items.Count - 1)) + " or " + items[items.Count - 1];

        public static string Abbrev(string[] items, int max) =>
            items.Length <= max ? string.Join(", ", items) : string.Join(", ", items.Take(max)) + " and " + (items.Length - max) + " more";

        public static string Short(string hex) => hex.Length > 16 ? hex.Substring(0, 16) + "…" : hex;

        public static string Hex(byte[] data)
        {
            var sb = new StringBuilder(data.Length * 2);
            foreach (var b in data) sb.Append(b.ToString("x2", CultureInfo.InvariantCulture));
            return sb.ToString();
        }

        public static string Preview(byte[] data, int off, int len) =>
            len <= 64 ? Hex(data.Skip(off).Take(len).ToArray()) : Hex(data.Skip(off).Take(64).ToArray()) + "… (" + len + " bytes)";

        public static string Ascii(byte[] b) => new string(b.Select(x => x >= 0x20 && x < 0x7F ? (char)x : '?').ToArray());

        /// <summary>A list of 2-byte values.</summary>
        public static List<int> U16List(byte[] data)
        {
            if (data.Length % 2 != 0) throw Fail("A list of 2-byte values has odd length " + data.Length + ".");
            var list = new List<int>();
            for (int i = 0; i + 1 < data.Length; i += 2) list.Add((data[i] << 8) | data[i + 1]);
            return list;
        }

        public static string[] SchemeList(byte[] data) => U16List(data).Select(TlsRegistry.SignatureSchemes.Name).ToArray();

        /// <summary>The DistinguishedName list of a CertificateRequest (TLS 1.2 body, TLS 1.3 certificate_authorities), each
        /// as <see cref="Pki.Certificate.Subject"/> prints names; an unreadable one is described, not dropped.</summary>
        public static List<string> DistinguishedNames(WireReader list)
        {
            var names = new List<string>();
            while (!list.AtEnd)
            {
                var dn = list.VectorBytes(2);
                try { names.Add(Org.BouncyCastle.Asn1.X509.X509Name.GetInstance(Org.BouncyCastle.Asn1.Asn1Object.FromByteArray(dn)).ToString()); }
                catch (System.Exception) { names.Add("(unreadable name, " + dn.Length + " bytes)"); }
            }
            return names;
        }
    }
}
