namespace Personalize.Samples.ConsoleHost;

/// <summary>One command: its name, usage line, what it does, and the options that apply to it (any other is an error).</summary>
public sealed record CommandSpec(string Name, string Usage, string Summary, IReadOnlyList<string> Options);

/// <summary>The commands and options of the console: the source of the help texts and of the "does not apply" checks.</summary>
public static class CommandSpecs
{
    /// <summary>Options every command takes.</summary>
    public static readonly IReadOnlyList<string> Common = ["--help", "--version"];

    /// <summary>The options that take a value, with its placeholder.</summary>
    public static readonly IReadOnlyDictionary<string, string> Values = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["--customers"] = "N",
        ["--out"] = "DIR",
        ["--smtp"] = "HOST:PORT",
        ["--db"] = "FILE",
        ["--trigger"] = "T",
        ["--now"] = "INSTANT",
        ["--since"] = "INSTANT",
        ["--templates"] = "DIR",
        ["--catalog"] = "FILE",
        ["--data"] = "FILE",
        ["--file"] = "FILE",
        ["--customer"] = "ID",
        ["--message"] = "ID",
        ["--channel"] = "C",
        ["--postgres"] = "CS",
        ["--count"] = "N",
        ["--journeys"] = "FILE",
        ["--from"] = "INSTANT",
        ["--days"] = "N",
    };

    /// <summary>What each option does (help text, one or more lines).</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Help = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["--db"] = ["the SQLite database, the customers' memory (default: personalize.db beside the outbox);", "created and seeded from the customers file on first use"],
        ["--customers"] = ["run: import N synthetic customers (deterministic, Bogus) into the store and run over them"],
        ["--dry-run"] = ["run: decide and render, record and send nothing"],
        ["--out"] = ["the outbox folder (default: ./outbox); the default database lives beside it"],
        ["--smtp"] = ["send email through this SMTP server (plain on a loopback address, STARTTLS with the certificate", "validated otherwise; credentials from PERSONALIZE_SMTP_USER and PERSONALIZE_SMTP_PASSWORD);", "the other channels still go to the outbox"],
        ["--templates"] = ["the templates folder (default: data/templates next to the program)"],
        ["--data"] = ["customers file: import's input, the seed of a new database, and what preview, explain,", "channels and list read (default: data/customers.json next to the program)"],
        ["--file"] = ["the JSON Lines events file (default: data/events.jsonl next to the program)"],
        ["--catalog"] = ["message catalog (default: data/catalog.json next to the program)"],
        ["--now"] = ["evaluate at this instant, ISO 8601 with offset, e.g. 2026-03-15T09:00:00Z (default: the clock;", "run without it resumes an unfinished run at that run's instant)"],
        ["--since"] = ["matrix: list tier moves from this instant (default: the 7 days before now)"],
        ["--trigger"] = ["event:NAME, campaign:NAME or schedule (default: schedule)"],
        ["--customer"] = ["the customer (list shows the ids)"],
        ["--message"] = ["the catalog message (list shows the ids)"],
        ["--channel"] = ["the channel (email, sms, push, in_app, direct_mail, phone, whatsapp)"],
        ["--json"] = ["print the decision as JSON"],
        ["--postgres"] = ["the PostgreSQL store instead of SQLite (an Npgsql connection string; schema 'personalize');", "workers and worker need it"],
        ["--count"] = ["how many worker processes to start (default 3)"],
        ["--journeys"] = ["the journeys file (default: data/journeys.json next to the program)"],
        ["--from"] = ["where the simulated clock of 'journeys simulate' starts (default: --now, else the clock)"],
        ["--days"] = ["how many days the simulated clock of 'journeys simulate' runs (default 30, at most 366)"],
        ["--help"] = ["show this help (after a command: that command's help)"],
        ["--version"] = ["show the version"],
    };

    public static readonly IReadOnlyList<CommandSpec> All =
    [
        new("run", "[run] [--customers N] [--dry-run] [--out DIR] [--smtp HOST:PORT] [--db FILE | --postgres CS] [--trigger T] [--now INSTANT]",
            "send what became due, then decide, render and record a campaign over the store's customers into the outbox and print a summary (the default command); the same --now again sends nothing, a later one what became due",
            ["--customers", "--dry-run", "--out", "--smtp", "--db", "--postgres", "--trigger", "--now", "--templates", "--catalog", "--data"]),
        new("due", "due [--now INSTANT] [--out DIR] [--smtp HOST:PORT] [--db FILE | --postgres CS]",
            "send the deferred messages that are due (each checked again: consent, contact point, caps, timing) and run the journey steps whose time has come",
            ["--now", "--out", "--smtp", "--db", "--postgres", "--templates", "--catalog", "--data", "--journeys"]),
        new("import", "import --data FILE [--db FILE | --postgres CS]   (or --customers N: N synthetic customers)",
            "import a customers file into the store (every error with its JSON path; nothing half-imported)",
            ["--data", "--customers", "--db", "--postgres", "--out"]),
        new("events", "events [--file FILE] [--now INSTANT] [--out DIR] [--db FILE | --postgres CS]",
            "ingest a JSON Lines events file (each event once, by id): update facts and stages, and send what the events trigger (event:TYPE, stage:NAME) through consent, caps and timing; enter and advance journeys; bad lines listed by number",
            ["--file", "--now", "--out", "--db", "--postgres", "--templates", "--catalog", "--data", "--journeys"]),
        new("tick", "tick [--now INSTANT] [--out DIR] [--db FILE | --postgres CS]",
            "fire the like-a-friend occasions due (welcome, thank-you, welcome back, we miss you, anniversary, birthday) and tenure stage changes, each once per occasion, and send the catalog's answers; enter the journeys of those occasions and run the journey steps due",
            ["--now", "--out", "--db", "--postgres", "--templates", "--catalog", "--data", "--journeys"]),
        new("matrix", "matrix [--since INSTANT] [--now INSTANT] [--db FILE | --postgres CS]",
            "the relationship matrix: customers per tier (strength x longevity, placed by tick) and who moved between tiers since --since",
            ["--since", "--now", "--db", "--postgres", "--out", "--data"]),
        new("profiling", "profiling [--db FILE | --postgres CS]",
            "progressive profiling: per question of data/questions.json, how many messages carried it, how many customers were asked and how many answered",
            ["--db", "--postgres", "--out", "--data"]),
        new("history", "history --customer ID [--db FILE | --postgres CS]",
            "one customer's consent evidence, sends and deferred sends in time order",
            ["--customer", "--db", "--postgres", "--out", "--data"]),
        new("erase", "erase --customer ID [--db FILE | --postgres CS] [--now INSTANT]",
            "forget a customer (their contact points stay on the suppression list as salted hashes)",
            ["--customer", "--db", "--postgres", "--out", "--data", "--now"]),
        new("list", "list [--data FILE] [--catalog FILE]",
            "the customer ids of the customers file and the message ids of the catalog, for --customer and --message",
            ["--data", "--catalog"]),
        new("preview", "preview --customer ID --message ID --channel CHANNEL [--now INSTANT]",
            "render one catalog message for one customer on one channel, without deciding or writing",
            ["--customer", "--message", "--channel", "--now", "--templates", "--catalog", "--data"]),
        new("explain", "explain --customer ID [--trigger TRIGGER] [--json] [--now INSTANT] [--db FILE | --postgres CS]",
            "decide which catalog message goes to one customer, on which channel and when, and explain every candidate (with --db or --postgres: the customer as stored, and the facts and events behind the decision)",
            ["--customer", "--trigger", "--json", "--now", "--catalog", "--data", "--db", "--postgres", "--out"]),
        new("journeys", "journeys --customer ID [--db FILE | --postgres CS]   (or: journeys simulate --customer ID [--from INSTANT] [--days N])",
            "where the customer is in each journey and what happened at each step and why; 'simulate' runs the journeys for one customer on a simulated clock over the bundled events and prints each step as it would happen (writes nothing)",
            ["--customer", "--db", "--postgres", "--out", "--data", "--now", "--from", "--days", "--journeys", "--file", "--templates", "--catalog"]),
        new("channels", "channels [--customer ID] [--now INSTANT]",
            "per customer (or for one), the channels they may be contacted on now for marketing and for service, and why not",
            ["--customer", "--now", "--data"]),
        new("workers", "workers --postgres \"CONNECTION STRING\" [--count N] [--now INSTANT] [--trigger T] [--out DIR]",
            "run the campaign with N worker processes sharing one PostgreSQL store (imports the customers first when it is empty)",
            ["--postgres", "--count", "--now", "--trigger", "--out", "--templates", "--catalog", "--data"]),
        new("worker", "worker --postgres \"CONNECTION STRING\" --now INSTANT [--trigger T] [--out DIR]",
            "run as one worker of a shared run (start it on any machine with the same --postgres and --now)",
            ["--postgres", "--now", "--trigger", "--out", "--templates", "--catalog"]),
    ];

    public static CommandSpec? Find(string name) => All.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.Ordinal));

    /// <summary>Whether an option takes a value (otherwise it is a flag).</summary>
    public static bool TakesValue(string option) => Values.ContainsKey(option);

    /// <summary>Whether the option is known at all.</summary>
    public static bool IsKnown(string option) => Help.ContainsKey(option);
}
