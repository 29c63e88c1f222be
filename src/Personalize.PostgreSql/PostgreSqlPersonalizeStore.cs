using System.Data;
using Npgsql;
using Personalize.Serialization;
using Personalize.Storage;
using Personalize.Channels;

namespace Personalize.PostgreSql;

/// <summary>
/// The store for several workers on several machines: one PostgreSQL schema shared by every process that opens it.
/// The schema is created and migrated on open by numbered migrations (a schema from a newer release is refused, never
/// changed). Every method is one transaction; a page of sends is written in one transaction with one multi-row
/// statement per table (arrays unnested server-side) and statements prepared once per connection. Writes to one
/// customer are serialised by locking its row (<c>SELECT … FOR NO KEY UPDATE</c>) and checking its version, so two
/// workers can never both pass the same cap. Send runs are split between workers by the database: leased shares of
/// the customers, claimed with <c>FOR UPDATE SKIP LOCKED</c> (see <see cref="ClaimWorkAsync"/>).
/// </summary>
/// <remarks>
/// Thread-safe; one instance per process is enough (it pools connections). Dispose it to close the pool. Transactions
/// that meet a deadlock or serialization failure are retried. See <c>docs/storage.md</c> for the schema and how workers
/// split a run.
/// </remarks>
public sealed partial class PostgreSqlPersonalizeStore : IPersonalizeStore, IDisposable, IAsyncDisposable
{
    private const string SaltKey = "suppression_salt";
    private const int MaxAttempts = 6;
    private readonly NpgsqlDataSource _dataSource;
    private readonly CustomerJson _json;
    private readonly byte[] _salt;
    private readonly int _maxRows;
    private readonly Sql _sql;

    private PostgreSqlPersonalizeStore(NpgsqlDataSource dataSource, PostgreSqlStoreOptions options, string server, byte[] salt)
    {
        _dataSource = dataSource;
        _json = CustomerJson.ForStore(options.Channels); // its own rows: judged on the way in, read without judging again
        _salt = salt;
        _maxRows = options.MaxRowsPerStatement;
        Schema = options.Schema;
        Server = server;
        _sql = new Sql(PostgreSqlSchema.Quote(options.Schema));
    }

    /// <summary>The schema version this release writes (the number of its migrations).</summary>
    public static int SchemaVersion => PostgreSqlSchema.Version;

    /// <summary>The PostgreSQL schema holding the store's tables.</summary>
    public string Schema { get; }

    /// <summary>Where the store is, for messages: <c>host:port/database</c> (never the password).</summary>
    public string Server { get; }

    /// <summary>Opens (creating and migrating when needed) the store in a PostgreSQL database.</summary>
    /// <param name="connectionString">The Npgsql connection string.</param>
    /// <param name="channels">The channels profiles may name; the built-in ones when <see langword="null"/>.</param>
    /// <returns>The open store.</returns>
    /// <exception cref="PostgreSqlStoreException">The server cannot be reached, or the schema is from a newer release.</exception>
    public static PostgreSqlPersonalizeStore Open(string connectionString, ChannelRegistry? channels = null)
        => Open(new PostgreSqlStoreOptions { ConnectionString = connectionString, Channels = channels ?? ChannelRegistry.Default });

    /// <summary>Opens (creating and migrating when needed) the store in a PostgreSQL database.</summary>
    /// <param name="options">The connection string, schema and channels.</param>
    /// <returns>The open store.</returns>
    /// <exception cref="PostgreSqlStoreException">The server cannot be reached, or the schema is from a newer release.</exception>
    public static PostgreSqlPersonalizeStore Open(PostgreSqlStoreOptions options)
        => OpenAsync(options).GetAwaiter().GetResult();

