using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using TlsTools.Scanning;
using TlsTools.Scanning.Wire;
using TlsTools.Tls;
using Xunit;

namespace TlsTools.Tests.Scanning
{
    /// <summary>The findings: the pure judgement of a report (FindingsAssessor.Assess), the probe encodings, and every scripted
    /// finding scenario scanned for real on loopback.</summary>
    public class FindingsTests
    {
        private static CipherSuiteEntry Suite(TlsVersion v, string name)
        {
            var s = TlsRegistry.CipherSuites.Get(TlsRegistry.CipherSuites.Parse(name));
            return new CipherSuiteEntry { TlsVersion = v, Name = s.Name, Code = s.Code, KeyExchange = s.KeyExchange, Authentication = s.Authentication,
                Encryption = s.Encryption, Mac = s.Mac, KeySize = s.KeySize };
        }

        private static ProbeEvidence Clean()
        {
            var e = new ProbeEvidence
            {
                Ssl2 = ProbeVerdict.Of(false, "refused"), Compression = ProbeVerdict.Of(false, "null"),
                Heartbleed = ProbeVerdict.Of(false, "no heartbeat"), CcsInjection = ProbeVerdict.Of(false, "unexpected_message"),
                ClientRenegotiation = ProbeVerdict.Of(false, "TLS 1.2: alert"),
            };
            return e;
        }

