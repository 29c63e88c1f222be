using Personalize.Catalog;
using Personalize.Customers;

namespace Personalize.Tests.Catalog;

/// <summary>The model expression conditions see: <c>customer</c>, <c>trigger</c> and <c>now</c>, looked up and enumerated.</summary>
public sealed class ConditionModelTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 11, 10, 0, 0, TimeSpan.Zero);
    private static readonly CustomerProfile Customer = new() { Id = "c-1", Stage = LifecycleStage.Adoption };

    [Theory]
    [InlineData("trigger.kind == \"event\" && trigger.name == \"order_shipped\"", true)]
    [InlineData("trigger.kind == \"schedule\"", false)]
    [InlineData("customer.id == \"c-1\" && customer.stage == \"adoption\"", true)]
    [InlineData("now != null", true)]
    [InlineData("trigger.missing == null", true)]
    public void Expressions_read_customer_trigger_and_now(string source, bool expected)
    {
        var context = new ConditionContext(Customer, Trigger.Event("order_shipped"), Now);

        Assert.Equal(expected, ExpressionCondition.Parse(source).IsSatisfiedBy(context));
    }

    [Fact]
    public void The_model_lists_its_four_roots_and_event_is_null_without_an_event()
    {
        var model = new ConditionContext(Customer, Trigger.Campaign("spring"), Now).Model;

        Assert.Equal(["customer", "trigger", "now", "event"], model.Keys);
        Assert.Null(model["event"]);
        Assert.Equal(Now, model["now"]);
        var trigger = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(model["trigger"]);
        Assert.Equal("campaign", trigger["kind"]);
        Assert.Equal("spring", trigger["name"]);
        Assert.False(model.ContainsKey("customers"));
        Assert.Same(model["customer"], model["customer"]);
    }
}
