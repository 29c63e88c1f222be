using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using Personalize.Channels;
using Personalize.Channels.Email;
using Personalize.Channels.Sms;
using Personalize.Consent;
using Personalize.Delivery;

namespace Personalize.AspNetCore.Tests;

/// <summary>
/// The double opt-in confirmation as the catalog's service message, end to end over the web sample: a request (the page,
/// the JSON API, the library API) → the confirm-subscription message reaches the sink with a working link → following
/// it turns the pending grant into consent.
/// </summary>
public sealed partial class ConfirmationMessageTests
{
    private static readonly ConsentScope EmailMarketing = ConsentScope.ForChannel(Channel.Email, ContactPurpose.Marketing);

    [Fact]
    public async Task An_email_opt_in_on_the_page_sends_the_confirmation_whose_link_turns_the_pending_grant_into_consent()
    {
        using var host = new TestHost();
        var browser = host.Browser();
        var url = "/preferences?token=" + host.Token("c-berta");
        var (_, page, _) = await Page.Get(browser, url);

        // Berta (German) ticks the email opt-in and saves: a pending grant, not consent, and a message to her address.
        var (saved, html, _) = await Page.Post(browser, url, Page.FormOf(page).With("optin:email", "on"));
        var pending = (await host.Customer("c-berta")).Profile.Consents.GetState(EmailMarketing, host.Clock.Now);

        Assert.Equal(HttpStatusCode.OK, saved);
        Assert.Contains("Wir haben Ihnen eine Nachricht mit einem Link geschickt", html, StringComparison.Ordinal);
        Assert.Contains("(wartet auf Ihre Bestätigung)", html, StringComparison.Ordinal);
        Assert.Equal(ConsentStatus.Pending, pending.Status);
        var message = Assert.Single(host.Sink.Messages);
        var email = Assert.IsType<EmailContent>(message.Content);
        Assert.Equal(("confirm-subscription", "berta@example.com", ContactPurpose.Service), (message.MessageId, message.Recipient, message.Purpose));
        Assert.Equal("Bitte bestätigen Sie Ihr Abonnement", email.Subject);
        Assert.Contains("Sie haben bei Green Thumb Garden Co. angefordert: Email: Neuigkeiten und Angebote.", email.TextBody, StringComparison.Ordinal);
        Assert.Contains("bis zum 18.03.2026", email.TextBody, StringComparison.Ordinal); // the pending expiry, 7 days
        Assert.Null(message.GetHeader("List-Unsubscribe")); // a service message: no unsubscribe link
        var link = LinkIn(email.TextBody);
        Assert.Contains("href=\"" + WebUtility.HtmlEncode(link) + "\"", email.HtmlBody, StringComparison.Ordinal);

        // Her click: the GET asks, the POST confirms.
        host.Clock.Now = TestHost.Start.AddHours(3);
        var path = new Uri(link).PathAndQuery;
        var (asked, ask, _) = await Page.Get(browser, path);
        var (confirmed, done, _) = await Page.Post(browser, path, [new("__RequestVerificationToken", Page.AntiforgeryToken(ask))]);
        var consent = (await host.Customer("c-berta")).Profile.Consents.GetState(EmailMarketing, host.Clock.Now);

        Assert.Equal("https://greenthumb.example/preferences/confirm", new Uri(link).GetLeftPart(UriPartial.Path));
        Assert.Equal(HttpStatusCode.OK, asked);
        Assert.Equal(HttpStatusCode.OK, confirmed);
        Assert.Contains("ist bestätigt", done, StringComparison.Ordinal);
        Assert.Equal(ConsentStatus.Granted, consent.Status);
        Assert.Equal((OptInMethod.Double, TestHost.Start.AddHours(3)), (consent.Record!.OptIn, consent.Record.ConfirmedAt));

        // Used once: the same link again gets the plain 403 page, and nothing is written.
        var (again, againHtml, error) = await Page.Post(browser, path, [new("__RequestVerificationToken", Page.AntiforgeryToken(ask))]);
        Assert.Equal((HttpStatusCode.Forbidden, PreferenceCenterCodes.TokenUsed), (again, error));
        Assert.Contains("The link is not valid or has expired.", againHtml, StringComparison.Ordinal);
        Assert.Equal(2, (await host.Customer("c-berta")).Profile.Consents.Records.Count(r => r.Scope.Equals(EmailMarketing)));
    }

    [Fact]
    public async Task The_confirmation_is_recorded_in_the_history_and_a_second_save_sends_nothing_twice()
    {
        using var host = new TestHost();
        var browser = host.Browser();
        var url = "/preferences?token=" + host.Token("c-berta");
        var (_, page, _) = await Page.Get(browser, url);
        var form = Page.FormOf(page).With("optin:email", "on");

        await Page.Post(browser, url, form);
        host.Clock.Now = TestHost.Start.AddMinutes(5);
        var (_, second, _) = await Page.Post(browser, url, form); // the same choice again, still awaiting confirmation
        var berta = (await host.Customer("c-berta")).Profile;

        Assert.Single(host.Sink.Messages);
        Assert.Single(berta.Consents.Records, r => r.Scope.Equals(EmailMarketing)); // one request, not two
        Assert.Contains("Wir haben Ihnen eine Nachricht", second, StringComparison.Ordinal);
        var sent = Assert.Single(berta.History.Records);
        Assert.Equal(("confirm-subscription", Channel.Email, ContactPurpose.Service), (sent.MessageId, sent.Channel, sent.Purpose));
        var stored = await host.Store.ReadEventsAsync(new Storage.EventQuery { CustomerId = "c-berta" });
        Assert.Equal(DoubleOptInEvents.Requested, Assert.Single(stored.Items).Type);
    }

