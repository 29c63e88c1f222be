using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Personalize.Benchmarks.Decisions;
using Personalize.Catalog;
using Personalize.Customers;
using Personalize.Decisions;

namespace Personalize.Tests.Decisions;

/// <summary>
/// The decision benchmarks' workload (<c>DecisionScenario</c>: 50 messages over 5 channels, customers with consent
/// ledgers, histories, caps, quiet hours and zones) decided by every path the engine has — <see cref="DecisionEngine.DecideMany"/>
/// on one thread and on two, <see cref="DecisionEngine.Decide(CompiledCatalog, CustomerProfile, Trigger, DateTimeOffset, DecisionDetail)"/>
/// with <see cref="DecisionDetail.Candidates"/> and with <see cref="DecisionDetail.All"/>, one and two winners — at
/// instants spread over three days and the clock: the paths must agree decision by decision, and every decision's
/// JSON and explanation must hash to the digests of <c>Golden/scenario.digests</c> (one line per instant and engine).
/// An optimization of the decision path that changes any decision of this base fails here, at the instant it changes;
/// <c>decide-loop digest</c> in the benchmarks harness hashes the full 10,000-customer base the same way.
/// </summary>
public sealed class DecisionScenarioDigestTests
{
    private const int CustomerCount = 1_000;

    private static readonly string DigestPath = RepoPaths.Combine("tests", "Personalize.Tests", "Decisions", "Golden", "scenario.digests");

    [Fact]
    public void Every_decision_path_decides_the_benchmark_base_as_recorded()
    {
        var one = DecisionScenario.Engine();
        var two = DecisionScenario.Engine(maxWinners: 2);
        var catalog = DecisionScenario.Catalog(one);
        var customers = DecisionScenario.Customers(CustomerCount);
        var lines = new List<string>();
        for (var step = 0; step < 8; step++)
        {
            var at = DecisionScenario.Now.AddHours(step * 3).AddDays(step % 3).AddMinutes(step * 7);
            foreach (var (engine, name) in new[] { (one, "one winner"), (two, "two winners") })
            {
                using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                var batch = engine.DecideMany(catalog, customers, Trigger.Tick, at, maxDegreeOfParallelism: 1);
                var parallel = engine.DecideMany(catalog, customers, Trigger.Tick, at, maxDegreeOfParallelism: 2);
                for (var i = 0; i < customers.Length; i++)
                {
                    var json = batch[i].ToJson();
                    var single = engine.Decide(catalog, customers[i], Trigger.Tick, at);
                    Assert.True(json == parallel[i].ToJson(), $"{name} at {at:O}: customer {i} is decided differently by DecideMany on two threads.");
                    Assert.True(json == single.ToJson(), $"{name} at {at:O}: customer {i} is decided differently by Decide than by DecideMany.");
                    Assert.True(single.Explain() == batch[i].Explain(), $"{name} at {at:O}: customer {i}'s explanation differs between Decide and DecideMany.");
                    var all = engine.Decide(catalog, customers[i], Trigger.Tick, at, DecisionDetail.All);
                    Assert.True(SameWinners(single, all), $"{name} at {at:O}: customer {i} has other winners when every candidate is evaluated.");
                    hash.AppendData(Encoding.UTF8.GetBytes(json));
                    hash.AppendData(Encoding.UTF8.GetBytes(single.Explain()));
                    hash.AppendData(Encoding.UTF8.GetBytes(all.ToJson()));
                    hash.AppendData(Encoding.UTF8.GetBytes(all.Explain()));
                }

                lines.Add(string.Create(CultureInfo.InvariantCulture, $"{at:O} {name.Replace(' ', '-')} {Convert.ToHexString(hash.GetHashAndReset())}"));
            }
        }

        var actual = string.Join('\n', lines) + "\n";
        if (Environment.GetEnvironmentVariable(GoldenDecisionTests.UpdateVariable) == "1")
        {
            var before = File.Exists(DigestPath) ? File.ReadAllText(DigestPath) : null;
            File.WriteAllText(DigestPath, actual, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            Assert.True(before == actual, $"scenario.digests was rewritten ({GoldenDecisionTests.UpdateVariable}=1): run again without the variable.");
            return;
        }

        Assert.True(File.Exists(DigestPath), $"scenario.digests is missing; create it with {GoldenDecisionTests.UpdateVariable}=1 (see Golden/README.md).");
        var expected = File.ReadAllText(DigestPath).Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < lines.Count; i++)
        {
            Assert.True(i < expected.Length && expected[i] == lines[i], $"scenario.digests line {i + 1}: the decisions changed.\nexpected: {(i < expected.Length ? expected[i] : "(no line)")}\nactual:   {lines[i]}\n"
                + $"If the change is intended, regenerate with {GoldenDecisionTests.UpdateVariable}=1 (see Golden/README.md); `decide-loop digest` compares two builds on the full base.");
        }

        Assert.Equal(expected.Length, lines.Count);
    }

    private static bool SameWinners(Decision a, Decision b)
    {
        if (a.Winners.Count != b.Winners.Count)
        {
            return false;
        }

        for (var i = 0; i < a.Winners.Count; i++)
        {
            var x = a.Winners[i];
            var y = b.Winners[i];
            if (x.MessageId != y.MessageId || x.Channel != y.Channel || x.SendAt != y.SendAt || x.IsDeferred != y.IsDeferred || x.Score != y.Score)
            {
                return false;
            }
        }

        return true;
    }
}
