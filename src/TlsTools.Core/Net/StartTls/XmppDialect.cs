using System;
using System.Threading.Tasks;

namespace TlsTools.Net.StartTls
{
    /// <summary>
    /// XMPP (RFC 6120 §5): the client opens a stream to the domain (<c>to</c>: the SNI name, else the host), the server answers with
    /// its stream header and features (starttls among them), the client sends &lt;starttls/&gt;, the server &lt;proceed/&gt;.
    /// Client-to-server (jabber:client) or server-to-server (jabber:server). Only the few elements involved are recognised; no
    /// general XML parser reads server input.
    /// </summary>
    internal sealed class XmppDialect : StartTlsDialect
    {
        internal const string TlsNamespace = "urn:ietf:params:xml:ns:xmpp-tls";
        private readonly bool _server;

        internal XmppDialect(bool server) => _server = server;

        /// <summary>The stream header the client opens with.</summary>
        internal string StreamHeader(string domain) =>
            "<?xml version='1.0'?><stream:stream xmlns:stream='http://etherx.jabber.org/streams' xmlns='" + (_server ? "jabber:server" : "jabber:client") + "'"
            + (_server ? " xmlns:db='jabber:server:dialback'" : "") + " to='" + Escape(domain) + "' version='1.0'>";

        private static string Escape(string s) => s.Replace("&", "&amp;").Replace("'", "&apos;").Replace("<", "&lt;");

        /// <summary>The length of the stream header + features (or a stream error) at the start of <paramref name="text"/>, or -1 while incomplete.</summary>
        internal static int FeaturesEnd(string text)
        {
            foreach (var end in new[] { "</stream:features>", "</stream:error>", "</stream:stream>" })
            {
                int i = text.IndexOf(end, StringComparison.Ordinal);
                if (i >= 0) return i + end.Length;
            }
            int empty = text.IndexOf("<stream:features/>", StringComparison.Ordinal);
            return empty >= 0 ? empty + "<stream:features/>".Length : -1;
        }

        /// <summary>The length of a &lt;proceed/&gt; or &lt;failure/&gt; (or a stream error) at the start of <paramref name="text"/>, or -1.</summary>
        internal static int AnswerEnd(string text)
        {
            foreach (var start in new[] { "<proceed", "<failure", "<stream:error" })
            {
                int i = text.IndexOf(start, StringComparison.Ordinal);
                if (i < 0) continue;
                if (start == "<stream:error")
                {
                    int e = text.IndexOf("</stream:error>", i, StringComparison.Ordinal);
                    return e < 0 ? -1 : e + "</stream:error>".Length;
                }
                int selfClose = text.IndexOf("/>", i, StringComparison.Ordinal);
                int close = text.IndexOf(start == "<proceed" ? "</proceed>" : "</failure>", i, StringComparison.Ordinal);
                int gt = text.IndexOf('>', i);
                if (gt >= 0 && selfClose == gt - 1) return gt + 1;
                if (close >= 0) return close + (start == "<proceed" ? "</proceed>" : "</failure>").Length;
                return -1;
            }
            return -1;
        }

        internal override async Task NegotiateAsync(PreambleChannel ch, TlsTarget target)
        {
            var domain = target.ServerName ?? target.Host;
            await ch.SendAsync(System.Text.Encoding.UTF8.GetBytes(StreamHeader(domain)), StreamHeader(domain),
                "Stream header: the client opens an XML stream to the domain " + domain + ".").ConfigureAwait(false);
            var (features, raw) = await ch.ReadUntilAsync(FeaturesEnd).ConfigureAwait(false);
            bool error = features.IndexOf("<stream:error", StringComparison.Ordinal) >= 0 || features.IndexOf("</stream:stream>", StringComparison.Ordinal) >= 0;
            bool offered = features.IndexOf(TlsNamespace, StringComparison.Ordinal) >= 0;
            ch.Received(raw, features, error ? "Stream error: the server closed the stream." : "Stream header and features: the server lists what it supports"
                + (offered ? ", starttls among them." : ", without starttls."));
            if (error) throw ch.Refused("it answered the stream header with a stream error", features);
            if (!offered) throw ch.NotOffered("its stream features do not include <starttls xmlns='" + TlsNamespace + "'/>", features);

            const string request = "<starttls xmlns='" + TlsNamespace + "'/>";
            await ch.SendAsync(System.Text.Encoding.ASCII.GetBytes(request), request, "starttls: the client asks to switch to TLS.").ConfigureAwait(false);
            var (answer, raw2) = await ch.ReadUntilAsync(AnswerEnd).ConfigureAwait(false);
            bool proceed = answer.IndexOf("<proceed", StringComparison.Ordinal) >= 0;
            ch.Received(raw2, answer, proceed ? "proceed: the next bytes are the TLS handshake." : "The server refused to start TLS.");
            if (!proceed) throw ch.Refused("it answered starttls with " + (answer.IndexOf("<failure", StringComparison.Ordinal) >= 0 ? "<failure/>" : "a stream error"), answer);
        }
    }
}
