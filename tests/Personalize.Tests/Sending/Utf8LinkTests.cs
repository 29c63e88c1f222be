using System.Text;
using Personalize.Catalog;
using Personalize.Channels;
using Personalize.Channels.Email;
using Personalize.Delivery;
using Personalize.Delivery.Security;
using Personalize.Sending;
using Personalize.Tests.Decisions;
using Personalize.Tests.Delivery;

namespace Personalize.Tests.Sending;

/// <summary>
/// <c>{{ links.preferences }}</c> and <c>{{ links.unsubscribe }}</c> are signed on the stack and written straight into the
/// UTF-8 render; the bytes must be the link strings <see cref="DeliveryLinks"/> returns (the ones a filter sees), for any
/// customer id, and the lazily built <c>List-Unsubscribe</c> header the same text as before.
/// </summary>
public sealed class Utf8LinkTests
{
    public static TheoryData<string> Ids() => new()
    {
        "c-7",
        "kü-ß ✓ 日本 🌱",
        "a&b<\"c'>?=#%+/ \t",
        new string('ß', 300) + "-long", // a token longer than the render's stack buffer
    };

    private static OutgoingMessage Render(Dictionary<string, string> templates, string customerId, string messageId = "tips")
    {
        var catalog = SendingKit.Catalog(DecisionKit.Engine());
        var content = SendingKit.Content(catalog, templates);
        var message = catalog.Find(messageId)!;
        var customer = SendingKit.Customer(7) with { Id = customerId };
        return SendingKit.Renderer().Render(content, customer, message, Channel.Email, message.ChannelFor(Channel.Email)!.Template, "schedule", SendingKit.Now);
    }

    private static Dictionary<string, string> Lines(string[] lines) => lines.Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);

    [Theory]
    [MemberData(nameof(Ids))]
    public void Links_written_as_utf8_equal_the_link_strings_and_verify(string customerId)
    {
        var templates = SendingKit.Templates();
        templates["tips/email.text.sbn"] = "P={{ links.preferences }}\nPs={{ links.preferences | string.append \"\" }}\nU={{ links.unsubscribe }}\nUs={{ links.unsubscribe | string.append \"\" }}\nU2={{ links.unsubscribe }}";
        // The string first (kept by the model), then the output of the kept string.
        templates["tips/email.html.sbn"] = "{{ links.unsubscribe | string.append \"|\" }}{{ links.unsubscribe }}";
        var options = DeliveryFixture.Options();
        var links = new DeliveryLinks(options, new SignedTokenService(options, new ManualTimeProvider(SendingKit.Now)));
        var preferences = links.PreferenceCenter(customerId, SendingKit.Now);
        var unsubscribe = links.Unsubscribe(customerId, Channel.Email, ContactPurpose.Marketing, SendingKit.Now);

        var message = Render(templates, customerId);

        var email = (EmailContent)message.Content;
        var text = Lines(email.TextBody.Split('\n'));
        Assert.Equal(preferences, text["P"]);
        Assert.Equal(preferences, text["Ps"]);
        Assert.Equal(unsubscribe, text["U"]);
        Assert.Equal(unsubscribe, text["Us"]);
        Assert.Equal(unsubscribe, text["U2"]);
        Assert.Equal(unsubscribe + "|" + unsubscribe, email.HtmlBody);
        var tokens = new SignedTokenService(options, new ManualTimeProvider(SendingKit.Now));
        Assert.True(tokens.TryVerify(Token(text["U"]), TokenScopes.Unsubscribe(Channel.Email, ContactPurpose.Marketing), out var id));
        Assert.Equal(customerId, id);
        Assert.True(tokens.TryVerify(Token(text["P"]), TokenScopes.Preferences, out id));
        Assert.Equal(customerId, id);
        Assert.Equal(
            "<" + unsubscribe + ">, <" + links.UnsubscribeMailto(customerId, Channel.Email, ContactPurpose.Marketing, SendingKit.Now) + ">",
            message.GetHeader("List-Unsubscribe"));
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Liquid_templates_write_the_same_links(string customerId)
    {
        var templates = SendingKit.Templates();
        templates.Remove("tips/email.text.sbn");
        templates["tips/email.text.liquid"] = "P={{ links.preferences }}\nPs={{ links.preferences | append: \"\" }}\nU={{ links.unsubscribe }}\nUs={{ links.unsubscribe | append: \"\" }}";

        var text = Lines(((EmailContent)Render(templates, customerId).Content).TextBody.Split('\n'));

        Assert.Equal(text["Ps"], text["P"]);
        Assert.Equal(text["Us"], text["U"]);
        Assert.StartsWith("https://example.com/unsubscribe?token=", text["U"], StringComparison.Ordinal);
    }

    [Fact]
    public void A_service_message_writes_no_unsubscribe_link_and_carries_no_unsubscribe_headers()
    {
        var templates = SendingKit.Templates();
        templates["notice/email.text.sbn"] = "[{{ links.unsubscribe }}] {{ links.preferences }}";

        var message = Render(templates, "c-7", "notice");

        var body = ((EmailContent)message.Content).TextBody;
        Assert.StartsWith("[] https://example.com/preferences?token=", body, StringComparison.Ordinal);
        Assert.Null(message.GetHeader("List-Unsubscribe"));
        Assert.Empty(message.Headers);
    }

    [Fact]
    public void The_unsubscribe_headers_read_in_order_with_the_templates_own_after_them()
    {
        var templates = SendingKit.Templates();
        templates["tips/email.headers.sbn"] = "X-Campaign: spring";

        var message = Render(templates, "c-7");

        Assert.Equal(["List-Unsubscribe", "List-Unsubscribe-Post", "List-Id", "X-Campaign"], message.Headers.Select(h => h.Key));
        Assert.Equal("List-Unsubscribe=One-Click", message.Headers[1].Value);
        Assert.Equal("Example News <news.example.com>", message.Headers[2].Value);
        Assert.Equal("spring", message.Headers[3].Value);
        Assert.Same(message.Headers[0].Value, message.GetHeader("List-Unsubscribe"));
        Assert.Throws<ArgumentOutOfRangeException>(() => message.Headers[4]);
        var mime = Encoding.UTF8.GetString(MimeEmailWriter.ToBytes(message));
        Assert.Contains("List-Unsubscribe: <https://example.com/unsubscribe?token=", mime, StringComparison.Ordinal);
    }

    private static string Token(string link) => Uri.UnescapeDataString(link[(link.IndexOf("token=", StringComparison.Ordinal) + 6)..]);
}
