using System;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.Globalization;
using System.Linq;
using System.Text;
using Org.BouncyCastle.Tls;

namespace TlsTools.Tls
{
    /// <summary>
    /// Turns handshake message bytes into a <see cref="TranscriptMessage"/> with decoded fields and a plain-words explanation.
    /// Never throws on malformed input: what cannot be decoded is reported in <see cref="TranscriptMessage.DecodeError"/>.
    /// </summary>
    public static class TranscriptDecoder
    {
        private static readonly byte[] HelloRetryRequestRandom = FromHex("CF21AD74E59A6111BE1D8C021E65B891C2A211167ABB8C5E079E09E2C8A8339C");

        /// <summary>Decodes one handshake message (4-byte header and body) on its own, guessing the version from the bytes where it matters.</summary>
        public static TranscriptMessage Decode(Sender sender, byte[] message) => Decode(sender, message, null);

        /// <summary>Decodes one handshake message; <paramref name="version"/> is the negotiated version when known (the Certificate and NewSessionTicket layouts depend on it).</summary>
        public static TranscriptMessage Decode(Sender sender, byte[] message, TlsVersion? version) =>
            DecodeHandshake(sender, message, new DecodeContext { Version = version });

        /// <summary>Decodes a whole handshake in order, so each message is explained with what came before.</summary>
        public static TranscriptMessage[] DecodeAll(IEnumerable<(Sender Sender, byte ContentType, byte[] Data)> messages)
        {
            var ctx = new DecodeContext();
            var list = new List<TranscriptMessage>();
            foreach (var (s, ct, data) in messages)
                list.Add(DecodeRecordMessage(s, ct, data, ctx));
            return list.ToArray();
        }

        internal static TranscriptMessage DecodeRecordMessage(Sender sender, byte contentType, byte[] data, DecodeContext ctx)
        {
            switch (contentType)
            {
                case 20: return DecodeChangeCipherSpec(sender, data, ctx);
                case 21: return DecodeAlert(sender, data, ctx);
                default: return DecodeHandshake(sender, data, ctx);
            }
        }

        internal static TranscriptMessage DecodeChangeCipherSpec(Sender sender, byte[]? body, DecodeContext ctx)
        {
            body ??= Array.Empty<byte>();
            var m = new TranscriptMessage(sender, TranscriptMessageType.ChangeCipherSpec, body.Length, body);
            m.Fields["Value"] = body.Length == 1 ? body[0].ToString(CultureInfo.InvariantCulture) : Hex(body);
            if (body.Length != 1 || body[0] != 1) m.DecodeError = "A ChangeCipherSpec record holds the single byte 1.";
            m.Explanation = ctx.Version == TlsVersion.Tls13 || (ctx.Version == null && ctx.OfferedTls13 && ctx.ServerChoseTls13)
                ? "Change Cipher Spec: a dummy record for middlebox compatibility; in TLS 1.3 it changes nothing."
                : "Change Cipher Spec: the " + Name(sender) + " switches to the keys just negotiated; its following records are encrypted.";
            return m;
        }

        internal static TranscriptMessage DecodeAlert(Sender sender, byte[]? body, DecodeContext ctx)
        {
            body ??= Array.Empty<byte>();
            var m = new TranscriptMessage(sender, TranscriptMessageType.Alert, body.Length, body);
            if (body.Length < 2)
            {
                m.DecodeError = "An alert is 2 bytes (level, description); got " + body.Length + ".";
                m.Explanation = "Alert: the " + Name(sender) + " sent an alert that could not be read.";
                return m;
            }
            string level = body[0] == 1 ? "warning" : body[0] == 2 ? "fatal" : "0x" + body[0].ToString("x2", CultureInfo.InvariantCulture);
            string desc = TlsNames.AlertName(body[1]);
            m.Fields["Level"] = level;
            m.Fields["Description"] = desc;
            if (body.Length > 2) m.DecodeError = "An alert is 2 bytes; " + (body.Length - 2) + " more followed.";
            m.Explanation = desc == "close_notify"
                ? "Alert: the " + Name(sender) + " closes the connection cleanly (close_notify)."
                : "Alert: the " + Name(sender) + " sent a " + level + " " + desc + " alert: " + AlertMeaning(desc) + ".";
            return m;
        }

