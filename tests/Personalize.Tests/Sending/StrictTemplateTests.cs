using Personalize.Catalog;
using Personalize.Channels;
using Personalize.Delivery.Sinks;
using Personalize.Sending;
using Personalize.Tests.Decisions;

namespace Personalize.Tests.Sending;

/// <summary>Issue 12: a catalog message can render strictly, so a blank merge field stops it for that customer.</summary>
public sealed class StrictTemplateTests
{
    private static Dictionary<string, string> Templates() => new(StringComparer.Ordinal)
    {
        ["tips/email.subject.sbn"] = "Hello {{ customer.first_name ?? \"there\" }}",
        ["tips/email.text.sbn"] = "Hi {{ customer.first_name }},\nplant roses now.\n{{ if customer.tier }}Tier {{ customer.tier }}{{ end }}\n{{ links.unsubscribe }}",
    };

    private static SendRun Run(bool strict)
    {
        var catalog = DecisionKit.Compile(DecisionKit.Engine(), b => b
            .Add("tips", m =>
            {
                m.Marketing().Topics("gardening").OnSchedule().Channel(Channel.Email, "tips/email");
                if (strict)
                {
                    m.StrictTemplates();
                }
            }));
        return new SendRun(catalog, MessageTemplates.CompileOrThrow(catalog, new SendingKit.MemoryLoader(Templates())), Trigger.Tick) { At = SendingKit.Now };
    }

    private static IEnumerable<Personalize.Customers.CustomerProfile> Customers() =>
        [SendingKit.Customer(1, personalization: true, first: Channel.Email), SendingKit.Customer(2, personalization: false, first: Channel.Email)];

    [Fact]
    public async Task A_strict_message_is_not_sent_to_a_customer_whose_merge_field_is_missing_and_the_error_says_why()
    {
        var sink = new InMemorySink();

        var summary = await SendingKit.Runner(sink, DecisionKit.Engine()).RunAsync(Run(strict: true), Customers());

        Assert.Equal(1, sink.Count);
        var error = Assert.Single(summary.Errors);
        Assert.Equal("c-0002", error.CustomerId);
        Assert.Equal(SendErrorCodes.TemplateError, error.Code);
        Assert.Equal("tips/email.text.sbn", error.Template);
        Assert.Equal(1, error.Line);
        Assert.Contains("first_name", error.Message, StringComparison.Ordinal);
        Assert.Contains("strict", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_strict_templates_the_same_message_goes_out_with_a_blank()
    {
        var sink = new InMemorySink();

        var summary = await SendingKit.Runner(sink, DecisionKit.Engine()).RunAsync(Run(strict: false), Customers());

        Assert.Equal(2, sink.Count);
        Assert.Empty(summary.Errors);
    }

    [Fact]
    public void The_catalog_file_switches_it_per_message()
    {
        var json = """
            { "messages": [
              { "id": "a", "purpose": "service", "triggers": ["schedule"], "channels": { "email": { "template": "a/email" } }, "strictTemplates": true },
              { "id": "b", "purpose": "service", "triggers": ["schedule"], "channels": { "email": { "template": "b/email" } } }
            ] }
            """;

        var catalog = CatalogJson.Read(System.Text.Encoding.UTF8.GetBytes(json));

        Assert.True(catalog.Messages.Single(m => m.Id == "a").StrictTemplates);
        Assert.False(catalog.Messages.Single(m => m.Id == "b").StrictTemplates);
    }
}
