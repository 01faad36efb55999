using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using System.Security;
using System.Text;

namespace TlsTools.PowerShell.Infrastructure
{
    /// <summary>
    /// The shared shape of the Read- cmdlets: -Path (wildcards), -LiteralPath (alias PSPath, by property name, so
    /// Get-ChildItem pipes in), or -InputObject: PEM text (lines are gathered, as Get-Content sends them), bytes, files, or
    /// strings that name existing files ('./leaf.pem' | Read-Certificate; Get-Content list.txt | Read-Certificate).
    /// A cmdlet may read its files in parallel (ReadPkiCommandBase.Parallel.cs), writing results and errors in input order.
    /// </summary>
    public abstract partial class ReadPkiCommandBase<T> : TlsToolsCmdlet
    {
        protected const string PathSet = "Path";
        protected const string LiteralPathSet = "LiteralPath";
        protected const string InputObjectSet = "InputObject";

        private readonly StringBuilder _text = new StringBuilder();
        private readonly MemoryStream _bytes = new MemoryStream();
        private bool _readFiles;

        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet)]
        [ValidateNotNullOrEmpty]
        public string[] Path { get; set; } = Array.Empty<string>();

        [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
        [Alias("PSPath", "LP")]
        [ValidateNotNullOrEmpty]
        public string[] LiteralPath { get; set; } = Array.Empty<string>();

        /// <summary>PEM text or encoded bytes, e.g. from Get-Content or Invoke-WebRequest.</summary>
        [Parameter(Mandatory = true, ParameterSetName = InputObjectSet, ValueFromPipeline = true)]
        [AllowEmptyString]
        public object? InputObject { get; set; }

        /// <summary>What this cmdlet reads, for messages ("certificate", "private key").</summary>
        protected abstract string What { get; }

        /// <summary>The file being read, while one is (for messages about it); null for pipeline text and bytes, and when files are read in parallel.</summary>
        protected string? CurrentPath { get; private set; }

        /// <summary>An item read from a file, given the chance to remember the file (Certificate.Path).</summary>
        protected virtual T FromFile(T item, string path) => item;

        /// <summary>The password for encrypted inputs; null when the cmdlet has none.</summary>
        protected virtual SecureString? InputPassword => null;

        protected abstract IEnumerable<T> Parse(byte[] data, char[]? password);

        protected override void ProcessRecord()
        {
            if (ParameterSetName == InputObjectSet)
            {
                Gather(InputObject);
                return;
            }
            foreach (var path in ResolveInputPaths(ParameterSetName == PathSet ? Path : LiteralPath, ParameterSetName == LiteralPathSet))
                Read(path);
        }

        protected override void EndProcessing()
        {
            DrainReads();
            if (ParameterSetName != InputObjectSet) return;
            if (_text.Length > 0 && _bytes.Length > 0)
            {
                WriteFailure(new TlsToolsException(ErrorIds.MixedInput, ErrorKind.InvalidArgument, "The pipeline mixed text and bytes; send one kind."));
                return;
            }
            if (_text.Length == 0 && _bytes.Length == 0)
            {
                if (_readFiles) return;
                WriteFailure(new TlsToolsException(ErrorIds.EmptyInput, ErrorKind.InvalidData, "No " + What + " data came through the pipeline."));
                return;
            }
            var data = _text.Length > 0 ? Encoding.UTF8.GetBytes(_text.ToString()) : _bytes.ToArray();
            try
            {
                Stoppable(() => Emit(data));
            }
            catch (TlsToolsException e)
            {
                WriteFailure(e);
            }
        }

        /// <summary>
        /// Reads one file and parses it (on any thread); returns what writes the result on the pipeline thread: the items,
        /// or the error of an unreadable file (then the next file is read).
        /// </summary>
        private Action ReadPath(string path)
        {
            try
            {
                var items = WithPassword(InputPassword, pw => new List<T>(Parse(ReadFile(path), pw)));
                return () =>
                {
                    foreach (var item in items) WriteObject(FromFile(item, path));
                };
            }
            catch (TlsToolsException e)
            {
                var record = ErrorRecords.From(WithPath(e, path), path);
                return () => WriteError(record);
            }
        }

        private void Emit(byte[] data)
        {
            foreach (var item in WithPassword(InputPassword, pw => new List<T>(Parse(data, pw))))
                WriteObject(item);
        }

        /// <summary>
        /// A pipeline string that names existing files (no PEM in it, one line): the files it names, literal name first,
        /// else as a wildcard pattern; null when it names none (then it is text). A folder is reported as PathIsDirectory.
        /// </summary>
        private List<string>? FilesNamedBy(string s)
        {
            if (_text.Length > 0 || s.IndexOf('\n') >= 0 || s.IndexOf("-----", StringComparison.Ordinal) >= 0 || s.Trim().Length == 0) return null;
            try
            {
                var literal = SessionState.Path.GetUnresolvedProviderPathFromPSPath(s, out var provider, out _);
                if (!string.Equals(provider.Name, "FileSystem", StringComparison.OrdinalIgnoreCase)) return null;
                if (File.Exists(literal)) return new List<string> { literal };
                if (Directory.Exists(literal))
                    throw new TlsToolsException(ErrorIds.PathIsDirectory, ErrorKind.InvalidArgument, "'" + literal + "' is a directory, not a file.", target: s);
                if (!WildcardPattern.ContainsWildcardCharacters(s)) return null;
                // A pattern that matches nothing is text (a PEM header line may hold '*' or '['), so no error is written for it.
                var files = new List<string>();
                foreach (var match in SessionState.Path.GetResolvedProviderPathFromPSPath(s, out _))
                {
                    if (File.Exists(match)) files.Add(match);
                    else if (Directory.Exists(match))
                        WriteFailure(new TlsToolsException(ErrorIds.PathIsDirectory, ErrorKind.InvalidArgument, "'" + match + "' is a directory, not a file.", target: match), match);
                }
                files.Sort(StringComparer.Ordinal);
                return files.Count > 0 ? files : null;
            }
            catch (TlsToolsException)
            {
                throw;
            }
            catch (Exception e) when (e is SessionStateException || e is NotSupportedException || e is ArgumentException || e is PSInvalidOperationException ||
                                      e is IOException || e is ProviderInvocationException || e is WildcardPatternException)
            {
                return null; // not a path: text
            }
        }

        private void Gather(object? input)
        {
            var value = input is PSObject pso ? pso.BaseObject : input;
            switch (value)
            {
                case null:
                    return;
                case string s:
                    List<string>? files;
                    try
                    {
                        files = FilesNamedBy(s);
                    }
                    catch (TlsToolsException e)
                    {
                        _readFiles = true;
                        WriteFailure(e, s);
                        return;
                    }
                    if (files == null)
                    {
                        _text.Append(s).Append('\n');
                        return;
                    }
                    _readFiles = true;
                    foreach (var file in files) Read(file);
                    return;
                case byte[] b:
                    _bytes.Write(b, 0, b.Length);
                    return;
                case byte single:
                    _bytes.WriteByte(single);
                    return;
                case FileInfo file:
                    _readFiles = true;
                    Read(file.FullName);
                    return;
                case object[] array:
                    foreach (var element in array) Gather(element);
                    return;
                default:
                    WriteFailure(new TlsToolsException(ErrorIds.UnsupportedInput, ErrorKind.InvalidArgument,
                        "Cannot read " + Wording.A(What) + " from " + Wording.A(value.GetType().Name) + "; send PEM text, bytes or files."), value);
                    return;
            }
        }

        protected static TlsToolsException WithPath(TlsToolsException e, string path) =>
            e.Message.IndexOf(path, StringComparison.Ordinal) >= 0 ? e : new TlsToolsException(e.ErrorId, e.Kind, path + ": " + e.Message, e.InnerException, path);
    }
}
