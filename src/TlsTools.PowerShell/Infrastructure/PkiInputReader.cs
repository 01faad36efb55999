using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using System.Security.Cryptography.X509Certificates;
using TlsTools.Formats;
using TlsTools.Pki;

namespace TlsTools.PowerShell.Infrastructure
{
    /// <summary>
    /// Turns the loose "certificate or path" values a parameter can receive into core objects: TlsTools certificates and
    /// CRLs, X509Certificate2 (with its private key), file paths (string or FileInfo; wildcards allowed, a literal name
    /// wins), PEM text (one string, or lines as Get-Content sends them), encoded bytes (DER, PEM, PKCS#7), arrays and
    /// collections of those, and objects with a <c>Certificate</c> or <c>Certificates</c> property (a handshake result).
    /// Every failure is a <see cref="TlsToolsException"/> with a stable ErrorId; nothing is skipped silently. The one home
    /// of these rules: the parameters' transformation (<see cref="CertificateInputAttribute"/>) and the cmdlets that read
    /// per input both call it.
    /// </summary>
    internal sealed class PkiInputReader
    {
        private const int MaxNesting = 8;
        private readonly SessionState _session;
        private readonly Func<string, byte[]> _readFile;

        /// <param name="session">Resolves paths through the provider, relative to the current location.</param>
        /// <param name="readFile">Reads a resolved file (the cmdlet's size-checked reader); throws TlsToolsException.</param>
        public PkiInputReader(SessionState session, Func<string, byte[]> readFile)
        {
            _session = session ?? throw new ArgumentNullException(nameof(session));
            _readFile = readFile ?? throw new ArgumentNullException(nameof(readFile));
        }

        /// <summary>Every certificate in <paramref name="input"/>, in the order given (a file's certificates in file order).</summary>
        /// <param name="singleFile">Refuse a wildcard that matches more than one file (the input names one chain).</param>
        public List<Certificate> ReadCertificates(object? input, bool singleFile = false)
        {
            var result = new List<Certificate>();
            AddCertificates(input, result, singleFile, 0);
            return result;
        }

        /// <summary>Every CRL in <paramref name="input"/>: CRL objects, paths or PEM text.</summary>
        public List<CertificateRevocationList> ReadCrls(object? input)
        {
            var result = new List<CertificateRevocationList>();
            AddCrls(input, result, 0);
            return result;
        }

        private void AddCertificates(object? input, List<Certificate> into, bool singleFile, int depth)
        {
            var value = input is PSObject pso ? pso.BaseObject : input;
            switch (value)
            {
                case null:
                    return;
                case Certificate c:
                    into.Add(c);
                    return;
                case X509Certificate2 x:
                    into.Add(Guard(() => new Certificate(x), ErrorIds.InvalidCertificate, "certificate '" + SafeSubject(x) + "'", x));
                    return;
                case string _:
                case FileInfo _:
                    into.AddRange(ReadEncoded(value, singleFile, ErrorIds.InvalidCertificate, data => PkiReader.ReadCertificates(data)));
                    return;
                case byte[] bytes:
                    into.AddRange(Guard(() => PkiReader.ReadCertificates(bytes), ErrorIds.InvalidCertificate, "the certificate bytes", bytes));
                    return;
                case DirectoryInfo di:
                    throw new TlsToolsException(ErrorIds.PathIsDirectory, ErrorKind.InvalidArgument, "'" + di.FullName + "' is a directory, not a certificate file.", target: di.FullName);
            }
            if (depth >= MaxNesting)
                throw Unsupported(value, "certificate");
            if (value is IEnumerable items && !(value is IDictionary))
            {
                if (JoinedPem(items) is string pem)
                    AddCertificates(pem, into, singleFile, depth + 1);
                else
                    foreach (var item in items) AddCertificates(item, into, singleFile, depth + 1);
                return;
            }
            // By property name: an object carrying its certificate(s), e.g. a handshake result (Certificates, leaf first).
            var properties = PSObject.AsPSObject(input!).Properties;
            var single = properties["Certificate"];
            var many = properties["Certificates"];
            if (single == null && many == null)
                throw Unsupported(value, "certificate");
            int before = into.Count;
            if (single != null) AddCertificates(single.Value, into, singleFile, depth + 1);
            if (many != null) AddCertificates(many.Value, into, singleFile, depth + 1);
            if (into.Count == before)
                throw new TlsToolsException(ErrorIds.NoCertificate, ErrorKind.InvalidData,
                    "The " + TypeName(value) + " carries no certificate (its Certificate/Certificates property is empty).", target: input);
        }

