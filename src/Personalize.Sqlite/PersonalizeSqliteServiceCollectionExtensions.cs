using Microsoft.Extensions.DependencyInjection.Extensions;
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
    /// and disposed with the service provider. A store registered before wins.
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
    /// <param name="configure">Sets the file and busy timeout; <see cref="SqliteStoreOptions.Channels"/> defaults to the registered <see cref="ChannelRegistry"/>.</param>
    /// <returns>The same collection, for chaining.</returns>
    public static IServiceCollection AddPersonalizeSqlite(this IServiceCollection services, Action<SqliteStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.TryAddSingleton(sp =>
        {
            var options = new SqliteStoreOptions { Channels = sp.GetService<ChannelRegistry>() ?? ChannelRegistry.Default };
            configure(options);
            return SqlitePersonalizeStore.Open(options);
        });
        services.TryAddSingleton<IPersonalizeStore>(static sp => sp.GetRequiredService<SqlitePersonalizeStore>());
        return services;
    }
}
