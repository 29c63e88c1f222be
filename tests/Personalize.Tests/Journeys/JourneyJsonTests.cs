using System.Text;
using Personalize.Channels;
using Personalize.Journeys;
using Personalize.Tests.Decisions;

namespace Personalize.Tests.Journeys;

/// <summary>Journeys from JSON: the same model as the builder; every error with its place and code; limits.</summary>
public sealed class JourneyJsonTests
{
    private const string Renewal = """
        {
          "journeys": [
            {
              "id": "renewal",
              "version": 2,
              "description": "HMS-style renewal",
              "entry": { "trigger": "event:renewal_due", "when": "customer.stage == 'retention'" },
              "exits": [ { "event": "renewed" }, { "name": "complaint", "when": "customer.open_complaint" } ],
              "steps": [
                { "id": "call", "send": "call", "channel": "phone", "whenSuppressed": "skip" },
                { "id": "pause", "wait": "48h" },
                { "id": "letter", "send": "reminder", "whenSuppressed": "retry", "retryAfter": "1d", "maxAttempts": 2 },
                { "id": "monday", "waitUntil": { "time": "10:00", "days": ["monday", "tuesday"] } },
                { "id": "survey", "waitFor": { "event": "nps_answered", "timeout": "7d", "onEvent": "check", "onTimeout": "end" } },
                { "id": "check", "branch": { "when": "customer.facts.nps_score >= 9", "then": "promo", "else": "end" } },
                { "id": "promo", "send": "promo", "whenSuppressed": "exit" }
              ]
            }
          ]
        }
        """;

    private static Personalize.Catalog.CompiledCatalog Catalog() => DecisionKit.Compile(DecisionKit.Engine(), JourneyKit.Messages);

    [Fact]
    public void A_file_reads_into_the_same_model_the_builder_makes()
    {
        var catalog = Catalog();
        var read = Assert.Single(JourneyJson.Read(Encoding.UTF8.GetBytes(Renewal), catalog));
        var built = new JourneyBuilder("renewal")
            .Version(2)
            .Describe("HMS-style renewal")
            .EnteredOn("event:renewal_due", "customer.stage == 'retention'")
            .ExitOnEvent("renewed")
            .ExitWhen("complaint", "customer.open_complaint")
            .Send("call", "call", Channel.Phone)
            .Wait("pause", TimeSpan.FromHours(48))
            .Step(new SendStep { Id = "letter", MessageId = "reminder", WhenSuppressed = SuppressedStepPolicy.Retry, RetryAfter = TimeSpan.FromDays(1), MaxAttempts = 2 })
            .WaitUntil("monday", new TimeOnly(10, 0), DayOfWeek.Monday, DayOfWeek.Tuesday)
            .WaitFor("survey", "nps_answered", TimeSpan.FromDays(7), onEvent: "check", onTimeout: "end")
            .Branch("check", "customer.facts.nps_score >= 9", then: "promo", otherwise: "end")
            .Send("promo", "promo", whenSuppressed: SuppressedStepPolicy.Exit)
            .Build(catalog);

        Assert.Equal(Describe(built), Describe(read));
        Assert.Equal(["renewed", "complaint"], read.Exits.Select(static e => e.Name));
    }

    [Fact]
    public void Every_problem_is_reported_with_its_path_line_code_and_nothing_is_loaded()
    {
        const string bad = """
            {
              "journeys": [
                {
                  "id": "renewal",
                  "entry": { "trigger": "schedule" },
                  "exits": [ { "name": "nothing" } ],
                  "stepz": [],
                  "steps": [
                    { "id": "call", "send": "no_such_message" },
                    { "id": "call", "wait": "soon" },
                    { "id": "mail", "send": "call", "channel": "email" },
                    { "id": "x", "waitUntil": { "time": "25:00", "days": ["someday"] } },
                    { "id": "y", "waitFor": { "event": "renewed", "timeout": "400d", "onEvent": "nowhere" } },
                    { "id": "z", "branch": { "when": "customer.stage ==" } },
                    { "id": "both", "wait": "1d", "send": "call" },
                    { "id": "p", "send": "call", "whenSuppressed": "ignore" }
                  ]
                }
              ]
            }
            """;

        Assert.False(JourneyJson.TryRead(Encoding.UTF8.GetBytes(bad), Catalog(), out var journeys, out var errors));

        Assert.Null(journeys);
        var found = errors.Select(static e => (e.Path, e.Code)).ToList();
        Assert.Contains(("$.journeys[0].entry.trigger", JourneyCodes.InvalidTrigger), found);
        Assert.Contains(("$.journeys[0].exits[0]", JourneyCodes.InvalidExit), found);
        Assert.Contains(("$.journeys[0].stepz", JourneyCodes.UnknownMember), found);
        Assert.Contains(("$.journeys[0].steps[0].send", JourneyCodes.UnknownMessage), found);
        Assert.Contains(("$.journeys[0].steps[1].wait", JourneyCodes.InvalidDuration), found);
        Assert.Contains(("$.journeys[0].steps[2].channel", JourneyCodes.InvalidChannel), found);
        Assert.Contains(("$.journeys[0].steps[3].waitUntil.time", JourneyCodes.InvalidTime), found);
        Assert.Contains(("$.journeys[0].steps[3].waitUntil.days[0]", JourneyCodes.InvalidWeekday), found);
        Assert.Contains(("$.journeys[0].steps[4].waitFor.timeout", JourneyCodes.InvalidDuration), found);
        Assert.Contains(("$.journeys[0].steps[4].waitFor.onEvent", JourneyCodes.UnknownTarget), found);
        Assert.Contains(("$.journeys[0].steps[5].branch.when", JourneyCodes.InvalidCondition), found);
        Assert.Contains(("$.journeys[0].steps[6]", JourneyCodes.InvalidStep), found);
        Assert.Contains(("$.journeys[0].steps[7].whenSuppressed", JourneyCodes.InvalidPolicy), found);
        var duplicate = errors.Single(static e => e.Code == JourneyCodes.Duplicate);
        Assert.Equal(("$.journeys[0].steps[1].id", 10), (duplicate.Path, duplicate.Line));
        Assert.All(errors, static e => Assert.NotNull(e.Line));
        Assert.Equal(errors.OrderBy(static e => e.Line).Select(static e => e.Line), errors.Select(static e => e.Line));
    }