        private void AddCrls(object? input, List<CertificateRevocationList> into, int depth)
        {
            var value = input is PSObject pso ? pso.BaseObject : input;
            switch (value)
            {
                case null:
                    return;
                case CertificateRevocationList crl:
                    into.Add(crl);
                    return;
                case string _:
                case FileInfo _:
                    into.AddRange(ReadEncoded(value, false, ErrorIds.InvalidCrl, PkiReader.ReadCrls));
                    return;
                case byte[] bytes:
                    into.AddRange(Guard(() => PkiReader.ReadCrls(bytes), ErrorIds.InvalidCrl, "the CRL bytes", bytes));
                    return;
            }
            if (depth < MaxNesting && value is IEnumerable items && !(value is IDictionary))
            {
                if (JoinedPem(items) is string pem)
                    AddCrls(pem, into, depth + 1);
                else
                    foreach (var item in items) AddCrls(item, into, depth + 1);
                return;
            }
            throw Unsupported(value, "CRL");
        }

        /// <summary>PEM text, a path (string, maybe a wildcard) or a FileInfo, parsed by <paramref name="parse"/>.</summary>
        private List<T> ReadEncoded<T>(object value, bool singleFile, string errorId, Func<byte[], IReadOnlyList<T>> parse)
        {
            var result = new List<T>();
            if (value is string text && LooksLikePem(text))
            {
                result.AddRange(Guard(() => parse(System.Text.Encoding.UTF8.GetBytes(text)), errorId, "PEM text", text));
                return result;
            }
            var files = value is FileInfo fi ? new List<string> { CheckFile(fi.FullName, fi.FullName) } : ResolveFiles((string)value, singleFile);
            foreach (var file in files)
                result.AddRange(WithPath(file, () => parse(_readFile(file))));
            return result;
        }

        /// <summary>A literal file name first (names may hold [ ]), else the path as a wildcard pattern.</summary>
        private List<string> ResolveFiles(string path, bool singleFile)
        {
            if (string.IsNullOrWhiteSpace(path))
                throw new TlsToolsException(ErrorIds.PathNotFound, ErrorKind.InvalidArgument, "An empty string is not a path.", target: path);
            string literal;
            ProviderInfo provider;
            try
            {
                literal = _session.Path.GetUnresolvedProviderPathFromPSPath(path, out provider, out _);
            }
            catch (Exception e) when (e is SessionStateException || e is NotSupportedException || e is ArgumentException || e is PSInvalidOperationException)
            {
                throw new TlsToolsException(ErrorIds.PathNotFound, ErrorKind.ObjectNotFound, "Cannot find '" + path + "': " + e.Message, e, path);
            }
            CheckFileSystem(provider, path);
            if (File.Exists(literal) || Directory.Exists(literal) || !WildcardPattern.ContainsWildcardCharacters(path))
                return new List<string> { CheckFile(literal, path) };

            var files = new List<string>();
            try
            {
                foreach (var p in _session.Path.GetResolvedProviderPathFromPSPath(path, out provider))
                {
                    CheckFileSystem(provider, path);
                    if (File.Exists(p)) files.Add(p);
                }
            }
            catch (Exception e) when (e is SessionStateException || e is NotSupportedException || e is ArgumentException || e is PSInvalidOperationException)
            {
                throw new TlsToolsException(ErrorIds.PathNotFound, ErrorKind.ObjectNotFound, "No file matches '" + path + "'.", e, path);
            }
            if (files.Count == 0)
                throw new TlsToolsException(ErrorIds.PathNotFound, ErrorKind.ObjectNotFound, "No file matches '" + path + "'.", target: path);
            if (singleFile && files.Count > 1)
                throw new TlsToolsException(ErrorIds.AmbiguousPath, ErrorKind.InvalidArgument,
                    "'" + path + "' matches " + files.Count + " files, but it must name one certificate chain; pipe the files instead (Get-ChildItem " + path + " | ...).", target: path);
            files.Sort(StringComparer.Ordinal);
            return files;
        }

