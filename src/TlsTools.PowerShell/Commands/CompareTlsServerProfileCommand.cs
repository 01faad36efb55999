using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using TlsTools.PowerShell.Infrastructure;
using TlsTools.Scanning;

namespace TlsTools.PowerShell.Commands
{
    /// <summary>
    /// Lists what changed between two Get-TlsServerProfile reports: versions, suites, suite order, groups, certificates (new
    /// serial, new key, new issuer, expiry), findings, grade, policy verdict and settings. Each report is the object itself, a
    /// copy read back with Import-Clixml or ConvertFrom-Json, or the path of a file saved with Export-Clixml or ConvertTo-Json.
    /// </summary>
    [Cmdlet(VerbsData.Compare, "TlsServerProfile")]
    [OutputType(typeof(ProfileDifference))]
    public sealed class CompareTlsServerProfileCommand : TlsToolsCmdlet
    {
        private const int MaxDepth = 16;
        private const long MaxFileBytes = JsonTree.MaxLength;

        /// <summary>The older report: a ServerProfileReport, its deserialized copy, or the path of a JSON or Clixml file.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("Reference")]
        public object ReferenceObject { get; set; } = null!;

        /// <summary>The newer report: a ServerProfileReport, its deserialized copy, or the path of a JSON or Clixml file.</summary>
        [Parameter(Mandatory = true, Position = 1, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Difference")]
        public object DifferenceObject { get; set; } = null!;

        protected override void ProcessRecord()
        {
            try
            {
                var reference = Load(ReferenceObject, nameof(ReferenceObject));
                var difference = Load(FromPipelineObject(DifferenceObject), nameof(DifferenceObject));
                foreach (var d in ProfileComparer.Compare(reference, difference)) WriteObject(d);
            }
            catch (TlsToolsException e)
            {
                WriteFailure(e, DifferenceObject);
            }
        }

        /// <summary>
        /// An object piped in binds by value to -DifferenceObject (it takes any object) before binding by property name can: one
        /// that carries a DifferenceObject property (a row of Import-Csv, a pscustomobject with both) gives that property.
        /// </summary>
        private static object FromPipelineObject(object value)
        {
            if (value is PSObject p && !(p.BaseObject is ServerProfileReport))
            {
                var property = p.Properties[nameof(DifferenceObject)] ?? p.Properties["Difference"];
                if (property?.Value != null) return property.Value;
            }
            return value;
        }

        /// <summary>A report to compare: a file is read (Clixml or JSON), a PowerShell object becomes a tree of its properties.</summary>
        private object Load(object value, string which)
        {
            var v = value is PSObject p && !(p.BaseObject is PSCustomObject) ? p.BaseObject : value;
            if (v is ServerProfileReport) return v;
            string? path = v is FileInfo fi ? fi.FullName : v as string;
            if (path != null) return ReadFile(ResolveOne(path, which), which);
            return ToTree(value, 0) ?? throw Invalid(which + " is null.");
        }

        private string ResolveOne(string path, string which)
        {
            var literal = SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out _, out _);
            if (File.Exists(literal)) return literal;
            List<string> matches;
            try
            {
                matches = SessionState.Path.GetResolvedProviderPathFromPSPath(path, out _).Where(File.Exists).ToList();
            }
            catch (ItemNotFoundException)
            {
                matches = new List<string>();
            }
            if (matches.Count == 1) return matches[0];
            if (matches.Count == 0)
                throw new TlsToolsException(ErrorIds.PathNotFound, ErrorKind.ObjectNotFound, which + ": cannot find the file '" + path + "'.", target: path);
            throw new TlsToolsException(ErrorIds.AmbiguousPath, ErrorKind.InvalidArgument, which + ": '" + path + "' matches " + matches.Count + " files; give one.", target: path);
        }

        private object ReadFile(string path, string which)
        {
            if (new FileInfo(path).Length > MaxFileBytes)
                throw new TlsToolsException(ErrorIds.InputTooLarge, ErrorKind.LimitsExceeded, which + ": '" + path + "' is larger than " + MaxFileBytes + " bytes.", target: path);
            var text = File.ReadAllText(path);
            var start = text.TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
            if (start.StartsWith("<", System.StringComparison.Ordinal))
            {
                object[] objects;
                try
                {
                    var o = PSSerializer.Deserialize(text);
                    objects = o is object[] many ? many : new[] { o };
                }
                catch (System.Xml.XmlException e)
                {
                    throw Invalid(which + ": '" + path + "' is not a Clixml file: " + e.Message);
                }
                if (objects.Length != 1) throw Invalid(which + ": '" + path + "' holds " + objects.Length + " objects; save one report per file.");
                return ToTree(objects[0], 0) ?? throw Invalid(which + ": '" + path + "' holds null.");
            }
            try
            {
                return ProfileComparer.ReadJson(text);
            }
            catch (TlsToolsException e) when (e.ErrorId == ErrorIds.InvalidProfileData)
            {
                throw Invalid(which + ": '" + path + "': " + e.Message);
            }
        }

        /// <summary>A deserialized object (Import-Clixml, ConvertFrom-Json) as dictionaries by property name, lists and scalars.</summary>
        private static object? ToTree(object? value, int depth)
        {
            if (value == null) return null;
            if (depth > MaxDepth) return value.ToString();
            if (value is PSObject p)
            {
                if (!(p.BaseObject is PSCustomObject)) return ToTree(p.BaseObject, depth);
                var d = new Dictionary<string, object?>(System.StringComparer.OrdinalIgnoreCase);
                foreach (var property in p.Properties)
                {
                    object? v;
                    try { v = property.Value; } catch (GetValueException) { v = null; }
                    d[property.Name] = ToTree(v, depth + 1);
                }
                return d;
            }
            if (value is string || value is System.DateTime || value.GetType().IsPrimitive || value is System.Enum || value is decimal) return value;
            if (value is IDictionary) return value;
            if (value is IEnumerable items) return items.Cast<object?>().Select(i => ToTree(i, depth + 1)).ToList();
            return value; // a live object: the core reads its properties
        }

        private static TlsToolsException Invalid(string message) => new TlsToolsException(ErrorIds.InvalidProfileData, ErrorKind.InvalidData, message);
    }
}
