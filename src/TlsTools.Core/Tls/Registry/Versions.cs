using System;
using System.Collections.Generic;
using System.Linq;

namespace TlsTools.Tls
{
    /// <summary>A protocol version: wire value, <see cref="TlsVersion"/> and display name ("TLS 1.2", "SSL 3.0").</summary>
    public sealed class TlsVersionInfo : TlsCodePoint
    {
        internal TlsVersionInfo(TlsVersion version, int code, string name, params string[] aliases) : base(code, name, aliases) => Version = version;

        public TlsVersion Version { get; }
    }

    public static partial class TlsRegistry
    {
        /// <summary>SSL 3.0 to TLS 1.3. A wire value that is none of them is unknown (<see cref="FromWire"/> gives null), never TLS 1.3.</summary>
        public static class Versions
        {
            private static readonly CodeTable<TlsVersionInfo> Table = new CodeTable<TlsVersionInfo>(new[]
            {
                new TlsVersionInfo(TlsVersion.Ssl30, 0x0300, "SSL 3.0", "SSLv3", "Ssl30"),
                new TlsVersionInfo(TlsVersion.Tls10, 0x0301, "TLS 1.0", "TLSv1.0", "TLSv1", "Tls10"),
                new TlsVersionInfo(TlsVersion.Tls11, 0x0302, "TLS 1.1", "TLSv1.1", "Tls11"),
                new TlsVersionInfo(TlsVersion.Tls12, 0x0303, "TLS 1.2", "TLSv1.2", "Tls12"),
                new TlsVersionInfo(TlsVersion.Tls13, 0x0304, "TLS 1.3", "TLSv1.3", "Tls13"),
            }, 2, ErrorIds.UnknownTlsVersion, "TLS version", "TLS 1.2");

            /// <summary>All versions, oldest first.</summary>
            public static IReadOnlyList<TlsVersionInfo> All => Table.All;

            /// <summary>All versions as <see cref="TlsVersion"/> values, oldest first.</summary>
            public static IReadOnlyList<TlsVersion> Values => All.Select(v => v.Version).ToArray();

            /// <summary>The <see cref="TlsVersion"/> for a wire value; null for any other value (GREASE, DTLS, a future version).</summary>
            public static TlsVersion? FromWire(int wire) => Table.Find(wire)?.Version;

            /// <summary>The wire value of a version; a TlsToolsException (InvalidArgument) for a value outside the enum.</summary>
            public static int ToWire(TlsVersion version) => Find(version).Code;

            /// <summary>"TLS 1.2", "SSL 3.0", "GREASE(0x0A0A)" or "unknown(0x0305)".</summary>
            public static string Name(int wire) => Table.Name(wire);

            /// <summary>"TLS 1.2", "SSL 3.0".</summary>
            public static string Name(TlsVersion version) => Find(version).Name;

            /// <summary>By display name or alias ("TLS 1.2", "TLSv1.2", "Tls12") or hex; a TlsToolsException (InvalidArgument) otherwise.</summary>
            public static TlsVersion Parse(string name) =>
                FromWire(Table.Parse(name)) ?? throw new TlsToolsException(ErrorIds.UnknownTlsVersion, ErrorKind.InvalidArgument, "'" + name + "' is not a TLS version TlsTools knows.");

            private static TlsVersionInfo Find(TlsVersion version) =>
                All.FirstOrDefault(v => v.Version == version)
                ?? throw new TlsToolsException(ErrorIds.UnknownTlsVersion, ErrorKind.InvalidArgument, "Unknown TLS version " + version + ".");

            /// <summary>BouncyCastle's ProtocolVersion for a version (the one place the two meet).</summary>
            internal static Org.BouncyCastle.Tls.ProtocolVersion ToBouncyCastle(TlsVersion version)
            {
                int wire = ToWire(version);
                return Org.BouncyCastle.Tls.ProtocolVersion.Get(wire >> 8, wire & 0xFF);
            }
        }
    }
}
