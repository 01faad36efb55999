using System;
using System.Linq;
using Org.BouncyCastle.Tls;
using TlsTools.Net;

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
            public TlsTarget Target = null!;

            public string? Sni => Target.ServerName;

            public static Plan From(HandshakeOptions o)
            {
                var target = o.GetTarget();
                if (o.Timeout <= TimeSpan.Zero || (o.ConnectTimeout.HasValue && o.ConnectTimeout.Value <= TimeSpan.Zero))
                    throw new TlsToolsException(ErrorIds.InvalidTimeout, ErrorKind.InvalidArgument, "Timeouts must be positive.");
                if (o.ClientCertificate != null && !o.ClientCertificate.HasPrivateKey)
                    throw new TlsToolsException(ErrorIds.ClientCertificateHasNoKey, ErrorKind.InvalidArgument,
                        "The client certificate '" + o.ClientCertificate.Subject + "' carries no private key; read it with its key to use it.");
                var p = new Plan { Target = target };
                var versions = (o.TlsVersions == null || o.TlsVersions.Count == 0 ? new[] { TlsVersion.Tls12, TlsVersion.Tls13 } : o.TlsVersions.ToArray())
                    .Distinct().OrderByDescending(v => v).ToArray();
                p.Versions = versions.Select(ToBc).ToArray();
                if (o.ResumeSession != null)
                {
                    if (o.ResumeSession.TlsVersion == TlsVersion.Tls13)
                        throw new TlsToolsException(ErrorIds.Tls13ResumptionUnsupported, ErrorKind.NotImplemented,
                            "TLS 1.3 sessions cannot be resumed: BouncyCastle 2.7.0 parses the server's NewSessionTicket and discards it, so there is no ticket to offer.");
                    if (o.ResumeSession.Session == null || !o.ResumeSession.Session.IsResumable)
                        throw new TlsToolsException(ErrorIds.SessionNotResumable, ErrorKind.InvalidArgument,
                            "The earlier handshake left no resumable session (it failed, or the server gave no session id).");
                }
                if (o.CipherSuites != null && o.CipherSuites.Count > 0)
                    p.Suites = o.CipherSuites.Select(TlsRegistry.CipherSuites.Parse).ToArray();
                if (o.NamedGroups != null && o.NamedGroups.Count > 0)
                    p.Groups = o.NamedGroups.Select(TlsRegistry.NamedGroups.Parse).ToArray();
                if (o.SignatureAlgorithms != null && o.SignatureAlgorithms.Count > 0)
                    p.Schemes = o.SignatureAlgorithms.Select(TlsRegistry.SignatureSchemes.Parse).ToArray();
                return p;
            }

            private static ProtocolVersion ToBc(TlsVersion v) => TlsRegistry.Versions.ToBouncyCastle(v);
        }
    }
}
