using Microsoft.Data.Sqlite;
using SQLitePCL;
using Personalize.Channels;
using Personalize.Serialization;
using Personalize.Storage;

namespace Personalize.Sqlite;

/// <summary>
/// The embedded default store: one SQLite file in WAL mode with <c>synchronous=FULL</c> (every committed consent record,
/// send and delivery log entry is on disk before the call returns), foreign keys on, the schema created and migrated on
/// open by numbered migrations (a database from a newer release is refused, never changed). One writer connection (calls
/// that write wait for each other; other processes wait up to <see cref="SqliteStoreOptions.BusyTimeout"/>) and any
/// number of readers, which see the last committed state without blocking the writer.
/// </summary>
/// <remarks>
/// Several processes may open the same file on one machine (SQLite locks it); for several machines use the PostgreSQL
/// store. Profile facts are stored as the customer JSON of <see cref="CustomerJson"/>; consent records, history, the
/// delivery log and scheduled sends have their own tables (see <c>docs/storage.md</c> for the schema). Times are
/// stored as UTC ticks. Thread-safe; dispose it to close the file.
/// </remarks>
public sealed partial class SqlitePersonalizeStore : IPersonalizeStore, IDisposable, IAsyncDisposable
{
    private const string SaltKey = "suppression_salt";
    private readonly string _connectionString;
    private readonly SqliteConnection _writer;
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly CustomerJson _json;
    private readonly byte[] _salt;
    private readonly Dictionary<string, SqliteCommand> _writerCommands = new(StringComparer.Ordinal);
    private readonly InProcessWork _work;
    private readonly int _busyTimeoutMilliseconds;
    private bool _disposed;

    private SqlitePersonalizeStore(string path, string connectionString, SqliteConnection writer, ChannelRegistry channels, byte[] salt, TimeProvider timeProvider)
    {
        _work = new InProcessWork(timeProvider);
        Path = path;
        _connectionString = connectionString;
        _busyTimeoutMilliseconds = (int)Math.Min(int.MaxValue, new SqliteConnectionStringBuilder(connectionString).DefaultTimeout * 1000L);
        _writer = writer;
        _json = CustomerJson.ForStore(channels); // its own rows: judged on the way in, read without judging again
        _salt = salt;
        StartCheckpoints(path);
    }

    /// <summary>The schema version this release writes (the number of its migrations).</summary>
    public static int SchemaVersion => SqliteSchema.Version;

    /// <summary>The database file (full path).</summary>
    public string Path { get; }

    /// <summary>Opens (creating and migrating when needed) a database file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="channels">The channels profiles may name; the built-in ones when <see langword="null"/>.</param>
    /// <returns>The open store.</returns>
    /// <exception cref="SqliteStoreException">The file is from a newer release, or not a database.</exception>
    public static SqlitePersonalizeStore Open(string path, ChannelRegistry? channels = null)
        => Open(new SqliteStoreOptions { Path = path, Channels = channels ?? ChannelRegistry.Default });

    /// <summary>Opens (creating and migrating when needed) a database file.</summary>
    /// <param name="options">The file, channels and busy timeout.</param>
    /// <returns>The open store.</returns>
    /// <exception cref="SqliteStoreException">The file is from a newer release, or not a database.</exception>
    public static SqlitePersonalizeStore Open(SqliteStoreOptions options) => Open(options, SqliteSchema.Version);

    /// <summary>Opens a file migrated only up to <paramref name="schemaVersion"/> (tests: data written as an earlier release laid it out).</summary>
    internal static SqlitePersonalizeStore OpenAt(string path, ChannelRegistry channels, int schemaVersion)
        => Open(new SqliteStoreOptions { Path = path, Channels = channels }, schemaVersion);

