using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Personalize.Sqlite;

public sealed partial class SqlitePersonalizeStore
{
    /// <summary>
    /// The frames (pages) of write-ahead log that start a checkpoint: ~40 MB instead of SQLite's default 1,000 (4 MB). A
    /// send run's pages rewrite the same index pages again and again, and a checkpoint copies a page to the database once
    /// however often the log holds it.
    /// </summary>
    private const int CheckpointFrames = 10_000;

    /// <summary>The checkpoints off the writer's thread (null when the direct calls are not <see cref="SqliteNative.Available"/>).</summary>
    private WalCheckpointer? _checkpointer;

    /// <summary>The handle the writer's log hook finds <see cref="_checkpointer"/> by.</summary>
    private GCHandle _checkpointerHandle;

    /// <summary>Gets or sets the log frames that start a checkpoint (tests: a small log shows the checkpoints without writing 40 MB).</summary>
    internal int CheckpointAfterFrames
    {
        get => _checkpointer?.Frames ?? CheckpointFrames;
        set
        {
            if (_checkpointer is null)
            {
                throw new InvalidOperationException("The log is checkpointed by SQLite's automatic checkpoint on this SQLite library.");
            }

            _checkpointer.Frames = value;
        }
    }

    /// <summary>Gets how many checkpoints ran on the store's checkpoint thread, and how many on the writer (tests).</summary>
    internal (int Background, int Writer) Checkpoints => _checkpointer is { } c ? (c.Background, c.Writer) : (0, 0);

    /// <summary>
    /// Moves the writer's checkpoints to a thread of the store's own (ADR 0076). SQLite's automatic checkpoint runs inside
    /// the commit that fills the log, on the writer: it copies the log's pages to the database and syncs the database
    /// file, and a send run's recorder waited for it (4-7 commits of 60-240 ms in a 100,000-message run, a tenth of the
    /// run). Here the writer's log hook only signals the checkpoint thread when the log holds
    /// <see cref="CheckpointFrames"/>; the thread copies on its own connection while the writer goes on (SQLite's
    /// checkpoint and writer work on the same file at once, as with another process). When the thread has caught up,
    /// the writer's next commit copies what was written meanwhile (a few commits' pages), so that its next transaction can
    /// start the log again from its beginning, as after the automatic checkpoint.
    /// </summary>
    /// <remarks>
    /// Durability is unchanged: every commit syncs the log (<c>synchronous = FULL</c>), and a checkpoint only copies
    /// committed pages. Without the direct calls (another SQLite library) the automatic checkpoint stays.
    /// </remarks>
    private void StartCheckpoints(string path)
    {
        if (!SqliteNative.Available)
        {
            return;
        }

        _checkpointer = new WalCheckpointer(path, _busyTimeoutMilliseconds);
        _checkpointerHandle = GCHandle.Alloc(_checkpointer);
        unsafe
        {
            SqliteNative.WalHook(_writer.Handle!.DangerousGetHandle(), &OnCommit, GCHandle.ToIntPtr(_checkpointerHandle));
        }
    }

    /// <summary>Removes the writer's log hook and stops the checkpoint thread (before the writer closes).</summary>
    private void StopCheckpoints()
    {
        if (_checkpointer is null)
        {
            return;
        }

        unsafe
        {
            SqliteNative.WalHook(_writer.Handle!.DangerousGetHandle(), null, 0);
        }

        _checkpointer.Dispose();
        _checkpointerHandle.Free();
        _checkpointer = null;
    }

    /// <summary>The writer's log hook: called by SQLite after each commit of the writer, on its thread, inside the commit.</summary>
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static unsafe int OnCommit(nint argument, nint db, byte* name, int frames)
    {
        if (GCHandle.FromIntPtr(argument).Target is WalCheckpointer checkpointer)
        {
            checkpointer.Committed(db, frames);
        }

        return raw.SQLITE_OK;
    }

    /// <summary>
    /// The store's checkpoint thread and connection, started at the first full log. Its states: idle; asked or copying;
    /// caught up (the writer's next commit copies the rest); failed (the writer checkpoints as SQLite's automatic
    /// checkpoint did).
    /// </summary>
    private sealed class WalCheckpointer(string path, int busyTimeoutMilliseconds) : IDisposable
    {
        private const int Idle = 0;
        private const int Asked = 1;
        private const int CaughtUp = 2;
        private const int Failed = 3;

        /// <summary>Frames left after a copy that make the thread copy again before it hands over to the writer.</summary>
        private const int CatchUpFrames = 1_000;

