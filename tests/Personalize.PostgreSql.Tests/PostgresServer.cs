using Npgsql;
using Personalize.Storage.Contract;
using Personalize.Channels;

namespace Personalize.PostgreSql.Tests;

/// <summary>
/// The PostgreSQL server the tests use: the connection string in <c>PERSONALIZE_TEST_POSTGRES</c>, which
/// <c>bash .ci/run</c> sets after starting a throwaway cluster (see <c>.ci/postgres.sh</c>). Without it every test
/// here is skipped with <see cref="SkipReason"/>, which says how to run them.
/// </summary>
internal static class PostgresServer
{
    public const string Variable = "PERSONALIZE_TEST_POSTGRES";

    public static string? ConnectionString { get; } = Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value ? value : null;

    public static string? SkipReason => ConnectionString is null
        ? $"No PostgreSQL server for the tests: run `bash .ci/run` (it installs PostgreSQL when missing, starts a throwaway cluster, runs every test and removes it), or set {Variable} to a connection string."
        : null;

    /// <summary>A new schema name, unique to one store of one test.</summary>
    public static string NewSchema() => "t_" + Guid.NewGuid().ToString("N");

    public static PostgreSqlStoreOptions Options(string schema) => new() { ConnectionString = ConnectionString, Schema = schema, Channels = StoreKit.Channels };

    /// <summary>Drops test schemas (best effort: the cluster is thrown away at the end anyway).</summary>
    public static async Task DropAsync(IEnumerable<string> schemas)
    {
        if (ConnectionString is null)
        {
            return;
        }

        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        foreach (var schema in schemas)
        {
            await using var command = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE", connection);
            await command.ExecuteNonQueryAsync();
        }
    }

    public static async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }
}

/// <summary>A test that needs the PostgreSQL server: skipped, with how to run it, when none is configured.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (PostgresServer.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}
