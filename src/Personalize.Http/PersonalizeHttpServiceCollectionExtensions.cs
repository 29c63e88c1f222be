using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Personalize.Delivery.Sinks;
using Personalize.Http;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the webhook sink.</summary>
public static class PersonalizeHttpServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="WebhookSink"/> as a singleton and as the <see cref="IMessageSink"/> the
    /// <see cref="SinkWriter"/> of <c>AddPersonalizeDelivery</c> writes to (a sink registered before wins). The options
    /// are <c>IOptions&lt;WebhookSinkOptions&gt;</c>, checked at start with every problem in one message.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the provider, endpoint, headers, time-outs, retries, circuit breaker and rates.</param>
    /// <returns>The same collection, for chaining.</returns>
    public static IServiceCollection AddPersonalizeWebhook(this IServiceCollection services, Action<WebhookSinkOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        if (services.Any(static d => d.ServiceType == typeof(WebhookSink)))
        {
            return services; // registered before: that registration wins
        }

        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<WebhookSinkOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WebhookSinkOptions>, Validator>());
        services.TryAddSingleton(static sp => new WebhookSink(sp.GetRequiredService<IOptions<WebhookSinkOptions>>().Value, sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<IMessageSink>(static sp => sp.GetRequiredService<WebhookSink>());
        return services;
    }

    private sealed class Validator : IValidateOptions<WebhookSinkOptions>
    {
        public ValidateOptionsResult Validate(string? name, WebhookSinkOptions options)
            => options.Validate() is { Count: > 0 } errors ? ValidateOptionsResult.Fail(options.DescribeErrors(errors)) : ValidateOptionsResult.Success;
    }
}
