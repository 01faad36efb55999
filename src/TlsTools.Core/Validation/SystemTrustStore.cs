using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;
using System.Security.Cryptography.X509Certificates;
using TlsTools.Pki;

namespace TlsTools.Validation
{
    /// <summary>
    /// The default trusted roots, read once per process (and again when the variables below change). As OpenSSL does,
    /// <c>SSL_CERT_FILE</c> names the bundle file that replaces the default one, and <c>SSL_CERT_DIR</c> lists directories
    /// (separated by ':', ';' on Windows) whose certificate files are read as well: every file named *.pem, *.crt, *.cer
    /// or with OpenSSL's hashed name (8 hex digits, a dot, a number); unreadable files are passed over, as OpenSSL does.
    /// Without them: on Linux and other Unix systems the first CA bundle found among the usual paths; on Windows and macOS
    /// the .NET Root store (current user and machine). Unlike OpenSSL, no compiled-in default directory is read besides
    /// the bundle (on Debian and Fedora it holds the same roots), so SSL_CERT_FILE alone means exactly that bundle.
    /// </summary>
    public static class SystemTrustStore
    {
        /// <summary>The environment variable naming the bundle file that replaces the default one.</summary>
        public const string CertFileVariable = "SSL_CERT_FILE";

        /// <summary>The environment variable listing directories of certificate files.</summary>
        public const string CertDirVariable = "SSL_CERT_DIR";

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

        private static readonly object Gate = new object();
        private static (string? File, string? Dir, IReadOnlyList<Certificate> Roots)? _loaded;

        /// <summary>The roots (cached; read again when SSL_CERT_FILE or SSL_CERT_DIR changed). Empty when none could be found.</summary>
        public static IReadOnlyList<Certificate> Roots
        {
            get
            {
                var file = Variable(CertFileVariable);
                var dir = Variable(CertDirVariable);
                lock (Gate)
                {
                    if (_loaded is { } l && l.File == file && l.Dir == dir) return l.Roots;
                    var roots = file == null && dir == null ? Load() : LoadFromVariables(file, dir);
                    _loaded = (file, dir, roots);
                    return roots;
                }
            }
        }

        private static string? Variable(string name)
        {
            var value = Environment.GetEnvironmentVariable(name);
            return string.IsNullOrEmpty(value) ? null : value;
        }

        /// <summary>SSL_CERT_FILE (else the default bundle or OS store) plus the files of every SSL_CERT_DIR directory.</summary>
        private static IReadOnlyList<Certificate> LoadFromVariables(string? file, string? dirs)
        {
            var result = new List<Certificate>();
            if (file != null) result.AddRange(ReadFile(file));
            else result.AddRange(Load());
            if (dirs != null)
            {
                var separator = RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? ';' : ':';
                foreach (var dir in dirs.Split(new[] { separator }, StringSplitOptions.RemoveEmptyEntries))
                {
                    string[] names;
                    try { names = Directory.GetFiles(dir); }
                    catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is ArgumentException) { continue; }
                    Array.Sort(names, StringComparer.Ordinal);
                    foreach (var name in names)
                        if (IsCertificateFileName(Path.GetFileName(name))) result.AddRange(ReadFile(name));
                }
            }
            return Dedupe(result);
        }

        /// <summary>*.pem, *.crt, *.cer, or OpenSSL's hashed names (c_rehash): 8 hex digits, '.', a number (CRLs are '.rN').</summary>
        internal static bool IsCertificateFileName(string name)
        {
            var ext = Path.GetExtension(name).ToLowerInvariant();
            if (ext == ".pem" || ext == ".crt" || ext == ".cer") return true;
            if (name.Length < 10 || name[8] != '.') return false;
            for (int i = 0; i < 8; i++)
                if (!Uri.IsHexDigit(name[i])) return false;
            for (int i = 9; i < name.Length; i++)
                if (!char.IsDigit(name[i])) return false;
            return true;
        }

        /// <summary>The certificates of one file; a missing, unreadable or oversized file gives none.</summary>
        private static IReadOnlyList<Certificate> ReadFile(string path)
        {
            try
            {
                var info = new FileInfo(path);
                if (!info.Exists || info.Length > Formats.PkiReader.MaxInputBytes) return Array.Empty<Certificate>();
                return Formats.PkiReader.ReadCertificates(File.ReadAllBytes(path));
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
            catch (TlsToolsException) { }
            return Array.Empty<Certificate>();
        }

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
                result.AddRange(ReadFile(path));
                if (result.Count > 0) break;
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
