using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;

namespace TlsTools.Tls
{
    /// <summary>A TLS extension type.</summary>
    public sealed class ExtensionInfo : TlsCodePoint
    {
        internal ExtensionInfo(int code, string name) : base(code, name, null) { }
    }

    /// <summary>The extension codes TlsTools' own parsers and ClientHello builder switch on (names live in the registry table).</summary>
    internal static class ExtensionCodes
    {
        public const int ServerName = 0, MaxFragmentLength = 1, StatusRequest = 5, SupportedGroups = 10, EcPointFormats = 11,
            SignatureAlgorithms = 13, Alpn = 16, SignedCertificateTimestamp = 18, Padding = 21, EncryptThenMac = 22, ExtendedMasterSecret = 23, RecordSizeLimit = 28,
            SessionTicket = 35, PreSharedKey = 41, EarlyData = 42, SupportedVersions = 43, PskKeyExchangeModes = 45, CertificateAuthorities = 47,
            SignatureAlgorithmsCert = 50, KeyShare = 51, RenegotiationInfo = 0xFF01, Heartbeat = 15;
    }

    public static partial class TlsRegistry
    {
        /// <summary>IANA TLS extension types.</summary>
        public static class Extensions
        {
            private static readonly (int Code, string Name)[] NotInBouncyCastle =
            {
                (26, "tls_lts"), (29, "pwd_protect"), (30, "pwd_clear"), (31, "password_salt"), (32, "ticket_pinning"),
                (33, "tls_cert_with_extern_psk"), (34, "delegated_credential"), (36, "TLMSP"), (37, "TLMSP_proxying"),
                (38, "TLMSP_delegate"), (39, "supported_ekt_ciphers"), (52, "transparency_info"), (53, "connection_id_deprecated"),
                (55, "external_id_hash"), (56, "external_session_id"), (57, "quic_transport_parameters"), (58, "ticket_request"),
                (59, "dnssec_chain"), (60, "sequence_number_encryption_algorithms"), (61, "rrc"), (17513, "application_settings"),
                (0xFE0D, "encrypted_client_hello"),
            };

            private static readonly CodeTable<ExtensionInfo> Table = new CodeTable<ExtensionInfo>(Build(), 2,
                ErrorIds.UnknownExtension, "extension", "server_name");

            public static IReadOnlyList<ExtensionInfo> All => Table.All;

            public static ExtensionInfo? Find(int code) => Table.Find(code);

            /// <summary>How an extension prints: "key_share", "GREASE(0x1A1A)" or <c>unknown(0x1234)</c>.</summary>
            public static string Name(int code) => Table.Name(code);

            private static IEnumerable<ExtensionInfo> Build()
            {
                foreach (var f in typeof(Org.BouncyCastle.Tls.ExtensionType).GetFields(BindingFlags.Public | BindingFlags.Static))
                    if (f.IsLiteral && f.FieldType == typeof(int))
                        yield return new ExtensionInfo((int)f.GetRawConstantValue()!, f.Name);
                foreach (var (code, name) in NotInBouncyCastle)
                    yield return new ExtensionInfo(code, name);
            }
        }
    }
}
