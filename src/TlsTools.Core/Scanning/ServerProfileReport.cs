using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using TlsTools.Formats;
using TlsTools.Net;
using TlsTools.Pki;
using TlsTools.Revocation;
using TlsTools.Revocation.Online;
using TlsTools.Tls;
using TlsTools.Validation;

namespace TlsTools.Scanning
{
    /// <summary>One reason a served chain did not validate, flattened for display and JSON.</summary>
    public sealed class ChainProblem
    {
        /// <summary>A stable name from <see cref="ValidationCheck"/>, e.g. UntrustedRoot, HostnameMismatch, Expired.</summary>
        public string Check { get; set; } = "";

        /// <summary>Subject of the certificate the problem is about; null when it is about the chain as a whole.</summary>
        public string? Subject { get; set; }

        public string Message { get; set; } = "";

        public override string ToString() => Check + ": " + Message;
    }

    /// <summary>
    /// One distinct certificate chain a server sent (TLS ≤ 1.2 Certificate message), as certificate objects, with the verdict
    /// of <see cref="ChainValidator"/> against the scan's trust (ScanOptions.TrustedRoots, else the default store) for the name it was served for.
    /// </summary>
    public sealed class ServedCertificateChain
    {
        /// <summary>SNI values that produced this chain (empty when only the no-SNI probe did).</summary>
        public List<string> ServerNames { get; set; } = new List<string>();

        /// <summary>The chain was also (or only) served to a ClientHello without SNI.</summary>
        public bool WithoutSni { get; set; }

        public TlsVersion TlsVersion { get; set; }

        /// <summary>The certificates as sent, leaf first (unparsable ones are left out and reported in <see cref="ValidationFailures"/>).</summary>
        public List<Certificate> Certificates { get; set; } = new List<Certificate>();

        /// <summary>The leaf's public key, in <see cref="Certificate.KeyAlgorithm"/>'s words (Rsa2048, EcdsaP256, Ed25519); null
        /// when the leaf could not be read.</summary>
        public string? KeyAlgorithm { get; set; }

        /// <summary>The versions this chain's key serves, oldest first (<see cref="CertificateChainEntry.TlsVersions"/>).</summary>
        public List<TlsVersion> TlsVersions { get; set; } = new List<TlsVersion>();

        /// <summary>The accepted suites (IANA names) this chain's key serves: ECDHE_RSA/RSA suites for an RSA key, ECDHE_ECDSA
        /// for ECDSA and EdDSA, and the TLS 1.3 suites when a TLS 1.3 handshake produced it.</summary>
        public List<string> CipherSuites { get; set; } = new List<string>();

        /// <summary>The leaf's subject (null when the leaf could not be read).</summary>
        public string? Subject { get; set; }

        /// <summary>The leaf's issuer.</summary>
        public string? Issuer { get; set; }

        /// <summary>The leaf's notAfter (UTC).</summary>
        public DateTime? NotAfter { get; set; }

        /// <summary>Whole days until the leaf expires (negative once expired).</summary>
        public int? DaysUntilExpiry { get; set; }

        /// <summary>The DNS name or IP address the chain was validated for: the SNI it was served for, else the scanned host.</summary>
        public string ValidatedFor { get; set; } = "";

        /// <summary>How revocation was decided per certificate of the validated path (-Online fetches OCSP answers and CRLs).</summary>
        public RevocationInfo[] Revocation { get; set; } = Array.Empty<RevocationInfo>();

        /// <summary>Certificates -Online fetched from AIA caIssuers because the server did not send them (then
        /// <see cref="ValidationWarnings"/> also holds IncompleteChain).</summary>
        public AiaFetchedCertificate[] CompletedFromAia { get; set; } = Array.Empty<AiaFetchedCertificate>();

        public bool IsValid { get; set; }

        /// <summary>"Valid" or "Invalid: " and the failed checks, e.g. "Invalid: UntrustedRoot, HostnameMismatch".</summary>
        public string Verdict { get; set; } = "";

        /// <summary>Subject of the trust anchor the valid path ends in; null when the chain is not valid.</summary>
        public string? TrustAnchor { get; set; }

        /// <summary>Empty when <see cref="IsValid"/>.</summary>
        public List<ChainProblem> ValidationFailures { get; set; } = new List<ChainProblem>();

        /// <summary>What the path does wrong without failing (<see cref="ChainValidationResult.Warnings"/>: profile rules the trust anchor breaks).</summary>
        public List<ChainProblem> ValidationWarnings { get; set; } = new List<ChainProblem>();

