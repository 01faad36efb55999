using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;
using System.Security.Cryptography.X509Certificates;
using TlsTools.Pki;

namespace TlsTools.Validation
{
    /// <summary>
    /// The operating system's trusted roots, read once per process: on Linux and other Unix systems the first
    /// CA bundle found among the usual paths; on Windows and macOS the .NET Root store (current user and machine).
    /// </summary>
    public static class SystemTrustStore
    {
        /// <summary>Where Linux distributions keep the PEM bundle, in the order tried.</summary>
        public static readonly string[] BundlePaths =
        {
            "/etc/ssl/certs/ca-certificates.crt",                // Debian, Ubuntu, Alpine, Arch
            "/etc/pki/tls/certs/ca-bundle.crt",                  // Fedora, RHEL
            "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem", // RHEL 7+
            "/etc/ssl/ca-bundle.pem",                            // openSUSE
            "/etc/ssl/cert.pem",                                 // macOS, BSD, Alpine
            "/usr/local/share/certs/ca-root-nss.crt",            // FreeBSD
        };

        private static readonly Lazy<IReadOnlyList<Certificate>> Loaded = new Lazy<IReadOnlyList<Certificate>>(Load);

        /// <summary>The roots (cached after the first call). Empty when none could be found.</summary>
        public static IReadOnlyList<Certificate> Roots => Loaded.Value;

        private static IReadOnlyList<Certificate> Load()
        {
            var result = new List<Certificate>();
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows) || RuntimeInformation.IsOSPlatform(OSPlatform.OSX))
            {
                foreach (var location in new[] { StoreLocation.CurrentUser, StoreLocation.LocalMachine })
                {
                    try
                    {
                        using (var store = new X509Store(StoreName.Root, location))
                        {
                            store.Open(OpenFlags.ReadOnly);
                            foreach (var c in store.Certificates)
                            {
                                try { result.Add(new Certificate(c)); }
                                catch (TlsToolsException) { /* a root BouncyCastle cannot read cannot anchor a path */ }
                            }
                        }
                    }
                    catch (System.Security.Cryptography.CryptographicException) { /* store not available */ }
                }
                if (result.Count > 0) return Dedupe(result);
            }
            foreach (var path in BundlePaths)
            {
                try
                {
                    if (!File.Exists(path)) continue;
                    result.AddRange(Formats.PkiReader.ReadCertificates(File.ReadAllBytes(path)));
                    if (result.Count > 0) break;
                }
                catch (IOException) { }
                catch (UnauthorizedAccessException) { }
                catch (TlsToolsException) { }
            }
            return Dedupe(result);
        }

        private static IReadOnlyList<Certificate> Dedupe(List<Certificate> list)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var result = new List<Certificate>();
            foreach (var c in list)
                if (seen.Add(c.ThumbprintSha256)) result.Add(c);
            return result.AsReadOnly();
        }
    }
}
