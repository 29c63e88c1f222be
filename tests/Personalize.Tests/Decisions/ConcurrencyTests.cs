using Personalize.Catalog;
using Personalize.Channels;
using Personalize.Consent;
using Personalize.Customers;
using Personalize.Decisions;
using static Personalize.Tests.Decisions.DecisionKit;

namespace Personalize.Tests.Decisions;

public sealed class ConcurrencyTests
{
    private static List<CustomerProfile> Customers(int count)
    {
        var topics = new[] { "gardening", "travel", "recipes" };
        var customers = new List<CustomerProfile>(count);
        for (var i = 0; i < count; i++)
        {
            var consents = new List<ConsentRecord> { Grant(Channel.Email), GrantTopic(topics[i % 3]) };
            if (i % 2 == 0)
            {
                consents.Add(Grant(Channel.Sms));
            }

            var history = Enumerable.Range(0, i % 7).Select(d => Sent("m" + d, Now - TimeSpan.FromDays(d + 0.5), d % 3 == 0 ? ContactPurpose.Service : ContactPurpose.Marketing)).ToArray();
            customers.Add(Customer(
                id: "c-" + i,
                stage: (LifecycleStage)(i % 3),
                consents: consents,
                history: history,
                flags: i % 11 == 0 ? new ServiceFlags { OpenComplaint = true } : null,
                attributes: Attributes($$"""{ "tier": "{{(i % 4 == 0 ? "gold" : "silver")}}", "loyaltyPoints": {{i % 500}} }""")));
        }

        return customers;
    }

    private static CompiledCatalog Catalog(DecisionEngine engine) => Compile(engine, b => b
        .Add("gold", m => m.OnSchedule().When("customer.tier == \"gold\" && customer.loyalty_points > 100").Priority(3).Channel(Channel.Email, "t").Channel(Channel.Sms, "t"))
        .Add("garden", m => m.OnSchedule().Topics("gardening").Priority(2).Channel(Channel.Email, "t"))
        .Add("travel", m => m.OnSchedule().Topics("travel").Priority(2).Value(2).Channel(Channel.Sms, "t").Channel(Channel.Email, "t"))
        .Add("service", m => m.Service().OnSchedule().When(c => c.Customer.ServiceFlags.OpenComplaint, "open complaint").Channel(Channel.Email, "t"))
        .Add("survey", m => m.Relationship().Ask().Stages(LifecycleStage.Retention).OnSchedule().Channel(Channel.Email, "t")));

    private static string Summary(Decision d)
        => d.CustomerId + ":" + string.Join(",", d.Winners.Select(w => $"{w.MessageId}@{w.Channel}@{w.SendAt:O}"))
           + "|" + string.Join(",", d.Candidates.Select(c => c.Code + "/" + c.Reason))
           + "|" + string.Join(",", d.Candidates.SelectMany(c => c.Channels).Select(c => c.Code + "/" + c.Reason));

    [Fact]
    public void A_shared_compiled_catalog_gives_the_same_decisions_in_parallel_as_in_sequence()
    {
        var engine = Engine();
        var catalog = Catalog(engine);
        var customers = Customers(3000);

        var sequential = customers.Select(c => Summary(engine.Decide(catalog, c, Trigger.Tick, Now))).ToArray();
        var all = customers.Select(c => engine.Decide(catalog, c, Trigger.Tick, Now, DecisionDetail.All)).ToArray();
        var parallel = new string[customers.Count];
        Parallel.For(0, customers.Count, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => parallel[i] = Summary(engine.Decide(catalog, customers[i], Trigger.Tick, Now)));
        var batch = engine.DecideMany(catalog, customers, Trigger.Tick, Now).Select(Summary).ToArray();
        var stream = engine.DecideStream(catalog, customers.Select(c => c), Trigger.Tick, Now, maxDegreeOfParallelism: 4).Select(Summary).ToArray();

        Assert.Equal(sequential, parallel);
        Assert.Equal(sequential, batch);
        Assert.Equal(sequential, stream);
        Assert.Contains(sequential, s => s.Contains("gold@", StringComparison.Ordinal));
        Assert.Contains(sequential, s => s.Contains("service@", StringComparison.Ordinal));
        Assert.Contains(sequential, s => s.Contains("travel@", StringComparison.Ordinal));

        // The fast default and the full evaluation always agree on the winners.
        static string Winners(Decision d) => string.Join(",", d.Winners.Select(w => w.ToString()));
        Assert.Equal(all.Select(Winners), customers.Select(c => Winners(engine.Decide(catalog, c, Trigger.Tick, Now))));
    }

