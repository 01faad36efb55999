using System;
using System.Collections.Generic;
using System.Text;
using System.Text.RegularExpressions;

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
        private static readonly Regex Block = new Regex(
            @"-----BEGIN (?<label>[A-Z0-9 #]{1,64})-----(?<body>.*?)-----END (?<end>[A-Z0-9 #]{1,64})-----",
            RegexOptions.Singleline | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(5));

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
            foreach (Match m in Block.Matches(text))
            {
                var label = m.Groups["label"].Value;
                if (label != m.Groups["end"].Value)
                    throw new TlsToolsException("InvalidPem", ErrorKind.InvalidData,
                        "PEM block 'BEGIN " + label + "' ends with 'END " + m.Groups["end"].Value + "'.");
                var body = m.Groups["body"].Value;
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
                    throw new TlsToolsException("InvalidPem", ErrorKind.InvalidData,
                        "PEM block '" + label + "' does not hold valid base64.", e);
                }
                if (data.Length == 0)
                    throw new TlsToolsException("InvalidPem", ErrorKind.InvalidData, "PEM block '" + label + "' is empty.");
                result.Add(new PemBlock(label, data, headers.ToString(), m.Value));
            }
            if (result.Count == 0 && LooksLikePem(text))
                throw new TlsToolsException("InvalidPem", ErrorKind.InvalidData, "A PEM 'BEGIN' line has no matching 'END' line.");
            return result;
        }

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
