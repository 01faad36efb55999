using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading.Tasks;

namespace TlsTools.Net.StartTls
{
    /// <summary>Reply shapes shared by the line protocols: three-digit codes (SMTP, LMTP, FTP, NNTP), dot-ended lists (POP3, NNTP).</summary>
    internal static class Replies
    {
        /// <summary>The name TlsTools gives itself in EHLO/LHLO.</summary>
        internal const string ClientName = "tlstools.invalid";

        /// <summary>The three-digit code a line starts with, or -1.</summary>
        internal static int Code(string line)
        {
            if (line.Length < 3 || (line.Length > 3 && line[3] != ' ' && line[3] != '-')) return -1;
            return int.TryParse(line.Substring(0, 3), NumberStyles.None, CultureInfo.InvariantCulture, out int c) ? c : -1;
        }

        /// <summary>
        /// A "more lines follow" test for a coded reply: "NNN-" continues until a line "NNN " (RFC 5321 §4.2.1, RFC 959 §4.2;
        /// FTP's middle lines need not carry the code).
        /// </summary>
        internal static Func<string, bool> CodedReply()
        {
            string? code = null;
            return line =>
            {
                if (code == null)
                {
                    if (Code(line) < 0 || line.Length < 4 || line[3] != '-') return false;
                    code = line.Substring(0, 3);
                    return true;
                }
                return !(line.Length >= 3 && line.StartsWith(code, StringComparison.Ordinal) && (line.Length == 3 || line[3] == ' '));
            };
        }

        /// <summary>A "more lines follow" test for a reply whose first line starts with <paramref name="okPrefix"/> and continues to a lone ".".</summary>
        internal static Func<string, bool> DotEnded(string okPrefix)
        {
            bool first = true, multi = false;
            return line =>
            {
                if (first)
                {
                    first = false;
                    multi = line.StartsWith(okPrefix, StringComparison.Ordinal);
                    return multi;
                }
                return line != ".";
            };
        }

        /// <summary>True when a reply line (after its code or prefix) names <paramref name="word"/> as its first word, ignoring case.</summary>
        internal static bool Lists(IEnumerable<string> lines, string word, int skip) =>
            lines.Any(l => l.Length > skip && FirstWord(l.Substring(skip)).Equals(word, StringComparison.OrdinalIgnoreCase));

        internal static string FirstWord(string s)
        {
            s = s.Trim();
            int sp = s.IndexOf(' ');
            return sp < 0 ? s : s.Substring(0, sp);
        }

        /// <summary>The words of a space-separated capability list.</summary>
        internal static bool HasWord(string text, string word) =>
            text.Split(new[] { ' ', '[', ']', '(', ')' }, StringSplitOptions.RemoveEmptyEntries).Any(w => w.Equals(word, StringComparison.OrdinalIgnoreCase));

        internal static string Joined(List<string> lines) => string.Join(" ", lines);
    }

    /// <summary>SMTP (RFC 3207) and LMTP (RFC 2033): greeting 220, EHLO or LHLO, STARTTLS in the capabilities, STARTTLS, 220.</summary>
    internal sealed class SmtpDialect : StartTlsDialect
    {
        private readonly string _hello;

        internal SmtpDialect(string hello) => _hello = hello;

