using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Personalize.Sqlite;

public sealed partial class SqlitePersonalizeStore
{
    /// <summary>The writer's hot statements in SQLite's own API, prepared once each (see <see cref="Statement(string)"/>); only used under the write gate.</summary>
    private readonly Dictionary<string, sqlite3_stmt> _statements = new(StringComparer.Ordinal);

    // The send run's per-message statements (see Statement(ref sqlite3_stmt?, string)).

    /// <summary>The version check and bump.</summary>
    private sqlite3_stmt? _bumpVersion;

    /// <summary>The version check and bump with the facts a send writes.</summary>
    private sqlite3_stmt? _bumpWithFacts;

    /// <summary>The delivery log's insert.</summary>
    private sqlite3_stmt? _insertDelivery;

    /// <summary>The mark delivered by row id.</summary>
    private sqlite3_stmt? _markByRow;

    /// <summary>
    /// A statement of the writer connection in SQLite's own API, prepared on first use and kept for the store's life.
    /// The send run's recording runs two or three statements per message; through <see cref="SqliteCommand"/> each run
    /// looks its parameters up by name, converts every text to a new UTF-8 array, boxes every number and makes a data
    /// reader, which cost more than SQLite's own work for the row. Here values are bound by position straight from the
    /// strings (short ones as UTF-8 converted on the stack, see <see cref="BindText"/>) and the statement is reset after each run (<see cref="Step"/>). It runs
    /// inside the writer's current transaction like any command of the connection.
    /// </summary>
    private sqlite3_stmt Statement(string sql)
    {
        if (!_statements.TryGetValue(sql, out var statement))
        {
            statement = Prepare(_writer.Handle!, sql);
            _statements.Add(sql, statement);
        }

        return statement;
    }

    /// <summary>
    /// <see cref="Statement(string)"/> for the statements a send run runs per message, kept in a field of their own
    /// (<paramref name="field"/>) so that a call neither hashes nor compares the SQL text. The statement is also in
    /// <see cref="_statements"/>, so <see cref="FinalizeStatements"/> finalizes it with the others (and clears the field).
    /// </summary>
    private sqlite3_stmt Statement(ref sqlite3_stmt? field, string sql) => field ??= Statement(sql);

    /// <summary>Runs a bound write statement to its end and resets it; returns the rows it changed.</summary>
    private int Step(sqlite3_stmt statement)
    {
        var handle = SqliteNative.Handle(statement);
        try
        {
            var code = handle != 0 ? SqliteNative.Step(handle) : raw.sqlite3_step(statement);
            if (code != raw.SQLITE_DONE)
            {
                SqliteException.ThrowExceptionForRC(code, _writer.Handle);
            }

            return raw.sqlite3_changes(_writer.Handle);
        }
        finally
        {
            _ = handle != 0 ? SqliteNative.Reset(handle) : raw.sqlite3_reset(statement);
        }
    }

    /// <summary>Binds a text (or SQL NULL) to the 1-based parameter <paramref name="index"/>.</summary>
    /// <remarks>
    /// A short text valid as UTF-16 (every key, id and name the writer binds) is converted to UTF-8 on the stack and bound
    /// in the database's own encoding: SQLite copies the bytes (<c>SQLITE_TRANSIENT</c>) instead of allocating and
    /// translating a UTF-16 value per column when it builds the row. Anything else (longer, or a lone surrogate) is bound
    /// as UTF-16 and converted by SQLite as before, so what is stored never depends on the path.
    /// </remarks>
    private static void BindText(sqlite3_stmt statement, int index, string? value)
    {
        var handle = SqliteNative.Handle(statement);
        if (value is null)
        {
            Check(statement, handle != 0 ? SqliteNative.BindNull(handle, index) : raw.sqlite3_bind_null(statement, index));
            return;
        }

        if (value.Length <= MaxStackText)
        {
            Span<byte> utf8 = stackalloc byte[MaxStackText * 3];
            if (System.Text.Unicode.Utf8.FromUtf16(value, utf8, out _, out var written, replaceInvalidSequences: false) == System.Buffers.OperationStatus.Done)
            {
                var text = (ReadOnlySpan<byte>)utf8[..written];
                Check(statement, handle != 0 ? SqliteNative.BindText(handle, index, text) : raw.sqlite3_bind_text(statement, index, text));
                return;
            }
        }

        Check(statement, raw.sqlite3_bind_text16(statement, index, value.AsSpan()));
    }

    /// <summary>The longest text (in UTF-16 units) <see cref="BindText"/> converts on the stack (at most 3 bytes of UTF-8 each).</summary>
    private const int MaxStackText = 128;

    /// <summary>Binds an integer to the 1-based parameter <paramref name="index"/>.</summary>
    private static void BindInt64(sqlite3_stmt statement, int index, long value)
    {
        var handle = SqliteNative.Handle(statement);
        Check(statement, handle != 0 ? SqliteNative.BindInt64(handle, index, value) : raw.sqlite3_bind_int64(statement, index, value));
    }

    /// <summary>Finalizes the writer's statements (before its connection closes).</summary>
    private void FinalizeStatements()
    {
        foreach (var statement in _statements.Values)
        {
            statement.Dispose();
        }

        _statements.Clear();
        _bumpVersion = _bumpWithFacts = _insertDelivery = _markByRow = null;
    }
}