        /// <summary>The leaf's serial number (hex); null when the leaf could not be read. Kept on the chain so a report saved
        /// shallowly (Export-Clixml, ConvertTo-Json) still tells a new certificate from the old one.</summary>
        public string? SerialNumber => Certificates.FirstOrDefault()?.SerialNumber;

        /// <summary>SHA-256 of the leaf's SubjectPublicKeyInfo (hex): a new key changes it; null when the leaf could not be read.</summary>
        public string? PublicKeySha256 => Certificates.FirstOrDefault()?.PublicKeySha256;

        public override string ToString() => (Subject ?? "(unreadable certificate)") + " [" + Verdict + "]";
    }

    /// <summary>
    /// The cmdlet-facing result of a scan: <see cref="ServerProfile"/> with the certificate chains turned into
    /// <see cref="Certificate"/> objects carrying their validation verdicts, and session-id resumption tested with one full
    /// TLS 1.2 handshake and a resumed one. One record per target; property names never change and lists are never null.
    /// </summary>
    public sealed partial class ServerProfileReport
    {
        /// <summary>The target scanned, bound to the address the scan went to (null only in a report of a hand-made profile).</summary>
        public TlsTarget? Target { get; set; }

        public string HostName { get; set; } = "";
        public int Port { get; set; }
        public string IPAddress { get; set; } = "";
        public string? ServerName { get; set; }

        /// <summary>The protocol every probe spoke before TLS (STARTTLS), or None.</summary>
        public StartTlsProtocol StartTls => Target?.StartTls ?? StartTlsProtocol.None;

        /// <summary>Oldest first.</summary>
        public List<TlsVersion> TlsVersions { get; set; } = new List<TlsVersion>();

        /// <summary>Newest version first, then in the server's order when it enforces one (see <see cref="ServerProfile"/>).</summary>
        public List<CipherSuiteEntry> CipherSuites { get; set; } = new List<CipherSuiteEntry>();

        public bool? ServerCipherPreference { get; set; }
        public List<CipherPreferenceEntry> CipherPreference { get; set; } = new List<CipherPreferenceEntry>();
        public List<NamedGroupEntry> NamedGroups { get; set; } = new List<NamedGroupEntry>();
        public string? PreferredNamedGroup { get; set; }
        public List<string> SignatureAlgorithms { get; set; } = new List<string>();

        /// <summary>Every distinct chain served, with and without SNI.</summary>
        public List<ServedCertificateChain> CertificateChains { get; set; } = new List<ServedCertificateChain>();

        /// <summary>A TLS 1.2 session id was resumed by a second handshake; null when not tested (no TLS 1.2, or the full
        /// handshake failed: the reason is in <see cref="Warnings"/>).</summary>
        public bool? SessionIdResumption { get; set; }

        /// <summary>The server answered the RFC 5077 SessionTicket extension: TLS ≤ 1.2 tickets only (TLS 1.3 tickets are
        /// <see cref="Tls13SessionTickets"/>); null when no TLS ≤ 1.2 handshake was seen.</summary>
        public bool? SessionTickets { get; set; }
        public bool? SecureRenegotiation { get; set; }
        public bool? ExtendedMasterSecret { get; set; }
        public bool? OcspStapling { get; set; }
        public bool? FallbackScsv { get; set; }
        public List<string> AlpnProtocols { get; set; } = new List<string>();

        /// <summary>The size in bits of the smallest finite-field Diffie-Hellman prime the server used with a DHE suite
        /// (TLS ≤ 1.2 ServerKeyExchange); null when it accepts no DHE suite.</summary>
        public int? DhParameterBits { get; set; }

        /// <summary>The server sent a CertificateRequest (the CA names and signature algorithms it named); null when no handshake
        /// saw one.</summary>
        public ClientCertificateRequest? ClientCertificateRequested { get; set; }

        /// <summary>TLS 1.3 NewSessionTicket messages after one full handshake; null when TLS 1.3 is not accepted or the handshake
        /// failed (the reason is in <see cref="Warnings"/>).</summary>
        public Tls13SessionTicketInfo? Tls13SessionTickets { get; set; }

        /// <summary>What is wrong, most severe first, and the checks that could not be made (Tested false).</summary>
        public List<Finding> Findings { get; set; } = new List<Finding>();

        /// <summary>Ids of the checks that were made and found nothing (<see cref="FindingIds"/>).</summary>
        public List<string> PassedChecks { get; set; } = new List<string>();