        internal static TranscriptMessage DecodeHandshake(Sender sender, byte[]? message, DecodeContext ctx)
        {
            message ??= Array.Empty<byte>();
            var type = message.Length > 0 ? TypeOf(message[0]) : TranscriptMessageType.Unknown;
            int declared = message.Length >= 4 ? (message[1] << 16) | (message[2] << 8) | message[3] : 0;
            if (type == TranscriptMessageType.ServerHello && message.Length >= 4 + 2 + 32 && Same(message, 6, HelloRetryRequestRandom))
                type = TranscriptMessageType.HelloRetryRequest;
            var m = new TranscriptMessage(sender, type, Math.Max(0, message.Length - 4), message);
            try
            {
                if (message.Length < 4)
                    throw new DecodeException("A handshake message has a 4-byte header; got " + message.Length + " bytes.");
                m.Fields["HandshakeType"] = type == TranscriptMessageType.Unknown ? "0x" + message[0].ToString("x2", CultureInfo.InvariantCulture) : type.ToString();
                if (declared != message.Length - 4)
                    throw new DecodeException("The header says " + declared + " body bytes but " + (message.Length - 4) + " are present.");
                var r = new Reader(message, 4, message.Length - 4);
                switch (type)
                {
                    case TranscriptMessageType.ClientHello: ClientHello(m, r, ctx); break;
                    case TranscriptMessageType.ServerHello:
                    case TranscriptMessageType.HelloRetryRequest: ServerHello(m, r, ctx); break;
                    case TranscriptMessageType.EncryptedExtensions: EncryptedExtensions(m, r, ctx); break;
                    case TranscriptMessageType.Certificate: CertificateMessage(m, r, ctx); break;
                    case TranscriptMessageType.CertificateRequest: CertificateRequestMessage(m, r, ctx); break;
                    case TranscriptMessageType.ServerKeyExchange: ServerKeyExchange(m, r, ctx); break;
                    case TranscriptMessageType.ServerHelloDone:
                        r.End();
                        m.Explanation = "Server Hello Done: the server has sent its whole first flight and waits for the client's key exchange.";
                        break;
                    case TranscriptMessageType.ClientKeyExchange: ClientKeyExchange(m, r, ctx); break;
                    case TranscriptMessageType.CertificateVerify: CertificateVerify(m, r, ctx); break;
                    case TranscriptMessageType.Finished: Finished(m, r, ctx); break;
                    case TranscriptMessageType.NewSessionTicket: NewSessionTicket(m, r, ctx); break;
                    case TranscriptMessageType.KeyUpdate:
                        int req = r.U8();
                        r.End();
                        m.Fields["RequestUpdate"] = req == 1 ? "update_requested" : req == 0 ? "update_not_requested" : req.ToString(CultureInfo.InvariantCulture);
                        m.Explanation = "Key Update: the " + Name(sender) + " switches to the next generation of traffic keys.";
                        break;
                    case TranscriptMessageType.CertificateStatus:
                        int st = r.U8();
                        var resp = r.Vector(3);
                        m.Fields["StatusType"] = st == 1 ? "ocsp" : st.ToString(CultureInfo.InvariantCulture);
                        m.Fields["ResponseLength"] = resp.Length;
                        m.Explanation = "Certificate Status: the server stapled a " + resp.Length + "-byte OCSP response about its certificate.";
                        break;
                    case TranscriptMessageType.HelloRequest:
                        m.Explanation = "Hello Request: the server asks the client to start a new handshake.";
                        break;
                    case TranscriptMessageType.EndOfEarlyData:
                        m.Explanation = "End Of Early Data: the client finished sending 0-RTT data.";
                        break;
                    default:
                        m.Fields["Body"] = Preview(message, 4, message.Length - 4);
                        m.Explanation = "A handshake message of type " + message[0] + " that TlsTools does not decode.";
                        break;
                }
            }
            catch (DecodeException e)
            {
                m.DecodeError = e.Message;
            }
            catch (Exception e)
            {
                m.DecodeError = "Could not decode: " + e.Message;
            }
            if (m.DecodeError != null && string.IsNullOrEmpty(m.Explanation))
                m.Explanation = Spaced(type) + ": the " + Name(sender) + " sent a message that could not be fully decoded (" + m.DecodeError + ").";
            return m;
        }

        // ---------------------------------------------------------------- messages

        private static void ClientHello(TranscriptMessage m, Reader r, DecodeContext ctx)
        {
            int legacy = r.U16();
            m.Fields["LegacyVersion"] = VersionText(legacy);
            m.Fields["Random"] = Hex(r.Bytes(32));
            var sid = r.Vector(1);
            m.Fields["SessionId"] = Hex(sid);
            var suitesRaw = r.Vector(2);
            var suites = new List<string>();
            for (int i = 0; i + 1 < suitesRaw.Length; i += 2) suites.Add(TlsNames.CipherSuiteName((suitesRaw[i] << 8) | suitesRaw[i + 1]));
            m.Fields["CipherSuites"] = suites.ToArray();
            var comp = r.Vector(1);
            m.Fields["CompressionMethods"] = comp.Select(c => c == 0 ? "null" : c == 1 ? "DEFLATE" : c.ToString(CultureInfo.InvariantCulture)).ToArray();
            var ext = new OrderedDictionary(StringComparer.Ordinal);
            var info = new HelloInfo();
            if (r.Remaining > 0) Extensions(ext, r.Vector(2), Sender.Client, TranscriptMessageType.ClientHello, info);
            r.End();
            m.Fields["Extensions"] = ext;

            var versions = info.SupportedVersions ?? new[] { VersionText(legacy) };
            m.Fields["OfferedVersions"] = versions;
            ctx.OfferedTls13 = info.SupportedVersions?.Contains("TLS 1.3") == true;
            if (ctx.ClientSessionId == null) ctx.ClientSessionId = sid;
            ctx.ClientHelloCount++;

            var sb = new StringBuilder("Client Hello: the client ");
            if (ctx.ClientHelloCount > 1) sb.Append("tried again as asked and ");
            sb.Append("offered ").Append(JoinOr(versions)).Append(" with ").Append(suites.Count).Append(suites.Count == 1 ? " cipher suite" : " cipher suites");
            if (info.KeyShareGroups.Count > 0)
                sb.Append(" and ").Append(string.Join(", ", info.KeyShareGroups)).Append(info.KeyShareGroups.Count == 1 ? " key share" : " key shares");
            if (info.ServerName != null) sb.Append(", for server name '").Append(info.ServerName).Append('\'');
            if (info.Alpn.Count > 0) sb.Append(", ALPN ").Append(string.Join(", ", info.Alpn));
            if (sid.Length > 0 && !ctx.OfferedTls13)
                sb.Append("; it asks to resume session ").Append(Short(Hex(sid)));
            sb.Append('.');
            m.Explanation = sb.ToString();
        }

