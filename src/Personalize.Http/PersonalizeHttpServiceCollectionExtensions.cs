using Microsoft.Extensions.DependencyInjection.Extensions;
using Personalize.Delivery.Sinks;
using Personalize.Http;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the webhook sink.</summary>
public static class PersonalizeHttpServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="WebhookSink"/> as a singleton and as the <see cref="IMessageSink"/> the
    /// <see cref="SinkWriter"/> of <c>AddPersonalizeDelivery</c> writes to (a sink registered before wins). The options
    /// are checked when the sink is first resolved, with every problem in one message.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the provider, endpoint, headers, time-outs, retries, circuit breaker and rates.</param>
    /// <returns>The same collection, for chaining.</returns>
    public static IServiceCollection AddPersonalizeWebhook(this IServiceCollection services, Action<WebhookSinkOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp =>
        {
            var options = new WebhookSinkOptions();
            configure(options);
            return new WebhookSink(options, sp.GetRequiredService<TimeProvider>());
        });
        services.TryAddSingleton<IMessageSink>(static sp => sp.GetRequiredService<WebhookSink>());
        return services;
    }
}
