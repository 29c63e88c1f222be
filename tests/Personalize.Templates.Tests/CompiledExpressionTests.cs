namespace Personalize.Templates.Tests;

/// <summary>
/// <see cref="TemplateExpression.Compile{TModel}"/> for a host's own model type: the binder binds <c>order.X</c> once,
/// and the compiled expression gives the interpreter's value, truth and error for every expression, compiled or not.
/// </summary>
public sealed class CompiledExpressionTests
{
    private static readonly Order[] Orders =
    [
        new("DE", 3, 79.5m, 12.5, null, true),
        new("US", 0, 0m, 0, "gift", false),
        new("GB", 12, 1000.25m, 99.9, "", true),
    ];

    [Theory]
    [InlineData("order.country == 'DE' && order.items >= 3", true)]
    [InlineData("order.items > 10 || order.weight < 1", true)]
    [InlineData("!(order.note ?? false)", true)]
    [InlineData("order.weight >= 12.5 && order.country != \"US\"", true)]
    [InlineData("order.missing == null", true)]
    public void Bound_reads_and_operators_compile(string source, bool compiles)
    {
        var compiled = TemplateExpression.ParseOrThrow(source).Compile(OrderBinder.Instance);

        Assert.Equal(compiles, compiled.IsCompiled);
        foreach (var order in Orders)
        {
            Assert.Equal(Outcome(() => compiled.Expression.EvaluateCondition(OrderBinder.Model(order))), Outcome(() => compiled.EvaluateCondition(order)));
            Assert.Equal(Outcome(() => compiled.Expression.Evaluate(OrderBinder.Model(order))), Outcome(() => compiled.Evaluate(order)));
        }
    }

    [Theory]
    [InlineData("order.total > 50")]          // a decimal: that evaluation is interpreted
    [InlineData("order.total == 0")]
    [InlineData("order.country > 3")]         // the interpreter's error, with its message
    [InlineData("order.note < true")]
    [InlineData("order.items + 1 > 3")]       // arithmetic: interpreted every time
    [InlineData("shop.name == 'x'")]          // a root the binder does not bind
    public void Values_and_syntax_the_compiled_form_does_not_take_are_the_interpreters(string source)
    {
        var compiled = TemplateExpression.ParseOrThrow(source).Compile(OrderBinder.Instance);

        foreach (var order in Orders)
        {
            Assert.Equal(Outcome(() => compiled.Expression.EvaluateCondition(OrderBinder.Model(order))), Outcome(() => compiled.EvaluateCondition(order)));
        }
    }

    /// <summary>
    /// A binder with scalar readers (<see cref="ExpressionBinder{TModel}.BindScalar"/>): numbers, booleans and null are
    /// compared without building values, anything else (text, a decimal) through the ordinary reader — with the
    /// interpreter's truth, value and error either way.
    /// </summary>
    [Theory]
    [InlineData("order.items >= 3")]
    [InlineData("order.items == 3 || order.items != 12")]
    [InlineData("order.weight < 12.5 && order.weight > 0")]
    [InlineData("order.weight == 99.9")]
    [InlineData("order.items > 2.5")]
    [InlineData("order.paid == 1 && order.paid >= 1")]   // a boolean beside a number counts as 1/0
    [InlineData("order.paid != 0")]
    [InlineData("order.paid && !order.items")]
    [InlineData("order.note == 0")]                        // null, or text beside a number (the interpreter's)
    [InlineData("order.note != 0")]
    [InlineData("order.note > 1")]
    [InlineData("order.note || order.weight")]
    [InlineData("order.total >= 0")]                       // a decimal: the reader says Other
    [InlineData("order.paid < true")]                      // not a number constant: the ordinary node
    [InlineData("order.country == 'DE' || order.country != 'US'")]   // text compared by the binder
    [InlineData("order.note == 'gift'")]                   // null: the binder cannot tell
    [InlineData("order.note != ''")]
    public void Scalar_reads_give_the_interpreters_results(string source)
    {
        var compiled = TemplateExpression.ParseOrThrow(source).Compile(OrderBinder.WithScalars);

        Assert.True(compiled.IsCompiled);
        foreach (var order in Orders)
        {
            Assert.Equal(Outcome(() => compiled.Expression.EvaluateCondition(OrderBinder.Model(order))), Outcome(() => compiled.EvaluateCondition(order)));
            Assert.Equal(Outcome(() => compiled.Expression.Evaluate(OrderBinder.Model(order))), Outcome(() => compiled.Evaluate(order)));
        }
    }

