using System.Globalization;
using CsCheck;
using Personalize.Decisions;
using Personalize.Delivery;
using Personalize.Delivery.Sinks;
using Personalize.Sending;
using Personalize.Storage;
using Personalize.Tests.Sending;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Personalize.Tests.Properties;

/// <summary>
/// Issue 20, part 4: the same model against the store-backed send loop. A generated customer is imported into the
/// in-memory store and the loop runs twice (<see cref="SendRunner.RunAsync(SendRun, IPersonalizeStore, IProgress{SendProgress}?, CancellationToken)"/>):
/// each run must send what the model decides now, hold what it defers as scheduled sends due when the model says, and
/// the second run's decision must count the first run's sends as history (caps, give before ask, message caps).
/// The loop keys a send by trigger, customer, message and send instant (trigger and customer are fixed here): a send now
/// is not recorded again under a key the delivery log holds, and a deferred send not under a key the delivery log or
/// the scheduled sends hold (the first run deferred a message to the very instant of the second run, which sends it
/// now: it goes, and the scheduled send will find its key delivered). The test expects exactly that.
/// </summary>
public sealed class ClosedLoopPropertyTests(ITestOutputHelper output)
{
    private const string CustomerId = "c-1";

    [Fact]
    public void Sends_the_loop_records_count_toward_the_next_decision()
    {
        var runs = Gen.Select(Generators.Scenario, Gen.Frequency((2, Gen.Int[1, 24 * 60]), (1, Gen.Int[24 * 60, 10 * 24 * 60])));
        runs.Sample(
            (scenario, minutes) => TwoRunsAsync(scenario, minutes).GetAwaiter().GetResult(),
            output.WriteLine,
            seed: DecisionPropertyTests.SeedFromEnvironment,
            iter: DecisionPropertyTests.SamplesFromEnvironment(400),
            print: t => t.Item1.ToCSharp() + $", second run {t.Item2} minutes later");
    }

    /// <summary>Runs the loop at the scenario's instant and again <paramref name="minutes"/> later, each checked against the model.</summary>
    internal static async Task TwoRunsAsync(Scenario scenario, int minutes)
    {
        var built = scenario.Build(CustomerId);
        var templates = MessageTemplates.CompileOrThrow(built.Catalog, new SendingKit.MemoryLoader(Templates()));
        var store = new InMemoryPersonalizeStore();
        var imported = await store.ImportCustomersAsync([built.Customer]);
        Check(imported.Succeeded, "the customer imports");
        var sink = new InMemorySink();
        var runner = new SendRunner(built.Engine, SendingKit.Renderer(), new SinkWriter(sink, new SinkRetryPolicy(1, TimeSpan.Zero), TimeProvider.System), new SendingOptions { Brand = new BrandInfo { Name = "Green Thumb" } }, new ManualTimeProvider(scenario.At));

        var keys = new Keys();
        var first = await RunAndCheckAsync(runner, store, sink, built, templates, scenario, keys, "first run");

        // The second run: the same customer with the first run's sends in its history, later.
        var later = scenario.At.AddMinutes(minutes);
        var shift = (int)(scenario.At - later).TotalSeconds;
        var history = scenario.History.Select(h => h with { Seconds = h.Seconds + shift })
            .Concat(first.Select(w => new HistorySpec(w.Id, w.Channel, scenario.Messages.Single(m => m.Id == w.Id).Purpose, scenario.Messages.Single(m => m.Id == w.Id).Kind, shift)))
            .ToArray();
        var second = scenario with
        {
            At = later,
            History = history,
            Consents = [.. scenario.Consents.Select(c => c with { RecordedMinutes = c.RecordedMinutes - minutes })],
            Messages = [.. scenario.Messages.Select(m => m with { ExpiresInMinutes = m.ExpiresInMinutes - minutes })],
        };
        var stored = (await store.GetCustomerAsync(CustomerId))!.Profile.History.Records;
        var expectedHistory = second.Customer(CustomerId).History.Records;
        Equal(string.Join("; ", expectedHistory), string.Join("; ", stored), "the history the store holds after the first run (the first run's sends appended)");
        sink.Clear();
        await RunAndCheckAsync(runner, store, sink, built, templates, second, keys, "second run");
    }

