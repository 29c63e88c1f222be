using BenchmarkDotNet.Attributes;
using Personalize.Catalog;
using Personalize.Customers;
using Personalize.Decisions;

namespace Personalize.Benchmarks.Decisions;

/// <summary>
/// Decisions per second: one customer against a 50-message, 5-channel catalog (schedule tick and an event), and a
/// batch of 10,000 customers sequentially (one core) and in parallel (<see cref="DecisionEngine.DecideMany"/>).
/// Per-operation figures for the batches are per decision (<c>OperationsPerInvoke</c>).
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
public class DecisionBenchmarks
{
    private const int BatchSize = 10_000;
    private const int SmallBatchSize = 1_000;
    private DecisionEngine _engine = null!;
    private CompiledCatalog _catalog = null!;
    private CustomerProfile[] _customers = null!;
    private CustomerSnapshot _snapshot = null!;
    private CustomerProfile _one = null!;
    private DecisionEngine _threeWinners = null!;
    private CompiledCatalog _threeWinnersCatalog = null!;

    [GlobalSetup]
    public void Setup()
    {
        _engine = DecisionScenario.Engine();
        _catalog = DecisionScenario.Catalog(_engine);
        _customers = DecisionScenario.Customers(BatchSize);
        _one = _customers[3];
        _threeWinners = DecisionScenario.Engine(maxWinners: 3);
        _threeWinnersCatalog = DecisionScenario.Catalog(_threeWinners);
        _snapshot = CustomerSnapshot.Create(_customers);
    }

    [Benchmark(Description = "one customer, schedule tick")]
    public Decision DecideOneTick() => _engine.Decide(_catalog, _one, Trigger.Tick, DecisionScenario.Now);

    [Benchmark(Description = "one customer, event:order_shipped")]
    public Decision DecideOneEvent() => _engine.Decide(_catalog, _one, Trigger.Event("order_shipped"), DecisionScenario.Now);

    /// <summary>Up to three winners: the caps count the decision's earlier winners (issue 20), so later candidates take the winner-aware path.</summary>
    [Benchmark(Description = "one customer, schedule tick, MaxWinners 3")]
    public Decision DecideOneTickThreeWinners() => _threeWinners.Decide(_threeWinnersCatalog, _one, Trigger.Tick, DecisionScenario.Now);

    [Benchmark(Description = "one customer, schedule tick, DecisionDetail.All")]
    public Decision DecideOneExplainAll() => _engine.Decide(_catalog, _one, Trigger.Tick, DecisionScenario.Now, DecisionDetail.All);

    [Benchmark(Description = "10k customers, one core (per decision)", OperationsPerInvoke = BatchSize)]
    public int DecideBatchSequential()
    {
        var winners = 0;
        foreach (var customer in _customers)
        {
            winners += _engine.Decide(_catalog, customer, Trigger.Tick, DecisionScenario.Now).Winners.Count;
        }

        return winners;
    }

    /// <summary>The same batch through <see cref="DecisionEngine.DecideMany"/> on one thread (it prefetches the next profiles).</summary>
    [Benchmark(Description = "10k customers, DecideMany on one thread (per decision)", OperationsPerInvoke = BatchSize)]
    public int DecideBatchOneThread() => _engine.DecideMany(_catalog, _customers, Trigger.Tick, DecisionScenario.Now, maxDegreeOfParallelism: 1).Length;

    /// <summary>The same batch as a <see cref="CustomerSnapshot"/> (made once, in setup), through <see cref="DecisionEngine.DecideMany"/> on one thread.</summary>
    [Benchmark(Description = "10k customers, DecideMany over a CustomerSnapshot, one thread (per decision)", OperationsPerInvoke = BatchSize)]
    public int DecideSnapshotOneThread() => _engine.DecideMany(_catalog, _snapshot, Trigger.Tick, DecisionScenario.Now, maxDegreeOfParallelism: 1).Length;

    /// <summary>
    /// The first 1,000 customers of the same mix: their profiles stay in the CPU caches between passes, so the
    /// difference to the 10,000-customer batch is the cost of reading profiles from main memory.
    /// </summary>
    [Benchmark(Description = "1k customers (cache-resident), one core (per decision)", OperationsPerInvoke = SmallBatchSize)]
    public int DecideSmallBatchSequential()
    {
        var winners = 0;
        for (var i = 0; i < SmallBatchSize; i++)
        {
            winners += _engine.Decide(_catalog, _customers[i], Trigger.Tick, DecisionScenario.Now).Winners.Count;
        }

        return winners;
    }

    [Benchmark(Description = "10k customers, DecideMany parallel (per decision)", OperationsPerInvoke = BatchSize)]
    public int DecideBatchParallel() => _engine.DecideMany(_catalog, _customers, Trigger.Tick, DecisionScenario.Now).Length;
}
