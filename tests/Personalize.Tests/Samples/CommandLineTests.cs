using Personalize.Samples.ConsoleHost;

namespace Personalize.Tests.Samples;

/// <summary>The console's command line as a newcomer meets it: every command's help and errors, --opt=value, --version, list.</summary>
public sealed class CommandLineTests
{
    private static readonly string Data = SampleConsole.Customers;

    public static TheoryData<string> Commands() => new(CommandSpecs.All.Select(static c => c.Name));

    [Theory]
    [MemberData(nameof(Commands))]
    public void Every_command_has_its_own_help_with_only_its_options(string command)
    {
        var spec = CommandSpecs.Find(command)!;

        var (exit, output, error) = SampleConsole.Run(command, "--help");

        Assert.Equal((0, string.Empty), (exit, error));
        Assert.StartsWith("usage: personalize-console " + spec.Usage + Environment.NewLine, output, StringComparison.Ordinal);
        foreach (var option in spec.Options)
        {
            Assert.Contains(Environment.NewLine + "  " + option, output, StringComparison.Ordinal);
        }

        foreach (var other in CommandSpecs.Help.Keys.Except(spec.Options).Except(CommandSpecs.Common))
        {
            Assert.DoesNotContain(Environment.NewLine + "  " + other + " ", output, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public void Every_command_refuses_an_option_that_does_not_apply_and_names_its_own(string command)
    {
        var spec = CommandSpecs.Find(command)!;
        var foreign = CommandSpecs.Help.Keys.Except(spec.Options).Except(CommandSpecs.Common).First();
        string[] args = CommandSpecs.TakesValue(foreign) ? [command, foreign, "x"] : [command, foreign];

        var (exit, output, error) = SampleConsole.Run(args);

        Assert.Equal((ConsoleApp.UsageError, string.Empty), (exit, output));
        Assert.StartsWith($"error: {foreign} does not apply to {command}; its options are {string.Join(", ", spec.Options)} (personalize-console {command} --help).", error, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public void Every_command_refuses_an_unknown_option_and_a_missing_value(string command)
    {
        var unknown = SampleConsole.Run(command, "--frobnicate");
        var spec = CommandSpecs.Find(command)!;
        var valued = spec.Options.First(CommandSpecs.TakesValue);
        var missing = SampleConsole.Run(command, valued);

        Assert.Equal((ConsoleApp.UsageError, "error: unknown option '--frobnicate'."), (unknown.Exit, unknown.Error.Split(Environment.NewLine)[0]));
        Assert.Equal(ConsoleApp.UsageError, missing.Exit);
        Assert.StartsWith($"error: {valued} needs a value ({valued} {CommandSpecs.Values[valued]} or {valued}={CommandSpecs.Values[valued]}).", missing.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("history", "error: history needs --customer ID.")]
    [InlineData("erase", "error: erase needs --customer ID.")]
    [InlineData("explain", "error: explain needs --customer ID (for example --customer c-001).")]
    [InlineData("worker", "error: worker needs --postgres")]
    [InlineData("workers", "error: workers needs --postgres")]
    [InlineData("preview", "error: preview needs --customer ID --message ID --channel CHANNEL")]
    public void Commands_that_need_an_option_say_which(string command, string message)
    {
        var (exit, _, error) = SampleConsole.Run(command);

        Assert.Equal(ConsoleApp.UsageError, exit);
        Assert.StartsWith(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_option_may_carry_its_value_after_an_equals_sign()
    {
        var spaced = SampleConsole.Run("channels", "--data", Data, "--now", "2026-03-15T09:00:00Z", "--customer", "c-003");
        var joined = SampleConsole.Run("channels", "--data=" + Data, "--now=2026-03-15T09:00:00Z", "--customer=c-003");
        var flag = SampleConsole.Run("run", "--dry-run=yes");

        Assert.Equal((0, spaced.Output), (joined.Exit, joined.Output));
        Assert.Equal((ConsoleApp.UsageError, "error: --dry-run takes no value; write --dry-run alone."), (flag.Exit, flag.Error.Split(Environment.NewLine)[0]));
    }

    [Fact]
    public void Channels_for_one_customer_prints_only_that_customer()
    {
        var (exit, output, _) = SampleConsole.Run("channels", "--data", Data, "--now", "2026-03-15T09:00:00Z", "--customer", "c-003");
        var unknown = SampleConsole.Run("channels", "--data", Data, "--customer", "c-999");

        Assert.Equal(0, exit);
        Assert.StartsWith("Contact availability at 2026-03-15 09:00 UTC for 1 customers (customers.json)", output, StringComparison.Ordinal);
        Assert.Contains("c-003  Teuila Tuilagi", output, StringComparison.Ordinal);
        Assert.DoesNotContain("c-001  ", output, StringComparison.Ordinal);
        Assert.Contains("Reachable now: ", output, StringComparison.Ordinal);
        Assert.Equal(ConsoleApp.DataError, unknown.Exit);
        Assert.Contains("no customer 'c-999' in the data file (50 customers, for example c-001, c-002, c-003; 'list' shows them all).", unknown.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void List_shows_the_customer_and_message_ids()
    {
        var (exit, output, error) = SampleConsole.Run("list", "--data", Data, "--catalog", SampleConsole.Catalog);

        Assert.Equal((0, string.Empty), (exit, error));
        Assert.StartsWith("customers (50, customers.json): --customer ID", output, StringComparison.Ordinal);
        Assert.Contains(Environment.NewLine + "  c-001 ", output, StringComparison.Ordinal);
        Assert.Contains(Environment.NewLine + "  c-050 ", output, StringComparison.Ordinal);
        Assert.Contains("messages (21, catalog.json): --message ID", output, StringComparison.Ordinal);
        Assert.Contains(Environment.NewLine + "  spring-sale ", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Version_prints_the_versions()
    {
        var (exit, output, _) = SampleConsole.Run("--version");

        Assert.Equal(0, exit);
        Assert.Matches(@"^personalize-console \S+ \(Personalize \S+, \.NET \d+\.\d+\.\d+\)\r?\n$", output);
    }

    [Fact]
    public void The_run_summary_has_a_legend_of_its_reason_codes_and_points_at_explain()
    {
        var root = Path.Combine(Path.GetTempPath(), "pz-legend-" + Guid.NewGuid().ToString("N"));
        try
        {
            var (exit, output, _) = SampleConsole.Run("run", "--dry-run", "--now", "2026-03-15T22:00:00Z", "--out", Path.Combine(root, "outbox"), "--db", Path.Combine(root, "p.db"));

            Assert.Equal(0, exit);
            var codes = output.Split(Environment.NewLine).Where(l => l.StartsWith("no message · ", StringComparison.Ordinal)).Select(l => l["no message · ".Length..].Split(' ')[0]).ToList();
            Assert.NotEmpty(codes);
            var legend = output[output.IndexOf(Environment.NewLine + "reason codes:" + Environment.NewLine, StringComparison.Ordinal)..];
            Assert.All(codes, code => Assert.Matches(@"\n  " + System.Text.RegularExpressions.Regex.Escape(code) + @" +\S", legend));
            Assert.DoesNotContain("see docs/decision-engine.md", legend, StringComparison.Ordinal); // every code the bundled run gives is explained
            Assert.Contains("personalize-console explain --customer ID", legend, StringComparison.Ordinal);
        }
        finally
        {
            if (Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }
        }
    }
}