        private static void ServerHello(TranscriptMessage m, Reader r, DecodeContext ctx)
        {
            bool hrr = m.Type == TranscriptMessageType.HelloRetryRequest;
            int legacy = r.U16();
            m.Fields["LegacyVersion"] = VersionText(legacy);
            var random = r.Bytes(32);
            m.Fields["Random"] = Hex(random);
            var sid = r.Vector(1);
            m.Fields["SessionId"] = Hex(sid);
            int suite = r.U16();
            m.Fields["CipherSuite"] = TlsNames.CipherSuiteName(suite);
            int comp = r.U8();
            m.Fields["CompressionMethod"] = comp == 0 ? "null" : comp.ToString(CultureInfo.InvariantCulture);
            var ext = new OrderedDictionary(StringComparer.Ordinal);
            var info = new HelloInfo();
            if (r.Remaining > 0) Extensions(ext, r.Vector(2), Sender.Server, m.Type, info);
            r.End();
            m.Fields["Extensions"] = ext;

            int chosen = info.SelectedVersion ?? legacy;
            m.Fields["Version"] = VersionText(chosen);
            var tv = TlsNames.ToVersion(chosen);
            ctx.Version = tv;
            ctx.ServerChoseTls13 = tv == TlsVersion.Tls13;
            ctx.CipherSuite = suite;
            ctx.KeyExchange = SafeKeyExchange(suite);
            if (info.KeyShareGroups.Count > 0) ctx.Group = info.KeyShareGroups[0];
            if (info.Alpn.Count > 0) ctx.Alpn = info.Alpn[0];

            if (!hrr && tv != TlsVersion.Tls13)
            {
                var tail = random.Length == 32 ? Encoding.ASCII.GetString(random, 24, 7) : "";
                if (tail == "DOWNGRD") m.Fields["DowngradeSentinel"] = random[31] == 1 ? "TLS 1.2" : "TLS 1.1 or below";
            }

            if (hrr)
            {
                m.Explanation = "Hello Retry Request: the server accepts none of the offered key shares"
                    + (ctx.Group != null ? " and asks the client to send a new Client Hello with a " + ctx.Group + " key share" : " and asks the client for a new Client Hello")
                    + " (" + TlsNames.CipherSuiteName(suite) + ").";
                return;
            }
            ctx.ServerHelloSeen = true;
            if (tv == TlsVersion.Tls13)
            {
                m.Explanation = "Server Hello: the server chose TLS 1.3 and " + TlsNames.CipherSuiteName(suite)
                    + (ctx.Group != null ? " and sent its own " + ctx.Group + " key share" : "")
                    + "; both sides now compute the shared secret and derive handshake keys, so everything after this is encrypted.";
                return;
            }
            ctx.Resumed = sid.Length > 0 && ctx.ClientSessionId != null && ctx.ClientSessionId.Length > 0 && Same(sid, 0, ctx.ClientSessionId);
            var sb = new StringBuilder("Server Hello: the server chose ").Append(VersionText(chosen)).Append(" and ").Append(TlsNames.CipherSuiteName(suite));
            if (info.Alpn.Count > 0) sb.Append(", ALPN ").Append(info.Alpn[0]);
            if (ctx.Resumed)
                sb.Append("; it accepted resuming session ").Append(Short(Hex(sid))).Append(", so no certificate or key exchange follows: both sides reuse the earlier master secret with the new randoms.");
            else if (sid.Length > 0)
                sb.Append("; it named this session ").Append(Short(Hex(sid))).Append(" for later resumption.");
            else
                sb.Append('.');
            m.Explanation = sb.ToString();
        }

