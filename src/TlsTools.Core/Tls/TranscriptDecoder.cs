using System;
using System.Collections.Generic;

namespace TlsTools.Tls
{
    /// <summary>
    /// Turns handshake message bytes into a <see cref="TranscriptMessage"/> with decoded fields and a plain-words explanation.
    /// Never throws on malformed input: what cannot be decoded is reported in <see cref="TranscriptMessage.DecodeError"/>.
    /// The work is done per message family in <c>Tls/Decoding/</c>; names come from <see cref="TlsRegistry"/>.
    /// </summary>
    public static class TranscriptDecoder
    {
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
                case 20: return RecordDecoder.ChangeCipherSpec(sender, data, ctx);
                case 21: return RecordDecoder.Alert(sender, data, ctx);
                default: return DecodeHandshake(sender, data, ctx);
            }
        }

        internal static TranscriptMessage DecodeHandshake(Sender sender, byte[]? message, DecodeContext ctx)
        {
            message ??= Array.Empty<byte>();
            var type = message.Length > 0 ? TlsRegistry.HandshakeTypes.MessageType(message[0]) : TranscriptMessageType.Unknown;
            if (type == TranscriptMessageType.ServerHello && ServerMessages.IsHelloRetryRequest(message))
                type = TranscriptMessageType.HelloRetryRequest;
            var m = new TranscriptMessage(sender, type, Math.Max(0, message.Length - 4), message);
            try
            {
                if (message.Length < 4)
                    throw DecodeText.Fail("A handshake message has a 4-byte header; got " + message.Length + " bytes.");
                m.Fields["HandshakeType"] = type == TranscriptMessageType.Unknown ? TlsRegistry.HandshakeTypes.Name(message[0]) : type.ToString();
                int declared = (message[1] << 16) | (message[2] << 8) | message[3];
                if (declared != message.Length - 4)
                    throw DecodeText.Fail("The header says " + declared + " body bytes but " + (message.Length - 4) + " are present.");
                var r = new WireReader(message, 4, message.Length - 4, DecodeText.Spaced(type));
                switch (type)
                {
                    case TranscriptMessageType.ClientHello: HelloDecoder.ClientHello(m, r, ctx); break;
                    case TranscriptMessageType.ServerHello:
                    case TranscriptMessageType.HelloRetryRequest: HelloDecoder.ServerHello(m, r, ctx); break;
                    case TranscriptMessageType.EncryptedExtensions: HelloDecoder.EncryptedExtensions(m, r, ctx); break;
                    case TranscriptMessageType.Certificate: CertificateDecoder.Certificate(m, r, ctx); break;
                    case TranscriptMessageType.CertificateRequest: CertificateDecoder.CertificateRequest(m, r, ctx); break;
                    case TranscriptMessageType.CertificateVerify: CertificateDecoder.CertificateVerify(m, r, ctx); break;
                    case TranscriptMessageType.CertificateStatus: CertificateDecoder.CertificateStatus(m, r); break;
                    case TranscriptMessageType.ServerKeyExchange: KeyExchangeDecoder.ServerKeyExchange(m, r, ctx); break;
                    case TranscriptMessageType.ClientKeyExchange: KeyExchangeDecoder.ClientKeyExchange(m, r, ctx); break;
                    case TranscriptMessageType.ServerHelloDone: SessionDecoder.ServerHelloDone(m, r); break;
                    case TranscriptMessageType.Finished: SessionDecoder.Finished(m, r, ctx); break;
                    case TranscriptMessageType.NewSessionTicket: SessionDecoder.NewSessionTicket(m, r, ctx); break;
                    case TranscriptMessageType.KeyUpdate: SessionDecoder.KeyUpdate(m, r); break;
                    case TranscriptMessageType.HelloRequest:
                        m.Explanation = "Hello Request: the server asks the client to start a new handshake.";
                        break;
                    case TranscriptMessageType.EndOfEarlyData:
                        m.Explanation = "End Of Early Data: the client finished sending 0-RTT data.";
                        break;
                    default:
                        m.Fields["Body"] = DecodeText.Preview(message, 4, message.Length - 4);
                        m.Explanation = "A handshake message of type " + TlsRegistry.HandshakeTypes.Name(message[0]) + " that TlsTools does not decode.";
                        break;
                }
            }
            catch (TlsToolsException e)
            {
                m.DecodeError = e.Message;
            }
            catch (Exception e)
            {
                m.DecodeError = "Could not decode: " + e.Message;
            }
            if (m.DecodeError != null && string.IsNullOrEmpty(m.Explanation))
                m.Explanation = DecodeText.Spaced(type) + ": the " + DecodeText.Name(sender) + " sent a message that could not be fully decoded (" + m.DecodeError + ").";
            return m;
        }

        /// <summary>The key exchange of a suite as a handshake result shows it: RSA, DHE, ECDHE, PSK, ..., DH_anon, ECDH_anon,
        /// or (EC)DHE for a TLS 1.3 suite; null for an unknown suite.</summary>
        internal static string? KeyExchangeName(int suite)
        {
            var s = TlsRegistry.CipherSuites.Find(suite);
            if (s == null) return null;
            if (s.IsTls13) return "(EC)DHE";
            if (s.Authentication == "anon") return s.KeyExchange == "ECDHE" ? "ECDH_anon" : "DH_anon";
            return s.KeyExchange;
        }

        internal static string Hex(byte[] data) => DecodeText.Hex(data);
    }
}
