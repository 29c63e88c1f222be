using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Personalize.Benchmarks.Events;
using Personalize.Benchmarks.Sending;
using Personalize.Catalog;
using Personalize.Channels;
using Personalize.Delivery.Sinks;
using Personalize.Events;
using Personalize.Journeys;
using Personalize.Sending;
using Personalize.Storage;
using Personalize.Templates;

namespace Personalize.Benchmarks.Journeys;

/// <summary>
/// The journeys' due pass (<see cref="SendRunner.SendDueAsync"/> with <see cref="DueRun.Journeys"/>) over a store of
/// <see cref="Customers"/> customers of whom a tenth are in a journey: every one of those is due, so each pass reads the
/// due instances a page at a time and, per customer, ends the week's wait, runs the send step through the decision rules
/// (consent, caps, timing), renders and records the email with the new instance state in one transaction, hands it to the
/// sink and starts the next week's wait. The journey is thirty weeks of (wait 7 days, send), and each invocation runs the
/// pass a week later than the one before, so every pass does the same work without reseeding. A benchmark is one whole
/// pass: stored customers per second = Customers / Mean; instances advanced per second = Customers / 10 / Mean.
/// Goal (issue 15): 1,000,000 stored customers, 10 % in a journey, at ≥ 100,000 customers/s.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5, invocationCount: 1)]
public class JourneyDueBenchmarks
{
    private const int Weeks = 30;
    private SendingScenario _scenario = null!;
    private SendRunner _runner = null!;
    private CompiledCatalog _catalog = null!;
    private CompiledTemplates _templates = null!;
    private JourneySet _journeys = null!;
    private IPersonalizeStore _sqlite = null!;
    private IPersonalizeStore _memory = null!;
    private IPersonalizeStore? _postgres;
    private int _sqlitePasses;
    private int _memoryPasses;
    private int _postgresPasses;

    /// <summary>Gets or sets how many customers the store holds (<c>PERSONALIZE_BENCH_JOURNEY_CUSTOMERS</c>, default 1,000,000); a tenth are in the journey.</summary>
    [ParamsSource(nameof(CustomerCounts))]
    public int Customers { get; set; }

    /// <summary>Gets the store sizes.</summary>
    public static IEnumerable<int> CustomerCounts => [EventBench.Count("PERSONALIZE_BENCH_JOURNEY_CUSTOMERS", 1_000_000)];

    /// <summary>
    /// Gets or sets which stores run (<c>PERSONALIZE_BENCH_JOURNEY_STORES</c>: <c>memory</c>, <c>sqlite</c> or both, the
    /// default; <c>postgres</c> adds PostgreSQL, seeded afresh in the database <c>pz_bench_journeys</c> of the server
    /// that <c>PERSONALIZE_BENCH_POSTGRES</c> names).
    /// </summary>
    private static string Stores => Environment.GetEnvironmentVariable("PERSONALIZE_BENCH_JOURNEY_STORES") ?? "memory,sqlite";

    private int InJourney => Customers / 10;

    /// <summary>Gets or sets the runner's page size (<see cref="SendingOptions.PageSize"/>; the harness's <c>--page-size</c>).</summary>
    public int PageSize { get; set; } = new SendingOptions().PageSize;

    [GlobalSetup]
    public void Setup()
    {
        _scenario = new SendingScenario();
        _runner = _scenario.Runner(NullSink.Instance, pageSize: PageSize);
        _catalog = MessageCatalog.CreateBuilder()
            .Add("renewal-note", m => m.Service().On(Trigger.Journey("renewal")).Channel(Channel.Email, "renewal-note/email"))
            .Build()
            .Compile();
        var files = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["renewal-note/email.subject.sbn"] = "{{ customer.first_name ?? \"Gardener\" }}, your Garden Club renewal",
            ["renewal-note/email.html.sbn"] = "<p>Hi {{ customer.first_name ?? \"there\" }},</p><p>your membership renews soon; you have {{ customer.loyalty_points }} points to spend.</p><p>{{ why }}</p>",
            ["renewal-note/email.text.sbn"] = "Hi {{ customer.first_name ?? \"there\" }},\nyour membership renews soon; you have {{ customer.loyalty_points }} points to spend.\n{{ why }}",
        };
        _templates = MessageTemplates.CompileOrThrow(_catalog, new DictionaryLoader(files));
        var builder = new JourneyBuilder("renewal").EnteredOn("event:renewal_due");
        for (var week = 1; week <= Weeks; week++)
        {
            builder.Wait("wait" + week.ToString(CultureInfo.InvariantCulture), TimeSpan.FromDays(7))
                .Send("note" + week.ToString(CultureInfo.InvariantCulture), "renewal-note", Channel.Email);
        }