        private static void EncryptedExtensions(TranscriptMessage m, Reader r, DecodeContext ctx)
        {
            var ext = new OrderedDictionary(StringComparer.Ordinal);
            var info = new HelloInfo();
            Extensions(ext, r.Vector(2), Sender.Server, TranscriptMessageType.EncryptedExtensions, info);
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

        private static void CertificateMessage(TranscriptMessage m, Reader r, DecodeContext ctx)
        {
            bool tls13 = ctx.Version == TlsVersion.Tls13;
            if (ctx.Version == null)
            {
                // Guess the layout: TLS 1.2 starts with a 3-byte list length covering the rest.
                int len12 = r.Remaining >= 3 ? r.PeekU24() : -1;
                tls13 = len12 != r.Remaining - 3;
            }
            var subjects = new List<string>();
            var issuers = new List<string>();
            if (tls13)
            {
                var context = r.Vector(1);
                m.Fields["RequestContext"] = Hex(context);
                var list = new Reader(r.Vector(3));
                while (list.Remaining > 0)
                {
                    var der = list.Vector(3);
                    var exts = list.Vector(2);
                    AddCert(der, subjects, issuers);
                    if (exts.Length > 0) m.Fields["EntryExtensions" + subjects.Count] = exts.Length + " bytes";
                }
            }
            else
            {
                var list = new Reader(r.Vector(3));
                while (list.Remaining > 0) AddCert(list.Vector(3), subjects, issuers);
            }
            r.End();
            m.Fields["CertificateCount"] = subjects.Count;
            m.Fields["Subjects"] = subjects.ToArray();
            m.Fields["Issuers"] = issuers.ToArray();

            if (m.Sender == Sender.Server)
            {
                ctx.ServerCertificateKey = ctx.LastCertificateKey;
                if (subjects.Count == 0)
                {
                    m.Explanation = "Certificate: the server sent an empty certificate list.";
                    return;
                }
                var sb = new StringBuilder("Certificate: the server sent its chain of ").Append(subjects.Count).Append(subjects.Count == 1 ? " certificate" : " certificates")
                    .Append(", leaf '").Append(subjects[0]).Append("' issued by '").Append(issuers[0]).Append("'; ");
                if (ctx.Version == TlsVersion.Tls13)
                    sb.Append("the Certificate Verify that follows proves the server holds the leaf's private key (the chain itself is checked separately).");
                else if (ctx.KeyExchange == KeyExchangeAlgorithm.RSA)
                    sb.Append("the client will encrypt the premaster secret to this certificate's RSA public key (the chain itself is checked separately).");
                else
                    sb.Append("the server will sign its key exchange with the leaf's private key (the chain itself is checked separately).");
                m.Explanation = sb.ToString();
            }
            else
            {
                ctx.ClientCertificateSent = subjects.Count > 0;
                m.Explanation = subjects.Count == 0
                    ? "Certificate: the server asked for a client certificate and the client sent none (an empty list)."
                    : "Certificate: the client sent its certificate '" + subjects[0] + "' (issued by '" + issuers[0] + "') as the server asked.";
            }
        }

        private static void AddCert(byte[] der, List<string> subjects, List<string> issuers)
        {
            try
            {
                var cert = new Org.BouncyCastle.X509.X509Certificate(Org.BouncyCastle.Asn1.X509.X509CertificateStructure.GetInstance(der));
                subjects.Add(cert.SubjectDN.ToString());
                issuers.Add(cert.IssuerDN.ToString());
            }
            catch (Exception)
            {
                subjects.Add("(unreadable certificate, " + der.Length + " bytes)");
                issuers.Add("?");
            }
        }

        private static void CertificateRequestMessage(TranscriptMessage m, Reader r, DecodeContext ctx)
        {
            ctx.CertificateRequested = true;
            bool tls13 = ctx.Version == TlsVersion.Tls13 || (ctx.Version == null && r.Remaining >= 1 && r.PeekU8() == 0);
            string[] schemes = Array.Empty<string>();
            if (tls13)
            {
                m.Fields["RequestContext"] = Hex(r.Vector(1));
                var ext = new OrderedDictionary(StringComparer.Ordinal);
                var info = new HelloInfo();
                Extensions(ext, r.Vector(2), Sender.Server, TranscriptMessageType.CertificateRequest, info);
                m.Fields["Extensions"] = ext;
                schemes = info.SignatureSchemes.ToArray();
            }
            else
            {
                var types = r.Vector(1);
                m.Fields["CertificateTypes"] = types.Select(ClientCertTypeName).ToArray();
                if (ctx.Version == null || ctx.Version >= TlsVersion.Tls12)
                {
                    schemes = SchemeList(r.Vector(2));
                    m.Fields["SignatureAlgorithms"] = schemes;
                }
                var cas = new Reader(r.Vector(2));
                var names = new List<string>();
                while (cas.Remaining > 0)
                {
                    var dn = cas.Vector(2);
                    try { names.Add(Org.BouncyCastle.Asn1.X509.X509Name.GetInstance(Org.BouncyCastle.Asn1.Asn1Object.FromByteArray(dn)).ToString()); }
                    catch (Exception) { names.Add("(unreadable name, " + dn.Length + " bytes)"); }
                }
                m.Fields["CertificateAuthorities"] = names.ToArray();
            }
            r.End();
            m.Explanation = "Certificate Request: the server asks the client to authenticate with a certificate"
                + (schemes.Length > 0 ? " and a signature by one of " + Abbrev(schemes, 4) : "") + ".";
        }

        private static void ServerKeyExchange(TranscriptMessage m, Reader r, DecodeContext ctx)
        {
            bool ecdhe = ctx.KeyExchange == null ? r.Remaining > 0 && r.PeekU8() == 3 : IsEcdhe(ctx.KeyExchange.Value);
            string what;
            if (ecdhe)
            {
                int curveType = r.U8();
                if (curveType != 3) throw new DecodeException("Only named curves (curve type 3) are decoded; got curve type " + curveType + ".");
                m.Fields["CurveType"] = "named_curve";
                var group = TlsNames.GroupName(r.U16());
                m.Fields["NamedGroup"] = group;
                var point = r.Vector(1);
                m.Fields["PublicKeyLength"] = point.Length;
                ctx.Group = group;
                what = "its ephemeral " + group + " public key";
            }
            else
            {
                var p = r.Vector(2);
                var g = r.Vector(2);
                var ys = r.Vector(2);
                int bits = BitLength(p);
                m.Fields["DhPrimeBits"] = bits;
                m.Fields["DhGenerator"] = Hex(g);
                m.Fields["PublicKeyLength"] = ys.Length;
                var ff = FfdheName(p);
                if (ff != null) { m.Fields["NamedGroup"] = ff; ctx.Group = ff; }
                ctx.DhBits = bits;
                what = "its ephemeral Diffie-Hellman public value in a " + bits + "-bit group" + (ff != null ? " (" + ff + ")" : "");
            }
            string? scheme = ReadSignature(m, r, ctx);
            r.End();
            ctx.ServerSignatureScheme = scheme ?? ctx.ServerSignatureScheme;
            m.Explanation = "Server Key Exchange: the server sent " + what + ", signed with its certificate's private key"
                + (scheme != null ? " (" + scheme + ")" : "") + "; the client verifies the signature with the certificate's public key.";
        }

        private static void ClientKeyExchange(TranscriptMessage m, Reader r, DecodeContext ctx)
        {
            int? kx = ctx.KeyExchange;
            if (kx == null)
            {
                // Guess: an EC point has a 1-byte length, RSA and DH values a 2-byte one.
                kx = r.Remaining > 0 && r.PeekU8() == r.Remaining - 1 ? KeyExchangeAlgorithm.ECDHE_RSA : KeyExchangeAlgorithm.RSA;
            }
            if (IsEcdhe(kx.Value))
            {
                var point = r.Vector(1);
                r.End();
                m.Fields["PublicKeyLength"] = point.Length;
                m.Explanation = "Client Key Exchange: the client sent its " + (ctx.Group ?? "ephemeral") + " public key; both sides now derive the same premaster secret.";
            }
            else if (kx == KeyExchangeAlgorithm.RSA)
            {
                byte[] enc = ctx.Version == TlsVersion.Ssl30 ? r.Bytes(r.Remaining) : r.Vector(2);
                r.End();
                m.Fields["EncryptedPreMasterSecretLength"] = enc.Length;
                m.Explanation = "Client Key Exchange: the client encrypted a 48-byte premaster secret to the server's RSA public key from its certificate; only the holder of the matching private key can decrypt it.";
            }
            else
            {
                var yc = r.Vector(2);
                r.End();
                m.Fields["PublicKeyLength"] = yc.Length;
                m.Explanation = "Client Key Exchange: the client sent its Diffie-Hellman public value" + (ctx.DhBits > 0 ? " (" + ctx.DhBits + "-bit group)" : "") + "; both sides now derive the same premaster secret.";
            }
        }

        private static void CertificateVerify(TranscriptMessage m, Reader r, DecodeContext ctx)
        {
            string? scheme = ReadSignature(m, r, ctx);
            r.End();
            if (m.Sender == Sender.Server) ctx.ServerSignatureScheme = scheme ?? ctx.ServerSignatureScheme;
            string who = Name(m.Sender), whose = m.Sender == Sender.Server ? "server's" : "client's", other = Name(Other(m.Sender));
            m.Explanation = "Certificate Verify: the " + who + " signed the handshake so far with its private key" + (scheme != null ? " (" + scheme + ")" : "")
                + "; the " + other + " verifies the signature with the public key in the " + whose + " certificate, which proves the " + who + " holds that key.";
        }

        private static string? ReadSignature(TranscriptMessage m, Reader r, DecodeContext ctx)
        {
            // TLS 1.2+ put a 2-byte signature scheme before the 2-byte-length signature; TLS 1.0/1.1 do not.
            bool hasScheme = ctx.Version == null ? r.Remaining >= 4 && r.PeekU16(2) == r.Remaining - 4 : ctx.Version >= TlsVersion.Tls12;
            string? scheme = null;
            if (hasScheme)
            {
                scheme = TlsNames.SchemeName(r.U16());
                m.Fields["SignatureScheme"] = scheme;
            }
            var sig = r.Vector(2);
            m.Fields["SignatureLength"] = sig.Length;
            return scheme;
        }

        private static void Finished(TranscriptMessage m, Reader r, DecodeContext ctx)
        {
            var data = r.Bytes(r.Remaining);
            m.Fields["VerifyData"] = Hex(data);
            string who = Name(m.Sender), other = Name(Other(m.Sender));
            m.Explanation = "Finished: the " + who + " sent a MAC over the whole handshake (" + data.Length + " bytes) under the new keys; the "
                + other + " checks it, which confirms both saw the same messages and derived the same keys"
                + (ctx.Resumed ? " (resumed session)" : "") + ".";
        }

        private static void NewSessionTicket(TranscriptMessage m, Reader r, DecodeContext ctx)
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
                m.Fields["Nonce"] = Hex(r.Vector(1));
                ticketLength = r.Vector(2).Length;
                m.Fields["TicketLength"] = ticketLength;
                var ext = new OrderedDictionary(StringComparer.Ordinal);
                Extensions(ext, r.Vector(2), Sender.Server, TranscriptMessageType.NewSessionTicket, new HelloInfo());
                m.Fields["Extensions"] = ext;
            }
            else
            {
                ticketLength = r.Vector(2).Length;
                m.Fields["TicketLength"] = ticketLength;
            }
            r.End();
            m.Explanation = "New Session Ticket: the server gave the client a " + ticketLength + "-byte ticket, valid for " + lifetime
                + " s, to resume the session later" + (tls13 ? " (TlsTools cannot use TLS 1.3 tickets; BouncyCastle discards them)" : "") + ".";
        }

