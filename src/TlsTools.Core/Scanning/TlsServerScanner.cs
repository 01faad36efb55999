using TlsTools.Tls;
using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using TlsTools.Net;
using TlsTools.Scanning.Wire;

namespace TlsTools.Scanning
{
    /// <summary>
    /// Finds what a TLS server accepts with many small probes: each probe is one TCP connection carrying a hand-built
    /// ClientHello, and reads only the server's first flight (no key exchange, no BouncyCastle handshake).
    /// </summary>
    /// <remarks>
    /// <para>Enumeration (suites per version, groups, signature schemes) offers every candidate, removes the one the server
    /// picks and repeats until the server refuses. The first pick is repeated with the candidate list reversed: the same pick
    /// means the server enforces its own order, and the remaining picks are then made one after another so they come out in
    /// the server's order; different picks mean the server follows the client's order, and the remaining candidates are split
    /// into buckets enumerated in parallel.</para>
    /// <para>Probes run concurrently, at most <see cref="ScanOptions.MaxConcurrency"/> connections at a time. Every socket
    /// operation is bounded by <see cref="ScanOptions.Timeout"/> and the cancellation token; a probe that fails is recorded in
    /// <see cref="ServerProfile.Errors"/> and the scan carries on.</para>
    /// </remarks>
    public static partial class TlsServerScanner
    {
        private const int MaxCertificateBytes = 256 * 1024;

        /// <summary>The warning of a probes-only scan of a TLS 1.3 server (<see cref="ScanAsync"/>).</summary>
        private const string Tls13NotProbed = "TLS 1.3 signature algorithms, ALPN and certificates travel encrypted and were not probed.";

        /// <summary>
        /// Scans one server and builds its report: the probes (<see cref="ScanAsync"/>), then every served chain parsed and
        /// validated for the name it was served for, full TLS 1.3 handshakes for what TLS 1.3 encrypts when no TLS ≤ 1.2 handshake
        /// showed it, session-id resumption tested with two TLS 1.2 handshakes, and the findings
        /// (<see cref="FindingsAssessor"/>). Progress is reported as probes finish.
        /// </summary>
        /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
        /// <exception cref="TlsToolsException">As <see cref="ScanAsync"/>.</exception>
        /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
        public static async Task<ServerProfileReport> ReportAsync(ScanOptions options, IProgress<ScanProgress>? progress = null,
            CancellationToken cancellationToken = default)
        {
            var profile = await RunProbesAsync(options, progress, cancellationToken).ConfigureAwait(false);
            progress?.Report(new ScanProgress(profile.ProbeCount, profile.ProbeCount + 3, "certificate validation and session resumption"));
            var report = await ServerProfileReport.CreateAsync(profile, options, testSessionResumption: true, cancellationToken).ConfigureAwait(false);
            await FindingsAssessor.AssessAsync(report, options, progress, cancellationToken).ConfigureAwait(false);
            return Judgement.Apply(report, options.Policy);
        }

        /// <summary>Probes one server: what it accepts, as the probes see it (no full handshakes, no chain validation).</summary>
        /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
        /// <exception cref="TlsToolsException">InvalidArgument for bad options (InvalidTarget, InvalidPort, InvalidServerName,
        /// InvalidTimeout, InvalidConcurrency); the connector's error (HostNotFound, ConnectionRefused, NetworkError: ErrorKind
        /// ConnectionError; ConnectTimeout: OperationTimeout) when the first connection cannot be made.</exception>
        /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
        public static async Task<ServerProfile> ScanAsync(ScanOptions options, IProgress<ScanProgress>? progress = null,
            CancellationToken cancellationToken = default)
        {
            var profile = await RunProbesAsync(options, progress, cancellationToken).ConfigureAwait(false);
            if (profile.TlsVersions.Contains(TlsVersion.Tls13))
            {
                profile.Warnings.Add(Tls13NotProbed);
                profile.Warnings.Sort(StringComparer.Ordinal);
            }
            return profile;
        }

