using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using TlsTools.Pki;
using TlsTools.Tls;

// HandshakeBench: TlsClientRunner full handshakes against a local openssl s_server, next to `openssl s_time -new`
// on the same server in the same run, then 1,000 handshakes with 50 in parallel (against s_server and TlsServerHost).
// Loopback only. Usage: dotnet run -c Release --project bench/HandshakeBench -- [seconds] [count] [concurrency] [tls1_2|tls1_3]

int seconds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5;
int count = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1000;
int concurrency = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 50;
string version = args.Length > 3 ? args[3] : "tls1_3";

var dir = Directory.CreateTempSubdirectory("handshakebench-").FullName;
var cert = Path.Combine(dir, "cert.pem");
var key = Path.Combine(dir, "key.pem");
Run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", key, "-out", cert, "-subj", "/CN=localhost", "-days", "1");

int port = FreePort();
var serverArgs = new[] { "s_server", "-accept", "127.0.0.1:" + port, "-cert", cert, "-key", key, "-" + version, "-no-CAfile", "-no-CApath" };
using var server = Start("openssl", serverArgs);
var started = Stopwatch.StartNew();
while (!server.Output.Contains("ACCEPT") && started.ElapsedMilliseconds < 10000) Thread.Sleep(20);
if (!server.Output.Contains("ACCEPT")) { Console.Error.WriteLine("s_server did not start: " + server.Output); return 1; }

Console.WriteLine($"Server: openssl {string.Join(' ', serverArgs)}");
Console.WriteLine($"Machine: {Environment.ProcessorCount} logical CPUs, .NET {Environment.Version}, {RuntimeName()}");
var runner = new TlsClientRunner();
HandshakeOptions Opt(int p, bool transcript) => new() { HostName = "127.0.0.1", Port = p, SessionTicketWait = TimeSpan.Zero, CaptureTranscript = transcript, Timeout = TimeSpan.FromSeconds(30) };

// Warm up (JIT tiering, BouncyCastle tables): 2 s of handshakes of both kinds.
await Sequential(port, true, 1);
await Sequential(port, false, 1);

foreach (var transcript in new[] { true, false })
{
    var (n, fails, elapsed, hsMs) = await Sequential(port, transcript, seconds);
    Console.WriteLine($"TlsClientRunner sequential ({(transcript ? "with" : "without")} transcript): {n} handshakes in {elapsed:F2} s = {n / elapsed:F1}/s, failures {fails}, median handshake {hsMs:F2} ms");
    if (transcript) ourRate = n / elapsed;
}

// The whole call as a caller sees it, with the default TLS 1.3 NewSessionTicket wait (openssl s_server sends two
// tickets in one flight after the client's Finished): wall time per HandshakeAsync, not only HandshakeMilliseconds.
{
    var (n, fails, elapsed, wallMs, tickets) = await SequentialWithTicketWait(port, seconds);
    Console.WriteLine($"TlsClientRunner sequential, default ticket wait: {n} handshakes in {elapsed:F2} s = {n / elapsed:F1}/s, failures {fails}, median wall per call {wallMs:F2} ms"
        + (tickets.Length > 0 ? ", " + tickets : ""));
}

// openssl s_time on the same server, same run.
var stime = RunCapture("openssl", "s_time", "-new", "-connect", "127.0.0.1:" + port, "-time", seconds.ToString(CultureInfo.InvariantCulture));
var m = Regex.Match(stime, @"(\d+) connections in (\d+) real seconds");
var mu = Regex.Match(stime, @"(\d+) connections in ([\d.]+)s; ([\d.]+) connections/user sec");
double stimeReal = m.Success ? double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) / double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture) : double.NaN;
Console.WriteLine($"openssl s_time -new -connect 127.0.0.1:{port} -time {seconds}: {(m.Success ? m.Value : "?")} = {stimeReal:F1}/s real" + (mu.Success ? $" ({mu.Groups[3].Value} connections/user sec)" : ""));
Console.WriteLine($"Ratio TlsClientRunner / s_time (real-time rates): {ourRate / stimeReal:F2}");

// 1,000 handshakes, 50 in parallel, against s_server (single-threaded) and against TlsServerHost.
await Parallel("openssl s_server", port);
var pki = Issuance.CreateLeaf(new CertificateOptions { Subject = "CN=localhost", DnsNames = { "localhost" } }, null, null, KeyFactory.Generate(KeyAlgorithm.EcdsaP256));
using (var host = TlsServerHost.Start(new TlsServerOptions { Certificate = pki, TlsVersions = new[] { version == "tls1_2" ? TlsVersion.Tls12 : TlsVersion.Tls13 } }))
{
    for (int i = 0; i < 20; i++) await runner.HandshakeAsync(Opt(host.Port, false), CancellationToken.None);
    await Parallel("TlsServerHost (in-process, same CPUs)", host.Port);
    Console.WriteLine($"TlsServerHost counted {host.HandshakesCompleted} completed, {host.HandshakesFailed} failed");
}
Directory.Delete(dir, true);
return 0;

