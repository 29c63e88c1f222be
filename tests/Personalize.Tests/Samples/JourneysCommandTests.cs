using Personalize.Samples.ConsoleHost;

namespace Personalize.Tests.Samples;

/// <summary>The console's journeys: <c>journeys --customer</c>, <c>journeys simulate</c>, journey lines in <c>explain</c> and the journey rows of events and due, on the bundled renewal journey and events.</summary>
public sealed class JourneysCommandTests() : ConsoleWorkspace("pz-journeys-console")
{
    private const string AfterTheEvents = "2026-03-17T00:00:00Z";

    [Fact]
    public void After_the_bundled_events_journeys_shows_where_each_customer_is_and_why_and_due_moves_them_on()
    {
        var events = SampleConsole.Run("events", "--now", AfterTheEvents, "--out", Outbox, "--db", Database);
        Assert.Equal(0, events.Exit);
        Assert.Matches(@"journeys · entered\s+4\n", events.Output);
        Assert.Matches(@"journeys · exited · renewed\s+2\n", events.Output); // c-032 and c-019 renewed before the ingestion

        // c-008 asked not to be called: the thank-you call is skipped with its reason, the journey goes on.
        var withdrew = Journeys("c-008");
        Assert.Equal(0, withdrew.Exit);
        Assert.Contains("renewal v1: active at within_48_hours, next 2026-03-19 00:00:00 UTC", withdrew.Output, StringComparison.Ordinal);
        Assert.Matches(@"thank_you_call\s+skipped\s+consent\.withdrawn — the customer withdrew the channel", withdrew.Output);

        // c-032 renewed on the 15th: the journey ended before any step.
        Assert.Matches(@"renewal v1: exited 2026-03-17 00:00:00 UTC \(renewed\)", Journeys("c-032").Output);

        // c-044 is in Berlin, where it is 01:00: the call waits for the morning.
        var night = Journeys("c-044").Output;
        Assert.Contains("renewal v1: active at thank_you_call, next 2026-03-17 07:00:00 UTC", night, StringComparison.Ordinal);
        Assert.Matches(@"\(Tue 01:00 local\)\s+thank_you_call\s+deferred\s+timing\.deferred until 2026-03-17T07:00:00Z", night);

        var due = SampleConsole.Run("due", "--now", "2026-03-17T07:00:00Z", "--out", Outbox, "--db", Database);
        Assert.Equal(0, due.Exit);
        Assert.Matches(@"journeys · steps run\s+1\n", due.Output);
        Assert.Matches(@"sent · phone\s+1\n", due.Output);
        var morning = Journeys("c-044").Output;
        Assert.Matches(@"\(Tue 08:00 local\)\s+thank_you_call\s+sent\s+phone pz2_", morning);
        Assert.Contains("renewal v1: active at within_48_hours, next 2026-03-19 07:00:00 UTC", morning, StringComparison.Ordinal);
    }