        private static async Task<ServerProfile> RunProbesAsync(ScanOptions options, IProgress<ScanProgress>? progress, CancellationToken cancellationToken)
        {
            if (options == null) throw new ArgumentNullException(nameof(options));
            var target = options.GetTarget();
            if (options.Timeout <= TimeSpan.Zero || options.Timeout > TimeSpan.FromMinutes(10))
                throw new TlsToolsException(ErrorIds.InvalidTimeout, ErrorKind.InvalidArgument, "The timeout must be between 0 and 10 minutes.");
            if (options.MaxConcurrency < 1 || options.MaxConcurrency > 64)
                throw new TlsToolsException(ErrorIds.InvalidConcurrency, ErrorKind.InvalidArgument, "MaxConcurrency must be 1..64.");

            var clock = Stopwatch.StartNew();
            using var gate = new SemaphoreSlim(options.MaxConcurrency, options.MaxConcurrency);
            var scan = new Scan(target, gate, options, progress, cancellationToken);
            var profile = await scan.RunAsync().ConfigureAwait(false);
            profile.Target = scan.Target;
            profile.HostName = scan.Target.Host;
            profile.Port = scan.Target.Port;
            profile.IPAddress = scan.Target.Address ?? "";
            profile.ServerName = scan.Target.ServerName;
            profile.ScanMilliseconds = clock.ElapsedMilliseconds;
            return profile;
        }

        /// <summary>One scan's state: the target, the connection gate, counters and findings.</summary>
        private sealed partial class Scan
        {
            private TlsTarget _target;
            private readonly SemaphoreSlim _gate;
            private readonly ScanOptions _options;
            private readonly IProgress<ScanProgress>? _progress;
            private readonly CancellationToken _ct;
            private readonly ConcurrentQueue<string> _errors = new ConcurrentQueue<string>();
            private readonly ConcurrentQueue<string> _warnings = new ConcurrentQueue<string>();
            private int _completed;
            private int _estimate = 150;

            public Scan(TlsTarget target, SemaphoreSlim gate, ScanOptions options, IProgress<ScanProgress>? progress, CancellationToken ct)
            {
                _target = target;
                _gate = gate;
                _options = options;
                _progress = progress;
                _ct = ct;
            }

            /// <summary>The target; once the first probe has connected, bound to the address every later probe uses.</summary>
            public TlsTarget Target => _target;

            private int Buckets => Math.Max(2, Math.Min(8, _options.MaxConcurrency / 2));

            // ---- candidate lists -------------------------------------------------------------------------------------

            private static readonly int[] Tls13Suites = TlsRegistry.CipherSuites.All.Where(s => s.IsTls13).Select(s => s.Code).ToArray();

            private static readonly int[] Tls12Suites = TlsRegistry.CipherSuites.All.Where(s => !s.IsTls13 && s.Code != 0).Select(s => s.Code).ToArray();

            // Before TLS 1.2 there are no AEAD or SHA-256/384 MAC suites.
            private static readonly int[] LegacySuites = TlsRegistry.CipherSuites.All
                .Where(s => !s.IsTls13 && s.Code != 0 && s.Mac != "AEAD" && s.Mac != "SHA256" && s.Mac != "SHA384")
                .Select(s => s.Code).ToArray();

            private static readonly int[] EcdheSuites = TlsRegistry.CipherSuites.All.Where(s => !s.IsTls13 && s.KeyExchange == "ECDHE").Select(s => s.Code).ToArray();

            private static readonly int[] SignedEphemeralSuites = TlsRegistry.CipherSuites.All.Where(s => !s.IsTls13 && s.IsEphemeralSigned).Select(s => s.Code).ToArray();

            // Common groups first so a server following the client's order picks a usual one.
            private static readonly int[] PreferredFirst = { 29, 23, 24, 30, 25, 4588, 256, 257, 258 };

            private static int[] GroupOrder(IEnumerable<NamedGroupInfo> groups)
            {
                var codes = groups.Select(g => g.Code).ToList();
                return PreferredFirst.Where(codes.Contains).Concat(codes.Where(c => !PreferredFirst.Contains(c))).ToArray();
            }

