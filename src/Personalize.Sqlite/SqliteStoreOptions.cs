using Personalize.Channels;

namespace Personalize.Sqlite;

/// <summary>How to open a <see cref="SqlitePersonalizeStore"/>.</summary>
public sealed class SqliteStoreOptions
{
    /// <summary>Gets or sets the database file; it is created (with its folder) when missing.</summary>
    /// <value>The default value is <c>personalize.db</c> in the working directory.</value>
    public string Path { get; set; } = "personalize.db";

    /// <summary>Gets or sets the channels profiles may name (built-in and the host's); a stored profile naming another channel cannot be read.</summary>
    /// <value>The default value is <see cref="ChannelRegistry.Default"/> (the built-in channels).</value>
    public ChannelRegistry Channels { get; set; } = ChannelRegistry.Default;

    /// <summary>Gets or sets how long a write waits while another process writes to the same file before it fails.</summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets the clock that measures work claim leases (<see cref="Storage.IPersonalizeStore.ClaimWorkAsync"/>).</summary>
    /// <value>The default value is <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Checks the options (<c>AddPersonalizeSqlite</c> does at start).</summary>
    /// <returns>Every problem, each a sentence that says how to fix it; empty when valid.</returns>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(Path))
        {
            errors.Add("Path is required (the database file, for example personalize.db).");
        }

        if (Channels is null)
        {
            errors.Add("Channels is required (the registered ChannelRegistry, or ChannelRegistry.Default).");
        }

        if (TimeProvider is null)
        {
            errors.Add("TimeProvider is required (TimeProvider.System, or the host's).");
        }

        if (BusyTimeout < TimeSpan.Zero)
        {
            errors.Add($"BusyTimeout is {BusyTimeout}; use zero or more.");
        }

        return errors;
    }

    /// <summary>The one message of every problem <see cref="Validate"/> found.</summary>
    internal static string DescribeErrors(IReadOnlyList<string> errors) => "The SQLite store options are invalid: " + string.Join(" ", errors);
}
