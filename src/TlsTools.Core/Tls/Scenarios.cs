using System;
using System.Collections.Generic;
using TlsTools.Pki;
using TlsTools.Validation;
using PkiCertificate = TlsTools.Pki.Certificate;

namespace TlsTools.Tls
{
    /// <summary>Known-bad (and one good) endpoints, "badssl in a box", each with a throwaway PKI of its own.</summary>
    public enum TlsScenario
    {
        Valid,
        Expired,
        NotYetValid,
        WrongHost,
        SelfSigned,
        UntrustedRoot,
        IncompleteChain,
        Revoked,
        WeakKey,
        Sha1Signature,
        Tls10Only,
        ClientCertificateRequired,
        RevokedOcspStaple,
        // Finding scenarios: a scripted vulnerable server (VulnerableScenarios) answers; keep them last (IsScripted).
        Sslv2,
        LegacyProtocols,
        WeakCiphers,
        Heartbleed,
        CcsInjection,
        Compression,
        InsecureRenegotiation,
    }

    /// <summary>
    /// Everything a scenario server needs, and what a client needs to see the intended failure and nothing else:
    /// the root to trust, the CRL to check, a client certificate, and the verdict a correct client reaches.
    /// </summary>
    public sealed class ScenarioKit
    {
        internal ScenarioKit(TlsScenario scenario, string hostName, TlsServerOptions server, PkiCertificate trustedRoot,
            string expectedCheck, string description)
        {
            Scenario = scenario;
            HostName = hostName;
            ServerOptions = server;
            TrustedRoot = trustedRoot;
            ExpectedCheck = expectedCheck;
            Description = description;
        }

        public TlsScenario Scenario { get; }

        /// <summary>The name the client should ask for (SNI and host-name check).</summary>
        public string HostName { get; }

        public TlsServerOptions ServerOptions { get; }

        /// <summary>The root a client should trust for this scenario (so that only the intended fault shows).</summary>
        public PkiCertificate TrustedRoot { get; }

        /// <summary>A CRL of the issuing CA (it lists the server's certificate in the Revoked scenario).</summary>
        public CertificateRevocationList? Crl { get; internal set; }

        /// <summary>A client certificate with its key that the server accepts (ClientCertificateRequired).</summary>
        public PkiCertificate? ClientCertificate { get; internal set; }

        /// <summary>
        /// What a correct client reports: a chain-validation check name (Expired, HostnameMismatch, ...), a TLS alert
        /// name (protocol_version, certificate_required), or "Valid".
        /// </summary>
        public string ExpectedCheck { get; }

        public string Description { get; }
    }

    /// <summary>Builds the throwaway PKI and server options for each <see cref="TlsScenario"/>.</summary>
    public static class ScenarioFactory
    {
        public const string DefaultHostName = "scenario.tlstools.test";

        /// <summary>Makes the scenario's PKI and starts its server on 127.0.0.1 (port 0: a free one).</summary>
        public static TlsServerHost StartServer(TlsScenario scenario, string? hostName = null, int port = 0)
        {
            var kit = Create(scenario, hostName);
            kit.ServerOptions.Port = port;
            var host = TlsServerHost.Start(kit.ServerOptions);
            host.Scenario = kit;
            return host;
        }