    [Fact]
    public void Invalid_json_too_many_steps_and_a_too_large_file_are_named_errors()
    {
        var broken = JourneyJson.TryRead("{ \"journeys\": [ { \"id\": }"u8, null, out _, out var syntax);
        Assert.Equal(JourneyCodes.InvalidJson, Assert.Single(syntax).Code);
        Assert.Equal(1, syntax[0].Line);

        var steps = string.Join(",", Enumerable.Range(0, JourneyDefinition.MaxSteps + 1).Select(static i => $$"""{ "id": "s{{i}}", "wait": "1h" }"""));
        JourneyJson.TryRead(Encoding.UTF8.GetBytes($$"""{ "journeys": [ { "id": "j", "entry": { "trigger": "event:x" }, "steps": [{{steps}}] } ] }"""), null, out _, out var many);
        Assert.Equal(JourneyCodes.TooManySteps, Assert.Single(many).Code);

        var huge = new byte[JourneyJson.MaxFileBytes + 1];
        JourneyJson.TryRead(huge, null, out _, out var large);
        Assert.Equal(JourneyCodes.TooLarge, Assert.Single(large).Code);
        Assert.False(broken);
    }

    [Fact]
    public void The_builder_throws_every_problem_and_a_set_refuses_one_version_twice()
    {
        var catalog = Catalog();
        var ex = Assert.Throws<JourneyException>(() => new JourneyBuilder("renewal").EnteredOn("event:renewal_due").Send("call", "nope").Wait("w", TimeSpan.Zero).Build(catalog));
        Assert.Equal([JourneyCodes.UnknownMessage, JourneyCodes.InvalidDuration], ex.Errors.Select(static e => e.Code));

        var journey = new JourneyBuilder("renewal").EnteredOn("event:renewal_due").Send("call", "call").Build(catalog);
        var twice = Assert.Throws<JourneyException>(() => JourneySet.Create([journey, journey], catalog));
        Assert.Equal(JourneyCodes.Duplicate, Assert.Single(twice.Errors).Code);
        Assert.Equal(journey, JourneySet.Create([journey, journey with { Version = 2 }], catalog).Find("renewal", 1));
        Assert.Equal(2, JourneySet.Create([journey, journey with { Version = 2 }], catalog).Find("renewal")!.Version);
    }

    private static string[] Describe(JourneyDefinition journey)
    {
        var lines = new List<string> { $"{journey.Id} v{journey.Version} {journey.Description} {journey.Entry.Trigger} [{journey.Entry.Condition}] reentry={journey.AllowReentry}" };
        lines.AddRange(journey.Exits.Select(static e => $"exit {e.Name} {e.EventType} [{e.Condition}]"));
        lines.AddRange(journey.Steps.Select(static s => s switch
        {
            SendStep send => $"{s.Id} send {send.MessageId} {send.Channel} {send.WhenSuppressed} {send.RetryAfter} {send.MaxAttempts}",
            WaitStep wait => $"{s.Id} wait {wait.Duration}",
            WaitUntilStep until => $"{s.Id} until {until.TimeOfDay} {string.Join(",", until.Days)}",
            WaitForEventStep waitFor => $"{s.Id} waitFor {waitFor.EventType} {waitFor.Timeout} {waitFor.OnEvent} {waitFor.OnTimeout}",
            BranchStep branch => $"{s.Id} branch [{branch.Condition}] {branch.Then} {branch.Else}",
            _ => s.Id,
        }));
        return lines.ToArray();
    }
}
