using System;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.Globalization;
using System.Linq;
using System.Text;

namespace TlsTools.Tls
{
    /// <summary>ClientHello, ServerHello / HelloRetryRequest and EncryptedExtensions.</summary>
    internal static class HelloDecoder
    {
        public static void ClientHello(TranscriptMessage m, WireReader r, DecodeContext ctx)
        {
            int legacy = r.U16();
            m.Fields["LegacyVersion"] = TlsRegistry.Versions.Name(legacy);
            m.Fields["Random"] = DecodeText.Hex(r.Bytes(32));
            var sid = r.VectorBytes(1);
            m.Fields["SessionId"] = DecodeText.Hex(sid);
            var suites = DecodeText.U16List(r.VectorBytes(2)).Select(TlsRegistry.CipherSuites.Name).ToList();
            m.Fields["CipherSuites"] = suites.ToArray();
            var comp = r.VectorBytes(1);
            m.Fields["CompressionMethods"] = comp.Select(c => c == 0 ? "null" : c == 1 ? "DEFLATE" : c.ToString(CultureInfo.InvariantCulture)).ToArray();
            var ext = new OrderedDictionary(StringComparer.Ordinal);
            var info = new HelloInfo();
            if (r.Remaining > 0) ExtensionDecoder.Decode(ext, r.VectorBytes(2), Sender.Client, TranscriptMessageType.ClientHello, info);
            r.End();
            m.Fields["Extensions"] = ext;

            var versions = info.SupportedVersions ?? new[] { TlsRegistry.Versions.Name(legacy) };
            m.Fields["OfferedVersions"] = versions;
            ctx.OfferedTls13 = info.SupportedVersions?.Contains(TlsRegistry.Versions.Name(TlsVersion.Tls13)) == true;
            if (ctx.ClientSessionId == null) ctx.ClientSessionId = sid;
            ctx.ClientHelloCount++;

            var sb = new StringBuilder("Client Hello: the client ");
            if (ctx.ClientHelloCount > 1) sb.Append("tried again as asked and ");
            sb.Append("offered ").Append(DecodeText.JoinOr(versions)).Append(" with ").Append(suites.Count).Append(suites.Count == 1 ? " cipher suite" : " cipher suites");
            if (info.KeyShareGroups.Count > 0)
                sb.Append(" and ").Append(string.Join(", ", info.KeyShareGroups)).Append(info.KeyShareGroups.Count == 1 ? " key share" : " key shares");
            if (info.ServerName != null) sb.Append(", for server name '").Append(info.ServerName).Append('\'');
            if (info.Alpn.Count > 0) sb.Append(", ALPN ").Append(string.Join(", ", info.Alpn));
            if (sid.Length > 0 && !ctx.OfferedTls13)
                sb.Append("; it asks to resume session ").Append(DecodeText.Short(DecodeText.Hex(sid)));
            sb.Append('.');
            m.Explanation = sb.ToString();
        }