        public static ScenarioKit Create(TlsScenario scenario, string? hostName = null)
        {
            var host = string.IsNullOrWhiteSpace(hostName) ? DefaultHostName : hostName!.Trim();
            var root = Issuance.CreateCa(new CertificateOptions { Subject = "CN=TlsTools Scenario Root (" + scenario + "), O=TlsTools Scenarios" },
                KeyFactory.Generate(KeyAlgorithm.EcdsaP256), null);
            var issuing = Issuance.CreateCa(new CertificateOptions { Subject = "CN=TlsTools Scenario Issuing CA (" + scenario + "), O=TlsTools Scenarios", PathLength = 0 },
                KeyFactory.Generate(KeyAlgorithm.EcdsaP256), root);
            var now = DateTime.UtcNow;
            // The leaf names the host (a DNS name, or an IP address such as ::1) and both loopback addresses the server listens on.
            bool hostIsIp = System.Net.IPAddress.TryParse(host.Trim('[', ']'), out var hostIp) && (host.IndexOf(':') >= 0 || host.Split('.').Length == 4);
            if (hostIsIp) host = hostIp!.ToString();
            else
            {
                try
                {
                    Issuance.GeneralNamesOf(new[] { host }, Array.Empty<string>(), Array.Empty<string>());
                }
                catch (TlsToolsException e) when (e.ErrorId == ErrorIds.InvalidDnsName)
                {
                    // In the words of Start-TlsServer, whose -HostName takes both (it has no -IpAddress).
                    throw new TlsToolsException(ErrorIds.InvalidDnsName, ErrorKind.InvalidArgument,
                        "-HostName '" + host + "' is neither a DNS name nor an IP address; the scenario's certificate is made for it.", e, host);
                }
            }
            var leafOptions = new CertificateOptions { Subject = "CN=" + host, ValidityDays = 30 };
            if (!hostIsIp) leafOptions.DnsNames.Add(host);
            foreach (var loopback in new[] { "127.0.0.1", "::1", host })
                if ((loopback != host || hostIsIp) && !leafOptions.IpAddresses.Contains(loopback)) leafOptions.IpAddresses.Add(loopback);
            var leafKey = KeyFactory.Generate(KeyAlgorithm.EcdsaP256);
            PkiCertificate? leaf = null;
            IList<PkiCertificate> chain = new List<PkiCertificate> { issuing };
            var trusted = root;
            var options = new TlsServerOptions();
            string expected = "Valid";
            string description;
            CertificateRevocationList? crl = null;
            PkiCertificate? clientCertificate = null;

            switch (scenario)
            {
                case TlsScenario.Valid:
                    description = "a valid chain for the host name: the baseline";
                    break;
                case TlsScenario.Expired:
                    leafOptions.ValidityDays = null;
                    leafOptions.NotBefore = now.AddDays(-60);
                    leafOptions.NotAfter = now.AddDays(-30);
                    expected = ValidationCheck.Expired;
                    description = "the server certificate expired 30 days ago";
                    break;
                case TlsScenario.NotYetValid:
                    leafOptions.ValidityDays = null;
                    leafOptions.NotBefore = now.AddDays(30);
                    leafOptions.NotAfter = now.AddDays(60);
                    expected = ValidationCheck.NotYetValid;
                    description = "the server certificate becomes valid in 30 days";
                    break;
                case TlsScenario.WrongHost:
                    leafOptions.Subject = "CN=wrong-host.tlstools.test";
                    leafOptions.DnsNames = new List<string> { "wrong-host.tlstools.test" };
                    leafOptions.IpAddresses = new List<string>();
                    expected = ValidationCheck.HostnameMismatch;
                    description = "the certificate names wrong-host.tlstools.test only";
                    break;
                case TlsScenario.SelfSigned:
                    leaf = Issuance.CreateLeaf(leafOptions, null, null, leafKey);
                    chain = new List<PkiCertificate>();
                    expected = ValidationCheck.SelfSigned;
                    description = "the server presents a self-signed certificate";
                    break;
                case TlsScenario.UntrustedRoot:
                    trusted = Issuance.CreateCa(new CertificateOptions { Subject = "CN=TlsTools Scenario Other Root, O=TlsTools Scenarios" },
                        KeyFactory.Generate(KeyAlgorithm.EcdsaP256), null);
                    chain = new List<PkiCertificate> { issuing, root };
                    expected = ValidationCheck.UntrustedRoot;
                    description = "the server sends its whole chain, up to a root the client does not trust";
                    break;
                case TlsScenario.IncompleteChain:
                    chain = new List<PkiCertificate>();
                    expected = ValidationCheck.MissingIssuer;
                    description = "the server sends its certificate without the issuing CA";
                    break;
                case TlsScenario.Revoked:
                    expected = ValidationCheck.Revoked;
                    description = "the issuing CA's CRL lists the server certificate";
                    break;
                case TlsScenario.WeakKey:
                    leafKey = KeyFactory.GenerateRsa(1024);
                    expected = ValidationCheck.WeakKey;
                    description = "the server certificate has an RSA-1024 key";
                    break;
                case TlsScenario.Sha1Signature:
                    leafOptions.SignatureAlgorithm = "SHA1WITHECDSA";
                    expected = ValidationCheck.WeakAlgorithm;
                    description = "the server certificate is signed with SHA-1";
                    break;
                case TlsScenario.Tls10Only:
                    options.TlsVersions = new List<TlsVersion> { TlsVersion.Tls10 };
                    expected = "protocol_version";
                    description = "the server speaks TLS 1.0 only";
                    break;
                case TlsScenario.ClientCertificateRequired:
                    var clientCa = Issuance.CreateCa(new CertificateOptions { Subject = "CN=TlsTools Scenario Client CA, O=TlsTools Scenarios" },
                        KeyFactory.Generate(KeyAlgorithm.EcdsaP256), null);
                    clientCertificate = Issuance.CreateLeaf(new CertificateOptions { Subject = "CN=scenario-client", Profile = CertificateProfile.Client },
                        clientCa, null, KeyFactory.Generate(KeyAlgorithm.EcdsaP256));
                    options.RequireClientCertificate = true;
                    options.TrustedRoots = new List<PkiCertificate> { clientCa };
                    expected = "certificate_required";
                    description = "the server refuses clients without a certificate from its client CA";
                    break;
                case TlsScenario.RevokedOcspStaple:
                    expected = ValidationCheck.Revoked;
                    description = "the server staples an OCSP response, signed by its issuing CA, saying its certificate is revoked (the CRL does not list it)";
                    break;
                case var _ when VulnerableScenarios.IsScripted(scenario):
                    leafKey = KeyFactory.GenerateRsa(2048);
                    VulnerablePersonality personality;
                    (personality, expected, description) = VulnerableScenarios.For(scenario);
                    options.Personality = personality;
                    break;
                default:
                    throw new TlsToolsException(ErrorIds.UnknownScenario, ErrorKind.InvalidArgument, "Unknown scenario '" + scenario + "'.");
            }

            leaf ??= Issuance.CreateLeaf(leafOptions, issuing, null, leafKey);
            crl = Issuance.CreateCrl(issuing, scenario == TlsScenario.Revoked
                ? new[] { (leaf.SerialNumber, now.AddMinutes(-5), (RevocationReason?)RevocationReason.KeyCompromise) }
                : Array.Empty<(string, DateTime, RevocationReason?)>());
            options.Certificate = leaf;
            options.Chain = chain;
            if (scenario == TlsScenario.RevokedOcspStaple)
                options.OcspResponse = Revocation.OcspResponseBuilder.Build(new Revocation.OcspResponseOptions
                {
                    Certificate = leaf, Issuer = issuing, Status = Revocation.RevocationStatus.Revoked,
                    RevocationReason = RevocationReason.KeyCompromise, RevocationTime = now.AddMinutes(-5),
                }).GetRawData();
            return new ScenarioKit(scenario, host, options, trusted, expected, description)
            {
                Crl = crl,
                ClientCertificate = clientCertificate,
            };
        }
    }
}
