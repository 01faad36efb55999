// ScanBench: TlsTools' scanner vs sslscan against one local openssl s_server (mixed legacy configuration).
//   dotnet run -c Release --project bench/ScanBench            (5 rounds, interleaved)
//   dotnet run -c Release --project bench/ScanBench -- 9       (9 rounds)
//   dotnet run -c Release --project bench/ScanBench -- --scan HOST PORT [SNI]   (print one profile as JSON)
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using System.Threading;
using TlsTools.Scanning;

var json = new JsonSerializerOptions { WriteIndented = true, Converters = { new JsonStringEnumConverter() } };
if (args.Length >= 3 && args[0] == "--scan")
{
    var p = await TlsServerScanner.ScanAsync(new ScanOptions { HostName = args[1], Port = int.Parse(args[2]), ServerName = args.Length > 3 ? args[3] : null });
    Console.WriteLine(JsonSerializer.Serialize(p, json));
    return 0;
}

int rounds = args.Length > 0 && int.TryParse(args[0], out var r) ? r : 5;
var dir = Path.Combine(Path.GetTempPath(), "scanbench-" + Environment.ProcessId);
Directory.CreateDirectory(dir);
Process? server = null;
try
{
    Run("openssl", dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "key.pem", "-out", "cert.pem", "-subj", "/CN=localhost", "-days", "2");
    int port = FreePort();
    // The mixed configuration: TLS 1.0-1.3, every suite this OpenSSL has (legacy CBC, anon, CAMELLIA, ARIA...).
    server = Start("openssl", dir, "s_server", "-accept", "127.0.0.1:" + port, "-cert", "cert.pem", "-key", "key.pem",
        "-cipher", "ALL:@SECLEVEL=0", "-min_protocol", "TLSv1", "-quiet");
    WaitForPort(port);
    Console.WriteLine($"openssl s_server (mixed: -cipher ALL:@SECLEVEL=0 -min_protocol TLSv1) on 127.0.0.1:{port}; {rounds} rounds, interleaved");

    // Warm-up (JIT, first connection) for both, not measured.
    await ScanTlsTools(port);
    RunSslScan(port);

    var ours = new List<double>();
    var theirs = new List<double>();
    int oursSuites = 0, theirSuites = 0, oursProbes = 0, oursGroups = 0, theirGroups = 0;
    for (int i = 0; i < rounds; i++)
    {
        var sw = Stopwatch.StartNew();
        var profile = await ScanTlsTools(port);
        ours.Add(sw.Elapsed.TotalMilliseconds);
        oursSuites = profile.CipherSuites.Count;
        oursGroups = profile.NamedGroups.Count;
        oursProbes = profile.ProbeCount;

        sw.Restart();
        var text = RunSslScan(port);
        theirs.Add(sw.Elapsed.TotalMilliseconds);
        theirSuites = Regex.Matches(text, @"^(Preferred|Accepted)\s", RegexOptions.Multiline).Count;
        theirGroups = Regex.Matches(text, @"^TLSv1\.[23]\s+\d+ bits\s+\S+", RegexOptions.Multiline).Count;
        Console.WriteLine($"  round {i + 1}: TlsTools {ours[i],7:F0} ms   sslscan {theirs[i],7:F0} ms");
    }
    double mo = Median(ours), ms = Median(theirs);
    Console.WriteLine();
    Console.WriteLine($"median wall time  TlsTools {mo:F0} ms   sslscan {ms:F0} ms   ratio TlsTools/sslscan = {mo / ms:F3}");
    Console.WriteLine($"(version, suite) pairs found  TlsTools {oursSuites}   sslscan {theirSuites}");
    Console.WriteLine($"(version, group) pairs found  TlsTools {oursGroups}   sslscan {theirGroups}");
    Console.WriteLine($"TlsTools probes per scan: {oursProbes} (MaxConcurrency 8)");
    return mo <= ms / 2 ? 0 : 1;
}
finally
{
    if (server != null && !server.HasExited) { server.Kill(entireProcessTree: true); server.WaitForExit(5000); }
    try { Directory.Delete(dir, true); } catch (IOException) { }
}

static async System.Threading.Tasks.Task<ServerProfile> ScanTlsTools(int port) =>
    await TlsServerScanner.ScanAsync(new ScanOptions { HostName = "127.0.0.1", Port = port, Timeout = TimeSpan.FromSeconds(5), MaxConcurrency = 8 });

static string RunSslScan(int port)
{
    var psi = new ProcessStartInfo("sslscan") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
    psi.ArgumentList.Add("--no-colour");
    psi.ArgumentList.Add("127.0.0.1:" + port);
    using var p = Process.Start(psi)!;
    var err = p.StandardError.ReadToEndAsync();
    var text = p.StandardOutput.ReadToEnd();
    if (!p.WaitForExit(120_000)) { p.Kill(true); throw new TimeoutException("sslscan"); }
    return text;
}

static double Median(List<double> xs)
{
    var s = xs.OrderBy(x => x).ToList();
    return s.Count % 2 == 1 ? s[s.Count / 2] : (s[s.Count / 2 - 1] + s[s.Count / 2]) / 2;
}

static int FreePort()
{
    var l = new TcpListener(IPAddress.Loopback, 0);
    l.Start();
    int port = ((IPEndPoint)l.LocalEndpoint).Port;
    l.Stop();
    return port;
}

static void WaitForPort(int port)
{
    var deadline = DateTime.UtcNow.AddSeconds(15);
    while (DateTime.UtcNow < deadline)
    {
        try
        {
            using var c = new TcpClient();
            if (c.ConnectAsync(IPAddress.Loopback, port).Wait(500) && c.Connected) return;
        }
        catch (AggregateException) { }
        Thread.Sleep(50);
    }
    throw new TimeoutException("s_server did not listen on " + port);
}

static Process Start(string tool, string dir, params string[] args)
{
    var psi = new ProcessStartInfo(tool) { WorkingDirectory = dir, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
    foreach (var a in args) psi.ArgumentList.Add(a);
    var p = Process.Start(psi)!;
    p.OutputDataReceived += (_, _) => { };
    p.ErrorDataReceived += (_, _) => { };
    p.BeginOutputReadLine();
    p.BeginErrorReadLine();
    return p;
}

static void Run(string tool, string dir, params string[] args)
{
    using var p = Start(tool, dir, args);
    if (!p.WaitForExit(60_000)) { p.Kill(true); throw new TimeoutException(tool); }
    if (p.ExitCode != 0) throw new InvalidOperationException(tool + " exited with " + p.ExitCode);
}
