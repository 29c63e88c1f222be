using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Personalize.Delivery.Sinks;
using Personalize.MailKit;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the SMTP sink.</summary>
public static class PersonalizeMailKitServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="SmtpSink"/> as a singleton and as the <see cref="IMessageSink"/> the
    /// <see cref="SinkWriter"/> of <c>AddPersonalizeDelivery</c> writes to (a sink registered before wins). The options are
    /// <c>IOptions&lt;SmtpSinkOptions&gt;</c>, checked at start with every problem in one message; the pool is closed with the provider.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the server, security, credentials, pool and DKIM.</param>
    /// <returns>The same collection, for chaining.</returns>
    public static IServiceCollection AddPersonalizeSmtp(this IServiceCollection services, Action<SmtpSinkOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        if (services.Any(static d => d.ServiceType == typeof(SmtpSink)))
        {
            return services; // registered before: that registration wins
        }

        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<SmtpSinkOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SmtpSinkOptions>, Validator>());
        services.TryAddSingleton(static sp => new SmtpSink(sp.GetRequiredService<IOptions<SmtpSinkOptions>>().Value, sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<IMessageSink>(static sp => sp.GetRequiredService<SmtpSink>());
        return services;
    }

    private sealed class Validator : IValidateOptions<SmtpSinkOptions>
    {
        public ValidateOptionsResult Validate(string? name, SmtpSinkOptions options)
            => options.Validate() is { Count: > 0 } errors ? ValidateOptionsResult.Fail(SmtpSinkOptions.DescribeErrors(errors)) : ValidateOptionsResult.Success;
    }
}
