namespace Personalize.Templates.Tests;

public sealed class TemplateExpressionTests
{
    private static readonly object Customer = new Dictionary<string, object?>
    {
        ["customer"] = new Dictionary<string, object?> { ["stage"] = "retention", ["days_since_purchase"] = 75, ["email"] = null, ["tags"] = new[] { "vip" } },
    };

    [Theory]
    [InlineData("customer.stage == \"retention\" && customer.days_since_purchase > 60", true)]
    [InlineData("customer.stage == \"retention\" && customer.days_since_purchase > 90", false)]
    [InlineData("customer.email ?? false", false)]
    [InlineData("customer.tags | array.size", true)]
    [InlineData("customer.missing", false)]
    [InlineData("0", true)]
    [InlineData("customer.stage | string.starts_with 'ret'", true)]
    public void Conditions_use_scriban_truthiness(string source, bool expected)
    {
        Assert.Equal(expected, TemplateExpression.ParseOrThrow(source).EvaluateCondition(Customer));
    }

    [Fact]
    public void Evaluate_returns_the_value()
    {
        Assert.Equal(80, TemplateExpression.ParseOrThrow("customer.days_since_purchase + 5").Evaluate(Customer));
    }

    [Fact]
    public void Bad_expressions_report_line_and_column_inside_the_expression()
    {
        var expression = TemplateExpression.Parse("customer.stage == ");

        Assert.True(expression.HasErrors);
        var diagnostic = Assert.Single(expression.Diagnostics);
        Assert.Equal((1, 19), (diagnostic.Line, diagnostic.Column));
        Assert.Throws<TemplateParseException>(() => expression.Evaluate(Customer));
    }

    [Theory]
    [InlineData("")]
    [InlineData("a b c )")]
    [InlineData("x = 1")]
    public void Other_invalid_expressions_are_diagnostics(string source)
    {
        Assert.True(TemplateExpression.Parse(source).HasErrors);
    }

    [Fact]
    public void Expressions_share_the_template_limits()
    {
        var ex = Assert.Throws<TemplateLimitExceededException>(() => TemplateExpression.ParseOrThrow("'x' * 2000000").Evaluate());

        Assert.Equal(nameof(TemplateLimits.MaxStringLength), ex.LimitName);
    }

    [Fact]
    public void A_returned_scope_object_is_not_reused_by_later_evaluations()
    {
        var first = Assert.IsType<Runtime.ScriptObject>(TemplateExpression.ParseOrThrow("this").Evaluate());
        Assert.Equal(0, TemplateExpression.ParseOrThrow("x++ ?? 0").Evaluate());
        var second = TemplateExpression.ParseOrThrow("this").Evaluate();

        Assert.NotSame(first, second);
        Assert.Empty(first);
    }

    [Fact]
    public void A_scope_a_host_function_keeps_through_this_is_intact_after_later_evaluations()
    {
        var kept = new List<object?>();
        var globals = new Runtime.ScriptObject();
        globals.Import("keep", new Func<object?, int>(value =>
        {
            kept.Add(value);
            return kept.Count;
        }));
        var options = new TemplateOptions { Globals = globals };

        // The expression returns a number, not the scope: only `this` passed to the host function lets the scope out.
        // `x++` reads the model's x and writes 42 to the expression's own scope.
        Assert.Equal(42, TemplateExpression.ParseOrThrow("x++ + keep(this)", options).Evaluate(new { X = 41 }));
        Assert.Equal(0, TemplateExpression.ParseOrThrow("x++ ?? 0").Evaluate());
        Assert.Equal(0, TemplateExpression.ParseOrThrow("x++ ?? 0").Evaluate());

        var scope = Assert.IsType<Runtime.ScriptObject>(Assert.Single(kept));
        Assert.Equal(42, scope["x"]);
        Assert.Single(scope);
    }
}
