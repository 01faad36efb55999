using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Runtime.InteropServices;
using System.Runtime.Loader;
using System.Threading;

namespace TlsTools.Loader
{
    /// <summary>
    /// A private <see cref="AssemblyLoadContext"/> for the module's bin folder. Every assembly that has a file there
    /// (TlsTools.PowerShell, TlsTools.Core, BouncyCastle.Cryptography) is loaded from that file into this context,
    /// whatever copy of the same name the default context already holds or loads later; everything else
    /// (System.Management.Automation, the framework) falls back to the default context, so the cmdlets and the
    /// session still share PowerShell's types. Where the build laid out ReadyToRun images for the running .NET and
    /// platform (module/bin/r2r/net10.0-linux-x64/ and the like: precompiled, so the first handshakes of a session do
    /// not wait for the JIT), each assembly is loaded from there instead, as long as it is the same build as the IL
    /// beside it (same MVID); otherwise, and on every other platform, from the IL in module/bin.
    /// </summary>
    public sealed class ModuleLoadContext : AssemblyLoadContext
    {
        private static readonly object Sync = new object();
        private static readonly Dictionary<string, ModuleLoadContext> Contexts = new Dictionary<string, ModuleLoadContext>(StringComparer.Ordinal);

        private static int _imports;

        private readonly string _binDirectory;
        private readonly string? _readyToRunDirectory;

        private ModuleLoadContext(string binDirectory)
            : base("TlsTools", isCollectible: false)
        {
            _binDirectory = binDirectory;
            string r2r = Path.Combine(binDirectory, "r2r", ReadyToRunFolderName);
            _readyToRunDirectory = Directory.Exists(r2r) ? r2r : null;
        }

        /// <summary>The folder this context loads from.</summary>
        public string BinDirectory => _binDirectory;

        /// <summary>
        /// The name of the ReadyToRun folder under module/bin/r2r for the running .NET and platform, e.g.
        /// <c>net10.0-linux-x64</c> (the framework and runtime identifier the images were published for).
        /// </summary>
        public static string ReadyToRunFolderName
        {
            get
            {
                string os = RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? "win"
                    : RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? "osx"
                    : RuntimeInformation.IsOSPlatform(OSPlatform.Linux) ? "linux" : "unknown";
                string arch = RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
                return "net" + Environment.Version.Major + ".0-" + os + "-" + arch;
            }
        }

        /// <summary>
        /// Where each assembly of this context was loaded from, by simple name: the ReadyToRun image or the IL
        /// (for tests and diagnostics).
        /// </summary>
        public IReadOnlyDictionary<string, string> LoadedFrom
        {
            get { lock (_loadedFrom) return new Dictionary<string, string>(_loadedFrom, StringComparer.Ordinal); }
        }

        private readonly Dictionary<string, string> _loadedFrom = new Dictionary<string, string>(StringComparer.Ordinal);

        /// <summary>
        /// Loads <paramref name="assemblyName"/>.dll from <paramref name="binDirectory"/> into the private context for
        /// that folder and returns it. One context per folder for the life of the process, so a re-import (or
        /// Import-Module -Force) gets the same assemblies and types as before.
        /// </summary>
        public static Assembly LoadModule(string binDirectory, string assemblyName)
        {
            if (binDirectory is null) throw new ArgumentNullException(nameof(binDirectory));
            if (assemblyName is null) throw new ArgumentNullException(nameof(assemblyName));
            string dir = Path.GetFullPath(binDirectory);
            string path = Path.Combine(dir, assemblyName + ".dll");
            if (!File.Exists(path)) throw new FileNotFoundException("The module assembly is missing; build the module first.", path);
            ModuleLoadContext context;
            lock (Sync)
            {
                if (!Contexts.TryGetValue(dir, out context!))
                {
                    context = new ModuleLoadContext(dir);
                    Contexts.Add(dir, context);
                }
            }
            return context.LoadFromAssemblyName(new AssemblyName(assemblyName));
        }

        /// <summary>
        /// Whether <see cref="LoadModule"/> has loaded from <paramref name="binDirectory"/> before in this process (a
        /// re-import of the same module: PowerShell then hands back the binary module it imported before).
        /// </summary>
        public static bool IsLoaded(string binDirectory)
        {
            if (binDirectory is null) throw new ArgumentNullException(nameof(binDirectory));
            lock (Sync) return Contexts.ContainsKey(Path.GetFullPath(binDirectory));
        }

        /// <summary>
        /// Counts an import of the module in any runspace of the process and returns the new count. Type accelerators
        /// are process-wide, so the root module removes its accelerators only when the last import goes away.
        /// </summary>
        public static int AddImport() => Interlocked.Increment(ref _imports);

        /// <summary>Counts a removal of the module and returns how many imports remain.</summary>
        public static int RemoveImport()
        {
            int left = Interlocked.Decrement(ref _imports);
            if (left < 0)
            {
                Interlocked.CompareExchange(ref _imports, 0, left);
                left = 0;
            }
            return left;
        }

