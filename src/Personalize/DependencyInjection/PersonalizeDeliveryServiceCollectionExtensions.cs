using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Personalize;
using Personalize.Channels;
using Personalize.Delivery;
using Personalize.Delivery.Security;
using Personalize.Delivery.Sinks;
using Personalize.Diagnostics;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the delivery building blocks of Personalize in a service collection.</summary>
public static class PersonalizeDeliveryServiceCollectionExtensions
{
    /// <summary>
    /// Registers Personalize (<see cref="PersonalizeServiceCollectionExtensions.AddPersonalize(IServiceCollection)"/>)
    /// plus <see cref="DeliveryOptions"/> (validated at start with one combined message), <see cref="SignedTokenService"/>,
    /// <see cref="DeliveryLinks"/>, <see cref="MessageComposer"/>, <see cref="ConsentReasons"/>, <see cref="MessageFooterBuilder"/> and
    /// <see cref="SinkWriter"/> as singletons. The <see cref="SinkWriter"/> writes to the <see cref="IMessageSink"/>
    /// the host registers (for example <c>services.AddSingleton&lt;IMessageSink&gt;(new FileOutboxSink("outbox"))</c>).
    /// Uses <c>TryAdd</c>, so the host's own registrations win, and calling it twice is harmless.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Configures the options.</param>
    /// <returns>The same collection, for chaining.</returns>
    public static IServiceCollection AddPersonalizeDelivery(this IServiceCollection services, Action<DeliveryOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);

        services.AddPersonalize();
        services.AddOptions<DeliveryOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DeliveryOptions>, DeliveryOptionsValidator>());
        services.TryAddSingleton(static sp => new SignedTokenService(Options(sp), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(static sp => new DeliveryLinks(Options(sp), sp.GetRequiredService<SignedTokenService>()));
        services.TryAddSingleton(static sp => new MessageComposer(Options(sp), sp.GetRequiredService<DeliveryLinks>()));
        services.TryAddSingleton(static sp => new ConsentReasons(Options(sp), sp.GetRequiredService<ChannelRegistry>()));
        services.TryAddSingleton(static sp => new MessageFooterBuilder(sp.GetRequiredService<DeliveryLinks>(), sp.GetRequiredService<ConsentReasons>()));
        services.TryAddSingleton(static sp => new SinkWriter(
            sp.GetRequiredService<IMessageSink>(),
            SinkRetryPolicy.FromOptions(Options(sp)),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<PersonalizeTelemetry>()));
        return services;
    }

    private static DeliveryOptions Options(IServiceProvider services) => services.GetRequiredService<IOptions<DeliveryOptions>>().Value;
}
