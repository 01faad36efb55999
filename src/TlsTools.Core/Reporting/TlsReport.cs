using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Text;
using TlsTools.Pki;
using TlsTools.Scanning;
using TlsTools.Tls;
using TlsTools.Validation;

namespace TlsTools.Reporting
{
    /// <summary>The formats <see cref="TlsReport"/> writes.</summary>
    public enum ReportFormat
    {
        /// <summary>RFC 4180 CSV: a header line, one line per row, fields quoted where needed.</summary>
        Csv,

        /// <summary>A GitHub-flavoured Markdown table.</summary>
        Markdown,

        /// <summary>A standalone HTML page with one table (every value HTML-encoded).</summary>
        Html,
    }

    /// <summary>
    /// Flat, spreadsheet-friendly rows of TlsTools results: every value is one string (lists joined with "; ", dates as ISO 8601
    /// UTC), so a report never shows "System.String[]". Certificates, handshake results, chain validation results and server
    /// profiles have their own columns; other rows are given as name/value pairs by the caller. Columns are the union of
    /// the rows' columns, in the order first seen.
    /// </summary>
    public static class TlsReport
    {
        /// <summary>Joins list values in one cell.</summary>
        public const string ListSeparator = "; ";

        /// <summary>The row of a TlsTools result, or null when <paramref name="value"/> is of another type.</summary>
        public static IReadOnlyList<KeyValuePair<string, string>>? RowOf(object? value)
        {
            switch (value)
            {
                case Certificate c: return CertificateRow(c);
                case HandshakeResult h: return HandshakeRow(h);
                case ChainValidationResult v: return ValidationRow(v);
                case ServerProfileReport p: return ProfileRow(p);
                default: return null;
            }
        }

        /// <summary>One cell: null is empty, lists are joined, dates are ISO 8601 UTC, the rest is culture-invariant text.</summary>
        public static string Cell(object? value)
        {
            switch (value)
            {
                case null: return "";
                case string s: return s;
                case DateTime d: return d.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
                case bool b: return b ? "True" : "False";
                case IFormattable f: return f.ToString(null, CultureInfo.InvariantCulture);
                case System.Collections.IEnumerable items:
                    return string.Join(ListSeparator, items.Cast<object?>().Select(Cell).Where(x => x.Length > 0));
                default: return value.ToString() ?? "";
            }
        }

        /// <summary>Writes the rows as one text in <paramref name="format"/>.</summary>
        public static string Write(IEnumerable<IReadOnlyList<KeyValuePair<string, string>>> rows, ReportFormat format, string title = "TlsTools report")
        {
            var list = rows.ToList();
            var columns = new List<string>();
            foreach (var row in list)
                foreach (var cell in row)
                    if (!columns.Contains(cell.Key)) columns.Add(cell.Key);
            var table = list.Select(r => columns.Select(c => r.FirstOrDefault(x => x.Key == c).Value ?? "").ToList()).ToList();
            switch (format)
            {
                case ReportFormat.Csv: return Csv(columns, table);
                case ReportFormat.Markdown: return Markdown(columns, table);
                case ReportFormat.Html: return Html(columns, table, title);
                default: throw new ArgumentOutOfRangeException(nameof(format));
            }
        }

        private static List<KeyValuePair<string, string>> Row(params (string Name, object? Value)[] cells) =>
            cells.Select(c => new KeyValuePair<string, string>(c.Name, Cell(c.Value))).ToList();

        private static List<KeyValuePair<string, string>> CertificateRow(Certificate c) => Row(
            ("Subject", c.Subject), ("Issuer", c.Issuer), ("SerialNumber", c.SerialNumber), ("NotBefore", c.NotBefore), ("NotAfter", c.NotAfter),
            ("DaysUntilExpiry", c.DaysUntilExpiry), ("KeyAlgorithm", c.KeyAlgorithm), ("SignatureAlgorithm", c.SignatureAlgorithm),
            ("DnsNames", c.DnsNames), ("IpAddresses", c.IpAddresses), ("IsCertificateAuthority", c.IsCertificateAuthority),
            ("Thumbprint", c.Thumbprint), ("Path", c.Path));

