using System.Collections.Generic;
using System.Reflection;

namespace TlsTools.Tls
{
    /// <summary>A handshake message type, and the <see cref="TranscriptMessageType"/> TlsTools decodes it as.</summary>
    public sealed class HandshakeTypeInfo : TlsCodePoint
    {
        internal HandshakeTypeInfo(int code, string name, TranscriptMessageType messageType) : base(code, name, null) => MessageType = messageType;

        /// <summary>The transcript type; <see cref="TranscriptMessageType.Unknown"/> for a type TlsTools does not decode.</summary>
        public TranscriptMessageType MessageType { get; }

        private protected override int Bytes => 1;
    }

    public static partial class TlsRegistry
    {
        /// <summary>IANA TLS handshake message types (one byte).</summary>
        public static class HandshakeTypes
        {
            private static readonly Dictionary<int, TranscriptMessageType> Decoded = new Dictionary<int, TranscriptMessageType>
            {
                [0] = TranscriptMessageType.HelloRequest, [1] = TranscriptMessageType.ClientHello, [2] = TranscriptMessageType.ServerHello,
                [4] = TranscriptMessageType.NewSessionTicket, [5] = TranscriptMessageType.EndOfEarlyData,
                [8] = TranscriptMessageType.EncryptedExtensions, [11] = TranscriptMessageType.Certificate,
                [12] = TranscriptMessageType.ServerKeyExchange, [13] = TranscriptMessageType.CertificateRequest,
                [14] = TranscriptMessageType.ServerHelloDone, [15] = TranscriptMessageType.CertificateVerify,
                [16] = TranscriptMessageType.ClientKeyExchange, [20] = TranscriptMessageType.Finished,
                [22] = TranscriptMessageType.CertificateStatus, [24] = TranscriptMessageType.KeyUpdate,
            };

            private static readonly CodeTable<HandshakeTypeInfo> Table = new CodeTable<HandshakeTypeInfo>(Build(), 1,
                ErrorIds.UnknownHandshakeType, "handshake message type", "client_hello");

            public static IReadOnlyList<HandshakeTypeInfo> All => Table.All;

            public static HandshakeTypeInfo? Find(int code) => Table.Find(code);

            /// <summary>How a type prints: "client_hello", or <c>unknown(0x63)</c>.</summary>
            public static string Name(int code) => Table.Name(code);

            /// <summary>The transcript type for a handshake type byte.</summary>
            public static TranscriptMessageType MessageType(int code) => Find(code)?.MessageType ?? TranscriptMessageType.Unknown;

            private static IEnumerable<HandshakeTypeInfo> Build()
            {
                foreach (var f in typeof(Org.BouncyCastle.Tls.HandshakeType).GetFields(BindingFlags.Public | BindingFlags.Static))
                {
                    if (!f.IsLiteral || f.FieldType != typeof(short)) continue;
                    int code = (short)f.GetRawConstantValue()!;
                    yield return new HandshakeTypeInfo(code, f.Name, Decoded.TryGetValue(code, out var t) ? t : TranscriptMessageType.Unknown);
                }
            }
        }
    }
}
