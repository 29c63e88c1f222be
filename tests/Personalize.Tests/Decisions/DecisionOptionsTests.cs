using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Personalize.Channels;
using Personalize.Customers;
using Personalize.Decisions;
using Personalize.Eligibility;

namespace Personalize.Tests.Decisions;

public sealed class DecisionOptionsTests
{
    [Fact]
    public void Defaults_are_documented_values()
    {
        var options = new DecisionOptions();

        Assert.Equal(1, options.MaxWinners);
        Assert.Equal(1, options.MaxAsksPerDecision);
        Assert.Equal(2, options.MinGivesBeforeAsk);
        Assert.Equal(0.5, options.NeutralRelevance);
        Assert.Equal((1.0, 1.0, 1.0), (options.PriorityWeight, options.RelevanceWeight, options.ValueWeight));
        Assert.Equal([(1, CapPeriod.Day), (3, CapPeriod.Week)], options.PromotionalCaps.Select(c => (c.Max, c.Period)));
        Assert.Equal([(10, CapPeriod.Day)], options.ServiceCaps.Select(c => (c.Max, c.Period)));
        Assert.True(options.RequireTopicMatch);
        Assert.True(options.ApplyCustomerCaps);
        Assert.Equal([ContactPurpose.Marketing, ContactPurpose.Relationship], options.SuppressedWhenServiceFirst.Order());
        Assert.Empty(options.Validate());
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var options = new DecisionOptions { MaxWinners = 0, MinGivesBeforeAsk = -1, NeutralRelevance = 2, ValueWeight = double.NaN };
        options.DisabledRules.Add("no_such_rule");

        var errors = options.Validate();

        Assert.Equal(5, errors.Count);
        var ex = Assert.Throws<ArgumentException>(() => new DecisionEngine(options, new ContactEligibility(new PersonalizeOptions(), TimeProvider.System), TimeProvider.System));
        Assert.Contains("MaxWinners is 0; it must be 1 or more.", ex.Message, StringComparison.Ordinal);
        Assert.Contains("DisabledRules names 'no_such_rule', which is not a built-in rule (eligibility, pause, service_first, topics, give_before_ask, message_caps, consent, frequency, timing).", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void More_than_60000_host_message_rules_is_a_named_error()
    {
        var options = new DecisionOptions();
        var rule = new NamedRule();
        for (var i = 0; i < 60_000; i++)
        {
            options.MessageRules.Add(rule);
        }

        Assert.Empty(options.Validate());
        options.MessageRules.Add(rule);

        var ex = Assert.Throws<ArgumentException>(() => new DecisionEngine(options, new ContactEligibility(new PersonalizeOptions(), TimeProvider.System), TimeProvider.System));
        Assert.Contains("MessageRules has 60,001 rules; at most 60,000 are allowed.", ex.Message, StringComparison.Ordinal);
    }

    private sealed class NamedRule : IMessageRule
    {
        public string Name => "named";

        public string Description => "Passes.";

        public RuleResult Evaluate(DecisionContext context, Personalize.Catalog.MessageDefinition message) => RuleResult.Pass;
    }

    [Fact]
    public void AddPersonalize_registers_the_engine_and_validates_its_options_at_start()
    {
        var services = new ServiceCollection();
        services.AddPersonalize();
        services.Configure<DecisionOptions>(o => o.MaxWinners = 2);
        using var provider = services.BuildServiceProvider();

        var engine = provider.GetRequiredService<DecisionEngine>();
        Assert.Same(provider.GetRequiredService<ContactEligibility>(), engine.Eligibility);
        Assert.Equal(9, engine.MessageRules.Count + engine.ChannelRules.Count);

        var bad = new ServiceCollection();
        bad.AddPersonalize();
        bad.Configure<DecisionOptions>(o => o.MaxWinners = 0);
        using var badProvider = bad.BuildServiceProvider();
        var ex = Assert.Throws<OptionsValidationException>(() => badProvider.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains("MaxWinners is 0", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_catalog_must_be_compiled_against_the_engines_channels()
    {
        var options = new PersonalizeOptions();
        options.AddChannel("whatsapp", ContactPointKind.Phone, "WhatsApp");
        var engine = new DecisionEngine(new DecisionOptions(), new ContactEligibility(options, TimeProvider.System), TimeProvider.System);
        var builder = Personalize.Catalog.MessageCatalog.CreateBuilder().Add("m", m => m.OnSchedule().Channel(Channel.Email, "t")).Build();
        var customer = DecisionKit.Customer();

        var equal = builder.Compile(new Personalize.Catalog.CatalogValidationOptions { Channels = options.CreateChannelRegistry() });
        var other = builder.Compile();

        Assert.True(engine.Decide(equal, customer, Personalize.Catalog.Trigger.Tick, DecisionKit.Now).HasWinner);
        var ex = Assert.Throws<ArgumentException>(() => engine.Decide(other, customer, Personalize.Catalog.Trigger.Tick, DecisionKit.Now));
        Assert.StartsWith("The catalog was compiled against other channels than the engine's", ex.Message, StringComparison.Ordinal);
    }
}