        /// <summary>A+, A, A-, B, C, D, E, F, T (untrusted certificate) or M (name mismatch), after SSL Labs' rating guide; null
        /// when the server could not be graded (the reason is in <see cref="GradeReasons"/>).</summary>
        public string? Grade { get; set; }

        /// <summary>Why the grade is what it is: the scores and every cap that applied.</summary>
        public List<string> GradeReasons { get; set; } = new List<string>();

        /// <summary>With -Policy: the server against that guideline; null otherwise.</summary>
        public PolicyCompliance? PolicyCompliance { get; set; }

        public List<string> Errors { get; set; } = new List<string>();
        public List<string> Warnings { get; set; } = new List<string>();
        public int ProbeCount { get; set; }
        public long ScanMilliseconds { get; set; }

        public override string ToString() => (Target?.ToString() ?? HostName + ":" + Port) + " " + string.Join(",", TlsVersions) + " (" + CipherSuites.Count + " suites)";

        /// <summary>
        /// Builds the report for a finished probe scan (<see cref="TlsServerScanner.ReportAsync"/> calls it): parses and validates
        /// every served chain (OS trust store) for the name it was served for; for a TLS 1.3 server, reads its chains per key type,
        /// its session tickets and a client-certificate request (and, TLS 1.3 only, the ALPN protocols) from full TLS 1.3
        /// handshakes; and, when <paramref name="testSessionResumption"/> is set and the server speaks TLS 1.2, runs one full
        /// handshake and one resumed handshake with <see cref="TlsClientRunner"/> (the full one also decides whether a TLS 1.2
        /// client certificate is required), at the same time as the TLS 1.3 ones. Every handshake goes to the target the probes reached.
        /// </summary>
        /// <param name="profile">The probes' findings (without the probes-only TLS 1.3 warning of <see cref="TlsServerScanner.ScanAsync"/>).</param>
        /// <param name="options">The scan's options; its target is used when the profile has none (a profile made by hand).</param>
        /// <param name="testSessionResumption">Run the two TLS 1.2 handshakes.</param>
        /// <param name="cancellationToken">Cancels the handshakes.</param>
        /// <exception cref="ArgumentNullException">An argument is null.</exception>
        /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
        internal static async Task<ServerProfileReport> CreateAsync(ServerProfile profile, ScanOptions options, bool testSessionResumption,
            CancellationToken cancellationToken = default)
        {
            if (profile == null) throw new ArgumentNullException(nameof(profile));
            if (options == null) throw new ArgumentNullException(nameof(options));
            var target = profile.Target ?? options.GetTarget();
            var r = new ServerProfileReport
            {
                Target = profile.Target,
                HostName = profile.HostName, Port = profile.Port, IPAddress = profile.IPAddress, ServerName = profile.ServerName,
                TlsVersions = profile.TlsVersions.ToList(), CipherSuites = profile.CipherSuites.ToList(),
                ServerCipherPreference = profile.ServerCipherPreference, CipherPreference = profile.CipherPreference.ToList(),
                NamedGroups = profile.NamedGroups.ToList(), PreferredNamedGroup = profile.PreferredNamedGroup,
                SignatureAlgorithms = profile.SignatureAlgorithms.ToList(),
                SessionIdResumption = profile.SessionIdResumption, SessionTickets = profile.SessionTickets,
                ClientCertificateRequested = profile.ClientCertificateRequested,
                SecureRenegotiation = profile.SecureRenegotiation, ExtendedMasterSecret = profile.ExtendedMasterSecret,
                OcspStapling = profile.OcspStapling, FallbackScsv = profile.FallbackScsv, AlpnProtocols = profile.AlpnProtocols.ToList(),
                Errors = profile.Errors.ToList(), Warnings = profile.Warnings.ToList(),
                ProbeCount = profile.ProbeCount, ScanMilliseconds = profile.ScanMilliseconds,
            };
            // TLS 1.3 handshakes (chains per key type, tickets, a client-certificate request) and the TLS 1.2 session-id
            // resumption test run together; each keeps its own warnings until both are done.
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var entries = profile.CertificateChains.ToList();
            var tls13Warnings = new List<string>();
            var resumptionWarnings = new List<string>();
            var tls13Task = r.TlsVersions.Contains(TlsVersion.Tls13)
                ? Tls13DetailsAsync(profile, entries, target, options, r, tls13Warnings, cancellationToken)
                : Task.FromResult(false);
            Task<HandshakeResult?> resumptionTask = Task.FromResult<HandshakeResult?>(null);
            bool resumptionTested = testSessionResumption && r.SessionIdResumption == null && r.TlsVersions.Contains(TlsVersion.Tls12);
            if (resumptionTested)
                resumptionTask = TestResumptionAsync(target, options, resumptionWarnings, result => r.SessionIdResumption = result, cancellationToken);
            bool readByHandshakes = await tls13Task.ConfigureAwait(false);
            var fullTls12 = await resumptionTask.ConfigureAwait(false);
            r.Warnings.AddRange(tls13Warnings);
            r.Warnings.AddRange(resumptionWarnings);
            if (resumptionTested) r.ProbeCount += 2;
            ClientCertificateRequiredFrom(r, fullTls12);
            if (r.TlsVersions.Contains(TlsVersion.Tls13))
            {
                bool tls13Only = r.TlsVersions.All(v => v == TlsVersion.Tls13);
                if (tls13Only && r.AlpnProtocols.Count == 0)
                {
                    // The probes read ALPN from TLS <= 1.2 ServerHellos; a TLS 1.3-only server answers it encrypted.
                    r.AlpnProtocols.AddRange(await Tls13AlpnAsync(target, options, cancellationToken).ConfigureAwait(false));
                    r.ProbeCount += options.AlpnProtocols.Count;
                }
                r.Warnings.Add(!readByHandshakes
                    ? "TLS 1.3 signature algorithms, ALPN and certificates travel encrypted and were not probed."
                    : tls13Only
                        ? "TLS 1.3 signature algorithms travel encrypted and were not probed; the certificate chains and ALPN protocols were read from full TLS 1.3 handshakes."
                        : "TLS 1.3 signature algorithms and ALPN travel encrypted and were not probed; the certificate chains were read from full TLS 1.3 handshakes.");
            }
            if (testSessionResumption && r.SessionIdResumption == null && !resumptionTested && r.TlsVersions.Count > 0 && !r.TlsVersions.Contains(TlsVersion.Tls12))
                r.Warnings.Add("Session-id resumption is tested with TLS 1.2 only; the server does not accept TLS 1.2: not determined.");
            r.ScanMilliseconds += clock.ElapsedMilliseconds;

            foreach (var chain in entries)
            {
                cancellationToken.ThrowIfCancellationRequested();
                r.CertificateChains.Add(await ValidateAsync(chain, target, options, cancellationToken).ConfigureAwait(false));
            }
            return r;
        }

