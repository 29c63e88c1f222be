using System.Collections.ObjectModel;
using System.Text.Json;
using Personalize.Channels;
using Personalize.Channels.Sms;
using Personalize.Sending.Model;
using Personalize.Templates.Runtime;
using Personalize.Tests.Decisions;

namespace Personalize.Tests.Sending;

public sealed class TemplateModelTests
{
    [Theory]
    [InlineData("firstName")]
    [InlineData("FirstName")]
    [InlineData("first_name")]
    [InlineData("HTMLBody")]
    [InlineData("Total2")]
    [InlineData("total2Count")]
    [InlineData("ABC")]
    [InlineData("aB")]
    [InlineData("_Private")]
    [InlineData("x_Y")]
    [InlineData("ÜberName")]
    [InlineData("nameİstanbul")]
    [InlineData("a")]
    [InlineData("")]
    public void Attribute_names_match_exactly_their_snake_case_name(string name)
    {
        var snake = MemberRenamers.SnakeCase(name);

        Assert.True(MemberRenamers.SnakeCaseEquals(name, snake));
        Assert.False(MemberRenamers.SnakeCaseEquals(name, snake + "x"));
        Assert.False(MemberRenamers.SnakeCaseEquals(name, name.Length == 0 ? "x" : snake[..^1]));
    }

    [Fact]
    public void Templates_read_attributes_by_snake_case_name_from_any_dictionary_and_the_first_of_two_spellings_wins()
    {
        var templates = SendingKit.Templates();
        templates["tips/sms.body.liquid"] = "{{ customer.first_name }}/{{ customer.html_body }}/{{ customer.loyalty_points }}/{{ customer.name }}/{{ customer.missing | default: \"none\" }}";
        var catalog = SendingKit.Catalog(DecisionKit.Engine());
        var content = SendingKit.Content(catalog, templates);
        var attributes = DecisionKit.Attributes("""{ "firstName": "Ada", "first_name": "Shadowed", "HTMLBody": "rich", "loyaltyPoints": 12, "lastName": "Lovelace" }""");
        var asDictionary = new Dictionary<string, JsonElement>(attributes, StringComparer.Ordinal);
        var asReadOnly = new ReadOnlyDictionary<string, JsonElement>(asDictionary);

        var fromDictionary = Render(catalog, content, asDictionary);
        var fromReadOnly = Render(catalog, content, asReadOnly);

        Assert.StartsWith("Ada/rich/12/Ada Lovelace/none", fromDictionary, StringComparison.Ordinal);
        Assert.Equal(fromDictionary, fromReadOnly);
    }

    private static string Render(Personalize.Catalog.CompiledCatalog catalog, Personalize.Sending.CompiledTemplates content, IReadOnlyDictionary<string, JsonElement> attributes)
    {
        var message = catalog.Find("tips")!;
        var customer = SendingKit.Customer(7) with { Attributes = attributes };
        var sms = SendingKit.Renderer().Render(content, customer, message, Channel.Sms, message.ChannelFor(Channel.Sms)!.Template, "schedule", SendingKit.Now);
        return ((SmsContent)sms.Content).Body;
    }
}