    [Fact]
    public void Syntax_errors_are_not_compiled_and_throw_as_the_interpreter_does()
    {
        var compiled = TemplateExpression.Parse("order.items >").Compile(OrderBinder.Instance);

        Assert.False(compiled.IsCompiled);
        Assert.Equal("the expression has errors", compiled.InterpretedBecause);
        Assert.Throws<TemplateParseException>(() => compiled.EvaluateCondition(Orders[0]));
    }

    [Fact]
    public void A_missing_member_is_an_error_in_strict_mode_as_interpreted()
    {
        var options = TemplateOptions.Default with { StrictVariables = true };
        var compiled = TemplateExpression.ParseOrThrow("order.missing == null", options).Compile(OrderBinder.Instance);

        Assert.True(compiled.IsCompiled);
        var interpreted = Assert.Throws<TemplateRuntimeException>(() => compiled.Expression.EvaluateCondition(OrderBinder.Model(Orders[0])));
        var actual = Assert.Throws<TemplateRuntimeException>(() => compiled.EvaluateCondition(Orders[0]));
        Assert.Equal(interpreted.Message, actual.Message);
    }

    private static string Outcome(Func<object?> evaluate)
    {
        try
        {
            return evaluate() is { } value ? value.GetType().Name + ":" + value : "null";
        }
        catch (Exception e)
        {
            return e.GetType().Name + ": " + e.Message;
        }
    }

    private sealed record Order(string Country, int Items, decimal Total, double Weight, string? Note, bool Paid);

    /// <summary>Binds <c>order.country</c>, <c>order.items</c>, <c>order.total</c>, <c>order.weight</c>, <c>order.note</c>,
    /// <c>order.paid</c>; any other member of <c>order</c> is missing. <see cref="WithScalars"/> also binds scalar readers.</summary>
    private sealed class OrderBinder(bool scalars) : ExpressionBinder<Order>
    {
        public static readonly OrderBinder Instance = new(false);

        public static readonly OrderBinder WithScalars = new(true);

        public static Dictionary<string, object?> Model(Order order) => new()
        {
            ["order"] = new Dictionary<string, object?>
            {
                ["country"] = order.Country,
                ["items"] = order.Items,
                ["total"] = order.Total,
                ["weight"] = order.Weight,
                ["note"] = order.Note,
                ["paid"] = order.Paid,
            },
        };

        public override object? ToModel(Order model) => Model(model);

        public override ExpressionReader<Order>? Bind(string root, string member) => root != "order" ? null : member switch
        {
            "country" => static o => ExpressionValue.From(o.Country),
            "items" => static o => ExpressionValue.From(o.Items),
            "total" => static o => ExpressionValue.FromObject(o.Total),
            "weight" => static o => ExpressionValue.From(o.Weight),
            "note" => static o => ExpressionValue.From(o.Note),
            "paid" => static o => ExpressionValue.From(o.Paid),
            _ => static _ => ExpressionValue.Missing,
        };

        public override ExpressionScalarReader<Order>? BindScalar(string root, string member) => !scalars || root != "order" ? null : member switch
        {
            "items" => static o => ExpressionScalar.From(o.Items),
            "weight" => static o => ExpressionScalar.From(o.Weight),
            "paid" => static o => ExpressionScalar.From(o.Paid),
            "note" => static o => o.Note is null ? ExpressionScalar.Null : ExpressionScalar.Other,
            "total" => static _ => ExpressionScalar.Other,
            _ => null,
        };

        public override ExpressionScalarReader<Order>? BindTextEquals(string root, string member, string text) => !scalars || root != "order" ? null : member switch
        {
            "country" => o => ExpressionScalar.From(o.Country == text),
            "note" => o => o.Note is { } note ? ExpressionScalar.From(note == text) : ExpressionScalar.Other,
            _ => null,
        };
    }
}
