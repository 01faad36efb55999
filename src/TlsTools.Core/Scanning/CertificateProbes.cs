using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using TlsTools.Formats;
using TlsTools.Scanning.Wire;
using TlsTools.Tls;

namespace TlsTools.Scanning
{
    /// <summary>
    /// One kind of server key a certificate can carry, and how a client makes a server present a certificate with that key:
    /// in TLS ≤ 1.2 by the suites' authentication, the supported_groups (an ECDSA certificate's curve must be listed) and the
    /// signature_algorithms; in TLS 1.3 by the signature_algorithms alone (each scheme names one key type and curve).
    /// </summary>
    internal sealed class ServerKeyType
    {
        private ServerKeyType(string name, string authentication, int? curve, int[]? tls12Schemes, string[] tls13Schemes, Func<string, bool> matches)
        {
            Name = name;
            Authentication = authentication;
            Curve = curve;
            Tls12Schemes = tls12Schemes;
            Tls13Schemes = tls13Schemes;
            Matches = matches;
        }

        /// <summary>For messages: RSA, RSA-PSS, ECDSA P-256, Ed25519...</summary>
        public string Name { get; }

        /// <summary>The cipher suites' authentication (<see cref="CipherSuiteInfo.Authentication"/>) this key serves in TLS ≤ 1.2.</summary>
        public string Authentication { get; }

        /// <summary>The named group of an ECDSA key's curve (TLS ≤ 1.2 supported_groups must list it); null otherwise.</summary>
        public int? Curve { get; }

        /// <summary>The TLS 1.2 signature_algorithms that select this key; null: every scheme except those of other key types.</summary>
        public int[]? Tls12Schemes { get; }

        /// <summary>The TLS 1.3 signature schemes (IANA names) only this key type can sign with.</summary>
        public string[] Tls13Schemes { get; }

        /// <summary>Whether a <see cref="Pki.Certificate.KeyAlgorithm"/> (Rsa2048, EcdsaP256, Ed25519) is of this type (read by
        /// <see cref="KeyFamily"/>, the one reader of those words).</summary>
        public Func<string, bool> Matches { get; }

        private static readonly int[] EdDsa = { 0x0807, 0x0808 };
        private static readonly int[] RsaPss = { 0x0809, 0x080A, 0x080B };

        public static readonly ServerKeyType Rsa = new ServerKeyType("RSA", "RSA", null, null,
            new[] { "rsa_pss_rsae_sha256", "rsa_pss_rsae_sha384", "rsa_pss_rsae_sha512" }, k => KeyFamily.Of(k) == KeyFamily.Rsa);

        /// <summary>RSA keys restricted to RSASSA-PSS (id-RSASSA-PSS certificates): their own schemes select them.</summary>
        public static readonly ServerKeyType RsaPssOnly = new ServerKeyType("RSA-PSS", "RSA", null, RsaPss,
            new[] { "rsa_pss_pss_sha256", "rsa_pss_pss_sha384", "rsa_pss_pss_sha512" }, k => KeyFamily.Of(k) == KeyFamily.Rsa);

        public static readonly ServerKeyType EcdsaP256 = new ServerKeyType("ECDSA P-256", "ECDSA", 23, null, new[] { "ecdsa_secp256r1_sha256" }, k => KeyFamily.Curve(k)?.Code == 23);
        public static readonly ServerKeyType EcdsaP384 = new ServerKeyType("ECDSA P-384", "ECDSA", 24, null, new[] { "ecdsa_secp384r1_sha384" }, k => KeyFamily.Curve(k)?.Code == 24);
        public static readonly ServerKeyType EcdsaP521 = new ServerKeyType("ECDSA P-521", "ECDSA", 25, null, new[] { "ecdsa_secp521r1_sha512" }, k => KeyFamily.Curve(k)?.Code == 25);
        public static readonly ServerKeyType Ed25519 = new ServerKeyType("Ed25519", "ECDSA", null, new[] { 0x0807 }, new[] { "ed25519" }, k => KeyFamily.Of(k) == KeyFamily.Ed25519);
        public static readonly ServerKeyType Ed448 = new ServerKeyType("Ed448", "ECDSA", null, new[] { 0x0808 }, new[] { "ed448" }, k => KeyFamily.Of(k) == KeyFamily.Ed448);

        /// <summary>Every key type probed, RSA first (RSA-PSS-only last: its key algorithm reads as RSA too).</summary>
        public static readonly IReadOnlyList<ServerKeyType> All = new[] { Rsa, EcdsaP256, EcdsaP384, EcdsaP521, Ed25519, Ed448, RsaPssOnly };

        /// <summary>The key type of a certificate's <see cref="Pki.Certificate.KeyAlgorithm"/>; null for others (DSA, unreadable).</summary>
        public static ServerKeyType? Of(string? keyAlgorithm) => keyAlgorithm == null ? null : All.FirstOrDefault(t => t.Matches(keyAlgorithm));

