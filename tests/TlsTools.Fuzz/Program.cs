using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using SharpFuzz;
using TlsTools;
using TlsTools.Formats;
using TlsTools.Pki;
using TlsTools.Tls;
using TlsTools.Validation;

namespace TlsTools.Fuzz
{
    /// <summary>
    /// Fuzz target: one entry point per run, chosen by the first argument. A TlsToolsException is an expected outcome;
    /// any other exception escapes and is a crash for the fuzzer. See README.md.
    /// </summary>
    public static class Program
    {
        private static readonly char[] Password = "fuzz".ToCharArray();
        private static readonly Lazy<Certificate> Root = new Lazy<Certificate>(() =>
            Issuance.CreateCa(new CertificateOptions { Subject = "CN=Fuzz Root" }, KeyFactory.Generate(KeyAlgorithm.EcdsaP256), null));

        private static readonly Dictionary<string, Action<byte[]>> Targets = new Dictionary<string, Action<byte[]>>(StringComparer.OrdinalIgnoreCase)
        {
            ["certificate"] = data => Expected(() => Touch(PkiReader.ReadCertificates(data, Password))),
            ["key"] = data => Expected(() => PkiReader.ReadPrivateKey(data, Password).ToString()),
            ["request"] = data => Expected(() => PkiReader.ReadCertificateRequests(data).Select(r => r.Subject + r.SignatureValid).ToList()),
            ["crl"] = data => Expected(() => PkiReader.ReadCrls(data).Select(c => c.Issuer + c.CrlNumber + c.Count + c.NextUpdate).ToList()),
            ["transcript"] = Transcript,
            ["chain"] = Chain,
            ["ocsp"] = Ocsp,
        };

        private static readonly Lazy<Certificate> OcspLeaf = new Lazy<Certificate>(() =>
            Issuance.CreateLeaf(new CertificateOptions { DnsNames = { "www.example.test" } }, Root.Value, null, KeyFactory.Generate(KeyAlgorithm.EcdsaP256)));

        public static int Main(string[] args)
        {
            if (args.Length == 0 || !Targets.TryGetValue(args[0], out var target))
            {
                Console.Error.WriteLine("usage: TlsTools.Fuzz <" + string.Join("|", Targets.Keys) + "> [--libfuzzer | --run <file-or-directory>...]");
                return 2;
            }
            if (args.Length > 1 && args[1] == "--libfuzzer")
            {
                Fuzzer.LibFuzzer.Run(span => target(span.ToArray()));
                return 0;
            }
            if (args.Length > 1 && args[1] == "--run")
            {
                // Replay inputs without a fuzzer (reproduce a crash, or smoke-test the build).
                var files = args.Skip(2).SelectMany(p => Directory.Exists(p) ? Directory.GetFiles(p) : new[] { p }).ToList();
                foreach (var f in files) target(File.ReadAllBytes(f));
                Console.WriteLine(files.Count + " input(s) ran without a crash.");
                return 0;
            }
            // AFL++: the forkserver protocol runs inside this process.
            Fuzzer.OutOfProcess.Run(stream =>
            {
                using var ms = new MemoryStream();
                stream.CopyTo(ms);
                target(ms.ToArray());
            });
            return 0;
        }

        private static void Expected(Func<object> call)
        {
            try
            {
                call();
            }
            catch (TlsToolsException e) when (!string.IsNullOrEmpty(e.ErrorId))
            {
            }
        }

        private static object Touch(IReadOnlyList<Certificate> certs) =>
            certs.Select(c => c.Subject + c.KeyAlgorithm + c.KeySize + string.Join(",", c.DnsNames) + string.Join(",", c.ExtendedKeyUsage)
                              + c.AuthorityKeyIdentifier + c.SubjectKeyIdentifier + c.PathLength + c.NotAfter).ToList();

        /// <summary>First byte: bit 0 = sender (0 server, 1 client), bits 1-2 = version (none, TLS 1.2, TLS 1.3); the rest is one handshake message.</summary>
        private static void Transcript(byte[] data)
        {
            if (data.Length == 0) return;
            var sender = (data[0] & 1) == 0 ? Sender.Server : Sender.Client;
            TlsVersion? version = ((data[0] >> 1) & 3) switch { 1 => TlsVersion.Tls12, 2 => TlsVersion.Tls13, _ => null };
            var m = TranscriptDecoder.Decode(sender, data.AsSpan(1).ToArray(), version);
            if (string.IsNullOrEmpty(m.Explanation)) throw new InvalidOperationException("a message without an explanation");
        }

        /// <summary>An OCSP response (DER) through the parser and the validator (for a fixed leaf and issuer); it must never pass unsigned.</summary>
        private static void Ocsp(byte[] data)
        {
            Revocation.OcspResponse response;
            try { response = Revocation.OcspResponseParser.Parse(data); }
            catch (TlsToolsException e) when (!string.IsNullOrEmpty(e.ErrorId)) { return; }
            var info = Revocation.OcspResponseValidator.Validate(response, OcspLeaf.Value, Root.Value, Revocation.RevocationMethod.Ocsp);
            if (info.Status == Revocation.RevocationStatus.Unavailable && string.IsNullOrEmpty(info.Message))
                throw new InvalidOperationException("Unavailable without a reason");
            if (info.Status != Revocation.RevocationStatus.Unavailable)
                throw new InvalidOperationException("a fuzzed response was believed (only the fixed issuer's key could sign one)");
            _ = response.ToString() + string.Join(",", response.Certificates.Select(c => c.Subject)) + response.Nonce?.Length;
        }

        /// <summary>The input's certificates (PEM, DER, PKCS#7) as leaf and intermediates under a fixed root.</summary>
        private static void Chain(byte[] data)
        {
            IReadOnlyList<Certificate> certs;
            try { certs = PkiReader.ReadCertificates(data); }
            catch (TlsToolsException) { return; }
            var r = ChainValidator.Validate(new ChainValidationRequest(certs[0])
            {
                Intermediates = certs.Skip(1).ToList(),
                TrustedRoots = new List<Certificate> { Root.Value },
                DnsName = "www.example.test",
            });
            if (!r.IsValid && r.Failures.Length == 0) throw new InvalidOperationException("invalid without a reason");
        }
    }
}
