using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Personalize.Decisions;
using Personalize.Delivery;
using Personalize.Delivery.Sinks;
using Personalize.Events;
using Personalize.Sending;
using static Personalize.Hosting.Tests.HostKit;

namespace Personalize.Hosting.Tests;

public sealed class ConfigurationTests
{
    [Fact]
    public void Every_options_class_is_bound_from_its_section()
    {
        using var folder = new TempFolder();
        using var host = Build(
            Settings(
                folder.File("store.db"),
                ("Personalize:PendingOptInExpiry", "5.00:00:00"),
                ("Personalize:Decisions:MaxWinners", "2"),
                ("Personalize:Decisions:DisabledRules:0", "give_before_ask"),
                ("Personalize:Decisions:TierWeights:best_friends:Purposes:Relationship", "2"),
                ("Personalize:Decisions:TierWeights:best_friends:Kinds:Ask", "0.5"),
                ("Personalize:Delivery:SinkMaxAttempts", "5"),
                ("Personalize:Sending:PageSize", "77"),
                ("Personalize:Sending:Brand:Url", "https://greenthumb.example"),
                ("Personalize:Events:MaxTriggerAge", "1.00:00:00"),
                ("Personalize:Occasions:Birthday", "false"),
                ("Personalize:Worker:Interval", "00:00:30"),
                ("Personalize:Worker:Tick", "false")),
            new InMemorySink());
        var services = host.Services;

        Assert.Equal(TimeSpan.FromDays(5), services.GetRequiredService<IOptions<PersonalizeOptions>>().Value.PendingOptInExpiry);
        var decisions = services.GetRequiredService<IOptions<DecisionOptions>>().Value;
        Assert.Equal(2, decisions.MaxWinners);
        Assert.Contains("give_before_ask", decisions.DisabledRules);
        Assert.Equal(2, decisions.TierWeights["best_friends"].Purposes[ContactPurpose.Relationship]);
        Assert.Equal(0.5, decisions.TierWeights["best_friends"].Kinds[MessageKind.Ask]);
        Assert.Equal(5, services.GetRequiredService<IOptions<DeliveryOptions>>().Value.SinkMaxAttempts);
        var sending = services.GetRequiredService<IOptions<SendingOptions>>().Value;
        Assert.Equal(77, sending.PageSize);
        Assert.Equal("Green Thumb Garden Co.", sending.Brand.Name);
        Assert.Equal("https://greenthumb.example", sending.Brand.Url);
        Assert.Equal(TimeSpan.FromDays(1), services.GetRequiredService<IOptions<EventOptions>>().Value.MaxTriggerAge);
        Assert.False(services.GetRequiredService<IOptions<LikeAFriendOptions>>().Value.Birthday);
        var worker = services.GetRequiredService<IOptions<PersonalizeWorkerOptions>>().Value;
        Assert.Equal(TimeSpan.FromSeconds(30), worker.Interval);
        Assert.False(worker.Tick);
    }

    [Theory]
    [InlineData("Personalize:Sending:PageSiz", "5", "Personalize:Sending:PageSiz is not a setting of SendingOptions")]
    [InlineData("Personalize:Sendng:PageSize", "5", "Personalize:Sendng is not a setting of PersonalizeOptions")]
    [InlineData("Personalize:Sending:PageSize", "0", "Personalize:Sending: PageSize is 0; use 1 or more.")]
    [InlineData("Personalize:Delivery:TokenSigningKey", "short", "Personalize:Delivery: TokenSigningKey must have at least")]
    [InlineData("Personalize:Decisions:MaxWinners", "0", "Personalize:Decisions: ")]
    [InlineData("Personalize:Decisions:TierWeights:new:Purposes:Marketing", "0", "Personalize:Decisions: TierWeights['new'].Purposes[Marketing] is 0;")]
    [InlineData("Personalize:Occasions:GreetWithin", "-1.00:00:00", "Personalize:Occasions: GreetWithin is -1.00:00:00; use a positive time.")]
    [InlineData("Personalize:Events:BatchSize", "0", "Personalize:Events: BatchSize is 0; use 1 or more.")]
    [InlineData("Personalize:Worker:Interval", "00:00:00.5", "Personalize:Worker: Interval is 00:00:00.5000000; use from 00:00:01")]
    [InlineData("Personalize:Worker:CatalogFile", "/nowhere/catalog.json", "Personalize:Worker: CatalogFile '/nowhere/catalog.json' does not exist")]
    public async Task A_bad_setting_stops_the_start_with_a_message_naming_its_key(string key, string value, string expected)
    {
        using var folder = new TempFolder();
        using var host = Build(Settings(folder.File("store.db"), (key, value)), new InMemorySink());

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_value_that_does_not_convert_names_its_key()
    {
        using var folder = new TempFolder();
        using var host = Build(Settings(folder.File("store.db"), ("Personalize:Worker:Interval", "every minute")), new InMemorySink());

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync());

        Assert.Contains("Personalize:Worker:Interval", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_worker_without_a_catalog_says_which_settings_to_set()
    {
        using var folder = new TempFolder();
        using var host = Build(Settings(folder.File("store.db"), ("Personalize:Worker:CatalogFile", null)), new InMemorySink());

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync());

        Assert.Contains("Personalize:Worker:CatalogFile", error.Message, StringComparison.Ordinal);
    }
}