        internal override async Task NegotiateAsync(PreambleChannel ch, TlsTarget target)
        {
            var greeting = await ch.ReadReplyAsync(Replies.CodedReply(), l => "Greeting: the server says who it is and that it is ready (220).").ConfigureAwait(false);
            int code = Replies.Code(greeting[0]);
            if (code == 554 || (code >= 400 && code < 600)) throw ch.Refused("it turned the connection away with code " + code, Replies.Joined(greeting));
            if (code != 220) throw ch.ProtocolError("greeted with something other than 220", Replies.Joined(greeting));

            await ch.SendLineAsync(_hello + " " + Replies.ClientName, _hello + ": the client names itself and asks which extensions the server supports.").ConfigureAwait(false);
            var caps = await ch.ReadReplyAsync(Replies.CodedReply(), l => Replies.Code(l[0]) == 250
                ? "Capabilities: the server lists its extensions" + (Replies.Lists(l, "STARTTLS", 4) ? ", STARTTLS among them." : ", without STARTTLS.")
                : "The server did not accept " + _hello + ".").ConfigureAwait(false);
            code = Replies.Code(caps[0]);
            if (code < 0) throw ch.ProtocolError("answered " + _hello + " out of protocol", Replies.Joined(caps));
            if (code != 250) throw ch.NotOffered("it did not accept " + _hello + " (code " + code + "), and STARTTLS is an extension announced there", Replies.Joined(caps));
            if (!Replies.Lists(caps, "STARTTLS", 4)) throw ch.NotOffered("STARTTLS is not among the extensions its " + _hello + " answer lists", Replies.Joined(caps));

            await ch.SendLineAsync("STARTTLS", "STARTTLS: the client asks to switch to TLS.").ConfigureAwait(false);
            var ready = await ch.ReadReplyAsync(Replies.CodedReply(), l => Replies.Code(l[0]) == 220
                ? "Ready to start TLS (220): the next bytes are the TLS handshake."
                : "The server refused to start TLS.").ConfigureAwait(false);
            code = Replies.Code(ready[0]);
            if (code == 220) return;
            if (code >= 400 && code < 600) throw ch.Refused("it answered STARTTLS with code " + code, Replies.Joined(ready));
            throw ch.ProtocolError("answered STARTTLS out of protocol", Replies.Joined(ready));
        }

        internal override Task? ServeAsync(PreambleChannel ch, string serverName) => _hello == "EHLO" ? ServeSmtpAsync(ch, serverName) : null;

        private static async Task ServeSmtpAsync(PreambleChannel ch, string name)
        {
            await ch.SendLineAsync("220 " + name + " ESMTP TlsTools", "Greeting.").ConfigureAwait(false);
            for (int i = 0; i < ServerSide.MaxCommands; i++)
            {
                var (line, _) = await ch.ReadLineAsync().ConfigureAwait(false);
                var verb = Replies.FirstWord(line).ToUpperInvariant();
                switch (verb)
                {
                    case "EHLO":
                        await ch.SendLinesAsync(new[] { "250-" + name, "250-PIPELINING", "250-8BITMIME", "250 STARTTLS" }, "Capabilities.").ConfigureAwait(false);
                        break;
                    case "HELO":
                        await ch.SendLineAsync("250 " + name, "Hello.").ConfigureAwait(false);
                        break;
                    case "NOOP":
                    case "RSET":
                        await ch.SendLineAsync("250 2.0.0 OK", "OK.").ConfigureAwait(false);
                        break;
                    case "STARTTLS":
                        await ch.SendLineAsync("220 2.0.0 Ready to start TLS", "Ready.").ConfigureAwait(false);
                        return;
                    case "QUIT":
                        await ch.SendLineAsync("221 2.0.0 Bye", "Bye.").ConfigureAwait(false);
                        throw ServerSide.Quit(ch);
                    default:
                        await ch.SendLineAsync("530 5.7.0 Must issue a STARTTLS command first", "Refused.").ConfigureAwait(false);
                        break;
                }
            }
            throw ServerSide.TooMany(ch);
        }
    }

