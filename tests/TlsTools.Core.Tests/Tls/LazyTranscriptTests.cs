using System;
using System.Collections;
using System.Collections.Specialized;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using TlsTools.Pki;
using TlsTools.Tls;
using Xunit;

namespace TlsTools.Tests.Tls
{
    /// <summary>
    /// The client decodes the transcript when it is first read, not during the handshake (issue 16): what it then shows
    /// equals a whole decode of the same messages, and the result's own fields, taken from the few messages that carry
    /// them, equal what a whole decode would give.
    /// </summary>
    public class LazyTranscriptTests
    {
        public static TheoryData<string, string[]> Servers => new TheoryData<string, string[]>
        {
            { "EcdsaP256", new[] { "-tls1_2" } },
            { "EcdsaP256", new[] { "-tls1_3" } },
            { "EcdsaP256", new[] { "-tls1_3", "-groups", "P-256" } },                      // HelloRetryRequest
            { "Rsa2048", new[] { "-tls1_2", "-cipher", "DHE-RSA-AES128-GCM-SHA256" } },  // DHE, RSA signature
            { "Rsa2048", new[] { "-tls1_2", "-verify", "1" } },                         // CertificateRequest, empty client Certificate
            { "EcdsaP256", new[] { "-tls1_3", "-verify", "1" } },
        };

        private static HandshakeOptions Opt(int port, Certificate? client = null) => new HandshakeOptions
        {
            HostName = "127.0.0.1", Port = port, Timeout = TimeSpan.FromSeconds(15), ClientCertificate = client,
        };

        private static byte ContentTypeOf(TranscriptMessage m) =>
            m.Type == TranscriptMessageType.ChangeCipherSpec ? (byte)20 : m.Type == TranscriptMessageType.Alert ? (byte)21 : (byte)22;

        [Theory]
        [MemberData(nameof(Servers))]
        public async Task The_transcript_is_decoded_on_first_read_and_equals_a_whole_decode(string key, string[] args)
        {
            using var server = new OpenSslServer(Enum.Parse<KeyAlgorithm>(key), args);
            var r = await new TlsClientRunner().HandshakeAsync(Opt(server.Port), CancellationToken.None);
            Assert.True(r.Success, r.Error);
            Assert.True(r.TranscriptPending, "decoded before anyone read it");

            // Several threads read it at once: one decode, one array.
            var reads = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => r.Transcript)));
            Assert.False(r.TranscriptPending);
            Assert.All(reads, t => Assert.Same(reads[0], t));
            var lazy = reads[0];
            Assert.NotEmpty(lazy);

            // The same messages decoded eagerly, in order, with one context (as the client decoded them before issue 16).
            var recorder = new TranscriptRecorder(Sender.Client);
            foreach (var m in lazy) recorder.Items.Add((m.Sender, ContentTypeOf(m), m.RawData, m.OffsetMilliseconds));
            var eager = recorder.Decode(out var whole);
            Assert.Equal(eager.Length, lazy.Length);
            for (int i = 0; i < eager.Length; i++)
            {
                Assert.Equal(eager[i].Sender, lazy[i].Sender);
                Assert.Equal(eager[i].Type, lazy[i].Type);
                Assert.Equal(eager[i].Length, lazy[i].Length);
                Assert.Equal(eager[i].OffsetMilliseconds, lazy[i].OffsetMilliseconds);
                Assert.Equal(eager[i].Explanation, lazy[i].Explanation);
                Assert.Equal(eager[i].DecodeError, lazy[i].DecodeError);
                Assert.Equal(eager[i].RawData, lazy[i].RawData);
                Assert.Equal(Flatten(eager[i].Fields), Flatten(lazy[i].Fields));
            }

            // The result's own fields: the few messages that carry them give what the whole decode gives.
            var facts = recorder.Facts();
            Assert.Equal(whole.Version, facts.Version);
            Assert.Equal(whole.CipherSuite, facts.CipherSuite);
            Assert.Equal(whole.Group, facts.Group);
            Assert.Equal(whole.ServerSignatureScheme, facts.ServerSignatureScheme);
            Assert.Equal(whole.Alpn, facts.Alpn);
            Assert.Equal(whole.CertificateRequested, facts.CertificateRequested);
            Assert.Equal(whole.ClientCertificateSent, facts.ClientCertificateSent);
            Assert.Equal(r.SignatureAlgorithm, whole.ServerSignatureScheme);
            Assert.NotNull(r.SignatureAlgorithm);
            Assert.Equal(args.Contains("-verify"), r.ClientCertificateRequested);
            Assert.Equal(whole.CertificateRequested, r.ClientCertificateRequested);
            Assert.Equal(whole.ClientCertificateSent, r.ClientCertificateSent);
            Assert.Equal(whole.Group ?? r.NamedGroup, r.NamedGroup);
        }

        [Fact]
        public async Task A_client_certificate_sent_is_in_the_results_fields_without_reading_the_transcript()
        {
            var client = TestPki.Leaf(KeyAlgorithm.EcdsaP256, "client", CertificateProfile.Client);
            using var server = new OpenSslServer(KeyAlgorithm.EcdsaP256, "-tls1_3", "-Verify", "2", "-verifyCAfile", TestPki.CaPath, "-verify_return_error");
            var r = await new TlsClientRunner().HandshakeAsync(Opt(server.Port, client.Cert), CancellationToken.None);
            Assert.True(r.Success, r.Error);
            Assert.True(r.TranscriptPending);
            Assert.True(r.ClientCertificateRequested);
            Assert.True(r.ClientCertificateSent);
            Assert.Equal("ecdsa_secp256r1_sha256", r.SignatureAlgorithm);
            Assert.Contains(r.Transcript, m => m.Sender == Sender.Client && m.Type == TranscriptMessageType.Certificate);
        }

        [Fact]
        public async Task Without_a_transcript_the_result_has_none()
        {
            using var server = new OpenSslServer(KeyAlgorithm.EcdsaP256, "-tls1_3");
            var o = Opt(server.Port);
            o.CaptureTranscript = false;
            var r = await new TlsClientRunner().HandshakeAsync(o, CancellationToken.None);
            Assert.True(r.Success, r.Error);
            Assert.Empty(r.Transcript);
            Assert.Equal(TlsVersion.Tls13, r.TlsVersion);
        }

        private static string Flatten(IDictionary fields)
        {
            var sb = new System.Text.StringBuilder();
            foreach (DictionaryEntry e in fields)
            {
                sb.Append(e.Key).Append('=');
                switch (e.Value)
                {
                    case IDictionary d: sb.Append('{').Append(Flatten(d)).Append('}'); break;
                    case string s: sb.Append(s); break;
                    case IEnumerable list: sb.Append('[').Append(string.Join(",", list.Cast<object?>().Select(x => x is IDictionary dd ? Flatten(dd) : Convert.ToString(x, System.Globalization.CultureInfo.InvariantCulture)))).Append(']'); break;
                    default: sb.Append(Convert.ToString(e.Value, System.Globalization.CultureInfo.InvariantCulture)); break;
                }
                sb.Append(';');
            }
            return sb.ToString();
        }
    }
}