            private static readonly int[] Tls13Groups = GroupOrder(TlsRegistry.NamedGroups.All.Where(g => g.UsableInTls13));
            private static readonly int[] Tls12Groups = GroupOrder(TlsRegistry.NamedGroups.All.Where(g => g.UsableInTls12));
            private static readonly int[] Tls12EcGroups = GroupOrder(TlsRegistry.NamedGroups.All.Where(g => g.UsableInTls12 && g.Kind != NamedGroupKind.FiniteField));

            private static readonly int[] AllSchemes = TlsRegistry.SignatureSchemes.All.Select(s => s.Code).ToArray();

            private static IList<int> SuitesFor(TlsVersion v) =>
                v == TlsVersion.Tls13 ? Tls13Suites : v == TlsVersion.Tls12 ? Tls12Suites : LegacySuites;

            private ClientHelloSpec Spec(TlsVersion version, IList<int> suites, bool sni = true) => new ClientHelloSpec
            {
                Version = version,
                CipherSuites = suites,
                ServerName = sni ? _target.ServerName : null,
                NamedGroups = version == TlsVersion.Tls13 ? Tls13Groups : Tls12Groups,
                SignatureSchemes = AllSchemes,
                RenegotiationScsv = version == TlsVersion.Ssl30,
            };

            // ---- one probe -------------------------------------------------------------------------------------------

            private async Task<ProbeResult> ProbeAsync(ClientHelloSpec spec, bool wantFlight, string activity, int maxBytes = ServerFlightParser.DefaultMaxBytes)
            {
                var hello = ClientHelloCodec.Build(spec);
                await _gate.WaitAsync(_ct).ConfigureAwait(false);
                ProbeResult result;
                try
                {
                    result = await ProbeClient.RunAsync(_target, hello, wantFlight, maxBytes, _options.Timeout, _ct).ConfigureAwait(false);
                }
                finally
                {
                    _gate.Release();
                }
                if (result.Outcome == ProbeOutcome.Timeout || result.Outcome == ProbeOutcome.Malformed || result.Outcome == ProbeOutcome.ConnectFailed)
                    _errors.Enqueue(activity + ": " + result.Outcome + (result.Error != null ? " (" + result.Error + ")" : ""));
                int done = Interlocked.Increment(ref _completed);
                int estimate = Math.Max(Volatile.Read(ref _estimate), done + 5);
                Volatile.Write(ref _estimate, estimate);
                _progress?.Report(new ScanProgress(done, estimate, activity));
                return result;
            }

            // ---- enumeration -----------------------------------------------------------------------------------------

            private sealed class Enumeration
            {
                public List<int> Accepted = new List<int>();
                public bool? ServerOrder;
            }

            /// <summary>
            /// Offer all, remove the pick, repeat. <paramref name="pick"/> returns the candidate the server chose from those offered,
            /// or null when it refused (or chose something not offered).
            /// </summary>
            private async Task<Enumeration> EnumerateAsync(IList<int> candidates, Func<List<int>, Task<int?>> pick)
            {
                var result = new Enumeration();
                var all = candidates.ToList();
                var first = await pick(all).ConfigureAwait(false);
                if (first == null) return result;
                result.Accepted.Add(first.Value);
                var rest = all.Where(c => c != first.Value).ToList();
                if (rest.Count == 0) return result;

                var reversed = all.AsEnumerable().Reverse().ToList();
                var second = await pick(reversed).ConfigureAwait(false);
                if (second == null) return result; // flaky server: it accepted a moment ago
                if (second.Value == first.Value)
                {
                    // Server order: one pick after another.
                    result.Accepted.AddRange(await ChainAsync(rest, pick).ConfigureAwait(false));
                    result.ServerOrder = result.Accepted.Count >= 2 ? true : (bool?)null;
                    return result;
                }
                result.ServerOrder = false;
                result.Accepted.Add(second.Value);
                rest.Remove(second.Value);
                var buckets = Enumerable.Range(0, Buckets).Select(b => rest.Where((c, i) => i % Buckets == b).ToList()).Where(b => b.Count > 0).ToList();
                var found = await Task.WhenAll(buckets.Select(b => ChainAsync(b, pick))).ConfigureAwait(false);
                foreach (var f in found) result.Accepted.AddRange(f);
                return result;
            }

