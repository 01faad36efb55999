using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;

namespace TlsTools.Net.StartTls
{
    /// <summary>ManageSieve (RFC 5804 §2.2): capabilities on connect ending in OK, "STARTTLS" among them, STARTTLS, OK.</summary>
    internal sealed class SieveDialect : StartTlsDialect
    {
        private static bool Final(string l) =>
            l.StartsWith("OK", StringComparison.OrdinalIgnoreCase) || l.StartsWith("NO", StringComparison.OrdinalIgnoreCase) || l.StartsWith("BYE", StringComparison.OrdinalIgnoreCase);

        internal override async Task NegotiateAsync(PreambleChannel ch, TlsTarget target)
        {
            var caps = await ch.ReadReplyAsync(l => !Final(l), l => "Greeting: the server lists its capabilities"
                + (l.Any(x => x.Equals("\"STARTTLS\"", StringComparison.OrdinalIgnoreCase)) ? ", STARTTLS among them." : ", without STARTTLS.")).ConfigureAwait(false);
            var last = caps[caps.Count - 1];
            if (!last.StartsWith("OK", StringComparison.OrdinalIgnoreCase)) throw ch.Refused("it did not greet with OK", Replies.Joined(caps));
            if (!caps.Any(x => x.Trim().Equals("\"STARTTLS\"", StringComparison.OrdinalIgnoreCase))) throw ch.NotOffered("\"STARTTLS\" is not among its capabilities", Replies.Joined(caps));

            await ch.SendLineAsync("STARTTLS", "STARTTLS: the client asks to switch to TLS.").ConfigureAwait(false);
            var ready = await ch.ReadReplyAsync(l => !Final(l), l => l[l.Count - 1].StartsWith("OK", StringComparison.OrdinalIgnoreCase)
                ? "OK: the next bytes are the TLS handshake." : "The server refused to start TLS.").ConfigureAwait(false);
            last = ready[ready.Count - 1];
            if (last.StartsWith("OK", StringComparison.OrdinalIgnoreCase)) return;
            throw ch.Refused("it answered STARTTLS with " + Replies.FirstWord(last), Replies.Joined(ready));
        }
    }

    /// <summary>FTP (RFC 4217 §4): greeting 220, AUTH TLS, 234.</summary>
    internal sealed class FtpDialect : StartTlsDialect
    {
        internal override async Task NegotiateAsync(PreambleChannel ch, TlsTarget target)
        {
            var greeting = await ch.ReadReplyAsync(Replies.CodedReply(), l => "Greeting: the server is ready (220).").ConfigureAwait(false);
            int code = Replies.Code(greeting[0]);
            if (code >= 400 && code < 600) throw ch.Refused("it turned the connection away with code " + code, Replies.Joined(greeting));
            if (code != 220) throw ch.ProtocolError("greeted with something other than 220", Replies.Joined(greeting));

            await ch.SendLineAsync("AUTH TLS", "AUTH TLS: the client asks to switch the control connection to TLS.").ConfigureAwait(false);
            var ready = await ch.ReadReplyAsync(Replies.CodedReply(), l => Replies.Code(l[0]) == 234
                ? "234: the next bytes are the TLS handshake." : "The server did not agree to AUTH TLS.").ConfigureAwait(false);
            code = Replies.Code(ready[0]);
            if (code == 234) return;
            // 500/502/504: command or parameter not implemented (RFC 959 §4.2, RFC 4217 §4).
            if (code == 500 || code == 502 || code == 504) throw ch.NotOffered("it does not implement AUTH TLS (code " + code + ")", Replies.Joined(ready));
            if (code >= 400 && code < 600) throw ch.Refused("it answered AUTH TLS with code " + code, Replies.Joined(ready));
            throw ch.ProtocolError("answered AUTH TLS out of protocol", Replies.Joined(ready));
        }
    }

