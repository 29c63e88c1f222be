using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Personalize.AspNetCore;
using Personalize.Delivery;
using Personalize.Delivery.Security;
using Personalize.Eligibility;
using Personalize.Storage;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the preference center.</summary>
public static class PersonalizePreferenceCenterServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="PreferenceCenter"/> with its <see cref="PreferenceCenterOptions"/> (validated at start) and
    /// ASP.NET Core antiforgery. Needs <c>AddPersonalizeDelivery</c> (the signing key and link addresses) and an
    /// <see cref="IPersonalizeStore"/> (for example <c>AddPersonalizeSqlite</c>). Map the endpoints with
    /// <c>app.MapPersonalize()</c>.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Configures the options; <see cref="PreferenceCenterOptions.WordingVersion"/> is required.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddPersonalizePreferenceCenter(this IServiceCollection services, Action<PreferenceCenterOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddAntiforgery();
        services.AddOptions<PreferenceCenterOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PreferenceCenterOptions>, PreferenceCenterOptionsValidator>());
        services.TryAddSingleton(static sp => new PreferenceCenter(
            sp.GetRequiredService<IOptions<PreferenceCenterOptions>>().Value,
            sp.GetRequiredService<IOptions<DeliveryOptions>>().Value,
            sp.GetRequiredService<SignedTokenService>(),
            sp.GetRequiredService<IPersonalizeStore>(),
            sp.GetRequiredService<ContactEligibility>(),
            sp.GetRequiredService<TimeProvider>()));
        return services;
    }

    private sealed class PreferenceCenterOptionsValidator : IValidateOptions<PreferenceCenterOptions>
    {
        public ValidateOptionsResult Validate(string? name, PreferenceCenterOptions options)
        {
            var errors = options.Validate();
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail("Personalize preference-center options are invalid: " + string.Join(" ", errors));
        }
    }
}
