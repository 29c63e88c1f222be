using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Personalize.Sqlite;

public sealed partial class SqlitePersonalizeStore
{
    /// <summary>The page readers not in use (see <see cref="PageReader"/>); locked with itself.</summary>
    private readonly Stack<PageReader> _pageReaders = new();

    /// <summary>The most idle page readers kept open (a reader returned beyond it is closed).</summary>
    private const int KeptPageReaders = 8;

    /// <summary>
    /// Takes an idle page reader, or opens one, and begins its read transaction (one snapshot for the page's three
    /// statements, as <see cref="OpenReader"/>'s). Give it back with <see cref="ReturnPageReader"/> when the page is read,
    /// or dispose it when reading failed.
    /// </summary>
    private PageReader TakePageReader()
    {
        PageReader? reader = null;
        lock (_pageReaders)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _pageReaders.TryPop(out reader);
        }

        reader ??= PageReader.Open(Path, _busyTimeoutMilliseconds);
        try
        {
            reader.Begin();
            return reader;
        }
        catch
        {
            reader.Dispose();
            throw;
        }
    }

    /// <summary>Ends a page reader's read transaction and keeps it for the next page (or closes it: store disposed, enough kept).</summary>
    private void ReturnPageReader(PageReader reader)
    {
        try
        {
            reader.End();
        }
        catch
        {
            reader.Dispose();
            throw;
        }

        lock (_pageReaders)
        {
            if (!_disposed && _pageReaders.Count < KeptPageReaders)
            {
                _pageReaders.Push(reader);
                return;
            }
        }

        reader.Dispose();
    }

    /// <summary>Closes the idle page readers (the store's <see cref="Dispose"/>; a reader in use is closed when it comes back).</summary>
    private void ClosePageReaders()
    {
        lock (_pageReaders)
        {
            while (_pageReaders.TryPop(out var reader))
            {
                reader.Dispose();
            }
        }
    }

    /// <summary>
    /// A read connection of the send run's page read (<see cref="ReadCustomersAsync"/>) in SQLite's own API, with the
    /// page's statements prepared once for the connection's life instead of once per page. The connection is opened
    /// with <c>SQLITE_OPEN_NOMUTEX</c>: it is only ever used by one thread at a time (taken from and given back to the
    /// store's idle readers under a lock), so SQLite need not take the connection's mutex on every call — a page of 500
    /// customers makes some 40,000 calls (each column of each row), and the mutex was a tenth of the page read's CPU.
    /// Pooled <see cref="SqliteConnection"/>s, by contrast, set their foreign keys and parse <c>BEGIN</c>, the three
    /// statements and <c>ROLLBACK</c> again on every page.
    /// </summary>
    private sealed class PageReader : IDisposable
    {
        private readonly sqlite3 _db;
        private readonly Dictionary<string, sqlite3_stmt> _statements = new(StringComparer.Ordinal);
        private sqlite3_stmt? _begin;
        private sqlite3_stmt? _end;
        private bool _open;

        private PageReader(sqlite3 db) => _db = db;

        /// <summary>Gets the connection.</summary>
        public sqlite3 Db => _db;

        public static PageReader Open(string path, int busyTimeoutMilliseconds)
        {
            var code = raw.sqlite3_open_v2(path, out var db, raw.SQLITE_OPEN_READWRITE | raw.SQLITE_OPEN_NOMUTEX | raw.SQLITE_OPEN_PRIVATECACHE, null);
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

            raw.sqlite3_busy_timeout(db, busyTimeoutMilliseconds);
            return new PageReader(db);
        }

        /// <summary>A statement of this connection, prepared on first use and reset (its bindings cleared) for this use.</summary>
        public sqlite3_stmt Statement(string sql)
        {
            if (!_statements.TryGetValue(sql, out var statement))
            {
                statement = Prepare(_db, sql);
                _statements.Add(sql, statement);
            }

            return statement;
        }

        /// <summary>Resets a statement of this connection after its use (its bindings cleared, so a later use binds afresh).</summary>
        public static void Done(sqlite3_stmt statement)
        {
            raw.sqlite3_reset(statement);
            raw.sqlite3_clear_bindings(statement);
        }

        public void Begin()
        {
            _begin ??= Prepare(_db, "BEGIN");
            Run(_begin);
            _open = true;
        }

        public void End()
        {
            if (_open)
            {
                _open = false;
                _end ??= Prepare(_db, "COMMIT");
                Run(_end);
            }
        }

        public void Dispose()
        {
            foreach (var statement in _statements.Values)
            {
                statement.Dispose();
            }

            _statements.Clear();
            _begin?.Dispose();
            _end?.Dispose();

            // Closing the connection ends a read transaction left open by a failure.
            _db.Dispose();
        }

        private void Run(sqlite3_stmt statement)
        {
            try
            {
                var code = raw.sqlite3_step(statement);
                if (code != raw.SQLITE_DONE)
                {
                    SqliteException.ThrowExceptionForRC(code, _db);
                }
            }
            finally
            {
                raw.sqlite3_reset(statement);
            }
        }
    }
}