        /// <summary>The TLS 1.2 signature_algorithms for a probe that selects this key type.</summary>
        internal int[] Tls12SchemesFrom(IEnumerable<int> all) =>
            Tls12Schemes ?? all.Where(s => !EdDsa.Contains(s) && !RsaPss.Contains(s)).ToArray();

        /// <summary>The key algorithm of a DER certificate's public key (<see cref="Pki.Certificate.KeyAlgorithm"/>); null when unreadable.</summary>
        internal static string? KeyAlgorithmOf(byte[] der)
        {
            try { return PkiReader.ReadCertificates(der).First().KeyAlgorithm; }
            catch (TlsToolsException) { return null; }
        }

        public override string ToString() => Name;
    }

    public static partial class TlsServerScanner
    {
        private sealed partial class Scan
        {
            /// <summary>
            /// Asks the server for a certificate of each key type the accepted suites make plausible, with
            /// and without SNI (TLS ≤ 1.2, where the Certificate message is plaintext): a dual-certificate server shows both
            /// chains. The probes run together; every chain found is merged into the profile.
            /// </summary>
            private async Task<List<(ProbeResult Result, string? Sni)>> CertificateProbesAsync(ServerProfile profile)
            {
                var probes = new List<Task<(ProbeResult, string?)>>();
                var version = profile.TlsVersions.Where(v => v != TlsVersion.Tls13).Select(v => (TlsVersion?)v).LastOrDefault();
                if (version == null) return new List<(ProbeResult, string?)>();
                var accepted = profile.CipherSuites.Where(s => s.TlsVersion == version).Select(s => TlsRegistry.CipherSuites.Get(s.Code)).ToList();
                bool tls12 = version == TlsVersion.Tls12;
                foreach (var type in ServerKeyType.All)
                {
                    var suites = accepted.Where(s => s.Authentication == type.Authentication && (type != ServerKeyType.RsaPssOnly || s.IsEphemeralSigned))
                        .Select(s => s.Code).ToList();
                    if (suites.Count == 0 || !Plausible(type, tls12)) continue;
                    foreach (var sni in _target.ServerName == null ? new[] { false } : new[] { true, false })
                    {
                        var spec = Spec(version.Value, suites, sni);
                        if (type.Curve != null) spec.NamedGroups = new[] { type.Curve.Value, 29, 30 }; // the curve, and groups no certificate has
                        if (tls12) spec.SignatureSchemes = type.Tls12SchemesFrom(AllSchemes);
                        probes.Add(ProbeForChainAsync(spec, type, sni ? _target.ServerName : null));
                    }
                }
                return (await Task.WhenAll(probes).ConfigureAwait(false)).ToList();
            }

            private async Task<(ProbeResult, string?)> ProbeForChainAsync(ClientHelloSpec spec, ServerKeyType type, string? sni) =>
                (await ProbeAsync(spec, true, "certificate (" + type.Name + ")", MaxCertificateBytes).ConfigureAwait(false), sni);

            /// <summary>A key type worth a probe: suites of its authentication were accepted (the caller checks), and the version
            /// can select it (EdDSA and RSA-PSS keys need TLS 1.2 signature_algorithms). The signature schemes the enumeration saw
            /// are no guide: a dual-certificate server signs with one key while the other's schemes are still offered.</summary>
            private static bool Plausible(ServerKeyType type, bool tls12) => type.Tls12Schemes == null || tls12;

            /// <summary>
            /// Gives each TLS ≤ 1.2 chain its key algorithm and the suites and versions its key can serve: suites authenticated by
            /// RSA to RSA chains, by ECDSA to ECDSA and EdDSA chains (TLS 1.3 suites are added by the report's TLS 1.3 handshakes).
            /// </summary>
            private static void DescribeChains(ServerProfile profile)
            {
                foreach (var chain in profile.CertificateChains)
                {
                    chain.KeyAlgorithm = chain.Certificates.Count > 0 ? ServerKeyType.KeyAlgorithmOf(chain.Certificates[0]) : null;
                    var type = ServerKeyType.Of(chain.KeyAlgorithm);
                    if (type == null) continue;
                    foreach (var s in profile.CipherSuites.Where(s => s.TlsVersion != TlsVersion.Tls13 && s.Authentication == type.Authentication))
                        chain.Serve(s.TlsVersion, s.Name);
                }
            }

            /// <summary>The named group of the first probe's leaf when it is an ECDSA key (a TLS 1.2 group probe must list it).</summary>
            private static int? LeafCurve(ProbeResult first)
            {
                var certs = first.Flight?.Certificates;
                if (certs == null || certs.Count == 0) return null;
                return ServerKeyType.Of(ServerKeyType.KeyAlgorithmOf(certs[0]))?.Curve;
            }
        }
    }
}
