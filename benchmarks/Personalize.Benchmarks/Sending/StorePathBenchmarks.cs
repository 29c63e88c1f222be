using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Personalize.Delivery;
using Personalize.Sqlite;
using Personalize.Storage;

namespace Personalize.Benchmarks.Sending;

/// <summary>
/// The two halves of the store's part of the closed loop on SQLite, one whole pass over 100,000 customers each, so the
/// closed loop's cost per message can be split: reading every customer a page at a time (facts, consent ledger,
/// history: <see cref="IPersonalizeStore.ReadCustomersAsync"/>), and recording one message per customer a page at a
/// time (delivery log entry + history record + version, in one transaction per page, then the delivered marks:
/// <see cref="IPersonalizeStore.RecordAsync"/>). Per message = Mean / Customers, Allocated / Customers.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5, invocationCount: 1)]
public class StorePathBenchmarks
{
    private const int PageSize = 500;
    private static readonly string Folder = Path.Combine(Path.GetTempPath(), "personalize-bench-store");
    private SendingScenario _scenario = null!;
    private string _pristine = null!;
    private string _work = null!;
    private SqlitePersonalizeStore _store = null!;
    private string[] _ids = [];

    /// <summary>Gets or sets how many customers the store holds.</summary>
    [ParamsSource(nameof(CustomerCounts))]
    public int Customers { get; set; }

    /// <summary>Gets the store sizes (as <see cref="StoreSendBenchmarks.CustomerCounts"/>; 100,000 by default).</summary>
    public static IEnumerable<int> CustomerCounts
        => (Environment.GetEnvironmentVariable("PERSONALIZE_BENCH_CUSTOMERS") ?? "100000").Split(',').Select(n => int.Parse(n, CultureInfo.InvariantCulture));

    [GlobalSetup]
    public void Setup()
    {
        _scenario = new SendingScenario();
        Directory.CreateDirectory(Folder);
        _pristine = Path.Combine(Folder, $"seeded-{Customers.ToString(CultureInfo.InvariantCulture)}.db");
        _work = Path.Combine(Folder, "path-work.db");
        if (!File.Exists(_pristine))
        {
            StoreSendBenchmarks.Seed(_scenario, Customers, _pristine + ".partial");
            File.Move(_pristine + ".partial", _pristine);
        }

        _ids = [.. _scenario.Stream(Customers).Select(static c => c.Id).Order(StringComparer.Ordinal)];
    }

    [IterationSetup]
    public void IterationSetup()
    {
        foreach (var suffix in new[] { string.Empty, "-wal", "-shm" })
        {
            File.Delete(_work + suffix);
        }

        File.Copy(_pristine, _work);
        _store = SqlitePersonalizeStore.Open(_work);
    }

    [IterationCleanup]
    public void IterationCleanup() => _store.Dispose();

    [Benchmark(Description = "read every customer, pages of 500 (facts + consent + history)")]
    public long Read()
    {
        long count = 0;
        string? token = null;
        do
        {
            var page = _store.ReadCustomersAsync(new CustomerQuery { Limit = PageSize, ContinueAfter = token }).AsTask().GetAwaiter().GetResult();
            count += page.Items.Count;
            token = page.ContinueAfter;
        }
        while (token is not null);

        return count;
    }

    [Benchmark(Description = "record one message per customer, pages of 500 (log + history + version, then delivered)")]
    public long Record()
    {
        var at = _scenario.At;
        var trigger = _scenario.Trigger.ToString();
        IReadOnlyList<string> delivered = [];
        long written = 0;
        for (var start = 0; start < _ids.Length; start += PageSize)
        {
            var count = Math.Min(PageSize, _ids.Length - start);
            var writes = new CustomerSends[count];
            var keys = new string[count];
            for (var i = 0; i < count; i++)
            {
                var id = _ids[start + i];
                var key = IdempotencyKey.Create(trigger, id, "spring-sale", at);
                keys[i] = key;
                writes[i] = new CustomerSends
                {
                    CustomerId = id,
                    ExpectedVersion = 1,
                    Deliveries = [new DeliveryRecord { IdempotencyKey = key, CustomerId = id, MessageId = "spring-sale", Channel = Channels.Channel.Email, Purpose = ContactPurpose.Marketing, Kind = MessageKind.Give, SentAt = at, Trigger = trigger, Template = "spring-sale/email", RunId = "bench" }],
                };
            }

            var result = _store.RecordAsync(new SendBatch { Customers = writes, Delivered = delivered }).AsTask().GetAwaiter().GetResult();
            written += result.Customers.Count;
            delivered = keys;
        }

        _store.RecordAsync(new SendBatch { Delivered = delivered }).AsTask().GetAwaiter().GetResult();
        return written;
    }
}