    [Theory]
    [InlineData(1, 3000)]
    [InlineData(2, 3000)]
    [InlineData(null, 5)]
    public void DecideMany_in_one_thread_or_a_small_batch_gives_the_same_decisions_in_order(int? degree, int count)
    {
        var engine = Engine();
        var catalog = Catalog(engine);
        var customers = Customers(count);

        var batch = engine.DecideMany(catalog, customers, Trigger.Tick, Now, degree).Select(Summary).ToArray();

        Assert.Equal(customers.Select(c => Summary(engine.Decide(catalog, c, Trigger.Tick, Now))), batch);
    }

    /// <summary>
    /// A batch on one thread sets one decision context to each customer in turn: a host channel rule that reads the
    /// context and decides another engine's decision from inside it (a nested decision on the same thread) sees the
    /// batch's customer, and the batch gives what <c>Decide</c> gives for each customer.
    /// </summary>
    [Fact]
    public void DecideMany_with_a_host_rule_that_decides_inside_a_decision_gives_what_Decide_gives()
    {
        var inner = Engine();
        var innerCatalog = Catalog(inner);
        var rule = new NestedDecisionRule(inner, innerCatalog);
        var engine = Engine(o => o.ChannelRules.Add(rule));
        var catalog = Catalog(engine);
        var customers = Customers(600);

        var batch = engine.DecideMany(catalog, customers, Trigger.Tick, Now, maxDegreeOfParallelism: 1).Select(Summary).ToArray();

        Assert.Equal(customers.Select(c => Summary(engine.Decide(catalog, c, Trigger.Tick, Now))), batch);
        Assert.Contains(batch, s => s.Contains("host.nested_winner", StringComparison.Ordinal));
        Assert.Empty(rule.Mismatches);
    }

    [Fact]
    public void DecideMany_for_a_trigger_no_message_answers_gives_a_decision_without_candidates_per_customer()
    {
        var engine = Engine();
        var catalog = Catalog(engine);
        var customers = Customers(50);

        var batch = engine.DecideMany(catalog, customers, Trigger.Event("never_sent"), Now, maxDegreeOfParallelism: 1);

        Assert.Equal(customers.Select(c => c.Id), batch.Select(d => d.CustomerId));
        Assert.All(batch, d => Assert.Empty(d.Candidates));
        Assert.All(batch, d => Assert.False(d.HasWinner));
    }

    /// <summary>Blocks a message's channel when the nested decision (another engine, same thread) sends that message on it; records a context that does not show the customer being decided.</summary>
    private sealed class NestedDecisionRule(DecisionEngine inner, CompiledCatalog innerCatalog) : IChannelRule
    {
        public List<string> Mismatches { get; } = [];

        public string Name => "nested";

        public string Description => "Decides the customer with another engine from inside the decision.";

        public RuleResult Evaluate(DecisionContext context, MessageDefinition message, ChannelDefinition channel, DateTimeOffset sendAt)
        {
            var customer = context.Customer;
            var nested = inner.Decide(innerCatalog, customer, context.Trigger, context.At);
            if (!ReferenceEquals(context.Customer, customer) || !ReferenceEquals(context.Conditions.Customer, customer))
            {
                Mismatches.Add(customer.Id);
            }

            return nested.Winners.Any(w => w.Channel == channel.Channel && w.MessageId == message.Id)
                ? RuleResult.Block("host.nested_winner", "The nested decision sends this message on this channel already.")
                : RuleResult.Pass;
        }
    }

