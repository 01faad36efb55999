using System.Linq;

namespace TlsTools.Tls
{
    /// <summary>
    /// A handshake that failed because the client had no certificate to give: the server sent a CertificateRequest, the client
    /// answered with an empty Certificate, and the server ended the connection (TLS 1.2: a handshake_failure alert after the
    /// client's flight; TLS 1.3: certificate_required after the client's Finished, read as the first record after the handshake).
    /// </summary>
    internal static class ClientCertificateFailure
    {
        /// <summary>Turns such a failure into ErrorId ClientCertificateRequired, naming the CAs the server asked for.</summary>
        public static void Apply(HandshakeResult result, RunnerClient client)
        {
            result.RequestedCertificateAuthorities = client.RequestedAuthorities;
            result.RequestedSignatureAlgorithms = client.RequestedSignatureAlgorithms;
            if (client.CertificateRequested) result.ClientCertificateRequested = true; // also without a transcript
            if (result.Success || !client.CertificateRequested || client.HasClientCertificate || result.ClientCertificateSent) return;
            if (result.ErrorId != ErrorIds.TlsAlertReceived && result.ErrorId != ErrorIds.ConnectionClosed && result.ErrorId != ErrorIds.ConnectionReset) return;
            var cas = client.RequestedAuthorities;
            result.ErrorId = ErrorIds.ClientCertificateRequired;
            result.ErrorKind = TlsTools.ErrorKind.AuthenticationError;
            result.Error = "The server " + result.Target + " requires a client certificate: it asked for one"
                + (cas.Length == 0 ? " (naming no certificate authority)" : " issued by " + string.Join("; ", cas.Take(5).Select(n => "'" + n + "'"))
                    + (cas.Length > 5 ? " and " + (cas.Length - 5) + " more" : ""))
                + ", none was sent, and it ended the connection"
                + (result.Alert != null ? " with a fatal " + result.Alert + " alert" : "")
                + ". Give a certificate (with its private key) with -ClientCertificate.";
        }
    }
}
