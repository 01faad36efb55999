using System;
using System.IO;
using System.Runtime.InteropServices;

namespace TlsTools.Formats
{
    /// <summary>
    /// Atomic file writes: the bytes go to a temporary file beside the target, are flushed to disk, then renamed over
    /// it, so a reader sees the old file or the whole new one, never a part. Private files are 0600 on Unix from the
    /// moment they are created.
    /// </summary>
    public static class SafeFile
    {
        /// <summary>Writes <paramref name="data"/> to <paramref name="path"/>; an existing file is replaced only with <paramref name="force"/>.</summary>
        public static void Write(string path, byte[] data, bool force, bool isPrivate) => Write(path, data, force, isPrivate, null);

        /// <summary>
        /// As <see cref="Write(string, byte[], bool, bool)"/>; <paramref name="wrap"/> (tests only) wraps the temporary
        /// file's stream, e.g. to inject a fault after some bytes.
        /// </summary>
        internal static void Write(string path, byte[] data, bool force, bool isPrivate, Func<Stream, Stream>? wrap)
        {
            if (path == null) throw new ArgumentNullException(nameof(path));
            if (data == null) throw new ArgumentNullException(nameof(data));
            var full = Path.GetFullPath(path);
            if (Directory.Exists(full))
                throw new TlsToolsException(ErrorIds.PathIsDirectory, ErrorKind.InvalidArgument, "'" + full + "' is a directory.", target: full);
            var dir = Path.GetDirectoryName(full) ?? ".";
            if (!Directory.Exists(dir))
                throw new TlsToolsException(ErrorIds.DirectoryNotFound, ErrorKind.ObjectNotFound, "The directory '" + dir + "' does not exist.", target: full);
            bool exists = File.Exists(full);
            if (exists && !force)
                throw new TlsToolsException(ErrorIds.FileExists, ErrorKind.ResourceExists, "'" + full + "' exists; use -Force to replace it.", target: full);

            var temp = Path.Combine(dir, "." + Path.GetFileName(full) + "." + Guid.NewGuid().ToString("N").Substring(0, 8) + ".tmp");
            try
            {
                using (var fs = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
                {
                    if (isPrivate) RestrictToOwner(temp);
                    var target = wrap == null ? fs : wrap(fs);
                    target.Write(data, 0, data.Length);
                    target.Flush();
                    fs.Flush(true);
                }
                if (exists)
                {
                    File.Replace(temp, full, null, ignoreMetadataErrors: true);
                }
                else
                {
                    try
                    {
                        File.Move(temp, full);
                    }
                    catch (IOException) when (File.Exists(full))
                    {
                        throw new TlsToolsException(ErrorIds.FileExists, ErrorKind.ResourceExists, "'" + full + "' was created by someone else meanwhile; use -Force to replace it.", target: full);
                    }
                }
            }
            catch (TlsToolsException)
            {
                TryDelete(temp);
                throw;
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                TryDelete(temp);
                // The message names the file asked for, never the hidden temporary file beside it.
                throw new TlsToolsException(ErrorIds.WriteFailed, ErrorKind.WriteError, "Could not write '" + full + "': " +
                    (e is UnauthorizedAccessException ? "permission denied (the folder '" + dir + "' or the file is not writable)." : e.Message.Replace(temp, full)), e, full);
            }
            catch
            {
                // Any other failure (a fault in the stream, an out-of-memory) must not leave the temporary file behind either.
                TryDelete(temp);
                throw;
            }
        }

        private static void TryDelete(string path)
        {
            try { if (File.Exists(path)) File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }

        /// <summary>chmod 600 on Unix; on Windows the file inherits the directory's ACL (user profile folders are private).</summary>
        private static void RestrictToOwner(string path)
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows)) return;
            if (NativeMethods.chmod(path, Convert.ToUInt32("600", 8)) != 0)
                throw new TlsToolsException(ErrorIds.PermissionFailed, ErrorKind.WriteError, "Could not restrict '" + path + "' to its owner (chmod 600 failed, errno " + Marshal.GetLastWin32Error() + ").", target: path);
        }

        private static class NativeMethods
        {
            [DllImport("libc", SetLastError = true)]
            internal static extern int chmod(string path, uint mode);
        }
    }
}