        /// <summary>
        /// Registers a type accelerator under the full name of every public type of <paramref name="assemblies"/> that has
        /// none yet (PowerShell resolves type names only in the default context), using PowerShell's own
        /// <paramref name="typeAccelerators"/> class (System.Management.Automation.TypeAccelerators: Get, Add). Returns
        /// the names that now point at these types, for the removal. Done here rather than in script: a script loop over
        /// a hundred types costs tens of milliseconds at every import.
        /// </summary>
        public static string[] AddTypeAccelerators(Type typeAccelerators, params Assembly[] assemblies)
        {
            if (typeAccelerators is null) throw new ArgumentNullException(nameof(typeAccelerators));
            var get = typeAccelerators.GetProperty("Get", BindingFlags.Public | BindingFlags.Static)
                ?? throw new MissingMemberException(typeAccelerators.FullName, "Get");
            var add = typeAccelerators.GetMethod("Add", BindingFlags.Public | BindingFlags.Static, null, new[] { typeof(string), typeof(Type) }, null)
                ?? throw new MissingMemberException(typeAccelerators.FullName, "Add");
            var known = (IDictionary<string, Type>)get.GetValue(null)!;
            var names = new List<string>();
            foreach (var assembly in assemblies)
            {
                foreach (var type in assembly.GetExportedTypes())
                {
                    string name = type.FullName!;
                    if (!known.TryGetValue(name, out var existing))
                    {
                        add.Invoke(null, new object[] { name, type });
                        names.Add(name);
                    }
                    else if (existing == type)
                    {
                        names.Add(name);
                    }
                }
            }
            return names.ToArray();
        }

        /// <summary>
        /// What the root module does at an import, in one call (each .NET call from script costs PowerShell a binder of
        /// its own, so the fewer the faster the import): registers type accelerators for the public types of
        /// <paramref name="moduleAssembly"/> and of <paramref name="otherAssemblies"/> (loaded by name in the same
        /// context) with PowerShell's TypeAccelerators class, and counts the import (<see cref="AddImport"/>). Returns
        /// the names for <see cref="RemoveModuleTypes"/>.
        /// </summary>
        public static string[] AddModuleTypes(Assembly moduleAssembly, params string[] otherAssemblies)
        {
            if (moduleAssembly is null) throw new ArgumentNullException(nameof(moduleAssembly));
            if (otherAssemblies is null) throw new ArgumentNullException(nameof(otherAssemblies));
            var context = GetLoadContext(moduleAssembly) ?? Default;
            var assemblies = new List<Assembly>();
            foreach (string name in otherAssemblies) assemblies.Add(context.LoadFromAssemblyName(new AssemblyName(name)));
            assemblies.Add(moduleAssembly);
            string[] names = AddTypeAccelerators(TypeAcceleratorsType(), assemblies.ToArray());
            AddImport();
            return names;
        }

        /// <summary>
        /// What the root module does at a removal: counts it (<see cref="RemoveImport"/>) and, when it was the last
        /// import in the process, removes the type accelerators <see cref="AddModuleTypes"/> registered.
        /// </summary>
        public static void RemoveModuleTypes(string[] names)
        {
            if (names is null) throw new ArgumentNullException(nameof(names));
            if (RemoveImport() != 0) return;
            var remove = TypeAcceleratorsType().GetMethod("Remove", BindingFlags.Public | BindingFlags.Static, null, new[] { typeof(string) }, null)
                ?? throw new MissingMemberException("System.Management.Automation.TypeAccelerators", "Remove");
            foreach (string name in names) remove.Invoke(null, new object[] { name });
        }

        // PowerShell's own (internal) class, from the System.Management.Automation the default context already holds.
        private static Type TypeAcceleratorsType() =>
            Type.GetType("System.Management.Automation.TypeAccelerators, System.Management.Automation", throwOnError: true)!;

        /// <inheritdoc />
        protected override Assembly? Load(AssemblyName assemblyName)
        {
            if (string.IsNullOrEmpty(assemblyName.Name)) return null;
            string path = Path.Combine(_binDirectory, assemblyName.Name + ".dll");
            // Only this module's own files; null lets the default context resolve the rest (PowerShell, the framework).
            if (!File.Exists(path)) return null;
            if (_readyToRunDirectory != null)
            {
                string image = Path.Combine(_readyToRunDirectory, assemblyName.Name + ".dll");
                if (File.Exists(image) && SameBuild(image, path)) path = image;
            }
            lock (_loadedFrom) _loadedFrom[assemblyName.Name!] = path;
            return LoadFromAssemblyPath(path);
        }

        /// <summary>
        /// Whether two files are the same build of an assembly (same module version id): a ReadyToRun image keeps the
        /// MVID of the IL it was compiled from, so a stale image (the IL rebuilt since) is never taken for the new one.
        /// </summary>
        internal static bool SameBuild(string first, string second)
        {
            Guid? a = ReadMvid(first), b = ReadMvid(second);
            return a.HasValue && a == b;
        }

        private static Guid? ReadMvid(string path)
        {
            try
            {
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete);
                using var pe = new PEReader(stream);
                if (!pe.HasMetadata) return null;
                var metadata = pe.GetMetadataReader();
                return metadata.GetGuid(metadata.GetModuleDefinition().Mvid);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is BadImageFormatException || e is InvalidOperationException)
            {
                return null;   // unreadable: not the same build; the IL is used
            }
        }
    }
}