    /// <summary>IMAP (RFC 3501 §6.2.1): greeting "* OK", CAPABILITY lists STARTTLS, "a STARTTLS", "a OK".</summary>
    internal sealed class ImapDialect : StartTlsDialect
    {
        internal override async Task NegotiateAsync(PreambleChannel ch, TlsTarget target)
        {
            var greeting = await ch.ReadReplyAsync(_ => false, l => "Greeting: the server is ready" + (l[0].IndexOf("CAPABILITY", StringComparison.OrdinalIgnoreCase) >= 0 ? " and lists its capabilities." : ".")).ConfigureAwait(false);
            var g = greeting[0];
            if (g.StartsWith("* BYE", StringComparison.OrdinalIgnoreCase)) throw ch.Refused("it said BYE instead of a greeting", g);
            if (g.StartsWith("* PREAUTH", StringComparison.OrdinalIgnoreCase)) throw ch.NotOffered("the connection is pre-authenticated, and STARTTLS is only valid before that", g);
            if (!g.StartsWith("* OK", StringComparison.OrdinalIgnoreCase)) throw ch.ProtocolError("greeted with something other than '* OK'", g);

            var caps = g;
            int open = g.IndexOf("[CAPABILITY ", StringComparison.OrdinalIgnoreCase);
            if (open < 0 || g.IndexOf(']', open) < 0)
            {
                await ch.SendLineAsync("A1 CAPABILITY", "CAPABILITY: the client asks what the server supports.").ConfigureAwait(false);
                var reply = await ch.ReadReplyAsync(l => !l.StartsWith("A1 ", StringComparison.Ordinal), l => "Capabilities: the server lists what it supports"
                    + (l.Any(x => Replies.HasWord(x, "STARTTLS")) ? ", STARTTLS among them." : ", without STARTTLS.")).ConfigureAwait(false);
                if (!reply[reply.Count - 1].StartsWith("A1 OK", StringComparison.OrdinalIgnoreCase)) throw ch.ProtocolError("did not answer CAPABILITY with OK", Replies.Joined(reply));
                caps = string.Join(" ", reply.Where(l => l.StartsWith("* CAPABILITY", StringComparison.OrdinalIgnoreCase)));
            }
            if (!Replies.HasWord(caps, "STARTTLS")) throw ch.NotOffered("STARTTLS is not among its capabilities", caps);

            await ch.SendLineAsync("A2 STARTTLS", "STARTTLS: the client asks to switch to TLS.").ConfigureAwait(false);
            var ready = await ch.ReadReplyAsync(l => !l.StartsWith("A2 ", StringComparison.Ordinal), l => l[l.Count - 1].StartsWith("A2 OK", StringComparison.OrdinalIgnoreCase)
                ? "OK: the next bytes are the TLS handshake." : "The server refused to start TLS.").ConfigureAwait(false);
            var last = ready[ready.Count - 1];
            if (last.StartsWith("A2 OK", StringComparison.OrdinalIgnoreCase)) return;
            if (last.StartsWith("A2 NO", StringComparison.OrdinalIgnoreCase) || last.StartsWith("A2 BAD", StringComparison.OrdinalIgnoreCase))
                throw ch.Refused("it answered STARTTLS with " + Replies.FirstWord(last.Substring(3)), Replies.Joined(ready));
            throw ch.ProtocolError("answered STARTTLS out of protocol", Replies.Joined(ready));
        }

        internal override Task? ServeAsync(PreambleChannel ch, string serverName) => ServeImapAsync(ch, serverName);

        private static async Task ServeImapAsync(PreambleChannel ch, string name)
        {
            const string caps = "IMAP4rev1 STARTTLS LOGINDISABLED";
            await ch.SendLineAsync("* OK [CAPABILITY " + caps + "] " + name + " TlsTools IMAP ready", "Greeting.").ConfigureAwait(false);
            for (int i = 0; i < ServerSide.MaxCommands; i++)
            {
                var (line, _) = await ch.ReadLineAsync().ConfigureAwait(false);
                var parts = line.Split(new[] { ' ' }, 3);
                var tag = parts[0];
                var verb = parts.Length > 1 ? parts[1].ToUpperInvariant() : "";
                switch (verb)
                {
                    case "CAPABILITY":
                        await ch.SendLinesAsync(new[] { "* CAPABILITY " + caps, tag + " OK CAPABILITY completed" }, "Capabilities.").ConfigureAwait(false);
                        break;
                    case "NOOP":
                        await ch.SendLineAsync(tag + " OK NOOP completed", "OK.").ConfigureAwait(false);
                        break;
                    case "STARTTLS":
                        await ch.SendLineAsync(tag + " OK Begin TLS negotiation now", "Ready.").ConfigureAwait(false);
                        return;
                    case "LOGOUT":
                        await ch.SendLinesAsync(new[] { "* BYE Logging out", tag + " OK LOGOUT completed" }, "Bye.").ConfigureAwait(false);
                        throw ServerSide.Quit(ch);
                    default:
                        await ch.SendLineAsync(tag + " BAD Only CAPABILITY, NOOP, STARTTLS and LOGOUT before TLS", "Refused.").ConfigureAwait(false);
                        break;
                }
            }
            throw ServerSide.TooMany(ch);
        }
    }