        // ---------------------------------------------------------------- extensions

        private sealed class HelloInfo
        {
            public string[]? SupportedVersions;
            public int? SelectedVersion;
            public readonly List<string> KeyShareGroups = new List<string>();
            public string? ServerName;
            public readonly List<string> Alpn = new List<string>();
            public readonly List<string> SignatureSchemes = new List<string>();
        }

        private static void Extensions(OrderedDictionary target, byte[] block, Sender sender, TranscriptMessageType msg, HelloInfo info)
        {
            var r = new Reader(block);
            while (r.Remaining > 0)
            {
                int type = r.U16();
                var data = r.Vector(2);
                string name = TlsNames.ExtensionName(type);
                if ((type & 0x0F0F) == 0x0A0A) name = "GREASE (0x" + type.ToString("x4", CultureInfo.InvariantCulture) + ")";
                object value;
                try { value = ExtensionValue(type, data, sender, msg, info); }
                catch (Exception e) when (e is DecodeException || e is IndexOutOfRangeException) { value = "malformed (" + data.Length + " bytes): " + e.Message; }
                var key = name;
                for (int i = 2; target.Contains(key); i++) key = name + " #" + i;
                target[key] = value;
            }
        }

        private static object ExtensionValue(int type, byte[] data, Sender sender, TranscriptMessageType msg, HelloInfo info)
        {
            var r = new Reader(data);
            switch (type)
            {
                case ExtensionType.server_name:
                {
                    if (data.Length == 0) return "acknowledged";
                    var list = new Reader(r.Vector(2));
                    var names = new List<string>();
                    while (list.Remaining > 0)
                    {
                        int nt = list.U8();
                        var n = list.Vector(2);
                        names.Add(nt == 0 ? Ascii(n) : "type " + nt + ": " + Hex(n));
                    }
                    if (names.Count > 0) info.ServerName = names[0];
                    return names.Count == 1 ? names[0] : (object)names.ToArray();
                }
                case ExtensionType.supported_groups:
                    return U16List(r.Vector(2)).Select(TlsNames.GroupName).ToArray();
                case ExtensionType.ec_point_formats:
                    return r.Vector(1).Select(b => b == 0 ? "uncompressed" : b == 1 ? "ansiX962_compressed_prime" : b == 2 ? "ansiX962_compressed_char2" : b.ToString(CultureInfo.InvariantCulture)).ToArray();
                case ExtensionType.signature_algorithms:
                case ExtensionType.signature_algorithms_cert:
                {
                    var schemes = SchemeList(r.Vector(2));
                    if (type == ExtensionType.signature_algorithms) info.SignatureSchemes.AddRange(schemes);
                    return schemes;
                }
                case ExtensionType.application_layer_protocol_negotiation:
                {
                    var list = new Reader(r.Vector(2));
                    while (list.Remaining > 0) info.Alpn.Add(Ascii(list.Vector(1)));
                    return info.Alpn.Count == 1 && sender == Sender.Server ? info.Alpn[0] : (object)info.Alpn.ToArray();
                }
                case ExtensionType.supported_versions:
                    if (sender == Sender.Client)
                    {
                        var v = U16List(r.Vector(1)).Select(VersionText).ToArray();
                        info.SupportedVersions = v.Where(x => x != "GREASE").ToArray();
                        return v;
                    }
                    info.SelectedVersion = r.U16();
                    return VersionText(info.SelectedVersion.Value);
                case ExtensionType.key_share:
                    if (msg == TranscriptMessageType.HelloRetryRequest)
                    {
                        var g = TlsNames.GroupName(r.U16());
                        info.KeyShareGroups.Add(g);
                        return "asks for " + g;
                    }
                    if (sender == Sender.Client)
                    {
                        var list = new Reader(r.Vector(2));
                        var shares = new List<string>();
                        while (list.Remaining > 0)
                        {
                            var g = TlsNames.GroupName(list.U16());
                            var k = list.Vector(2);
                            info.KeyShareGroups.Add(g);
                            shares.Add(g + " (" + k.Length + "-byte key)");
                        }
                        return shares.ToArray();
                    }
                    else
                    {
                        var g = TlsNames.GroupName(r.U16());
                        var k = r.Vector(2);
                        info.KeyShareGroups.Add(g);
                        return g + " (" + k.Length + "-byte key)";
                    }
                case ExtensionType.psk_key_exchange_modes:
                    return r.Vector(1).Select(b => b == 0 ? "psk_ke" : b == 1 ? "psk_dhe_ke" : b.ToString(CultureInfo.InvariantCulture)).ToArray();
                case ExtensionType.renegotiation_info:
                {
                    var v = r.Vector(1);
                    return v.Length == 0 ? "empty (initial handshake)" : Hex(v);
                }
                case ExtensionType.record_size_limit:
                    return r.U16();
                case ExtensionType.max_fragment_length:
                    return r.U8() switch { 1 => "512", 2 => "1024", 3 => "2048", 4 => "4096", var x => x.ToString(CultureInfo.InvariantCulture) };
                case ExtensionType.status_request:
                    if (data.Length == 0) return "acknowledged";
                    return r.U8() == 1 ? "ocsp" : "other";
                case ExtensionType.pre_shared_key:
                    if (sender == Sender.Server) return "selected identity " + r.U16();
                    return new Reader(r.Vector(2)).CountVectors(2, 4) + " identities";
                case ExtensionType.early_data:
                    return data.Length == 4 ? "max " + r.U32() + " bytes" : "requested";
                case ExtensionType.padding:
                    return data.Length + " bytes";
                default:
                    if (data.Length == 0) return "present";
                    return data.Length <= 32 ? Hex(data) : data.Length + " bytes";
            }
        }

