namespace Personalize.Samples.ConsoleHost;

/// <summary>The console host: parses the command line and runs one command. Exit codes: 0 ok, 1 bad data or options, 2 bad usage, 3 some customers failed, 130 cancelled.</summary>
public static class ConsoleApp
{
    public const int Ok = 0;
    public const int DataError = 1;
    public const int UsageError = 2;

    /// <summary>The run finished, but some customers failed (their errors are listed on stderr).</summary>
    public const int PartialFailure = 3;

    /// <summary>The commands, by name.</summary>
    private static readonly IReadOnlyDictionary<string, ICommand> Commands = new Dictionary<string, ICommand>(StringComparer.Ordinal)
    {
        ["run"] = new RunCommand(),
        ["preview"] = new PreviewCommand(),
        ["channels"] = new ChannelsCommand(),
        ["explain"] = new ExplainCommand(),
        ["workers"] = new WorkersCommand(),
        ["worker"] = new WorkerCommand(),
    };

    public const string DefaultCommand = "run";

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
        output.WriteLine("usage: personalize-console [run] [--customers N] [--dry-run] [--out DIR] [--trigger T] [--now INSTANT]");
        output.WriteLine("       personalize-console preview --customer ID --message ID --channel CHANNEL [--now INSTANT]");
        output.WriteLine("       personalize-console explain --customer ID [--trigger TRIGGER] [--json] [--now INSTANT]");
        output.WriteLine("       personalize-console channels [--now INSTANT]");
        output.WriteLine("       personalize-console workers --postgres \"CONNECTION STRING\" [--count N] [--now INSTANT] [--trigger T] [--out DIR]");
        output.WriteLine("       personalize-console worker --postgres \"CONNECTION STRING\" --now INSTANT [--trigger T] [--out DIR]");
        output.WriteLine();
        output.WriteLine("commands:");
        output.WriteLine("  run        decide, render and write a campaign into the outbox, then print a summary (default)");
        output.WriteLine("  preview    render one catalog message for one customer on one channel, without deciding or writing");
        output.WriteLine("  explain    decide which catalog message goes to one customer, on which channel and when, and explain every candidate");
        output.WriteLine("  channels   per customer, the channels they may be contacted on now for marketing and for service, and why not");
        output.WriteLine("  workers    run the campaign with N worker processes sharing one PostgreSQL store (imports the customers first when it is empty)");
        output.WriteLine("  worker     run as one worker of a shared run (start it on any machine with the same --postgres and --now)");
        output.WriteLine();
        output.WriteLine("options:");
        output.WriteLine("  --customers N   run: generate N synthetic customers (deterministic, Bogus) instead of reading the data file");
        output.WriteLine("  --dry-run       run: decide and render, write nothing");
        output.WriteLine("  --out DIR       run: the outbox folder (default: ./outbox); a run that did not finish resumes there");
        output.WriteLine("  --templates DIR run, preview: the templates folder (default: data/templates next to the program)");
        output.WriteLine("  --data FILE     customers file (default: data/customers.json next to the program)");
        output.WriteLine("  --catalog FILE  message catalog (default: data/catalog.json next to the program)");
        output.WriteLine("  --now INSTANT   evaluate at this instant, ISO 8601 with offset, e.g. 2026-03-15T09:00:00Z (default: the clock)");
        output.WriteLine("  --trigger T     run, explain: event:NAME, campaign:NAME or schedule (default: schedule)");
        output.WriteLine("  --customer ID   preview, explain: the customer");
        output.WriteLine("  --message ID    preview: the catalog message");
        output.WriteLine("  --channel C     preview: the channel (email, sms, push, in_app, direct_mail, phone, whatsapp)");
        output.WriteLine("  --json          explain: print the decision as JSON");
        output.WriteLine("  --postgres CS   workers, worker: the PostgreSQL store (an Npgsql connection string)");
        output.WriteLine("  --count N       workers: how many worker processes to start (default 3)");
        output.WriteLine("  --help          show this help");
        output.WriteLine();
        output.WriteLine("exit codes: 0 ok, 1 bad data or options, 2 bad command line, 3 some customers failed, 130 cancelled");
    }
}
