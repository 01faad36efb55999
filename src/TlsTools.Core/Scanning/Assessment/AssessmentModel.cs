using System.Collections.Generic;
using TlsTools.Tls;

namespace TlsTools.Scanning
{
    /// <summary>How much a finding matters (ordered: Info lowest, Critical highest).</summary>
    public enum FindingSeverity
    {
        Info = 0,
        Low = 1,
        Medium = 2,
        High = 3,
        Critical = 4,
    }

    /// <summary>
    /// One thing an assessment found wrong with a server, or one check it could not make. A check that was made and found
    /// nothing is not a finding: its Id is listed in <see cref="ServerProfileReport.PassedChecks"/>. A check that could not be
    /// made is a finding with <see cref="Tested"/> false and the reason in <see cref="Evidence"/>: never a pass.
    /// </summary>
    public sealed class Finding
    {
        /// <summary>A stable name from <see cref="FindingIds"/>, e.g. Heartbleed, Sweet32, CertificateExpired.</summary>
        public string Id { get; set; } = "";

        public FindingSeverity Severity { get; set; }

        /// <summary>One line for people, e.g. "3DES suites enabled (SWEET32)".</summary>
        public string Title { get; set; } = "";

        /// <summary>What was observed, one entry per version/suite/certificate where it applies; for an untested check, why it
        /// was not tested.</summary>
        public List<string> Evidence { get; set; } = new List<string>();

        /// <summary>The CVE (or CVEs, comma-separated) where one exists; null otherwise.</summary>
        public string? Cve { get; set; }

        /// <summary>False when the check could not be made (then <see cref="Evidence"/> says why).</summary>
        public bool Tested { get; set; } = true;

        public override string ToString() => (Tested ? Severity.ToString() : "NotTested") + " " + Id + ": " + Title;
    }

    /// <summary>The stable Ids of <see cref="Finding"/>s (users' scripts filter on them; never rename one).</summary>
    public static class FindingIds
    {
        // Protocol versions.
        public const string SSLv2 = "SSLv2";
        public const string SSLv3 = "SSLv3";
        public const string TLS10 = "TLS10";
        public const string TLS11 = "TLS11";

        // Cipher suites and key exchange.
        public const string RC4 = "RC4";
        public const string Sweet32 = "Sweet32";
        public const string ExportSuites = "ExportSuites";
        public const string AnonymousSuites = "AnonymousSuites";
        public const string NullSuites = "NullSuites";
        public const string WeakDhGroup = "WeakDhGroup";
        public const string NoForwardSecrecy = "NoForwardSecrecy";
        public const string Beast = "Beast";

        // Protocol features and implementation flaws.
        public const string Crime = "Crime";
        public const string NoSecureRenegotiation = "NoSecureRenegotiation";
        public const string ClientRenegotiation = "ClientRenegotiation";
        public const string NoFallbackScsv = "NoFallbackScsv";
        public const string Heartbleed = "Heartbleed";
        public const string CcsInjection = "CcsInjection";

        // Certificates.
        public const string CertificateExpired = "CertificateExpired";
        public const string CertificateExpiring = "CertificateExpiring";
        public const string CertificateNotYetValid = "CertificateNotYetValid";
        public const string WeakKey = "WeakKey";
        public const string WeakSignature = "WeakSignature";
        public const string HostnameMismatch = "HostnameMismatch";
        public const string IncompleteChain = "IncompleteChain";
        public const string UntrustedCertificate = "UntrustedCertificate";
        public const string NoOcspStapling = "NoOcspStapling";
    }

    /// <summary>What TLS 1.3 NewSessionTicket messages a server sent after one full handshake.</summary>
    public sealed class Tls13SessionTicketInfo
    {
        /// <summary>Tickets received after one full handshake (0: the server sends none).</summary>
        public int Count { get; set; }

        /// <summary>The largest ticket_lifetime of those tickets, in seconds; null when none was sent.</summary>
        public long? LifetimeSeconds { get; set; }

        /// <summary>A ticket carried the early_data extension (0-RTT allowed on resumption); null when none was sent.</summary>
        public bool? EarlyData { get; set; }

        /// <summary>The max_early_data_size the server allows; null when no ticket allowed early data.</summary>
        public long? MaxEarlyDataSize { get; set; }

        public override string ToString() => Count + " ticket(s)" + (LifetimeSeconds != null ? ", lifetime " + LifetimeSeconds + " s" : "")
            + (EarlyData == true ? ", early data" : "");
    }

    /// <summary>A CertificateRequest the server sent: it asks (or demands) a client certificate.</summary>
    public sealed class ClientCertificateRequest
    {
        /// <summary>The version of the handshake that carried the request.</summary>
        public TlsVersion TlsVersion { get; set; }

        /// <summary>True when the handshake failed once no certificate was sent; false when it went on without one; null when not
        /// determined.</summary>
        public bool? Required { get; set; }

        /// <summary>The certificate_authorities the server named (distinguished names, RFC 4514), in its order; empty when it
        /// named none.</summary>
        public List<string> CertificateAuthorities { get; set; } = new List<string>();

        /// <summary>The signature schemes the server accepts from the client (IANA names), in its order.</summary>
        public List<string> SignatureAlgorithms { get; set; } = new List<string>();

        public override string ToString() => (Required == true ? "required" : Required == false ? "optional" : "requested")
            + ", " + CertificateAuthorities.Count + " CA name(s)";
    }

    /// <summary>The server configuration guidelines -Policy checks against.</summary>
    public enum TlsPolicy
    {
        MozillaModern,
        MozillaIntermediate,
        MozillaOld,
    }

    /// <summary>One way a server differs from a policy.</summary>
    public sealed class PolicyDeviation
    {
        /// <summary>What the rule is about, named after the report property it reads where there is one: TlsVersions,
        /// CipherSuites, NamedGroups, OcspStapling, and the certificate rules.</summary>
        public string Area { get; set; } = "";

        /// <summary>What the policy asks for.</summary>
        public string Expected { get; set; } = "";

        /// <summary>What the server does.</summary>
        public string Actual { get; set; } = "";

        public override string ToString() => Area + ": expected " + Expected + "; found " + Actual;
    }

    /// <summary>The verdict of -Policy: the server against one published configuration guideline.</summary>
    public sealed class PolicyCompliance
    {
        /// <summary>MozillaModern, MozillaIntermediate or MozillaOld.</summary>
        public string Policy { get; set; } = "";

        /// <summary>The version of the guidelines the rules come from, e.g. "5.7".</summary>
        public string GuidelineVersion { get; set; } = "";

        public bool Compliant { get; set; }

        public List<PolicyDeviation> Deviations { get; set; } = new List<PolicyDeviation>();

        public override string ToString() => Policy + " " + GuidelineVersion + ": " + (Compliant ? "compliant" : Deviations.Count + " deviation(s)");
    }
}
