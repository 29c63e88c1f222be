using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Personalize.Delivery;
using Personalize.Sqlite;
using Personalize.Storage;

namespace Personalize.Benchmarks.Sending;

/// <summary>
/// The two halves of the store's part of the closed loop on SQLite (a file, WAL, synchronous=FULL), so the closed
/// loop's cost per message can be split from decide + render: reading customers a page of 500 at a time (facts,
/// consent ledger, history: <see cref="IPersonalizeStore.ReadCustomersAsync"/>), and recording one message per
/// customer a page at a time (delivery log entry + history record + version in one transaction per page, the previous
/// page's delivered marks with it: <see cref="IPersonalizeStore.RecordAsync"/>). One invocation is
/// <see cref="Batch"/> customers (20 pages) of a store of <see cref="Customers"/>, moving on through the store, so per
/// message = Mean / 10,000 and Allocated / 10,000; each recording uses new keys and the versions the store holds.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 7, invocationCount: 1)]
public class StorePathBenchmarks
{
    /// <summary>Customers per invocation.</summary>
    public const int Batch = 10_000;
    private const int PageSize = 500;
    private SendingScenario _scenario = null!;
    private SqlitePersonalizeStore _reading = null!;
    private SqlitePersonalizeStore _recording = null!;
    private string[] _ids = [];
    private long[] _versions = [];
    private int _readAt;
    private int _recordAt;
    private int _invocation;

    /// <summary>Gets or sets how many customers the store holds.</summary>
    [ParamsSource(nameof(CustomerCounts))]
    public int Customers { get; set; }

    /// <summary>Gets the store sizes (<c>PERSONALIZE_BENCH_CUSTOMERS</c>, as <see cref="StoreSendBenchmarks"/>; 100,000 by default).</summary>
    public static IEnumerable<int> CustomerCounts
        => (Environment.GetEnvironmentVariable("PERSONALIZE_BENCH_CUSTOMERS") ?? "100000").Split(',').Select(n => int.Parse(n, CultureInfo.InvariantCulture));

    [GlobalSetup]
    public void Setup()
    {
        _scenario = new SendingScenario();
        var pristine = StoreSendBenchmarks.SeededStore(_scenario, Customers);
        _reading = SqlitePersonalizeStore.Open(StoreSendBenchmarks.FreshCopy(pristine, "path-read.db"));
        _recording = SqlitePersonalizeStore.Open(StoreSendBenchmarks.FreshCopy(pristine, "path-record.db"));
        _ids = [.. _scenario.Stream(Customers).Select(static c => c.Id).Order(StringComparer.Ordinal)];
        // The versions a page read gives (one read per page, not one per customer: 100,000 single reads took half a minute).
        var versions = new Dictionary<string, long>(StringComparer.Ordinal);
        string? after = null;
        do
        {
            var page = _recording.ReadCustomersAsync(new CustomerQuery { Limit = 2_000, ContinueAfter = after }).AsTask().GetAwaiter().GetResult();
            foreach (var customer in page.Items)
            {
                versions[customer.Id] = customer.Version;
            }

            after = page.ContinueAfter;
        }
        while (after is not null);
        _versions = [.. _ids.Select(id => versions[id])];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _reading.Dispose();
        _recording.Dispose();
    }

    [Benchmark(Description = "read 10,000 customers, pages of 500 (facts + consent + history)")]
    public long Read()
    {
        long count = 0;
        string? token = _readAt == 0 ? null : _ids[_readAt - 1];
        while (count < Batch)
        {
            var page = _reading.ReadCustomersAsync(new CustomerQuery { Limit = PageSize, ContinueAfter = token }).AsTask().GetAwaiter().GetResult();
            count += page.Items.Count;
            token = page.ContinueAfter;
            if (token is null)
            {
                break;
            }
        }

        _readAt = (_readAt + Batch) % _ids.Length;
        return count;
    }

    [Benchmark(Description = "record 10,000 messages, pages of 500 (log + history + version, then delivered)")]
    public long Record()
    {
        var at = _scenario.At;
        var trigger = "campaign:bench-" + (++_invocation).ToString(CultureInfo.InvariantCulture);
        IReadOnlyList<string> delivered = [];
        long written = 0;
        for (var done = 0; done < Batch; done += PageSize)
        {
            var start = (_recordAt + done) % _ids.Length;
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
                    ExpectedVersion = _versions[start + i],
                    Deliveries = [new DeliveryRecord { IdempotencyKey = key, CustomerId = id, MessageId = "spring-sale", Channel = Channels.Channel.Email, Purpose = ContactPurpose.Marketing, Kind = MessageKind.Give, SentAt = at, Trigger = trigger, Template = "spring-sale/email", RunId = trigger }],
                };
            }

            var result = _recording.RecordAsync(new SendBatch { Customers = writes, Delivered = delivered }).AsTask().GetAwaiter().GetResult();
            for (var i = 0; i < count; i++)
            {
                if (result.Customers[i].Status != WriteStatus.Written)
                {
                    throw new InvalidOperationException($"{writes[i].CustomerId}: {result.Customers[i].Status}");
                }

                _versions[start + i] = result.Customers[i].Version;
            }

            written += count;
            delivered = keys;
        }

        _recording.RecordAsync(new SendBatch { Delivered = delivered }).AsTask().GetAwaiter().GetResult();
        _recordAt = (_recordAt + Batch) % _ids.Length;
        return written;
    }
}