    [Fact]
    public void Explain_on_the_store_shows_the_journey_lines()
    {
        SampleConsole.Run("events", "--now", AfterTheEvents, "--out", Outbox, "--db", Database);

        var (exit, output, _) = SampleConsole.Run("explain", "--customer", "c-008", "--now", AfterTheEvents, "--db", Database);

        Assert.Equal(0, exit);
        Assert.Contains($"Journeys (from {Database}):", output, StringComparison.Ordinal);
        Assert.Contains("  renewal v1: active at within_48_hours, next 2026-03-19 00:00:00 UTC", output, StringComparison.Ordinal);
        Assert.Matches(@"entry\s+entered\s+event:renewal_due evt-0333", output);
        Assert.Contains("(in no journey)", SampleConsole.Run("explain", "--customer", "c-001", "--now", AfterTheEvents, "--db", Database).Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Simulate_prints_each_step_of_the_whole_renewal_journey_as_it_would_happen()
    {
        var (exit, output, error) = Simulate("c-044");

        Assert.Equal(0, exit);
        Assert.Equal(string.Empty, error);
        Assert.Contains("for c-044 (Europe/Berlin) from 2026-03-14 00:00:00 to 2026-04-13 00:00:00 UTC", output, StringComparison.Ordinal);
        var steps = StepLines(output);
        Assert.Equal(
            [
                "2026-03-14 09:00:00 entered", "2026-03-14 09:00:00 thank_you_call sent", "2026-03-14 09:00:00 within_48_hours waiting",
                "2026-03-16 09:00:00 within_48_hours waited", "2026-03-16 09:00:00 personal_letter sent", "2026-03-16 09:00:00 a_week_later waiting",
                "2026-03-23 09:00:00 a_week_later waited", "2026-03-23 09:00:00 follow_up_mailing sent", "2026-03-23 09:00:00 weekday_morning waited",
                "2026-03-23 09:00:00 outbound_call sent", "2026-03-23 09:00:00 outbound_call completed",
            ],
            steps);
        Assert.Contains("renewal v1: completed 2026-03-23 09:00:00 UTC", output, StringComparison.Ordinal);
        Assert.Contains("Journey messages that would go out: 4 (renewal-thank-you-call on phone, renewal-personal-letter on direct_mail, renewal-follow-up on direct_mail, renewal-outbound-call on phone).", output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Root), "simulate writes nothing");
    }

    [Fact]
    public void Simulate_shows_a_customer_who_renews_midway_leave_the_journey()
    {
        var (exit, output, _) = Simulate("c-032");

        Assert.Equal(0, exit);
        Assert.Contains("2026-03-15 20:00:00 UTC  event renewed (evt-0335)", output, StringComparison.Ordinal);
        Assert.Equal(
            ["2026-03-14 09:00:00 entered", "2026-03-14 09:00:00 thank_you_call sent", "2026-03-14 09:00:00 within_48_hours waiting", "2026-03-15 20:00:00 exited"],
            StepLines(output));
        Assert.Contains("renewal v1: exited 2026-03-15 20:00:00 UTC (renewed)", output, StringComparison.Ordinal);
        Assert.Contains("Journey messages that would go out: 1 (renewal-thank-you-call on phone).", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Simulate_shows_the_call_skipped_with_its_reason_for_the_customer_who_withdrew_phone_consent()
    {
        var (exit, output, _) = Simulate("c-008");

        Assert.Equal(0, exit);
        Assert.Matches(@"2026-03-14 09:00:00 UTC \(Fri 23:00 local\)\s+thank_you_call\s+skipped\s+consent\.withdrawn — the customer withdrew the channel", output);
        Assert.Matches(@"outbound_call\s+skipped\s+consent\.withdrawn \(after 3 attempts\)", output);
        Assert.Contains("Journey messages that would go out: 2 (renewal-personal-letter on direct_mail, renewal-follow-up on direct_mail).", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Simulate_says_so_when_the_customer_enters_no_journey()
    {
        var (exit, output, _) = SampleConsole.Run("journeys", "simulate", "--customer", "c-001", "--from", "2026-03-14T00:00:00Z", "--days", "7");

        Assert.Equal(0, exit);
        Assert.Contains("c-001 entered no journey: no event or occasion of theirs between 2026-03-14 00:00:00 and 2026-03-21 00:00:00 UTC is an entry (event:renewal_due).", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("journeys", "--customer ID")]
    [InlineData("journeys simulate --from 2026-03-14T00:00:00Z", "journeys simulate needs --customer ID")]
    [InlineData("journeys simulat --customer c-001", "'journeys simulat': journeys knows the subcommand simulate.")]
    [InlineData("journeys simulate --customer c-001 --days 0", "--days '0' is not a number of days from 1 to 366")]
    [InlineData("journeys simulate --customer c-001 --from tomorrow", "--from 'tomorrow' is not an ISO 8601 instant with offset")]
    [InlineData("journeys --customer c-001 --days 3", "--from and --days are for 'journeys simulate'")]
    public void Bad_journeys_command_lines_are_usage_errors_that_say_what_to_write(string commandLine, string message)
    {
        var (exit, _, error) = SampleConsole.Run(commandLine.Split(' '));

        Assert.Equal(ConsoleApp.UsageError, exit);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_journeys_file_is_reported_with_its_line_and_code()
    {
        Directory.CreateDirectory(Root);
        var file = Path.Combine(Root, "journeys.json");
        File.WriteAllText(file, "{ \"journeys\": [ { \"id\": \"renewal\",\n  \"entry\": { \"trigger\": \"event:renewal_due\" },\n  \"steps\": [ { \"id\": \"w\", \"wait\": \"soon\" } ] } ] }");

        var (exit, _, error) = SampleConsole.Run("journeys", "simulate", "--customer", "c-044", "--from", "2026-03-14T00:00:00Z", "--journeys", file);

        Assert.Equal(ConsoleApp.DataError, exit);
        Assert.Contains("1 error in the journeys", error, StringComparison.Ordinal);
        Assert.Matches(@"journeys\.json line 3, column \d+: \$\.journeys\[0\]\.steps\[0\]\.wait: .*\(journey\.invalid_duration\)", error);
    }

    private static (int Exit, string Output, string Error) Simulate(string customer)
        => SampleConsole.Run("journeys", "simulate", "--customer", customer, "--from", "2026-03-14T00:00:00Z", "--days", "30");

    /// <summary>The simulation's step lines as <c>instant step outcome</c> (entry and exit by their outcome alone).</summary>
    private static string[] StepLines(string output) => output.Split('\n')
        .TakeWhile(static l => !l.StartsWith("At ", StringComparison.Ordinal))
        .Select(static l => System.Text.RegularExpressions.Regex.Match(l, @"^(\S+ \S+) UTC \(\w{3} \d\d:\d\d local\)\s+(\S+)\s+(\S+)"))
        .Where(static m => m.Success)
        .Select(static m => m.Groups[2].Value is "entry" or "exit" ? $"{m.Groups[1].Value} {m.Groups[3].Value}" : $"{m.Groups[1].Value} {m.Groups[2].Value} {m.Groups[3].Value}")
        .ToArray();

    private (int Exit, string Output, string Error) Journeys(string customer)
        => SampleConsole.Run("journeys", "--customer", customer, "--db", Database);
}
