using Personalize.Channels;
using Personalize.Customers;
using Personalize.Samples.ConsoleHost;
using Personalize.Tests.Samples;
using static Personalize.Tests.Decisions.DecisionKit;

namespace Personalize.Tests.Decisions;

/// <summary>The decision snippet of the docs and the console sample's <c>explain</c> command, as a user runs them.</summary>
public sealed class DecisionReadmeTests
{
    private static readonly string Data = SampleConsole.Customers;
    private static readonly string CatalogFile = SampleConsole.Catalog;

    [Fact]
    public void Readme_snippet_decides_and_explains()
    {
        var customer = Customer(preferences: new ContactPreferences { ChannelRanking = [Channel.Sms, Channel.Email] });

        var (decision, text) = DecisionSnippet.Run(customer, Now);

        Assert.Equal("order-shipped", decision.Winners[0].MessageId);
        Assert.Equal(Channel.Sms, decision.Winners[0].Channel);
        Assert.StartsWith("Decision for c-1 on event:order_shipped at 2026-03-11 10:00 UTC", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Docs_show_the_decision_snippet_exactly_as_compiled() =>
        DocSnippets.AssertShown("tests/Personalize.Tests/Decisions/DecisionSnippet.cs", "decide", "docs/decision-engine.md");

    [Fact]
    public void Explain_puts_service_recovery_first_for_a_customer_with_an_open_complaint()
    {
        var (exit, output, error) = SampleConsole.Run("explain", "--customer", "c-005", "--now", "2026-03-15T21:00:00Z", "--data", Data, "--catalog", CatalogFile);

        Assert.Equal(0, exit);
        Assert.Empty(error);
        Assert.StartsWith("Decision for c-005 on schedule:tick at 2026-03-15 21:00 UTC (Sun 15 March 2026 22:00 Europe/Berlin)", output, StringComparison.Ordinal);
        Assert.Contains("Winner: complaint-follow-up on Phone (template complaint/call-script), deferred to Mon 16 March 2026 08:00 Europe/Berlin", output, StringComparison.Ordinal);
        Assert.Contains("service.open_complaint", output, StringComparison.Ordinal);
        Assert.Contains("Candidates (21):", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Explain_takes_a_trigger_and_prints_json()
    {
        var (exit, output, _) = SampleConsole.Run("explain", "--customer", "c-001", "--trigger", "event:order_shipped", "--now", "2026-03-15T21:00:00Z", "--data", Data, "--catalog", CatalogFile, "--json");

        Assert.Equal(0, exit);
        Assert.Contains("\"trigger\": \"event:order_shipped\"", output, StringComparison.Ordinal);
        Assert.Contains("\"messageId\": \"order-shipped\"", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "explain" }, "explain needs --customer ID")]
    [InlineData(new[] { "explain", "--customer", "c-001", "--trigger", "order_shipped" }, "--trigger 'order_shipped' is not a trigger")]
    public void Explain_usage_errors_say_how_to_fix_them(string[] args, string message)
    {
        var (exit, _, error) = SampleConsole.Run([.. args, "--data", Data, "--catalog", CatalogFile]);

        Assert.Equal(ConsoleApp.UsageError, exit);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Explain_reports_an_unknown_customer_and_a_bad_catalog_as_data_errors()
    {
        var (exit, _, error) = SampleConsole.Run("explain", "--customer", "nobody", "--data", Data, "--catalog", CatalogFile);
        Assert.Equal(ConsoleApp.DataError, exit);
        Assert.Contains("no customer 'nobody'", error, StringComparison.Ordinal);

        var bad = Path.Combine(Path.GetTempPath(), $"personalize-catalog-{Guid.NewGuid():N}.json");
        File.WriteAllText(bad, """{ "messages": [ { "id": "x", "purpose": "marketing", "triggers": ["schedule"], "condition": "customer.tier ==", "channels": { "fax": { "template": "t" } } } ] }""");
        try
        {
            var (badExit, _, badError) = SampleConsole.Run("explain", "--customer", "c-001", "--data", Data, "--catalog", bad);
            Assert.Equal(ConsoleApp.DataError, badExit);
            Assert.Contains("2 errors in the catalog", badError, StringComparison.Ordinal);
            Assert.Contains("$.messages[0].condition (1,", badError, StringComparison.Ordinal);
            Assert.Contains("$.messages[0].channels.fax: Unknown channel 'fax'", badError, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(bad);
        }
    }
}