        private static ServerProfileReport Legacy() => new ServerProfileReport
        {
            TlsVersions = new List<TlsVersion> { TlsVersion.Ssl30, TlsVersion.Tls12 },
            CipherSuites = new List<CipherSuiteEntry>
            {
                Suite(TlsVersion.Tls12, "TLS_RSA_WITH_RC4_128_SHA"), Suite(TlsVersion.Tls12, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"),
                Suite(TlsVersion.Ssl30, "TLS_RSA_WITH_3DES_EDE_CBC_SHA"),
            },
            CipherPreference = new List<CipherPreferenceEntry> { new CipherPreferenceEntry { TlsVersion = TlsVersion.Tls12, ServerOrder = true } },
            SecureRenegotiation = true, FallbackScsv = false, OcspStapling = true,
        };

        [Fact]
        public void A_legacy_report_yields_its_findings_most_severe_first_and_every_other_check_passes()
        {
            var r = Legacy();
            FindingsAssessor.Assess(r, Clean(), DateTime.UtcNow);
            var ids = r.Findings.Select(f => f.Id).ToList();
            Assert.Contains(FindingIds.SSLv3, ids);
            Assert.Contains(FindingIds.RC4, ids);
            Assert.Contains(FindingIds.Sweet32, ids);
            Assert.Contains(FindingIds.Beast, ids);
            Assert.Contains(FindingIds.NoFallbackScsv, ids);
            Assert.Equal(new[] { "TLS 1.2 TLS_RSA_WITH_RC4_128_SHA" }, r.Findings.Single(f => f.Id == FindingIds.RC4).Evidence);
            Assert.Equal("CVE-2014-3566", r.Findings.Single(f => f.Id == FindingIds.SSLv3).Cve);
            // Server order with RSA first: forward secrecy offered but not preferred, and the evidence says so.
            Assert.Contains("not preferred", r.Findings.Single(f => f.Id == FindingIds.NoForwardSecrecy).Evidence[0]);
            // Tested findings by severity, then the untested ones.
            var tested = r.Findings.TakeWhile(f => f.Tested).ToList();
            Assert.Equal(tested.OrderByDescending(f => f.Severity).Select(f => f.Id), tested.Select(f => f.Id));
            Assert.All(r.Findings.SkipWhile(f => f.Tested), f => Assert.False(f.Tested));
            // No certificate chain on this report: the certificate checks are not tested, never passed.
            Assert.False(r.Findings.Single(f => f.Id == FindingIds.CertificateExpired).Tested);
            Assert.DoesNotContain(FindingIds.CertificateExpired, r.PassedChecks);
            foreach (var id in new[] { FindingIds.SSLv2, FindingIds.TLS10, FindingIds.Heartbleed, FindingIds.Crime, FindingIds.NoSecureRenegotiation, FindingIds.NoOcspStapling })
                Assert.Contains(id, r.PassedChecks);
            Assert.Empty(r.PassedChecks.Intersect(ids));
        }

        [Fact]
        public void A_TLS13_only_report_passes_what_TLS13_rules_out_and_says_why_it_cannot_test_the_rest()
        {
            var r = new ServerProfileReport
            {
                TlsVersions = new List<TlsVersion> { TlsVersion.Tls13 },
                CipherSuites = new List<CipherSuiteEntry> { Suite(TlsVersion.Tls13, "TLS_AES_128_GCM_SHA256") },
            };
            var e = Clean();
            e.Heartbleed = ProbeVerdict.Of(null, "the server accepted no SSL 3.0 .. TLS 1.2 ClientHello");
            FindingsAssessor.Assess(r, e, DateTime.UtcNow);
            foreach (var id in new[] { FindingIds.Heartbleed, FindingIds.NoOcspStapling })
            {
                var f = r.Findings.Single(x => x.Id == id);
                Assert.False(f.Tested, id);
                Assert.StartsWith("not tested", f.Evidence.Single());
                Assert.DoesNotContain(id, r.PassedChecks);
            }
            // TLS 1.3 has no renegotiation, and a single version leaves nothing to fall back to: facts of what was observed.
            Assert.Contains(FindingIds.NoSecureRenegotiation, r.PassedChecks);
            Assert.Contains(FindingIds.NoFallbackScsv, r.PassedChecks);
            Assert.Contains(FindingIds.NoForwardSecrecy, r.PassedChecks);
            // TLS 1.3 has no renegotiation at all: passed by the protocol, whatever the (TLS <= 1.2) probe said.
            Assert.Contains(FindingIds.ClientRenegotiation, r.PassedChecks);
            Assert.DoesNotContain(r.Findings, f => f.Id == FindingIds.ClientRenegotiation);
        }

        [Fact]
        public void A_TLS13_only_server_refusing_DEFLATE_with_an_alert_passes_the_compression_check()
        {
            var verdict = VulnerabilityProbes.Tls13CompressionVerdict(new ProbeResult(ProbeOutcome.Alert, null, null));
            Assert.False(verdict.Vulnerable);
            var silent = VulnerabilityProbes.Tls13CompressionVerdict(new ProbeResult(ProbeOutcome.Timeout, null, "timed out"));
            Assert.Null(silent.Vulnerable);
        }

        [Fact]
        public void Weak_DH_primes_set_DhParameterBits_and_the_severity_by_size()
        {
            var r = Legacy();
            r.CipherSuites.Add(Suite(TlsVersion.Tls12, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA"));
            var e = Clean();
            e.DhPrimes.Add(("TLS 1.2 TLS_DHE_RSA_WITH_AES_128_CBC_SHA", 1024));
            FindingsAssessor.Assess(r, e, DateTime.UtcNow);
            Assert.Equal(1024, r.DhParameterBits);
            var f = r.Findings.Single(x => x.Id == FindingIds.WeakDhGroup);
            Assert.Equal(FindingSeverity.Medium, f.Severity);
            Assert.Contains("1024-bit", f.Evidence[0]);

            // DHE accepted but no prime read: not tested, not passed.
            var r2 = Legacy();
            r2.CipherSuites.Add(Suite(TlsVersion.Tls12, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA"));
            FindingsAssessor.Assess(r2, Clean(), DateTime.UtcNow);
            Assert.False(r2.Findings.Single(x => x.Id == FindingIds.WeakDhGroup).Tested);
            Assert.Null(r2.DhParameterBits);
        }

        [Fact]
        public void The_heartbeat_request_has_no_padding_and_asks_for_exactly_its_payload()
        {
            var m = VulnerabilityProbes.UnpaddedHeartbeatRequest();
            Assert.Equal(1, m[0]);
            int declared = (m[1] << 8) | m[2];
            Assert.Equal(m.Length - 3, declared); // payload_length == bytes sent: nothing beyond them can be echoed
            Assert.Equal(VulnerabilityProbes.HeartbeatMarker, m.Skip(3).ToArray());
        }

        [Fact]
        public void The_SSL2_client_hello_is_well_formed()
        {
            var b = Ssl2Hello.Build();
            int len = ((b[0] & 0x7F) << 8) | b[1];
            Assert.True((b[0] & 0x80) != 0);
            Assert.Equal(b.Length - 2, len);
            Assert.Equal(1, b[2]);
            Assert.Equal(2, (b[3] << 8) | b[4]);
            Assert.Equal(Ssl2Hello.CipherKinds.Length * 3, (b[5] << 8) | b[6]);
            Assert.Equal(16, (b[9] << 8) | b[10]);
        }

        [Fact]
        public void The_client_hello_offers_DEFLATE_and_heartbeat_when_asked()
        {
            var spec = new ClientHelloSpec { CipherSuites = new[] { 0x002F }, CompressionMethods = new[] { 1, 0 }, Heartbeat = true };
            var hs = ClientHelloCodec.BuildHandshake(spec);
            int o = 4 + 2 + 32;
            o += 1 + hs[o]; // session id
            o += 2 + ((hs[o] << 8) | hs[o + 1]); // suites
            Assert.Equal(2, hs[o]);
            Assert.Equal(1, hs[o + 1]);
            Assert.Equal(0, hs[o + 2]);
            var text = BitConverter.ToString(hs.Skip(o + 3).ToArray());
            Assert.Contains("00-0F-00-01-01", text); // heartbeat, length 1, peer_allowed_to_send
            Assert.Throws<TlsToolsException>(() => ClientHelloCodec.BuildHandshake(new ClientHelloSpec { CipherSuites = new[] { 0x002F }, CompressionMethods = new int[0] }));
        }

        /// <summary>A server that sends a TLS 1.2 hello flight (with the heartbeat extension) and then never answers again.</summary>
        private static async Task SilentServer(TcpListener listener, CancellationToken ct)
        {
            byte[] hello =
            {
                0x03, 0x03, /* random */ 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32,
                0x00, /* suite */ 0x00, 0x2F, /* compression */ 0x00, /* extensions */ 0x00, 0x05, 0x00, 0x0F, 0x00, 0x01, 0x01,
            };
            var flight = new byte[] { 2, 0, 0, (byte)hello.Length }.Concat(hello).Concat(new byte[] { 14, 0, 0, 0 }).ToArray();
            var record = new byte[] { 22, 3, 3, 0, (byte)flight.Length }.Concat(flight).ToArray();
            var open = new List<Socket>();
            try
            {
                while (!ct.IsCancellationRequested)
                {
                    var s = await listener.AcceptSocketAsync();
                    open.Add(s);
                    _ = Task.Run(async () =>
                    {
                        var buf = new byte[16384];
                        try
                        {
                            int n = await s.ReceiveAsync(new ArraySegment<byte>(buf), SocketFlags.None);
                            if (n > 0 && buf[0] == 22) await s.SendAsync(new ArraySegment<byte>(record), SocketFlags.None);
                            while (await s.ReceiveAsync(new ArraySegment<byte>(buf), SocketFlags.None) > 0) { } // read, never answer
                        }
                        catch (SocketException) { }
                        catch (ObjectDisposedException) { }
                    });
                }
            }
            catch (Exception) when (ct.IsCancellationRequested) { }
            finally { foreach (var s in open) s.Dispose(); }
        }

        [Fact]
        public async Task A_server_that_falls_silent_bounds_the_probes_and_leaves_CCS_untested()
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            using var stop = new CancellationTokenSource();
            var serving = SilentServer(listener, stop.Token);
            try
            {
                int port = ((IPEndPoint)listener.LocalEndpoint).Port;
                var report = new ServerProfileReport
                {
                    HostName = "127.0.0.1", Port = port,
                    TlsVersions = new List<TlsVersion> { TlsVersion.Tls12 },
                    CipherSuites = new List<CipherSuiteEntry> { Suite(TlsVersion.Tls12, "TLS_RSA_WITH_AES_128_CBC_SHA") },
                };
                var options = new ScanOptions { HostName = "127.0.0.1", Port = port, Timeout = TimeSpan.FromSeconds(3) };
                var clock = Stopwatch.StartNew();
                var e = await VulnerabilityProbes.RunAsync(report, options, null, CancellationToken.None);
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(8), "took " + clock.Elapsed);
                Assert.False(e.Heartbleed.Vulnerable); // silence to an unpadded heartbeat is RFC 6520's answer
                Assert.Contains("discarded", e.Heartbleed.Evidence.Single());
                Assert.Null(e.CcsInjection.Vulnerable);  // silence to two early CCS: inconclusive, never a pass
                Assert.Contains("inconclusive", e.CcsInjection.Evidence.Single());

                // Cancelled: the probes stop at once.
                using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
                clock.Restart();
                await Assert.ThrowsAnyAsync<OperationCanceledException>(() => VulnerabilityProbes.RunAsync(report, options, null, cancel.Token));
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), "cancellation took " + clock.Elapsed);
            }
            finally
            {
                stop.Cancel();
                listener.Stop();
                await Task.WhenAny(serving, Task.Delay(2000));
            }
        }

        [Theory]
        [InlineData(TlsScenario.Sslv2)]
        [InlineData(TlsScenario.LegacyProtocols)]
        [InlineData(TlsScenario.WeakCiphers)]
        [InlineData(TlsScenario.Heartbleed)]
        [InlineData(TlsScenario.CcsInjection)]
        [InlineData(TlsScenario.Compression)]
        [InlineData(TlsScenario.InsecureRenegotiation)]
        public async Task Each_scripted_scenario_shows_its_finding_and_a_valid_server_does_not(TlsScenario scenario)
        {
            var kit = ScenarioFactory.Create(scenario);
            using var server = TlsServerHost.Start(kit.ServerOptions);
            var options = new ScanOptions { HostName = "127.0.0.1", Port = server.Port, ServerName = kit.HostName, Timeout = TimeSpan.FromSeconds(10),
                TrustedRoots = new[] { kit.TrustedRoot } };
            var report = await TlsServerScanner.ReportAsync(options);
            var finding = report.Findings.SingleOrDefault(f => f.Id == kit.ExpectedCheck);
            Assert.True(finding != null, scenario + ": no " + kit.ExpectedCheck + " finding; findings: " + string.Join("; ", report.Findings));
            Assert.True(finding!.Tested);
            Assert.NotEmpty(finding.Evidence);

            var valid = ScenarioFactory.Create(TlsScenario.Valid);
            using var good = TlsServerHost.Start(valid.ServerOptions);
            var clean = await TlsServerScanner.ReportAsync(new ScanOptions { HostName = "127.0.0.1", Port = good.Port, ServerName = valid.HostName,
                Timeout = TimeSpan.FromSeconds(10), TrustedRoots = new[] { valid.TrustedRoot } });
            Assert.Contains(kit.ExpectedCheck, clean.PassedChecks);
        }

        [Fact]
        public async Task Heartbleed_on_an_Ssl3_only_server_is_not_tested_never_passed()
        {
            // An SSL 3.0 hello carries no extensions: the heartbeat cannot be offered, so the check cannot be made.
            var kit = ScenarioFactory.Create(TlsScenario.Heartbleed);
            kit.ServerOptions.Personality!.Versions = new[] { TlsVersion.Ssl30 };
            kit.ServerOptions.Personality.Suites = new[] { "TLS_RSA_WITH_AES_128_CBC_SHA" };
            using var server = TlsServerHost.Start(kit.ServerOptions);
            var report = await TlsServerScanner.ReportAsync(new ScanOptions { HostName = "127.0.0.1", Port = server.Port, ServerName = kit.HostName,
                Timeout = TimeSpan.FromSeconds(10), TrustedRoots = new[] { kit.TrustedRoot } });
            Assert.Equal(new[] { TlsVersion.Ssl30 }, report.TlsVersions);
            var heartbleed = Assert.Single(report.Findings, f => f.Id == FindingIds.Heartbleed);
            Assert.False(heartbleed.Tested);
            Assert.Contains("SSL 3.0", string.Join(" ", heartbleed.Evidence));
            Assert.DoesNotContain(FindingIds.Heartbleed, report.PassedChecks);
        }
    }
}
