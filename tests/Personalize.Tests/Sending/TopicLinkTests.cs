using Personalize.Catalog;
using Personalize.Channels;
using Personalize.Channels.Email;
using Personalize.Delivery;
using Personalize.Delivery.Security;
using Personalize.Delivery.Sinks;
using Personalize.Sending;
using Personalize.Tests.Decisions;
using Personalize.Tests.Delivery;

namespace Personalize.Tests.Sending;

/// <summary><c>links.unsubscribe_topic</c>: a template can offer "no more of this topic" beside the channel unsubscribe.</summary>
public sealed class TopicLinkTests
{
    [Fact]
    public async Task A_marketing_template_gets_a_signed_unsubscribe_link_for_its_topic_and_a_service_template_gets_none()
    {
        var templates = SendingKit.Templates();
        templates["tips/email.text.sbn"] = "No more gardening tips: {{ links.unsubscribe_topic }}";
        templates["notice/email.text.sbn"] = "Your account changed. [{{ links.unsubscribe_topic ?? \"none\" }}]";
        var engine = DecisionKit.Engine();
        var catalog = SendingKit.Catalog(engine);
        var content = SendingKit.Content(catalog, templates);
        var sink = new InMemorySink();
        var runner = SendingKit.Runner(sink, engine);

        await runner.RunAsync(new SendRun(catalog, content, Trigger.Tick) { At = SendingKit.Now }, [SendingKit.Customer(0, first: Channel.Email)]);
        await runner.RunAsync(new SendRun(catalog, content, Trigger.Event("account_changed")) { At = SendingKit.Now }, [SendingKit.Customer(1, first: Channel.Email)]);

        var tips = ((EmailContent)sink.Messages.Single(m => m.MessageId == "tips").Content).TextBody.Split('\n')[0];
        var link = new Uri(tips["No more gardening tips: ".Length..].Trim());
        Assert.Equal(DeliveryFixture.Options().UnsubscribeUrl!.AbsolutePath, link.AbsolutePath);
        var token = Uri.UnescapeDataString(link.Query[(link.Query.IndexOf("token=", StringComparison.Ordinal) + 6)..]);
        var tokens = new SignedTokenService(DeliveryFixture.Options(), new ManualTimeProvider(SendingKit.Now));
        Assert.True(tokens.TryVerify(token, TokenScopes.UnsubscribeTopic("gardening"), out var customerId));
        Assert.Equal("c-0000", customerId);
        Assert.False(tokens.TryVerify(token, TokenScopes.Unsubscribe(Channel.Email, ContactPurpose.Marketing), out _));
        Assert.Equal("Your account changed. [none]", ((EmailContent)sink.Messages.Single(m => m.MessageId == "notice").Content).TextBody.Split('\n')[0]);
    }
}
