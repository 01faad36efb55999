using System;
using System.Globalization;

namespace TlsTools.Tls
{
    /// <summary>The two non-handshake records a transcript holds: ChangeCipherSpec and Alert.</summary>
    internal static class RecordDecoder
    {
        public static TranscriptMessage ChangeCipherSpec(Sender sender, byte[]? body, DecodeContext ctx)
        {
            body ??= Array.Empty<byte>();
            var m = new TranscriptMessage(sender, TranscriptMessageType.ChangeCipherSpec, body.Length, body);
            m.Fields["Value"] = body.Length == 1 ? body[0].ToString(CultureInfo.InvariantCulture) : DecodeText.Hex(body);
            if (body.Length != 1 || body[0] != 1) m.DecodeError = "A ChangeCipherSpec record holds the single byte 1.";
            m.Explanation = ctx.Version == TlsVersion.Tls13 || (ctx.Version == null && ctx.OfferedTls13 && ctx.ServerChoseTls13)
                ? "Change Cipher Spec: a dummy record for middlebox compatibility; in TLS 1.3 it changes nothing."
                : "Change Cipher Spec: the " + DecodeText.Name(sender) + " switches to the keys just negotiated; its following records are encrypted.";
            return m;
        }

        public static TranscriptMessage Alert(Sender sender, byte[]? body, DecodeContext ctx)
        {
            body ??= Array.Empty<byte>();
            var m = new TranscriptMessage(sender, TranscriptMessageType.Alert, body.Length, body);
            string who = DecodeText.Name(sender);
            if (body.Length < 2)
            {
                m.DecodeError = "An alert is 2 bytes (level, description); got " + body.Length + ".";
                m.Explanation = "Alert: the " + who + " sent an alert that could not be read.";
                return m;
            }
            string level = TlsRegistry.Alerts.LevelName(body[0]);
            string desc = TlsRegistry.Alerts.Name(body[1]);
            m.Fields["Level"] = level;
            m.Fields["Description"] = desc;
            if (body.Length > 2) m.DecodeError = "An alert is 2 bytes; " + (body.Length - 2) + " more followed.";
            m.Explanation = body[1] == 0
                ? "Alert: the " + who + " closes the connection cleanly (close_notify)."
                : "Alert: the " + who + " sent a " + level + " " + desc + " alert: " + TlsRegistry.Alerts.Meaning(body[1]) + ".";
            return m;
        }
    }
}