            private static async Task<List<int>> ChainAsync(List<int> candidates, Func<List<int>, Task<int?>> pick)
            {
                var found = new List<int>();
                var left = candidates.ToList();
                int guard = left.Count + 1;
                while (left.Count > 0 && guard-- > 0)
                {
                    var p = await pick(left).ConfigureAwait(false);
                    if (p == null || !left.Remove(p.Value)) break;
                    found.Add(p.Value);
                }
                return found;
            }

            // ---- the probes ------------------------------------------------------------------------------------------

            private Func<List<int>, Task<int?>> SuitePicker(TlsVersion version)
            {
                string activity = TlsRegistry.Versions.Name(version) + " cipher suites";
                return async offered =>
                {
                    var r = await ProbeAsync(Spec(version, offered), false, activity).ConfigureAwait(false);
                    var h = r.Hello;
                    if (h == null || h.Version != TlsRegistry.Versions.ToWire(version)) return null;
                    if (!offered.Contains(h.CipherSuite))
                    {
                        _warnings.Enqueue(activity + ": the server chose 0x" + h.CipherSuite.ToString("X4") + ", which was not offered.");
                        return null;
                    }
                    return h.CipherSuite;
                };
            }

            private Func<List<int>, Task<int?>> Tls13GroupPicker() => async offered =>
            {
                var spec = Spec(TlsVersion.Tls13, Tls13Suites);
                spec.NamedGroups = offered;
                var r = await ProbeAsync(spec, false, "TLS 1.3 named groups").ConfigureAwait(false);
                var h = r.Hello;
                if (h == null || h.Version != 0x0304 || h.KeyShareGroup == null) return null;
                return offered.Contains(h.KeyShareGroup.Value) ? h.KeyShareGroup : null;
            };

            private TlsVersion? _tls12GroupVersion;

            private Func<List<int>, Task<int?>> Tls12GroupPicker() => async offered =>
            {
                var spec = Spec(TlsVersion.Tls12, EcdheSuites);
                spec.NamedGroups = offered;
                var r = await ProbeAsync(spec, true, "TLS 1.2 named groups").ConfigureAwait(false);
                var ske = ReadKeyExchange(r, "TLS 1.2 named groups");
                if (ske?.NamedGroup == null) return null;
                _tls12GroupVersion = TlsRegistry.Versions.FromWire(r.Hello!.Version);
                if (!offered.Contains(ske.NamedGroup.Value))
                {
                    _warnings.Enqueue("TLS 1.2 named groups: the server used " + TlsRegistry.NamedGroups.Name(ske.NamedGroup.Value) + ", which was not offered.");
                    return null;
                }
                return ske.NamedGroup;
            };

            private Func<List<int>, Task<int?>> SignaturePicker() => async offered =>
            {
                var spec = Spec(TlsVersion.Tls12, SignedEphemeralSuites);
                spec.SignatureSchemes = offered;
                var r = await ProbeAsync(spec, true, "TLS 1.2 signature algorithms").ConfigureAwait(false);
                if (r.Hello == null || r.Hello.Version != 0x0303) return null;
                var ske = ReadKeyExchange(r, "TLS 1.2 signature algorithms");
                if (ske?.SignatureScheme == null) return null;
                return offered.Contains(ske.SignatureScheme.Value) ? ske.SignatureScheme : null;
            };