    [Fact]
    public async Task The_library_api_sends_a_topic_confirmation_by_email_and_a_channel_confirmation_to_that_channels_contact_point()
    {
        using var host = new TestHost();

        var topic = (await host.Center.RequestDoubleOptInAsync("c-ada", ConsentScope.ForTopic("recipes"), "Recipes from the garden"))!;
        host.Clock.Now = TestHost.Start.AddMinutes(1);
        var sms = (await host.Center.RequestDoubleOptInAsync("c-ada", ConsentScope.ForChannel(Channel.Sms, ContactPurpose.Marketing), "SMS: news and offers"))!;
        var resent = await host.Center.SendConfirmationAsync("c-ada", ConsentScope.ForTopic("recipes"), topic.RequestedAt, "Recipes from the garden");

        Assert.Equal(1, topic.Confirmation!.Sends!.Sent["email"]);
        Assert.Equal(1, sms.Confirmation!.Sends!.Sent["sms"]);
        Assert.Equal((1, 0L), (resent!.Duplicates, resent.Sends?.TotalSent ?? 0)); // the same request again: nothing sent twice
        Assert.Equal(2, host.Sink.Count);
        var email = host.Sink.Messages[0];
        Assert.Equal(("confirm-subscription", "ada@example.com"), (email.MessageId, email.Recipient));
        Assert.Equal(topic.ConfirmationUrl, LinkIn(((EmailContent)email.Content).TextBody));
        Assert.StartsWith("Please confirm your subscription", ((EmailContent)email.Content).Subject, StringComparison.Ordinal);
        var text = host.Sink.Messages[1];
        Assert.Equal(("confirm-subscription-sms", "+4915112345678"), (text.MessageId, text.Recipient));
        Assert.Contains(sms.ConfirmationUrl, ((SmsContent)text.Content).Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_opt_in_through_the_json_api_is_pending_and_its_confirmation_is_sent()
    {
        using var host = new TestHost();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/preferences/api") { Content = new StringContent("""{"channels": {"email": true}}""", Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", host.Token("c-berta"));

        using var response = await host.CreateClient().SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"channel\":\"email\",\"optedIn\":false,\"reachable\":true,\"pending\":true", body, StringComparison.Ordinal);
        var message = Assert.Single(host.Sink.Messages);
        Assert.Equal(("confirm-subscription", "berta@example.com"), (message.MessageId, message.Recipient));
        var (status, _, _) = await Page.Get(host.Browser(), new Uri(LinkIn(((EmailContent)message.Content).TextBody)).PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task An_expired_confirmation_link_gets_the_plain_403_page_and_confirms_nothing()
    {
        using var host = new TestHost();
        await host.Center.RequestDoubleOptInAsync("c-berta", EmailMarketing, "Email: Neuigkeiten und Angebote");
        var link = LinkIn(((EmailContent)Assert.Single(host.Sink.Messages).Content).TextBody);
        host.Clock.Now = TestHost.Start.AddDays(7).AddSeconds(1);

        var (status, html, error) = await Page.Get(host.Browser(), new Uri(link).PathAndQuery);

        Assert.Equal((HttpStatusCode.Forbidden, PreferenceCenterCodes.TokenExpired), (status, error));
        Assert.Contains("The link is not valid or has expired.", html, StringComparison.Ordinal);
        Assert.Equal(ConsentStatus.None, (await host.Customer("c-berta")).Profile.Consents.GetState(EmailMarketing, host.Clock.Now).Status);
    }

    [Fact]
    public void Double_opt_in_channels_without_confirmation_messages_are_refused_at_start()
    {
        using var host = new TestHost();
        var error = Assert.Throws<ArgumentException>(() => new PreferenceCenter(host.Center.Options, new DeliveryOptions { PreferenceCenterUrl = new Uri("https://example.com/p"), UnsubscribeUrl = new Uri("https://example.com/u"), TokenSigningKey = "a-key-of-at-least-32-characters-long!!" }, host.Center.Tokens, host.Store, host.Center.Eligibility, TimeProvider.System));

        Assert.Contains("DoubleOptInChannels needs confirmation messages", error.Message, StringComparison.Ordinal);
        Assert.Contains("AddPersonalizeConfirmationMessages", error.Message, StringComparison.Ordinal);
    }

    /// <summary>The confirmation link in a message's text, as a reader would copy it.</summary>
    internal static string LinkIn(string text) => ConfirmLink().Match(text).Value;

    [GeneratedRegex(@"https://greenthumb\.example/preferences/confirm\?token=[A-Za-z0-9_\-.~%]+")]
    private static partial Regex ConfirmLink();
}
