using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Personalize.Channels;
using Personalize.Consent;
using Personalize.Customers;
using Personalize.Delivery;
using Personalize.Eligibility;
using Personalize.Samples.Web;
using Personalize.Storage;

namespace Personalize.AspNetCore.Tests;

/// <summary>The inbound delivery webhook of the web sample, posted to as a provider's adapter does: signed, limited, idempotent.</summary>
public sealed class DeliveryWebhookTests
{
    private const string HardBounce = """{"events":[{"id":"acme-1","type":"bounced","customerId":"c-ada","occurredAt":"2026-03-11T09:58:00Z","channel":"email","recipient":"ada@example.com","bounce":"hard","provider":"acme","reason":"550 5.1.1 user unknown"}]}""";

    [Fact]
    public async Task A_signed_hard_bounce_lists_the_address_and_the_same_request_again_changes_nothing()
    {
        using var host = new TestHost();
        var client = host.CreateClient();

        var (status, answer, _) = await Post(client, HardBounce, host.Clock.Now);
        var (againStatus, again, _) = await Post(client, HardBounce, host.Clock.Now.AddSeconds(30));

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (status, againStatus));
        Assert.Equal((1, 1, 0), (answer.GetProperty("received").GetInt32(), answer.GetProperty("applied").GetInt32(), answer.GetProperty("duplicates").GetInt32()));
        Assert.Equal((0, 1), (again.GetProperty("applied").GetInt32(), again.GetProperty("duplicates").GetInt32()));
        var entry = await host.Store.FindSuppressionAsync(ContactPointKind.Email, "ada@example.com");
        Assert.Equal(SuppressionReasons.HardBounce, entry!.Reason);
        var ada = (await host.Customer("c-ada")).Profile;
        Assert.Equal("hard", ada.Facts.ValueOf("delivery.email.last_bounce"));
    }

    [Fact]
    public async Task A_complaint_found_by_its_message_key_withdraws_marketing_with_the_provider_as_evidence()
    {
        using var host = new TestHost();
        var key = IdempotencyKey.Create("schedule", "c-berta", "tips", TestHost.Start.AddDays(-1));
        await host.Store.RecordAsync(new SendBatch
        {
            Customers = [new CustomerSends { CustomerId = "c-berta", Deliveries = [new DeliveryRecord { IdempotencyKey = key, CustomerId = "c-berta", MessageId = "tips", Channel = Channel.Email, Purpose = ContactPurpose.Marketing, Kind = MessageKind.Give, SentAt = TestHost.Start.AddDays(-1), Trigger = "schedule" }] }],
        });
        var body = $$"""{"events":[{"id":"acme-2","type":"complained","messageKey":"{{key}}","occurredAt":"2026-03-11T09:00:00Z","provider":"acme"},{"id":"acme-3","type":"delivered","messageKey":"pz1_nosuchmessage","occurredAt":"2026-03-11T09:00:00Z"}]}""";

        var (status, answer, _) = await Post(host.CreateClient(), body, host.Clock.Now);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(1, answer.GetProperty("applied").GetInt32());
        var rejected = Assert.Single(answer.GetProperty("rejected").EnumerateArray());
        Assert.Equal(("acme-3", DeliveryWebhookCodes.UnknownMessage), (rejected.GetProperty("id").GetString(), rejected.GetProperty("code").GetString()));
        var berta = (await host.Customer("c-berta")).Profile;
        var withdrawal = Assert.Single(berta.Consents.Records, r => r.Action == ConsentAction.Withdraw);
        Assert.Equal((ConsentScope.ForChannel(Channel.Email, ContactPurpose.Marketing), "spam complaint via acme (event acme-2)"), (withdrawal.Scope, withdrawal.Source.Detail));
    }

    [Fact]
    public async Task Unsigned_forged_stale_and_unknown_key_requests_are_refused_with_their_codes_and_change_nothing()
    {
        using var host = new TestHost();
        var client = host.CreateClient();
        var now = host.Clock.Now;

        var missing = await Send(client, HardBounce, null);
        var forged = await Send(client, HardBounce, DeliveryWebhookSignature.Create(SampleWeb.SampleWebhookKeyId, "not-the-key-not-the-key-not-the-key", now, Encoding.UTF8.GetBytes(HardBounce)));
        var tampered = await Send(client, HardBounce.Replace("hard", "soft", StringComparison.Ordinal), Sign(HardBounce, now));
        var stale = await Send(client, HardBounce, Sign(HardBounce, now.AddMinutes(-6)));
        var future = await Send(client, HardBounce, Sign(HardBounce, now.AddMinutes(6)));
        var unknownKey = await Send(client, HardBounce, DeliveryWebhookSignature.Create("other", SampleWeb.SampleWebhookKey, now, Encoding.UTF8.GetBytes(HardBounce)));

        Assert.Equal((HttpStatusCode.Unauthorized, DeliveryWebhookCodes.SignatureMissing), (missing.Status, missing.Error));
        Assert.Equal((HttpStatusCode.Unauthorized, DeliveryWebhookCodes.SignatureInvalid), (forged.Status, forged.Error));
        Assert.Equal((HttpStatusCode.Unauthorized, DeliveryWebhookCodes.SignatureInvalid), (tampered.Status, tampered.Error));
        Assert.Equal((HttpStatusCode.Unauthorized, DeliveryWebhookCodes.TimestampOutOfRange), (stale.Status, stale.Error));
        Assert.Equal((HttpStatusCode.Unauthorized, DeliveryWebhookCodes.TimestampOutOfRange), (future.Status, future.Error));
        Assert.Equal((HttpStatusCode.Unauthorized, DeliveryWebhookCodes.SignatureInvalid), (unknownKey.Status, unknownKey.Error));
        Assert.Null(await host.Store.FindSuppressionAsync(ContactPointKind.Email, "ada@example.com"));
    }

    [Fact]
    public async Task During_a_key_rotation_both_keys_verify_and_a_removed_key_no_longer_does()
    {
        const string OldKey = "old-webhook-key-old-webhook-key-0001";
        const string NewKey = "new-webhook-key-new-webhook-key-0002";
        using var rotating = new TestHost(webhooks: o =>
        {
            o.SigningKeys["2026-01"] = OldKey;
            o.SigningKeys["2026-03"] = NewKey;
        });
        using var rotated = new TestHost(webhooks: o =>
        {
            o.SigningKeys.Remove(SampleWeb.SampleWebhookKeyId);
            o.SigningKeys["2026-03"] = NewKey;
        });
        var now = rotating.Clock.Now;
        var second = HardBounce.Replace("acme-1", "acme-9", StringComparison.Ordinal);

        var byOld = await Send(rotating.CreateClient(), HardBounce, DeliveryWebhookSignature.Create("2026-01", OldKey, now, Encoding.UTF8.GetBytes(HardBounce)));
        var byNew = await Send(rotating.CreateClient(), second, DeliveryWebhookSignature.Create("2026-03", NewKey, now, Encoding.UTF8.GetBytes(second)));
        var oldAfter = await Send(rotated.CreateClient(), HardBounce, DeliveryWebhookSignature.Create("2026-01", OldKey, now, Encoding.UTF8.GetBytes(HardBounce)));
        var sampleAfter = await Send(rotated.CreateClient(), HardBounce, Sign(HardBounce, now));

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (byOld.Status, byNew.Status));
        Assert.Equal((HttpStatusCode.Unauthorized, DeliveryWebhookCodes.SignatureInvalid), (oldAfter.Status, oldAfter.Error));
        Assert.Equal((HttpStatusCode.Unauthorized, DeliveryWebhookCodes.SignatureInvalid), (sampleAfter.Status, sampleAfter.Error));
    }

    [Fact]
    public async Task Limits_and_bad_events_are_named_errors_and_a_bad_event_keeps_the_good_ones_out_too()
    {
        using var host = new TestHost(webhooks: o =>
        {
            o.MaxBodyBytes = 2048;
            o.MaxEventsPerRequest = 2;
        });
        var client = host.CreateClient();
        var now = host.Clock.Now;
        var big = "{\"events\":[{\"id\":\"x\",\"type\":\"delivered\",\"customerId\":\"c-ada\",\"occurredAt\":\"2026-03-11T09:00:00Z\",\"note\":\"" + new string('x', 3000) + "\"}]}";
        var three = """{"events":[""" + string.Join(",", Enumerable.Range(1, 3).Select(i => $$"""{"id":"d-{{i}}","type":"delivered","customerId":"c-ada","occurredAt":"2026-03-11T09:00:00Z"}""")) + "]}";
        var mixed = """{"events":[{"id":"ok-1","type":"bounced","customerId":"c-ada","occurredAt":"2026-03-11T09:00:00Z","bounce":"hard"},{"id":"bad-1","type":"opened","customerId":"c-ada","occurredAt":"2026-03-11T09:00:00"}]}""";
        var noCustomer = """{"events":[{"id":"bad-2","type":"delivered","occurredAt":"2026-03-11T09:00:00Z"}]}""";

        var tooBig = await Send(client, big, Sign(big, now));
        var tooMany = await Send(client, three, Sign(three, now));
        var bad = await Send(client, mixed, Sign(mixed, now));
        var anonymous = await Send(client, noCustomer, Sign(noCustomer, now));
        var notJson = await Send(client, "{\"events\": [", Sign("{\"events\": [", now));
        var wrongType = await Send(client, HardBounce, Sign(HardBounce, now), "text/plain");

        Assert.Equal((HttpStatusCode.RequestEntityTooLarge, DeliveryWebhookCodes.BodyTooLarge), (tooBig.Status, tooBig.Error));
        Assert.Equal((HttpStatusCode.RequestEntityTooLarge, DeliveryWebhookCodes.BatchTooLarge), (tooMany.Status, tooMany.Error));
        Assert.Equal((HttpStatusCode.BadRequest, DeliveryWebhookCodes.InvalidEvent), (bad.Status, bad.Error));
        Assert.Contains("events[1].type is \"opened\"", bad.Message, StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.BadRequest, DeliveryWebhookCodes.InvalidEvent), (anonymous.Status, anonymous.Error));
        Assert.Contains("events[0]: 'customerId' (or 'messageKey') is missing", anonymous.Message, StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.BadRequest, DeliveryWebhookCodes.InvalidJson), (notJson.Status, notJson.Error));
        Assert.Equal((HttpStatusCode.UnsupportedMediaType, DeliveryWebhookCodes.UnsupportedMediaType), (wrongType.Status, wrongType.Error));
        Assert.Null(await host.Store.FindSuppressionAsync(ContactPointKind.Email, "ada@example.com"));
    }

    [Fact]
    public async Task Too_many_requests_from_one_client_get_429_with_retry_after()
    {
        using var host = new TestHost(webhooks: o => o.RequestsPerMinute = 2);
        var client = host.CreateClient();

        await Post(client, HardBounce, host.Clock.Now);
        await Post(client, HardBounce, host.Clock.Now);
        using var request = Request(HardBounce, Sign(HardBounce, host.Clock.Now));
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(DeliveryWebhookCodes.RateLimited, response.Headers.GetValues("X-Personalize-Error").Single());
        Assert.Equal(TimeSpan.FromSeconds(60), response.Headers.RetryAfter!.Delta);
    }

    [Fact]
    public void Options_without_a_usable_key_or_with_limits_out_of_range_are_refused_with_each_reason()
    {
        var options = new DeliveryWebhookOptions { MaxEventsPerRequest = 0, TimestampTolerance = TimeSpan.Zero };
        options.SigningKeys["a,b"] = "short";

        var errors = options.Validate();

        Assert.Contains(errors, e => e.Contains("key id 'a,b'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("shorter than 32 characters", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("MaxEventsPerRequest is 0", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("TimestampTolerance is", StringComparison.Ordinal));
        Assert.Contains(new DeliveryWebhookOptions().Validate(), e => e.StartsWith("SigningKeys is empty", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_setup_in_the_guide_takes_a_signed_bounce()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.AddSingleton<IPersonalizeStore>(new InMemoryPersonalizeStore());

        // begin-snippet: delivery-webhook-setup
        builder.Services.AddPersonalizeDeliveryWebhooks(options =>
        {
            // Every key listed verifies; rotate by adding the new key, moving the provider to it, removing the old one.
            options.SigningKeys["2026-03"] = builder.Configuration["Personalize:WebhookKey"] ?? "a random key of at least 32 characters";
            options.MaxEventsPerRequest = 500;
        });

        var app = builder.Build();
        app.MapPersonalizeDeliveryWebhooks(); // POST /webhooks/delivery
        // end-snippet
        await app.StartAsync();
        var store = app.Services.GetRequiredService<IPersonalizeStore>();
        await store.ImportCustomersAsync([TestHost.Ada()]);
        var body = HardBounce;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/delivery") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add(DeliveryWebhookSignature.HeaderName, DeliveryWebhookSignature.Create("2026-03", "a random key of at least 32 characters", TimeProvider.System.GetUtcNow(), Encoding.UTF8.GetBytes(body)));

        using var response = await app.GetTestClient().SendAsync(request);
        var listed = await store.FindSuppressionAsync(ContactPointKind.Email, "ada@example.com");
        await app.StopAsync();
        await app.DisposeAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull(listed);
    }

    [Fact]
    public void The_guide_shows_the_setup_as_compiled()
        => Personalize.Testing.DocSnippets.AssertShown("tests/Personalize.AspNetCore.Tests/DeliveryWebhookTests.cs", "delivery-webhook-setup", "docs/delivery.md");

    private static string Sign(string body, DateTimeOffset at)
        => DeliveryWebhookSignature.Create(SampleWeb.SampleWebhookKeyId, SampleWeb.SampleWebhookKey, at, Encoding.UTF8.GetBytes(body));

    private static HttpRequestMessage Request(string body, string? signature, string mediaType = "application/json")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/delivery") { Content = new StringContent(body, Encoding.UTF8, mediaType) };
        if (signature is not null)
        {
            request.Headers.TryAddWithoutValidation(DeliveryWebhookSignature.HeaderName, signature);
        }

        return request;
    }

    private static async Task<(HttpStatusCode Status, string? Error, string Message)> Send(HttpClient client, string body, string? signature, string mediaType = "application/json")
    {
        using var request = Request(body, signature, mediaType);
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var message = response.StatusCode == HttpStatusCode.OK ? text : JsonDocument.Parse(text).RootElement.GetProperty("message").GetString()!;
        return (response.StatusCode, response.Headers.TryGetValues("X-Personalize-Error", out var values) ? values.First() : null, message);
    }

    private static async Task<(HttpStatusCode Status, JsonElement Answer, string? Error)> Post(HttpClient client, string body, DateTimeOffset at)
    {
        using var request = Request(body, Sign(body, at));
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone(), response.Headers.TryGetValues("X-Personalize-Error", out var values) ? values.First() : null);
    }
}
