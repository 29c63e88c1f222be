using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Personalize.AspNetCore;
using Personalize.Delivery;
using Personalize.Delivery.Security;
using Personalize.Eligibility;
using Personalize.Sending;
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
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ConfirmationMessages>()));
        return services;
    }

    /// <summary>
    /// Registers <see cref="ConfirmationMessages"/>: the preference center then sends every double opt-in's confirmation
    /// link as the catalog's service message answering <c>event:double_opt_in_requested</c>
    /// (<see cref="DoubleOptInEvents"/>), through the send runner and the host's <c>IMessageSink</c>. Needs
    /// <c>AddPersonalizeSending</c> and an <c>IMessageSink</c>. Also registers the sweep that sends the confirmations a
    /// crash left unsent (<see cref="PreferenceCenter.SendMissingConfirmationsAsync"/>, an <see cref="IPersonalizeSweep"/>
    /// the hosted worker runs).
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="run">Builds the catalog and templates (once, at first use); the catalog must answer the event with service messages only.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddPersonalizeConfirmationMessages(this IServiceCollection services, Func<IServiceProvider, EventRun> run)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(run);
        services.TryAddSingleton(sp => new ConfirmationMessages(run(sp), sp.GetRequiredService<SendRunner>(), sp.GetRequiredService<IPersonalizeStore>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPersonalizeSweep, ConfirmationSweep>());
        return services;
    }

    /// <summary>The preference center's sweep for the hosted worker (nothing to do without a preference center).</summary>
    private sealed class ConfirmationSweep(IServiceProvider services) : IPersonalizeSweep
    {
        public string Name => "double-opt-in-confirmations";

        public async ValueTask<int> SweepAsync(CancellationToken cancellationToken = default)
            => services.GetService<PreferenceCenter>() is { } center ? await center.SendMissingConfirmationsAsync(cancellationToken).ConfigureAwait(false) : 0;
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
