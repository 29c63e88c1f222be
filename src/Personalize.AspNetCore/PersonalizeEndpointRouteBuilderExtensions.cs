using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Personalize.AspNetCore;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the preference center, one-click unsubscribe and double opt-in confirmation into a host's app.</summary>
public static class PersonalizeEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps, under <paramref name="prefix"/>:
    /// <list type="bullet">
    /// <item><c>GET/POST {prefix}/preferences?token=…</c> — the preference page (a form; posts need the antiforgery token the page carries);</item>
    /// <item><c>GET/POST {prefix}/unsubscribe?token=…</c> — one-click unsubscribe (RFC 8058): <c>POST</c> with the body
    /// <c>List-Unsubscribe=One-Click</c> withdraws the token's scope and answers 200 without login or cookies; <c>GET</c>
    /// only shows a page with a button (mail scanners prefetch links);</item>
    /// <item><c>GET/POST {prefix}/preferences/confirm?token=…</c> — double opt-in confirmation (<c>GET</c> asks, <c>POST</c> confirms);</item>
    /// <item><c>GET/POST {prefix}/preferences/api</c> — the same operations as JSON (<c>Authorization: Bearer TOKEN</c>);</item>
    /// <item>with <c>AddPersonalizeProfiling</c>: <c>GET/POST {prefix}/preferences/answer?token=…</c> — the answer to a
    /// progressive-profiling question from its one-tap link (<c>GET</c> shows the answer with a button, <c>POST</c>
    /// records it), and <c>POST {prefix}/preferences/answer/api</c> — the same as JSON (<c>{"question":…,"answer":…}</c>).</item>
    /// </list>
    /// The addresses must match <c>DeliveryOptions.PreferenceCenterUrl</c> and <c>UnsubscribeUrl</c> (the links in
    /// emails). Needs <c>AddPersonalizePreferenceCenter</c>, <c>AddPersonalizeDelivery</c> and a store. Every endpoint is
    /// rate limited per client and sends security headers (CSP, no referrer, no framing, no caching).
    /// </summary>
    /// <param name="endpoints">The app.</param>
    /// <param name="prefix">A path prefix such as <c>/account</c>, or empty.</param>
    /// <returns>The group, for conventions such as <c>RequireHost</c>.</returns>
    public static RouteGroupBuilder MapPersonalize(this IEndpointRouteBuilder endpoints, string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(prefix);
        var services = endpoints.ServiceProvider;
        var center = services.GetService<PreferenceCenter>()
            ?? throw new InvalidOperationException("MapPersonalize needs services.AddPersonalizePreferenceCenter(...) (and AddPersonalizeDelivery and a store such as AddPersonalizeSqlite).");
        var answers = services.GetService<Personalize.Profiling.ProfilingAnswers>();
        var handlers = new PreferenceCenterEndpoints(center, services.GetRequiredService<IAntiforgery>(), answers);
        var group = endpoints.MapGroup(prefix);
        group.MapGet("/preferences", handlers.PageGet).WithName("Personalize.Preferences");
        group.MapPost("/preferences", handlers.PagePost);
        group.MapGet("/unsubscribe", handlers.UnsubscribeGet).WithName("Personalize.Unsubscribe");
        group.MapPost("/unsubscribe", handlers.UnsubscribePost);
        group.MapGet("/preferences/confirm", handlers.ConfirmGet).WithName("Personalize.Confirm");
        group.MapPost("/preferences/confirm", handlers.ConfirmPost);
        group.MapGet("/preferences/api", handlers.ApiGet);
        group.MapPost("/preferences/api", handlers.ApiPost);
        if (answers is not null)
        {
            group.MapGet("/preferences/answer", handlers.AnswerGet).WithName("Personalize.Answer");
            group.MapPost("/preferences/answer", handlers.AnswerPost);
            group.MapPost("/preferences/answer/api", handlers.AnswerApi);
        }

        return group;
    }

    /// <summary>
    /// Maps <c>POST {pattern}</c>: the inbound webhook a delivery provider (or the host's adapter of its callbacks) posts
    /// delivery events to — <c>{"events": [{"id": …, "type": "bounced", "customerId" or "messageKey": …, "occurredAt": …,
    /// "channel": "email", "recipient": …, "bounce": "hard", …}]}</c>, signed with HMAC-SHA256
    /// (<see cref="DeliveryWebhookSignature"/>; key rotation by key id, a timestamp tolerance). The events are ingested
    /// as <see cref="Personalize.Events.DeliveryEvents"/>: a hard bounce puts the address on the suppression list, a
    /// complaint withdraws marketing with evidence. An event id already applied is left out, so a replayed or retried
    /// request changes nothing. Body size, events per request and requests per client are limited, each a named error
    /// (<see cref="DeliveryWebhookCodes"/>). Needs <c>AddPersonalizeDeliveryWebhooks</c> and a store.
    /// </summary>
    /// <param name="endpoints">The app.</param>
    /// <param name="pattern">The path, by default <c>/webhooks/delivery</c>.</param>
    /// <returns>The endpoint, for conventions such as <c>RequireHost</c>.</returns>
    public static IEndpointConventionBuilder MapPersonalizeDeliveryWebhooks(this IEndpointRouteBuilder endpoints, string pattern = "/webhooks/delivery")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrEmpty(pattern);
        var handler = endpoints.ServiceProvider.GetService<DeliveryWebhookEndpoint>()
            ?? throw new InvalidOperationException("MapPersonalizeDeliveryWebhooks needs services.AddPersonalizeDeliveryWebhooks(...) (and a store such as AddPersonalizeSqlite).");
        return endpoints.MapPost(pattern, handler.Post).WithName("Personalize.DeliveryWebhook").DisableAntiforgery();
    }
}
