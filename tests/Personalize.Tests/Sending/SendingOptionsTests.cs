using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Personalize.Delivery.Sinks;
using Personalize.Sending;
using Personalize.Tests.Decisions;
using Personalize.Tests.Delivery;

namespace Personalize.Tests.Sending;

public sealed class SendingOptionsTests
{
    [Fact]
    public void Defaults_are_documented_values()
    {
        var options = new SendingOptions();

        Assert.Equal("Our team", options.Brand.Name);
        Assert.Null(options.MaxDegreeOfParallelism);
        Assert.Equal(256, options.QueueCapacity);
        Assert.Equal(1000, options.MaxRecordedErrors);
        Assert.Equal(1000, options.ProgressEvery);
        Assert.Empty(options.Validate());
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var options = new SendingOptions { MaxDegreeOfParallelism = 0, QueueCapacity = 0, MaxRecordedErrors = -1, ProgressEvery = 0 };

        Assert.Equal(4, options.Validate().Count);
        var ex = Assert.Throws<ArgumentException>(() => new SendRunner(DecisionKit.Engine(), SendingKit.Renderer(), new SinkWriter(NullSink.Instance, new SinkRetryPolicy(1, TimeSpan.Zero), TimeProvider.System), options, TimeProvider.System));
        Assert.Contains("QueueCapacity", ex.Message, StringComparison.Ordinal);
        Assert.Contains("ProgressEvery", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddPersonalizeSending_registers_the_renderer_and_runner_once()
    {
        var services = new ServiceCollection()
            .AddPersonalizeDelivery(o => Copy(DeliveryFixture.Options(), o))
            .AddPersonalizeSending(o => o.Brand = new BrandInfo { Name = "Green Thumb" })
            .AddPersonalizeSending()
            .AddSingleton<IMessageSink>(new InMemorySink());
        using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IStartupValidator>().Validate();
        Assert.Same(provider.GetRequiredService<SendRunner>(), provider.GetRequiredService<SendRunner>());
        Assert.NotNull(provider.GetRequiredService<MessageRenderer>());
        Assert.Single(services, d => d.ServiceType == typeof(SendRunner));
        Assert.Equal("Green Thumb", provider.GetRequiredService<IOptions<SendingOptions>>().Value.Brand.Name);
    }

    [Fact]
    public void Invalid_options_fail_at_start_with_one_message()
    {
        var services = new ServiceCollection()
            .AddPersonalizeDelivery(o => Copy(DeliveryFixture.Options(), o))
            .AddPersonalizeSending(o =>
            {
                o.QueueCapacity = 0;
                o.ProgressEvery = 0;
            })
            .AddSingleton<IMessageSink>(new InMemorySink());
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains("QueueCapacity is 0", ex.Message, StringComparison.Ordinal);
        Assert.Contains("ProgressEvery is 0", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Templates_are_loaded_and_parsed_only_when_compiling_never_per_recipient()
    {
        var engine = DecisionKit.Engine();
        var catalog = SendingKit.Catalog(engine);
        var loader = new SendingKit.MemoryLoader(SendingKit.Templates());
        var content = MessageTemplates.CompileOrThrow(catalog, loader);
        var loads = loader.Loads;

        var summary = await SendingKit.Runner(new InMemorySink(), engine).RunAsync(new SendRun(catalog, content, Personalize.Catalog.Trigger.Tick) { At = SendingKit.Now }, SendingKit.Customers(50));

        Assert.Equal(50, summary.Messages);
        Assert.Equal(loads, loader.Loads);
    }

    private static void Copy(Personalize.Delivery.DeliveryOptions from, Personalize.Delivery.DeliveryOptions to)
    {
        to.FromAddress = from.FromAddress;
        to.ListId = from.ListId;
        to.UnsubscribeUrl = from.UnsubscribeUrl;
        to.UnsubscribeMailbox = from.UnsubscribeMailbox;
        to.PreferenceCenterUrl = from.PreferenceCenterUrl;
        to.TokenSigningKey = from.TokenSigningKey;
    }
}
