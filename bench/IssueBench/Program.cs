using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Security.Cryptography;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Pkcs;
using Org.BouncyCastle.Security;
using TlsTools.Formats;
using TlsTools.Pki;

// Usage: dotnet run -c Release --project bench/IssueBench [-- --count N] [--key Rsa2048|EcdsaP256|...]
// Where issuing a certificate from a CSR spends its time, step by step, in this process (no PowerShell):
//   parse      PEM decode + ASN.1 parse of the request (BouncyCastle)
//   keycheck   BouncyCastle building the public key (for RSA its modulus validation: Miller-Rabin in managed code)
//   csrverify  BouncyCastle's check of the request's signature with that key
//   read       all three together, as TlsTools does them (PkiReader.ReadCertificateRequests: the same modulus
//              checks with the Miller-Rabin rounds on the platform, the signature confirmed by the platform)
//   issue      Issuance.CreateLeaf (certificate building + the CA's signature, as the module signs)
//   pem        the new certificate's PEM
// and, for the CA's private-key operation alone over 1 KB: BouncyCastle's managed signer vs the platform's (.NET);
// and, for RSA, the platform Miller-Rabin round of the key check split (issue 16): RSA.Create + ImportParameters with
// exponent d = (n-1)/2^s, the first public operation, a second one on the same key, and the import again into one
// reused RSA object.
int count = 100;
var algorithms = new List<KeyAlgorithm>();
for (int i = 0; i < args.Length; i++)
{
    if (args[i] == "--count") count = int.Parse(args[++i]);
    else if (args[i] == "--key") algorithms.Add(Enum.Parse<KeyAlgorithm>(args[++i], ignoreCase: true));
}
if (algorithms.Count == 0) algorithms.AddRange(new[] { KeyAlgorithm.EcdsaP256, KeyAlgorithm.Rsa2048 });

foreach (var algorithm in algorithms)
{
    var caKey = KeyFactory.Generate(algorithm);
    var ca = Issuance.CreateCa(new CertificateOptions { Subject = "CN=Bench CA" }, caKey, null);
    var requestKey = KeyFactory.Generate(algorithm);
    // Distinct keys matter for RSA (each modulus is validated); one key per 10 requests keeps setup short.
    var keys = Enumerable.Range(0, Math.Min(count, 10)).Select(_ => KeyFactory.Generate(algorithm)).ToArray();
    var pems = Enumerable.Range(0, count).Select(i =>
        System.Text.Encoding.ASCII.GetBytes(Issuance.CreateRequest(new RequestOptions { DnsNames = { $"host{i}.bench.test" } }, keys[i % keys.Length]).ToPem())).ToArray();

    double parse = 0, keycheck = 0, verify = 0, read = 0, issue = 0, pem = 0;
    for (int round = 0; round < 2; round++) // the first round warms the JIT; the second is reported
    {
        parse = keycheck = verify = read = issue = pem = 0;
        var sw = new Stopwatch();
        foreach (var bytes in pems)
        {
            sw.Restart();
            var der = new Org.BouncyCastle.Utilities.IO.Pem.PemReader(new System.IO.StringReader(System.Text.Encoding.ASCII.GetString(bytes))).ReadPemObject().Content;
            var bc = new Pkcs10CertificationRequest(Asn1Sequence.GetInstance(Asn1Object.FromByteArray(der)));
            parse += sw.Elapsed.TotalMilliseconds;
            sw.Restart();
            var pub = bc.GetPublicKey();
            keycheck += sw.Elapsed.TotalMilliseconds;
            sw.Restart();
            if (!bc.Verify(pub)) throw new InvalidOperationException("request does not verify");
            verify += sw.Elapsed.TotalMilliseconds;

            sw.Restart();
            var request = PkiReader.ReadCertificateRequests(bytes)[0];
            read += sw.Elapsed.TotalMilliseconds;
            sw.Restart();
            var cert = Issuance.CreateLeaf(new CertificateOptions { ValidityDays = 90 }, ca, request, null);
            issue += sw.Elapsed.TotalMilliseconds;
            sw.Restart();
            _ = cert.ToPem();
            pem += sw.Elapsed.TotalMilliseconds;
        }
    }
    Console.WriteLine($"{algorithm,-10} per request (ms, mean of {count}): parse {parse / count:N3}  keycheck {keycheck / count:N3}  csrverify {verify / count:N3}  " +
                      $"| read(all three) {read / count:N3}  issue {issue / count:N3}  pem {pem / count:N3}");
    ParallelRead(algorithm, pems);
    SignOnly(algorithm, count);
    if (algorithm.ToString().StartsWith("Rsa")) KeyCheckSplit(int.Parse(algorithm.ToString().Substring(3)), count);
}

