using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Personalize;
using Personalize.PostgreSql;
using Personalize.Storage;
using Personalize.Channels;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the PostgreSQL store.</summary>
public static class PersonalizePostgreSqlServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="PostgreSqlPersonalizeStore"/> as the <see cref="IPersonalizeStore"/> singleton, opened
    /// (schema created and migrated) on first use with the <see cref="ChannelRegistry"/> of <c>AddPersonalize</c> (or the
    /// built-in channels) and disposed with the service provider. A store registered before wins.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="connectionString">The Npgsql connection string.</param>
    /// <returns>The same collection, for chaining.</returns>
    public static IServiceCollection AddPersonalizePostgreSql(this IServiceCollection services, string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return services.AddPersonalizePostgreSql(options => options.ConnectionString = connectionString);
    }

    /// <summary>Registers <see cref="PostgreSqlPersonalizeStore"/> as the <see cref="IPersonalizeStore"/> singleton (see the overload with a connection string).</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the connection string and schema; <see cref="PostgreSqlStoreOptions.Channels"/> defaults to the registered <see cref="ChannelRegistry"/>.</param>
    /// <returns>The same collection, for chaining.</returns>
    /// <remarks>
    /// The options are <c>IOptions&lt;PostgreSqlStoreOptions&gt;</c> (a host may also bind them from configuration),
    /// checked at start with every problem in one message (<see cref="PostgreSqlStoreOptions.Validate"/>).
    /// </remarks>
    public static IServiceCollection AddPersonalizePostgreSql(this IServiceCollection services, Action<PostgreSqlStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        if (services.Any(static d => d.ServiceType == typeof(PostgreSqlPersonalizeStore)))
        {
            return services; // registered before: that registration wins
        }

        services.AddOptions<PostgreSqlStoreOptions>()
            .Configure<IServiceProvider>(static (options, sp) => options.Channels = sp.GetService<ChannelRegistry>() ?? ChannelRegistry.Default)
            .Configure(configure)
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PostgreSqlStoreOptions>, Validator>());
        services.TryAddSingleton(static sp => PostgreSqlPersonalizeStore.Open(sp.GetRequiredService<IOptions<PostgreSqlStoreOptions>>().Value));
        services.TryAddSingleton<IPersonalizeStore>(static sp => sp.GetRequiredService<PostgreSqlPersonalizeStore>());
        return services;
    }

    private sealed class Validator : IValidateOptions<PostgreSqlStoreOptions>
    {
        public ValidateOptionsResult Validate(string? name, PostgreSqlStoreOptions options)
            => options.Validate() is { Count: > 0 } errors ? ValidateOptionsResult.Fail(PostgreSqlStoreOptions.DescribeErrors(errors)) : ValidateOptionsResult.Success;
    }
}
