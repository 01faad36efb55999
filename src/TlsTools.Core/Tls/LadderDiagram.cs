using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace TlsTools.Tls
{
    /// <summary>Renders a transcript as a text ladder: client on the left, server on the right, one line per message.</summary>
    public static class LadderDiagram
    {
        /// <summary>Total width of the output; lines never exceed it.</summary>
        public const int DefaultWidth = 80;

        public static string Render(IEnumerable<TranscriptMessage> transcript) => Render(transcript, DefaultWidth);

        public static string Render(IEnumerable<TranscriptMessage> transcript, int width)
        {
            if (transcript == null) throw new ArgumentNullException(nameof(transcript));
            width = Math.Max(60, width);
            const int timeCol = 9;              // "  1234.5 "
            // The arrow takes what the summary leaves it (at least 34: the longest label fits), at most 52: at 80 columns
            // the summary keeps 35 characters instead of 20.
            int arrow = Math.Min(52, Math.Max(34, width - timeCol - 2 - 35));
            var sb = new StringBuilder();
            var header = new string(' ', timeCol) + Pad("Client", arrow + 2 - 6) + "Server";
            sb.Append("    ms   ").Append(header.Substring(timeCol)).Append('\n');
            var encrypted = new Encryption();
            foreach (var m in transcript)
            {
                bool enc = encrypted.Next(m);
                var label = (enc ? "*" : "") + m.Label;
                var time = m.OffsetMilliseconds.ToString("0.0", CultureInfo.InvariantCulture).PadLeft(timeCol - 1) + " ";
                string line;
                int inner = arrow - 2; // between the two '|'
                if (m.Sender == Sender.Client)
                {
                    var body = "-- " + label + " ";
                    if (body.Length > inner - 2) body = body.Substring(0, inner - 2);
                    line = "|" + body + new string('-', inner - body.Length - 1) + ">|";
                }
                else
                {
                    var body = " " + label + " --";
                    if (body.Length > inner - 2) body = body.Substring(body.Length - (inner - 2));
                    line = "|<" + new string('-', inner - body.Length - 1) + body + "|";
                }
                var text = time + line;
                var detail = Summary(m);
                if (detail.Length > 0)
                {
                    int room = width - text.Length - 2;
                    if (room > 3) text += "  " + (detail.Length > room ? detail.Substring(0, room - 1) + "…" : detail);
                }
                sb.Append(text).Append('\n');
            }
            sb.Append(new string(' ', timeCol)).Append("* sent encrypted\n");
            return sb.ToString();
        }

        private static string Pad(string s, int n) => s.Length >= n ? s : s + new string(' ', n - s.Length);

        /// <summary>Tracks which messages travelled encrypted: TLS 1.3 after ServerHello, TLS 1.2 after each side's ChangeCipherSpec.</summary>
        internal sealed class Encryption
        {
            private bool _tls13, _client, _server;

            public bool Next(TranscriptMessage m)
            {
                if (m.Type == TranscriptMessageType.ChangeCipherSpec)
                {
                    if (!_tls13) { if (m.Sender == Sender.Client) _client = true; else _server = true; }
                    return false;
                }
                bool enc = m.Sender == Sender.Client ? _client : _server;
                if (m.Type == TranscriptMessageType.ServerHello && m.Fields["Version"] as string == Tls13)
                {
                    _tls13 = true;
                    _client = _server = true;
                }
                return enc;
            }
        }

        // Field values and extension keys as the decoder prints them (names from the registry).
        private static readonly string Tls13 = TlsRegistry.Versions.Name(TlsVersion.Tls13);
        private static readonly string KeyShare = TlsRegistry.Extensions.Name(ExtensionCodes.KeyShare), ServerName = TlsRegistry.Extensions.Name(ExtensionCodes.ServerName),
            Alpn = TlsRegistry.Extensions.Name(ExtensionCodes.Alpn);

        /// <summary>A short summary of a message's decoded fields.</summary>
        public static string Summary(TranscriptMessage m)
        {
            if (m == null) throw new ArgumentNullException(nameof(m));
            if (m.DecodeError != null) return "decode error: " + m.DecodeError;
            var f = m.Fields;
            var ext = f["Extensions"] as IDictionary;
            var parts = new List<string>();
            switch (m.Type)
            {
                case TranscriptMessageType.ClientHello:
                    if (f["OfferedVersions"] is string[] v) parts.Add(string.Join("/", v));
                    if (f["CipherSuites"] is string[] cs) parts.Add(cs.Length + " suites");
                    if (ext?[KeyShare] is string[] ks) parts.Add("key share " + string.Join(",", ks.Select(k => k.Split(' ')[0])));
                    if (ext?[ServerName] is string sni) parts.Add("SNI " + sni);
                    if (ext?[Alpn] is string[] alpn) parts.Add("ALPN " + string.Join(",", alpn));
                    if (f["SessionId"] is string sid && sid.Length > 0 && !(f["OfferedVersions"] is string[] ov && ov.Contains(Tls13))) parts.Add("resume " + sid.Substring(0, Math.Min(8, sid.Length)) + "…");
                    break;
                case TranscriptMessageType.ServerHello:
                    parts.Add(f["Version"] as string ?? "");
                    parts.Add(f["CipherSuite"] as string ?? "");
                    if (ext?[KeyShare] is string share) parts.Add(share.Split(' ')[0]);
                    if (ext?[Alpn] is string a) parts.Add("ALPN " + a);
                    break;
                case TranscriptMessageType.HelloRetryRequest:
                    if (ext?[KeyShare] is string hrr) parts.Add(hrr);
                    break;
                case TranscriptMessageType.EncryptedExtensions:
                    if (ext != null)
                        parts.Add(ext.Count == 0 ? "none" : string.Join(", ", ext.Keys.Cast<string>().Select(k =>
                            k == Alpn ? "ALPN " + (ext[k] as string ?? "") : k)));
                    break;
                case TranscriptMessageType.Certificate:
                    if (f["Subjects"] is string[] subj)
                        parts.Add(subj.Length == 0 ? "empty" : subj[0] + (subj.Length > 1 ? " (+" + (subj.Length - 1) + ")" : ""));
                    break;
                case TranscriptMessageType.ServerKeyExchange:
                    if (f["NamedGroup"] is string g) parts.Add(g);
                    else if (f["DhPrimeBits"] is int bits) parts.Add("DH " + bits + " bits");
                    if (f["SignatureScheme"] is string s1) parts.Add("signed " + s1);
                    break;
                case TranscriptMessageType.CertificateVerify:
                    if (f["SignatureScheme"] is string s2) parts.Add(s2);
                    break;
                case TranscriptMessageType.ClientKeyExchange:
                    if (f["EncryptedPreMasterSecretLength"] is int e) parts.Add("RSA-encrypted premaster secret (" + e + " bytes)");
                    else if (f["PublicKeyLength"] is int pk) parts.Add("public key " + pk + " bytes");
                    break;
                case TranscriptMessageType.CertificateRequest:
                    parts.Add("client certificate requested");
                    break;
                case TranscriptMessageType.NewSessionTicket:
                    parts.Add("lifetime " + f["LifetimeSeconds"] + " s, " + f["TicketLength"] + " bytes");
                    break;
                case TranscriptMessageType.Alert:
                    parts.Add(f["Level"] as string ?? "");
                    break;
                case TranscriptMessageType.StartTls:
                    // The preamble line(s) as said, on one line: "EHLO tlstools.invalid", "250-mail | 250 STARTTLS".
                    if (f["Text"] is string said) parts.Add(said.Replace("\r", "").Replace("\n", " | "));
                    break;
            }
            return string.Join(", ", parts.Where(p => p.Length > 0));
        }
    }

    /// <summary>Renders a transcript as a Mermaid sequence diagram.</summary>
    public static class MermaidDiagram
    {
        public static string Render(IEnumerable<TranscriptMessage> transcript)
        {
            if (transcript == null) throw new ArgumentNullException(nameof(transcript));
            var sb = new StringBuilder();
            sb.Append("sequenceDiagram\n");
            sb.Append("    participant C as Client\n");
            sb.Append("    participant S as Server\n");
            var enc = new LadderDiagram.Encryption();
            foreach (var m in transcript)
            {
                bool encrypted = enc.Next(m);
                var summary = LadderDiagram.Summary(m);
                var text = (encrypted ? "🔒 " : "") + m.Label + (summary.Length > 0 ? ": " + summary : "");
                sb.Append("    ").Append(m.Sender == Sender.Client ? "C->>S: " : "S->>C: ").Append(Escape(text)).Append('\n');
            }
            return sb.ToString();
        }

        private static string Escape(string s)
        {
            // Mermaid ends a statement at ';' and treats '#' as an entity start.
            var sb = new StringBuilder();
            foreach (var c in s)
            {
                switch (c)
                {
                    case ';': sb.Append("#59;"); break;
                    case '#': sb.Append("#35;"); break;
                    case '\n': case '\r': sb.Append(' '); break;
                    default: sb.Append(c); break;
                }
            }
            return sb.ToString();
        }
    }
}
