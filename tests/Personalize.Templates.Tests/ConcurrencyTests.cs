namespace Personalize.Templates.Tests;

public sealed class ConcurrencyTests
{
    [Fact]
    public void One_template_renders_correctly_from_many_threads()
    {
        var template = Template.ParseOrThrow("{{ capture greeting }}Dear {{ name | string.upcase }}{{ end }}{{ greeting }}: {{ for i in 1..n }}{{ i }}{{ end }} {{ twice(x) = x * 2 }}{{ twice n }}");
        var failures = 0;

        Parallel.For(0, 2000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var n = i % 7 + 1;
            var expected = $"Dear USER{i}: {string.Concat(Enumerable.Range(1, n))} {n * 2}";
            var actual = template.Render(new Dictionary<string, object?> { ["name"] = "user" + i, ["n"] = n });
            if (actual != expected)
            {
                Interlocked.Increment(ref failures);
            }
        });

        Assert.Equal(0, failures);
    }

    [Fact]
    public void One_expression_evaluates_correctly_from_many_threads()
    {
        var expression = TemplateExpression.Parse("customer.stage == \"retention\" && customer.days > 60");
        var failures = 0;

        Parallel.For(0, 4000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var customer = new Dictionary<string, object?> { ["stage"] = i % 2 == 0 ? "retention" : "new", ["days"] = i % 100 };
            var expected = i % 2 == 0 && i % 100 > 60;
            if (expression.EvaluateCondition(new Dictionary<string, object?> { ["customer"] = customer }) != expected)
            {
                Interlocked.Increment(ref failures);
            }
        });

        Assert.Equal(0, failures);
    }

    [Theory]
    [InlineData("{{ string.truncate = 1 }}")]
    [InlineData("{{ string['x'] = 1 }}")]
    [InlineData("{{ with string; y = 1; end }}")]
    [InlineData("{{ shared.list << 1 }}")]
    [InlineData("{{ shared.list[0] = 2 }}")]
    [InlineData("{{ shared.name = 'x' }}")]
    public void Shared_builtins_and_globals_cannot_be_changed_by_a_template(string source)
    {
        var shared = new Runtime.ScriptObject { ["list"] = new Runtime.ScriptArray { 1 }, ["name"] = "n" };
        var globals = new Runtime.ScriptObject { ["shared"] = shared };
        var template = Template.Parse(source, new TemplateOptions { Globals = globals });

        var ex = Assert.Throws<TemplateRuntimeException>(() => template.Render());

        Assert.Contains("frozen", ex.Message, StringComparison.Ordinal);
        Assert.False(globals.IsFrozen); // the template froze its own copy (issue 19): the host's object stays writable
        Assert.True(template.Options.Globals!.IsFrozen);
        Assert.Equal("n", shared["name"]);
        Assert.Single((Runtime.ScriptArray)shared["list"]!);
    }
}
