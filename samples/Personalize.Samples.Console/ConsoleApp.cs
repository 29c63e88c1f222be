namespace Personalize.Samples.ConsoleHost;

/// <summary>The console host: parses the command line and runs one command. Exit codes: 0 ok, 1 bad data or options, 2 bad usage.</summary>
public static class ConsoleApp
{
    public const int Ok = 0;
    public const int DataError = 1;
    public const int UsageError = 2;

    /// <summary>The commands, by name. Later versions add <c>run</c>, <c>preview</c> and <c>explain</c>.</summary>
    private static readonly IReadOnlyDictionary<string, ICommand> Commands = new Dictionary<string, ICommand>(StringComparer.Ordinal)
    {
        ["channels"] = new ChannelsCommand(),
        ["explain"] = new ExplainCommand(),
    };

    public const string DefaultCommand = "channels";

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (!CommandLine.TryParse(args, out var commandLine, out var usageError))
        {
            error.WriteLine("error: " + usageError);
            error.WriteLine("Run with --help for usage.");
            return UsageError;
        }

        if (commandLine.Help)
        {
            WriteHelp(output);
            return Ok;
        }

        var name = commandLine.Command ?? DefaultCommand;
        if (!Commands.TryGetValue(name, out var command))
        {
            error.WriteLine($"error: unknown command '{name}'; commands: {string.Join(", ", Commands.Keys)}.");
            return UsageError;
        }

        try
        {
            return command.Run(commandLine, output, error);
        }
        catch (SampleException ex)
        {
            error.WriteLine("error: " + ex.Message);
            return DataError;
        }
    }

    private static void WriteHelp(TextWriter output)
    {
        output.WriteLine("Personalize console sample");
        output.WriteLine();
        output.WriteLine("usage: personalize-console [command] [--data FILE] [--now INSTANT]");
        output.WriteLine("       personalize-console explain --customer ID [--trigger TRIGGER] [--catalog FILE] [--json] [--data FILE] [--now INSTANT]");
        output.WriteLine();
        output.WriteLine("commands:");
        output.WriteLine("  channels   per customer, the channels they may be contacted on now for marketing and for service, and why not (default)");
        output.WriteLine("  explain    decide which catalog message goes to one customer, on which channel and when, and explain every candidate");
        output.WriteLine();
        output.WriteLine("options:");
        output.WriteLine("  --data FILE     customers file (default: data/customers.json next to the program)");
        output.WriteLine("  --now INSTANT   evaluate at this instant, ISO 8601 with offset, e.g. 2026-03-15T09:00:00Z (default: the clock)");
        output.WriteLine("  --customer ID   explain: the customer to decide for");
        output.WriteLine("  --trigger T     explain: event:NAME, campaign:NAME or schedule (default: schedule)");
        output.WriteLine("  --catalog FILE  explain: message catalog (default: data/catalog.json next to the program)");
        output.WriteLine("  --json          explain: print the decision as JSON");
        output.WriteLine("  --help          show this help");
        output.WriteLine();
        output.WriteLine("exit codes: 0 ok, 1 bad data or options, 2 bad command line");
    }
}
