using System.Net;
using Personalize.Channels;
using Personalize.Consent;
using Personalize.Delivery.Security;

namespace Personalize.AspNetCore.Tests;

public sealed class PreferencePageTests
{
    [Fact]
    public async Task The_page_shows_the_choices_the_zone_and_the_evidence_with_security_headers()
    {
        using var host = new TestHost();
        var client = host.Browser();

        using var response = await client.GetAsync("/preferences?token=" + host.Token("c-ada"));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<html lang=\"en\">", html, StringComparison.Ordinal);
        Assert.True(Page.IsChecked(html, "optin-email"));
        Assert.False(Page.IsChecked(html, "optin-sms"));
        Assert.Contains("id=\"optin-push\" name=\"optin:push\" value=\"on\" disabled", html, StringComparison.Ordinal); // no device token
        Assert.True(Page.IsChecked(html, "topic-gardening"));
        Assert.False(Page.IsChecked(html, "topic-travel"));
        Assert.Contains("Times are in your time zone: Europe/Berlin", html, StringComparison.Ordinal);
        Assert.Contains("You chose “Weekly gardening tips” on 3 March 2026 via our website.", html, StringComparison.Ordinal);
        Assert.Contains("<label for=\"quiet-start\">", html, StringComparison.Ordinal);
        Assert.Contains("default-src 'none'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("http://", html, StringComparison.Ordinal);
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_German_customer_gets_the_German_page()
    {
        using var host = new TestHost();

        var (status, html, _) = await Page.Get(host.Browser(), "/preferences?token=" + host.Token("c-berta"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("<html lang=\"de\">", html, StringComparison.Ordinal);
        Assert.Contains("<h1>Ihre Einstellungen</h1>", html, StringComparison.Ordinal);
        Assert.Contains("Wöchentliche Gartentipps", html, StringComparison.Ordinal);
        Assert.Contains(">Montag</label>", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("forged", PreferenceCenterCodes.TokenInvalid)]
    [InlineData("garbage", PreferenceCenterCodes.TokenInvalid)]
    [InlineData("missing", PreferenceCenterCodes.TokenInvalid)]
    [InlineData("expired", PreferenceCenterCodes.TokenExpired)]
    [InlineData("wrong-scope", PreferenceCenterCodes.TokenWrongScope)]
    [InlineData("erased", PreferenceCenterCodes.CustomerNotFound)]
    public async Task Every_token_failure_gets_the_same_plain_403_page(string kind, string code)
    {
        using var host = new TestHost();
        var good = host.Token("c-ada");
        var url = kind switch
        {
            "forged" => "/preferences?token=" + good[..^2] + (good[^2] == 'A' ? "BB" : "AA"),
            "garbage" => "/preferences?token=%3Cscript%3E",
            "missing" => "/preferences",
            "expired" => "/preferences?token=" + host.Center.Tokens.CreateUntil("c-ada", TokenScopes.Preferences, TestHost.Start.AddSeconds(-1)),
            "wrong-scope" => "/preferences?token=" + host.Token("c-ada", TokenScopes.Unsubscribe(Channel.Email, ContactPurpose.Marketing)),
            _ => "/preferences?token=" + host.Token("c-nobody"),
        };
        var (_, reference, _) = await Page.Get(host.Browser(), "/preferences?token=x");

        var (status, html, error) = await Page.Get(host.Browser(), url);

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal(code, error);
        Assert.Equal(reference, html); // the page says nothing about why, or whether the customer exists
        Assert.DoesNotContain("c-ada", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_post_without_the_antiforgery_token_changes_nothing()
    {
        using var host = new TestHost();
        var client = host.Browser();
        var url = "/preferences?token=" + host.Token("c-ada");
        var (_, html, _) = await Page.Get(client, url);
        var form = Page.FormOf(html).With("__RequestVerificationToken", null).With("topic:gardening", null);

        var (status, _, error) = await Page.Post(client, url, form);
        var crossSite = await Page.Post(host.Browser(), url, Page.FormOf(html).With("topic:gardening", null)); // another browser: no cookie

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(PreferenceCenterCodes.CsrfInvalid, error);
        Assert.Equal(PreferenceCenterCodes.CsrfInvalid, crossSite.Error);
        Assert.Equal(2, (await host.Customer("c-ada")).Profile.Consents.Records.Count);
    }

    [Fact]
    public async Task Saving_writes_each_consent_change_as_evidence_and_the_preferences_to_the_profile()
    {
        using var host = new TestHost();
        var client = host.Browser();
        var url = "/preferences?token=" + host.Token("c-ada");
        var (_, html, _) = await Page.Get(client, url);
        var form = Page.FormOf(html)
            .With("topic:gardening", null)
            .With("topic:travel", "on")
            .With("optin:sms", "on")
            .With("personalization", "on")
            .With("freq:email", "1-week")
            .With("quiet-start", "22:00")
            .With("quiet-end", "07:30")
            .With("day:saturday", "on")
            .With("rank:sms", "1")
            .With("rank:email", "2")
            .With("pause", "2");

        using var post = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(form) };
        post.Headers.UserAgent.ParseAdd("Mozilla/5.0 (X11; Linux x86_64) TestBrowser/1.0");
        var (status, saved, _) = await Page.Send(client, post);
        var customer = (await host.Customer("c-ada")).Profile;
        var written = customer.Consents.Records.Skip(2).ToList();

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Your preferences are saved.", saved, StringComparison.Ordinal);
        Assert.Equal(
            new[] { "grant channel/sms/marketing", "withdraw topic/gardening", "grant topic/travel", "grant personalization" },
            written.Select(r => (r.Action == ConsentAction.Grant ? "grant " : "withdraw ") + Key(r.Scope)).ToList());
        Assert.All(written, r =>
        {
            Assert.Equal(TestHost.Start, r.RecordedAt);
            Assert.Equal(ConsentSourceKind.Form, r.Source.Kind);
            Assert.Equal("our preference center", r.Source.Detail);
            Assert.Equal("pc-2026-03", r.WordingVersion);

            // The method evidence: the keyed hash of this request's address and user agent, not the values.
            Assert.Equal(host.Center.MethodEvidenceOf(new Microsoft.AspNetCore.Http.DefaultHttpContext { Request = { Headers = { UserAgent = "Mozilla/5.0 (X11; Linux x86_64) TestBrowser/1.0" } } }), r.MethodEvidence);
            Assert.Matches("^[0-9a-f]{64}$", r.MethodEvidence!);
        });
        Assert.Equal("SMS: news and offers", written[0].Wording);
        Assert.Equal("Garden travel deals", written[2].Wording);
        Assert.Equal("22:00–07:30", customer.Preferences.QuietHours.ToString());
        Assert.Equal(new[] { DayOfWeek.Saturday }, customer.Preferences.PreferredDays);
        Assert.Equal(Channel.Sms, customer.Preferences.ChannelRanking[0]);
        var cap = Assert.Single(customer.Preferences.FrequencyCaps, c => c.Channel == Channel.Email);
        Assert.Equal((1, Customers.CapPeriod.Week), (cap.Max, cap.Period));
        Assert.Equal(TestHost.Start.AddDays(14), customer.Preferences.PausedUntil);
        Assert.Contains("News and offers are paused until 25 March 2026, 11:00.", saved, StringComparison.Ordinal);
        Assert.True(Page.IsChecked(saved, "topic-travel"));
    }

    [Fact]
    public async Task Saving_the_page_unchanged_writes_no_evidence()
    {
        using var host = new TestHost();
        var client = host.Browser();
        var url = "/preferences?token=" + host.Token("c-ada");
        var (_, html, _) = await Page.Get(client, url);
        var before = await host.Customer("c-ada");

        var (status, _, _) = await Page.Post(client, url, Page.FormOf(html));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(before.Profile.Consents.Records.Count, (await host.Customer("c-ada")).Profile.Consents.Records.Count);
    }

    [Theory]
    [InlineData("quiet-start", "25:00")]
    [InlineData("freq:email", "1-year")]
    [InlineData("rank:email", "9")]
    [InlineData("pause", "3")]
    public async Task A_value_the_page_never_offers_is_a_named_error_and_nothing_is_written(string field, string value)
    {
        using var host = new TestHost();
        var client = host.Browser();
        var url = "/preferences?token=" + host.Token("c-ada");
        var (_, html, _) = await Page.Get(client, url);
        var before = await host.Customer("c-ada");

        var (status, body, error) = await Page.Post(client, url, Page.FormOf(html).With("quiet-start", "22:00").With("quiet-end", "07:00").With(field, value));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(PreferenceCenterCodes.FieldInvalid, error);
        Assert.Contains(field, body, StringComparison.Ordinal);
        Assert.Equal(before.Version, (await host.Customer("c-ada")).Version);
    }

    internal static string Key(ConsentScope scope) => scope.Kind switch
    {
        ConsentScopeKind.Topic => "topic/" + scope.Topic,
        ConsentScopeKind.Personalization => "personalization",
        _ => "channel/" + scope.Channel + (scope.Purpose is { } p ? "/" + p.ToString().ToLowerInvariant() : string.Empty),
    };
}
