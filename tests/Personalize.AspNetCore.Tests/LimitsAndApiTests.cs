using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Personalize.Consent;

namespace Personalize.AspNetCore.Tests;

public sealed class LimitsAndApiTests
{
    [Fact]
    public async Task Requests_over_the_rate_limit_get_429_with_retry_after()
    {
        using var host = new TestHost(o => o.RequestsPerMinute = 3);
        var client = host.Browser();
        var url = "/preferences?token=" + host.Token("c-ada");
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await Page.Get(client, url)).Status);
        }

        using var response = await client.GetAsync(url);
        var oneClick = await Page.Post(client, "/unsubscribe?token=x", [new("List-Unsubscribe", "One-Click")]); // every endpoint shares the client's budget

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal("60", response.Headers.GetValues("Retry-After").Single());
        Assert.Equal(PreferenceCenterCodes.RateLimited, response.Headers.GetValues("X-Personalize-Error").Single());
        Assert.Equal(PreferenceCenterCodes.RateLimited, oneClick.Error);
    }

    [Fact]
    public async Task A_body_over_the_size_limit_is_refused_before_it_is_read()
    {
        using var host = new TestHost(o => o.MaxRequestBodyBytes = 4096);
        var big = new string('a', 5000);

        var (status, _, error) = await Page.Send(host.Browser(), new HttpRequestMessage(HttpMethod.Post, "/unsubscribe?token=" + host.Token("c-ada"))
        {
            Content = new StringContent("List-Unsubscribe=One-Click&x=" + big, Encoding.ASCII, "application/x-www-form-urlencoded"),
        });

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Equal(PreferenceCenterCodes.RequestTooLarge, error);
    }

    [Fact]
    public async Task A_form_with_too_many_fields_is_a_named_error()
    {
        using var host = new TestHost(o => o.MaxFormFields = 10);
        var unsubscribe = new Uri(host.Center.TopicUnsubscribeLink("c-ada", "gardening", TestHost.Start)).PathAndQuery;
        var fields = Enumerable.Range(0, 11).Select(i => new KeyValuePair<string, string>("f" + i, "x")).Append(new("List-Unsubscribe", "One-Click"));

        var (status, _, error) = await Page.Post(host.Browser(), unsubscribe, fields);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(PreferenceCenterCodes.FormTooLarge, error);
        Assert.DoesNotContain((await host.Customer("c-ada")).Profile.Consents.Records, r => r.Action == ConsentAction.Withdraw);
    }

    [Fact]
    public async Task The_json_api_reads_and_changes_the_same_state_with_a_bearer_token()
    {
        using var host = new TestHost();
        var client = host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", host.Token("c-ada"));

        using var before = JsonDocument.Parse(await client.GetStringAsync("/preferences/api"));
        using var post = await client.PostAsync("/preferences/api", new StringContent(
            """{"topics": {"travel": true}, "channels": {"email": false}, "quietHours": {"start": "21:30", "end": "07:00"}, "pauseWeeks": 1, "channelOrder": ["sms"]}""",
            Encoding.UTF8, "application/json"));
        using var after = JsonDocument.Parse(await post.Content.ReadAsStringAsync());
        var customer = (await host.Customer("c-ada")).Profile;

        Assert.True(before.RootElement.GetProperty("channels")[0].GetProperty("optedIn").GetBoolean());
        Assert.Equal("Europe/Berlin", before.RootElement.GetProperty("timeZone").GetString());
        Assert.Equal(HttpStatusCode.OK, post.StatusCode);
        Assert.False(after.RootElement.GetProperty("channels")[0].GetProperty("optedIn").GetBoolean());
        Assert.Equal("2026-03-18T10:00:00Z", after.RootElement.GetProperty("pausedUntil").GetString());
        Assert.Equal("21:30", after.RootElement.GetProperty("quietHours").GetProperty("start").GetString());
        Assert.True(customer.Consents.IsSubscribed("travel", TestHost.Start));
        Assert.Equal("sms", customer.Preferences.ChannelRanking[0].Name);
        Assert.Contains(after.RootElement.GetProperty("evidence").EnumerateArray(), e => e.GetProperty("text").GetString() == "You withdrew news and offers by Email on 11 March 2026 via our preference center.");
    }

    [Theory]
    [InlineData("""{"channels": {"fax": true}}""", "$.channels.fax")]
    [InlineData("""{"pauseWeeks": 3}""", "$.pauseWeeks")]
    [InlineData("""{"quietHours": {"start": "22:00"}}""", "$.quietHours")]
    [InlineData("""{"surprise": 1}""", "$.surprise")]
    [InlineData("""[1, 2]""", "$")]
    [InlineData("""{"topics": {"travel": "yes"}}""", "$.topics.travel")]
    public async Task Bad_json_is_a_named_error_with_its_path_and_writes_nothing(string body, string path)
    {
        using var host = new TestHost();
        var client = host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", host.Token("c-ada"));
        var version = (await host.Customer("c-ada")).Version;

        using var response = await client.PostAsync("/preferences/api", new StringContent(body, Encoding.UTF8, "application/json"));
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(PreferenceCenterCodes.FieldInvalid, error.RootElement.GetProperty("error").GetString());
        Assert.StartsWith(path, error.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(version, (await host.Customer("c-ada")).Version);
    }

    [Fact]
    public async Task The_json_api_needs_a_preference_token()
    {
        using var host = new TestHost();
        var client = host.CreateClient();

        using var response = await client.GetAsync("/preferences/api");
        using var form = await client.PostAsync("/preferences/api?token=" + host.Token("c-ada"), new FormUrlEncodedContent([new("personalization", "true")]));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, form.StatusCode);
    }
}
