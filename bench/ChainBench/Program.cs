using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using TlsTools.Formats;
using TlsTools.Pki;
using TlsTools.Validation;

// Usage: dotnet run -c Release --project bench/ChainBench [-- --count N] [--key ecdsa|rsa] [--keep]
// Makes a root, an intermediate and N leaves (PEM files in a temp directory), validates every leaf with
// ChainValidator in this process, then runs ONE `openssl verify -CAfile root.pem -untrusted inter.pem leaf*.pem`
// over the same files and prints chains per second for both.
int count = 1000;
string keyKind = "ecdsa";
bool keep = false;
for (int i = 0; i < args.Length; i++)
{
    if (args[i] == "--count") count = int.Parse(args[++i]);
    else if (args[i] == "--key") keyKind = args[++i];
    else if (args[i] == "--keep") keep = true;
}
var algorithm = keyKind == "rsa" ? KeyAlgorithm.Rsa2048 : KeyAlgorithm.EcdsaP256;

string dir = Path.Combine(Path.GetTempPath(), "chainbench-" + Guid.NewGuid().ToString("N").Substring(0, 8));
Directory.CreateDirectory(dir);
try
{
    Console.WriteLine($"Making a {algorithm} root, intermediate and {count} leaves in {dir} ...");
    var rootKey = KeyFactory.Generate(algorithm);
    var root = Issuance.CreateCa(new CertificateOptions { Subject = "CN=Bench Root" }, rootKey, null);
    var interKey = KeyFactory.Generate(algorithm);
    var inter = Issuance.CreateCa(new CertificateOptions { Subject = "CN=Bench Issuing CA" }, interKey, root);
    var leafKey = KeyFactory.Generate(algorithm); // one key for all leaves: generation speed only; every leaf is signed separately
    File.WriteAllText(Path.Combine(dir, "root.pem"), root.ToPem());
    File.WriteAllText(Path.Combine(dir, "inter.pem"), inter.ToPem());
    var files = new List<string>();
    for (int i = 0; i < count; i++)
    {
        var leaf = Issuance.CreateLeaf(new CertificateOptions { DnsNames = { $"host{i}.example.com" } }, inter, null, leafKey);
        string path = Path.Combine(dir, $"leaf{i:D4}.pem");
        File.WriteAllText(path, leaf.WithoutPrivateKey().ToPem());
        files.Add(path);
    }

    var trusted = PkiReader.ReadCertificates(File.ReadAllBytes(Path.Combine(dir, "root.pem"))).ToList();
    var intermediates = PkiReader.ReadCertificates(File.ReadAllBytes(Path.Combine(dir, "inter.pem"))).ToList();

    bool ValidateFile(string path, int index)
    {
        var leaf = PkiReader.ReadCertificates(File.ReadAllBytes(path))[0];
        var result = ChainValidator.Validate(new ChainValidationRequest(leaf)
        {
            Intermediates = intermediates,
            TrustedRoots = trusted,
            DnsName = $"host{index}.example.com",
        });
        if (!result.IsValid) Console.WriteLine(path + ": " + string.Join(" | ", result.Failures.Select(f => f.Message)));
        return result.IsValid;
    }

    // Warm-up: JIT and BouncyCastle's lazy tables (each leaf file is read again below, so no leaf is cached).
    for (int i = 0; i < Math.Min(100, count); i++) ValidateFile(files[i], i);

    var rsw = Stopwatch.StartNew();
    foreach (var f in files) PkiReader.ReadCertificates(File.ReadAllBytes(f));
    rsw.Stop();
    Console.WriteLine($"(reading and parsing the {count} PEM files alone: {rsw.Elapsed.TotalMilliseconds:F0} ms)");

    if (args.Contains("--profile"))
    {
        var leaves = files.Select(f => PkiReader.ReadCertificates(File.ReadAllBytes(f))[0]).ToList();
        var t0 = Stopwatch.StartNew();
        foreach (var l in leaves) TlsTools.Validation.ChainValidator.Validate(new ChainValidationRequest(l) { Intermediates = intermediates, TrustedRoots = trusted, DnsName = "x.example.com" });
        Console.WriteLine($"(validate fresh leaves: {t0.Elapsed.TotalMilliseconds:F0} ms)");
        t0.Restart();
        foreach (var l in leaves) TlsTools.Validation.ChainValidator.Validate(new ChainValidationRequest(l) { Intermediates = intermediates, TrustedRoots = trusted, DnsName = "x.example.com" });
        Console.WriteLine($"(validate same leaves again, all cached: {t0.Elapsed.TotalMilliseconds:F0} ms)");
        var bc = leaves.Select(l => new Org.BouncyCastle.X509.X509Certificate(l.GetRawData())).ToList();
        var key = new Org.BouncyCastle.X509.X509Certificate(inter.GetRawData()).GetPublicKey();
        t0.Restart();
        foreach (var b in bc) b.IsSignatureValid(key);
        Console.WriteLine($"(BouncyCastle signature checks alone: {t0.Elapsed.TotalMilliseconds:F0} ms)");
    }

    var sw = Stopwatch.StartNew();
    int valid = 0;
    for (int i = 0; i < count; i++) if (ValidateFile(files[i], i)) valid++;
    sw.Stop();
    double ours = count / sw.Elapsed.TotalSeconds;
    Console.WriteLine($"TlsTools ChainValidator: {valid}/{count} valid in {sw.Elapsed.TotalMilliseconds:F0} ms = {ours:F0} chains/s (read PEM + build + validate + host name, one thread)");

    var psi = new ProcessStartInfo("openssl")
    {
        RedirectStandardOutput = true,
        RedirectStandardError = true,
        UseShellExecute = false,
        WorkingDirectory = dir,
    };
    foreach (var a in new[] { "verify", "-CAfile", "root.pem", "-untrusted", "inter.pem" }) psi.ArgumentList.Add(a);
    foreach (var f in files) psi.ArgumentList.Add(Path.GetFileName(f));
    var osw = Stopwatch.StartNew();
    using (var p = Process.Start(psi)!)
    {
        string stdout = p.StandardOutput.ReadToEnd();
        string stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        osw.Stop();
        int ok = stdout.Split('\n').Count(l => l.EndsWith(": OK", StringComparison.Ordinal));
        double theirs = count / osw.Elapsed.TotalSeconds;
        Console.WriteLine($"openssl verify (one process): {ok}/{count} OK in {osw.Elapsed.TotalMilliseconds:F0} ms = {theirs:F0} chains/s (process start included; no host name check)");
        if (stderr.Length > 0) Console.WriteLine(stderr.Substring(0, Math.Min(400, stderr.Length)));
        Console.WriteLine($"ratio TlsTools/openssl: {ours / theirs:F2}");
    }
}
finally
{
    if (!keep) Directory.Delete(dir, true);
}
