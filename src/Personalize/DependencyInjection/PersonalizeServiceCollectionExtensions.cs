using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Personalize;
using Personalize.Channels;
using Personalize.Decisions;
using Personalize.Diagnostics;
using Personalize.Eligibility;
using Personalize.Serialization;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Personalize in a service collection.</summary>
public static class PersonalizeServiceCollectionExtensions
{
    /// <summary>Registers Personalize with default options.</summary>
    /// <param name="services">The service collection.</param>
    /// <returns>The same collection, for chaining.</returns>
    public static IServiceCollection AddPersonalize(this IServiceCollection services)
        => services.AddPersonalize(static _ => { });

    /// <summary>
    /// Registers Personalize: <see cref="PersonalizeOptions"/> (validated at start with one combined message),
    /// <see cref="ChannelRegistry"/>, <see cref="ContactEligibility"/>, <see cref="CustomerJson"/> and <see cref="DecisionEngine"/>
    /// (with <see cref="DecisionOptions"/>, configured by <c>services.Configure&lt;DecisionOptions&gt;(…)</c> and validated at start) and
    /// <see cref="PersonalizeTelemetry"/> (from the host's <see cref="ILoggerFactory"/> and <see cref="IMeterFactory"/> when registered) as singletons,
    /// and <see cref="TimeProvider.System"/> unless the host registered a <see cref="TimeProvider"/>.
    /// Uses <c>TryAdd</c>, so the host's own registrations win, and calling it twice is harmless.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Configures the options.</param>
    /// <returns>The same collection, for chaining.</returns>
    public static IServiceCollection AddPersonalize(this IServiceCollection services, Action<PersonalizeOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);

        services.AddOptions<PersonalizeOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PersonalizeOptions>, PersonalizeOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);

        // Logs through the host's ILoggerFactory and meters through its IMeterFactory when it registered them.
        services.TryAddSingleton(static sp => new PersonalizeTelemetry(sp.GetService<ILoggerFactory>(), sp.GetService<IMeterFactory>()));
        services.TryAddSingleton(static sp => sp.GetRequiredService<IOptions<PersonalizeOptions>>().Value.CreateChannelRegistry());
        services.TryAddSingleton(static sp => new ContactEligibility(
            sp.GetRequiredService<IOptions<PersonalizeOptions>>().Value,
            sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(static sp => new CustomerJson(sp.GetRequiredService<ChannelRegistry>()));

        // The decision engine; configure it with services.Configure<DecisionOptions>(o => …).
        services.AddOptions<DecisionOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DecisionOptions>, DecisionOptionsValidator>());
        services.TryAddSingleton(static sp => new DecisionEngine(
            sp.GetRequiredService<IOptions<DecisionOptions>>().Value,
            sp.GetRequiredService<ContactEligibility>(),
            sp.GetRequiredService<TimeProvider>()));
        return services;
    }
}