            /// <summary>
            /// TLS 1.2 ECDHE groups, each offered alone (as sslscan does): in TLS 1.2 supported_groups also constrains the curve of
            /// an ECDSA certificate, so "offer all, remove the pick" would stop early on ECDSA servers. The groups found are then
            /// enumerated together to learn whether (and in which order) the server prefers them.
            /// </summary>
            private async Task<Enumeration> Tls12GroupsAsync(int? leafCurve)
            {
                var picker = Tls12GroupPicker();
                var single = await Task.WhenAll(Tls12EcGroups.Select(g => picker(new List<int> { g }))).ConfigureAwait(false);
                var accepted = single.Where(g => g != null).Select(g => g!.Value).Distinct().ToList();
                if (leafCurve != null && accepted.Contains(leafCurve.Value))
                {
                    // An ECDSA certificate's curve must be listed too: offer each refused group first, then that curve.
                    var refused = Tls12EcGroups.Where(g => !accepted.Contains(g)).ToList();
                    var paired = await Task.WhenAll(refused.Select(g => picker(new List<int> { g, leafCurve.Value }))).ConfigureAwait(false);
                    accepted.AddRange(paired.Where(g => g != null && g.Value != leafCurve.Value).Select(g => g!.Value).Distinct());
                }
                if (accepted.Count < 2) return new Enumeration { Accepted = accepted };
                var ordered = await EnumerateAsync(accepted, picker).ConfigureAwait(false);
                var result = new Enumeration { ServerOrder = ordered.ServerOrder };
                if (ordered.ServerOrder == true) result.Accepted.AddRange(ordered.Accepted);
                result.Accepted.AddRange(accepted.Where(g => !result.Accepted.Contains(g)).OrderBy(g => g));
                return result;
            }

            private ServerKeyExchangeInfo? ReadKeyExchange(ProbeResult r, string activity)
            {
                var h = r.Hello;
                var flight = r.Flight;
                if (h == null || flight == null || h.Version > 0x0303 || flight.ServerKeyExchange == null) return null;
                try
                {
                    return ServerFlightParser.ParseServerKeyExchange(flight.ServerKeyExchange, TlsRegistry.CipherSuites.Get(h.CipherSuite), h.Version);
                }
                catch (TlsToolsException e)
                {
                    _errors.Enqueue(activity + ": " + e.Message);
                    return null;
                }
            }

            // ---- the scan --------------------------------------------------------------------------------------------

