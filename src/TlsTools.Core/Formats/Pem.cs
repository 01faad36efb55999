using System;
using System.Collections.Generic;
using System.Text;

namespace TlsTools.Formats
{
    /// <summary>One PEM block: its label and decoded bytes; Headers holds RFC 1421 headers (Proc-Type, DEK-Info).</summary>
    internal sealed class PemBlock
    {
        public PemBlock(string label, byte[] data, string headers, string text)
        {
            Label = label;
            Data = data;
            Headers = headers;
            Text = text;
        }

        public string Label { get; }
        public byte[] Data { get; }
        public string Headers { get; }
        public string Text { get; }
    }

    internal static class Pem
    {
        private const string BeginMarker = "-----BEGIN ";
        private const string EndMarker = "-----END ";
        private const string Dashes = "-----";
        private const int MaxLabel = 64;

        public static bool LooksLikePem(string text) => text.IndexOf("-----BEGIN ", StringComparison.Ordinal) >= 0;

        public static bool LooksLikePem(byte[] data)
        {
            // Text files start with printable ASCII (maybe a BOM or a comment); DER starts with 0x30.
            int n = Math.Min(data.Length, 4096);
            var head = Encoding.ASCII.GetString(data, 0, n);
            return head.IndexOf("-----BEGIN ", StringComparison.Ordinal) >= 0;
        }

        /// <summary>All PEM blocks in the text, in order. Throws InvalidPem for a block that cannot be decoded.</summary>
        public static List<PemBlock> Decode(string text)
        {
            var result = new List<PemBlock>();
            foreach (var (start, label, bodyStart, bodyEnd, endLabel, end) in Blocks(text))
            {
                if (label != endLabel)
                    throw new TlsToolsException(ErrorIds.InvalidPem, ErrorKind.InvalidData,
                        "PEM block 'BEGIN " + label + "' ends with 'END " + endLabel + "'.");
                var body = text.Substring(bodyStart, bodyEnd - bodyStart);
                var headers = new StringBuilder();
                var b64 = new StringBuilder();
                foreach (var rawLine in body.Split('\n'))
                {
                    var line = rawLine.Trim();
                    if (line.Length == 0) continue;
                    if (line.IndexOf(':') > 0) { headers.AppendLine(line); continue; }
                    b64.Append(line);
                }
                byte[] data;
                try
                {
                    data = Convert.FromBase64String(b64.ToString());
                }
                catch (FormatException e)
                {
                    throw new TlsToolsException(ErrorIds.InvalidPem, ErrorKind.InvalidData,
                        "PEM block '" + label + "' does not hold valid base64.", e);
                }
                if (data.Length == 0)
                    throw new TlsToolsException(ErrorIds.InvalidPem, ErrorKind.InvalidData, "PEM block '" + label + "' is empty.");
                result.Add(new PemBlock(label, data, headers.ToString(), text.Substring(start, end - start)));
            }
            if (result.Count == 0 && LooksLikePem(text))
                throw new TlsToolsException(ErrorIds.InvalidPem, ErrorKind.InvalidData, "A PEM 'BEGIN' line has no matching 'END' line.");
            return result;
        }

        /// <summary>
        /// The blocks "-----BEGIN label-----" ... "-----END label-----" (labels of 1 to 64 characters A-Z, 0-9, space, '#'),
        /// each body ending at the first well-formed END line. One pass over the text: a file with many BEGIN lines and no
        /// END (a regular expression would backtrack quadratically there) costs linear time.
        /// </summary>
        private static IEnumerable<(int Start, string Label, int BodyStart, int BodyEnd, string EndLabel, int End)> Blocks(string text)
        {
            int pos = 0;
            int endAt = -1, endLabelEnd = 0; // the next well-formed END line at or after the current body start
            string endLabel = "";
            while (pos < text.Length)
            {
                int begin = text.IndexOf(BeginMarker, pos, StringComparison.Ordinal);
                if (begin < 0) yield break;
                string? label = LabelAt(text, begin + BeginMarker.Length, out int bodyStart);
                if (label == null)
                {
                    pos = begin + 1;
                    continue;
                }
                if (endAt < bodyStart)
                {
                    endAt = -1;
                    int search = bodyStart;
                    while (true)
                    {
                        int e = text.IndexOf(EndMarker, search, StringComparison.Ordinal);
                        if (e < 0) break;
                        var l = LabelAt(text, e + EndMarker.Length, out int after);
                        if (l != null)
                        {
                            endAt = e;
                            endLabel = l;
                            endLabelEnd = after;
                            break;
                        }
                        search = e + 1;
                    }
                    if (endAt < 0) yield break; // no END line after this BEGIN, nor after any later one
                }
                yield return (begin, label, bodyStart, endAt, endLabel, endLabelEnd);
                pos = endLabelEnd;
            }
        }

        /// <summary>The label at <paramref name="at"/> when it is 1 to 64 label characters followed by five dashes; <paramref name="after"/> is the index past the dashes.</summary>
        private static string? LabelAt(string text, int at, out int after)
        {
            after = at;
            int i = at;
            while (i < text.Length && i - at <= MaxLabel && IsLabelChar(text[i])) i++;
            int n = i - at;
            if (n < 1 || n > MaxLabel || string.CompareOrdinal(text, i, Dashes, 0, Dashes.Length) != 0) return null;
            after = i + Dashes.Length;
            return text.Substring(at, n);
        }

        private static bool IsLabelChar(char c) => (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ' ' || c == '#';

        public static string Encode(string label, byte[] data)
        {
            var b64 = Convert.ToBase64String(data);
            var sb = new StringBuilder();
            sb.Append("-----BEGIN ").Append(label).Append("-----\n");
            for (int i = 0; i < b64.Length; i += 64)
                sb.Append(b64, i, Math.Min(64, b64.Length - i)).Append('\n');
            sb.Append("-----END ").Append(label).Append("-----\n");
            return sb.ToString();
        }
    }
}