        private static async Task<ServedCertificateChain> ValidateAsync(CertificateChainEntry entry, TlsTarget target, ScanOptions options, CancellationToken ct)
        {
            var served = new ServedCertificateChain
            {
                ServerNames = entry.ServerNames.ToList(), WithoutSni = entry.WithoutSni, TlsVersion = entry.TlsVersion,
                TlsVersions = entry.TlsVersions.ToList(), CipherSuites = entry.CipherSuites.ToList(),
            };
            var unreadable = new List<ChainProblem>();
            bool leafReadable = false;
            for (int i = 0; i < entry.Certificates.Count; i++)
            {
                try
                {
                    served.Certificates.Add(PkiReader.ReadCertificates(entry.Certificates[i]).First());
                    if (i == 0) leafReadable = true;
                }
                catch (TlsToolsException e)
                {
                    unreadable.Add(new ChainProblem
                    {
                        Check = ValidationCheck.MalformedCertificate,
                        Message = "certificate " + (i + 1) + " of " + entry.Certificates.Count + " as sent cannot be read: " + e.Message,
                    });
                }
            }

            // The name the chain was served for: its SNI, else none (the host, or its IP address).
            var servedFor = target.WithServerName(entry.ServerNames.FirstOrDefault() ?? "");
            served.ValidatedFor = servedFor.ValidationName;
            if (!leafReadable)
            {
                served.IsValid = false;
                served.ValidationFailures.AddRange(unreadable);
                served.Verdict = VerdictOf(served);
                return served;
            }
            var leaf = served.Certificates[0];
            served.Subject = leaf.Subject;
            served.KeyAlgorithm = leaf.KeyAlgorithm;
            served.Issuer = leaf.Issuer;
            served.NotAfter = leaf.NotAfter;
            served.DaysUntilExpiry = leaf.DaysUntilExpiry;

            var request = new ChainValidationRequest(leaf) { Purpose = ValidationPurpose.ServerAuth, TrustedRoots = options.TrustedRoots };
            foreach (var c in served.Certificates.Skip(1).Concat(options.Intermediates)) request.Intermediates.Add(c);
            HandshakeValidation.ForName(request, servedFor);
            var result = options.Online != null
                ? await OnlineChainValidator.ValidateAsync(request, options.Online, ct).ConfigureAwait(false)
                : ChainValidator.Validate(request, ct);
            served.Revocation = result.Revocation;
            served.CompletedFromAia = result.CompletedFromAia;
            served.IsValid = result.IsValid && unreadable.Count == 0;
            served.ValidationFailures.AddRange(result.Failures.Select(f => new ChainProblem
            {
                Check = f.Check, Subject = f.Certificate?.Subject, Message = f.Message,
            }));
            served.ValidationFailures.AddRange(unreadable);
            served.ValidationWarnings.AddRange(result.Warnings.Select(w => new ChainProblem { Check = w.Check, Subject = w.Certificate?.Subject, Message = w.Message }));
            if (served.IsValid && result.Chain.Length > 0) served.TrustAnchor = result.Chain[result.Chain.Length - 1].Subject;
            served.Verdict = VerdictOf(served);
            return served;
        }