    /// <summary>POP3 (RFC 2595 §4): greeting "+OK", CAPA lists STLS, STLS, "+OK".</summary>
    internal sealed class Pop3Dialect : StartTlsDialect
    {
        internal override async Task NegotiateAsync(PreambleChannel ch, TlsTarget target)
        {
            var greeting = await ch.ReadReplyAsync(_ => false, l => "Greeting: the server is ready (+OK).").ConfigureAwait(false);
            if (greeting[0].StartsWith("-ERR", StringComparison.Ordinal)) throw ch.Refused("it turned the connection away", greeting[0]);
            if (!greeting[0].StartsWith("+OK", StringComparison.Ordinal)) throw ch.ProtocolError("greeted with something other than +OK", greeting[0]);

            await ch.SendLineAsync("CAPA", "CAPA: the client asks what the server supports.").ConfigureAwait(false);
            var caps = await ch.ReadReplyAsync(Replies.DotEnded("+OK"), l => l[0].StartsWith("+OK", StringComparison.Ordinal)
                ? "Capabilities: the server lists what it supports" + (Replies.Lists(l.Skip(1), "STLS", 0) ? ", STLS among them." : ", without STLS.")
                : "The server does not list capabilities.").ConfigureAwait(false);
            if (caps[0].StartsWith("+OK", StringComparison.Ordinal))
            {
                if (!Replies.Lists(caps.Skip(1), "STLS", 0)) throw ch.NotOffered("STLS is not among its capabilities", Replies.Joined(caps));
            }
            else if (!caps[0].StartsWith("-ERR", StringComparison.Ordinal))
            {
                throw ch.ProtocolError("answered CAPA out of protocol", caps[0]);
            }

            await ch.SendLineAsync("STLS", "STLS: the client asks to switch to TLS.").ConfigureAwait(false);
            var ready = await ch.ReadReplyAsync(_ => false, l => l[0].StartsWith("+OK", StringComparison.Ordinal)
                ? "+OK: the next bytes are the TLS handshake." : "The server refused to start TLS.").ConfigureAwait(false);
            if (ready[0].StartsWith("+OK", StringComparison.Ordinal)) return;
            if (ready[0].StartsWith("-ERR", StringComparison.Ordinal))
            {
                if (!caps[0].StartsWith("+OK", StringComparison.Ordinal)) throw ch.NotOffered("it knows neither CAPA nor STLS", ready[0]);
                throw ch.Refused("it answered STLS with -ERR", ready[0]);
            }
            throw ch.ProtocolError("answered STLS out of protocol", ready[0]);
        }

        internal override Task? ServeAsync(PreambleChannel ch, string serverName) => ServePop3Async(ch, serverName);

        private static async Task ServePop3Async(PreambleChannel ch, string name)
        {
            await ch.SendLineAsync("+OK " + name + " TlsTools POP3 ready", "Greeting.").ConfigureAwait(false);
            for (int i = 0; i < ServerSide.MaxCommands; i++)
            {
                var (line, _) = await ch.ReadLineAsync().ConfigureAwait(false);
                switch (Replies.FirstWord(line).ToUpperInvariant())
                {
                    case "CAPA":
                        await ch.SendLinesAsync(new[] { "+OK Capability list follows", "TOP", "UIDL", "STLS", "." }, "Capabilities.").ConfigureAwait(false);
                        break;
                    case "NOOP":
                        await ch.SendLineAsync("+OK", "OK.").ConfigureAwait(false);
                        break;
                    case "STLS":
                        await ch.SendLineAsync("+OK Begin TLS negotiation", "Ready.").ConfigureAwait(false);
                        return;
                    case "QUIT":
                        await ch.SendLineAsync("+OK Bye", "Bye.").ConfigureAwait(false);
                        throw ServerSide.Quit(ch);
                    default:
                        await ch.SendLineAsync("-ERR Only CAPA, NOOP, STLS and QUIT before TLS", "Refused.").ConfigureAwait(false);
                        break;
                }
            }
            throw ServerSide.TooMany(ch);
        }
    }

    /// <summary>What the server side of the preamble shares: a bound on commands before STARTTLS, and how a preamble ends without TLS.</summary>
    internal static class ServerSide
    {
        /// <summary>The most commands a client may send before STARTTLS.</summary>
        internal const int MaxCommands = 20;

        internal static TlsToolsException Quit(PreambleChannel ch) =>
            ch.ProtocolError("quit before asking for TLS", ch.LastHeard);

        internal static TlsToolsException TooMany(PreambleChannel ch) =>
            ch.ProtocolError("sent more than " + MaxCommands + " commands without asking for TLS", ch.LastHeard);
    }
}
