using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Personalize.AspNetCore;
using Personalize.Channels;
using Personalize.Consent;
using Personalize.Customers;
using Personalize.Delivery.Sinks;
using Personalize.Storage;

namespace Personalize.AspNetCore.Tests;

/// <summary>A clock the tests move by hand.</summary>
internal sealed class ManualClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}

/// <summary>
/// The web sample (samples/Personalize.Samples.Web) under WebApplicationFactory with an in-memory store filled by the
/// test and a manual clock; everything else — options, endpoints, antiforgery, rate limits — as the sample has it.
/// </summary>
internal sealed class TestHost : WebApplicationFactory<Program>
{
    public static readonly DateTimeOffset Start = new(2026, 3, 11, 10, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset Chosen = new(2026, 3, 3, 9, 30, 0, TimeSpan.Zero);
    public static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    private readonly Action<PreferenceCenterOptions>? _options;

    private readonly Action<DeliveryWebhookOptions>? _webhooks;
    private readonly Func<IPersonalizeStore, IPersonalizeStore>? _wrapStore;

    public TestHost(Action<PreferenceCenterOptions>? options = null, Action<DeliveryWebhookOptions>? webhooks = null, Func<IPersonalizeStore, IPersonalizeStore>? wrapStore = null)
    {
        _options = options;
        _webhooks = webhooks;
        _wrapStore = wrapStore;
        Store.ImportCustomersAsync([Ada(), Berta()]).AsTask().GetAwaiter().GetResult();
    }

    public InMemoryPersonalizeStore Store { get; } = new();

    /// <summary>Where the sample's messages (the double opt-in confirmations) go instead of its outbox folder.</summary>
    public InMemorySink Sink { get; } = new();

    public ManualClock Clock { get; } = new(Start);

    public PreferenceCenter Center => Services.GetRequiredService<PreferenceCenter>();

    /// <summary>Ada: English, Berlin, email and SMS, opted in to email marketing and gardening tips on 3 March 2026.</summary>
    public static CustomerProfile Ada() => new()
    {
        Id = "c-ada",
        Language = "en-GB",
        TimeZone = Berlin,
        ContactPoints = new ContactPoints { Email = "ada@example.com", Phone = "+4915112345678" },
        Preferences = new ContactPreferences { ChannelRanking = [Channel.Email, Channel.Sms] },
        Consents = new ConsentLedger(
        [
            ConsentRecord.Grant(ConsentScope.ForChannel(Channel.Email, ContactPurpose.Marketing), Chosen, ConsentSource.Form("our website"), "v1"),
            ConsentRecord.Grant(ConsentScope.ForTopic("gardening"), Chosen, ConsentSource.Form("our website"), "v1"),
        ]),
    };

    /// <summary>Berta: German, email only.</summary>
    public static CustomerProfile Berta() => new()
    {
        Id = "c-berta",
        Language = "de-DE",
        TimeZone = Berlin,
        ContactPoints = new ContactPoints { Email = "berta@example.com" },
    };

    public string Token(string customerId, string scope = Personalize.Delivery.Security.TokenScopes.Preferences)
        => Center.Tokens.Create(customerId, scope);

    public HttpClient Browser() => CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    public async Task<StoredCustomer> Customer(string id) => (await Store.GetCustomerAsync(id))!;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("db", Path.Combine(Path.GetTempPath(), "personalize-web-tests-unused.db"));
        builder.ConfigureTestServices(services =>
        {
            services.RemoveAll<IPersonalizeStore>();
            services.AddSingleton<IPersonalizeStore>(_wrapStore is null ? Store : _wrapStore(Store));
            services.RemoveAll<IMessageSink>();
            services.AddSingleton<IMessageSink>(Sink);
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Clock);
            services.Configure<PreferenceCenterOptions>(o =>
            {
                o.RequestsPerMinute = 10_000;
                _options?.Invoke(o);
            });
            services.Configure<DeliveryWebhookOptions>(o =>
            {
                o.RequestsPerMinute = 10_000;
                _webhooks?.Invoke(o);
            });
        });
    }
}

/// <summary>Reads what a browser would from a page: the form's antiforgery token, inputs, the text.</summary>
internal static partial class Page
{
    public static string AntiforgeryToken(string html)
        => Regex.Match(html, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;

    public static bool IsChecked(string html, string id)
        => Regex.IsMatch(html, "<input [^>]*id=\"" + Regex.Escape(id) + "\"[^>]* checked");

    public static async Task<(HttpStatusCode Status, string Html, string? Error)> Send(HttpClient client, HttpRequestMessage request)
    {
        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, body, response.Headers.TryGetValues("X-Personalize-Error", out var values) ? values.First() : null);
    }

    public static Task<(HttpStatusCode Status, string Html, string? Error)> Get(HttpClient client, string url)
        => Send(client, new HttpRequestMessage(HttpMethod.Get, url));

    public static Task<(HttpStatusCode Status, string Html, string? Error)> Post(HttpClient client, string url, IEnumerable<KeyValuePair<string, string>> fields)
        => Send(client, new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(fields) });

    /// <summary>The form as the page posts it unchanged: every checked box, every selected option, the times.</summary>
    public static List<KeyValuePair<string, string>> FormOf(string html)
    {
        var fields = new List<KeyValuePair<string, string>>();
        foreach (Match input in Regex.Matches(html, "<input ([^>]*)>"))
        {
            var attributes = input.Groups[1].Value;
            var name = Attribute(attributes, "name");
            var type = Attribute(attributes, "type");
            if (name is null || attributes.Contains(" disabled", StringComparison.Ordinal))
            {
                continue;
            }

            if (type is "checkbox" or "radio" && !attributes.Contains(" checked", StringComparison.Ordinal))
            {
                continue;
            }

            fields.Add(new(name, System.Net.WebUtility.HtmlDecode(Attribute(attributes, "value") ?? string.Empty)));
        }

        foreach (Match select in Regex.Matches(html, "<select [^>]*name=\"([^\"]+)\"[^>]*>(.*?)</select>"))
        {
            var selected = Regex.Match(select.Groups[2].Value, "<option value=\"([^\"]*)\" selected");
            fields.Add(new(select.Groups[1].Value, selected.Success ? selected.Groups[1].Value : string.Empty));
        }

        return fields;
    }

    public static List<KeyValuePair<string, string>> With(this List<KeyValuePair<string, string>> fields, string name, string? value)
    {
        fields.RemoveAll(f => f.Key == name);
        if (value is not null)
        {
            fields.Add(new(name, value));
        }

        return fields;
    }

    private static string? Attribute(string attributes, string name)
    {
        var match = Regex.Match(attributes, "(?:^|\\s)" + name + "=\"([^\"]*)\"");
        return match.Success ? match.Groups[1].Value : null;
    }
}