    private static SqlitePersonalizeStore Open(SqliteStoreOptions options, int schemaVersion)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Validate() is { Count: > 0 } errors)
        {
            throw new ArgumentException(SqliteStoreOptions.DescribeErrors(errors), nameof(options));
        }

        var path = System.IO.Path.GetFullPath(options.Path);
        if (System.IO.Path.GetDirectoryName(path) is { Length: > 0 } directory)
        {
            Directory.CreateDirectory(directory);
        }

        // Refuse a newer database before anything could change it: a read-only look at its version first.
        if (File.Exists(path) && new FileInfo(path).Length > 0)
        {
            CheckVersion(path);
        }

        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            ForeignKeys = true,
            DefaultTimeout = (int)Math.Ceiling(options.BusyTimeout.TotalSeconds),
        }.ToString();
        var writer = new SqliteConnection(connectionString);
        try
        {
            writer.Open();
            var version = SqliteSchema.ReadVersion(writer);
            if (version > SqliteSchema.Version)
            {
                throw Newer(path, version);
            }

            // A checkpoint every ~40 MB of log instead of SQLite's 4 MB (CheckpointFrames), run off the writer's thread
            // where the direct calls reach SQLite (StartCheckpoints). Durability is the same (synchronous=FULL syncs the
            // log at every commit).
            // The writer keeps up to 64 MB of pages (SQLite's default is 2 MB): a batch of events or sends updates
            // customers, events and indexes spread over the file, and its own commits leave its cache valid; a send run
            // no longer reads back the pages it keeps rewriting (the delivery log's key index, the customers' rows, the
            // history) nor spills a page's transaction to the log before its commit. A bound, not a reservation: memory
            // stays flat however many customers the file holds.
            Execute(writer, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA wal_autocheckpoint = " + CheckpointFrames.ToString(System.Globalization.CultureInfo.InvariantCulture) + "; PRAGMA cache_size = -65536;");
            SqliteSchema.Migrate(writer, version, schemaVersion);
            var salt = LoadOrCreateSalt(writer);
            return new SqlitePersonalizeStore(path, connectionString, writer, options.Channels, salt, options.TimeProvider);
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == 26)
        {
            writer.Dispose();
            throw new SqliteStoreException($"{path}: the file is not a SQLite database. Pass another file (--db FILE) or move this one away.", ex);
        }
        catch
        {
            writer.Dispose();
            throw;
        }
    }

    /// <summary>Closes the file.</summary>
    public void Dispose()
    {
        _writeGate.Wait();
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            foreach (var command in _writerCommands.Values)
            {
                command.Dispose();
            }

            _writerCommands.Clear();
            StopCheckpoints();
            FinalizeStatements();
            _writer.Dispose();
            ClosePageReaders();
            SqliteConnection.ClearPool(new SqliteConnection(_connectionString));
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>Closes the file.</summary>
    /// <returns>A completed task.</returns>
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private static void CheckVersion(string path)
    {
        var readOnly = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString();
        using var connection = new SqliteConnection(readOnly);
        try
        {
            connection.Open();
            var version = SqliteSchema.ReadVersion(connection);
            if (version > SqliteSchema.Version)
            {
                throw Newer(path, version);
            }
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == 26)
        {
            throw new SqliteStoreException($"{path}: the file is not a SQLite database. Pass another file (--db FILE) or move this one away.", ex);
        }
    }

    private static SqliteStoreException Newer(string path, long version)
        => new($"{path}: the database has schema version {version}, written by a newer release of Personalize.Sqlite; this release knows versions up to {SqliteSchema.Version}. It was not changed: open it with that newer release, or use another file.");

    private static byte[] LoadOrCreateSalt(SqliteConnection connection)
    {
        using var transaction = connection.BeginTransaction();
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "INSERT OR IGNORE INTO store_meta (key, value) VALUES ($key, $value); SELECT value FROM store_meta WHERE key = $key;";
        command.Parameters.AddWithValue("$key", SaltKey);
        command.Parameters.AddWithValue("$value", ContactPointHash.CreateSalt());
        var salt = (byte[])command.ExecuteScalar()!;
        transaction.Commit();
        return salt;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>Reads a PRAGMA of the writer connection (for tests: synchronous, foreign_keys, journal_mode).</summary>
    internal string WriterPragma(string name)
    {
        _writeGate.Wait();
        try
        {
            using var command = _writer.CreateCommand();
            command.CommandText = "PRAGMA " + name;
            return Convert.ToString(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty;
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>Runs <paramref name="work"/> in one write transaction (BEGIN IMMEDIATE) on the writer connection.</summary>
    private async ValueTask<T> WriteAsync<T>(Func<SqliteTransaction, T> work, CancellationToken cancellationToken, bool customersChecked = false)
    {
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            cancellationToken.ThrowIfCancellationRequested();
            EnforceForeignKeys(!customersChecked);
            try
            {
                using var transaction = _writer.BeginTransaction();
                var result = work(transaction);
                transaction.Commit();
                return result;
            }
            finally
            {
                EnforceForeignKeys(true);
            }
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>Whether the writer connection enforces foreign keys now (the connection string turns them on).</summary>
    private bool _foreignKeys = true;

    /// <summary>
    /// Turns the writer's foreign key checks on or off, between transactions (SQLite ignores the pragma inside one). Off
    /// only for a write whose every statement checks its customer's row first in the same transaction
    /// (<see cref="IngestionOnly"/>): SQLite's own check would search the customers' key once more for every event
    /// inserted. Every write starts by setting what it needs, so a failed restore cannot outlive the next write.
    /// </summary>
    private void EnforceForeignKeys(bool on)
    {
        if (_foreignKeys == on)
        {
            return;
        }

        var code = raw.sqlite3_exec(_writer.Handle, on ? "PRAGMA foreign_keys = ON" : "PRAGMA foreign_keys = OFF");
        if (code != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(code, _writer.Handle);
        }

        _foreignKeys = on;
    }

    /// <summary>A prepared command of the writer connection, kept for the life of the store.</summary>
    private SqliteCommand Writer(string sql, SqliteTransaction transaction)
    {
        if (!_writerCommands.TryGetValue(sql, out var command))
        {
            command = _writer.CreateCommand();
            command.CommandText = sql;
            _writerCommands.Add(sql, command);
        }

        command.Transaction = transaction;
        command.Parameters.Clear();
        return command;
    }

    /// <summary>
    /// A prepared command of the writer connection whose parameters (<paramref name="names"/>, in order) are created once
    /// and only given new values by the caller (<c>command.Parameters[i].Value = …</c>): the hot statements of
    /// <see cref="RecordAsync"/> run once per message, and new parameter objects for each would be most of what
    /// recording allocates.
    /// </summary>
    private SqliteCommand Bound(string sql, string[] names, SqliteTransaction? transaction)
    {
        if (!_writerCommands.TryGetValue(sql, out var command))
        {
            command = _writer.CreateCommand();
            command.CommandText = sql;
            foreach (var name in names)
            {
                command.Parameters.Add(new SqliteParameter { ParameterName = name });
            }

            _writerCommands.Add(sql, command);
        }

        command.Transaction = transaction;
        return command;
    }

    /// <summary>Opens a reader connection (pooled) with a read transaction: one consistent snapshot for the whole read.</summary>
    private Reader OpenReader()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            return new Reader(connection, connection.BeginTransaction(deferred: true));
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private sealed class Reader(SqliteConnection connection, SqliteTransaction transaction) : IDisposable
    {
        /// <summary>Gets the connection (in its read transaction), for the hot reads that step statements themselves.</summary>
        public SqliteConnection Connection => connection;

        public SqliteCommand Command(string sql)
        {
            var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = sql;
            return command;
        }

        public void Dispose()
        {
            transaction.Dispose();
            connection.Dispose();
        }
    }
}