async Task Parallel(string label, int p)
{
    using var gate = new SemaphoreSlim(concurrency);
    var sw = Stopwatch.StartNew();
    var tasks = Enumerable.Range(0, count).Select(async _ =>
    {
        await gate.WaitAsync();
        try { return await runner.HandshakeAsync(Opt(p, false), CancellationToken.None); }
        finally { gate.Release(); }
    }).ToArray();
    var results = await Task.WhenAll(tasks);
    sw.Stop();
    var failed = results.Where(r => !r.Success).ToArray();
    var times = results.Where(r => r.Success).Select(r => r.HandshakeMilliseconds).OrderBy(x => x).ToArray();
    Console.WriteLine($"{count} handshakes, {concurrency} parallel, against {label}: wall {sw.Elapsed.TotalSeconds:F2} s = {count / sw.Elapsed.TotalSeconds:F1}/s, failures {failed.Length}"
        + (times.Length > 0 ? $", handshake p50 {times[times.Length / 2]:F1} ms p99 {times[(int)(times.Length * 0.99)]:F1} ms" : ""));
    foreach (var g in failed.GroupBy(f => f.ErrorId)) Console.WriteLine($"  {g.Count()} x {g.Key}: {g.First().Error}");
}

async Task<(int, int, double, double)> Sequential(int p, bool transcript, int secs)
{
    var sw = Stopwatch.StartNew();
    int n = 0, fails = 0;
    var hs = new List<double>();
    while (sw.Elapsed.TotalSeconds < secs)
    {
        var r = await runner.HandshakeAsync(Opt(p, transcript), CancellationToken.None);
        if (r.Success) { n++; hs.Add(r.HandshakeMilliseconds); } else fails++;
    }
    hs.Sort();
    return (n, fails, sw.Elapsed.TotalSeconds, hs.Count > 0 ? hs[hs.Count / 2] : 0);
}

async Task<(int, int, double, double, string)> SequentialWithTicketWait(int p, int secs)
{
    var sw = Stopwatch.StartNew();
    int n = 0, fails = 0;
    var walls = new List<double>();
    var reasons = new Dictionary<string, int>();
    var waited = new List<double>();
    while (sw.Elapsed.TotalSeconds < secs)
    {
        var one = Stopwatch.StartNew();
        var r = await runner.HandshakeAsync(new HandshakeOptions { HostName = "127.0.0.1", Port = p, CaptureTranscript = true, Timeout = TimeSpan.FromSeconds(30) }, CancellationToken.None);
        one.Stop();
        if (r.Success) { n++; walls.Add(one.Elapsed.TotalMilliseconds); } else fails++;
        TicketInfo(r, reasons, waited);
    }
    walls.Sort();
    waited.Sort();
    var tickets = reasons.Count == 0 ? "" : "ticket wait " + string.Join(", ", reasons.Select(kv => kv.Key + " x" + kv.Value))
        + (waited.Count > 0 ? $", median {waited[waited.Count / 2]:F2} ms, max {waited[^1]:F2} ms" : "");
    return (n, fails, sw.Elapsed.TotalSeconds, walls.Count > 0 ? walls[walls.Count / 2] : 0, tickets);
}

static void TicketInfo(HandshakeResult r, Dictionary<string, int> reasons, List<double> waited)
{
    if (!r.Success) return;
    var reason = r.TicketWaitReason + " (" + r.NewSessionTickets + " tickets)";
    reasons[reason] = reasons.TryGetValue(reason, out var c) ? c + 1 : 1;
    waited.Add(r.TicketWaitMilliseconds);
}

static int FreePort()
{
    var l = new TcpListener(IPAddress.Loopback, 0);
    l.Start();
    int p = ((IPEndPoint)l.LocalEndpoint).Port;
    l.Stop();
    return p;
}

static string RuntimeName() => System.Runtime.InteropServices.RuntimeInformation.OSDescription;

static void Run(string file, params string[] a)
{
    var output = RunCapture(file, a);
    _ = output;
}

static string RunCapture(string file, params string[] a)
{
    var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
    foreach (var x in a) psi.ArgumentList.Add(x);
    using var p = Process.Start(psi)!;
    p.StandardInput.Close();
    var err = p.StandardError.ReadToEndAsync();
    var o = p.StandardOutput.ReadToEnd();
    p.WaitForExit();
    return o + err.Result;
}

static Peer Start(string file, string[] a) => new(file, a);

partial class Program
{
    static double ourRate;
}

sealed class Peer : IDisposable
{
    private readonly Process _p;
    private readonly System.Text.StringBuilder _out = new();

    public Peer(string file, string[] a)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var x in a) psi.ArgumentList.Add(x);
        _p = new Process { StartInfo = psi };
        _p.OutputDataReceived += (_, e) => { if (e.Data != null) lock (_out) _out.AppendLine(e.Data); };
        _p.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (_out) _out.AppendLine(e.Data); };
        _p.Start();
        _p.BeginOutputReadLine();
        _p.BeginErrorReadLine();
    }

    public string Output { get { lock (_out) return _out.ToString(); } }

    public void Dispose()
    {
        try { if (!_p.HasExited) { _p.Kill(true); _p.WaitForExit(5000); } } catch (InvalidOperationException) { }
        _p.Dispose();
    }
}
