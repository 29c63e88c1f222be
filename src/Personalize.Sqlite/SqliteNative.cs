using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using SQLitePCL;

namespace Personalize.Sqlite;

/// <summary>
/// The few SQLite functions the send run's hot loops call per column (reading a page's rows, binding the writer's
/// statements), called directly on the statement's native pointer instead of through <see cref="raw"/>: each call through
/// <see cref="raw"/> goes through the provider's interface and marshals the <see cref="sqlite3_stmt"/> safe handle (an
/// add-ref and a release per call), which cost more than SQLite's own work for a column (≈ 5 % of the closed loop's CPU,
/// session 14's profile). The column and bind functions only read or copy a value in memory, so they are also called
/// without the runtime's GC transition.
/// </summary>
/// <remarks>
/// Only used when the library these imports bind to is the very SQLite the connections were opened with
/// (<see cref="Available"/>: the provider is <c>e_sqlite3</c>, the library Microsoft.Data.Sqlite's bundle carries, and
/// both report the same version string at the same address); with any other provider (a host that chose the system's
/// SQLite or SQLCipher) every call goes through <see cref="raw"/> as before. The callers own the statements whose
/// pointers they pass and do not dispose them while they use the pointer.
/// </remarks>
internal static unsafe partial class SqliteNative
{
    private const string Library = "e_sqlite3";

    /// <summary>SQLite's <c>SQLITE_TRANSIENT</c>: the value is copied before the bind returns.</summary>
    private static readonly nint Transient = -1;

    /// <summary>Whether the direct calls reach the same SQLite library as the connections (see the remarks).</summary>
    public static readonly bool Available = Probe();

    private static bool Probe()
    {
        try
        {
            if (raw.GetNativeLibraryName() != Library)
            {
                return false;
            }

            var theirs = raw.sqlite3_libversion();
            fixed (byte* their = theirs)
            {
                return their is not null && their == LibVersion();
            }
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException or InvalidOperationException or TypeInitializationException)
        {
            return false;
        }
    }

    /// <summary>The native pointer of a statement for the direct calls, or zero when they are not <see cref="Available"/>.</summary>
    public static nint Handle(sqlite3_stmt statement) => Available ? statement.DangerousGetHandle() : 0;

    /// <summary>A column's bytes as SQLite holds them (valid until the statement steps or resets; empty for NULL).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ReadOnlySpan<byte> Blob(nint statement, int column)
    {
        var data = ColumnBlob(statement, column);
        return data is null ? default : new ReadOnlySpan<byte>(data, ColumnBytes(statement, column));
    }

    /// <summary>Binds a UTF-8 text (copied by SQLite) to the 1-based parameter.</summary>
    public static int BindText(nint statement, int index, ReadOnlySpan<byte> utf8)
    {
        fixed (byte* data = utf8)
        {
            // A non-null pointer for an empty text: a null one would bind SQL NULL.
            byte empty = 0;
            return BindTextPointer(statement, index, data is null ? &empty : data, utf8.Length, Transient);
        }
    }

    [LibraryImport(Library, EntryPoint = "sqlite3_libversion")]
    private static partial byte* LibVersion();

    [LibraryImport(Library, EntryPoint = "sqlite3_column_type")]
    [SuppressGCTransition]
    public static partial int ColumnType(nint statement, int column);

    [LibraryImport(Library, EntryPoint = "sqlite3_column_int")]
    [SuppressGCTransition]
    public static partial int ColumnInt(nint statement, int column);

    [LibraryImport(Library, EntryPoint = "sqlite3_column_int64")]
    [SuppressGCTransition]
    public static partial long ColumnInt64(nint statement, int column);

    [LibraryImport(Library, EntryPoint = "sqlite3_column_blob")]
    [SuppressGCTransition]
    private static partial byte* ColumnBlob(nint statement, int column);

    [LibraryImport(Library, EntryPoint = "sqlite3_column_bytes")]
    [SuppressGCTransition]
    private static partial int ColumnBytes(nint statement, int column);

    [LibraryImport(Library, EntryPoint = "sqlite3_bind_text")]
    [SuppressGCTransition]
    private static partial int BindTextPointer(nint statement, int index, byte* text, int bytes, nint destructor);

    [LibraryImport(Library, EntryPoint = "sqlite3_bind_int64")]
    [SuppressGCTransition]
    public static partial int BindInt64(nint statement, int index, long value);

    [LibraryImport(Library, EntryPoint = "sqlite3_bind_null")]
    [SuppressGCTransition]
    public static partial int BindNull(nint statement, int index);

    /// <summary>Steps a statement (may read and write the file: called with the GC transition).</summary>
    [LibraryImport(Library, EntryPoint = "sqlite3_step")]
    public static partial int Step(nint statement);

    /// <summary>
    /// Sets a connection's write-ahead log hook: SQLite calls <paramref name="callback"/> (with <paramref name="argument"/>,
    /// the connection, the database's name and the frames now in the log) after each commit, on the committing thread,
    /// in place of its automatic checkpoint. A null callback removes the hook.
    /// </summary>
    [LibraryImport(Library, EntryPoint = "sqlite3_wal_hook")]
    public static partial nint WalHook(nint db, delegate* unmanaged[Cdecl]<nint, nint, byte*, int, int> callback, nint argument);

    /// <summary>Checkpoints the main database's write-ahead log (<c>sqlite3_wal_checkpoint_v2</c>; reads and writes both files).</summary>
    public static int CheckpointPassive(nint db, out int logFrames, out int checkpointedFrames)
    {
        int log, checkpointed;
        var code = WalCheckpoint(db, MainDatabase, 0 /* SQLITE_CHECKPOINT_PASSIVE */, &log, &checkpointed);
        logFrames = log;
        checkpointedFrames = checkpointed;
        return code;
    }

    /// <summary>"main", NUL-terminated, for the process's life.</summary>
    private static readonly byte* MainDatabase = Terminated("main"u8);

    private static byte* Terminated(ReadOnlySpan<byte> text)
    {
        var copy = (byte*)NativeMemory.AllocZeroed((nuint)text.Length + 1);
        text.CopyTo(new Span<byte>(copy, text.Length));
        return copy;
    }

    [LibraryImport(Library, EntryPoint = "sqlite3_wal_checkpoint_v2")]
    private static partial int WalCheckpoint(nint db, byte* name, int mode, int* logFrames, int* checkpointedFrames);

    /// <summary>Resets a statement (may end its read transaction: called with the GC transition).</summary>
    [LibraryImport(Library, EntryPoint = "sqlite3_reset")]
    public static partial int Reset(nint statement);
}