        // ---------------------------------------------------------------- helpers

        private static TranscriptMessageType TypeOf(byte t)
        {
            switch (t)
            {
                case 0: return TranscriptMessageType.HelloRequest;
                case 1: return TranscriptMessageType.ClientHello;
                case 2: return TranscriptMessageType.ServerHello;
                case 4: return TranscriptMessageType.NewSessionTicket;
                case 5: return TranscriptMessageType.EndOfEarlyData;
                case 8: return TranscriptMessageType.EncryptedExtensions;
                case 11: return TranscriptMessageType.Certificate;
                case 12: return TranscriptMessageType.ServerKeyExchange;
                case 13: return TranscriptMessageType.CertificateRequest;
                case 14: return TranscriptMessageType.ServerHelloDone;
                case 15: return TranscriptMessageType.CertificateVerify;
                case 16: return TranscriptMessageType.ClientKeyExchange;
                case 20: return TranscriptMessageType.Finished;
                case 22: return TranscriptMessageType.CertificateStatus;
                case 24: return TranscriptMessageType.KeyUpdate;
                default: return TranscriptMessageType.Unknown;
            }
        }

        internal static int? SafeKeyExchange(int suite)
        {
            try
            {
                int kx = TlsUtilities.GetKeyExchangeAlgorithm(suite);
                return kx < 0 ? (int?)null : kx;
            }
            catch (Exception)
            {
                return null;
            }
        }