        private static List<KeyValuePair<string, string>> HandshakeRow(HandshakeResult h)
        {
            var leaf = h.Certificates.Length > 0 ? h.Certificates[0] : null;
            return Row(
                ("HostName", h.HostName), ("Port", h.Port), ("Success", h.Success), ("TlsVersion", h.TlsVersion), ("CipherSuite", h.CipherSuite),
                ("NamedGroup", h.NamedGroup), ("Alpn", h.Alpn), ("Valid", h.Validation?.IsValid),
                ("ValidationFailures", h.Validation?.Failures.Select(f => f.Check).Distinct()),
                ("Subject", leaf?.Subject), ("Issuer", leaf?.Issuer), ("NotAfter", leaf?.NotAfter), ("DaysUntilExpiry", h.DaysUntilExpiry),
                ("ErrorId", h.ErrorId), ("Error", h.Error));
        }

        private static List<KeyValuePair<string, string>> ValidationRow(ChainValidationResult v) => Row(
            ("Subject", v.Chain.Length > 0 ? v.Chain[0].Subject : null), ("Valid", v.IsValid),
            ("Failures", v.Failures.Select(f => f.Check + ": " + f.Message)), ("Chain", string.Join(" <- ", v.Chain.Select(c => c.Subject))),
            ("Purpose", v.Purpose), ("ValidatedAt", v.ValidatedAt));

        private static List<KeyValuePair<string, string>> ProfileRow(ServerProfileReport p)
        {
            var chain = p.CertificateChains.FirstOrDefault();
            return Row(
                ("HostName", p.HostName), ("Port", p.Port), ("TlsVersions", p.TlsVersions),
                ("CipherSuites", p.CipherSuites.Select(s => s.Name).Distinct()), ("NamedGroups", p.NamedGroups.Select(g => g.Name).Distinct()),
                ("Subject", chain?.Subject), ("NotAfter", chain?.NotAfter), ("DaysUntilExpiry", chain?.DaysUntilExpiry), ("Verdict", chain?.Verdict),
                ("AlpnProtocols", p.AlpnProtocols), ("Errors", p.Errors));
        }

        private static string Csv(List<string> columns, List<List<string>> rows)
        {
            var sb = new StringBuilder();
            sb.Append(string.Join(",", columns.Select(CsvField))).Append("\r\n");
            foreach (var row in rows) sb.Append(string.Join(",", row.Select(CsvField))).Append("\r\n");
            return sb.ToString();
        }

        private static string CsvField(string s) =>
            s.IndexOfAny(new[] { ',', '"', '\r', '\n' }) >= 0 || (s.Length > 0 && (s[0] == ' ' || s[s.Length - 1] == ' '))
                ? "\"" + s.Replace("\"", "\"\"") + "\""
                : s;

        private static string Markdown(List<string> columns, List<List<string>> rows)
        {
            var sb = new StringBuilder();
            sb.Append("| ").Append(string.Join(" | ", columns.Select(MarkdownCell))).Append(" |\n");
            sb.Append("|").Append(string.Join("|", columns.Select(_ => "---"))).Append("|\n");
            foreach (var row in rows) sb.Append("| ").Append(string.Join(" | ", row.Select(MarkdownCell))).Append(" |\n");
            return sb.ToString();
        }

        private static string MarkdownCell(string s) =>
            s.Replace("\\", "\\\\").Replace("|", "\\|").Replace("\r", "").Replace("\n", "<br>");

        private static string Html(List<string> columns, List<List<string>> rows, string title)
        {
            var sb = new StringBuilder();
            sb.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>").Append(WebUtility.HtmlEncode(title)).Append("</title>\n")
              .Append("<style>body{font-family:sans-serif}table{border-collapse:collapse}th,td{border:1px solid #999;padding:2px 6px;text-align:left;vertical-align:top}</style>\n")
              .Append("</head>\n<body>\n<h1>").Append(WebUtility.HtmlEncode(title)).Append("</h1>\n<table>\n<thead><tr>");
            foreach (var c in columns) sb.Append("<th>").Append(WebUtility.HtmlEncode(c)).Append("</th>");
            sb.Append("</tr></thead>\n<tbody>\n");
            foreach (var row in rows)
            {
                sb.Append("<tr>");
                foreach (var cell in row) sb.Append("<td>").Append(WebUtility.HtmlEncode(cell)).Append("</td>");
                sb.Append("</tr>\n");
            }
            sb.Append("</tbody>\n</table>\n</body>\n</html>\n");
            return sb.ToString();
        }
    }
}
