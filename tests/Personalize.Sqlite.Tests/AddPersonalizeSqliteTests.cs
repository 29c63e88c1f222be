using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
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

    [Fact]
    public void Invalid_options_are_refused_at_start_with_every_problem_in_one_message()
    {
        var services = new ServiceCollection().AddPersonalizeSqlite(o => (o.Path, o.BusyTimeout) = (" ", TimeSpan.FromSeconds(-1)));
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("The SQLite store options are invalid: Path is required (the database file, for example personalize.db). BusyTimeout is -00:00:01; use zero or more.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_options_are_ioptions_a_host_can_change_and_the_first_registration_wins()
    {
        var services = new ServiceCollection()
            .AddPersonalize(o => o.AddChannel("whatsapp", ContactPointKind.Phone, "WhatsApp"))
            .AddPersonalizeSqlite(_db.File)
            .AddPersonalizeSqlite("other.db")
            .Configure<Sqlite.SqliteStoreOptions>(o => o.BusyTimeout = TimeSpan.FromSeconds(5));
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<Sqlite.SqliteStoreOptions>>().Value;

        Assert.Equal((_db.File, TimeSpan.FromSeconds(5)), (options.Path, options.BusyTimeout));
        Assert.True(options.Channels.TryGet(WhatsApp, out _)); // the host's channels by default
    }

    [Fact]
    public async Task The_store_keeps_time_on_the_registered_clock()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 3, 9, 0, 0, TimeSpan.Zero));
        var services = new ServiceCollection()
            .AddSingleton<TimeProvider>(clock)
            .AddPersonalize()
            .AddPersonalizeSqlite(_db.File);
        await using var provider = services.BuildServiceProvider();
        var store = provider.GetRequiredService<IPersonalizeStore>();
        await store.ImportCustomersAsync([Customer("c-1")]);
        var lease = TimeSpan.FromSeconds(30);

        var first = await store.ClaimWorkAsync(new WorkRequest { RunId = "run-1", Worker = "a", Lease = lease });
        clock.Advance(TimeSpan.FromSeconds(10));
        var held = await store.ClaimWorkAsync(new WorkRequest { RunId = "run-1", Worker = "b", Lease = lease });
        clock.Advance(TimeSpan.FromSeconds(21));
        var expired = await store.ClaimWorkAsync(new WorkRequest { RunId = "run-1", Worker = "b", Lease = lease });

        Assert.Equal(clock.Start + lease, first.Claim?.LeaseUntil);
        Assert.Equal((null, TimeSpan.FromSeconds(20)), (held.Claim, held.RetryAfter)); // the lease runs on the fake clock, not the machine's
        Assert.Equal("b", expired.Claim?.Worker);
    }
}
