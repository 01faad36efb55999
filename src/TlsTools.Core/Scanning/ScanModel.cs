using TlsTools.Tls;
using System;
using System.Collections.Generic;
using TlsTools.Net;

namespace TlsTools.Scanning
{
    /// <summary>What to scan and how hard.</summary>
    public sealed class ScanOptions
    {
        public ScanOptions()
        {
        }

        public ScanOptions(TlsTarget target) => Target = target ?? throw new ArgumentNullException(nameof(target));

        /// <summary>Where to connect and the SNI the probes send. When null, <see cref="HostName"/>, <see cref="Port"/> and
        /// <see cref="ServerName"/> make it (<see cref="TlsTarget.Create"/>).</summary>
        public TlsTarget? Target { get; set; }

        /// <summary>Shorthand for <see cref="Target"/> (used only while Target is null): a DNS name or an IP literal, no port.</summary>
        public string HostName { get; set; } = "";

        /// <summary>Shorthand for <see cref="Target"/>, with <see cref="HostName"/>.</summary>
        public int Port { get; set; } = TlsTarget.DefaultPort;

        /// <summary>Shorthand for <see cref="Target"/>, with <see cref="HostName"/>: null sends the host name unless it is an IP
        /// literal (then no SNI); an empty string sends no SNI; a name sends that name.</summary>
        public string? ServerName { get; set; }

        /// <summary><see cref="Target"/>, or the target made from <see cref="HostName"/>, <see cref="Port"/> and <see cref="ServerName"/>.</summary>
        /// <exception cref="TlsToolsException">InvalidTarget, InvalidPort or InvalidServerName.</exception>
        public TlsTarget GetTarget() => Target ?? TlsTarget.Create(HostName, Port, ServerName);

        /// <summary>Bound on each probe (connect, send, read); also bounds name resolution. Default 5 s.</summary>
        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

        /// <summary>Parallel connections to the target (1..64). Default 8.</summary>
        public int MaxConcurrency { get; set; } = 8;

        /// <summary>-Online: chains are validated with AIA, OCSP and CRL fetching through this run; null fetches nothing.</summary>
        public TlsTools.Revocation.Online.OnlineSession? Online { get; set; }

        /// <summary>ALPN protocol ids offered one at a time (TLS ≤ 1.2 ServerHello shows the answer).</summary>
        public IList<string> AlpnProtocols { get; set; } = new List<string> { "h2", "http/1.1", "http/1.0", "spdy/3.1", "acme-tls/1" };

        /// <summary>The trust anchors the served chains are validated against; null means the default store (<see cref="Validation.SystemTrustStore"/>).</summary>
        public IList<Pki.Certificate>? TrustedRoots { get; set; }

        /// <summary>Untrusted certificates that may complete a served chain (a server that omits its intermediate).</summary>
        public IList<Pki.Certificate> Intermediates { get; set; } = new List<Pki.Certificate>();

        /// <summary>-Policy: the report also says how the server compares with this guideline (<see cref="ServerProfileReport.PolicyCompliance"/>); null checks none.</summary>
        public TlsPolicy? Policy { get; set; }
    }

    /// <summary>Progress of a running scan: probes finished so far and an estimate of the total.</summary>
    public sealed class ScanProgress
    {
        public ScanProgress(int completedProbes, int estimatedProbes, string activity)
        {
            CompletedProbes = completedProbes;
            EstimatedProbes = estimatedProbes;
            Activity = activity;
        }

        public int CompletedProbes { get; }

        /// <summary>An estimate that may grow while the scan learns what the server accepts.</summary>
        public int EstimatedProbes { get; }

        /// <summary>What the probe that just finished was testing, e.g. "TLS 1.2 cipher suites".</summary>
        public string Activity { get; }

        /// <summary>0..100, never 100 before the scan returns.</summary>
        public int PercentComplete => EstimatedProbes <= 0 ? 0 : Math.Min(99, 100 * CompletedProbes / EstimatedProbes);
    }

