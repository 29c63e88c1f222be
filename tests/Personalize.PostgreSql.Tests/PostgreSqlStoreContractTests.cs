using Personalize.Storage;
using Personalize.Storage.Contract;
using Personalize.Channels;

namespace Personalize.PostgreSql.Tests;

/// <summary>The storage contract against <see cref="PostgreSqlPersonalizeStore"/> on a real server, a new schema per test.</summary>
public sealed class PostgreSqlStoreContractTests : PersonalizeStoreContract, IAsyncLifetime
{
    private readonly List<string> _schemas = [];

    /// <summary>Why the contract tests are skipped (no server configured), read by <see cref="StoreFactAttribute"/>.</summary>
    public static string? SkipReason => PostgresServer.SkipReason;

    protected override async Task<IPersonalizeStore> CreateStoreAsync(ChannelRegistry channels)
    {
        var schema = PostgresServer.NewSchema();
        _schemas.Add(schema);
        var options = PostgresServer.Options(schema);
        options.Channels = channels;
        return await PostgreSqlPersonalizeStore.OpenAsync(options);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => PostgresServer.DropAsync(_schemas);
}
