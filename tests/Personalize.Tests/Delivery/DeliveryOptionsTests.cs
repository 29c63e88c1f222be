using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Personalize.Delivery;
using Personalize.Delivery.Security;
using Personalize.Delivery.Sinks;

namespace Personalize.Tests.Delivery;

public sealed class DeliveryOptionsTests
{
    [Fact]
    public void Defaults_are_documented_values()
    {
        var options = new DeliveryOptions();

        Assert.Equal(TimeSpan.FromDays(60), options.TokenLifetime);
        Assert.Equal("Reply STOP to opt out", options.SmsOptOutText);
        Assert.Equal(4, options.SmsMaxSegments);
        Assert.Equal(3, options.SinkMaxAttempts);
        Assert.Equal(TimeSpan.FromMilliseconds(200), options.SinkRetryDelay);
        Assert.Empty(options.TopicDescriptions);
        Assert.Null(options.FromAddress);
        Assert.Null(options.TokenSigningKey);
    }

    [Fact]
    public void Empty_options_report_every_required_setting_in_one_message()
    {
        var errors = new DeliveryOptions().Validate();

        Assert.Equal(6, errors.Count);
        Assert.Contains(errors, e => e.StartsWith("FromAddress", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("ListId", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("UnsubscribeUrl", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("PreferenceCenterUrl", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("UnsubscribeMailbox", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("TokenSigningKey", StringComparison.Ordinal));
    }

    [Fact]
    public void Bad_values_are_each_explained()
    {
        var errors = DeliveryFixture.Options(o =>
        {
            o.FromName = "Shop\r\nBcc: x";
            o.ListId = "not a list id";
            o.UnsubscribeUrl = new Uri("http://example.com/unsubscribe");
            o.SmsMaxSegments = 11;
            o.SmsOptOutText = " ";
            o.SinkMaxAttempts = 0;
            o.TokenLifetime = TimeSpan.Zero;
            o.TopicDescriptions["roses"] = "";
        }).Validate();

        Assert.Equal(
            [
                "FromName must be one line (no CR or LF).",
                "ListId must be a dotted name such as news.example.com (RFC 2919).",
                "UnsubscribeUrl must be an absolute https address without a fragment, such as https://example.com/unsubscribe.",
                "TokenLifetime must be positive (for example 60 days).",
                "SmsOptOutText must not be blank (for example \"Reply STOP to opt out\").",
                "SmsMaxSegments is 11; use 1 to 10.",
                "TopicDescriptions['roses'] is blank.",
                "SinkMaxAttempts is 0; use 1 to 10.",
            ],
            errors);
        Assert.Empty(DeliveryFixture.Options().Validate());
    }

    [Fact]
    public void Di_registers_the_delivery_services_and_the_host_sink()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IMessageSink>(new InMemorySink());
        services.AddPersonalizeDelivery(o => Copy(DeliveryFixture.Options(), o));
        services.AddPersonalizeDelivery(o => Copy(DeliveryFixture.Options(), o));
        using var provider = services.BuildServiceProvider();

        Assert.NotNull(provider.GetRequiredService<MessageComposer>());
        Assert.NotNull(provider.GetRequiredService<ConsentReasons>());
        Assert.NotNull(provider.GetRequiredService<MessageFooterBuilder>());
        Assert.NotNull(provider.GetRequiredService<DeliveryLinks>());
        Assert.IsType<InMemorySink>(provider.GetRequiredService<SinkWriter>().Sink);
        Assert.Same(provider.GetRequiredService<SignedTokenService>(), provider.GetRequiredService<DeliveryLinks>().Tokens);
        Assert.Single(provider.GetServices<IValidateOptions<DeliveryOptions>>());
    }

    [Fact]
    public void Di_reports_invalid_options_in_one_message()
    {
        using var provider = new ServiceCollection().AddPersonalizeDelivery(o => o.FromAddress = "news@example.com").BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<DeliveryOptions>>().Value);

        Assert.StartsWith("Personalize delivery options are invalid: ListId must be", error.Message, StringComparison.Ordinal);
        Assert.Contains("TokenSigningKey must have at least 32 characters", error.Message, StringComparison.Ordinal);
    }

    private static void Copy(DeliveryOptions from, DeliveryOptions to)
    {
        to.FromAddress = from.FromAddress;
        to.FromName = from.FromName;
        to.ListId = from.ListId;
        to.ListName = from.ListName;
        to.UnsubscribeUrl = from.UnsubscribeUrl;
        to.UnsubscribeMailbox = from.UnsubscribeMailbox;
        to.PreferenceCenterUrl = from.PreferenceCenterUrl;
        to.TokenSigningKey = from.TokenSigningKey;
    }
}