    /// <summary>NNTP (RFC 4642): greeting 200/201, CAPABILITIES lists STARTTLS, STARTTLS, 382.</summary>
    internal sealed class NntpDialect : StartTlsDialect
    {
        internal override async Task NegotiateAsync(PreambleChannel ch, TlsTarget target)
        {
            var greeting = await ch.ReadReplyAsync(_ => false, l => "Greeting: the server is ready (" + Replies.Code(l[0]) + ").").ConfigureAwait(false);
            int code = Replies.Code(greeting[0]);
            if (code == 400 || code == 502) throw ch.Refused("it turned the connection away with code " + code, greeting[0]);
            if (code != 200 && code != 201) throw ch.ProtocolError("greeted with something other than 200 or 201", greeting[0]);

            await ch.SendLineAsync("CAPABILITIES", "CAPABILITIES: the client asks what the server supports.").ConfigureAwait(false);
            var caps = await ch.ReadReplyAsync(Replies.DotEnded("101"), l => Replies.Code(l[0]) == 101
                ? "Capabilities: the server lists what it supports" + (Replies.Lists(l.Skip(1), "STARTTLS", 0) ? ", STARTTLS among them." : ", without STARTTLS.")
                : "The server does not list capabilities.").ConfigureAwait(false);
            bool listed = Replies.Code(caps[0]) == 101;
            if (listed && !Replies.Lists(caps.Skip(1), "STARTTLS", 0)) throw ch.NotOffered("STARTTLS is not among its capabilities", Replies.Joined(caps));

            await ch.SendLineAsync("STARTTLS", "STARTTLS: the client asks to switch to TLS.").ConfigureAwait(false);
            var ready = await ch.ReadReplyAsync(_ => false, l => Replies.Code(l[0]) == 382
                ? "382: the next bytes are the TLS handshake." : "The server refused to start TLS.").ConfigureAwait(false);
            code = Replies.Code(ready[0]);
            if (code == 382) return;
            if (code == 500 || code == 501) throw ch.NotOffered("it does not know STARTTLS (code " + code + ")", ready[0]);
            if (code >= 400 && code < 600) throw ch.Refused("it answered STARTTLS with code " + code, ready[0]);
            throw ch.ProtocolError("answered STARTTLS out of protocol", ready[0]);
        }
    }

    /// <summary>IRC (the IRCv3 STARTTLS extension, as openssl speaks it): STARTTLS, then numeric 670 (go ahead) or 691 (failed).</summary>
    internal sealed class IrcDialect : StartTlsDialect
    {
        private const string Ok = "670", Failed = "691", UnknownCommand = "421", NotRegistered = "451";

        /// <summary>The command (or numeric) of an IRC line, after the optional ":prefix".</summary>
        internal static string Command(string line)
        {
            var words = line.Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == 0) return "";
            return words[0].StartsWith(":", StringComparison.Ordinal) ? (words.Length > 1 ? words[1] : "") : words[0];
        }

        private static readonly HashSet<string> Final = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { Ok, Failed, UnknownCommand, NotRegistered, "ERROR" };

        internal override async Task NegotiateAsync(PreambleChannel ch, TlsTarget target)
        {
            await ch.SendLineAsync("STARTTLS", "STARTTLS: the client asks to switch to TLS before registering.").ConfigureAwait(false);
            var reply = await ch.ReadReplyAsync(l => !Final.Contains(Command(l)), l => Command(l[l.Count - 1]) == Ok
                ? "670: the next bytes are the TLS handshake." : "The server did not agree to STARTTLS.").ConfigureAwait(false);
            var last = reply[reply.Count - 1];
            switch (Command(last).ToUpperInvariant())
            {
                case Ok: return;
                case Failed: throw ch.Refused("it answered 691 (STARTTLS failed)", last);
                case "ERROR": throw ch.Refused("it closed the link", last);
                default: throw ch.NotOffered("it does not know the STARTTLS command (" + Command(last) + ")", last);
            }
        }
    }
}
