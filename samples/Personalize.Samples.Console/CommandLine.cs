using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Personalize.Samples.ConsoleHost;

/// <summary>The parsed command line: <c>[command] [options]</c>, checked against <see cref="CommandSpecs"/>. Hand-parsed on purpose: System.CommandLine would add a package for what one table does here.</summary>
public sealed class CommandLine
{
    public string? Command { get; private init; }

    /// <summary>Gets the word after a command that has subcommands (<c>journeys simulate</c>), or <see langword="null"/>.</summary>
    public string? Subcommand { get; private init; }

    /// <summary>Gets the journeys file (<c>--journeys</c>): events, tick, due, journeys.</summary>
    public string? JourneysFile { get; private init; }

    /// <summary>Gets where the simulated clock starts (<c>--from</c>): journeys simulate.</summary>
    public DateTimeOffset? From { get; private init; }

    /// <summary>Gets how many days the simulated clock runs (<c>--days</c>): journeys simulate.</summary>
    public int? Days { get; private init; }

    public string? DataFile { get; private init; }

    public DateTimeOffset? Now { get; private init; }

    public bool Help { get; private init; }

    /// <summary>For <c>explain</c>: the customer id.</summary>
    public string? CustomerId { get; private init; }

    /// <summary>For <c>explain</c>: the trigger, for example <c>event:order_shipped</c>.</summary>
    public string? Trigger { get; private init; }

    /// <summary>For <c>explain</c>: the catalog file.</summary>
    public string? CatalogFile { get; private init; }

    /// <summary>For <c>explain</c>: print JSON instead of text.</summary>
    public bool Json { get; private init; }

    /// <summary>For <c>run</c>: generate this many synthetic customers instead of reading the data file.</summary>
    public int? SyntheticCustomers { get; private init; }

    /// <summary>For <c>run</c>: decide and render, write nothing.</summary>
    public bool DryRun { get; private init; }

    /// <summary>For <c>run</c>: the outbox folder.</summary>
    public string? OutDirectory { get; private init; }

    /// <summary>For <c>run</c> and <c>preview</c>: the templates folder.</summary>
    public string? TemplatesDirectory { get; private init; }

    /// <summary>For <c>preview</c>: the catalog message id.</summary>
    public string? MessageId { get; private init; }

    /// <summary>For <c>preview</c>: the channel name.</summary>
    public string? ChannelName { get; private init; }

    /// <summary>Gets the SMTP server email goes to (<c>--smtp HOST:PORT</c>): run, due.</summary>
    public string? Smtp { get; private init; }

    /// <summary>Gets the PostgreSQL connection string (<c>--postgres</c>): workers, worker.</summary>
    public string? Postgres { get; private init; }

    /// <summary>Gets how many worker processes to start (<c>--count</c>): workers.</summary>
    public int? Count { get; private init; }

    /// <summary>Gets the instant moves are listed from (<c>--since</c>): matrix.</summary>
    public DateTimeOffset? Since { get; private init; }

    /// <summary>Gets the events file (<c>--file</c>, JSON Lines): events.</summary>
    public string? EventsFile { get; private init; }

    /// <summary>The SQLite database (the customers' memory); default <c>personalize.db</c> beside the outbox.</summary>
    public string? Database { get; private init; }

    /// <summary>Gets whether <c>--version</c> was given.</summary>
    public bool Version { get; private init; }

    /// <summary>Gets the options given, in order, each once (for the "does not apply" check and tests).</summary>
    public IReadOnlyList<string> Given { get; private init; } = [];

    /// <summary>
    /// Parses <c>[command] [--option value | --option=value | --flag]…</c>. An unknown option, a missing or surplus value,
    /// a value that does not parse and an option that does not apply to the command (see <see cref="CommandSpecs"/>) are
    /// errors; a command the table does not know (yet) takes every known option.
    /// </summary>
    public static bool TryParse(IReadOnlyList<string> args, [NotNullWhen(true)] out CommandLine? commandLine, [NotNullWhen(false)] out string? error)
    {
        commandLine = null;
        string? command = null;
        string? subcommand = null;
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var given = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i] is "-h" or "-?" ? "--help" : args[i];
            if (!arg.StartsWith('-') || arg == "-")
            {
                if (command is not null && SubcommandsOf(command) is { } subcommands && subcommand is null)
                {
                    if (!subcommands.Contains(arg, StringComparer.Ordinal))
                    {
                        error = $"'{command} {arg}': {command} knows the subcommand{(subcommands.Length == 1 ? string.Empty : "s")} {string.Join(", ", subcommands)}.";
                        return false;
                    }

                    subcommand = arg;
                    continue;
                }

                if (command is not null)
                {
                    error = $"unexpected argument '{arg}' (the command is '{command}'; a value with spaces needs quotes).";
                    return false;
                }

                command = arg;
                continue;
            }

