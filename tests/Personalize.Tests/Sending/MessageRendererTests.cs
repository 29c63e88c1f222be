using Personalize.Catalog;
using Personalize.Channels;
using Personalize.Channels.Email;
using Personalize.Channels.Sms;
using Personalize.Delivery;
using Personalize.Delivery.Security;
using Personalize.Sending;
using Personalize.Templates;
using Personalize.Tests.Decisions;
using Personalize.Tests.Delivery;

namespace Personalize.Tests.Sending;

public sealed class MessageRendererTests
{
    private static (CompiledCatalog Catalog, CompiledTemplates Content) Setup(Dictionary<string, string>? templates = null)
    {
        var catalog = SendingKit.Catalog(DecisionKit.Engine());
        return (catalog, SendingKit.Content(catalog, templates));
    }

    private static OutgoingMessage Render(CompiledCatalog catalog, CompiledTemplates content, bool personalization, Channel channel, string messageId = "tips")
    {
        var message = catalog.Find(messageId)!;
        var reference = message.ChannelFor(channel)!.Template;
        return SendingKit.Renderer().Render(content, SendingKit.Customer(7, personalization), message, channel, reference, "schedule", SendingKit.Now);
    }

    [Fact]
    public void Email_parts_render_with_the_customer_brand_links_and_why_sentence()
    {
        var (catalog, content) = Setup();

        var message = Render(catalog, content, personalization: true, Channel.Email);

        var email = Assert.IsType<EmailContent>(message.Content);
        Assert.Equal("Ada7, this week in the garden", email.Subject);
        Assert.Equal("Three things to plant now", email.Preheader);
        Assert.Contains("<li>roses</li><li>tulips</li>", email.HtmlBody, StringComparison.Ordinal);
        Assert.StartsWith("Hi Ada7,", email.TextBody, StringComparison.Ordinal);
        Assert.EndsWith("Green Thumb", email.TextBody, StringComparison.Ordinal);
        Assert.Contains("You get this because", email.TextBody, StringComparison.Ordinal);
        Assert.Equal("a@example.com", message.Recipient);
        Assert.Equal(IdempotencyKey.Create("schedule", "c-0007", "tips", SendingKit.Now), message.IdempotencyKey);
        Assert.NotNull(message.GetHeader("List-Unsubscribe"));
    }

    [Fact]
    public void Both_email_parts_loop_over_each_customers_own_recommendations_one_customer_after_another()
    {
        // The HTML and text parts loop over the same attribute (one value per message, its items normalized once); the
        // next customer on the same thread, a changed list, or the same list as a new value, shows its own items.
        var templates = SendingKit.Templates();
        templates["tips/email.html.sbn"] = "<ul>{{ for p in customer.recommendations }}<li>{{ p.name }} {{ p.price }}</li>{{ end }}</ul>{{ for p in customer.recommendations }}{{ p.name | string.upcase }};{{ end }}";
        templates["tips/email.text.sbn"] = "{{ for p in customer.recommendations }}- {{ p.name }}: {{ p.price }}\n{{ end }}{{ customer.recommendations | array.size }} picks";
        var (catalog, content) = Setup(templates);
        var message = catalog.Find("tips")!;
        var renderer = SendingKit.Renderer();
        EmailContent Email(global::Personalize.Customers.CustomerProfile customer)
            => (EmailContent)renderer.Render(content, customer, message, Channel.Email, message.ChannelFor(Channel.Email)!.Template, "schedule", SendingKit.Now).Content;
        global::Personalize.Customers.CustomerProfile With(global::Personalize.Customers.CustomerProfile customer, string recommendations)
            => customer with { Attributes = DecisionKit.Attributes($$"""{ "firstName": "Ada", "recommendations": {{recommendations}} }""") };

        var ada = With(SendingKit.Customer(1), """[{ "name": "Rose", "price": 9.5 }, { "name": "Tulip", "price": 3 }]""");
        var bo = With(SendingKit.Customer(2), """[{ "name": "Fern", "price": 12 }]""");
        var adaAgain = With(SendingKit.Customer(1), """[{ "name": "Rose", "price": 9.5 }, { "name": "Tulip", "price": 3 }]""");
        var adaChanged = ada with { Attributes = DecisionKit.Attributes("""{ "recommendations": [{ "name": "Lily", "price": 4 }, { "name": "Rose", "price": 9.5 }, { "name": "Iris" }] }""") };

        foreach (var (customer, html, text) in new[]
        {
            (ada, "<ul><li>Rose 9.5</li><li>Tulip 3</li></ul>ROSE;TULIP;", "- Rose: 9.5\n- Tulip: 3\n2 picks"),
            (bo, "<ul><li>Fern 12</li></ul>FERN;", "- Fern: 12\n1 picks"),
            (ada, "<ul><li>Rose 9.5</li><li>Tulip 3</li></ul>ROSE;TULIP;", "- Rose: 9.5\n- Tulip: 3\n2 picks"),
            (adaChanged, "<ul><li>Lily 4</li><li>Rose 9.5</li><li>Iris </li></ul>LILY;ROSE;IRIS;", "- Lily: 4\n- Rose: 9.5\n- Iris: \n3 picks"),
            (adaAgain, "<ul><li>Rose 9.5</li><li>Tulip 3</li></ul>ROSE;TULIP;", "- Rose: 9.5\n- Tulip: 3\n2 picks"),
        })
        {
            var email = Email(customer);
            Assert.Equal(html, email.HtmlBody);
            Assert.Equal(text, email.TextBody);
        }
    }

