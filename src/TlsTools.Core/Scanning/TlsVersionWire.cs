using TlsTools.Tls;
namespace TlsTools.Scanning
{

    internal static class ProtocolVersions
    {
        /// <summary>All versions, oldest first.</summary>
        public static readonly TlsVersion[] All =
            { TlsVersion.Ssl30, TlsVersion.Tls10, TlsVersion.Tls11, TlsVersion.Tls12, TlsVersion.Tls13 };

        public static int ToWire(this TlsVersion v) => v switch
        {
            TlsVersion.Ssl30 => 0x0300,
            TlsVersion.Tls10 => 0x0301,
            TlsVersion.Tls11 => 0x0302,
            TlsVersion.Tls12 => 0x0303,
            _ => 0x0304,
        };

        public static TlsVersion? FromWire(int wire) => wire switch
        {
            0x0300 => TlsVersion.Ssl30,
            0x0301 => TlsVersion.Tls10,
            0x0302 => TlsVersion.Tls11,
            0x0303 => TlsVersion.Tls12,
            0x0304 => TlsVersion.Tls13,
            _ => null,
        };

        public static string DisplayName(this TlsVersion v) => v switch
        {
            TlsVersion.Ssl30 => "SSLv3",
            TlsVersion.Tls10 => "TLSv1.0",
            TlsVersion.Tls11 => "TLSv1.1",
            TlsVersion.Tls12 => "TLSv1.2",
            _ => "TLSv1.3",
        };
    }
}