        /// <summary>ServerHello and HelloRetryRequest, read by the parser the scanner uses too.</summary>
        public static void ServerHello(TranscriptMessage m, WireReader r, DecodeContext ctx)
        {
            bool hrr = m.Type == TranscriptMessageType.HelloRetryRequest;
            var h = ServerMessages.ParseServerHello(r);
            m.Fields["LegacyVersion"] = TlsRegistry.Versions.Name(h.LegacyVersion);
            m.Fields["Random"] = DecodeText.Hex(h.Random);
            m.Fields["SessionId"] = DecodeText.Hex(h.SessionId);
            string suiteName = TlsRegistry.CipherSuites.Name(h.CipherSuite);
            m.Fields["CipherSuite"] = suiteName;
            m.Fields["CompressionMethod"] = h.Compression == 0 ? "null" : h.Compression.ToString(CultureInfo.InvariantCulture);
            var ext = new OrderedDictionary(StringComparer.Ordinal);
            if (h.ExtensionBlock != null) ExtensionDecoder.Decode(ext, h.ExtensionBlock, Sender.Server, m.Type, new HelloInfo());
            m.Fields["Extensions"] = ext;
            if (h.Problem != null) m.DecodeError = h.Problem;

            m.Fields["Version"] = TlsRegistry.Versions.Name(h.Version);
            var tv = TlsRegistry.Versions.FromWire(h.Version);
            ctx.Version = tv;
            ctx.ServerChoseTls13 = tv == TlsVersion.Tls13;
            ctx.CipherSuite = h.CipherSuite;
            ctx.Suite = TlsRegistry.CipherSuites.Find(h.CipherSuite);
            if (h.KeyShareGroup != null) ctx.Group = TlsRegistry.NamedGroups.Name(h.KeyShareGroup.Value);
            if (h.Alpn != null) ctx.Alpn = h.Alpn;

            if (!hrr && tv != TlsVersion.Tls13 && Encoding.ASCII.GetString(h.Random, 24, 7) == "DOWNGRD")
                m.Fields["DowngradeSentinel"] = h.Random[31] == 1 ? TlsRegistry.Versions.Name(TlsVersion.Tls12) : "TLS 1.1 or below";

            if (hrr)
            {
                m.Explanation = "Hello Retry Request: the server accepts none of the offered key shares"
                    + (ctx.Group != null ? " and asks the client to send a new Client Hello with a " + ctx.Group + " key share" : " and asks the client for a new Client Hello")
                    + " (" + suiteName + ").";
                return;
            }
            ctx.ServerHelloSeen = true;
            if (tv == TlsVersion.Tls13)
            {
                m.Explanation = "Server Hello: the server chose TLS 1.3 and " + suiteName
                    + (ctx.Group != null ? " and sent its own " + ctx.Group + " key share" : "")
                    + "; both sides now compute the shared secret and derive handshake keys, so everything after this is encrypted.";
                return;
            }
            var sid = h.SessionId;
            ctx.Resumed = sid.Length > 0 && ctx.ClientSessionId != null && ctx.ClientSessionId.Length > 0 && ServerMessages.SameBytes(sid, 0, ctx.ClientSessionId);
            var sb = new StringBuilder("Server Hello: the server chose ").Append(TlsRegistry.Versions.Name(h.Version)).Append(" and ").Append(suiteName);
            if (h.Alpn != null) sb.Append(", ALPN ").Append(h.Alpn);
            if (ctx.Resumed)
                sb.Append("; it accepted resuming session ").Append(DecodeText.Short(DecodeText.Hex(sid))).Append(", so no certificate or key exchange follows: both sides reuse the earlier master secret with the new randoms.");
            else if (sid.Length > 0)
                sb.Append("; it named this session ").Append(DecodeText.Short(DecodeText.Hex(sid))).Append(" for later resumption.");
            else
                sb.Append('.');
            m.Explanation = sb.ToString();
        }

        public static void EncryptedExtensions(TranscriptMessage m, WireReader r, DecodeContext ctx)
        {
            var ext = new OrderedDictionary(StringComparer.Ordinal);
            var info = new HelloInfo();
            ExtensionDecoder.Decode(ext, r.VectorBytes(2), Sender.Server, TranscriptMessageType.EncryptedExtensions, info);
            r.End();
            m.Fields["Extensions"] = ext;
            if (info.Alpn.Count > 0) ctx.Alpn = info.Alpn[0];
            var parts = new List<string>();
            if (info.Alpn.Count > 0) parts.Add("ALPN " + info.Alpn[0]);
            if (ext.Contains("server_name")) parts.Add("it received the server name");
            if (ext.Contains("supported_groups")) parts.Add("its preferred groups");
            m.Explanation = "Encrypted Extensions: the first encrypted message, where the server answers the client's remaining extensions"
                + (parts.Count > 0 ? " (" + string.Join("; ", parts) + ")" : ext.Count == 0 ? " (none to confirm)" : "") + ".";
        }
    }
}