            public async Task<ServerProfile> RunAsync()
            {
                var profile = new ServerProfile();

                // First probe: reachability, plus the certificate chain and extension answers of TLS <= 1.2.
                var first = await ProbeAsync(Spec(TlsVersion.Tls12, Tls12Suites, sni: true), true, "certificate", MaxCertificateBytes).ConfigureAwait(false);
                if (first.ConnectError != null) throw first.ConnectError;
                // Every later probe goes to the address this one reached (no second name lookup).
                _target = first.Connected ?? _target;
                bool legacyTls = first.Hello != null && !first.Hello.IsHelloRetryRequest && first.Hello.Version <= 0x0303;

                var versionTasks = TlsRegistry.Versions.Values.ToDictionary(v => v, v => EnumerateAsync(SuitesFor(v), SuitePicker(v)));
                var groups13Task = EnumerateAsync(Tls13Groups, Tls13GroupPicker());
                Task<Enumeration> groups12Task = legacyTls ? Tls12GroupsAsync(LeafCurve(first)) : Task.FromResult(new Enumeration());
                Task<Enumeration> sigTask = legacyTls ? EnumerateAsync(AllSchemes, SignaturePicker()) : Task.FromResult(new Enumeration());
                Task<ProbeResult?> noSniTask = legacyTls && _target.ServerName != null
                    ? ProbeAsync(Spec(TlsVersion.Tls12, Tls12Suites, sni: false), true, "certificate without SNI", MaxCertificateBytes).ContinueWith(t => (ProbeResult?)t.Result, TaskScheduler.Default)
                    : Task.FromResult<ProbeResult?>(null);
                var alpnTasks = legacyTls
                    ? _options.AlpnProtocols.Where(p => !string.IsNullOrEmpty(p) && p.Length <= 255).Distinct().Select(async p =>
                    {
                        var spec = Spec(TlsVersion.Tls12, Tls12Suites);
                        spec.Alpn = new List<string> { p };
                        var r = await ProbeAsync(spec, false, "ALPN").ConfigureAwait(false);
                        return r.Hello?.Alpn == p ? p : null;
                    }).ToList()
                    : new List<Task<string?>>();

                await Task.WhenAll(versionTasks.Values).ConfigureAwait(false);

                // Versions and suites.
                foreach (var v in TlsRegistry.Versions.Values)
                    if (versionTasks[v].Result.Accepted.Count > 0) profile.TlsVersions.Add(v);
                foreach (var v in Enumerable.Reverse(TlsRegistry.Versions.Values))
                {
                    var e = versionTasks[v].Result;
                    if (e.Accepted.Count == 0) continue;
                    profile.CipherPreference.Add(new CipherPreferenceEntry { TlsVersion = v, ServerOrder = e.ServerOrder });
                    var infos = e.Accepted.Select(TlsRegistry.CipherSuites.Get);
                    if (e.ServerOrder != true)
                        infos = infos.OrderBy(s => -(int)TlsRegistry.CipherSuites.Rate(s, v).Strength).ThenByDescending(s => s.KeySize).ThenBy(s => s.Code);
                    foreach (var s in infos)
                    {
                        var (strength, reason) = TlsRegistry.CipherSuites.Rate(s, v);
                        profile.CipherSuites.Add(new CipherSuiteEntry
                        {
                            TlsVersion = v, Name = s.Name, OpenSslName = s.OpenSslName, Code = s.Code, KeyExchange = s.KeyExchange,
                            Authentication = s.Authentication, Encryption = s.Encryption, Mac = s.Mac, KeySize = s.KeySize,
                            Strength = strength, StrengthReason = reason,
                        });
                    }
                }
                var legacyPref = profile.CipherPreference.FirstOrDefault(p => p.TlsVersion != TlsVersion.Tls13 && p.ServerOrder != null);
                profile.ServerCipherPreference = legacyPref?.ServerOrder
                    ?? profile.CipherPreference.FirstOrDefault(p => p.TlsVersion == TlsVersion.Tls13)?.ServerOrder;

                // Fallback SCSV: a hello for the second-highest version, marked as a fallback.
                var fallbackTask = FallbackAsync(profile.TlsVersions);
                var certificatesTask = CertificateProbesAsync(profile);

                var groups13 = await groups13Task.ConfigureAwait(false);
                var groups12 = await groups12Task.ConfigureAwait(false);
                AddGroups(profile, TlsVersion.Tls13, groups13);
                AddGroups(profile, _tls12GroupVersion ?? TlsVersion.Tls12, groups12);
                if (groups13.Accepted.Count > 0) profile.PreferredNamedGroup = groups13.ServerOrder == true ? TlsRegistry.NamedGroups.Name(groups13.Accepted[0]) : null;
                else if (groups12.Accepted.Count > 0) profile.PreferredNamedGroup = groups12.ServerOrder == true ? TlsRegistry.NamedGroups.Name(groups12.Accepted[0]) : null;
                if (profile.NamedGroups.Count > 0 && profile.PreferredNamedGroup == null)
                    _warnings.Enqueue("The server picks named groups in the client's order: it has no preferred group.");

                var sigs = await sigTask.ConfigureAwait(false);
                profile.SignatureAlgorithms.AddRange(sigs.Accepted.Select(TlsRegistry.SignatureSchemes.Name));

                // Certificate chains and extension answers.
                var noSni = await noSniTask.ConfigureAwait(false);
                AddChain(profile, first, _target.ServerName);
                if (noSni != null) AddChain(profile, noSni, null);
                foreach (var (result, sni) in await certificatesTask.ConfigureAwait(false)) AddChain(profile, result, sni);
                DescribeChains(profile);
                profile.ClientCertificateRequested = CertificateRequestOf(first);
                if (legacyTls)
                {
                    var h = first.Hello!;
                    profile.SecureRenegotiation = h.Has(ClientHelloCodec.ExtRenegotiationInfo);
                    profile.ExtendedMasterSecret = h.Has(ClientHelloCodec.ExtExtendedMasterSecret);
                    profile.SessionTickets = h.Has(ClientHelloCodec.ExtSessionTicket);
                    profile.OcspStapling = Stapling.IsSuccessfulStaple(first.Flight!.CertificateStatusBody); // an echoed status_request alone is no staple
                }
                else if (profile.TlsVersions.Count > 0)
                {
                    _warnings.Enqueue("No TLS 1.2 or older handshake: secure renegotiation, extended master secret, TLS <= 1.2 session tickets, "
                        + "OCSP stapling and signature algorithms are read from TLS <= 1.2 handshakes and were not determined.");
                }
                profile.SessionIdResumption = null;

                foreach (var a in await Task.WhenAll(alpnTasks).ConfigureAwait(false))
                    if (a != null) profile.AlpnProtocols.Add(a);
                profile.FallbackScsv = await fallbackTask.ConfigureAwait(false);

                if (legacyTls && sigs.Accepted.Count == 0 && profile.TlsVersions.Contains(TlsVersion.Tls12))
                    _warnings.Enqueue("No TLS 1.2 ServerKeyExchange signature was seen (no (EC)DHE suite with a signature): signature algorithms not determined.");
                if (profile.TlsVersions.Count == 0)
                    _errors.Enqueue("The server accepted no SSL 3.0 .. TLS 1.3 ClientHello" + (first.Error != null ? " (first probe: " + first.Error + ")" : "") + ".");

                profile.Errors.AddRange(_errors.Distinct().OrderBy(s => s, StringComparer.Ordinal));
                profile.Warnings.AddRange(_warnings.Distinct().OrderBy(s => s, StringComparer.Ordinal));
                profile.ProbeCount = Volatile.Read(ref _completed);
                return profile;
            }