// The same requests read one by one vs as one PEM bundle (parsed and validated in parallel, issue 16), alternating, 3 rounds;
// with the process's CPU time, which shows whether the other processors were there to use (the machine is shared).
static void ParallelRead(KeyAlgorithm algorithm, byte[][] pems)
{
    var bundle = pems.SelectMany(b => b).ToArray();
    var process = Process.GetCurrentProcess();
    for (int round = 0; round < 3; round++)
    {
        process.Refresh();
        var cpu = process.TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        foreach (var bytes in pems) PkiReader.ReadCertificateRequests(bytes);
        double one = sw.Elapsed.TotalMilliseconds;
        process.Refresh();
        double oneCpu = (process.TotalProcessorTime - cpu).TotalMilliseconds;
        cpu = process.TotalProcessorTime;
        sw.Restart();
        if (PkiReader.ReadCertificateRequests(bundle).Count != pems.Length) throw new InvalidOperationException("bundle");
        double all = sw.Elapsed.TotalMilliseconds;
        process.Refresh();
        double allCpu = (process.TotalProcessorTime - cpu).TotalMilliseconds;
        Console.WriteLine($"{algorithm,-10} read {pems.Length}: one by one {pems.Length * 1000 / one:N0}/s (cpu/wall {oneCpu / one:N2})  " +
                          $"bundle in parallel on {Environment.ProcessorCount} processors {pems.Length * 1000 / all:N0}/s (cpu/wall {allCpu / all:N2})  speedup {one / all:N2}x");
    }
}

// Where the platform's Miller-Rabin round spends its time, per modulus (each key a few times: the import is per key).
static void KeyCheckSplit(int bits, int count)
{
    var moduli = Enumerable.Range(0, Math.Min(count, 10)).Select(_ =>
    {
        using var key = RSA.Create(bits);
        return new Org.BouncyCastle.Math.BigInteger(1, key.ExportParameters(false).Modulus);
    }).ToArray();
    var message = new byte[1];
    double create = 0, import = 0, first = 0, second = 0, reuse = 0;
    using var shared = RSA.Create();
    for (int round = 0; round < 2; round++) // the first round warms the JIT; the second is reported
    {
        create = import = first = second = reuse = 0;
        var sw = new Stopwatch();
        for (int i = 0; i < count; i++)
        {
            var n = moduli[i % moduli.Length];
            var nMinusOne = n.Subtract(Org.BouncyCastle.Math.BigInteger.One);
            var parameters = new RSAParameters { Modulus = n.ToByteArrayUnsigned(), Exponent = nMinusOne.ShiftRight(nMinusOne.GetLowestSetBit()).ToByteArrayUnsigned() };
            sw.Restart();
            using var rsa = RSA.Create();
            create += sw.Elapsed.TotalMilliseconds;
            sw.Restart();
            rsa.ImportParameters(parameters);
            import += sw.Elapsed.TotalMilliseconds;
            sw.Restart();
            rsa.Encrypt(message, RSAEncryptionPadding.Pkcs1);
            first += sw.Elapsed.TotalMilliseconds;
            sw.Restart();
            rsa.Encrypt(message, RSAEncryptionPadding.Pkcs1);
            second += sw.Elapsed.TotalMilliseconds;
            sw.Restart();
            shared.ImportParameters(parameters);
            reuse += sw.Elapsed.TotalMilliseconds;
        }
    }
    Console.WriteLine($"{"",-10} key check split (ms, mean of {count}): RSA.Create {create / count:N3}  ImportParameters(n, d) {import / count:N3}  " +
                      $"first public op {first / count:N3}  second {second / count:N3}  | import into a reused RSA {reuse / count:N3}");
}

// The CA's private-key operation alone: BouncyCastle's managed signer vs the platform's, over the same 1 KB.
static void SignOnly(KeyAlgorithm algorithm, int count)
{
    var random = new SecureRandom();
    var data = new byte[1024];
    random.NextBytes(data);
    AsymmetricCipherKeyPair pair;
    string bcName;
    Func<byte[], byte[]> platform;
    if (algorithm.ToString().StartsWith("Rsa"))
    {
        int bits = int.Parse(algorithm.ToString().Substring(3));
        var g = new RsaKeyPairGenerator();
        g.Init(new RsaKeyGenerationParameters(Org.BouncyCastle.Math.BigInteger.ValueOf(65537), random, bits, 100));
        pair = g.GenerateKeyPair();
        bcName = "SHA256WITHRSA";
        var rsa = RSA.Create();
        rsa.ImportParameters(DotNetUtilities.ToRSAParameters((RsaPrivateCrtKeyParameters)pair.Private));
        platform = d => rsa.SignData(d, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
    }
    else if (algorithm == KeyAlgorithm.EcdsaP256)
    {
        var g = new ECKeyPairGenerator("EC");
        g.Init(new ECKeyGenerationParameters(Org.BouncyCastle.Asn1.Sec.SecObjectIdentifiers.SecP256r1, random));
        pair = g.GenerateKeyPair();
        bcName = "SHA256WITHECDSA";
        var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        platform = d => ecdsa.SignData(d, HashAlgorithmName.SHA256);
    }
    else
    {
        Console.WriteLine($"{algorithm,-10} sign only: no platform signer to compare");
        return;
    }
    var factory = new Asn1SignatureFactory(bcName, pair.Private, random);
    double bcMs = 0, platformMs = 0;
    for (int round = 0; round < 2; round++)
    {
        var sw = Stopwatch.StartNew();
        for (int i = 0; i < count; i++)
        {
            var calc = factory.CreateCalculator();
            calc.Stream.Write(data, 0, data.Length);
            calc.GetResult().Collect();
        }
        bcMs = sw.Elapsed.TotalMilliseconds;
        sw.Restart();
        for (int i = 0; i < count; i++) platform(data);
        platformMs = sw.Elapsed.TotalMilliseconds;
    }
    Console.WriteLine($"{algorithm,-10} sign only (ms per signature): BouncyCastle {bcMs / count:N3}  platform {platformMs / count:N3}");
}
