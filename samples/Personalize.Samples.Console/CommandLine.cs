using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Personalize.Samples.ConsoleHost;

/// <summary>The parsed command line: <c>[command] [--data FILE] [--now INSTANT] [--help]</c>. Hand-parsed on purpose (no extra package).</summary>
public sealed class CommandLine
{
    public string? Command { get; private init; }

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

    /// <summary>Gets the events file (<c>--file</c>, JSON Lines): events.</summary>
    public string? EventsFile { get; private init; }

    /// <summary>The SQLite database (the customers' memory); default <c>personalize.db</c> beside the outbox.</summary>
    public string? Database { get; private init; }

    public static bool TryParse(IReadOnlyList<string> args, [NotNullWhen(true)] out CommandLine? commandLine, [NotNullWhen(false)] out string? error)
    {
        string? command = null, data = null, eventsFile = null, customer = null, trigger = null, catalog = null, outDir = null, templates = null, message = null, channel = null, database = null, smtp = null;
        int? synthetic = null, count = null;
        string? postgres = null;
        var dryRun = false;
        DateTimeOffset? now = null;
        var help = false;
        var json = false;
        commandLine = null;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            switch (arg)
            {
                case "-h" or "--help" or "-?":
                    help = true;
                    break;
                case "--json":
                    json = true;
                    break;
                case "--dry-run":
                    dryRun = true;
                    break;
                case "--out" or "--templates" or "--message" or "--channel" or "--customers" or "--db" or "--smtp":
                    {
                        if (i + 1 >= args.Count)
                        {
                            error = $"{arg} needs a value.";
                            return false;
                        }

                        var v = args[++i];
                        switch (arg)
                        {
                            case "--out":
                                outDir = v;
                                break;
                            case "--templates":
                                templates = v;
                                break;
                            case "--message":
                                message = v;
                                break;
                            case "--channel":
                                channel = v;
                                break;
                            case "--db":
                                database = v;
                                break;
                            case "--smtp":
                                smtp = v;
                                break;
                            default:
                                if (!int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1)
                                {
                                    error = $"--customers '{v}' is not a positive whole number (for example --customers 100000).";
                                    return false;
                                }

                                synthetic = n;
                                break;
                        }

                        break;
                    }

                case "--customer" or "--trigger" or "--catalog" or "--file":
                    if (i + 1 >= args.Count)
                    {
                        error = $"{arg} needs a value.";
                        return false;
                    }

                    var text = args[++i];
                    if (arg == "--customer")
                    {
                        customer = text;
                    }
                    else if (arg == "--trigger")
                    {
                        trigger = text;
                    }
                    else if (arg == "--file")
                    {
                        eventsFile = text;
                    }
                    else
                    {
                        catalog = text;
                    }

                    break;
                case "--postgres" or "--count":
                    if (i + 1 >= args.Count)
                    {
                        error = $"{arg} needs a value.";
                        return false;
                    }

                    if (arg == "--postgres")
                    {
                        postgres = args[++i];
                    }
                    else if (!int.TryParse(args[++i], NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n is < 1 or > 64)
                    {
                        error = $"--count '{args[i]}' is not a number of workers from 1 to 64 (for example --count 3).";
                        return false;
                    }
                    else
                    {
                        count = n;
                    }

                    break;
                case "--data" or "--now":
                    if (i + 1 >= args.Count)
                    {
                        error = $"{arg} needs a value.";
                        return false;
                    }

                    var value = args[++i];
                    if (arg == "--data")
                    {
                        data = value;
                    }
                    else if (!TryParseInstant(value, out var instant))
                    {
                        error = $"--now '{value}' is not an ISO 8601 instant with offset (for example 2026-03-15T09:00:00Z).";
                        return false;
                    }
                    else
                    {
                        now = instant;
                    }

                    break;
                default:
                    if (arg.StartsWith('-'))
                    {
                        error = $"unknown option '{arg}'.";
                        return false;
                    }

                    if (command is not null)
                    {
                        error = $"unexpected argument '{arg}'.";
                        return false;
                    }

                    command = arg;
                    break;
            }
        }

        commandLine = new CommandLine
        {
            Command = command, DataFile = data, Now = now, Help = help, CustomerId = customer, Trigger = trigger, CatalogFile = catalog, Json = json,
            SyntheticCustomers = synthetic, DryRun = dryRun, OutDirectory = outDir, TemplatesDirectory = templates, MessageId = message, ChannelName = channel,
            Postgres = postgres, Count = count, Database = database, EventsFile = eventsFile, Smtp = smtp,
        };
        error = null;
        return true;
    }

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
