using System.Globalization;
using Xunit.Abstractions;

namespace Personalize.CrashTests;

/// <summary>
/// The durable-state standard for journeys, on the real thing: thousands of customers are in a journey between two
/// steps (a wait over, a mailing next); the console's due pass that runs those steps is killed with SIGKILL twice in a
/// row (after a fifth and after two thirds of the mailings reached the outbox), then run to the end. Every customer's
/// journey state is byte for byte what a pass nobody killed leaves, and every mailing is in the outbox exactly once: no
/// step ran twice, none was skipped.
/// </summary>
public sealed class JourneyKillNineTests(ITestOutputHelper log) : IDisposable
{
    // A bare dotnet test and .ci/run both run 3,000 customers (about 15 s on two cores); PERSONALIZE_CRASH_JOURNEY_CUSTOMERS asks for more.
    private static readonly int Customers = int.TryParse(Environment.GetEnvironmentVariable("PERSONALIZE_CRASH_JOURNEY_CUSTOMERS"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 500 ? n : 3_000;

    /// <summary>Monday 16 March 2026, 10:00 UTC: the customers enter and get the first mailing (or wait for their morning).</summary>
    private const string Entered = "2026-03-16T10:00:00Z";

    /// <summary>Three days on: every wait is over, every second mailing is due.</summary>
    private const string Due = "2026-03-19T10:00:00Z";

    private const string Journeys = """
        { "journeys": [ {
            "id": "renewal",
            "entry": { "trigger": "event:renewal_due" },
            "exits": [ { "event": "renewed" } ],
            "steps": [
              { "id": "first_mailing", "send": "renewal-follow-up", "channel": "email" },
              { "id": "two_days", "wait": "48h" },
              { "id": "second_mailing", "send": "renewal-follow-up", "channel": "email" },
              { "id": "a_week", "wait": "7d" },
              { "id": "third_mailing", "send": "renewal-follow-up", "channel": "email" }
            ] } ] }
        """;

    private readonly string _root = Path.Combine(Path.GetTempPath(), "pz-kill9-journeys-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public async Task A_due_pass_killed_between_two_steps_and_run_again_neither_repeats_nor_skips_a_step()
    {
        Directory.CreateDirectory(_root);
        var journeys = Path.Combine(_root, "journeys.json");
        File.WriteAllText(journeys, Journeys);
        var events = Path.Combine(_root, "renewals.jsonl");
        File.WriteAllLines(events, Enumerable.Range(0, Customers).Select(i => $$"""{"id":"rd-{{i}}","type":"renewal_due","customerId":"s-{{i.ToString("D7", CultureInfo.InvariantCulture)}}","occurredAt":"2026-03-16T09:00:00Z"}"""));
        var seed = Path.Combine(_root, "seed.db");
        var imported = ConsoleProcess.Run(_root, "import", "--customers", Customers.ToString(CultureInfo.InvariantCulture), "--db", seed);
        Assert.True(imported.Exit == 0, imported.Error);
        var entered = ConsoleProcess.Run(_root, "events", "--file", events, "--now", Entered, "--journeys", journeys, "--db", seed, "--out", Path.Combine(_root, "entry-outbox"));
        Assert.True(entered.Exit == 0, entered.Output + entered.Error);
        Assert.Contains($"journeys · entered {Customers.ToString("N0", CultureInfo.InvariantCulture)}", Squeeze(entered.Output), StringComparison.Ordinal);

        // What a due pass nobody kills sends, and the journey state it leaves.
        var reference = Copy(seed, "reference");
        var clean = ConsoleProcess.Run(reference, Args(reference, journeys));
        Assert.True(clean.Exit == 0, clean.Output + clean.Error);
        var expected = KillNineTests.Outbox(reference);
        // About half the customers are in their quiet hours at the due instant: their mailing waits (a wake-up in their state).
        Assert.True(expected.Count >= Customers / 3, $"{expected.Count} second mailings for {Customers} customers: {clean.Output}");
        var expectedState = State(reference);

        var killed = Copy(seed, "killed");
        var kills = 0;
        foreach (var fraction in new[] { 5, 3 * 2 })
        {
            // After a fifth, then after two thirds of the mailings reached the outbox: kill mid-pass.
            var threshold = fraction == 5 ? expected.Count / 5 : expected.Count * 2 / 3;
            using var pass = ConsoleProcess.Start(killed, Args(killed, journeys));
            var reached = await WaitForEmailsAsync(killed, threshold, pass, TimeSpan.FromMinutes(5));
            Assert.True(reached, $"the pass ended before {threshold} mailings: {pass.Output}\n{pass.Error}");
            pass.KillNow();
            kills++;
            log.WriteLine($"kill {kills} at {Emails(killed)} of {expected.Count} mailings");
        }

        var again = ConsoleProcess.Run(killed, Args(killed, journeys));
        Assert.True(again.Exit == 0, again.Output + again.Error);

        Assert.Equal(expected, KillNineTests.Outbox(killed)); // each mailing once (Outbox fails on a key twice), none missing
        Assert.Equal(expectedState, State(killed));
        using var connection = KillNineTests.Open(killed);
        Assert.Equal("ok", KillNineTests.Scalar(connection, "PRAGMA integrity_check"));
        Assert.Equal(0L, KillNineTests.Scalar(connection, "SELECT COUNT(*) FROM delivery_log WHERE state = 0"));
        log.WriteLine($"{Customers} customers, killed {kills} times: {expected.Count} mailings, each once; journey state as the clean pass left it");
    }

    private static string[] Args(string directory, string journeys) =>
        ["due", "--now", Due, "--journeys", journeys, "--out", Path.Combine(directory, "outbox"), "--db", Path.Combine(directory, "personalize.db")];

    private string Copy(string seed, string name)
    {
        var directory = Path.Combine(_root, name);
        Directory.CreateDirectory(directory);
        File.Copy(seed, Path.Combine(directory, "personalize.db"));
        return directory;
    }

    /// <summary>Every journey instance row (key, status, wake-up and the whole stored instance with its history), in key order.</summary>
    private static List<string> State(string directory)
    {
        using var connection = KillNineTests.Open(directory);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT customer_id, journey_id, instance_id, status, wake_at, data FROM journey_instances ORDER BY customer_id, journey_id, instance_id";
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            var data = (byte[])reader.GetValue(5);
            rows.Add($"{reader.GetString(0)} {reader.GetString(1)} {reader.GetString(2)} {reader.GetInt64(3)} {(reader.IsDBNull(4) ? "-" : reader.GetInt64(4))} {Convert.ToHexString(data)}");
        }

        Assert.NotEmpty(rows);
        return rows;
    }

    private static int Emails(string directory)
    {
        var folder = Path.Combine(directory, "outbox", "email");
        return Directory.Exists(folder) ? Directory.GetFiles(folder, "*.eml").Length : 0;
    }

    private static async Task<bool> WaitForEmailsAsync(string directory, int threshold, ConsoleProcess pass, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until)
        {
            if (Emails(directory) >= threshold)
            {
                return true;
            }

            if (pass.HasExited)
            {
                return false;
            }

            await Task.Delay(5);
        }

        return false;
    }

    /// <summary>The output with runs of spaces made one (the summary pads its labels).</summary>
    private static string Squeeze(string output) => System.Text.RegularExpressions.Regex.Replace(output, " {2,}", " ");
}