        _journeys = JourneySet.Create([builder.Build(_catalog)], _catalog);

        // A tenth of the customers enter (one renewal_due event each); the ingestion starts their first week's wait.
        void Enter(IPersonalizeStore store)
        {
            var events = Enumerable.Range(0, InJourney).Select(i => new CustomerEvent
            {
                Id = "rd-" + i.ToString(CultureInfo.InvariantCulture),
                Type = "renewal_due",
                CustomerId = "s-" + (i * 10).ToString(CultureInfo.InvariantCulture),
                OccurredAt = EventBench.At.AddMinutes(-5),
            }).ToArray();
            var entered = _runner.IngestAsync(new EventRun(_catalog, _templates) { At = EventBench.At, Journeys = _journeys }, EventBench.Stream(events), store).GetAwaiter().GetResult();
            if (entered.Journeys?.Entered != InJourney)
            {
                throw new InvalidOperationException($"Scenario: {entered.Journeys?.Entered} of {InJourney} customers entered the journey.");
            }
        }

        if (Stores.Contains("sqlite", StringComparison.Ordinal))
        {
            _sqlite = EventBench.SqliteCopy(_scenario, Customers, "journeys", Enter);
        }

        if (Stores.Contains("memory", StringComparison.Ordinal))
        {
            _memory = EventBench.Memory(_scenario, Customers, Enter);
        }

        if (Stores.Contains("postgres", StringComparison.Ordinal))
        {
            _postgres = EventBench.Postgres(_scenario, Customers, "pz_bench_journeys", Enter);
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        (_sqlite as IDisposable)?.Dispose();
        (_postgres as IDisposable)?.Dispose();
    }

    [Benchmark(Description = "journeys due pass over PostgreSQL: 10 % of the store in a journey, each: wait ends, email sent, next wait")]
    public long PostgreSql() => _postgres is null ? 0 : Pass(_postgres, ++_postgresPasses);

    [Benchmark(Description = "journeys due pass over SQLite: 10 % of the store in a journey, each: wait ends, email sent, next wait")]
    public long Sqlite() => _sqlite is null ? 0 : Pass(_sqlite, ++_sqlitePasses);

    [Benchmark(Baseline = true, Description = "journeys due pass over the in-memory store: 10 % in a journey, each: wait ends, email sent, next wait")]
    public long InMemory() => _memory is null ? 0 : Pass(_memory, ++_memoryPasses);

    private long Pass(IPersonalizeStore store, int week)
    {
        if (week > Weeks)
        {
            throw new InvalidOperationException($"The journey has {Weeks} weeks; run fewer invocations.");
        }

        var at = EventBench.At.AddDays(7 * week);
        var summary = _runner.SendDueAsync(new DueRun(_catalog, _templates) { At = at, Journeys = _journeys }, store).GetAwaiter().GetResult();
        if (summary.Journeys!.Instances != InJourney || summary.Totals.TotalSent != InJourney || summary.Totals.Errors != 0)
        {
            throw new InvalidOperationException($"Scenario check failed in week {week}: {summary.Journeys.Instances} instances, {summary.Totals.TotalSent} sent, {summary.Totals.Errors} errors ({summary.Errors.FirstOrDefault()}), of {InJourney}.");
        }

        return summary.Journeys.Instances;
    }

    private sealed class DictionaryLoader(Dictionary<string, string> files) : ITemplateLoader
    {
        public bool TryLoad(string name, out string source) => files.TryGetValue(name, out source!);
    }
}