            var name = arg;
            string? inline = null;
            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            if (arg.StartsWith("--", StringComparison.Ordinal) && equals > 2)
            {
                name = arg[..equals];
                inline = arg[(equals + 1)..];
            }

            if (!CommandSpecs.IsKnown(name))
            {
                error = $"unknown option '{name}'.";
                return false;
            }

            if (CommandSpecs.TakesValue(name))
            {
                if (inline is null && i + 1 >= args.Count)
                {
                    error = $"{name} needs a value ({name} {CommandSpecs.Values[name]} or {name}={CommandSpecs.Values[name]}).";
                    return false;
                }

                values[name] = inline ?? args[++i];
            }
            else if (inline is not null)
            {
                error = $"{name} takes no value; write {name} alone.";
                return false;
            }

            if (!given.Contains(name))
            {
                given.Add(name);
            }
        }

        var spec = CommandSpecs.Find(command ?? ConsoleApp.DefaultCommand);
        foreach (var option in given)
        {
            if (spec is not null && !CommandSpecs.Common.Contains(option) && !spec.Options.Contains(option))
            {
                error = $"{option} does not apply to {spec.Name}; its options are {string.Join(", ", spec.Options)} (personalize-console {spec.Name} --help).";
                return false;
            }
        }

        int? synthetic = null, count = null;
        DateTimeOffset? now = null;
        if (values.TryGetValue("--customers", out var customers))
        {
            if (!int.TryParse(customers, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1)
            {
                error = $"--customers '{customers}' is not a positive whole number (for example --customers 100000).";
                return false;
            }

            synthetic = n;
        }

        if (values.TryGetValue("--count", out var workers))
        {
            if (!int.TryParse(workers, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n is < 1 or > 64)
            {
                error = $"--count '{workers}' is not a number of workers from 1 to 64 (for example --count 3).";
                return false;
            }

            count = n;
        }

        if (values.TryGetValue("--now", out var instantText))
        {
            if (!TryParseInstant(instantText, out var instant))
            {
                error = $"--now '{instantText}' is not an ISO 8601 instant with offset (for example 2026-03-15T09:00:00Z).";
                return false;
            }

            now = instant;
        }

        DateTimeOffset? from = null;
        if (values.TryGetValue("--from", out var fromText))
        {
            if (!TryParseInstant(fromText, out var fromInstant))
            {
                error = $"--from '{fromText}' is not an ISO 8601 instant with offset (for example 2026-03-14T00:00:00Z).";
                return false;
            }

            from = fromInstant;
        }

        int? days = null;
        if (values.TryGetValue("--days", out var daysText))
        {
            if (!int.TryParse(daysText, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n is < 1 or > 366)
            {
                error = $"--days '{daysText}' is not a number of days from 1 to 366 (for example --days 30).";
                return false;
            }

            days = n;
        }

        DateTimeOffset? since = null;
        if (values.TryGetValue("--since", out var sinceText))
        {
            if (!TryParseInstant(sinceText, out var sinceInstant))
            {
                error = $"--since '{sinceText}' is not an ISO 8601 instant with offset (for example 2026-03-15T09:00:00Z).";
                return false;
            }

            since = sinceInstant;
        }

        commandLine = new CommandLine
        {
            Command = command,
            Subcommand = subcommand,
            JourneysFile = values.GetValueOrDefault("--journeys"),
            From = from,
            Days = days,
            DataFile = values.GetValueOrDefault("--data"),
            EventsFile = values.GetValueOrDefault("--file"),
            Now = now,
            Since = since,
            Help = given.Contains("--help"),
            Version = given.Contains("--version"),
            CustomerId = values.GetValueOrDefault("--customer"),
            Trigger = values.GetValueOrDefault("--trigger"),
            CatalogFile = values.GetValueOrDefault("--catalog"),
            Json = given.Contains("--json"),
            SyntheticCustomers = synthetic,
            DryRun = given.Contains("--dry-run"),
            OutDirectory = values.GetValueOrDefault("--out"),
            TemplatesDirectory = values.GetValueOrDefault("--templates"),
            MessageId = values.GetValueOrDefault("--message"),
            ChannelName = values.GetValueOrDefault("--channel"),
            Postgres = values.GetValueOrDefault("--postgres"),
            Count = count,
            Database = values.GetValueOrDefault("--db"),
            Smtp = values.GetValueOrDefault("--smtp"),
            Given = given,
        };
        error = null;
        return true;
    }

    /// <summary>The subcommands a command knows, or <see langword="null"/> when it has none.</summary>
    private static string[]? SubcommandsOf(string command) => command == "journeys" ? ["simulate"] : null;

    private static bool TryParseInstant(string text, out DateTimeOffset instant)
    {
        instant = default;
        if (!DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var parsed) || parsed.Kind == DateTimeKind.Unspecified)
        {
            return false;
        }

        instant = DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind).ToUniversalTime();
        return true;
    }
}
