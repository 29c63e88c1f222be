using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Personalize.Channels;
using Personalize.Channels.Email;
using Personalize.Consent;
using Personalize.Delivery;
using Personalize.Delivery.Security;

namespace Personalize.AspNetCore.Tests;

public sealed class UnsubscribeTests
{
    /// <summary>Renders a marketing email for Ada and reads its List-Unsubscribe headers as a mailbox provider does.</summary>
    private static (string Url, string PostBody) OneClickOf(TestHost host)
    {
        var composer = host.Services.GetRequiredService<MessageComposer>();
        var request = new DeliveryRequest(TestHost.Ada(), "spring-sale", "schedule:tick", ContactPurpose.Marketing, TestHost.Start);
        var message = composer.Email(request, new EmailContent { Subject = "Spring sale", TextBody = "Hello" });
        var mime = Encoding.ASCII.GetString(MimeEmailWriter.ToBytes(message));
        var head = mime[..mime.IndexOf("\r\n\r\n", StringComparison.Ordinal)].Replace("\r\n ", " ", StringComparison.Ordinal).Replace("\r\n\t", " ", StringComparison.Ordinal);
        var listUnsubscribe = Regex.Match(head, "^List-Unsubscribe: (.*)$", RegexOptions.Multiline).Groups[1].Value.Trim();
        var post = Regex.Match(head, "^List-Unsubscribe-Post: (.*)$", RegexOptions.Multiline).Groups[1].Value.Trim();
        var https = Regex.Match(listUnsubscribe, "<(https://[^>]+)>").Groups[1].Value;
        var uri = new Uri(https);
        return (uri.PathAndQuery, post); // the sample's paths: only the scheme and host differ
    }

    [Fact]
    public async Task A_one_click_post_built_from_the_email_headers_withdraws_and_answers_200_without_cookies()
    {
        using var host = new TestHost();
        var (url, body) = OneClickOf(host);
        var provider = host.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { HandleCookies = false, AllowAutoRedirect = false });

        using var response = await provider.PostAsync(url, new StringContent(body, Encoding.ASCII, "application/x-www-form-urlencoded"));
        using var again = await provider.PostAsync(url, new StringContent(body, Encoding.ASCII, "application/x-www-form-urlencoded"));
        var customer = (await host.Customer("c-ada")).Profile;

        Assert.Equal("List-Unsubscribe=One-Click", body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var withdrawal = Assert.Single(customer.Consents.Records, r => r.Action == ConsentAction.Withdraw); // the repeat wrote nothing
        Assert.Equal(ConsentScope.ForChannel(Channel.Email, ContactPurpose.Marketing), withdrawal.Scope);
        Assert.Equal(ConsentSourceKind.Channel, withdrawal.Source.Kind);
        Assert.Equal("pc-2026-03", withdrawal.WordingVersion);
        Assert.Equal(ConsentStatus.Withdrawn, customer.Consents.GetState(ConsentScope.ForChannel(Channel.Email, ContactPurpose.Marketing), TestHost.Start).Status);
        Assert.Contains("you will no longer get news and offers by Email", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_get_of_the_link_shows_a_button_and_changes_nothing()
    {
        using var host = new TestHost();
        var (url, _) = OneClickOf(host);
        var before = await host.Customer("c-ada");

        var (status, html, _) = await Page.Get(host.Browser(), url);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("<input type=\"hidden\" name=\"List-Unsubscribe\" value=\"One-Click\">", html, StringComparison.Ordinal);
        Assert.Contains("<button type=\"submit\">Unsubscribe</button>", html, StringComparison.Ordinal);
        Assert.Equal(before.Version, (await host.Customer("c-ada")).Version);
    }

    [Fact]
    public async Task A_post_without_the_one_click_body_is_a_named_error()
    {
        using var host = new TestHost();
        var (url, _) = OneClickOf(host);

        var (status, _, error) = await Page.Post(host.Browser(), url, [new("List-Unsubscribe", "Yes")]);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(PreferenceCenterCodes.OneClickBodyMissing, error);
        Assert.DoesNotContain((await host.Customer("c-ada")).Profile.Consents.Records, r => r.Action == ConsentAction.Withdraw);
    }

    [Fact]
    public async Task A_topic_link_unsubscribes_from_that_topic_only()
    {
        using var host = new TestHost();
        var link = new Uri(host.Center.TopicUnsubscribeLink("c-ada", "gardening", TestHost.Start));

        var (status, _, _) = await Page.Post(host.Browser(), link.PathAndQuery, [new("List-Unsubscribe", "One-Click")]);
        var consents = (await host.Customer("c-ada")).Profile.Consents;

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(ConsentStatus.Withdrawn, consents.GetState(ConsentScope.ForTopic("gardening"), TestHost.Start).Status);
        Assert.Equal(ConsentStatus.Granted, consents.GetState(ConsentScope.ForChannel(Channel.Email, ContactPurpose.Marketing), TestHost.Start).Status);
    }

    [Fact]
    public async Task The_topic_link_templates_get_from_the_core_unsubscribes_from_that_topic()
    {
        using var host = new TestHost();
        var link = new Uri(host.Services.GetRequiredService<DeliveryLinks>().TopicUnsubscribe("c-ada", "gardening", TestHost.Start)); // links.unsubscribe_topic

        var (status, _, _) = await Page.Post(host.Browser(), link.PathAndQuery, [new("List-Unsubscribe", "One-Click")]);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(host.Center.TopicUnsubscribeLink("c-ada", "gardening", TestHost.Start), link.AbsoluteUri);
        Assert.Equal(ConsentStatus.Withdrawn, (await host.Customer("c-ada")).Profile.Consents.GetState(ConsentScope.ForTopic("gardening"), TestHost.Start).Status);
    }

    [Fact]
    public async Task A_preference_token_cannot_unsubscribe()
    {
        using var host = new TestHost();

        var (status, _, error) = await Page.Post(host.Browser(), "/unsubscribe?token=" + host.Token("c-ada"), [new("List-Unsubscribe", "One-Click")]);

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal(PreferenceCenterCodes.TokenWrongScope, error);
    }
}
