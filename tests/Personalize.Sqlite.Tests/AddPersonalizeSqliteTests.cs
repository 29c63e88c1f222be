using Microsoft.Extensions.DependencyInjection;
using Personalize.Channels;
using Personalize.Storage;
using static Personalize.Storage.Contract.StoreKit;

namespace Personalize.Sqlite.Tests;

public sealed class AddPersonalizeSqliteTests : IDisposable
{
    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task The_registered_store_is_one_sqlite_file_that_knows_the_hosts_channels_and_closes_with_the_provider()
    {
        var services = new ServiceCollection()
            .AddPersonalize(o => o.AddChannel("whatsapp", ContactPointKind.Phone, "WhatsApp"))
            .AddPersonalizeSqlite(_db.File);
        await using (var provider = services.BuildServiceProvider())
        {
            var store = provider.GetRequiredService<IPersonalizeStore>();
            Assert.Same(provider.GetRequiredService<SqlitePersonalizeStore>(), store);
            await store.ImportCustomersAsync([Customer("c-1")]); // ranks WhatsApp, a host channel
        }

        using var reopened = SqlitePersonalizeStore.Open(_db.File, Personalize.Storage.Contract.StoreKit.Channels);
        Assert.Contains(WhatsApp, (await reopened.GetCustomerAsync("c-1"))!.Profile.Preferences.ChannelRanking);
    }
}
