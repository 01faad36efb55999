using TlsTools.Tls;
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Text.RegularExpressions;
using TlsTools.Scanning;

namespace TlsTools.Tests.Scanning
{
    /// <summary>What `sslscan --no-colour 127.0.0.1:PORT` printed: suites (OpenSSL names, in printed order) and groups per version.</summary>
    internal sealed class SslScanReport
    {
        public Dictionary<TlsVersion, List<string>> Suites { get; } = new Dictionary<TlsVersion, List<string>>();
        public Dictionary<TlsVersion, List<string>> Groups { get; } = new Dictionary<TlsVersion, List<string>>();
        public HashSet<TlsVersion> EnabledVersions { get; } = new HashSet<TlsVersion>();
        public string Text { get; private set; } = "";

        private static readonly Dictionary<string, TlsVersion> Versions = new Dictionary<string, TlsVersion>
        {
            ["SSLv3"] = TlsVersion.Ssl30, ["TLSv1.0"] = TlsVersion.Tls10, ["TLSv1.1"] = TlsVersion.Tls11,
            ["TLSv1.2"] = TlsVersion.Tls12, ["TLSv1.3"] = TlsVersion.Tls13,
        };

        public static SslScanReport Run(int port, TimeSpan timeout, string? sniName = null)
        {
            PeerProcess.Require("sslscan");
            var psi = new ProcessStartInfo("sslscan") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            psi.ArgumentList.Add("--no-colour");
            if (sniName != null) psi.ArgumentList.Add("--sni-name=" + sniName);
            psi.ArgumentList.Add("127.0.0.1:" + port);
            using var p = Process.Start(psi)!;
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit((int)timeout.TotalMilliseconds))
            {
                p.Kill(entireProcessTree: true);
                throw new TimeoutException("sslscan did not finish within " + timeout);
            }
            stdout.Wait(5000);
            return Parse(stdout.Result);
        }

        public static SslScanReport Parse(string text)
        {
            var r = new SslScanReport { Text = text };
            foreach (var raw in text.Split('\n'))
            {
                var line = raw.TrimEnd('\r');
                var m = Regex.Match(line, @"^(Preferred|Accepted)\s+(SSLv3|TLSv1\.[0-3])\s+\d+ bits\s+(\S+)");
                if (m.Success)
                {
                    Add(r.Suites, Versions[m.Groups[2].Value], m.Groups[3].Value);
                    continue;
                }
                m = Regex.Match(line, @"^(SSLv3|TLSv1\.[0-3])\s+enabled");
                if (m.Success) { r.EnabledVersions.Add(Versions[m.Groups[1].Value]); continue; }
                m = Regex.Match(line, @"^(TLSv1\.[0-3])\s+\d+ bits\s+(\S+)");
                if (m.Success) Add(r.Groups, Versions[m.Groups[1].Value], m.Groups[2].Value);
            }
            return r;
        }

        private static void Add(Dictionary<TlsVersion, List<string>> d, TlsVersion v, string s)
        {
            if (!d.TryGetValue(v, out var l)) d[v] = l = new List<string>();
            l.Add(s);
        }

        private static readonly Lazy<HashSet<string>> Known = new Lazy<HashSet<string>>(() =>
        {
            var psi = new ProcessStartInfo("openssl") { RedirectStandardOutput = true, UseShellExecute = false };
            foreach (var a in new[] { "ciphers", "-V", "ALL:COMPLEMENTOFALL:@SECLEVEL=0" }) psi.ArgumentList.Add(a);
            using var p = Process.Start(psi)!;
            var text = p.StandardOutput.ReadToEnd();
            p.WaitForExit(10000);
            var set = new HashSet<string>();
            foreach (Match m in Regex.Matches(text, @"0x[0-9A-F]{2},0x[0-9A-F]{2} - (\S+)")) set.Add(m.Groups[1].Value);
            return set;
        });

        /// <summary>Suites sslscan can test at all: those its OpenSSL knows (this OpenSSL 3.0 build has no 3DES, RC4, DES...).</summary>
        public static bool CanTest(string openSslName) => Known.Value.Contains(openSslName);

        public List<string> SuitesFor(TlsVersion v) => Suites.TryGetValue(v, out var l) ? l : new List<string>();
        public List<string> GroupsFor(TlsVersion v) => Groups.TryGetValue(v, out var l) ? l : new List<string>();
    }
}
