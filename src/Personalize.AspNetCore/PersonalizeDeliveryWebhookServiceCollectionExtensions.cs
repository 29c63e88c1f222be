using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Personalize.AspNetCore;
using Personalize.Events;
using Personalize.Storage;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the inbound delivery webhook.</summary>
public static class PersonalizeDeliveryWebhookServiceCollectionExtensions
{
    /// <summary>
    /// Registers the delivery webhook with its <see cref="DeliveryWebhookOptions"/> (validated at start). Needs an
    /// <see cref="IPersonalizeStore"/> (for example <c>AddPersonalizeSqlite</c>); uses the registered
    /// <see cref="EventOptions"/> when there are any. Map it with <c>app.MapPersonalizeDeliveryWebhooks()</c>.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Configures the options; at least one signing key is required.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddPersonalizeDeliveryWebhooks(this IServiceCollection services, Action<DeliveryWebhookOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<DeliveryWebhookOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DeliveryWebhookOptions>, Validator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(static sp =>
        {
            var time = sp.GetRequiredService<TimeProvider>();
            return new DeliveryWebhookEndpoint(
                sp.GetRequiredService<IOptions<DeliveryWebhookOptions>>().Value,
                sp.GetRequiredService<IPersonalizeStore>(),
                new EventIngestor(sp.GetService<IOptions<EventOptions>>()?.Value, time),
                time);
        });
        return services;
    }

    private sealed class Validator : IValidateOptions<DeliveryWebhookOptions>
    {
        public ValidateOptionsResult Validate(string? name, DeliveryWebhookOptions options)
        {
            var errors = options.Validate();
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail("Personalize delivery-webhook options are invalid: " + string.Join(" ", errors));
        }
    }
}