    /// <summary>Opens (creating and migrating when needed) the store in a PostgreSQL database.</summary>
    /// <param name="options">The connection string, schema and channels.</param>
    /// <param name="cancellationToken">Cancels the opening.</param>
    /// <returns>The open store.</returns>
    /// <exception cref="PostgreSqlStoreException">The server cannot be reached, or the schema is from a newer release.</exception>
    public static async Task<PostgreSqlPersonalizeStore> OpenAsync(PostgreSqlStoreOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Validate() is { Count: > 0 } errors)
        {
            throw new ArgumentException(PostgreSqlStoreOptions.DescribeErrors(errors), nameof(options));
        }

        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(options.ConnectionString);
        }
        catch (ArgumentException ex)
        {
            throw new PostgreSqlStoreException($"The PostgreSQL connection string is not valid: {ex.Message} Write it as Host=HOST;Port=5432;Database=DB;Username=USER;Password=….", ex);
        }

        if (!options.ConnectionString!.Contains("Auto Prepare", StringComparison.OrdinalIgnoreCase))
        {
            builder.MaxAutoPrepare = 64;
        }

        var server = $"{builder.Host ?? "localhost"}:{builder.Port}/{builder.Database ?? builder.Username}";
        var dataSource = new NpgsqlDataSourceBuilder(builder.ConnectionString).Build();
        try
        {
            await using var connection = await OpenConnectionAsync(dataSource, server, options.Schema, cancellationToken).ConfigureAwait(false);

            // Refuse a newer schema before anything could change it: a read-only look at its version first.
            var version = await PostgreSqlSchema.ReadVersionAsync(connection, options.Schema, cancellationToken).ConfigureAwait(false);
            if (version > PostgreSqlSchema.Version)
            {
                throw Newer(server, options.Schema, version);
            }

            if (version < PostgreSqlSchema.Version)
            {
                await PostgreSqlSchema.MigrateAsync(connection, options.Schema, PostgreSqlSchema.Version, cancellationToken).ConfigureAwait(false);
                version = await PostgreSqlSchema.ReadVersionAsync(connection, options.Schema, cancellationToken).ConfigureAwait(false);
                if (version > PostgreSqlSchema.Version)
                {
                    throw Newer(server, options.Schema, version);
                }
            }

            var salt = await LoadOrCreateSaltAsync(connection, PostgreSqlSchema.Quote(options.Schema), cancellationToken).ConfigureAwait(false);
            return new PostgreSqlPersonalizeStore(dataSource, options, server, salt);
        }
        catch (PostgresException ex) when (ex.SqlState is "42501")
        {
            await dataSource.DisposeAsync().ConfigureAwait(false);
            throw new PostgreSqlStoreException($"{server}: the user may not create or change schema '{options.Schema}' ({ex.MessageText}). Grant it CREATE on the database (or create the schema for it), or pass another schema.", ex);
        }
        catch
        {
            await dataSource.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Closes the connection pool.</summary>
    public void Dispose() => _dataSource.Dispose();

    /// <summary>Closes the connection pool.</summary>
    /// <returns>A task that completes when the pool is closed.</returns>
    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    private static async Task<NpgsqlConnection> OpenConnectionAsync(NpgsqlDataSource dataSource, string server, string schema, CancellationToken cancellationToken)
    {
        try
        {
            return await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException && !cancellationToken.IsCancellationRequested)
        {
            var why = ex is PostgresException pg ? pg.MessageText : ex.Message;
            throw new PostgreSqlStoreException($"Cannot open the PostgreSQL store at {server} (schema '{schema}'): {why}. Check the connection string (host, port, database, user, password) and that the server is running.", ex);
        }
    }

    private static PostgreSqlStoreException Newer(string server, string schema, int version)
        => new($"{server}, schema '{schema}': the store has schema version {version}, written by a newer release of Personalize.PostgreSql; this release knows versions up to {PostgreSqlSchema.Version}. It was not changed: open it with that newer release, or use another schema.");

    private static async Task<byte[]> LoadOrCreateSaltAsync(NpgsqlConnection connection, string schema, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            INSERT INTO {schema}.store_meta (key, value) VALUES (@key, @value) ON CONFLICT (key) DO NOTHING;
            SELECT value FROM {schema}.store_meta WHERE key = @key;
            """;
        command.Parameters.AddWithValue("key", SaltKey);
        command.Parameters.AddWithValue("value", ContactPointHash.CreateSalt());
        return (byte[])(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>
    /// Runs <paramref name="work"/> in one read-write transaction (READ COMMITTED; rows are locked where decisions
    /// depend on them). A deadlock or serialization failure rolls it back and runs it again, up to a few times.
    /// </summary>
    private async ValueTask<T> WriteAsync<T>(Func<NpgsqlConnection, NpgsqlTransaction, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await using var connection = await OpenConnectionAsync(_dataSource, Server, Schema, cancellationToken).ConfigureAwait(false);
            await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken).ConfigureAwait(false);
            try
            {
                var result = await work(connection, transaction, cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return result;
            }
            catch (PostgresException ex) when (attempt < MaxAttempts && ex.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure)
            {
                // The transaction is rolled back when disposed; wait a little (more each time) and run it again.
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 20 * attempt)), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Runs <paramref name="work"/> in one REPEATABLE READ transaction: every statement of it sees the same snapshot.</summary>
    private async ValueTask<T> ReadAsync<T>(Func<NpgsqlConnection, NpgsqlTransaction, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await using var connection = await OpenConnectionAsync(_dataSource, Server, Schema, cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
        var result = await work(connection, transaction, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>One statement on the connection, with typed parameters added by the caller.</summary>
    private static NpgsqlCommand Command(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql)
        => new(sql, connection, transaction);
}
