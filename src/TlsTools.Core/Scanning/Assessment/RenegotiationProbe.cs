using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Org.BouncyCastle.Tls;
using TlsTools.Net;
using TlsTools.Net.StartTls;
using TlsTools.Scanning.Wire;
using TlsTools.Tls;

namespace TlsTools.Scanning
{
    /// <summary>
    /// Client-initiated renegotiation (CVE-2011-1473, testssl's secure_client_renego): a full TLS &lt;= 1.2 handshake by
    /// BouncyCastle (connected as <see cref="TlsClientRunner"/> connects, STARTTLS included), then a second ClientHello sent
    /// encrypted under the connection's keys, carrying renegotiation_info with the client's verify_data of the first handshake
    /// (RFC 5746 §3.5) and no SCSV. The next record the server sends, read raw (TLS &lt;= 1.2 record headers are in the clear),
    /// decides: handshake (a ServerHello) = renegotiation accepted; alert or a close = refused; nothing = not tested.
    /// BouncyCastle's client has no call to start a renegotiation, so only the sending is borrowed from it
    /// (<see cref="RenegotiatingClientProtocol"/>); the server's answer is never offered back to BouncyCastle.
    /// </summary>
    internal static class RenegotiationProbe
    {
        /// <summary>The versions the probe handshakes with, newest first (BouncyCastle's client speaks no SSL 3.0).</summary>
        private static readonly TlsVersion[] Versions = { TlsVersion.Tls12, TlsVersion.Tls11, TlsVersion.Tls10 };

        /// <summary>Records skipped (application data, heartbeats) before the probe gives up waiting for an answer.</summary>
        private const int MaxRecordsRead = 8;

        /// <summary>Runs the probe against the newest TLS 1.0 .. 1.2 version the server accepted; an older one is tried only
        /// when a version gives no verdict. Every step is bounded by <paramref name="timeout"/> (per version) and the token.</summary>
        /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
        public static async Task<ProbeVerdict> RunAsync(ServerProfileReport report, TlsTarget target, TimeSpan timeout, CancellationToken cancellationToken)
        {
            if (!report.TlsVersions.Any(v => v != TlsVersion.Tls13))
                return ProbeVerdict.Of(null, "the server accepted no SSL 3.0 .. TLS 1.2 ClientHello: this is a TLS <= 1.2 check");
            if (report.SecureRenegotiation != true)
                return ProbeVerdict.Of(null, "no renegotiation was attempted: the server "
                    + (report.SecureRenegotiation == false ? "has no secure renegotiation (RFC 5746; see NoSecureRenegotiation)" : "was not seen to support secure renegotiation (RFC 5746)")
                    + ", and the probe renegotiates only securely");
            var versions = Versions.Where(report.TlsVersions.Contains).ToList();
            if (versions.Count == 0)
                return ProbeVerdict.Of(null, "the server's only TLS <= 1.2 version is SSL 3.0, which BouncyCastle's client does not speak");

            var verdict = new ProbeVerdict();
            foreach (var v in versions)
            {
                var (vulnerable, said) = await TryAsync(report, target, v, timeout, cancellationToken).ConfigureAwait(false);
                verdict.Evidence.Add(TlsRegistry.Versions.Name(v) + ": " + said);
                if (vulnerable != null)
                {
                    verdict.Vulnerable = vulnerable;
                    break;
                }
            }
            return verdict;
        }