    /// <summary>
    /// A batch's decisions keep their channels, outcomes and winners in segments shared across the batch (a range of
    /// 3,000 decisions fills several): each decision still explains, serializes and lists its winners as
    /// <c>Decide</c> does, with one winner or up to three.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void A_batch_decision_explains_and_serializes_as_Decide_does(int maxWinners)
    {
        var engine = Engine(o => o.MaxWinners = maxWinners);
        var catalog = Catalog(engine);
        var customers = Customers(3000);

        var batch = engine.DecideMany(catalog, customers, Trigger.Tick, Now, maxDegreeOfParallelism: 1);

        var several = 0;
        for (var i = 0; i < customers.Count; i++)
        {
            var single = engine.Decide(catalog, customers[i], Trigger.Tick, Now);
            Assert.Equal(single.Explain(), batch[i].Explain());
            Assert.Equal(single.ToJson(), batch[i].ToJson());
            Assert.Equal(single.HasWinner, batch[i].HasWinner);
            Assert.Equal(single.Winners.Select(w => w.ToString()), batch[i].Winners.Select(w => w.ToString()));
            several += batch[i].Winners.Count > 1 ? 1 : 0;
        }

        Assert.Equal(maxWinners > 1, several > 0);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void DecideMany_takes_any_read_only_list_of_customers(int degree)
    {
        var engine = Engine();
        var catalog = Catalog(engine);
        var customers = Customers(3000);

        var fromArray = engine.DecideMany(catalog, customers.ToArray(), Trigger.Tick, Now, degree).Select(Summary);
        var fromList = engine.DecideMany(catalog, customers.ToList(), Trigger.Tick, Now, degree).Select(Summary);
        var fromWrapper = engine.DecideMany(catalog, customers.ToList().AsReadOnly(), Trigger.Tick, Now, degree).Select(Summary);

        var expected = customers.Select(c => Summary(engine.Decide(catalog, c, Trigger.Tick, Now))).ToArray();
        Assert.Equal(expected, fromArray);
        Assert.Equal(expected, fromList);
        Assert.Equal(expected, fromWrapper);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void DecideMany_names_a_missing_customer_before_deciding_any(int degree)
    {
        var engine = Engine();
        var catalog = Catalog(engine);
        var customers = Customers(3000).ToList();
        customers[1500] = null!;

        var error = Assert.Throws<ArgumentException>(() => engine.DecideMany(catalog, customers, Trigger.Tick, Now, degree));

        Assert.Equal("customers", error.ParamName);
        Assert.Contains("customers[1500] is null", error.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-2)]
    public void DecideMany_rejects_a_degree_of_parallelism_that_is_not_positive_or_minus_one(int degree)
    {
        var engine = Engine();
        var catalog = Catalog(engine);

        Assert.Throws<ArgumentOutOfRangeException>(() => engine.DecideMany(catalog, Customers(3), Trigger.Tick, Now, degree));
        Assert.Throws<ArgumentOutOfRangeException>(() => engine.DecideMany(catalog, Customers(0), Trigger.Tick, Now, degree));
    }

    [Fact]
    public void Candidates_that_lost_without_evaluation_carry_the_same_scores_as_in_a_full_evaluation()
    {
        var engine = Engine();
        var catalog = Catalog(engine);
        var unevaluated = 0;
        foreach (var customer in Customers(200))
        {
            var fast = engine.Decide(catalog, customer, Trigger.Tick, Now);
            var full = engine.Decide(catalog, customer, Trigger.Tick, Now, DecisionDetail.All);
            foreach (var candidate in fast.Candidates)
            {
                var same = full.Candidates.Single(c => c.MessageId == candidate.MessageId);
                Assert.Equal(same.Score, candidate.Score);
                Assert.Equal(same.Relevance, candidate.Relevance);
                if (candidate.Code == DecisionCodes.LostArbitration && candidate.Channels.Count == 0)
                {
                    unevaluated++;
                    Assert.Equal(CandidateStatus.Lost, candidate.Status);
                    Assert.Equal("arbitration", candidate.Rule);
                    Assert.Null(candidate.Channel);
                }
            }

            Assert.Equal(fast.Candidates.Select(c => c.MessageId), fast.Candidates.ToArray().Select(c => c.MessageId));
        }

        Assert.True(unevaluated > 0);
    }
}