    /// <summary>One cipher suite accepted with one protocol version.</summary>
    public sealed class CipherSuiteEntry
    {
        public TlsVersion TlsVersion { get; set; }
        /// <summary>IANA name.</summary>
        public string Name { get; set; } = "";
        /// <summary>OpenSSL name (as sslscan prints it); null when OpenSSL has none.</summary>
        public string? OpenSslName { get; set; }
        public int Code { get; set; }
        public string KeyExchange { get; set; } = "";
        public string Authentication { get; set; } = "";
        public string Encryption { get; set; } = "";
        public string Mac { get; set; } = "";
        public int KeySize { get; set; }
        /// <summary>Rating for this suite with this version (<see cref="TlsRegistry.CipherSuites.Rate"/>).</summary>
        public CipherSuiteStrength Strength { get; set; }
        public string? StrengthReason { get; set; }

        public override string ToString() => TlsRegistry.Versions.Name(TlsVersion) + " " + Name;
    }

    /// <summary>Whether the server picks the suite by its own order, for one version.</summary>
    public sealed class CipherPreferenceEntry
    {
        public TlsVersion TlsVersion { get; set; }
        /// <summary>True: server order; false: client order; null: fewer than two suites accepted.</summary>
        public bool? ServerOrder { get; set; }
    }

    /// <summary>One named group accepted with one protocol version.</summary>
    public sealed class NamedGroupEntry
    {
        public TlsVersion TlsVersion { get; set; }
        /// <summary>IANA name, e.g. x25519, secp256r1, ffdhe2048, X25519MLKEM768.</summary>
        public string Name { get; set; } = "";
        public int Code { get; set; }

        public override string ToString() => TlsRegistry.Versions.Name(TlsVersion) + " " + Name;
    }

    /// <summary>A certificate chain as the server sent it in a TLS ≤ 1.2 Certificate message, leaf first.</summary>
    public sealed class CertificateChainEntry
    {
        /// <summary>SNI values that produced this chain (empty when only the no-SNI probe did).</summary>
        public List<string> ServerNames { get; set; } = new List<string>();

        /// <summary>The chain was also (or only) served to a ClientHello without SNI.</summary>
        public bool WithoutSni { get; set; }

        public TlsVersion TlsVersion { get; set; }

        /// <summary>DER encodings, leaf first, in the order sent (base64 strings in JSON).</summary>
        public List<byte[]> Certificates { get; set; } = new List<byte[]>();

        /// <summary>The leaf's public key (Rsa2048, EcdsaP256, Ed25519); null when the leaf cannot be read.</summary>
        public string? KeyAlgorithm { get; set; }

        /// <summary>The versions this chain's key serves, oldest first: the versions of <see cref="CipherSuites"/>.</summary>
        public List<TlsVersion> TlsVersions { get; set; } = new List<TlsVersion>();

        /// <summary>The accepted suites (IANA names) this chain's key serves: TLS ≤ 1.2 suites whose authentication is the key's
        /// (ECDHE_RSA and RSA suites for RSA, ECDHE_ECDSA for ECDSA and EdDSA), and the TLS 1.3 suites when a TLS 1.3 handshake
        /// produced the chain. Newest version first, in the order of the profile's <see cref="ServerProfile.CipherSuites"/>.</summary>
        public List<string> CipherSuites { get; set; } = new List<string>();

        /// <summary>Records that the chain serves <paramref name="suite"/> with <paramref name="version"/>.</summary>
        internal void Serve(TlsVersion version, string suite)
        {
            if (!TlsVersions.Contains(version))
            {
                TlsVersions.Add(version);
                TlsVersions.Sort();
            }
            if (!CipherSuites.Contains(suite)) CipherSuites.Add(suite);
        }
    }

    /// <summary>
    /// What a TLS server accepts, as found by <see cref="TlsServerScanner"/>. The shape is stable for JSON: property names do not
    /// change, lists are never null, and a null boolean means "not determined" (the reason is in <see cref="Warnings"/>).
    /// Lists are in a documented order: <see cref="TlsVersions"/> oldest first; <see cref="CipherSuites"/> newest version first,
    /// then in the server's order when it enforces one (see <see cref="CipherPreference"/>), otherwise by strength
    /// (Secure, Weak, Insecure), then key size (largest first), then code point; <see cref="NamedGroups"/> newest version first,
    /// then in the server's order when it enforces one, otherwise by code; <see cref="SignatureAlgorithms"/> and
    /// <see cref="AlpnProtocols"/> by the server's choice order.
    /// </summary>
    public sealed class ServerProfile
    {
        /// <summary>The target scanned, bound to the address the probes went to; null in a profile made by hand.</summary>
        public TlsTarget? Target { get; set; }

