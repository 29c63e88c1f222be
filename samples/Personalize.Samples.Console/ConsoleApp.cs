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
        ["import"] = new ImportCommand(),
        ["due"] = new DueCommand(),
        ["history"] = new HistoryCommand(),
        ["erase"] = new EraseCommand(),
        ["events"] = new EventsCommand(),
        ["tick"] = new TickCommand(),
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
        output.WriteLine("usage: personalize-console [run] [--customers N] [--dry-run] [--out DIR] [--smtp HOST:PORT] [--db FILE | --postgres CS] [--trigger T] [--now INSTANT]");
        output.WriteLine("       personalize-console due [--now INSTANT] [--out DIR] [--smtp HOST:PORT] [--db FILE | --postgres CS]");
        output.WriteLine("       personalize-console import --data FILE [--db FILE | --postgres CS]   (or --customers N: N synthetic customers)");
        output.WriteLine("       personalize-console events [--file FILE] [--now INSTANT] [--out DIR] [--db FILE | --postgres CS]");
        output.WriteLine("       personalize-console tick [--now INSTANT] [--out DIR] [--db FILE | --postgres CS]");
        output.WriteLine("       personalize-console history --customer ID [--db FILE | --postgres CS]");
        output.WriteLine("       personalize-console erase --customer ID [--db FILE | --postgres CS]");
        output.WriteLine("       personalize-console preview --customer ID --message ID --channel CHANNEL [--now INSTANT]");
        output.WriteLine("       personalize-console explain --customer ID [--trigger TRIGGER] [--json] [--now INSTANT]");
        output.WriteLine("       personalize-console channels [--now INSTANT]");
        output.WriteLine("       personalize-console workers --postgres \"CONNECTION STRING\" [--count N] [--now INSTANT] [--trigger T] [--out DIR]");
        output.WriteLine("       personalize-console worker --postgres \"CONNECTION STRING\" --now INSTANT [--trigger T] [--out DIR]");
        output.WriteLine();
        output.WriteLine("commands:");
        output.WriteLine("  run        send what became due, then decide, render and record a campaign over the store's customers into the");
        output.WriteLine("             outbox and print a summary (default); the same --now again sends nothing, a later one what became due");
        output.WriteLine("  due        send the deferred messages that are due (each checked again: consent, contact point, caps, timing)");
        output.WriteLine("  import     import a customers file into the store (every error with its JSON path; nothing half-imported)");
        output.WriteLine("  events     ingest a JSON Lines events file (each event once, by id): update facts and stages, and send what the");
        output.WriteLine("             events trigger (event:TYPE, stage:NAME) through consent, caps and timing; bad lines listed by number");
        output.WriteLine("  tick       fire the like-a-friend occasions due (welcome, thank-you, welcome back, we miss you, anniversary,");
        output.WriteLine("             birthday) and tenure stage changes, each once per occasion, and send the catalog's answers");
        output.WriteLine("  history    one customer's consent evidence, sends and deferred sends in time order");
        output.WriteLine("  erase      forget a customer (their contact points stay on the suppression list as salted hashes)");
        output.WriteLine("  preview    render one catalog message for one customer on one channel, without deciding or writing");
        output.WriteLine("  explain    decide which catalog message goes to one customer, on which channel and when, and explain every candidate");
        output.WriteLine("  channels   per customer, the channels they may be contacted on now for marketing and for service, and why not");
        output.WriteLine("  workers    run the campaign with N worker processes sharing one PostgreSQL store (imports the customers first when it is empty)");
        output.WriteLine("  worker     run as one worker of a shared run (start it on any machine with the same --postgres and --now)");
        output.WriteLine();
        output.WriteLine("options:");
        output.WriteLine("  --db FILE       the SQLite database, the customers' memory (default: personalize.db beside the outbox);");
        output.WriteLine("                  created and seeded from the customers file on first use");
        output.WriteLine("  --customers N   run: import N synthetic customers (deterministic, Bogus) into the store and run over them");
        output.WriteLine("  --dry-run       run: decide and render, write no message");
        output.WriteLine("  --out DIR       run, due, events, tick: the outbox folder (default: ./outbox)");
        output.WriteLine("  --smtp H:P      run, due: send email through this SMTP server (plain on a loopback address, STARTTLS with the");
        output.WriteLine("                  certificate validated otherwise; credentials from PERSONALIZE_SMTP_USER and PERSONALIZE_SMTP_PASSWORD);");
        output.WriteLine("                  the other channels still go to the outbox");
        output.WriteLine("  --templates DIR run, due, preview: the templates folder (default: data/templates next to the program)");
        output.WriteLine("  --data FILE     customers file: import's input, and the seed of a new database (default: data/customers.json)");
        output.WriteLine("  --file FILE     events: the JSON Lines events file (default: data/events.jsonl next to the program)");
        output.WriteLine("  --catalog FILE  message catalog (default: data/catalog.json next to the program)");
        output.WriteLine("  --now INSTANT   evaluate at this instant, ISO 8601 with offset, e.g. 2026-03-15T09:00:00Z (default: the clock;");
        output.WriteLine("                  run without it resumes an unfinished run at that run's instant)");
        output.WriteLine("  --trigger T     run, explain: event:NAME, campaign:NAME or schedule (default: schedule)");
        output.WriteLine("  --customer ID   history, erase, preview, explain: the customer");
        output.WriteLine("  --message ID    preview: the catalog message");
        output.WriteLine("  --channel C     preview: the channel (email, sms, push, in_app, direct_mail, phone, whatsapp)");
        output.WriteLine("  --json          explain: print the decision as JSON");
        output.WriteLine("  --postgres CS   the PostgreSQL store instead of SQLite (an Npgsql connection string; schema 'personalize'):");
        output.WriteLine("                  run, due, import, events, tick, history, erase; workers and worker need it");
        output.WriteLine("  --count N       workers: how many worker processes to start (default 3)");
        output.WriteLine("  --help          show this help");
        output.WriteLine();
        output.WriteLine("exit codes: 0 ok, 1 bad data or options, 2 bad command line, 3 some customers failed, 130 cancelled");
    }
}
