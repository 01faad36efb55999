using System;
using System.IO;
using System.Net.Sockets;
using Org.BouncyCastle.Tls;

namespace TlsTools.Tls
{
    /// <summary>Turns what ended a client handshake (an exception, a timeout) into the result's stable ErrorId, kind and words.</summary>
    internal static class HandshakeFailure
    {
        /// <summary>Fills the result's ErrorKind, ErrorId, Error and Alert from what ended the handshake in <paramref name="phase"/>.</summary>
        internal static void Classify(HandshakeResult result, Exception e, string phase, bool timedOut, HandshakeOptions options, RunnerClient client)
        {
            string where = result.Target.ToString();
            if (timedOut)
            {
                result.ErrorKind = TlsTools.ErrorKind.OperationTimeout;
                if (phase == "connect")
                {
                    result.ErrorId = ErrorIds.ConnectTimeout;
                    result.Error = "Connecting to " + where + " timed out after " + (options.ConnectTimeout ?? options.Timeout).TotalSeconds + " s.";
                }
                else if (phase == "starttls")
                {
                    result.ErrorId = ErrorIds.HandshakeTimeout;
                    result.Error = "The STARTTLS (" + result.Target.StartTls + ") preamble with " + where + " did not complete within " + options.Timeout.TotalSeconds + " s.";
                }
                else
                {
                    result.ErrorId = ErrorIds.HandshakeTimeout;
                    result.Error = "The TLS handshake with " + where + " did not complete within " + options.Timeout.TotalSeconds + " s"
                        + (client.ReceivedAnything ? "." : "; the server sent nothing.");
                }
                return;
            }
            var inner = e;
            while (inner is TlsFatalAlert tfa && tfa.InnerException is TlsFatalAlertReceived) inner = tfa.InnerException;
            switch (inner)
            {
                case TlsFatalAlertReceived received:
                {
                    var name = TlsRegistry.Alerts.Name(received.AlertDescription);
                    result.ErrorKind = TlsTools.ErrorKind.ProtocolError;
                    result.ErrorId = ErrorIds.TlsAlertReceived;
                    result.Alert = name;
                    result.AlertDirection = "Received";
                    result.Error = "The server ended the handshake with a fatal " + name + " alert (" + AlertMeaningText(name) + ").";
                    return;
                }
                case TlsFatalAlert _ when client.ReceivedAnything && !client.ReceivedTls:
                    // Not a TLS record at all: the same outcome as Get-TlsServerProfile's, in our words.
                    result.ErrorKind = TlsTools.ErrorKind.ProtocolError;
                    result.ErrorId = ErrorIds.NotTls;
                    result.Error = NotTlsMessage(where);
                    return;
                case TlsFatalAlert sent:
                {
                    var name = TlsRegistry.Alerts.Name(sent.AlertDescription);
                    result.ErrorKind = TlsTools.ErrorKind.ProtocolError;
                    result.ErrorId = ErrorIds.TlsAlertSent;
                    result.Alert = name;
                    result.AlertDirection = "Sent";
                    result.Error = "The client aborted the handshake with a fatal " + name + " alert: " + (client.RaisedAlertMessage ?? sent.Message)
                        + (client.ReceivedAnything && !client.ReceivedTls ? " (the server does not speak TLS on this port)" : "") + ".";
                    return;
                }
                case SocketException se:
                    // After the connect (the Connector reports refused ports and unknown names itself).
                    result.ErrorKind = TlsTools.ErrorKind.ConnectionError;
                    switch (se.SocketErrorCode)
                    {
                        case SocketError.ConnectionReset:
                            result.ErrorId = ErrorIds.ConnectionReset;
                            result.Error = "The server reset the connection during the " + phase + ".";
                            return;
                        default:
                            result.ErrorId = ErrorIds.NetworkError;
                            result.Error = "Network error during the " + phase + " with " + where + ": " + se.Message;
                            return;
                    }
                case EndOfStreamException _:
                    result.ErrorKind = TlsTools.ErrorKind.ConnectionError;
                    result.ErrorId = ErrorIds.ConnectionClosed;
                    result.Error = "The server closed the connection during the handshake" + (client.ReceivedAnything ? "." : " without sending anything.");
                    return;
                case TlsToolsException tte:
                    result.ErrorKind = tte.Kind;
                    result.ErrorId = tte.ErrorId;
                    result.Error = tte.Message;
                    return;
                case IOException io when io.InnerException is SocketException:
                    Classify(result, io.InnerException, phase, false, options, client);
                    return;
                default:
                    result.ErrorKind = TlsTools.ErrorKind.ProtocolError;
                    result.ErrorId = ErrorIds.HandshakeFailed;
                    result.Error = "The handshake with " + where + " failed: " + e.Message;
                    return;
            }
        }

        /// <summary>The one wording of "this port does not speak TLS" (handshakes and scans).</summary>
        internal static string NotTlsMessage(string where) =>
            "The server at " + where + " does not speak TLS: what it sent is not a TLS record (another protocol, such as HTTP, SSH or SMTP without STARTTLS, listens on this port).";

        private static string AlertMeaningText(string name) => TlsRegistry.Alerts.Meaning(AlertCode(name));

        private static int AlertCode(string name) => TlsRegistry.Alerts.FindByName(name)?.Code ?? 40;
    }
}
