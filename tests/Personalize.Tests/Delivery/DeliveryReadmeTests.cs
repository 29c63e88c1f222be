namespace Personalize.Tests.Delivery;

public sealed class DeliveryReadmeTests : IDisposable
{
    private readonly string _outbox = Path.Combine(Path.GetTempPath(), "pz-readme-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_outbox))
        {
            Directory.Delete(_outbox, recursive: true);
        }
    }

    [Fact]
    public async Task Delivery_snippet_runs_and_a_second_run_skips_everything()
    {
        var first = await DeliverySnippet.Run(DeliveryFixture.Customer(), _outbox, DeliveryFixture.SendAt);
        var second = await DeliverySnippet.Run(DeliveryFixture.Customer(), _outbox, DeliveryFixture.SendAt);

        Assert.Equal(2, first.Written);
        Assert.Equal(0, second.Written);
        Assert.Equal(2, second.Skipped);
        Assert.Single(Directory.GetFiles(Path.Combine(_outbox, "email"), "*.eml"));
        Assert.Single(File.ReadAllLines(Path.Combine(_outbox, "sms.jsonl")));
    }

    [Fact]
    public void Docs_show_the_delivery_snippet_exactly_as_compiled() =>
        DocSnippets.AssertShown("tests/Personalize.Tests/Delivery/DeliverySnippet.cs", "delivery", "docs/delivery.md");
}