        private static string VerdictOf(ServedCertificateChain c) =>
            c.IsValid ? "Valid" : "Invalid: " + string.Join(", ", c.ValidationFailures.Select(f => f.Check).Distinct());

        /// <summary>A full handshake's options for the scan: no transcript, no wait for tickets, twice the probe timeout.</summary>
        private static HandshakeOptions Handshake(TlsTarget target, ScanOptions options, TlsVersion version) => new HandshakeOptions(target)
        {
            TlsVersions = new[] { version },
            Timeout = TimeSpan.FromTicks(options.Timeout.Ticks * 2),
            ConnectTimeout = options.Timeout,
            CaptureTranscript = false,
            SessionTicketWait = TimeSpan.Zero,
        };

        /// <summary>The ALPN protocols a TLS 1.3 server agrees to, one full handshake per candidate (run together).</summary>
        private static async Task<List<string>> Tls13AlpnAsync(TlsTarget target, ScanOptions options, CancellationToken ct)
        {
            var runner = new TlsClientRunner();
            var tasks = options.AlpnProtocols.Select(protocol =>
            {
                var o = Handshake(target, options, TlsVersion.Tls13);
                o.Alpn = new[] { protocol };
                return runner.HandshakeAsync(o, ct);
            }).ToList();
            var results = await Task.WhenAll(tasks).ConfigureAwait(false);
            return results.Where(x => x.Success && !string.IsNullOrEmpty(x.Alpn)).Select(x => x.Alpn!).Distinct().ToList();
        }

        /// <summary>One full TLS 1.2 handshake, then one offering its session id: <paramref name="resumed"/> gets true when the
        /// server resumed it (null when not determined). Returns the full handshake (a client-certificate request shows there).</summary>
        private static async Task<HandshakeResult?> TestResumptionAsync(TlsTarget target, ScanOptions options, List<string> warnings, Action<bool?> resumed, CancellationToken ct)
        {
            var full = await new TlsClientRunner().HandshakeAsync(Handshake(target, options, TlsVersion.Tls12), ct).ConfigureAwait(false);
            resumed(await ResumeAsync(full, target, options, warnings, ct).ConfigureAwait(false));
            return full;
        }

        private static async Task<bool?> ResumeAsync(HandshakeResult full, TlsTarget target, ScanOptions options, List<string> warnings, CancellationToken ct)
        {
            var runner = new TlsClientRunner();
            if (!full.Success)
            {
                warnings.Add("Session-id resumption not determined: the full TLS 1.2 handshake failed (" + full.Error + ").");
                return null;
            }
            if (full.SessionId == null) return false; // no session id: nothing to resume
            HandshakeResult again;
            try
            {
                var resume = Handshake(target, options, TlsVersion.Tls12);
                resume.ResumeSession = full;
                again = await runner.HandshakeAsync(resume, ct).ConfigureAwait(false);
            }
            catch (TlsToolsException e) when (e.Kind == ErrorKind.InvalidArgument)
            {
                return false; // the session is not resumable
            }
            if (!again.Success)
            {
                warnings.Add("Session-id resumption not determined: the resuming TLS 1.2 handshake failed (" + again.Error + ").");
                return null;
            }
            return again.Resumed;
        }
    }
}
