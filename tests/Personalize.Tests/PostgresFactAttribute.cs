namespace Personalize.Tests;

/// <summary>
/// A test that needs the PostgreSQL server <c>bash .ci/run</c> starts (<c>PERSONALIZE_TEST_POSTGRES</c>): skipped, saying
/// how to run it, when none is configured.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class PostgresFactAttribute : FactAttribute
{
    /// <summary>The connection string of the test server, or null.</summary>
    public static readonly string? Server = Environment.GetEnvironmentVariable("PERSONALIZE_TEST_POSTGRES") is { Length: > 0 } value ? value : null;

    public PostgresFactAttribute()
    {
        if (Server is null)
        {
            Skip = "No PostgreSQL server for the tests: run `bash .ci/run` (it installs PostgreSQL when missing, starts a throwaway cluster and runs every test), or set PERSONALIZE_TEST_POSTGRES to a connection string.";
        }
    }
}
