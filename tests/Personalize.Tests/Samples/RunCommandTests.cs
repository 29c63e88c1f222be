using System.Text.Json;
using Personalize.Samples.ConsoleHost;

namespace Personalize.Tests.Samples;

/// <summary>The console host's <c>run</c> and <c>preview</c> commands, as a user runs them.</summary>
public sealed class RunCommandTests : IDisposable
{
    private const string Now = "2026-03-15T22:00:00Z";
    private static readonly string Data = SampleConsole.Customers;
    private readonly string _root;
    private readonly string _outbox;

    public RunCommandTests()
    {
        _root = Path.Combine(Path.GetTempPath(), "pz-console-" + Guid.NewGuid().ToString("N"));
        _outbox = Path.Combine(_root, "outbox");
    }

    /// <summary>The database beside the outbox, where the console puts it by default.</summary>
    private string Database => Path.Combine(_root, "personalize.db");

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private static long Row(string output, string label)
    {
        var line = output.Split('\n').Single(l => l.StartsWith(label + "  ", StringComparison.Ordinal) || l.StartsWith(label + " ", StringComparison.Ordinal) && char.IsDigit(l.TrimEnd()[^1]));
        return long.Parse(line[label.Length..].Trim().Replace(",", string.Empty, StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture);
    }

    private int OutboxCount()
    {
        var emails = Directory.Exists(Path.Combine(_outbox, "email")) ? Directory.GetFiles(Path.Combine(_outbox, "email"), "*.eml").Length : 0;
        var lines = Directory.GetFiles(_outbox, "*.jsonl").Sum(f => File.ReadAllLines(f).Count(l => l.Length > 0));
        return emails + lines;
    }

    [Fact]
    public void Run_is_the_default_command_and_sends_the_bundled_campaign_into_the_outbox_with_sqlite_as_memory()
    {
        var (exit, output, error) = SampleConsole.Run("--now", Now, "--out", _outbox);

        Assert.Equal(0, exit);
        Assert.Equal(string.Empty, error);
        Assert.StartsWith($"Seeded {Database} with 50 customers from customers.json (first use).", output, StringComparison.Ordinal);
        Assert.Contains("Run: schedule:tick at 2026-03-15 22:00:00 UTC, 50 customers in personalize.db, 21 messages", output, StringComparison.Ordinal);
        Assert.Contains($"Store: {Database}", output, StringComparison.Ordinal);
        Assert.Equal(50, Row(output, "customers processed"));
        Assert.Equal(0, Row(output, "errors"));
        var sent = Row(output, "sent · total");
        Assert.True(sent > 10, output);
        Assert.True(Row(output, "deferred (scheduled for later)") > 0, output);
        Assert.Equal(sent, OutboxCount()); // deferred messages are held in the store, not written
        Assert.True(Row(output, "sent · email") > 0);
        var eml = Directory.GetFiles(Path.Combine(_outbox, "email"), "*.eml");
        Assert.All(eml, f => Assert.Contains("List-Unsubscribe", File.ReadAllText(f), StringComparison.Ordinal));
        Assert.False(File.Exists(Path.Combine(_outbox, "run-state.json")));
    }

    [Fact]
    public void Running_again_at_the_same_instant_sends_nothing_and_says_so()
    {
        var first = SampleConsole.Run("run", "--now", Now, "--out", _outbox);
        var count = OutboxCount();

        var (exit, output, _) = SampleConsole.Run("run", "--now", Now, "--out", _outbox);

        Assert.Equal(0, first.Exit);
        Assert.Equal(0, exit);
        Assert.DoesNotContain("Seeded", output, StringComparison.Ordinal);
        Assert.Contains($"Nothing to send: the schedule:tick run at 2026-03-15 22:00:00 UTC already completed ({Row(first.Output, "sent · total")} sent, {Row(first.Output, "deferred (scheduled for later)")} deferred).", output, StringComparison.Ordinal);
        Assert.Equal(count, OutboxCount());
        Assert.Equal(0, Row(output, "customers processed"));
    }

    [Fact]
    public void A_second_run_ten_seconds_later_respects_every_cap_of_the_first()
    {
        var first = SampleConsole.Run("run", "--now", Now, "--out", _outbox);
        var smsBefore = File.ReadAllLines(Path.Combine(_outbox, "sms.jsonl"));

        var (exit, output, _) = SampleConsole.Run("run", "--now", "2026-03-15T22:00:10Z", "--out", _outbox);

        Assert.Equal(0, first.Exit);
        Assert.Equal(0, exit);
        Assert.Equal(0, Row(output, "sent · total"));

        // c-010's payment-failed SMS (once per 3 days) went out once, not twice.
        var sms = File.ReadAllLines(Path.Combine(_outbox, "sms.jsonl"));
        Assert.Equal(smsBefore, sms);
        Assert.Single(sms, l => l.Contains("\"customerId\":\"c-010\"", StringComparison.Ordinal) && l.Contains("payment-failed", StringComparison.Ordinal));
    }

    [Fact]
    public void A_later_now_sends_the_deferred_messages_that_became_due()
    {
        var evening = SampleConsole.Run("run", "--now", Now, "--out", _outbox);
        var deferred = Row(evening.Output, "deferred (scheduled for later)");
        var before = OutboxCount();

        var (exit, output, _) = SampleConsole.Run("run", "--now", "2026-03-16T21:00:00Z", "--out", _outbox);

        Assert.Equal(0, exit);
        var due = Row(output, "due sends sent");
        Assert.True(due > 0 && due <= deferred, output);
        Assert.Equal(before + due + Row(output, "sent · total"), OutboxCount());
    }

    [Fact]
    public async Task An_unfinished_run_resumes_at_its_own_instant()
    {
        using (var store = Personalize.Sqlite.SqlitePersonalizeStore.Open(Database))
        {
            var at = DateTimeOffset.Parse(Now, System.Globalization.CultureInfo.InvariantCulture);
            await store.SaveRunAsync(new Personalize.Storage.RunRecord { Id = Personalize.Storage.RunRecord.CreateId("schedule:tick", at), Trigger = "schedule:tick", At = at, StartedAt = at, UpdatedAt = at });
        }

        var (exit, output, _) = SampleConsole.Run("run", "--out", _outbox);

        Assert.Equal(0, exit);
        Assert.Contains("Resuming the unfinished run of 2026-03-15 22:00:00 UTC", output, StringComparison.Ordinal);
        var again = SampleConsole.Run("run", "--now", Now, "--out", _outbox).Output;
        Assert.Contains("Nothing to send", again, StringComparison.Ordinal);
    }

    [Fact]
    public void Dry_run_writes_nothing()
    {
        var (exit, output, _) = SampleConsole.Run("run", "--dry-run", "--now", Now, "--out", _outbox);

        Assert.Equal(0, exit);
        Assert.Contains("Dry run: decided and rendered only; nothing is recorded, scheduled or handed to a sink.", output, StringComparison.Ordinal);
        Assert.True(Row(output, "would send · total") > 0);
        Assert.True(Row(output, "would defer (nothing is scheduled in a dry run)") > 0);
        Assert.DoesNotMatch(@"\bsent\b|\bwritten\b|deferred \(", output);
        Assert.False(Directory.Exists(_outbox));
    }

    [Fact]
    public void Synthetic_customers_are_deterministic()
    {
        static string Counts(string output) => string.Join("\n", output.Split('\n').Where(l => !l.StartsWith("elapsed", StringComparison.Ordinal) && !l.StartsWith("processed ", StringComparison.Ordinal) && !l.StartsWith("messages per second", StringComparison.Ordinal) && !l.StartsWith("Imported", StringComparison.Ordinal)));

        var first = SampleConsole.Run("run", "--customers", "3000", "--dry-run", "--now", Now, "--out", _outbox);
        var second = SampleConsole.Run("run", "--customers", "3000", "--dry-run", "--now", Now, "--out", _outbox);

        Assert.Equal(0, first.Exit);
        Assert.Contains("Imported 3,000 synthetic customers (Bogus, seed", first.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Imported", second.Output, StringComparison.Ordinal);
        Assert.Contains("3,000 synthetic customers (Bogus, seed", second.Output, StringComparison.Ordinal);
        Assert.Equal(3000, Row(first.Output, "customers processed"));
        Assert.Equal(0, Row(first.Output, "errors"));
        Assert.True(Row(first.Output, "would send · email") > 100);
        Assert.Equal(Counts(first.Output), Counts(second.Output));
    }

    [Fact]
    public void Preview_renders_personal_wording_with_consent_and_neutral_wording_without()
    {
        var personal = SampleConsole.Run("preview", "--customer", "c-001", "--message", "spring-sale", "--channel", "email", "--now", Now);
        var neutral = SampleConsole.Run("preview", "--customer", "c-002", "--message", "spring-sale", "--channel", "email", "--now", Now);

        Assert.Equal(0, personal.Exit);
        Assert.Contains("Subject:   Aroha, the spring sale is here: up to 30% off", personal.Output, StringComparison.Ordinal);
        Assert.Contains("Rain barrel 200 L: 79.00 (was 99.00)", personal.Output, StringComparison.Ordinal);
        Assert.Equal(0, neutral.Exit);
        Assert.Contains("no consent to personalization", neutral.Output, StringComparison.Ordinal);
        Assert.Contains("Subject:   Gardener, the spring sale is here", neutral.Output, StringComparison.Ordinal);
        Assert.Contains("Hi there,", neutral.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Mele", neutral.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("c-001")]
    [InlineData("c-002")]
    [InlineData("c-006")]
    public void Every_bundled_template_renders(string customer)
    {
        using var catalog = JsonDocument.Parse(File.ReadAllText(SampleConsole.Catalog));
        var rendered = 0;
        foreach (var message in catalog.RootElement.GetProperty("messages").EnumerateArray())
        {
            foreach (var channel in message.GetProperty("channels").EnumerateObject())
            {
                var (exit, output, error) = SampleConsole.Run("preview", "--customer", customer, "--message", message.GetProperty("id").GetString()!, "--channel", channel.Name, "--now", Now);
                if (exit != 0)
                {
                    // Only a missing contact point may stop a preview (the customer has no phone, device or address).
                    Assert.Contains("content.contact_point_missing", error, StringComparison.Ordinal);
                    continue;
                }

                Assert.DoesNotContain("{{", output, StringComparison.Ordinal);
                Assert.DoesNotContain("{%", output, StringComparison.Ordinal);
                rendered++;
            }
        }

        Assert.True(rendered >= 20, $"{rendered} rendered");
    }

    [Fact]
    public void Preview_needs_customer_message_and_channel()
    {
        var (exit, _, error) = SampleConsole.Run("preview", "--customer", "c-001");

        Assert.Equal(ConsoleApp.UsageError, exit);
        Assert.Contains("preview needs --customer ID --message ID --channel CHANNEL", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_template_is_reported_with_file_line_and_column_and_nothing_runs()
    {
        var templates = Path.Combine(_outbox, "templates");
        CopyDirectory(Path.Combine(AppContext.BaseDirectory, "data", "templates"), templates);
        File.WriteAllText(Path.Combine(templates, "welcome", "push.body.sbn"), "Welcome!\n{{ for x in 1..3 }}{{ x }}");
        File.Delete(Path.Combine(templates, "order-shipped", "sms.body.liquid"));

        var (exit, output, error) = SampleConsole.Run("run", "--now", Now, "--out", Path.Combine(_outbox, "out"), "--templates", templates);

        Assert.Equal(ConsoleApp.DataError, exit);
        Assert.Equal(string.Empty, output);
        Assert.Contains($"{Path.Combine(templates, "welcome/push.body.sbn")} line 2, column", error, StringComparison.Ordinal);
        Assert.Contains($"{Path.Combine(templates, "order-shipped/sms.body.sbn")}: Missing template", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_outbox, "out")));
    }

    [Fact]
    public void Customers_whose_messages_fail_to_render_are_listed_and_the_run_exits_with_3()
    {
        var templates = Path.Combine(_outbox, "templates");
        CopyDirectory(Path.Combine(AppContext.BaseDirectory, "data", "templates"), templates);
        foreach (var file in Directory.GetFiles(templates, "*.*", SearchOption.AllDirectories))
        {
            File.Delete(file);
            var name = Path.GetFileName(file);
            File.WriteAllText(Path.Combine(Path.GetDirectoryName(file)!, name[..name.LastIndexOf('.')] + ".sbn"), "{{ customer.id | string.pad_left 2000000000 }}");
        }

        var (exit, output, error) = SampleConsole.Run("run", "--now", Now, "--out", Path.Combine(_outbox, "out"), "--templates", templates);

        Assert.Equal(ConsoleApp.PartialFailure, exit);
        Assert.Equal(50, Row(output, "customers processed"));
        Assert.True(Row(output, "errors") > 0, output);
        Assert.Contains("error: ", error, StringComparison.Ordinal);
        Assert.Contains("MaxStringLength", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_catalog_is_reported_with_file_and_line()
    {
        Directory.CreateDirectory(_outbox);
        var file = Path.Combine(_outbox, "catalog.json");
        File.WriteAllText(file, "{\n  \"messages\": [\n    { \"id\": \"x\", \"purpose\": \"marketing\", \"triggers\": [\"schedule\"],\n      \"channels\": { \"fax\": { \"template\": \"x/fax\" } } }\n  ]\n}\n");

        var (exit, _, error) = SampleConsole.Run("run", "--now", Now, "--out", _outbox, "--catalog", file);

        Assert.Equal(ConsoleApp.DataError, exit);
        Assert.Contains($"{file} line 4, column 21: $.messages[0].channels.fax", error, StringComparison.Ordinal);
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
