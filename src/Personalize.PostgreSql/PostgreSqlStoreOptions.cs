using System.Text.RegularExpressions;
using Personalize.Channels;

namespace Personalize.PostgreSql;

/// <summary>How to open a <see cref="PostgreSqlPersonalizeStore"/>.</summary>
public sealed partial class PostgreSqlStoreOptions
{
    /// <summary>The default of <see cref="Schema"/>.</summary>
    public const string DefaultSchema = "personalize";

    /// <summary>
    /// Gets or sets the Npgsql connection string, for example
    /// <c>Host=db.internal;Port=5432;Database=app;Username=personalize;Password=…</c>. Pooling, timeouts and TLS are
    /// Npgsql's settings; the store adds <c>Max Auto Prepare</c> (statements are prepared once per connection) when the
    /// string does not set it.
    /// </summary>
    /// <value>The default value is <see langword="null"/>; it must be set.</value>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// Gets or sets the PostgreSQL schema (namespace) holding the store's tables; it is created when missing. Lower-case
    /// letters, digits and underscores, starting with a letter or underscore, at most 63 characters. Several stores
    /// (for example one per tenant or per test) can live in one database under different schemas.
    /// </summary>
    /// <value>The default value is <see cref="DefaultSchema"/> (<c>personalize</c>).</value>
    public string Schema { get; set; } = DefaultSchema;

    /// <summary>Gets or sets the channels profiles may name (built-in and the host's); a stored profile naming another channel cannot be read.</summary>
    /// <value>The default value is <see cref="ChannelRegistry.Default"/> (the built-in channels).</value>
    public ChannelRegistry Channels { get; set; } = ChannelRegistry.Default;

    /// <summary>Gets or sets how many customers, consent records or history records one insert statement carries at most (imports are split into statements of this size, all in one transaction).</summary>
    /// <value>The default value is 5,000.</value>
    public int MaxRowsPerStatement { get; set; } = 5_000;

    /// <summary>Whether a schema name is one the store accepts (see <see cref="Schema"/>).</summary>
    /// <param name="schema">The name.</param>
    /// <returns><see langword="true"/> when it is.</returns>
    public static bool IsValidSchema(string? schema) => schema is not null && SchemaName().IsMatch(schema);

    /// <summary>Checks the options (<c>AddPersonalizePostgreSql</c> does at start).</summary>
    /// <returns>Every problem, each a sentence that says how to fix it; empty when valid.</returns>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            errors.Add("ConnectionString is required (an Npgsql connection string, for example Host=localhost;Database=personalize;Username=app).");
        }

        if (!IsValidSchema(Schema))
        {
            errors.Add($"Schema '{Schema}' is not a schema name the store accepts: use lower-case letters, digits and underscores, starting with a letter or underscore, at most 63 characters (for example '{DefaultSchema}').");
        }

        if (Channels is null)
        {
            errors.Add("Channels is required (the registered ChannelRegistry, or ChannelRegistry.Default).");
        }

        if (MaxRowsPerStatement < 1)
        {
            errors.Add($"MaxRowsPerStatement is {MaxRowsPerStatement}; use 1 or more.");
        }

        return errors;
    }

    /// <summary>The one message of every problem <see cref="Validate"/> found.</summary>
    internal static string DescribeErrors(IReadOnlyList<string> errors) => "The PostgreSQL store options are invalid: " + string.Join(" ", errors);

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex SchemaName();
}
