using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Personalize;
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
    /// <see cref="ChannelRegistry"/>, <see cref="ContactEligibility"/> and <see cref="CustomerJson"/> as singletons,
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
        services.TryAddSingleton(static sp => sp.GetRequiredService<IOptions<PersonalizeOptions>>().Value.CreateChannelRegistry());
        services.TryAddSingleton(static sp => new ContactEligibility(
            sp.GetRequiredService<IOptions<PersonalizeOptions>>().Value,
            sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(static sp => new CustomerJson(sp.GetRequiredService<ChannelRegistry>()));
        return services;
    }
}
