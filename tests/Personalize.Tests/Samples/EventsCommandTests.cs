using Personalize.Samples.ConsoleHost;

namespace Personalize.Tests.Samples;

/// <summary>The console's <c>events</c> and <c>tick</c> commands on the bundled data, as a user runs them.</summary>
public sealed class EventsCommandTests() : ConsoleWorkspace("pz-events-console")
{
    private const string AfterTheEvents = "2026-03-17T00:00:00Z";

    [Fact]
    public void The_bundled_events_update_the_store_once_and_the_shipped_order_message_shows_its_number_and_tracking_link()
    {
        var (exit, output, error) = Events();

        Assert.Equal(0, exit);
        Assert.Equal(string.Empty, error);
        Assert.Matches(@"lines read\s+334\n", output);
        Assert.Matches(@"events applied\s+334\n", output);
        Assert.Matches(@"stage changes\s+[1-9]", output);
        Assert.Matches(@"too old to trigger \(facts only\)\s+[1-9]", output);
        var sms = File.ReadAllLines(Path.Combine(Outbox, "sms.jsonl"));
        Assert.Contains(sms, l => l.Contains("\"customerId\":\"c-042\"", StringComparison.Ordinal)
            && l.Contains("your order GT-1105 has shipped", StringComparison.Ordinal)
            && l.Contains("Track it: https://track.greenthumb.example/GT-1105", StringComparison.Ordinal)
            && l.Contains("\"trigger\":\"event:order_shipped@evt-0310\"", StringComparison.Ordinal));

        // The same file again: every id is known, nothing is applied or sent twice.
        var again = Events();

        Assert.Equal(0, again.Exit);
        Assert.Matches(@"events applied\s+0\n", again.Output);
        Assert.Matches(@"duplicates left out \(id already applied\)\s+334\n", again.Output);
        Assert.Matches(@"sent · total\s+0\n", again.Output);
        Assert.Equal(sms.Length, File.ReadAllLines(Path.Combine(Outbox, "sms.jsonl")).Length);
        Assert.Contains("order_shipped", SampleConsole.Run("history", "--customer", "c-042", "--db", Database).Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_bad_line_is_reported_with_its_line_number_and_the_good_lines_are_applied()
    {
        Directory.CreateDirectory(Root);
        var file = Path.Combine(Root, "events.jsonl");
        File.WriteAllLines(file,
        [
            """{"id":"x-1","type":"login","customerId":"c-001","occurredAt":"2026-03-16T10:00:00Z"}""",
            "nonsense",
            string.Empty,
            """{"id":"x-2","type":"login","customerId":"nobody","occurredAt":"2026-03-16T10:00:00Z"}""",
            """{"id":"x-3","type":"login","customerId":"c-002","occurredAt":"2026-03-16T10:00:00"}""",
            """{"id":"x-4","type":"order_placed","customerId":"c-003","occurredAt":"2026-03-18T10:00:00Z","data":{"order_number":"GT-9"}}""",
            """{"id":"x-5","type":"visit","customerId":"c-002","occurredAt":"2026-03-16T11:00:00Z"}""",
        ]);

        var (exit, output, error) = SampleConsole.Run("events", "--file", file, "--now", AfterTheEvents, "--out", Outbox, "--db", Database);

        Assert.Equal(ConsoleApp.PartialFailure, exit);
        var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, lines.Length);
        Assert.StartsWith($"{file}:2: not valid JSON at column", lines[0], StringComparison.Ordinal);
        Assert.EndsWith("(event.invalid_json)", lines[0].TrimEnd(), StringComparison.Ordinal);
        Assert.StartsWith($"{file}:4: Event 'x-2': the store has no customer 'nobody'", lines[1], StringComparison.Ordinal);
        Assert.StartsWith($"{file}:5: 'occurredAt' \"2026-03-16T10:00:00\" is not an ISO 8601 instant with an offset", lines[2], StringComparison.Ordinal);
        Assert.StartsWith($"{file}:6: Event 'x-4' happened at 2026-03-18", lines[3], StringComparison.Ordinal);
        Assert.Matches(@"events applied\s+2\n", output);
        Assert.Matches(@"bad lines \(left out\)\s+2\n", output);
        Assert.Matches(@"events rejected\s+2\n", output);

        // Fixing the file and ingesting it again applies the fixed lines and leaves the applied ones out.
        File.WriteAllText(file, File.ReadAllText(file).Replace("\"customerId\":\"nobody\"", "\"customerId\":\"c-004\"", StringComparison.Ordinal).Replace("nonsense\n", string.Empty, StringComparison.Ordinal).Replace("10:00:00\"}", "10:00:00Z\"}", StringComparison.Ordinal).Replace("2026-03-18", "2026-03-16", StringComparison.Ordinal));
        var fixedRun = SampleConsole.Run("events", "--file", file, "--now", AfterTheEvents, "--out", Outbox, "--db", Database);

        Assert.Equal(0, fixedRun.Exit);
        Assert.Matches(@"events applied\s+3\n", fixedRun.Output);
        Assert.Matches(@"duplicates left out \(id already applied\)\s+2\n", fixedRun.Output);
    }

    [Fact]
    public void Hard_bounces_take_the_addresses_out_of_the_next_run_and_its_summary_counts_them_as_suppressed()
    {
        Directory.CreateDirectory(Root);
        var file = Path.Combine(Root, "bounces.jsonl");
        var bounced = new[] { ("c-003", "teuila.tuilagi@example.com"), ("c-015", "amara.okafor@example.com"), ("c-036", "hugo.bernard@example.com"), ("c-039", "keala.akana@example.com") };
        File.WriteAllLines(file, bounced.Select(b => $$$"""{"id":"bounce-{{{b.Item1}}}","type":"delivery.bounced","customerId":"{{{b.Item1}}}","occurredAt":"2026-03-15T20:00:00Z","data":{"channel":"email","bounce":"hard","recipient":"{{{b.Item2}}}"}}"""));

        var events = SampleConsole.Run("events", "--file", file, "--now", "2026-03-15T21:00:00Z", "--out", Outbox, "--db", Database);
        var (exit, output, _) = SampleConsole.Run("run", "--now", "2026-03-15T22:00:00Z", "--out", Outbox, "--db", Database);

        Assert.Equal((0, 0), (events.Exit, exit));
        Assert.Matches(@"no message · contact_point.suppressed\s+4\n", output);
        Assert.Contains("contact_point.suppressed  the address or number is on the suppression list", output, StringComparison.Ordinal);
        var mail = Directory.Exists(Path.Combine(Outbox, "email")) ? Directory.GetFiles(Path.Combine(Outbox, "email")).Select(File.ReadAllText).ToList() : [];
        Assert.DoesNotContain(mail, m => bounced.Any(b => m.Contains(b.Item2, StringComparison.OrdinalIgnoreCase)));
    }

    [Fact]
    public void A_missing_events_file_is_a_clear_error()
    {
        var (exit, _, error) = SampleConsole.Run("events", "--file", Path.Combine(Root, "none.jsonl"), "--db", Database);

        Assert.Equal(ConsoleApp.DataError, exit);
        Assert.Contains("none.jsonl: the events file does not exist (pass --file FILE", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Tick_fires_each_occasion_once_and_a_second_tick_fires_nothing()
    {
        Events();

        var (exit, output, _) = SampleConsole.Run("tick", "--now", "2026-03-17T01:00:00Z", "--out", Outbox, "--db", Database);

        Assert.Equal(0, exit);
        Assert.Matches(@"customers looked at\s+50\n", output);
        Assert.Matches(@"occasion · welcome\s+1\n", output);
        Assert.Matches(@"occasion · we_miss_you\s+[1-9]", output);
        Assert.Matches(@"occasion · welcome_back\s+[1-9]", output);

        var second = SampleConsole.Run("tick", "--now", "2026-03-17T02:00:00Z", "--out", Outbox, "--db", Database);

        Assert.Equal(0, second.Exit);
        Assert.Matches(@"occasions · total\s+0\n", second.Output);
        Assert.Matches(@"sent · total\s+0\n", second.Output);
    }

    [Fact]
    public void Matrix_prints_the_grid_with_customers_per_tier_and_who_moved_since_an_instant()
    {
        var before = SampleConsole.Run("matrix", "--now", AfterTheEvents, "--db", Database);

        Assert.Equal(0, before.Exit);
        Assert.Contains("not placed yet: 50 (run tick to place them)", before.Output, StringComparison.Ordinal);

        Events();
        SampleConsole.Run("tick", "--now", "2026-03-17T01:00:00Z", "--out", Outbox, "--db", Database);
        var (exit, output, _) = SampleConsole.Run("matrix", "--now", "2026-03-17T02:00:00Z", "--db", Database);

        Assert.Equal(0, exit);
        var lines = output.Split('\n');
        Assert.Contains("Relationship matrix of 50 customers", lines[0], StringComparison.Ordinal);
        Assert.Matches(@"^strength \\ longevity\s+1: < 90 d\s+2: 90-365 d\s+3: >= 365 d$", lines[2]);
        Assert.StartsWith("3: score >= 8", lines[3], StringComparison.Ordinal);
        Assert.StartsWith("1: score < 3", lines[5], StringComparison.Ordinal);
        var counts = System.Text.RegularExpressions.Regex.Matches(string.Join('\n', lines[3..6]), @"[a-z_]+ (\d+)(?=\s|$)").Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(9, counts.Count);
        Assert.Equal(50, counts.Sum());
        Assert.DoesNotContain("not placed yet", output, StringComparison.Ordinal);
        Assert.Contains("Moved since 2026-03-10 02:00:00 UTC: 0", output, StringComparison.Ordinal);

        // Four big orders later, c-001 moves up at the next tick, and matrix lists the move with its cause.
        Directory.CreateDirectory(Root);
        var file = Path.Combine(Root, "more.jsonl");
        File.WriteAllLines(file, Enumerable.Range(1, 6).Select(i => $$$"""{"id":"more-{{{i}}}","type":"order_placed","customerId":"c-001","occurredAt":"2026-03-18T0{{{i}}}:00:00Z","data":{"order_number":"GT-20{{{i}}}","total":200}}"""));
        SampleConsole.Run("events", "--file", file, "--now", "2026-03-18T10:00:00Z", "--out", Outbox, "--db", Database);
        SampleConsole.Run("tick", "--now", "2026-03-18T11:00:00Z", "--out", Outbox, "--db", Database);
        var moved = SampleConsole.Run("matrix", "--since", "2026-03-18T00:00:00Z", "--db", Database).Output;

        Assert.Contains("Moved since 2026-03-18 00:00:00 UTC: 1", moved, StringComparison.Ordinal);
        Assert.Matches(@"2026-03-18 11:00:00  c-001  [a-z_]+ -> [a-z_]+  \(matrix: longevity \d \(\d+ days\), strength 3", moved);
    }

    [Fact]
    public void Explain_on_the_store_shows_the_facts_and_events_behind_the_decision()
    {
        Events();
        SampleConsole.Run("tick", "--now", "2026-03-17T01:00:00Z", "--out", Outbox, "--db", Database);

        var (exit, output, _) = SampleConsole.Run("explain", "--customer", "c-011", "--now", AfterTheEvents, "--db", Database);

        // On the schedule, service first (c-011 is an NPS detractor) stops the promotions: the detractor fact and its
        // event are behind the decision; the shipped order is a fact of the customer the decision did not read.
        Assert.Equal(0, exit);
        Assert.Contains("Facts behind the decision (read by its conditions and rules; stage adoption;", output, StringComparison.Ordinal);
        Assert.Matches(@"nps_detractor\s+True\s+\(event evt-0314 nps_answered at 2026-03-12T08:30:00Z\)", output);
        Assert.DoesNotContain("last_shipped_order", output, StringComparison.Ordinal);
        Assert.Matches(@"\(\d+ other facts of the customer not read by this decision\.\)", output);
        Assert.Contains("tier (none) -> promising at 2026-03-17T01:00:00Z (matrix: longevity 1 (82 days), strength 2", output, StringComparison.Ordinal);
        Assert.Contains("no customer 'nobody'", SampleConsole.Run("explain", "--customer", "nobody", "--db", Database).Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_since_instant_is_a_usage_error()
    {
        var (exit, _, error) = SampleConsole.Run("matrix", "--since", "yesterday", "--db", Database);

        Assert.Equal(ConsoleApp.UsageError, exit);
        Assert.Contains("--since 'yesterday' is not an ISO 8601 instant with offset", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_names_the_events_and_tick_commands()
    {
        var help = SampleConsole.Run("--help").Output;

        Assert.Contains("personalize-console events [--file FILE]", help, StringComparison.Ordinal);
        Assert.Contains("personalize-console tick [--now INSTANT]", help, StringComparison.Ordinal);
        Assert.Contains("personalize-console matrix [--since INSTANT]", help, StringComparison.Ordinal);
        Assert.Contains("--file FILE     events, journeys: the JSON Lines events file", help, StringComparison.Ordinal);
    }

    private (int Exit, string Output, string Error) Events()
        => SampleConsole.Run("events", "--now", AfterTheEvents, "--out", Outbox, "--db", Database);
}
