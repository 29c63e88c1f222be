using Npgsql;

namespace Personalize.Tests.Samples;

/// <summary>
/// <c>run --postgres "CONNECTION STRING"</c>: the console's main job on the PostgreSQL store, against the server
/// <c>bash .ci/run</c> starts (<c>PERSONALIZE_TEST_POSTGRES</c>); skipped with how to run it under a bare <c>dotnet test</c>.
/// </summary>
[Collection(nameof(RunPostgresCommandTests))] // one schema ("personalize", the console's default) for the tests of this class
public sealed class RunPostgresCommandTests : IDisposable
{
    private const string Now = "2026-03-15T22:00:00Z";
    private static readonly string? Server = PostgresFactAttribute.Server;
    private readonly string _root = Path.Combine(Path.GetTempPath(), "pz-console-pg-" + Guid.NewGuid().ToString("N"));

    public RunPostgresCommandTests() => DropSchema();

    public void Dispose()
    {
        DropSchema();
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [PostgresFact]
    public void Run_with_postgres_seeds_the_database_sends_the_campaign_and_sends_nothing_the_second_time()
    {
        var outbox = Path.Combine(_root, "outbox");

        var (exit, output, error) = SampleConsole.Run("run", "--postgres", Server!, "--now", Now, "--out", outbox);

        Assert.Equal(0, exit);
        Assert.Equal(string.Empty, error);
        Assert.Contains("with 50 customers from customers.json (first use).", output, StringComparison.Ordinal);
        Assert.Contains("Store: PostgreSQL ", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Password", output, StringComparison.OrdinalIgnoreCase);
        Assert.False(File.Exists(Path.Combine(_root, "personalize.db")), "no SQLite file beside the outbox");
        var sent = Count(output, "sent · total");
        Assert.True(sent > 10, output);
        Assert.Equal(sent, (long)Scalar("SELECT COUNT(*) FROM personalize.delivery_log WHERE state = 1")!);
        Assert.Equal(50L, (long)Scalar("SELECT COUNT(*) FROM personalize.customers")!);

        var again = SampleConsole.Run("run", "--postgres", Server!, "--now", Now, "--out", outbox);

        Assert.Equal(0, again.Exit);
        Assert.DoesNotContain("Seeded", again.Output, StringComparison.Ordinal);
        Assert.Contains("Nothing to send", again.Output, StringComparison.Ordinal);
        Assert.Equal(sent, (long)Scalar("SELECT COUNT(*) FROM personalize.delivery_log")!);
    }

    [Fact]
    public void Db_and_postgres_together_are_refused_with_a_clear_error()
    {
        var (exit, _, error) = SampleConsole.Run("run", "--postgres", "Host=localhost", "--db", Path.Combine(_root, "x.db"), "--now", Now, "--out", Path.Combine(_root, "outbox"));

        Assert.NotEqual(0, exit);
        Assert.Contains("--db and --postgres", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_root, "outbox", "email")));
    }

    private static long Count(string output, string label)
    {
        var line = output.Split('\n').Single(l => l.StartsWith(label + " ", StringComparison.Ordinal));
        return long.Parse(line[label.Length..].Trim().Replace(",", string.Empty, StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static object? Scalar(string sql)
    {
        using var connection = new NpgsqlConnection(Server);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        return command.ExecuteScalar();
    }

    private static void DropSchema()
    {
        if (Server is not null)
        {
            Scalar("DROP SCHEMA IF EXISTS personalize CASCADE");
        }
    }
}
