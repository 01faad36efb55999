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
    /// The fuzz targets, one per input kind. A TlsToolsException with an ErrorId is an expected outcome; any other
    /// exception escapes and is a crash for the fuzzer. The xunit replay of the kept corpus (corpus/) calls the same
    /// targets, so CI runs every input the fuzzer found interesting.
    /// </summary>
    public static class FuzzTargets
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
            ["starttls"] = StartTls,
        };

        private static readonly Lazy<System.Net.Sockets.TcpListener> Listener = new Lazy<System.Net.Sockets.TcpListener>(() =>
        {
            var l = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
            l.Start();
            return l;
        });

        private static readonly Lazy<Certificate> OcspLeaf = new Lazy<Certificate>(() =>
            Issuance.CreateLeaf(new CertificateOptions { DnsNames = { "www.example.test" } }, Root.Value, null, KeyFactory.Generate(KeyAlgorithm.EcdsaP256)));

        /// <summary>The target names, as the first argument of the driver and the folder names under corpus/.</summary>
        public static IReadOnlyCollection<string> Names => Targets.Keys;

        public static bool TryGet(string name, out Action<byte[]> target) => Targets.TryGetValue(name, out target!);

        /// <summary>Feeds one input to a target; throws what the target lets escape (a finding).</summary>
        public static void Run(string name, byte[] data) => Targets[name](data);

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

        /// <summary>
        /// The STARTTLS preamble parsers: byte 0 picks the protocol (1-13 of StartTlsProtocol, modulo), the rest is everything
        /// the server says (sent at once over loopback, then the server closes). It must end with success or a preamble
        /// error (StartTlsNotOffered, StartTlsRefused, StartTlsProtocolError), never hang, and explain every message.
        /// </summary>
        private static void StartTls(byte[] data)
        {
            if (data.Length == 0) return;
            var count = Enum.GetValues(typeof(Net.StartTlsProtocol)).Length - 1;
            var protocol = (Net.StartTlsProtocol)(1 + data[0] % count);
            var target = Net.TlsTarget.Create("127.0.0.1", ((System.Net.IPEndPoint)Listener.Value.LocalEndpoint).Port, "xmpp.example.test", protocol);
            using var client = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
            client.Connect(Listener.Value.LocalEndpoint);
            using var server = Listener.Value.AcceptSocket();
            server.Send(data, 1, data.Length - 1, System.Net.Sockets.SocketFlags.None);
            server.Shutdown(System.Net.Sockets.SocketShutdown.Send);
            var transcript = new List<TranscriptMessage>();
            using var cts = new System.Threading.CancellationTokenSource(TimeSpan.FromSeconds(4));
            try
            {
                Net.StartTls.StartTlsNegotiator.NegotiateAsync(client, target, cts.Token, transcript).GetAwaiter().GetResult();
            }
            catch (TlsToolsException e) when (Net.StartTls.StartTlsNegotiator.IsPreambleError(e))
            {
            }
            catch (OperationCanceledException)
            {
                throw new InvalidOperationException("the " + protocol + " preamble did not end although the server closed (a hang)");
            }
            foreach (var m in transcript)
                if (string.IsNullOrEmpty(m.Explanation)) throw new InvalidOperationException("a preamble message without an explanation");
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
