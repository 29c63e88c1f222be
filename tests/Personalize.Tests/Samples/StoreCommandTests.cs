using System.Text.Json;
using System.Text.Json.Nodes;
using Personalize.Samples.ConsoleHost;

namespace Personalize.Tests.Samples;

/// <summary>The console's store commands: import, due, history and erase, as a user runs them.</summary>
public sealed class StoreCommandTests() : ConsoleWorkspace("pz-store-console")
{
    private const string Evening = "2026-03-15T22:00:00Z";

    [Fact]
    public void A_withdrawal_imported_tonight_stops_tomorrows_deferred_send_and_history_shows_why()
    {
        var evening = SampleConsole.Run("run", "--now", Evening, "--out", Outbox);
        Assert.Equal(0, evening.Exit);
        var history = SampleConsole.Run("history", "--customer", "c-022", "--db", Database);
        Assert.Contains("deferred  payment-failed-recovery on sms until 2026-03-16", history.Output, StringComparison.Ordinal);

        // The customer texts STOP an hour later; the CRM export carries the new evidence.
        var file = Customers(c => c["id"]!.GetValue<string>() == "c-022", c => c["consents"]!.AsArray().Add(JsonNode.Parse("""{ "channel": "sms", "action": "withdraw", "at": "2026-03-15T23:00:00Z", "source": { "kind": "channel", "detail": "SMS reply STOP" } }""")));
        var import = SampleConsole.Run("import", "--data", file, "--db", Database);
        Assert.Equal(0, import.Exit);
        Assert.Contains("0 new customers, 1 updated, 1 consent records and 0 history records added", import.Output, StringComparison.Ordinal);

        var (exit, output, _) = SampleConsole.Run("due", "--now", "2026-03-16T21:00:00Z", "--out", Outbox, "--db", Database);

        Assert.Equal(0, exit);
        Assert.Contains("dropped · consent.withdrawn_since_decision", output, StringComparison.Ordinal);
        Assert.DoesNotContain(File.ReadAllLines(Path.Combine(Outbox, "sms.jsonl")), l => l.Contains("\"customerId\":\"c-022\"", StringComparison.Ordinal));
        var after = SampleConsole.Run("history", "--customer", "c-022", "--db", Database).Output;
        Assert.Contains("withdrew sms via SMS reply STOP", after, StringComparison.Ordinal);
        Assert.Contains("dropped   payment-failed-recovery on sms: consent.withdrawn_since_decision", after, StringComparison.Ordinal);
    }

    [Fact]
    public void History_lists_consent_evidence_and_sends_in_time_order()
    {
        SampleConsole.Run("run", "--now", Evening, "--out", Outbox);

        var (exit, output, _) = SampleConsole.Run("history", "--customer", "c-010", "--db", Database);

        Assert.Equal(0, exit);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("History of c-010", lines[0], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.Contains("consent   granted email via preference center", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("sent      payment-failed-recovery on sms (service give; delivered, schedule:tick, key pz3_", StringComparison.Ordinal));
        var times = lines.Skip(1).Select(l => l.Trim()[..19]).ToList();
        Assert.Equal(times.Order(StringComparer.Ordinal), times);
    }

    [Fact]
    public void An_import_with_errors_lists_each_with_its_json_path_and_line_and_imports_nothing()
    {
        SampleConsole.Run("run", "--dry-run", "--now", Evening, "--out", Outbox); // seeds the 50 bundled customers
        var file = Path.Combine(Root, "bad.json");
        File.WriteAllText(file, """
            { "customers": [
              { "id": "n-1", "timeZone": "Europe/Berlin" },
              { "id": "n-2", "timeZone": "Mars/Olympus" },
              { "id": "n-3", "stage": "loyal" }
            ] }
            """);

        var (exit, _, error) = SampleConsole.Run("import", "--data", file, "--db", Database);

        Assert.Equal(ConsoleApp.DataError, exit);
        Assert.Contains($"{file} line 3, column 18: $.customers[1].timeZone", error, StringComparison.Ordinal);
        Assert.Contains($"{file} line 4, column 18: $.customers[2].stage", error, StringComparison.Ordinal);
        Assert.Contains("no customers loaded", error, StringComparison.Ordinal);
        Assert.Contains("no customer 'n-1'", SampleConsole.Run("history", "--customer", "n-1", "--db", Database).Error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_erased_customer_is_gone_and_their_address_cannot_be_imported_again()
    {
        SampleConsole.Run("run", "--now", Evening, "--out", Outbox);

        var (exit, output, _) = SampleConsole.Run("erase", "--customer", "c-010", "--db", Database, "--now", "2026-03-16T08:00:00Z");

        Assert.Equal(0, exit);
        Assert.Contains("Erased c-010", output, StringComparison.Ordinal);
        Assert.Contains("1 delivery log entries kept without the customer", output, StringComparison.Ordinal);
        Assert.Equal(ConsoleApp.DataError, SampleConsole.Run("history", "--customer", "c-010", "--db", Database).Exit);
        Assert.Equal(ConsoleApp.DataError, SampleConsole.Run("erase", "--customer", "c-010", "--db", Database).Exit);

        var file = Customers(c => c["id"]!.GetValue<string>() is "c-010" or "c-011");
        var import = SampleConsole.Run("import", "--data", file, "--db", Database);

        Assert.Equal(ConsoleApp.DataError, import.Exit);
        Assert.Contains("$.customers[0].contactPoints.email: this email address is on the suppression list (its customer was erased on 2026-03-16)", import.Error, StringComparison.Ordinal);
        Assert.Contains("(suppressed.erased)", import.Error, StringComparison.Ordinal);
        Assert.Contains("nothing imported", import.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("customers[1]", import.Error, StringComparison.Ordinal);
        Assert.Equal(ConsoleApp.DataError, SampleConsole.Run("history", "--customer", "c-010", "--db", Database).Exit);
    }

    [Fact]
    public void A_database_from_a_newer_release_is_refused_with_a_clear_error()
    {
        SampleConsole.Run("run", "--dry-run", "--now", Evening, "--out", Outbox);
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Database};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA user_version = 99";
            command.ExecuteNonQuery();
        }

        var (exit, _, error) = SampleConsole.Run("run", "--now", Evening, "--out", Outbox);

        Assert.Equal(ConsoleApp.DataError, exit);
        Assert.Contains("schema version 99, written by a newer release", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    /// <summary>A customers file with the bundled customers that match, each changed by <paramref name="change"/>.</summary>
    private string Customers(Func<JsonNode, bool> which, Action<JsonNode>? change = null)
    {
        var all = JsonNode.Parse(File.ReadAllText(SampleConsole.Customers))!["customers"]!.AsArray();
        var picked = new JsonArray();
        foreach (var customer in all.Where(c => which(c!)).ToList())
        {
            var copy = customer!.DeepClone();
            change?.Invoke(copy);
            picked.Add(copy);
        }

        Directory.CreateDirectory(Root);
        var file = Path.Combine(Root, "customers-" + Guid.NewGuid().ToString("N")[..6] + ".json");
        File.WriteAllText(file, new JsonObject { ["customers"] = picked }.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        return file;
    }
}