        private readonly object _gate = new();
        private int _state;
        private bool _stopping;
        private Thread? _thread;
        private int _background;
        private int _writer;

        public int Frames { get; set; } = CheckpointFrames;

        public int Background => Volatile.Read(ref _background);

        public int Writer => Volatile.Read(ref _writer);

        /// <summary>After a commit of the writer (its thread, inside the commit; never throws).</summary>
        public void Committed(nint db, int frames)
        {
            switch (Volatile.Read(ref _state))
            {
                case Idle when frames >= Frames:
                    Ask();
                    break;
                case CaughtUp:
                    // What was committed while the thread copied: a few commits' pages. Copied here, the log can start
                    // again from its beginning at the writer's next transaction.
                    WriterCheckpoint(db);
                    Volatile.Write(ref _state, Idle);
                    break;
                case Failed when frames >= Frames:
                    WriterCheckpoint(db);
                    break;
            }
        }

        private void WriterCheckpoint(nint db)
        {
            // As SQLite's automatic checkpoint: an error (busy: another connection is checkpointing) leaves the log to the next one.
            if (SqliteNative.CheckpointPassive(db, out _, out _) == raw.SQLITE_OK)
            {
                Interlocked.Increment(ref _writer);
            }
        }

        private void Ask()
        {
            lock (_gate)
            {
                if (_stopping)
                {
                    return;
                }

                _state = Asked;
                if (_thread is null)
                {
                    try
                    {
                        _thread = new Thread(Run) { IsBackground = true, Name = "Personalize.Sqlite checkpoint" };
                        _thread.Start();
                    }
                    catch (OutOfMemoryException)
                    {
                        // No thread: the writer checkpoints (this runs inside SQLite's commit, where nothing may be thrown).
                        _thread = null;
                        _state = Failed;
                    }
                }
                else
                {
                    Monitor.Pulse(_gate);
                }
            }
        }

        private void Run()
        {
            sqlite3? db = null;
            try
            {
                db = Open();
                while (true)
                {
                    lock (_gate)
                    {
                        while (_state != Asked && !_stopping)
                        {
                            Monitor.Wait(_gate);
                        }

                        if (_stopping)
                        {
                            return;
                        }
                    }

                    var handle = db.DangerousGetHandle();
                    int code, log, done;
                    var rounds = 0;
                    do
                    {
                        code = SqliteNative.CheckpointPassive(handle, out log, out done);
                        if (code == raw.SQLITE_OK)
                        {
                            Interlocked.Increment(ref _background);
                        }
                    }
                    while (code == raw.SQLITE_OK && log - done >= CatchUpFrames && ++rounds < 4 && !Volatile.Read(ref _stopping));

                    if (code is not (raw.SQLITE_OK or raw.SQLITE_BUSY or raw.SQLITE_LOCKED))
                    {
                        Volatile.Write(ref _state, Failed);
                        return;
                    }

                    // Busy (another connection's checkpoint has the log in hand): the writer's next commit copies what is left.
                    Volatile.Write(ref _state, CaughtUp);
                }
            }
            catch (SqliteException)
            {
                // The connection could not be opened: the writer checkpoints, as SQLite's automatic checkpoint did.
                Volatile.Write(ref _state, Failed);
            }
            finally
            {
                db?.Dispose();
            }
        }

        private sqlite3 Open()
        {
            var code = raw.sqlite3_open_v2(path, out var db, raw.SQLITE_OPEN_READWRITE | raw.SQLITE_OPEN_NOMUTEX | raw.SQLITE_OPEN_PRIVATECACHE, null);
            if (code == raw.SQLITE_OK)
            {
                raw.sqlite3_busy_timeout(db, busyTimeoutMilliseconds);

                // The checkpoint's syncs follow its connection's setting: the log before copying, the database after.
                code = raw.sqlite3_exec(db, "PRAGMA synchronous = FULL; PRAGMA user_version;");
            }

            if (code != raw.SQLITE_OK)
            {
                try
                {
                    SqliteException.ThrowExceptionForRC(code, db);
                }
                finally
                {
                    db.Dispose();
                }
            }

            return db;
        }

        public void Dispose()
        {
            Thread? thread;
            lock (_gate)
            {
                _stopping = true;
                Monitor.PulseAll(_gate);
                thread = _thread;
            }

            // A copy in progress finishes first (a checkpoint cannot be interrupted; killed, it leaves the log valid).
            thread?.Join();
        }
    }
}