        internal static bool IsEcdhe(int kx) =>
            kx == KeyExchangeAlgorithm.ECDHE_RSA || kx == KeyExchangeAlgorithm.ECDHE_ECDSA || kx == KeyExchangeAlgorithm.ECDH_anon || kx == KeyExchangeAlgorithm.ECDHE_PSK;

        internal static string KeyExchangeName(int kx)
        {
            switch (kx)
            {
                case KeyExchangeAlgorithm.RSA: return "RSA";
                case KeyExchangeAlgorithm.DHE_RSA: case KeyExchangeAlgorithm.DHE_DSS: return "DHE";
                case KeyExchangeAlgorithm.ECDHE_RSA: case KeyExchangeAlgorithm.ECDHE_ECDSA: return "ECDHE";
                case KeyExchangeAlgorithm.NULL: return "(EC)DHE";
                case KeyExchangeAlgorithm.PSK: return "PSK";
                case KeyExchangeAlgorithm.ECDHE_PSK: return "ECDHE_PSK";
                case KeyExchangeAlgorithm.DHE_PSK: return "DHE_PSK";
                case KeyExchangeAlgorithm.DH_anon: return "DH_anon";
                case KeyExchangeAlgorithm.ECDH_anon: return "ECDH_anon";
                default: return "kx" + kx.ToString(CultureInfo.InvariantCulture);
            }
        }

        private static string[] SchemeList(byte[] data) => U16List(data).Select(TlsNames.SchemeName).ToArray();

        private static List<int> U16List(byte[] data)
        {
            if (data.Length % 2 != 0) throw new DecodeException("A list of 2-byte values has odd length " + data.Length + ".");
            var list = new List<int>();
            for (int i = 0; i + 1 < data.Length; i += 2) list.Add((data[i] << 8) | data[i + 1]);
            return list;
        }

        private static string ClientCertTypeName(byte b) => b switch
        {
            1 => "rsa_sign",
            2 => "dss_sign",
            3 => "rsa_fixed_dh",
            4 => "dss_fixed_dh",
            64 => "ecdsa_sign",
            65 => "rsa_fixed_ecdh",
            66 => "ecdsa_fixed_ecdh",
            _ => b.ToString(CultureInfo.InvariantCulture),
        };

        private static string? FfdheName(byte[] p)
        {
            // RFC 7919 primes all start with 64 one-bits and end with 64 one-bits; identify by size.
            if (p.Length < 16 || p.Take(8).Any(b => b != 0xFF) || p.Skip(p.Length - 8).Any(b => b != 0xFF)) return null;
            if (p.Length > 8 && p[8] != 0xAD) return null; // RFC 7919 primes continue with ADF85458...
            return p.Length switch { 256 => "ffdhe2048", 384 => "ffdhe3072", 512 => "ffdhe4096", 768 => "ffdhe6144", 1024 => "ffdhe8192", _ => null };
        }

        private static int BitLength(byte[] v)
        {
            int i = 0;
            while (i < v.Length && v[i] == 0) i++;
            if (i == v.Length) return 0;
            int bits = (v.Length - i) * 8, top = v[i];
            while ((top & 0x80) == 0) { bits--; top <<= 1; }
            return bits;
        }

        internal static string VersionText(int v) => TlsNames.VersionName(v);

        private static string Name(Sender s) => s == Sender.Client ? "client" : "server";
        private static Sender Other(Sender s) => s == Sender.Client ? Sender.Server : Sender.Client;

        private static string Spaced(TranscriptMessageType t)
        {
            var s = t.ToString();
            var sb = new StringBuilder();
            for (int i = 0; i < s.Length; i++)
            {
                if (i > 0 && char.IsUpper(s[i]) && !char.IsUpper(s[i - 1])) sb.Append(' ');
                sb.Append(s[i]);
            }
            return sb.ToString();
        }

        private static string JoinOr(IList<string> items) =>
            items.Count <= 1 ? string.Join("", items) : string.Join(", ", items.Take(items.Count - 1)) + " or " + items[items.Count - 1];

        private static string Abbrev(string[] items, int max) =>
            items.Length <= max ? string.Join(", ", items) : string.Join(", ", items.Take(max)) + " and " + (items.Length - max) + " more";

        private static string Short(string hex) => hex.Length > 16 ? hex.Substring(0, 16) + "…" : hex;