        public string HostName { get; set; } = "";
        public int Port { get; set; }
        /// <summary>The address that was scanned.</summary>
        public string IPAddress { get; set; } = "";
        /// <summary>The SNI sent by the probes; null when none was sent.</summary>
        public string? ServerName { get; set; }

        /// <summary>Versions accepted, oldest first. SSL 3.0 is probed with an SSL 3.0 ClientHello; SSL 2.0 is not probed.</summary>
        public List<TlsVersion> TlsVersions { get; set; } = new List<TlsVersion>();

        public List<CipherSuiteEntry> CipherSuites { get; set; } = new List<CipherSuiteEntry>();

        /// <summary>True when the server enforces its own suite order (checked with the highest TLS ≤ 1.2 version that accepts two
        /// or more suites, else TLS 1.3); null when no version accepts two suites.</summary>
        public bool? ServerCipherPreference { get; set; }

        /// <summary>The same per version.</summary>
        public List<CipherPreferenceEntry> CipherPreference { get; set; } = new List<CipherPreferenceEntry>();

        /// <summary>TLS 1.3: found with key_share/HelloRetryRequest (all groups). TLS 1.2: ECDHE groups only, confirmed from the
        /// ServerKeyExchange (TLS 1.2 finite-field groups are not negotiated by name by most servers and are not probed).</summary>
        public List<NamedGroupEntry> NamedGroups { get; set; } = new List<NamedGroupEntry>();

        /// <summary>The group the server picks by its own preference (TLS 1.3 if accepted, else TLS 1.2); null when it follows the
        /// client's order or no group was accepted.</summary>
        public string? PreferredNamedGroup { get; set; }

        /// <summary>Signature schemes the server signs its TLS 1.2 ServerKeyExchange with (IANA names). TLS 1.3 signatures are in
        /// the encrypted CertificateVerify and are not probed; servers without TLS 1.2 (EC)DHE leave this empty.</summary>
        public List<string> SignatureAlgorithms { get; set; } = new List<string>();

        /// <summary>Distinct certificate chains, with which SNI (or none) produced each, one probe per plausible key type (RSA,
        /// ECDSA P-256/P-384/P-521, Ed25519, Ed448, RSA-PSS). Read from TLS ≤ 1.2 handshakes only.</summary>
        public List<CertificateChainEntry> CertificateChains { get; set; } = new List<CertificateChainEntry>();

        /// <summary>RFC 5746 renegotiation_info answered (TLS ≤ 1.2).</summary>
        public bool? SecureRenegotiation { get; set; }
        /// <summary>RFC 7627 extended_master_secret answered (TLS ≤ 1.2; always on in TLS 1.3).</summary>
        public bool? ExtendedMasterSecret { get; set; }
        /// <summary>RFC 5077 SessionTicket extension answered: TLS ≤ 1.2 tickets only (TLS 1.3 tickets are the report's
        /// <see cref="ServerProfileReport.Tls13SessionTickets"/>).</summary>
        public bool? SessionTickets { get; set; }
        /// <summary>Session-id resumption needs a full handshake; left to the full-handshake client: always null here.</summary>
        public bool? SessionIdResumption { get; set; }
        /// <summary>The server stapled a successful OCSP response (a CertificateStatus message, TLS ≤ 1.2); an echoed status_request without one is false.</summary>
        public bool? OcspStapling { get; set; }
        /// <summary>TLS_FALLBACK_SCSV honoured (inappropriate_fallback for a downgraded hello); null when only one version is
        /// accepted.</summary>
        public bool? FallbackScsv { get; set; }

        /// <summary>The CertificateRequest of a TLS ≤ 1.2 probe (the server asks for a client certificate); Required is left
        /// null here (the report's full handshake decides it); null when no probe saw one.</summary>
        public ClientCertificateRequest? ClientCertificateRequested { get; set; }

        /// <summary>ALPN protocol ids the server selected when offered alone (TLS ≤ 1.2).</summary>
        public List<string> AlpnProtocols { get; set; } = new List<string>();

        /// <summary>Probes that failed (timeouts, malformed answers); the scan carried on without them.</summary>
        public List<string> Errors { get; set; } = new List<string>();
        /// <summary>Things not determined and why, and protocol oddities.</summary>
        public List<string> Warnings { get; set; } = new List<string>();

        public int ProbeCount { get; set; }
        public long ScanMilliseconds { get; set; }
    }
}
