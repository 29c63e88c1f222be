using Microsoft.Extensions.DependencyInjection;
using Personalize.Delivery.Sinks;
using Personalize.Sending;
using Personalize.Templates;

namespace Personalize.Testing;

/// <summary>
/// The send services of the tests that run a send runner outside a host: the PostgreSQL tests' worker program, the
/// in-process runners of OneCustomerAtATimeTests and the store contract's journey tests (linked there): the Green Thumb
/// delivery and brand settings, a clock stopped at the run's instant and the given sink.
/// </summary>
internal static class SendHost
{
    /// <summary>A send runner whose clock stays at <paramref name="now"/>; dispose the provider after the run.</summary>
    public static (ServiceProvider Provider, SendRunner Runner) Create(DateTimeOffset now, IMessageSink sink, int pageSize = 500)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(new StoppedClock(now));
        services.AddPersonalize();
        services.AddPersonalizeDelivery(o =>
        {
            o.FromAddress = "hello@greenthumb.example";
            o.FromName = "Green Thumb";
            o.ListId = "news.greenthumb.example";
            o.ListName = "Green Thumb News";
            o.UnsubscribeMailbox = "unsubscribe@greenthumb.example";
            o.UnsubscribeUrl = new Uri("https://greenthumb.example/unsubscribe");
            o.PreferenceCenterUrl = new Uri("https://greenthumb.example/preferences");
            o.TokenSigningKey = "postgresql-test-signing-key-not-a-secret";
        });
        services.AddPersonalizeSending(o =>
        {
            o.Brand = new BrandInfo { Name = "Green Thumb", PostalAddress = "12 Rose Lane, Auckland" };
            o.PageSize = pageSize;
        });
        services.AddSingleton(sink);
        var provider = services.BuildServiceProvider();
        return (provider, provider.GetRequiredService<SendRunner>());
    }

    /// <summary>A clock stopped at one instant.</summary>
    private sealed class StoppedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}

/// <summary>Templates held in memory, by file name (for example <c>tips/email.subject.sbn</c>).</summary>
internal sealed class MemoryTemplates(IReadOnlyDictionary<string, string> files) : ITemplateLoader
{
    public bool TryLoad(string name, out string source)
    {
        source = files.TryGetValue(name, out var text) ? text : null!;
        return text is not null;
    }
}