        private static async Task<(bool? Vulnerable, string Evidence)> TryAsync(ServerProfileReport report, TlsTarget target, TlsVersion version,
            TimeSpan timeout, CancellationToken cancellationToken)
        {
            // The suites the server accepted with this version that BouncyCastle can run (a server of old suites only too); none: the defaults.
            var crypto = new ClientCrypto(Credentials.Random);
            var accepted = report.CipherSuites.Where(s => s.TlsVersion == version).Select(s => s.Code).ToArray();
            var usable = TlsUtilities.GetSupportedCipherSuites(crypto, accepted)
                .Where(s => TlsUtilities.IsValidVersionForCipherSuite(s, TlsRegistry.Versions.ToBouncyCastle(version))).ToList();
            var options = new HandshakeOptions(target)
            {
                TlsVersions = new[] { version }, Timeout = timeout,
                CipherSuites = usable.Count > 0 ? usable.Select(TlsRegistry.CipherSuites.Name).ToList() : null,
            };
            var client = new RunnerClient(crypto, options, TlsClientRunner.Plan.From(options));
            using var timeoutCts = new CancellationTokenSource(timeout);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutCts.Token);
            Socket? socket = null;
            ProtocolPump? pump = null;
            try
            {
                var connection = await Connector.Default.ConnectAsync(target, timeout, linked.Token).ConfigureAwait(false);
                socket = connection.Socket;
                await StartTlsNegotiator.NegotiateAsync(socket, connection.Target, linked.Token).ConfigureAwait(false);
                var protocol = new RenegotiatingClientProtocol();
                pump = new ProtocolPump(protocol, socket, "server", linked.Token);
                protocol.Connect(client);
                await pump.HandshakeAsync(() => client.Completed).ConfigureAwait(false);

                var verifyData = client.Context.SecurityParameters.LocalVerifyData;
                if (verifyData == null || verifyData.Length == 0) return (null, "the handshake left no client verify_data to renegotiate with");
                var spec = VulnerabilityProbes.Spec(report, version);
                spec.RenegotiationScsv = false;
                spec.RenegotiationInfo = true;
                spec.RenegotiatedConnection = verifyData;
                if (spec.CipherSuites.Count == 0) spec.CipherSuites = new List<int> { client.CipherSuite ?? 0 };
                protocol.SendHandshake(ClientHelloCodec.BuildHandshake(spec));
                await pump.FlushAsync().ConfigureAwait(false);

                var reader = new RecordReader(socket);
                for (int i = 0; i < MaxRecordsRead; i++)
                {
                    // What is left of this version's timeout is the wait: a server that renegotiates may first compute a key share.
                    var e = await reader.NextAsync(timeout, linked.Token).ConfigureAwait(false);
                    var answer = Answer(e, reader.Type);
                    if (answer != null) return answer.Value;
                }
                return (null, "the server sent " + MaxRecordsRead + " application data records and no answer to the renegotiation ClientHello");
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                if (timeoutCts.IsCancellationRequested)
                    return (null, (client.Completed ? "no answer to the renegotiation ClientHello" : "the handshake did not complete") + " within " + timeout.TotalSeconds + " s");
                return (null, client.Completed ? "the renegotiation ClientHello could not be sent: " + e.Message
                    : "no renegotiation was attempted: the first handshake failed (" + e.Message + ")");
            }
            catch (Exception e) when (!(e is OperationCanceledException))
            {
                throw new OperationCanceledException("The renegotiation probe was cancelled.", e, cancellationToken);
            }
            finally
            {
                pump?.Dispose();
                socket?.Dispose();
            }
        }

        /// <summary>The verdict on the first record after the renegotiation ClientHello; null: keep reading (application data,
        /// heartbeat).</summary>
        internal static (bool? Vulnerable, string Evidence)? Answer(RecordEvent e, int type)
        {
            switch (e)
            {
                case RecordEvent.Quiet:
                    return (null, "no answer to the renegotiation ClientHello: inconclusive");
                case RecordEvent.Closed:
                    return (false, "the server closed the connection on a renegotiation ClientHello: client-initiated renegotiation refused");
                case RecordEvent.Malformed:
                    return (null, "the answer to the renegotiation ClientHello was not a TLS record");
            }
            switch (type)
            {
                case ContentType.handshake:
                    return (true, "the server answered a client-initiated renegotiation ClientHello (renegotiation_info with the client's verify_data) with a handshake record: it renegotiates");
                case ContentType.alert:
                    return (false, "the server answered the renegotiation ClientHello with an alert (encrypted; no_renegotiation or a fatal one): client-initiated renegotiation refused");
                default:
                    return null;
            }
        }

        /// <summary>BouncyCastle's client protocol (non-blocking, driven by <see cref="ProtocolPump"/>) with one addition: sending a
        /// handshake message under the connection's current keys, which is all a client-initiated renegotiation needs to start.</summary>
        private sealed class RenegotiatingClientProtocol : TlsClientProtocol
        {
            public void SendHandshake(byte[] message) => SafeWriteRecord(ContentType.handshake, message, 0, message.Length);
        }
    }
}