            private static void AddGroups(ServerProfile profile, TlsVersion version, Enumeration e)
            {
                var codes = e.ServerOrder == true ? e.Accepted : e.Accepted.OrderBy(c => c).ToList();
                foreach (var c in codes)
                    profile.NamedGroups.Add(new NamedGroupEntry { TlsVersion = version, Code = c, Name = TlsRegistry.NamedGroups.Name(c) });
            }

            private static void AddChain(ServerProfile profile, ProbeResult r, string? sni)
            {
                var h = r.Hello;
                if (h == null || r.Flight == null || r.Flight.Certificates.Count == 0) return;
                var existing = profile.CertificateChains.FirstOrDefault(c => c.Certificates.Count == r.Flight.Certificates.Count
                    && c.Certificates.Zip(r.Flight.Certificates, (a, b) => a.SequenceEqual(b)).All(x => x));
                if (existing == null)
                {
                    existing = new CertificateChainEntry
                    {
                        TlsVersion = TlsRegistry.Versions.FromWire(h.Version) ?? TlsVersion.Tls12,
                        Certificates = r.Flight.Certificates.ToList(),
                    };
                    profile.CertificateChains.Add(existing);
                }
                if (sni == null) existing.WithoutSni = true;
                else if (!existing.ServerNames.Contains(sni)) existing.ServerNames.Add(sni);
            }

            private async Task<bool?> FallbackAsync(List<TlsVersion> versions)
            {
                var legacy = versions.Where(v => v != TlsVersion.Tls13).ToList();
                if (versions.Count < 2 || legacy.Count == 0) return null;
                // Highest accepted version below the top one.
                var below = versions.Count >= 2 ? versions[versions.Count - 2] : legacy[legacy.Count - 1];
                if (below == TlsVersion.Tls13) return null;
                var spec = Spec(below, SuitesFor(below));
                spec.FallbackScsv = true;
                var r = await ProbeAsync(spec, false, "fallback SCSV").ConfigureAwait(false);
                if (r.Outcome == ProbeOutcome.Alert && r.Flight?.AlertDescription == 86) return true;
                if (r.Hello != null) return false;
                return null;
            }
        }
    }
}
