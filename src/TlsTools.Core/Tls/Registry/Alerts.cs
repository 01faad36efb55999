using System;
using System.Collections.Generic;
using System.Reflection;

namespace TlsTools.Tls
{
    /// <summary>A TLS alert description, with what it means in plain words.</summary>
    public sealed class AlertInfo : TlsCodePoint
    {
        internal AlertInfo(int code, string name, string meaning) : base(code, name, null) => Meaning = meaning;

        /// <summary>What the alert says, e.g. "the certificate chain does not lead to a trusted CA".</summary>
        public string Meaning { get; }

        private protected override int Bytes => 1;
    }

    public static partial class TlsRegistry
    {
        /// <summary>IANA TLS alert descriptions (one byte) and levels.</summary>
        public static class Alerts
        {
            internal const string DefaultMeaning = "the handshake cannot continue";

            private static readonly Dictionary<string, string> Meanings = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["close_notify"] = "the sender closes the connection cleanly",
                ["protocol_version"] = "there is no protocol version both sides accept",
                ["handshake_failure"] = "no acceptable set of security parameters (suites, groups, signatures) was found",
                ["insufficient_security"] = "the offer was below the peer's minimum security",
                ["certificate_required"] = "a client certificate was required and none was sent",
                ["bad_certificate"] = "a certificate was corrupt or could not be verified",
                ["unknown_ca"] = "the certificate chain does not lead to a trusted CA",
                ["certificate_expired"] = "a certificate has expired",
                ["certificate_unknown"] = "a certificate was not accepted",
                ["decode_error"] = "a message could not be decoded",
                ["decrypt_error"] = "a signature or Finished MAC did not verify",
                ["unexpected_message"] = "a message arrived that did not fit the handshake",
                ["illegal_parameter"] = "a field held a value that is not allowed here",
                ["unrecognized_name"] = "the server does not know the requested server name",
                ["no_application_protocol"] = "no offered ALPN protocol is acceptable",
                ["missing_extension"] = "a required extension was missing",
                ["unsupported_extension"] = "an extension was sent that was not offered",
                ["internal_error"] = "the sender hit an internal error",
                ["record_overflow"] = "a record was too long",
                ["bad_record_mac"] = "a record could not be decrypted or authenticated",
                ["inappropriate_fallback"] = "the client fell back to a lower version while the server supports a higher one",
            };

            private static readonly CodeTable<AlertInfo> Table = new CodeTable<AlertInfo>(Build(), 1,
                ErrorIds.UnknownAlert, "alert", "handshake_failure");

            public static IReadOnlyList<AlertInfo> All => Table.All;

            public static AlertInfo? Find(int code) => Table.Find(code);

            public static AlertInfo? FindByName(string name) => Table.FindByName(name);

            /// <summary>How an alert prints: "handshake_failure", or <c>unknown(0x7F)</c>.</summary>
            public static string Name(int code) => Table.Name(code);

            /// <summary>What an alert means in plain words (a generic sentence for one without its own).</summary>
            public static string Meaning(int code) => Find(code)?.Meaning ?? DefaultMeaning;

            /// <summary>"warning", "fatal", or <c>unknown(0x03)</c>.</summary>
            public static string LevelName(int level) => level == 1 ? "warning" : level == 2 ? "fatal" : Unknown(level, 1);

            private static IEnumerable<AlertInfo> Build()
            {
                foreach (var f in typeof(Org.BouncyCastle.Tls.AlertDescription).GetFields(BindingFlags.Public | BindingFlags.Static))
                {
                    if (!f.IsLiteral || f.FieldType != typeof(short)) continue;
                    yield return new AlertInfo((short)f.GetRawConstantValue()!, f.Name, Meanings.TryGetValue(f.Name, out var m) ? m : DefaultMeaning);
                }
                yield return new AlertInfo(121, "ech_required", "the client required Encrypted Client Hello and the server did not use it");
            }
        }
    }
}
