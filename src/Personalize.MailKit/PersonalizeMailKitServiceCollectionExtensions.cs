using Microsoft.Extensions.DependencyInjection.Extensions;
using Personalize.Delivery.Sinks;
using Personalize.MailKit;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the SMTP sink.</summary>
public static class PersonalizeMailKitServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="SmtpSink"/> as a singleton and as the <see cref="IMessageSink"/> the
    /// <see cref="SinkWriter"/> of <c>AddPersonalizeDelivery</c> writes to (a sink registered before wins). The options are
    /// checked when the sink is first resolved, with every problem in one message; the pool is closed with the provider.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the server, security, credentials, pool and DKIM.</param>
    /// <returns>The same collection, for chaining.</returns>
    public static IServiceCollection AddPersonalizeSmtp(this IServiceCollection services, Action<SmtpSinkOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp =>
        {
            var options = new SmtpSinkOptions();
            configure(options);
            return new SmtpSink(options, sp.GetRequiredService<TimeProvider>());
        });
        services.TryAddSingleton<IMessageSink>(static sp => sp.GetRequiredService<SmtpSink>());
        return services;
    }
}
