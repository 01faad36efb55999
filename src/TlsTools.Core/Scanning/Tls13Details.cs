using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using TlsTools.Net;
using TlsTools.Tls;

namespace TlsTools.Scanning
{
    public sealed partial class ServerProfileReport
    {
        /// <summary>How long the TLS 1.3 ticket handshake waits for the server's NewSessionTicket messages (the whole wait: the
        /// tickets are counted; it overlaps the other TLS 1.3 handshakes).</summary>
        private static readonly TimeSpan TicketWait = TimeSpan.FromMilliseconds(300);

        /// <summary>
        /// What TLS 1.3 encrypts, from full TLS 1.3 handshakes run together: one per key type (signature schemes restricted to
        /// that type: RSA, ECDSA P-256/P-384/P-521, Ed25519, Ed448, RSA-PSS), with the target's SNI and without, for the key
        /// types the TLS ≤ 1.2 chains show (every type when there are none); and one unrestricted handshake that waits for the
        /// NewSessionTicket flight and sees a CertificateRequest. Chains are merged into <paramref name="entries"/> (a chain a
        /// TLS 1.3 handshake produced serves the TLS 1.3 suites); returns whether any chain was read.
        /// </summary>
        private static async Task<bool> Tls13DetailsAsync(ServerProfile profile, List<CertificateChainEntry> entries, TlsTarget target, ScanOptions options,
            ServerProfileReport r, List<string> warnings, CancellationToken ct)
        {
            var known = entries.Select(e => ServerKeyType.Of(e.KeyAlgorithm)).Where(t => t != null).Select(t => t!).Distinct().ToList();
            var types = known.Count > 0 ? known : ServerKeyType.All.ToList();
            var targets = target.ServerName == null ? new[] { target.WithServerName("") } : new[] { target, target.WithServerName("") };
            var runner = new TlsClientRunner();
            var chainTasks = targets.SelectMany(t => types.Select(type =>
            {
                var o = Handshake(t, options, TlsVersion.Tls13);
                o.SignatureAlgorithms = type.Tls13Schemes;
                return runner.HandshakeAsync(o, ct);
            })).ToList();
            var ticketOptions = Handshake(target, options, TlsVersion.Tls13);
            ticketOptions.SessionTicketWait = TicketWait;
            ticketOptions.CountAllTickets = true; // a count must not stop at a TCP segment boundary between tickets
            ticketOptions.CaptureTranscript = true;
            var ticketTask = runner.HandshakeAsync(ticketOptions, ct);
            var results = await Task.WhenAll(chainTasks).ConfigureAwait(false);
            var ticketResult = await ticketTask.ConfigureAwait(false);
            r.ProbeCount += results.Length + 1;

            var tls13Suites = profile.CipherSuites.Where(s => s.TlsVersion == TlsVersion.Tls13).Select(s => s.Name).ToList();
            bool read = false;
            for (int i = 0; i < targets.Length; i++)
            {
                var name = targets[i].ServerName;
                var mine = results.Skip(i * types.Count).Take(types.Count).ToList();
                foreach (var result in mine.Where(x => x.Success && x.Certificates.Length > 0))
                {
                    read = true;
                    var ders = result.Certificates.Select(c => c.GetRawData()).ToList();
                    var entry = entries.FirstOrDefault(e => e.Certificates.Count == ders.Count && e.Certificates.Zip(ders, (a, b) => a.SequenceEqual(b)).All(x => x));
                    if (entry == null)
                    {
                        entry = new CertificateChainEntry { TlsVersion = TlsVersion.Tls13, Certificates = ders, KeyAlgorithm = result.Certificates[0].KeyAlgorithm };
                        entries.Add(entry);
                    }
                    if (name == null) entry.WithoutSni = true;
                    else if (!entry.ServerNames.Contains(name)) entry.ServerNames.Add(name);
                    foreach (var suite in tls13Suites) entry.Serve(TlsVersion.Tls13, suite);
                }
                if (!mine.Any(x => x.Success && x.Certificates.Length > 0))
                {
                    var failed = mine.FirstOrDefault(x => !x.Success);
                    warnings.Add("TLS 1.3 certificate chain " + (name == null ? "without SNI" : "for SNI '" + name + "'") + " not read: "
                        + (failed?.Error ?? "no certificate sent") + ".");
                }
            }

            // A TLS 1.3 server staples inside the encrypted Certificate message: when no TLS <= 1.2 handshake showed whether it
            // staples, these handshakes do (every one asks for status_request).
            var finished = results.Concat(new[] { ticketResult }).Where(x => x.Success).ToList();
            if (r.OcspStapling == null && finished.Count > 0)
                r.OcspStapling = finished.Any(x => x.StapledOcspResponse?.ResponseStatus == Revocation.OcspResponseStatus.Successful);

            r.Tls13SessionTickets = TicketsOf(ticketResult, warnings);
            if (ticketResult.ClientCertificateRequested && r.ClientCertificateRequested == null)
            {
                r.ClientCertificateRequested = new ClientCertificateRequest
                {
                    TlsVersion = TlsVersion.Tls13,
                    Required = ticketResult.Success ? false : ticketResult.ErrorId == ErrorIds.ClientCertificateRequired ? true : (bool?)null,
                    CertificateAuthorities = ticketResult.RequestedCertificateAuthorities.ToList(),
                    SignatureAlgorithms = ticketResult.RequestedSignatureAlgorithms.ToList(),
                };
            }
            return read;
        }

        /// <summary>The NewSessionTicket messages of a TLS 1.3 handshake's ticket wait; null (with a warning) when it failed.</summary>
        private static Tls13SessionTicketInfo? TicketsOf(HandshakeResult result, List<string> warnings)
        {
            if (!result.Success)
            {
                warnings.Add("TLS 1.3 session tickets not determined: the TLS 1.3 handshake failed (" + result.Error + ").");
                return null;
            }
            var info = new Tls13SessionTicketInfo { Count = result.NewSessionTickets };
            foreach (var m in result.Transcript.Where(m => m.Sender == Sender.Server && m.Type == TranscriptMessageType.NewSessionTicket))
            {
                var raw = m.RawDataNoCopy;
                if (raw.Length < 4) continue;
                try
                {
                    var (lifetime, early) = ServerRequests.ParseTls13Ticket(raw.Skip(4).ToArray());
                    info.LifetimeSeconds = Math.Max(info.LifetimeSeconds ?? 0, lifetime);
                    info.EarlyData = info.EarlyData == true || early != null;
                    if (early != null) info.MaxEarlyDataSize = Math.Max(info.MaxEarlyDataSize ?? 0, early.Value);
                }
                catch (TlsToolsException e)
                {
                    warnings.Add("A TLS 1.3 NewSessionTicket could not be read: " + e.Message);
                }
            }
            if (info.Count == 0 && result.TicketWaitReason == TicketWaitReason.WaitExpired)
                warnings.Add("No TLS 1.3 session ticket arrived within " + TicketWait.TotalMilliseconds + " ms after the handshake: Tls13SessionTickets.Count is 0.");
            return info;
        }

        /// <summary>Whether the full TLS 1.2 handshake (no client certificate) failed for want of one: the request's Required.</summary>
        private static void ClientCertificateRequiredFrom(ServerProfileReport r, HandshakeResult? fullTls12)
        {
            var request = r.ClientCertificateRequested;
            if (request == null || request.TlsVersion == TlsVersion.Tls13 || fullTls12 == null || !fullTls12.ClientCertificateRequested) return;
            request.Required = fullTls12.Success ? false : fullTls12.ErrorId == ErrorIds.ClientCertificateRequired ? true : (bool?)null;
        }
    }
}
