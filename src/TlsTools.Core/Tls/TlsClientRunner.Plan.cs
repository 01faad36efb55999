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
                p.Versions = NewestFirst(o.TlsVersions);
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

            /// <summary>
            /// The versions asked for (TLS 1.3 and 1.2 when none), each once, newest first. A loop over the five versions
            /// rather than LINQ over the enum: this runs in every handshake, and LINQ over a value type is generic code the
            /// JIT compiles in each new session (issue 16: the first call of a session).
            /// </summary>
            private static ProtocolVersion[] NewestFirst(System.Collections.Generic.IList<TlsVersion>? asked)
            {
                bool none = asked == null || asked.Count == 0;
                int count = 0;
                var chosen = new bool[(int)TlsVersion.Tls13 + 1];
                for (int i = 0; !none && i < asked!.Count; i++)
                {
                    int v = (int)asked[i];
                    if (v < 0 || v >= chosen.Length) TlsRegistry.Versions.ToBouncyCastle(asked[i]); // throws UnknownTlsVersion
                    if (!chosen[v]) count++;
                    chosen[v] = true;
                }
                if (none)
                {
                    chosen[(int)TlsVersion.Tls13] = chosen[(int)TlsVersion.Tls12] = true;
                    count = 2;
                }
                var versions = new ProtocolVersion[count];
                int n = 0;
                for (int v = chosen.Length - 1; v >= 0; v--)
                {
                    if (chosen[v]) versions[n++] = TlsRegistry.Versions.ToBouncyCastle((TlsVersion)v);
                }
                return versions;
            }
        }
    }
}
