using Personalize.Catalog;
using Personalize.Channels;
using Personalize.Decisions;
using static Personalize.Tests.Decisions.DecisionKit;

namespace Personalize.Tests.Decisions;

public sealed class HostRuleTests
{
    private static readonly DateTimeOffset MaintenanceEnds = Now.AddHours(2);

    [Fact]
    public void A_host_channel_rule_can_defer_a_channel_and_its_reason_is_kept()
    {
        var engine = Engine(o => o.ChannelRules.Add(new SmsMaintenanceRule()));
        var catalog = Compile(engine, b => b.Add("shipped", m => m.Service().OnEvent("order_shipped").Channel(Channel.Sms, "t")));

        var decision = engine.Decide(catalog, Customer(), Trigger.Event("order_shipped"), Now);

        var winner = Assert.Single(decision.Winners);
        Assert.Equal(MaintenanceEnds, winner.SendAt);
        Assert.True(winner.IsDeferred);
        var sms = decision.Candidates[0].Channels[0];
        Assert.Equal(DecisionCodes.Deferred, sms.Code);
        Assert.Equal("Deferred to Wed 11 March 2026 13:00 Europe/Berlin: The SMS gateway is in maintenance.", sms.Reason);
        Assert.Equal("sms_maintenance", engine.ChannelRules[^1].Name);
    }

    [Fact]
    public void A_host_channel_rule_that_blocks_drops_the_channel()
    {
        var engine = Engine(o => o.ChannelRules.Add(new SmsMaintenanceRule()));
        var catalog = Compile(engine, b => b.Add("flash", m => m.OnSchedule().DropWhenBlocked().Channel(Channel.Sms, "t")));

        var outcome = engine.Decide(catalog, Customer(), Trigger.Tick, Now).Candidates[0];

        Assert.Equal(DecisionCodes.NoChannelAllowed, outcome.Code);
        Assert.Equal("host.sms_maintenance", outcome.Channels[0].Code);
        Assert.True(outcome.Channels[0].Dropped);
        Assert.Equal(MaintenanceEnds, outcome.Channels[0].SendAt);
        Assert.Equal(ChannelStatus.Blocked, outcome.Channels[0].Status);
        Assert.Equal("The SMS gateway is in maintenance.", outcome.Channels[0].Reason);
        Assert.Null(outcome.Channel);
    }

    [Fact]
    public void A_condition_that_throws_is_reported_and_does_not_fail_the_decision()
    {
        var engine = Engine();
        var catalog = Compile(engine, b => b
            .Add("fragile", m => m.OnSchedule().Priority(5).When(_ => throw new InvalidOperationException("no tier data"), "tier data").Channel(Channel.Email, "t"))
            .Add("sturdy", m => m.OnSchedule().Channel(Channel.Email, "t")));

        var decision = engine.Decide(catalog, Customer(), Trigger.Tick, Now);

        Assert.Equal("sturdy", decision.Winners[0].MessageId);
        Assert.Equal(DecisionCodes.ConditionError, Outcome(decision, "fragile").Code);
        Assert.Equal("Its condition could not be evaluated, so it is treated as not met: no tier data", Outcome(decision, "fragile").Reason);
    }

    private sealed class SmsMaintenanceRule : IChannelRule
    {
        public string Name => "sms_maintenance";

        public string Description => "No SMS while the gateway is in maintenance.";

        public RuleResult Evaluate(DecisionContext context, MessageDefinition message, ChannelDefinition channel, DateTimeOffset sendAt)
            => channel.Channel == Channel.Sms && sendAt < MaintenanceEnds
                ? RuleResult.Defer("host.sms_maintenance", "The SMS gateway is in maintenance.", MaintenanceEnds)
                : RuleResult.Pass;
    }
}
