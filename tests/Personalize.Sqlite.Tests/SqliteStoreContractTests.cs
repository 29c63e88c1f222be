using Personalize.Channels;
using Personalize.Storage;
using Personalize.Storage.Contract;

namespace Personalize.Sqlite.Tests;

/// <summary>The storage contract against <see cref="SqlitePersonalizeStore"/>, a new file per test.</summary>
public sealed class SqliteStoreContractTests : PersonalizeStoreContract, IDisposable
{
    private readonly TempDatabase _folder = new();
    private int _count;

    protected override Task<IPersonalizeStore> CreateStoreAsync(ChannelRegistry channels)
        => Task.FromResult<IPersonalizeStore>(SqlitePersonalizeStore.Open(Path.Combine(_folder.Directory, $"contract-{++_count}.db"), channels));

    public void Dispose() => _folder.Dispose();
}
