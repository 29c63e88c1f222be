using System.Globalization;
using CsCheck;
using Personalize.Channels;
using Xunit.Abstractions;
using Personalize.Timing;

namespace Personalize.Tests.Properties;

/// <summary>
/// Issue 20: the decision engine's promises, held by properties. Random customers, ledgers, histories, preferences,
/// catalogs, triggers and instants near DST changes; every decision is checked against <see cref="ReferenceModel"/>.
/// Budget, long mode and how to replay a failure: Properties/README.md.
/// </summary>
public sealed class DecisionPropertyTests(ITestOutputHelper output)
{
    /// <summary>Set to a number of samples per property to run more (or fewer) than the CI budget.</summary>
    public const string SamplesVariable = "PERSONALIZE_PROPERTY_SAMPLES";

    /// <summary>Set to <c>1</c> for the long mode: 100 times the CI budget (millions of decisions).</summary>
    public const string LongVariable = "PERSONALIZE_PROPERTY_LONG";

    /// <summary>Set to a seed printed by a failure to replay it first.</summary>
    public const string SeedVariable = "PERSONALIZE_PROPERTY_SEED";

    /// <summary>The samples a property runs: <paramref name="ci"/>, or as the environment says (see the constants above).</summary>
    public static int SamplesFromEnvironment(int ci) => (int)Math.Min(int.MaxValue, Samples(ci));

    /// <summary>The seed to replay first, if the environment names one.</summary>
    public static string? SeedFromEnvironment => Seed;

    private static long Samples(long ci)
    {
        if (long.TryParse(Environment.GetEnvironmentVariable(SamplesVariable), NumberStyles.None, CultureInfo.InvariantCulture, out var samples) && samples > 0)
        {
            return samples;
        }

        return Environment.GetEnvironmentVariable(LongVariable) == "1" ? ci * 100 : ci;
    }

    private static int Threads => int.TryParse(Environment.GetEnvironmentVariable("PERSONALIZE_PROPERTY_THREADS"), out var t) ? t : -1;

    private static string? Seed => Environment.GetEnvironmentVariable(SeedVariable) is { Length: > 0 } seed ? seed : null;

    [Fact]
    public void Every_decision_matches_the_independent_model()
    {
        var before = PropertyAssert.Decisions;
        Generators.Scenario.Sample(PropertyAssert.DecisionMatchesModel, output.WriteLine, seed: Seed, iter: Samples(8_000), threads: Threads, print: s => s.ToCSharp());
        output.WriteLine($"{PropertyAssert.Decisions - before} decisions checked against the model");
    }

    [Fact]
    public void DecideMany_decides_like_Decide_and_like_the_model()
    {
        var batches = Gen.Select(Generators.Catalog, Generators.Options, Generators.Trigger, Gen.OneOf(Generators.Zones))
            .SelectMany((catalog, options, trigger, zone) => Generators.Instant(zone).SelectMany(at => Generators.Customer(catalog, options, trigger, zone, at).Array[2, 12]));
        var before = PropertyAssert.Decisions;
        batches.Sample(PropertyAssert.BatchMatches, output.WriteLine, seed: Seed, iter: Samples(600), print: b => string.Join(",\n", b.Select(s => s.ToCSharp())));
        output.WriteLine($"{PropertyAssert.Decisions - before} batch decisions checked");
    }

    [Fact]
    public void Eligibility_check_matches_the_reference()
    {
        var checks = Gen.Select(Generators.Scenario, Gen.OneOf(Generators.Channels), Gen.Enum<ContactPurpose>(), Gen.Frequency((3, Gen.Const(default(string?))), (1, Gen.OneOf(Generators.Topics).Select(t => (string?)t))), Gen.Int[-3 * 24 * 60, 3 * 24 * 60]);
        checks.Sample(
            (scenario, channel, purpose, topic, shift) =>
            {
                var built = scenario.Build();
                var at = scenario.At.AddMinutes(shift);
                var result = built.Engine.Eligibility.Check(built.Customer, new Channel(channel), purpose, at, topic);
                var (code, next) = new ReferenceModel(scenario).Check(channel, purpose, at, topic);
                Assert.True(code == result.Code, $"Check({channel}, {purpose}, {at:O}, {topic ?? "no topic"}): reference {code}, engine {result.Code}");
                Assert.True(next == result.NextAllowedAt, $"Check({channel}, {purpose}, {at:O}): next allowed — reference {next:O}, engine {result.NextAllowedAt:O}");
            },
            output.WriteLine,
            seed: Seed,
            iter: Samples(5_000),
            print: t => $"{t.Item1.ToCSharp()}, channel \"{t.Item2}\", ContactPurpose.{t.Item3}, topic {t.Item4 ?? "null"}, {t.Item5} minutes after At");
    }

    [Fact]
    public void Next_allowed_matches_a_minute_by_minute_scan()
    {
        var windows = Generators.WindowCases;
        windows.Sample(w => w.MatchesScan(), output.WriteLine, seed: Seed, iter: Samples(1_500), print: w => w.ToCSharp());
    }

    /// <summary>Cases the suite found, printed by it as C#; each stays here so the bug it found cannot come back.</summary>
    public static TheoryData<string> Found()
    {
        var data = new TheoryData<string>();
        foreach (var name in FoundCases.All.Keys)
        {
            data.Add(name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Found))]
    public void Cases_the_suite_found_still_match_the_model(string name) => PropertyAssert.DecisionMatchesModel(FoundCases.All[name]);

    public static TheoryData<string> FoundWindows()
    {
        var data = new TheoryData<string>();
        foreach (var name in FoundCases.Windows.Keys)
        {
            data.Add(name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(FoundWindows))]
    public void Windows_the_suite_found_still_match_the_scan(string name) => FoundCases.Windows[name].MatchesScan();

    /// <summary>
    /// The seeds that found issue 20's violations (with the violation put back): replayed first, then a few more
    /// samples. A seed names a case only for the generators it was found with; the printed cases above are the
    /// durable form.
    /// </summary>
    [Theory]
    [InlineData("8QD_Me_gySU1")]
    [InlineData("aNpAuSPA-Xy2")]
    [InlineData("38P8GvIj9fh1")]
    public void Seeds_that_found_violations_still_pass(string seed)
        => Generators.Scenario.Sample(PropertyAssert.DecisionMatchesModel, output.WriteLine, seed: seed, iter: 10, threads: 1, print: s => s.ToCSharp());

    [Fact]
    public void The_seed_that_found_the_repeated_hour_still_passes()
        => Generators.WindowCases.Sample(w => w.MatchesScan(), output.WriteLine, seed: "f3V3OIDBDie1", iter: 10, threads: 1, print: w => w.ToCSharp());
}