        private static string CheckFile(string full, string given)
        {
            if (Directory.Exists(full))
                throw new TlsToolsException(ErrorIds.PathIsDirectory, ErrorKind.InvalidArgument, "'" + full + "' is a directory, not a file.", target: given);
            if (!File.Exists(full))
                throw new TlsToolsException(ErrorIds.PathNotFound, ErrorKind.ObjectNotFound,
                    "'" + Shorten(given) + "' is neither an existing file (there is none at '" + full + "') nor PEM text (it has no '-----BEGIN' line).", target: given);
            return full;
        }

        /// <summary>
        /// Lines of PEM text as Get-Content sends them (strings without line breaks, one of them a '-----BEGIN' line),
        /// joined into one text; null for anything else (paths, whole PEM texts, objects, a mixture), read item by item.
        /// </summary>
        private static string? JoinedPem(IEnumerable items)
        {
            var text = new System.Text.StringBuilder();
            bool pem = false;
            foreach (var item in items)
            {
                if (!((item is PSObject p ? p.BaseObject : item) is string line) || line.IndexOf('\n') >= 0) return null;
                pem |= LooksLikePem(line);
                text.Append(line).Append('\n');
            }
            return pem ? text.ToString() : null;
        }

        private static string Shorten(string s) => s.Length <= 80 ? s : s.Substring(0, 77) + "...";

        private static void CheckFileSystem(ProviderInfo provider, string path)
        {
            if (!string.Equals(provider.Name, "FileSystem", StringComparison.OrdinalIgnoreCase))
                throw new TlsToolsException(ErrorIds.NotAFileSystemPath, ErrorKind.InvalidArgument, "'" + path + "' is not a file-system path.", target: path);
        }

        /// <summary>Reads one file: certificates remember it (Path), and errors name it.</summary>
        private static IEnumerable<T> WithPath<T>(string path, Func<IEnumerable<T>> read)
        {
            try
            {
                var items = new List<T>(read());
                for (int i = 0; i < items.Count; i++)
                    if (items[i] is Certificate c) items[i] = (T)(object)c.WithPath(path);
                return items;
            }
            catch (TlsToolsException e) when (e.ErrorId == ErrorIds.PasswordRequired)
            {
                // A parameter has no -Password to go with a file: say how to read it instead of asking for one.
                throw new TlsToolsException(ErrorIds.PasswordProtectedInput, ErrorKind.InvalidArgument,
                    "'" + path + "' is password-protected and this parameter takes no password; read it first, e.g. " +
                    "$c = Read-Certificate -Path '" + path + "' -Password (Read-Host -AsSecureString), and pass $c.", e, path);
            }
            catch (TlsToolsException e)
            {
                if (e.Message.IndexOf(path, StringComparison.Ordinal) >= 0) throw;
                throw new TlsToolsException(e.ErrorId, e.Kind, path + ": " + e.Message, e.InnerException ?? e, path);
            }
        }

        private static T Guard<T>(Func<T> read, string errorId, string what, object target)
        {
            try
            {
                return read();
            }
            catch (TlsToolsException)
            {
                throw;
            }
            catch (Exception e) when (!(e is PipelineStoppedException))
            {
                throw new TlsToolsException(errorId, ErrorKind.InvalidData, "Cannot read " + what + ": " + e.Message, e, target);
            }
        }

        private static bool LooksLikePem(string s) => s.IndexOf("-----BEGIN ", StringComparison.Ordinal) >= 0;

        private static string SafeSubject(X509Certificate2 x)
        {
            try { return x.Subject; } catch (Exception) { return "(unreadable)"; }
        }

        private static string TypeName(object? value) => value?.GetType().FullName ?? "null";

        private static TlsToolsException Unsupported(object? value, string what) =>
            new TlsToolsException(ErrorIds.UnsupportedInput, ErrorKind.InvalidArgument,
                "Cannot take " + Wording.A(what) + " from " + Wording.A(TypeName(value)) + "; give " +
                (what == "CRL" ? "CertificateRevocationList objects, paths or PEM text." : "TlsTools certificates, X509Certificate2 objects, paths, PEM text, or objects with a Certificate or Certificates property."),
                target: value);
    }
}
