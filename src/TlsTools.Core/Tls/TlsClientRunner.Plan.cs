using System;
using System.Linq;
using System.Net;
using Org.BouncyCastle.Tls;

namespace TlsTools.Tls
{
    public sealed partial class TlsClientRunner
    {
        /// <summary>Options checked and turned into BouncyCastle values once.</summary>
        internal sealed class Plan
        {
            public ProtocolVersion[] Versions = Array.Empty<ProtocolVersion>();
            public int[]? Suites;
            public int[]? Groups;
            public int[]? Schemes;
            public string? Sni;

            public static Plan From(HandshakeOptions o)
            {
                if (string.IsNullOrWhiteSpace(o.HostName))
                    throw new TlsToolsException("HostNameRequired", ErrorKind.InvalidArgument, "A host name or IP address is required.");
                if (o.Port < 1 || o.Port > 65535)
                    throw new TlsToolsException("InvalidPort", ErrorKind.InvalidArgument, "Port " + o.Port + " is not between 1 and 65535.");
                if (o.Timeout <= TimeSpan.Zero || (o.ConnectTimeout.HasValue && o.ConnectTimeout.Value <= TimeSpan.Zero))
                    throw new TlsToolsException("InvalidTimeout", ErrorKind.InvalidArgument, "Timeouts must be positive.");
                if (o.ClientCertificate != null && !o.ClientCertificate.HasPrivateKey)
                    throw new TlsToolsException("ClientCertificateHasNoKey", ErrorKind.InvalidArgument,
                        "The client certificate '" + o.ClientCertificate.Subject + "' carries no private key; read it with its key to use it.");
                var p = new Plan();
                var versions = (o.TlsVersions == null || o.TlsVersions.Count == 0 ? new[] { TlsVersion.Tls12, TlsVersion.Tls13 } : o.TlsVersions.ToArray())
                    .Distinct().OrderByDescending(v => v).ToArray();
                p.Versions = versions.Select(ToBc).ToArray();
                if (o.ResumeSession != null)
                {
                    if (o.ResumeSession.TlsVersion == TlsVersion.Tls13)
                        throw new TlsToolsException("Tls13ResumptionUnsupported", ErrorKind.NotImplemented,
                            "TLS 1.3 sessions cannot be resumed: BouncyCastle 2.7.0 parses the server's NewSessionTicket and discards it, so there is no ticket to offer.");
                    if (o.ResumeSession.Session == null || !o.ResumeSession.Session.IsResumable)
                        throw new TlsToolsException("SessionNotResumable", ErrorKind.InvalidArgument,
                            "The earlier handshake left no resumable session (it failed, or the server gave no session id).");
                }
                if (o.CipherSuites != null && o.CipherSuites.Count > 0)
                    p.Suites = o.CipherSuites.Select(TlsNames.ParseCipherSuite).ToArray();
                if (o.NamedGroups != null && o.NamedGroups.Count > 0)
                    p.Groups = o.NamedGroups.Select(TlsNames.ParseGroup).ToArray();
                if (o.SignatureAlgorithms != null && o.SignatureAlgorithms.Count > 0)
                    p.Schemes = o.SignatureAlgorithms.Select(TlsNames.ParseScheme).ToArray();
                if (o.ServerName != null)
                    p.Sni = o.ServerName.Length == 0 ? null : o.ServerName;
                else
                    p.Sni = IPAddress.TryParse(o.HostName, out _) ? null : o.HostName.TrimEnd('.');
                return p;
            }

            private static ProtocolVersion ToBc(TlsVersion v) => v switch
            {
                TlsVersion.Ssl30 => ProtocolVersion.SSLv3,
                TlsVersion.Tls10 => ProtocolVersion.TLSv10,
                TlsVersion.Tls11 => ProtocolVersion.TLSv11,
                TlsVersion.Tls12 => ProtocolVersion.TLSv12,
                TlsVersion.Tls13 => ProtocolVersion.TLSv13,
                _ => throw new TlsToolsException("UnknownTlsVersion", ErrorKind.InvalidArgument, "Unknown TLS version " + v + "."),
            };
        }
    }
}
