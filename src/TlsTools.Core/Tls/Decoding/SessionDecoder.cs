using System;
using System.Collections.Specialized;
using System.Globalization;

namespace TlsTools.Tls
{
    /// <summary>The end of a handshake and what follows it: ServerHelloDone, Finished, NewSessionTicket, KeyUpdate.</summary>
    internal static class SessionDecoder
    {
        public static void ServerHelloDone(TranscriptMessage m, WireReader r)
        {
            r.End();
            m.Explanation = "Server Hello Done: the server has sent its whole first flight and waits for the client's key exchange.";
        }

        public static void Finished(TranscriptMessage m, WireReader r, DecodeContext ctx)
        {
            var data = r.Rest();
            m.Fields["VerifyData"] = DecodeText.Hex(data);
            string who = DecodeText.Name(m.Sender), other = DecodeText.Name(DecodeText.Other(m.Sender));
            m.Explanation = "Finished: the " + who + " sent a MAC over the whole handshake (" + data.Length + " bytes) under the new keys; the "
                + other + " checks it, which confirms both saw the same messages and derived the same keys"
                + (ctx.Resumed ? " (resumed session)" : "") + ".";
        }

        public static void NewSessionTicket(TranscriptMessage m, WireReader r, DecodeContext ctx)
        {
            bool tls13 = ctx.Version == TlsVersion.Tls13;
            if (ctx.Version == null)
                tls13 = !(r.Remaining >= 6 && r.PeekU16(4) == r.Remaining - 6);
            long lifetime = r.U32();
            m.Fields["LifetimeSeconds"] = lifetime;
            int ticketLength;
            if (tls13)
            {
                m.Fields["AgeAdd"] = r.U32();
                m.Fields["Nonce"] = DecodeText.Hex(r.VectorBytes(1));
                ticketLength = r.VectorBytes(2).Length;
                m.Fields["TicketLength"] = ticketLength;
                var ext = new OrderedDictionary(StringComparer.Ordinal);
                ExtensionDecoder.Decode(ext, r.VectorBytes(2), Sender.Server, TranscriptMessageType.NewSessionTicket, new HelloInfo());
                m.Fields["Extensions"] = ext;
            }
            else
            {
                ticketLength = r.VectorBytes(2).Length;
                m.Fields["TicketLength"] = ticketLength;
            }
            r.End();
            m.Explanation = "New Session Ticket: the server gave the client a " + ticketLength + "-byte ticket, valid for " + lifetime
                + " s, to resume the session later" + (tls13 ? " (TlsTools cannot use TLS 1.3 tickets; BouncyCastle discards them)" : "") + ".";
        }

        public static void KeyUpdate(TranscriptMessage m, WireReader r)
        {
            int req = r.U8();
            r.End();
            m.Fields["RequestUpdate"] = req == 1 ? "update_requested" : req == 0 ? "update_not_requested" : req.ToString(CultureInfo.InvariantCulture);
            m.Explanation = "Key Update: the " + DecodeText.Name(m.Sender) + " switches to the next generation of traffic keys.";
        }
    }
}
