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
        ["list"] = new ListCommand(),
        ["events"] = new EventsCommand(),
        ["tick"] = new TickCommand(),
        ["matrix"] = new MatrixCommand(),
        ["journeys"] = new JourneysCommand(),
        ["profiling"] = new ProfilingCommand(),
    };

    public const string DefaultCommand = "run";

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (!CommandLine.TryParse(args, out var commandLine, out var usageError))
        {
            error.WriteLine("error: " + usageError);
            error.WriteLine("Run with --help for usage (COMMAND --help for one command's options).");
            return UsageError;
        }

        if (commandLine.Version)
        {
            output.WriteLine(VersionText());
            return Ok;
        }

        var name = commandLine.Command ?? DefaultCommand;
        if (!Commands.TryGetValue(name, out var command))
        {
            error.WriteLine($"error: unknown command '{name}'; commands: {string.Join(", ", Commands.Keys)}.");
            error.WriteLine("Run with --help for usage.");
            return UsageError;
        }

        if (commandLine.Help)
        {
            if (commandLine.Command is not null && CommandSpecs.Find(name) is { } spec)
            {
                WriteCommandHelp(output, spec);
            }
            else
            {
                WriteHelp(output);
            }

            return Ok;
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
        for (var i = 0; i < CommandSpecs.All.Count; i++)
        {
            output.WriteLine((i == 0 ? "usage: " : "       ") + "personalize-console " + CommandSpecs.All[i].Usage);
        }

        output.WriteLine();
        output.WriteLine("commands:");
        foreach (var spec in CommandSpecs.All)
        {
            WriteWrapped(output, "  " + spec.Name.PadRight(11), spec.Summary);
        }

        output.WriteLine();
        output.WriteLine("options (each applies to the commands named; --opt VALUE or --opt=VALUE):");
        foreach (var (option, lines) in CommandSpecs.Help)
        {
            var users = CommandSpecs.All.Where(c => c.Options.Contains(option)).Select(static c => c.Name).ToList();
            var prefix = users.Count is 0 or > 4 ? string.Empty : string.Join(", ", users) + ": ";
            WriteOption(output, option, [prefix + lines[0], .. lines.Skip(1)]);
        }

        output.WriteLine();
        output.WriteLine("'personalize-console COMMAND --help' shows one command's options; 'list' shows the customer and message ids.");
        output.WriteLine(ExitCodes);
    }

    private static void WriteCommandHelp(TextWriter output, CommandSpec spec)
    {
        output.WriteLine("usage: personalize-console " + spec.Usage);
        output.WriteLine();
        WriteWrapped(output, string.Empty, spec.Summary[0..1].ToUpperInvariant() + spec.Summary[1..] + ".");
        output.WriteLine();
        output.WriteLine("options (--opt VALUE or --opt=VALUE):");
        foreach (var option in spec.Options.Concat(CommandSpecs.Common))
        {
            WriteOption(output, option, CommandSpecs.Help[option]);
        }

        output.WriteLine();
        output.WriteLine(ExitCodes);
    }

    private const string ExitCodes = "exit codes: 0 ok, 1 bad data or options, 2 bad command line, 3 some customers failed, 130 cancelled";

    private static void WriteOption(TextWriter output, string option, IReadOnlyList<string> lines)
    {
        var head = CommandSpecs.Values.TryGetValue(option, out var placeholder) ? option + " " + placeholder : option;
        for (var i = 0; i < lines.Count; i++)
        {
            output.WriteLine("  " + (i == 0 ? head : string.Empty).PadRight(15) + " " + lines[i]);
        }
    }

    private static void WriteWrapped(TextWriter output, string head, string text)
    {
        const int Width = 118;
        var indent = new string(' ', head.Length);
        var line = new System.Text.StringBuilder(head);
        foreach (var word in text.Split(' '))
        {
            if (line.Length + word.Length + 1 > Width && line.Length > indent.Length)
            {
                output.WriteLine(line.ToString().TrimEnd());
                line.Clear().Append(indent);
            }

            line.Append(word).Append(' ');
        }

        output.WriteLine(line.ToString().TrimEnd());
    }

    private static string VersionText()
    {
        static string Of(System.Reflection.Assembly assembly)
            => assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false) is [System.Reflection.AssemblyInformationalVersionAttribute a, ..]
                ? a.InformationalVersion
                : assembly.GetName().Version?.ToString() ?? "unknown";

        return $"personalize-console {Of(typeof(ConsoleApp).Assembly)} (Personalize {Of(typeof(Personalize.Decisions.DecisionEngine).Assembly)}, .NET {Environment.Version})";
    }
}
