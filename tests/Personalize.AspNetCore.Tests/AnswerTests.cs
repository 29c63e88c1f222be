using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Personalize.Consent;
using Personalize.Delivery.Security;
using Personalize.Events;
using Personalize.Profiling;

namespace Personalize.AspNetCore.Tests;

/// <summary>The answer to a progressive-profiling question, from its one-tap link (WebApplicationFactory over the web sample and its question bank).</summary>
public sealed class AnswerTests
{
    private static string Link(TestHost host, string customer, string question, string? value)
        => "/preferences/answer?token=" + Uri.EscapeDataString(host.Token(customer, TokenScopes.Answer(question, value)));

    [Fact]
    public async Task The_link_shows_the_answer_with_a_button_and_the_post_records_it_with_its_wording()
    {
        using var host = new TestHost();
        var browser = host.Browser();
        var link = Link(host, "c-ada", "recipes", "yes");

        var (status, html, _) = await Page.Get(browser, link);
        var before = await host.Customer("c-ada");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Would you like a recipe from the garden every week? Your answer: Yes, send recipes", html, StringComparison.Ordinal);
        Assert.Contains("<button type=\"submit\">Send my answer</button>", html, StringComparison.Ordinal);
        Assert.False(before.Profile.Facts.ContainsKey(FactNames.AnswerPrefix + "recipes")); // a GET (a mail scanner) records nothing

        using var post = new HttpRequestMessage(HttpMethod.Post, link) { Content = new FormUrlEncodedContent([new("__RequestVerificationToken", Page.AntiforgeryToken(html))]) };
        post.Headers.UserAgent.ParseAdd(Agent);
        var (posted, done, _) = await Page.Send(browser, post);
        var after = (await host.Customer("c-ada")).Profile;

        Assert.Equal(HttpStatusCode.OK, posted);
        Assert.Contains("Thank you: we noted your answer and will not ask again.", done, StringComparison.Ordinal);
        Assert.Equal("yes", after.Facts.ValueOf(FactNames.AnswerPrefix + "recipes"));
        var grant = Assert.Single(after.Consents.Records, r => r.Scope == ConsentScope.ForTopic("recipes"));
        Assert.Equal((ConsentAction.Grant, "q-recipes-2026-03", "Would you like a recipe from the garden every week?", ConsentSourceKind.Form, "the answer page"), (grant.Action, grant.WordingVersion, grant.Wording, grant.Source.Kind, grant.Source.Detail));
        Assert.True(after.Consents.GetState(ConsentScope.ForTopic("recipes"), TestHost.Start).IsGranted);
        Assert.Equal(EvidenceOf(host, Agent), grant.MethodEvidence); // the keyed hash of the answering request's address and agent, as page saves record

        var (_, again, _) = await Page.Get(browser, Link(host, "c-ada", "recipes", "no"));
        Assert.Contains("You already answered this question. Thank you.", again, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_german_customer_reads_the_question_and_answer_in_german_and_the_grant_keeps_those_words()
    {
        using var host = new TestHost();
        var browser = host.Browser();
        var link = Link(host, "c-berta", "recipes", "yes");

        var (status, html, _) = await Page.Get(browser, link);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("<html lang=\"de\"", html, StringComparison.Ordinal);
        Assert.Contains("Möchten Sie jede Woche ein Rezept aus dem Garten?", html, StringComparison.Ordinal);
        Assert.Contains("Ja, Rezepte bitte", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Would you like a recipe", html, StringComparison.Ordinal);

        using var post = new HttpRequestMessage(HttpMethod.Post, link) { Content = new FormUrlEncodedContent([new("__RequestVerificationToken", Page.AntiforgeryToken(html))]) };
        var (posted, _, _) = await Page.Send(browser, post);
        var grant = Assert.Single((await host.Customer("c-berta")).Profile.Consents.Records, r => r.Scope == ConsentScope.ForTopic("recipes"));

        Assert.Equal(HttpStatusCode.OK, posted);
        Assert.Equal(("Möchten Sie jede Woche ein Rezept aus dem Garten?", "q-recipes-2026-03"), (grant.Wording, grant.WordingVersion));
    }

    [Fact]
    public async Task A_post_without_the_antiforgery_token_is_refused_and_records_nothing()
    {
        using var host = new TestHost();
        var link = Link(host, "c-ada", "travel", "yes");

        var (status, _, error) = await Page.Post(host.Browser(), link, [new("answer", "yes")]);

        Assert.Equal((HttpStatusCode.BadRequest, PreferenceCenterCodes.CsrfInvalid), (status, error));
        Assert.Empty((await host.Customer("c-ada")).Profile.Facts);
    }

    [Theory]
    [InlineData("forged", PreferenceCenterCodes.TokenInvalid)]
    [InlineData("preferences", PreferenceCenterCodes.TokenWrongScope)]
    [InlineData("expired", PreferenceCenterCodes.TokenExpired)]
    [InlineData("unknown-question", PreferenceCenterCodes.TokenWrongScope)]
    public async Task A_bad_token_gets_the_plain_403_page(string kind, string code)
    {
        using var host = new TestHost();
        var token = kind switch
        {
            "forged" => host.Token("c-ada", TokenScopes.Answer("recipes", "yes"))[..^4] + "AAAA",
            "preferences" => host.Token("c-ada"),
            "expired" => host.Center.Tokens.CreateUntil("c-ada", TokenScopes.Answer("recipes", "yes"), TestHost.Start.AddMinutes(-1)),
            _ => host.Token("c-ada", TokenScopes.Answer("shoe_size", "42")),
        };

        var (status, html, error) = await Page.Get(host.Browser(), "/preferences/answer?token=" + Uri.EscapeDataString(token));

        Assert.Equal((HttpStatusCode.Forbidden, code), (status, error));
        Assert.Contains("The link is not valid or has expired.", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_question_answered_in_words_shows_a_labelled_field_and_keeps_the_answer_as_a_fact()
    {
        using var host = new TestHost();
        var browser = host.Browser();
        var link = Link(host, "c-berta", "birthday", null);

        var (_, html, _) = await Page.Get(browser, link);
        Assert.Contains("<label for=\"answer\">Ihre Antwort</label>", html, StringComparison.Ordinal);

        var (status, done, _) = await Page.Post(browser, link, [new("__RequestVerificationToken", Page.AntiforgeryToken(html)), new("answer", " 1985-06-15 ")]);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Vielen Dank", done, StringComparison.Ordinal);
        Assert.Equal("1985-06-15", (await host.Customer("c-berta")).Profile.Facts.ValueOf(FactNames.AnswerPrefix + "birthday"));
    }

    [Fact]
    public async Task The_json_api_answers_with_an_answer_token_or_a_preference_token()
    {
        using var host = new TestHost();
        var app = host.CreateClient();

        var byLink = await Api(app, host.Token("c-ada", TokenScopes.Answer("frequency", "monthly")), "{}");
        var byApp = await Api(app, host.Token("c-ada"), """{"question":"travel","answer":"no"}""");
        var wrong = await Api(app, host.Token("c-ada", TokenScopes.Answer("preferred_channel", "sms")), """{"answer":"email"}""");
        var invalid = await Api(app, host.Token("c-ada"), """{"question":"frequency","answer":"hourly"}""");
        var forged = await Api(app, "nonsense", """{"question":"travel","answer":"yes"}""");

        Assert.Equal((HttpStatusCode.OK, ProfilingCodes.Recorded), (byLink.Status, byLink.Code));
        Assert.Equal((HttpStatusCode.OK, ProfilingCodes.Recorded), (byApp.Status, byApp.Code));
        Assert.Equal((HttpStatusCode.Forbidden, PreferenceCenterCodes.TokenWrongScope), (wrong.Status, wrong.Code));
        Assert.Equal((HttpStatusCode.OK, ProfilingCodes.AlreadyAnswered), await Api(app, host.Token("c-ada"), """{"question":"frequency","answer":"weekly"}"""));
        Assert.Equal((HttpStatusCode.BadRequest, ProfilingCodes.InvalidAnswer), invalid);
        Assert.Equal((HttpStatusCode.Forbidden, PreferenceCenterCodes.TokenInvalid), forged);
        var profile = (await host.Customer("c-ada")).Profile;
        var cap = Assert.Single(profile.Preferences.FrequencyCaps);
        Assert.Equal((1, Customers.CapPeriod.Month), (cap.Max, cap.Period));
        Assert.Equal("no", profile.Facts.ValueOf(FactNames.AnswerPrefix + "travel"));
        Assert.False(profile.Facts.ContainsKey(FactNames.AnswerPrefix + "preferred_channel"));
    }

    [Fact]
    public async Task An_answer_through_the_json_api_carries_the_requests_method_evidence()
    {
        using var host = new TestHost();

        var answered = await Api(host.CreateClient(), host.Token("c-ada"), """{"question":"recipes","answer":"yes"}""", "GreenThumbApp/2.1 (Android 15)");

        var grant = Assert.Single((await host.Customer("c-ada")).Profile.Consents.Records, r => r.Scope == ConsentScope.ForTopic("recipes"));
        Assert.Equal((HttpStatusCode.OK, ProfilingCodes.Recorded), answered);
        Assert.Equal((ConsentSourceKind.Api, EvidenceOf(host, "GreenThumbApp/2.1 (Android 15)")), (grant.Source.Kind, grant.MethodEvidence));
        Assert.NotEqual(EvidenceOf(host, Agent), grant.MethodEvidence);
    }

    [Fact]
    public async Task The_answer_endpoints_are_rate_limited_like_the_others()
    {
        using var host = new TestHost(o => o.RequestsPerMinute = 2);
        var browser = host.Browser();
        var link = Link(host, "c-ada", "recipes", "yes");

        await Page.Get(browser, link);
        await Page.Get(browser, link);
        var (status, _, error) = await Page.Get(browser, link);

        Assert.Equal((HttpStatusCode.TooManyRequests, PreferenceCenterCodes.RateLimited), (status, error));
    }

    [Fact]
    public async Task The_link_a_rendered_message_carries_opens_the_answer_page()
    {
        using var host = new TestHost();
        var links = host.Services.GetRequiredService<DeliveryLinks>();

        var url = new Uri(links.Answer("c-ada", "travel", "yes", TestHost.Start));
        var (status, html, _) = await Page.Get(host.Browser(), url.PathAndQuery);

        Assert.Equal("https://greenthumb.example/preferences/answer", url.GetLeftPart(UriPartial.Path));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Your answer: Yes, show me trips", html, StringComparison.Ordinal);
    }

    private const string Agent = "Mozilla/5.0 (X11; Linux x86_64) TestBrowser/1.0";

    /// <summary>The method evidence of a request from the test server's client (no remote address) with this user agent.</summary>
    private static string EvidenceOf(TestHost host, string agent)
        => host.Center.MethodEvidenceOf(new Microsoft.AspNetCore.Http.DefaultHttpContext { Request = { Headers = { UserAgent = agent } } });

    private static async Task<(HttpStatusCode Status, string? Code)> Api(HttpClient client, string token, string json, string? agent = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/preferences/answer/api") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (agent is not null)
        {
            request.Headers.UserAgent.ParseAdd(agent);
        }

        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        using var document = System.Text.Json.JsonDocument.Parse(body);
        var code = document.RootElement.TryGetProperty("code", out var c) ? c.GetString() : document.RootElement.GetProperty("error").GetString();
        return (response.StatusCode, code);
    }
}
