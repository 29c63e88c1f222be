using Personalize.Channels;
using Personalize.Storage;
using Personalize.Storage.Contract;

namespace Personalize.Tests.Storage;

/// <summary>The storage contract against <see cref="InMemoryPersonalizeStore"/>.</summary>
public sealed class InMemoryStoreContractTests : PersonalizeStoreContract
{
    protected override Task<IPersonalizeStore> CreateStoreAsync(ChannelRegistry channels) => Task.FromResult<IPersonalizeStore>(new InMemoryPersonalizeStore());
}
