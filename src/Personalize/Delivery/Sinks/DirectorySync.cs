using System.Runtime.InteropServices;

namespace Personalize.Delivery.Sinks;

/// <summary>
/// Flushes a directory's entries to disk (fsync on the directory), so a file created or renamed in it survives a power
/// failure, not only its contents. POSIX only; on Windows the file system journals directory changes itself and this
/// does nothing.
/// </summary>
internal static partial class DirectorySync
{
    private const int ReadOnly = 0;
    private const int Directory = 0x10000; // O_DIRECTORY on Linux; macOS ignores unknown bits for open(2) of a directory read-only

    public static void Flush(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var flags = ReadOnly | (OperatingSystem.IsLinux() ? Directory : 0);
        var fd = Open(path, flags);
        if (fd < 0)
        {
            throw new IOException($"Cannot open the directory {path} to flush it to disk (errno {Marshal.GetLastPInvokeError()}).");
        }

        try
        {
            if (Fsync(fd) != 0)
            {
                throw new IOException($"Cannot flush the directory {path} to disk (errno {Marshal.GetLastPInvokeError()}).");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    /// <summary>
    /// Flushes everything written to the file system that holds <paramref name="path"/> (Linux <c>syncfs</c>): one call
    /// makes a whole group of files durable. Returns <see langword="false"/> where that is not available, and the caller
    /// flushes the files one by one.
    /// </summary>
    public static bool TryFlushFileSystem(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        var fd = Open(path, ReadOnly | Directory);
        if (fd < 0)
        {
            return false;
        }

        try
        {
            return SyncFs(fd) == 0;
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "syncfs", SetLastError = true)]
    private static partial int SyncFs(int fd);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
