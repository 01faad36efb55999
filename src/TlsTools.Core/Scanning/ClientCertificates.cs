using System.Linq;
using TlsTools.Scanning.Wire;
using TlsTools.Tls;

namespace TlsTools.Scanning
{
    /// <summary>Reads a server's CertificateRequest and NewSessionTicket messages into the report's shapes.</summary>
    internal static class ServerRequests
    {
        /// <summary>
        /// A CertificateRequest body: TLS ≤ 1.2 (certificate_types, TLS 1.2 signature algorithms, certificate_authorities) or
        /// TLS 1.3 (request context, extensions signature_algorithms and certificate_authorities). Required is left null.
        /// </summary>
        /// <exception cref="TlsToolsException">MalformedServerMessage (or MalformedHandshakeMessage for an odd scheme list) when the body does not parse.</exception>
        public static ClientCertificateRequest ParseCertificateRequest(byte[] body, TlsVersion version)
        {
            var r = new WireReader(body, "CertificateRequest");
            var request = new ClientCertificateRequest { TlsVersion = version };
            if (version == TlsVersion.Tls13)
            {
                r.VectorBytes(1); // certificate_request_context
                var extensions = r.Vector16("CertificateRequest extensions");
                while (!extensions.AtEnd)
                {
                    int type = extensions.U16();
                    var data = extensions.Vector16("extension");
                    if (type == ExtensionCodes.SignatureAlgorithms) request.SignatureAlgorithms.AddRange(DecodeText.SchemeList(data.VectorBytes(2)));
                    else if (type == ExtensionCodes.CertificateAuthorities) request.CertificateAuthorities.AddRange(DecodeText.DistinguishedNames(data.Vector16("certificate authorities")));
                }
            }
            else
            {
                r.VectorBytes(1); // certificate_types
                if (version == TlsVersion.Tls12) request.SignatureAlgorithms.AddRange(DecodeText.SchemeList(r.VectorBytes(2)));
                request.CertificateAuthorities.AddRange(DecodeText.DistinguishedNames(r.Vector16("certificate authorities")));
            }
            r.End();
            return request;
        }

        /// <summary>
        /// A TLS 1.3 NewSessionTicket body: its ticket_lifetime and, when it carries early_data, the max_early_data_size.
        /// </summary>
        /// <exception cref="TlsToolsException">MalformedServerMessage (or MalformedHandshakeMessage for an odd scheme list) when the body does not parse.</exception>
        public static (long LifetimeSeconds, long? MaxEarlyDataSize) ParseTls13Ticket(byte[] body)
        {
            var r = new WireReader(body, "NewSessionTicket");
            long lifetime = r.U32();
            r.U32(); // ticket_age_add
            r.VectorBytes(1); // nonce
            r.VectorBytes(2); // ticket
            long? early = null;
            var extensions = r.Vector16("NewSessionTicket extensions");
            while (!extensions.AtEnd)
            {
                int type = extensions.U16();
                var data = extensions.Vector16("extension");
                if (type == ExtensionCodes.EarlyData) early = data.U32();
            }
            r.End();
            return (lifetime, early);
        }
    }

    public static partial class TlsServerScanner
    {
        private sealed partial class Scan
        {
            /// <summary>The CertificateRequest a TLS ≤ 1.2 probe's flight carried (plaintext before ServerHelloDone), or null.</summary>
            private ClientCertificateRequest? CertificateRequestOf(ProbeResult r)
            {
                var body = r.Flight?.CertificateRequestBody;
                var version = r.Hello != null ? TlsRegistry.Versions.FromWire(r.Hello.Version) : null;
                if (body == null || version == null) return null;
                try
                {
                    return ServerRequests.ParseCertificateRequest(body, version.Value);
                }
                catch (TlsToolsException e)
                {
                    _errors.Enqueue("CertificateRequest: " + e.Message);
                    return null;
                }
            }
        }
    }
}
