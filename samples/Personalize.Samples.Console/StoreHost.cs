using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Personalize.Channels;
using Personalize.Customers;
using Personalize.PostgreSql;
using Personalize.Serialization;
using Personalize.Sqlite;
using Personalize.Storage;

namespace Personalize.Samples.ConsoleHost;

/// <summary>The sample's store: the SQLite file beside the outbox (or <c>--db FILE</c>), or PostgreSQL (<c>--postgres CS</c>), seeded from the bundled customers on first use.</summary>
internal static class StoreHost
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static string ResolveOutbox(CommandLine commandLine) => Path.GetFullPath(commandLine.OutDirectory ?? "outbox");

    public static string ResolveDatabase(CommandLine commandLine)
        => Path.GetFullPath(commandLine.Database ?? Path.Combine(Path.GetDirectoryName(ResolveOutbox(commandLine))!, "personalize.db"));

    /// <summary>
    /// Opens the store: PostgreSQL with <c>--postgres "CONNECTION STRING"</c>, else the SQLite database (<c>--db FILE</c>,
    /// default <c>personalize.db</c> beside the outbox), creating and migrating it; an empty one is seeded from the
    /// customers file unless <paramref name="seed"/> is false.
    /// </summary>
    public static HostedStore Open(CommandLine commandLine, IServiceProvider services, TextWriter output, bool seed = true)
    {
        var channels = services.GetRequiredService<ChannelRegistry>();
        HostedStore hosted;
        if (commandLine.Postgres is { } connection)
        {
            if (commandLine.Database is not null)
            {
                throw new SampleException("--db and --postgres name two stores; pass one of them (--db FILE for SQLite, --postgres \"CONNECTION STRING\" for PostgreSQL).");
            }

            try
            {
                var postgres = PostgreSqlPersonalizeStore.Open(connection, channels);
                hosted = new HostedStore(postgres, "PostgreSQL " + postgres.Server, postgres.Server);
            }
            catch (PostgreSqlStoreException ex)
            {
                throw new SampleException(ex.Message);
            }
            catch (ArgumentException ex)
            {
                throw new SampleException($"--postgres: not a connection string Npgsql understands ({ex.Message}); for example --postgres \"Host=localhost;Database=personalize;Username=me\".");
            }
        }
        else
        {
            var path = ResolveDatabase(commandLine);
            try
            {
                hosted = new HostedStore(SqlitePersonalizeStore.Open(path, channels), path, Path.GetFileName(path));
            }
            catch (SqliteStoreException ex)
            {
                throw new SampleException(ex.Message);
            }
            catch (Exception ex) when (ex is SqliteException or IOException or UnauthorizedAccessException)
            {
                throw new SampleException($"{path}: cannot open the database ({ex.Message}).");
            }
        }

        try
        {
            if (seed && commandLine.SyntheticCustomers is null && Wait(hosted.Store.CountCustomersAsync()) == 0)
            {
                var file = SampleHost.ResolveDataFile(commandLine);
                var imported = Import(hosted.Store, services.GetRequiredService<CustomerJson>(), file);
                output.WriteLine($"Seeded {hosted.Path} with {imported.Created} customers from {Path.GetFileName(file)} (first use).");
            }
        }
        catch
        {
            hosted.Dispose();
            throw;
        }

        return hosted;
    }

    /// <summary>Reads a customers file and imports it in one transaction; any error (with its JSON path and line) means nothing is imported.</summary>
    public static ImportResult Import(IPersonalizeStore store, CustomerJson json, string file)
    {
        var bytes = SampleHost.ReadFile(file, "customers");
        var customers = SampleHost.LoadCustomers(json, file, bytes);
        var result = Wait(store.ImportCustomersAsync(customers));
        if (!result.Succeeded)
        {
            var lines = new List<string> { $"{file}: {result.Errors.Count} customer{(result.Errors.Count == 1 ? string.Empty : "s")} refused, nothing imported" };
            var errors = result.Errors.Select(e => ($"$.customers[{e.Index.ToString(C)}].{e.Field}", $"{e.Message} ({e.Code})")).ToList();
            lines.AddRange(JsonLocator.Describe(file, bytes, errors).Select(static l => "  " + l));

            throw new SampleException(string.Join(Environment.NewLine, lines));
        }

        return result;
    }

    /// <summary>Makes sure the store holds the <paramref name="count"/> synthetic customers (imported in batches the first time).</summary>
    public static void SeedSynthetic(IPersonalizeStore store, int count, TextWriter output)
    {
        var held = Wait(store.CountCustomersAsync());
        if (held >= count && Wait(store.GetCustomerAsync(SyntheticCustomers.Id(count - 1))) is not null)
        {
            return;
        }

        var batch = new List<CustomerProfile>(5000);
        var enumerator = SyntheticCustomers.GenerateAsync(count).GetAsyncEnumerator();
        try
        {
            while (Wait(enumerator.MoveNextAsync()))
            {
                batch.Add(enumerator.Current);
                if (batch.Count == batch.Capacity)
                {
                    Wait(store.ImportCustomersAsync(batch));
                    batch.Clear();
                }
            }

            if (batch.Count > 0)
            {
                Wait(store.ImportCustomersAsync(batch));
            }
        }
        finally
        {
            Wait(enumerator.DisposeAsync());
        }

        output.WriteLine($"Imported {count.ToString("N0", C)} synthetic customers (Bogus, seed {SyntheticCustomers.Seed}) into the store.");
    }

    public static T Wait<T>(ValueTask<T> task) => task.IsCompletedSuccessfully ? task.Result : task.AsTask().GetAwaiter().GetResult();

    public static void Wait(ValueTask task)
    {
        if (!task.IsCompletedSuccessfully)
        {
            task.AsTask().GetAwaiter().GetResult();
        }
    }
}

/// <summary>A store the console opened, with where it is for messages (the SQLite file, or the PostgreSQL server without its password).</summary>
/// <param name="store">The store.</param>
/// <param name="path">The full location: the database file, or <c>PostgreSQL host:port/database</c>.</param>
/// <param name="name">A short name: the file name, or <c>host:port/database</c>.</param>
internal sealed class HostedStore(IPersonalizeStore store, string path, string name) : IDisposable
{
    public IPersonalizeStore Store { get; } = store;

    public string Path { get; } = path;

    public string Name { get; } = name;

    public void Dispose() => (Store as IDisposable)?.Dispose();
}
