namespace TlsTools.Scanning
{
    /// <summary>
    /// SSL/TLS protocol versions the scanner probes. Named <c>ProtocolVersion</c> (not <c>TlsVersion</c>) to avoid a clash
    /// with <c>TlsTools.Tls.TlsVersion</c> until the two are unified.
    /// </summary>
    public enum ProtocolVersion
    {
        Ssl30,
        Tls10,
        Tls11,
        Tls12,
        Tls13,
    }

    internal static class ProtocolVersions
    {
        /// <summary>All versions, oldest first.</summary>
        public static readonly ProtocolVersion[] All =
            { ProtocolVersion.Ssl30, ProtocolVersion.Tls10, ProtocolVersion.Tls11, ProtocolVersion.Tls12, ProtocolVersion.Tls13 };

        public static int ToWire(this ProtocolVersion v) => v switch
        {
            ProtocolVersion.Ssl30 => 0x0300,
            ProtocolVersion.Tls10 => 0x0301,
            ProtocolVersion.Tls11 => 0x0302,
            ProtocolVersion.Tls12 => 0x0303,
            _ => 0x0304,
        };

        public static ProtocolVersion? FromWire(int wire) => wire switch
        {
            0x0300 => ProtocolVersion.Ssl30,
            0x0301 => ProtocolVersion.Tls10,
            0x0302 => ProtocolVersion.Tls11,
            0x0303 => ProtocolVersion.Tls12,
            0x0304 => ProtocolVersion.Tls13,
            _ => null,
        };

        public static string DisplayName(this ProtocolVersion v) => v switch
        {
            ProtocolVersion.Ssl30 => "SSLv3",
            ProtocolVersion.Tls10 => "TLSv1.0",
            ProtocolVersion.Tls11 => "TLSv1.1",
            ProtocolVersion.Tls12 => "TLSv1.2",
            _ => "TLSv1.3",
        };
    }
}
