using Personalize.Channels;
using Personalize.Consent;
using Personalize.Delivery;
using Personalize.Delivery.Security;

namespace Personalize.Tests.Delivery;

public sealed class ConsentReasonsTests
{
    private static ConsentReasons Reasons() => new(DeliveryFixture.Options(o => o.TopicDescriptions["gardening"] = "weekly gardening tips"));

    [Fact]
    public void Topic_subscription_is_explained_with_its_date_in_the_customer_zone_and_source()
    {
        // Granted 2 March 20:00 UTC = 3 March 09:00 in Auckland.
        var sentence = Reasons().Explain(DeliveryFixture.Customer(), Channel.Email, ContactPurpose.Marketing, "Gardening");

        Assert.Equal("You get this because you chose weekly gardening tips on 3 March 2026 via our website.", sentence);
    }

    [Fact]
    public void The_sentence_is_english_whatever_the_thread_culture()
    {
        var previous = System.Globalization.CultureInfo.CurrentCulture;
        System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
        try
        {
            Assert.Equal("You get this because you chose weekly gardening tips on 3 March 2026 via our website.", Reasons().Explain(DeliveryFixture.Customer(), Channel.Email, ContactPurpose.Marketing, "gardening"));
            Assert.Equal("You get this because you opted in to marketing messages by email on 3 March 2026 via our website.", Reasons().Explain(DeliveryFixture.Customer(), Channel.Email, ContactPurpose.Marketing));
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = previous;
        }
    }

    [Fact]
    public void Topics_without_a_description_use_their_name()
    {
        var customer = DeliveryFixture.Customer() with
        {
            Consents = DeliveryFixture.Customer().Consents.Append(ConsentRecord.Grant(ConsentScope.ForTopic("roses"), new DateTimeOffset(2026, 1, 10, 0, 0, 0, TimeSpan.Zero), ConsentSource.Agent("shop counter"))),
        };

        Assert.Equal("You get this because you chose roses on 10 January 2026 via shop counter.", Reasons().Explain(customer, Channel.Email, ContactPurpose.Marketing, "roses"));
    }

    [Fact]
    public void Without_a_topic_the_channel_opt_in_explains_it()
    {
        Assert.Equal(
            "You get this because you opted in to marketing messages by email on 3 March 2026 via our website.",
            Reasons().Explain(DeliveryFixture.Customer(), Channel.Email, ContactPurpose.Marketing));
    }

    [Fact]
    public void A_withdrawn_topic_falls_back_to_the_channel_opt_in()
    {
        var customer = DeliveryFixture.Customer();
        customer = customer with { Consents = customer.Consents.Append(ConsentRecord.Withdraw(ConsentScope.ForTopic("gardening"), new DateTimeOffset(2026, 3, 10, 0, 0, 0, TimeSpan.Zero), ConsentSource.Form())) };

        Assert.StartsWith("You get this because you opted in to marketing messages by email", Reasons().Explain(customer, Channel.Email, ContactPurpose.Marketing, "gardening"), StringComparison.Ordinal);
    }

    [Fact]
    public void Channel_wide_opt_in_keeps_acronyms()
    {
        var customer = DeliveryFixture.Customer() with
        {
            Consents = new ConsentLedger([ConsentRecord.Grant(ConsentScope.ForChannel(Channel.Sms), new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero), ConsentSource.FromChannel("SMS keyword JOIN"))]),
        };

        Assert.Equal(
            "You get this because you opted in to messages by SMS on 1 February 2026 via SMS keyword JOIN.",
            Reasons().Explain(customer, Channel.Sms, ContactPurpose.Relationship));
    }

    [Fact]
    public void No_record_gives_neutral_wording()
    {
        var customer = DeliveryFixture.Customer() with { Consents = ConsentLedger.Empty };

        Assert.Equal("You get this because you are a customer of ours.", Reasons().Explain(customer, Channel.Email, ContactPurpose.Marketing, "gardening"));
        Assert.Equal("You get this because it is about your account or an order with us.", Reasons().Explain(customer, Channel.Email, ContactPurpose.Service));
    }

    [Fact]
    public void A_pending_double_opt_in_does_not_explain_a_message()
    {
        var customer = DeliveryFixture.Customer() with
        {
            Consents = new ConsentLedger([ConsentRecord.Grant(ConsentScope.ForChannel(Channel.Email, ContactPurpose.Marketing), DeliveryFixture.SendAt.AddDays(-1), ConsentSource.Form("sign-up"), optIn: OptInMethod.Double)]),
        };

        Assert.Equal("You get this because you are a customer of ours.", Reasons().Explain(customer, Channel.Email, ContactPurpose.Marketing));
    }

    [Fact]
    public void Footer_has_signed_links_and_the_sentence_and_no_unsubscribe_for_service()
    {
        var options = DeliveryFixture.Options(o => o.TopicDescriptions["gardening"] = "weekly gardening tips");
        var tokens = new SignedTokenService(options, new ManualTimeProvider(DeliveryFixture.SendAt));
        var builder = new MessageFooterBuilder(new DeliveryLinks(options, tokens), new ConsentReasons(options));

        var marketing = builder.Build(DeliveryFixture.Request(), Channel.Email, "gardening");
        var service = builder.Build(DeliveryFixture.Request(ContactPurpose.Service), Channel.Email);

        Assert.Equal("You get this because you chose weekly gardening tips on 3 March 2026 via our website.", marketing.WhyYouGetThis);
        var unsubscribe = marketing.UnsubscribeUrl!;
        Assert.True(tokens.Verify(unsubscribe[(unsubscribe.IndexOf('=', StringComparison.Ordinal) + 1)..], "unsubscribe:email:marketing").IsValid);
        Assert.True(tokens.Verify(marketing.PreferenceCenterUrl[(marketing.PreferenceCenterUrl.IndexOf('=', StringComparison.Ordinal) + 1)..], TokenScopes.Preferences).IsValid);
        Assert.Null(service.UnsubscribeUrl);
        Assert.StartsWith("https://example.com/preferences?token=", service.PreferenceCenterUrl, StringComparison.Ordinal);
    }
}
