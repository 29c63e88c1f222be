using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Personalize;
using Personalize.Channels;
using Personalize.Decisions;
using Personalize.Delivery;
using Personalize.Delivery.Sinks;
using Personalize.Diagnostics;
using Personalize.Sending;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers rendering and send runs.</summary>
public static class PersonalizeSendingServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="MessageRenderer"/> and <see cref="SendRunner"/> as singletons with their
    /// <see cref="SendingOptions"/> (validated at start). Needs <c>AddPersonalizeDelivery</c> and an
    /// <see cref="IMessageSink"/> registration. Uses <c>TryAdd</c>; calling it twice is harmless.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Configures the options (brand, parallelism, queue size).</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddPersonalizeSending(this IServiceCollection services, Action<SendingOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddPersonalize();
        var builder = services.AddOptions<SendingOptions>();
        if (configure is not null)
        {
            builder.Configure(configure);
        }

        builder.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SendingOptions>, SendingOptionsValidator>());
        services.TryAddSingleton(static sp => new MessageRenderer(
            sp.GetRequiredService<MessageComposer>(),
            sp.GetRequiredService<ConsentReasons>(),
            sp.GetRequiredService<ChannelRegistry>(),
            sp.GetRequiredService<IOptions<DeliveryOptions>>().Value,
            sp.GetRequiredService<IOptions<SendingOptions>>().Value,
            sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(static sp => new SendRunner(
            sp.GetRequiredService<DecisionEngine>(),
            sp.GetRequiredService<MessageRenderer>(),
            sp.GetRequiredService<SinkWriter>(),
            sp.GetRequiredService<IOptions<SendingOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<PersonalizeTelemetry>()));
        return services;
    }
}
