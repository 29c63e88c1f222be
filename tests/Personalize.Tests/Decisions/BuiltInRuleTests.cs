using Personalize.Catalog;
using Personalize.Customers;
using Personalize.Decisions;

namespace Personalize.Tests.Decisions;

/// <summary>
/// Each built-in rule answers the same through its public <c>Evaluate</c> (what a host calling the rule sees) as through
/// the compiled path the engine takes, for every customer, candidate message, channel and instant of the golden cases.
/// </summary>
public sealed class BuiltInRuleTests
{
    public static TheoryData<string> Cases() => GoldenDecisionTests.Cases();

    [Theory]
    [MemberData(nameof(Cases))]
    public void Every_built_in_rule_answers_the_same_through_Evaluate_and_the_compiled_path(string name)
    {
        var golden = GoldenCase.Load(name);
        var compared = new HashSet<string>(StringComparer.Ordinal);
        foreach (var customer in golden.Customers)
        {
            foreach (var trigger in golden.Triggers)
            {
                foreach (var at in golden.Instants)
                {
                    var candidates = golden.Catalog.Candidates(trigger, customer.Stage);
                    foreach (var message in golden.Catalog.All)
                    {
                        if (Array.IndexOf(candidates, message) < 0)
                        {
                            // The engine's index leaves out what does not answer the trigger or target the stage: the
                            // compiled path never sees it, and the public rule must say why.
                            var context = DecisionContext.Rent(customer, trigger, at, golden.Engine.Eligibility);
                            var code = golden.Engine.MessageRules.Single(r => r.Name == "eligibility").Evaluate(context, message.Definition).Code;
                            context.Return();
                            Assert.True(code is DecisionCodes.Trigger or DecisionCodes.Stage, $"eligibility for {customer.Id}, {message.Id}, {trigger}: the index leaves it out, Evaluate says {code ?? "pass"}.");
                            continue;
                        }

                        foreach (var rule in golden.Engine.MessageRules)
                        {
                            var (viaPublic, viaCompiled) = BothWays(golden, customer, trigger, at, context => rule.Evaluate(context, message.Definition), context => DecisionEngine.EvaluateMessageRule(rule, context, message));
                            AssertSame(viaPublic, viaCompiled, $"{rule.Name} for {customer.Id}, {message.Id}, {trigger} at {at:O}");
                            compared.Add(rule.Name);
                        }

                        for (var c = 0; c < message.Contents.Length; c++)
                        {
                            var definition = message.ChannelDefinitions[c];
                            foreach (var sendAt in (DateTimeOffset[])[at, at.AddHours(3), at.AddHours(9.5), at.AddDays(2)])
                            {
                                foreach (var rule in golden.Engine.ChannelRules)
                                {
                                    var contentIndex = c;
                                    var (viaPublic, viaCompiled) = BothWays(golden, customer, trigger, at, context => rule.Evaluate(context, message.Definition, definition, sendAt), context => DecisionEngine.EvaluateChannelRule(rule, context, message, contentIndex, definition, sendAt));
                                    AssertSame(viaPublic, viaCompiled, $"{rule.Name} for {customer.Id}, {message.Id} on {definition.Channel} at {sendAt:O} (decision at {at:O})");
                                    compared.Add(rule.Name);
                                }
                            }
                        }
                    }
                }
            }
        }

        Assert.Equal(DecisionEngine.BuiltInRuleNames.Order(StringComparer.Ordinal), compared.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_built_in_rule_name_is_wired_in_order_and_can_be_disabled()
    {
        var engine = DecisionKit.Engine();
        var wired = engine.MessageRules.Select(r => r.Name).Concat(engine.ChannelRules.Select(r => r.Name)).ToArray();

        Assert.Equal(DecisionEngine.BuiltInRuleNames, wired);
        foreach (var name in DecisionEngine.BuiltInRuleNames)
        {
            var without = DecisionKit.Engine(o => o.DisabledRules.Add(name));
            var left = without.MessageRules.Select(r => r.Name).Concat(without.ChannelRules.Select(r => r.Name));
            Assert.Equal(DecisionEngine.BuiltInRuleNames.Where(n => n != name), left);
        }
    }

    /// <summary>Evaluates on two fresh contexts, so that one path cannot answer from the other's per-decision cache.</summary>
    private static (RuleResult Public, RuleResult Compiled) BothWays(GoldenCase golden, CustomerProfile customer, Trigger trigger, DateTimeOffset at, Func<DecisionContext, RuleResult> viaPublic, Func<DecisionContext, RuleResult> viaCompiled)
    {
        var first = DecisionContext.Rent(customer, trigger, at, golden.Engine.Eligibility);
        var second = DecisionContext.Rent(customer, trigger, at, golden.Engine.Eligibility);
        try
        {
            return (viaPublic(first), viaCompiled(second));
        }
        finally
        {
            second.Return();
            first.Return();
        }
    }

    private static void AssertSame(RuleResult expected, RuleResult actual, string what)
    {
        Assert.True(
            expected.Code == actual.Code && expected.RetryTicks == actual.RetryTicks && expected.Number == actual.Number
                && expected.InstantTicks == actual.InstantTicks && expected.IsHostReason == actual.IsHostReason && Equals(expected.Detail, actual.Detail),
            $"{what}: Evaluate says {Describe(expected)}, the compiled path {Describe(actual)}.");
    }

    private static string Describe(RuleResult r) => $"{r} (retry {r.RetryAt:O}, number {r.Number}, instant {r.Instant:O}, detail {r.Detail})";
}