    [Fact]
    public void Unsubscribe_link_carries_a_token_that_verifies_for_this_customer_and_channel()
    {
        var (catalog, content) = Setup();
        var email = (EmailContent)Render(catalog, content, personalization: true, Channel.Email).Content;

        var line = email.TextBody.Split('\n').Single(l => l.StartsWith("Unsubscribe: ", StringComparison.Ordinal));
        var url = new Uri(line["Unsubscribe: ".Length..]);
        var token = System.Web.HttpUtility.ParseQueryString(url.Query)["token"];
        var options = DeliveryFixture.Options();
        var tokens = new SignedTokenService(options, new ManualTimeProvider(SendingKit.Now));

        Assert.True(tokens.TryVerify(token, TokenScopes.Unsubscribe(Channel.Email, ContactPurpose.Marketing), out var customerId));
        Assert.Equal("c-0007", customerId);
        Assert.Contains("Preferences: https://example.com/preferences", email.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_personalization_consent_personal_fields_are_absent_and_templates_fall_back_to_neutral_wording()
    {
        var (catalog, content) = Setup();

        var email = (EmailContent)Render(catalog, content, personalization: false, Channel.Email).Content;
        var sms = (SmsContent)Render(catalog, content, personalization: false, Channel.Sms).Content;

        Assert.Equal("Hello, this week in the garden", email.Subject);
        Assert.StartsWith("Hi there,", email.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("Ada", email.TextBody + email.HtmlBody, StringComparison.Ordinal);
        Assert.StartsWith("Hi there! Roses 20% off at Green Thumb.", sms.Body, StringComparison.Ordinal);
        Assert.EndsWith("Reply STOP to opt out", sms.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void Attributes_are_hidden_without_consent_and_visible_with_it()
    {
        var templates = SendingKit.Templates();
        templates["tips/sms.body.liquid"] = "{{ customer.tier | default: \"none\" }}/{{ customer.name | default: \"anon\" }}/{{ customer.stage }}/{{ customer.personalized }}";
        var (catalog, content) = Setup(templates);

        var with = (SmsContent)Render(catalog, content, personalization: true, Channel.Sms).Content;
        var without = (SmsContent)Render(catalog, content, personalization: false, Channel.Sms).Content;

        Assert.StartsWith("gold/Ada7 Lovelace/retention/true", with.Body, StringComparison.Ordinal);
        Assert.StartsWith("none/anon/retention/false", without.Body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("  Roses 20% off.  ", "Roses 20% off.\nReply STOP to opt out")]
    [InlineData("Roses 20% off. reply stop TO OPT OUT\n", "Roses 20% off. reply stop TO OPT OUT")]
    public void The_sms_body_ends_with_the_opt_out_line_once(string template, string expected)
    {
        var templates = SendingKit.Templates();
        templates["tips/sms.body.liquid"] = template;
        var (catalog, content) = Setup(templates);

        var sms = (SmsContent)Render(catalog, content, personalization: true, Channel.Sms).Content;

        Assert.Equal(expected, sms.Body);
    }

    [Fact]
    public void A_long_non_ascii_sms_body_gets_the_opt_out_line_like_a_short_one()
    {
        var text = string.Concat(Enumerable.Repeat("Rosen für Sie. ", 20)).TrimEnd();
        var templates = SendingKit.Templates();
        templates["tips/sms.body.liquid"] = text;
        var (catalog, content) = Setup(templates);

        var sms = (SmsContent)Render(catalog, content, personalization: true, Channel.Sms).Content;

        Assert.Equal(text + "\nReply STOP to opt out", sms.Body);
    }

    [Fact]
    public void Service_messages_have_no_unsubscribe_link()
    {
        var (catalog, content) = Setup();

        var email = (EmailContent)Render(catalog, content, personalization: true, Channel.Email, "notice").Content;

        Assert.DoesNotContain("UNSUB", email.TextBody, StringComparison.Ordinal);
        Assert.Contains("You get this because", email.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public void A_render_error_carries_the_template_file_line_and_column()
    {
        var templates = SendingKit.Templates();
        templates["tips/email.text.sbn"] = "Hi\n  {{ \"x\" | string.pad_left 2000000 }}";
        var (catalog, content) = Setup(templates);

        var ex = Assert.ThrowsAny<TemplateRuntimeException>(() => Render(catalog, content, personalization: true, Channel.Email));

        Assert.Equal("tips/email.text.sbn", ex.SourceName);
        Assert.Equal(2, ex.Line);
    }

    [Fact]
    public void The_text_part_is_trimmed_of_unicode_white_space_and_writes_the_same_mime_as_a_text_string()
    {
        var templates = SendingKit.Templates();
        templates["tips/email.text.sbn"] = "\u00A0\t\n  Hi {{ customer.first_name }} 🌱,\r\nroses now.\u2003\n ";
        var (catalog, content) = Setup(templates);

        var message = Render(catalog, content, personalization: true, Channel.Email);
        var email = (EmailContent)message.Content;
        var asString = message with { Content = email with { TextBody = email.TextBody } };

        Assert.Equal("Hi Ada7 🌱,\r\nroses now.", email.TextBody);
        Assert.Equal(email, asString.Content);
        Assert.Equal(email.GetHashCode(), asString.Content.GetHashCode());
        Assert.Equal(MimeEmailWriter.ToBytes(asString), MimeEmailWriter.ToBytes(message));
    }

    [Fact]
    public void Utf8_trimming_removes_exactly_what_string_trim_removes_for_every_character()
    {
        for (var c = 0; c <= 0xFFFF; c++)
        {
            if (char.IsSurrogate((char)c))
            {
                continue;
            }

            var text = new string((char)c, 2) + "x" + new string((char)c, 2);
            var trimmed = MessageRenderer.TrimWhiteSpace(System.Text.Encoding.UTF8.GetBytes(text));

            Assert.Equal(text.Trim(), System.Text.Encoding.UTF8.GetString(trimmed));
        }

        Assert.Equal("🌱", System.Text.Encoding.UTF8.GetString(MessageRenderer.TrimWhiteSpace(" 🌱\u3000"u8)));
    }

    [Fact]
    public void A_part_that_renders_the_same_text_again_gives_the_same_string_and_a_changed_one_its_own()
    {
        var templates = SendingKit.Templates();
        templates["tips/email.preheader.sbn"] = "Three things to plant now 🌱";
        var (catalog, content) = Setup(templates);
        var message = catalog.Find("tips")!;
        var renderer = SendingKit.Renderer();
        EmailContent Email(int i) => (EmailContent)renderer.Render(content, SendingKit.Customer(i), message, Channel.Email, "tips/email", "schedule", SendingKit.Now).Content;

        var first = Email(1);
        var second = Email(2);
        var third = Email(1);

        Assert.Equal("Three things to plant now 🌱", first.Preheader);
        Assert.Same(first.Preheader, second.Preheader);
        Assert.Equal("Ada1, this week in the garden", first.Subject);
        Assert.Equal("Ada2, this week in the garden", second.Subject);
        Assert.Equal("Ada1, this week in the garden", third.Subject);
    }
}
