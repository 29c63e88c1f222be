using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Personalize.Catalog;
using Personalize.Channels;
using Personalize.Customers;
using Personalize.Decisions;
using Personalize.Eligibility;
using Personalize.Serialization;

namespace Personalize.Tests.Decisions;

/// <summary>
/// Golden decisions: every customer of <c>Golden/NAME.customers.json</c>, decided against <c>NAME.catalog.json</c> for
/// every trigger of the catalog (and one it does not answer) at every instant of the case, in both detail levels, must
/// give exactly the lines of <c>NAME.decisions.jsonl</c>. Format and how to regenerate: <c>Golden/README.md</c>.
/// </summary>
public sealed class GoldenDecisionTests
{
    /// <summary>Set to <c>1</c> to rewrite the expected files from what the engine decides now (then review the diff).</summary>
    public const string UpdateVariable = "PERSONALIZE_UPDATE_GOLDEN";

    private static readonly string Folder = RepoPaths.Combine("tests", "Personalize.Tests", "Decisions", "Golden");

    public static TheoryData<string> Cases()
    {
        var cases = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Folder, "*.customers.json").Order(StringComparer.Ordinal))
        {
            cases.Add(Path.GetFileName(file)[..^".customers.json".Length]);
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Decisions_match_the_golden_file(string name)
    {
        var actual = GoldenCase.Load(name).DecideAll();
        var expectedPath = Path.Combine(Folder, name + ".decisions.jsonl");

        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            var before = File.Exists(expectedPath) ? File.ReadAllText(expectedPath) : null;
            File.WriteAllText(expectedPath, actual, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            Assert.True(before == actual, $"{name}.decisions.jsonl was rewritten ({UpdateVariable}=1): review `git diff`, then run again without the variable.");
            return;
        }

        Assert.True(File.Exists(expectedPath), $"{name}.decisions.jsonl is missing; create it with {UpdateVariable}=1 (see Golden/README.md).");
        var expectedLines = File.ReadAllText(expectedPath).Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var actualLines = actual.Split('\n');
        for (var i = 0; i < Math.Min(expectedLines.Length, actualLines.Length); i++)
        {
            if (!string.Equals(expectedLines[i], actualLines[i], StringComparison.Ordinal))
            {
                Assert.Fail($"{name}.decisions.jsonl line {i + 1} differs.\nexpected: {expectedLines[i]}\nactual:   {actualLines[i]}\n"
                    + $"If the change is intended, regenerate with {UpdateVariable}=1 (see Golden/README.md).");
            }
        }

        Assert.True(expectedLines.Length == actualLines.Length, $"{name}.decisions.jsonl has {expectedLines.Length} lines; the engine gives {actualLines.Length}.");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_batch_decides_like_one_customer_at_a_time(string name)
    {
        var golden = GoldenCase.Load(name);
        foreach (var trigger in golden.Triggers)
        {
            foreach (var at in golden.Instants)
            {
                var batch = golden.Engine.DecideMany(golden.Catalog, golden.Customers, trigger, at, maxDegreeOfParallelism: 2);
                for (var i = 0; i < golden.Customers.Count; i++)
                {
                    var single = golden.Engine.Decide(golden.Catalog, golden.Customers[i], trigger, at);
                    Assert.Equal(single.ToJson(), batch[i].ToJson());
                }
            }
        }
    }

    [Fact]
    public void The_golden_files_cover_every_rule_and_code()
    {
        var codes = new HashSet<string>(StringComparer.Ordinal);
        var rules = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in Directory.GetFiles(Folder, "*.decisions.jsonl"))
        {
            foreach (var line in File.ReadLines(file).Where(l => l.Length > 0))
            {
                var decision = JsonNode.Parse(line)!;
                foreach (var candidate in decision["candidates"]!.AsArray())
                {
                    codes.Add((string)candidate!["code"]!);
                    if (candidate["rule"] is { } rule)
                    {
                        rules.Add((string)rule!);
                    }

                    foreach (var channel in candidate["channels"]?.AsArray() ?? [])
                    {
                        var code = (string)channel!["code"]!;
                        codes.Add(code);
                        if (ChannelRuleOf(code) is { } channelRule)
                        {
                            rules.Add(channelRule);
                        }
                    }
                }
            }
        }

        var decisionCodes = typeof(DecisionCodes).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (string)f.GetValue(null)!);
        // The consent rule answers with these eligibility codes; channel.unknown cannot occur (the catalog is validated)
        // and the topic codes are ContactEligibility's (the decision's topic rule has its own).
        string[] consentCodes = [EligibilityCodes.ContactPointMissing, EligibilityCodes.ConsentMissing, EligibilityCodes.ConsentPendingDoubleOptIn, EligibilityCodes.ConsentWithdrawn, EligibilityCodes.PurposeWithdrawn];

        var missingCodes = decisionCodes.Concat(consentCodes).Where(c => !codes.Contains(c)).ToList();
        var missingRules = DecisionEngine.BuiltInRuleNames.Where(r => !rules.Contains(r)).ToList();
        Assert.True(missingCodes.Count == 0, "No golden decision gives these codes: " + string.Join(", ", missingCodes));
        Assert.True(missingRules.Count == 0, "No golden decision is stopped by these rules: " + string.Join(", ", missingRules));
    }

    /// <summary>The built-in channel rule a channel outcome's code comes from (channel outcomes carry codes, not rule names).</summary>
    private static string? ChannelRuleOf(string code) => code switch
    {
        DecisionCodes.ChannelCap or DecisionCodes.OverallCap => "frequency",
        DecisionCodes.QuietHours or DecisionCodes.OutsidePreferredTime or DecisionCodes.NoAllowedTime => "timing",
        _ when code.StartsWith("consent.", StringComparison.Ordinal) || code == EligibilityCodes.ContactPointMissing => "consent",
        _ => null,
    };
}