        internal static string Hex(byte[] data)
        {
            var sb = new StringBuilder(data.Length * 2);
            foreach (var b in data) sb.Append(b.ToString("x2", CultureInfo.InvariantCulture));
            return sb.ToString();
        }

        private static string Preview(byte[] data, int off, int len) =>
            len <= 64 ? Hex(data.Skip(off).Take(len).ToArray()) : Hex(data.Skip(off).Take(64).ToArray()) + "… (" + len + " bytes)";

        private static string Ascii(byte[] b)
        {
            var chars = b.Select(x => x >= 0x20 && x < 0x7F ? (char)x : '?').ToArray();
            return new string(chars);
        }

        private static bool Same(byte[] data, int off, byte[] expected)
        {
            if (off + expected.Length > data.Length) return false;
            for (int i = 0; i < expected.Length; i++)
                if (data[off + i] != expected[i]) return false;
            return true;
        }

        private static byte[] FromHex(string hex)
        {
            var b = new byte[hex.Length / 2];
            for (int i = 0; i < b.Length; i++) b[i] = byte.Parse(hex.Substring(2 * i, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            return b;
        }

        private static string AlertMeaning(string name)
        {
            switch (name)
            {
                case "protocol_version": return "there is no protocol version both sides accept";
                case "handshake_failure": return "no acceptable set of security parameters (suites, groups, signatures) was found";
                case "insufficient_security": return "the offer was below the peer's minimum security";
                case "certificate_required": return "a client certificate was required and none was sent";
                case "bad_certificate": return "a certificate was corrupt or could not be verified";
                case "unknown_ca": return "the certificate chain does not lead to a trusted CA";
                case "certificate_expired": return "a certificate has expired";
                case "certificate_unknown": return "a certificate was not accepted";
                case "decode_error": return "a message could not be decoded";
                case "decrypt_error": return "a signature or Finished MAC did not verify";
                case "unexpected_message": return "a message arrived that did not fit the handshake";
                case "illegal_parameter": return "a field held a value that is not allowed here";
                case "unrecognized_name": return "the server does not know the requested server name";
                case "no_application_protocol": return "no offered ALPN protocol is acceptable";
                case "missing_extension": return "a required extension was missing";
                case "unsupported_extension": return "an extension was sent that was not offered";
                case "internal_error": return "the sender hit an internal error";
                case "record_overflow": return "a record was too long";
                case "bad_record_mac": return "a record could not be decrypted or authenticated";
                case "inappropriate_fallback": return "the client fell back to a lower version while the server supports a higher one";
                default: return "the handshake cannot continue";
            }
        }

        // ---------------------------------------------------------------- reader

        private sealed class DecodeException : Exception
        {
            public DecodeException(string message) : base(message) { }
        }

        private sealed class Reader
        {
            private readonly byte[] _data;
            private int _pos;
            private readonly int _end;

            public Reader(byte[] data) : this(data, 0, data.Length) { }

            public Reader(byte[] data, int offset, int length)
            {
                _data = data;
                _pos = offset;
                _end = offset + length;
            }

            public int Remaining => _end - _pos;

            private void Need(int n)
            {
                if (n < 0 || n > Remaining)
                    throw new DecodeException("Truncated: needed " + n + " more bytes at offset " + _pos + ", " + Remaining + " left.");
            }

            public int U8() { Need(1); return _data[_pos++]; }
            public int PeekU8() { Need(1); return _data[_pos]; }
            public int U16() { Need(2); int v = (_data[_pos] << 8) | _data[_pos + 1]; _pos += 2; return v; }
            public int PeekU16(int at) => Remaining >= at + 2 ? (_data[_pos + at] << 8) | _data[_pos + at + 1] : -1;
            public int PeekU24() { Need(3); return (_data[_pos] << 16) | (_data[_pos + 1] << 8) | _data[_pos + 2]; }
            public long U32() { Need(4); long v = ((long)_data[_pos] << 24) | ((long)_data[_pos + 1] << 16) | ((long)_data[_pos + 2] << 8) | _data[_pos + 3]; _pos += 4; return v; }

            public byte[] Bytes(int n)
            {
                Need(n);
                var b = new byte[n];
                Buffer.BlockCopy(_data, _pos, b, 0, n);
                _pos += n;
                return b;
            }

            public byte[] Vector(int lengthBytes)
            {
                int len = lengthBytes == 1 ? U8() : lengthBytes == 2 ? U16() : (PeekU24() + Skip(3));
                return Bytes(len);
            }

            private int Skip(int n) { _pos += n; return 0; }

            public int CountVectors(int lengthBytes, int trailer)
            {
                int n = 0;
                while (Remaining > 0) { Vector(lengthBytes); Bytes(trailer); n++; }
                return n;
            }

            public void End()
            {
                if (Remaining != 0) throw new DecodeException(Remaining + " unexpected bytes at the end of the message.");
            }
        }
    }

    /// <summary>What earlier messages of the same handshake told the decoder.</summary>
    internal sealed class DecodeContext
    {
        public TlsVersion? Version;
        public bool OfferedTls13;
        public bool ServerChoseTls13;
        public bool ServerHelloSeen;
        public int? CipherSuite;
        public int? KeyExchange;
        public string? Group;
        public int DhBits;
        public string? Alpn;
        public byte[]? ClientSessionId;
        public int ClientHelloCount;
        public bool Resumed;
        public bool CertificateRequested;
        public bool ClientCertificateSent;
        public string? ServerSignatureScheme;
        public string? LastCertificateKey;
        public string? ServerCertificateKey;
    }
}
