using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using System.Runtime.InteropServices;
using System.Security;

namespace TlsTools.PowerShell.Infrastructure
{
    /// <summary>Common helpers for TlsTools cmdlets: path resolution through the provider, passwords, the error policy.</summary>
    public abstract class TlsToolsCmdlet : PSCmdlet
    {
        /// <summary>Reports a failed input and goes on with the next one.</summary>
        protected void WriteFailure(TlsToolsException e, object? target = null) => WriteInputError(ErrorRecords.From(e, target));

        /// <summary>Writes an input's error; a cmdlet whose results trail its inputs (read in parallel) keeps the error's place.</summary>
        protected virtual void WriteInputError(ErrorRecord record) => WriteError(record);

        /// <summary>Stops the command: the call itself cannot be carried out.</summary>
        protected void Terminate(TlsToolsException e, object? target = null) => ThrowTerminatingError(ErrorRecords.From(e, target));

        /// <summary>Resolves -Path (wildcards) or -LiteralPath to file-system paths; unresolvable entries are reported and skipped.</summary>
        protected IEnumerable<string> ResolveInputPaths(string[] paths, bool literal)
        {
            foreach (var path in paths)
            {
                List<string> resolved = new List<string>();
                try
                {
                    if (literal)
                    {
                        var p = SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out var provider, out _);
                        CheckFileSystem(provider, path);
                        if (!File.Exists(p))
                            throw new TlsToolsException(ErrorIds.PathNotFound, ErrorKind.ObjectNotFound, "Cannot find the file '" + p + "'.", target: path);
                        resolved.Add(p);
                    }
                    else
                    {
                        var list = SessionState.Path.GetResolvedProviderPathFromPSPath(path, out var provider);
                        CheckFileSystem(provider, path);
                        foreach (var p in list)
                        {
                            // A folder among the matches (./certs/*) is reported; the files beside it are still read.
                            if (Directory.Exists(p))
                                WriteFailure(new TlsToolsException(ErrorIds.PathIsDirectory, ErrorKind.InvalidArgument, "'" + p + "' is a directory, not a file.", target: p), p);
                            else
                                resolved.Add(p);
                        }
                    }
                }
                catch (TlsToolsException e)
                {
                    WriteFailure(e, path);
                    continue;
                }
                catch (ItemNotFoundException e)
                {
                    WriteInputError(new ErrorRecord(e, ErrorIds.PathNotFound, ErrorCategory.ObjectNotFound, path));
                    continue;
                }
                foreach (var p in resolved) yield return p;
            }
        }

        /// <summary>Resolves an output path (which need not exist yet).</summary>
        protected string ResolveOutputPath(string path)
        {
            var p = SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out var provider, out _);
            CheckFileSystem(provider, path);
            return p;
        }

        private static void CheckFileSystem(ProviderInfo provider, string path)
        {
            if (!string.Equals(provider.Name, "FileSystem", StringComparison.OrdinalIgnoreCase))
                throw new TlsToolsException(ErrorIds.NotAFileSystemPath, ErrorKind.InvalidArgument, "'" + path + "' is not a file-system path.", target: path);
        }

        /// <summary>Reads a file, turning I/O failures into TlsToolsExceptions.</summary>
        protected internal static byte[] ReadFile(string path)
        {
            try
            {
                var info = new FileInfo(path);
                if (info.Length > Formats.PkiReader.MaxInputBytes)
                    throw new TlsToolsException(ErrorIds.InputTooLarge, ErrorKind.LimitsExceeded, "'" + path + "' is larger than " + (Formats.PkiReader.MaxInputBytes >> 20) + " MiB.", target: path);
                return File.ReadAllBytes(path);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new TlsToolsException(ErrorIds.ReadFailed, ErrorKind.ResourceUnavailable, "Could not read '" + path + "': " + e.Message, e, path);
            }
        }

        /// <summary>
        /// Runs <paramref name="use"/> with the password as a char array that is wiped afterwards. The password never
        /// becomes a string, so it appears in no message, log or history.
        /// </summary>
        protected static T WithPassword<T>(SecureString? password, Func<char[]?, T> use)
        {
            if (password == null) return use(null);
            var chars = new char[password.Length];
            IntPtr ptr = IntPtr.Zero;
            try
            {
                ptr = Marshal.SecureStringToGlobalAllocUnicode(password);
                Marshal.Copy(ptr, chars, 0, chars.Length);
                return use(chars);
            }
            finally
            {
                if (ptr != IntPtr.Zero) Marshal.ZeroFreeGlobalAllocUnicode(ptr);
                Array.Clear(chars, 0, chars.Length);
            }
        }

        /// <summary>Writes a file atomically after ShouldProcess; returns the FileInfo, or null when skipped or failed.</summary>
        protected FileInfo? WriteFileSafely(string path, byte[] data, bool force, bool isPrivate, string what)
        {
            string full;
            try
            {
                full = ResolveOutputPath(path);
            }
            catch (TlsToolsException e)
            {
                WriteFailure(e, path);
                return null;
            }
            if (!ShouldProcess(full, "Write " + what))
                return null;
            try
            {
                Formats.SafeFile.Write(full, data, force, isPrivate);
                return new FileInfo(full);
            }
            catch (TlsToolsException e)
            {
                WriteFailure(e, path);
                return null;
            }
        }
    }
}
