namespace Personalize.Templates.Tests;

/// <summary><see cref="TemplateExpression.GetReadPaths"/>: the variable paths an expression reads, as a host lists what a condition depends on.</summary>
public sealed class ExpressionReadPathTests
{
    [Theory]
    [InlineData("customer.facts.order_count >= 3 && customer.tier == 'best_friends'", "customer.facts.order_count|customer.tier")]
    [InlineData("customer.facts[\"answer.color\"] == 'red'", "customer.facts.answer.color")]
    [InlineData("customer.facts[name] != null", "customer.facts|name")]
    [InlineData("(event.data.order_number | string.size) > 0 || event.data.order_number == null", "event.data.order_number|string.size")]
    [InlineData("customer.matrix.strength > 1 ? customer.stage : 'none'", "customer.matrix.strength|customer.stage")]
    [InlineData("1 + 2 == 3", "")]
    public void Lists_each_path_read_once_in_first_read_order(string source, string expected)
    {
        var paths = TemplateExpression.ParseOrThrow(source).GetReadPaths();

        Assert.Equal(expected.Length == 0 ? [] : expected.Split('|').Order(StringComparer.Ordinal), paths.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void An_expression_with_errors_reads_nothing()
    {
        Assert.Empty(TemplateExpression.Parse("customer.facts. ==").GetReadPaths());
    }
}
