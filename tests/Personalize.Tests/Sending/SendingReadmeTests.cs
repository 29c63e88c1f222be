using Personalize.Channels;
using Personalize.Serialization;

namespace Personalize.Tests.Sending;

public sealed class SendingReadmeTests : IDisposable
{
    private readonly string _outbox = Path.Combine(Path.GetTempPath(), "pz-readme-send-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_outbox))
        {
            Directory.Delete(_outbox, recursive: true);
        }
    }

    [Fact]
    public async Task Sending_snippet_runs_the_bundled_campaign_and_a_second_run_skips_everything()
    {
        var customers = new CustomerJson(ChannelRegistryWithWhatsApp()).ReadCustomers(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "TestAssets", "customers.json")));
        var catalog = Path.Combine(AppContext.BaseDirectory, "TestAssets", "catalog.json");
        var templates = Path.Combine(AppContext.BaseDirectory, "data", "templates");
        var at = new DateTimeOffset(2026, 3, 15, 22, 0, 0, TimeSpan.Zero);

        var first = await SendingSnippet.Run(customers, catalog, templates, _outbox, at);
        var second = await SendingSnippet.Run(customers, catalog, templates, _outbox, at);

        Assert.Equal(customers.Count, first.Totals.Processed);
        Assert.Equal(0, first.Totals.Errors);
        Assert.True(first.Messages > 5);
        Assert.Equal(0, second.Messages);
        Assert.Equal(first.Messages, second.Totals.AlreadyWritten);
    }

    [Fact]
    public void Docs_show_the_sending_snippet_exactly_as_compiled() =>
        DocSnippets.AssertShown("tests/Personalize.Tests/Sending/SendingSnippet.cs", "sending", "docs/sending.md");

    private static ChannelRegistry ChannelRegistryWithWhatsApp() => ChannelRegistry.Create([new ChannelDefinition(new Channel("whatsapp"), "WhatsApp", ContactPointKind.Phone, respectsTiming: true)]);
}