/// <summary>One golden case: its catalog, customers, instants and engine.</summary>
internal sealed class GoldenCase
{
    private static readonly string Folder = RepoPaths.Combine("tests", "Personalize.Tests", "Decisions", "Golden");

    /// <summary>Compact lines; non-ASCII text (names, reasons) stays readable.</summary>
    private static readonly JsonSerializerOptions LineFormat = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The instants a case is decided at unless its settings name others: a Wednesday morning and late evening in Europe.</summary>
    private static readonly DateTimeOffset[] DefaultInstants =
    [
        new(2026, 3, 11, 10, 0, 0, TimeSpan.Zero),
        new(2026, 3, 11, 22, 30, 0, TimeSpan.Zero),
    ];

    private GoldenCase(DecisionEngine engine, CompiledCatalog catalog, IReadOnlyList<CustomerProfile> customers, IReadOnlyList<Trigger> triggers, IReadOnlyList<DateTimeOffset> instants)
    {
        Engine = engine;
        Catalog = catalog;
        Customers = customers;
        Triggers = triggers;
        Instants = instants;
    }

    public DecisionEngine Engine { get; }

    public CompiledCatalog Catalog { get; }

    public IReadOnlyList<CustomerProfile> Customers { get; }

    /// <summary>Every trigger of the catalog, in order, then <c>event:golden_unanswered</c>, which no message answers.</summary>
    public IReadOnlyList<Trigger> Triggers { get; }

    public IReadOnlyList<DateTimeOffset> Instants { get; }

    public static GoldenCase Load(string name)
    {
        var settings = ReadSettings(Path.Combine(Folder, name + ".settings.json"));
        var personalize = new PersonalizeOptions().AddChannel("whatsapp", ContactPointKind.Phone, "WhatsApp");
        var options = new DecisionOptions
        {
            MaxWinners = settings.MaxWinners ?? 1,
            MaxAsksPerDecision = settings.MaxAsksPerDecision ?? 1,
            MinGivesBeforeAsk = settings.MinGivesBeforeAsk ?? 2,
            RequireTopicMatch = settings.RequireTopicMatch ?? true,
        };
        foreach (var rule in settings.DisabledRules ?? [])
        {
            options.DisabledRules.Add(rule);
        }

        var clock = new ManualTimeProvider(DefaultInstants[0]);
        var eligibility = new ContactEligibility(personalize, clock);
        var engine = new DecisionEngine(options, eligibility, clock);
        var catalog = CatalogJson.Compile(File.ReadAllBytes(Path.Combine(Folder, name + ".catalog.json")), new CatalogValidationOptions { Channels = eligibility.Channels });
        var customers = new CustomerJson(eligibility.Channels).ReadCustomers(File.ReadAllBytes(Path.Combine(Folder, name + ".customers.json")));
        var triggers = catalog.Triggers.Append(Trigger.Event("golden_unanswered")).ToList();
        var instants = settings.Instants?.Select(DateTimeOffset.Parse).ToList() ?? [.. DefaultInstants];
        return new GoldenCase(engine, catalog, customers, triggers, instants);
    }

    /// <summary>One JSON line per customer, trigger, instant and detail level, in that nesting order.</summary>
    public string DecideAll()
    {
        var text = new StringBuilder();
        foreach (var customer in Customers)
        {
            foreach (var trigger in Triggers)
            {
                foreach (var at in Instants)
                {
                    foreach (var detail in (DecisionDetail[])[DecisionDetail.Candidates, DecisionDetail.All])
                    {
                        var decision = JsonNode.Parse(Engine.Decide(Catalog, customer, trigger, at, detail).ToJson())!.AsObject();
                        var line = new JsonObject { ["detail"] = detail == DecisionDetail.All ? "all" : "candidates" };
                        foreach (var (key, value) in decision.ToList())
                        {
                            decision.Remove(key);
                            line[key] = value;
                        }

                        text.Append(line.ToJsonString(LineFormat)).Append('\n');
                    }
                }
            }
        }

        return text.ToString();
    }

    private static Settings ReadSettings(string path) => File.Exists(path)
        ? JsonSerializer.Deserialize<Settings>(File.ReadAllBytes(path), new JsonSerializerOptions { PropertyNameCaseInsensitive = true, UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow })!
        : new Settings();

    private sealed class Settings
    {
        public string[]? Instants { get; set; }

        public int? MaxWinners { get; set; }

        public int? MaxAsksPerDecision { get; set; }

        public int? MinGivesBeforeAsk { get; set; }

        public bool? RequireTopicMatch { get; set; }

        public string[]? DisabledRules { get; set; }
    }
}
