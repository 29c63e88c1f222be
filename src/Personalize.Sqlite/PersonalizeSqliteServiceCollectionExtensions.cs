using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Personalize;
using Personalize.Channels;
using Personalize.Sqlite;
using Personalize.Storage;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the SQLite store.</summary>
public static class PersonalizeSqliteServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="SqlitePersonalizeStore"/> as the <see cref="IPersonalizeStore"/> singleton, opened (created and
    /// migrated) on first use with the <see cref="ChannelRegistry"/> of <c>AddPersonalize</c> (or the built-in channels)
    /// and the registered <see cref="TimeProvider"/> (or <see cref="TimeProvider.System"/>), and disposed with the service provider. A store registered before wins.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="path">The database file.</param>
    /// <returns>The same collection, for chaining.</returns>
    public static IServiceCollection AddPersonalizeSqlite(this IServiceCollection services, string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return services.AddPersonalizeSqlite(options => options.Path = path);
    }

    /// <summary>Registers <see cref="SqlitePersonalizeStore"/> as the <see cref="IPersonalizeStore"/> singleton (see the overload with a path).</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the file and busy timeout; <see cref="SqliteStoreOptions.Channels"/> defaults to the registered <see cref="ChannelRegistry"/> and <see cref="SqliteStoreOptions.TimeProvider"/> to the registered <see cref="TimeProvider"/> (or <see cref="TimeProvider.System"/> when none is).</param>
    /// <returns>The same collection, for chaining.</returns>
    /// <remarks>
    /// The options are <c>IOptions&lt;SqliteStoreOptions&gt;</c> (a host may also bind them from configuration), checked at
    /// start with every problem in one message (<see cref="SqliteStoreOptions.Validate"/>).
    /// </remarks>
    public static IServiceCollection AddPersonalizeSqlite(this IServiceCollection services, Action<SqliteStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        if (services.Any(static d => d.ServiceType == typeof(SqlitePersonalizeStore)))
        {
            return services; // registered before: that registration wins
        }

        services.AddOptions<SqliteStoreOptions>()
            .Configure<IServiceProvider>(static (options, sp) =>
            {
                options.Channels = sp.GetService<ChannelRegistry>() ?? ChannelRegistry.Default;
                options.TimeProvider = sp.GetService<TimeProvider>() ?? TimeProvider.System;
            })
            .Configure(configure)
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SqliteStoreOptions>, Validator>());
        services.TryAddSingleton(static sp => SqlitePersonalizeStore.Open(sp.GetRequiredService<IOptions<SqliteStoreOptions>>().Value));
        services.TryAddSingleton<IPersonalizeStore>(static sp => sp.GetRequiredService<SqlitePersonalizeStore>());
        return services;
    }

    private sealed class Validator : IValidateOptions<SqliteStoreOptions>
    {
        public ValidateOptionsResult Validate(string? name, SqliteStoreOptions options)
            => options.Validate() is { Count: > 0 } errors ? ValidateOptionsResult.Fail(SqliteStoreOptions.DescribeErrors(errors)) : ValidateOptionsResult.Success;
    }
}