    /// <summary>
    /// Runs the loop once and checks it against the model: the winners the model sends now went to the sink, the ones it
    /// defers are new scheduled sends, except winners whose key an earlier run already used (see the class summary).
    /// Returns the winners sent now.
    /// </summary>
    private static async Task<IReadOnlyList<ReferenceModel.Winner>> RunAndCheckAsync(SendRunner runner, IPersonalizeStore store, InMemorySink sink, Scenario.Built built, CompiledTemplates templates, Scenario scenario, Keys keys, string what)
    {
        var before = (await store.ReadScheduledSendsAsync(new ScheduledSendQuery { Limit = 1000 })).Items.Select(s => s.IdempotencyKey).ToHashSet();
        var summary = await runner.RunAsync(new SendRun(built.Catalog, templates, built.Trigger) { At = scenario.At }, store);
        Check(summary.Errors.Count == 0, $"{what}: no errors ({string.Join("; ", summary.Errors.Select(e => e.ToString()))})");
        var expected = new ReferenceModel(scenario).Decide(DecisionDetail.Candidates).Winners
            .Where(keys.IsNew)
            .ToArray();
        var now = expected.Where(w => !w.Deferred).Select(w => $"{w.Id} on {w.Channel} at {w.SendAt:O}").Order();
        var sent = sink.Messages.Select(m => $"{m.MessageId} on {m.Channel} at {m.SendAt:O}").Order();
        Equal(string.Join("; ", now), string.Join("; ", sent), what + ": the messages sent now");
        var deferred = expected.Where(w => w.Deferred).Select(w => $"{w.Id} on {w.Channel} due {w.SendAt:O}").Order();
        var scheduled = (await store.ReadScheduledSendsAsync(new ScheduledSendQuery { Limit = 1000 })).Items
            .Where(s => !before.Contains(s.IdempotencyKey))
            .Select(s => $"{s.MessageId} on {s.Channel} due {s.DueAt:O}").Order();
        Equal(string.Join("; ", deferred), string.Join("; ", scheduled), what + ": the sends held for later");
        return [.. expected.Where(w => !w.Deferred)];
    }

    /// <summary>Every template part each generated message needs, plain text.</summary>
    private static Dictionary<string, string> Templates()
    {
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var channel in ReferenceModel.Channels)
        {
            var parts = channel switch
            {
                "email" => new[] { "subject", "text" },
                "push" or "in_app" => ["title", "body"],
                _ => ["body"],
            };
            foreach (var part in parts)
            {
                files[$"t/{channel}.{part}.sbn"] = $"{part} for {{{{ customer.id }}}}";
            }
        }

        return files;
    }

    /// <summary>The keys the loop has recorded so far: deliveries and scheduled sends.</summary>
    private sealed class Keys
    {
        private readonly HashSet<string> _delivered = new(StringComparer.Ordinal);
        private readonly HashSet<string> _scheduled = new(StringComparer.Ordinal);

        /// <summary>Whether the loop records this winner (and notes its key).</summary>
        public bool IsNew(ReferenceModel.Winner winner)
        {
            var key = winner.Id + "@" + winner.SendAt.UtcTicks.ToString(CultureInfo.InvariantCulture);
            return winner.Deferred
                ? !_delivered.Contains(key) && _scheduled.Add(key)
                : _delivered.Add(key);
        }
    }

    private static void Check(bool condition, string what)
    {
        if (!condition)
        {
            throw new XunitException("Closed loop: " + what);
        }
    }

    private static void Equal(string expected, string actual, string what)
    {
        if (!string.Equals(expected, actual, StringComparison.Ordinal))
        {
            throw new XunitException($"Closed loop: {what} differ from the model\n  model: {expected}\n  loop:  {actual}");
        }
    }
}
