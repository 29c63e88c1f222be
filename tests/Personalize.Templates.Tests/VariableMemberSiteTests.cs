using Personalize.Templates.Runtime;

namespace Personalize.Templates.Tests;

/// <summary>
/// <c>q.text</c> (a member of a variable, Scriban or Liquid) is read straight from the variable's value once its site is
/// bound to the value's type: whatever the models a template sees, in whatever order, a template reused across renders
/// gives exactly what a freshly parsed one gives (the same text, or the same error).
/// </summary>
public sealed class VariableMemberSiteTests
{
    private static readonly string[] Scriban =
    [
        "[{{ q.text }}]",
        "[{{ q.text }}|{{ q.amount }}|{{ q.count }}|{{ q.text }}]",
        "{{ if q }}[{{ q.text | string.upcase }}]{{ end }}",
        "[{{ q?.text }}]",
        "{{ x = q.text }}[{{ x }}]{{ q = other }}[{{ q.text }}]",
        "{{ for q in list }}[{{ q.text }}]{{ end }}",
    ];

    private static readonly string[] Liquid =
    [
        "[{{ q.text }}]",
        "[{{ q.text }}|{{ q.amount }}|{{ q.count }}|{{ q.text }}]",
        "{% if q.text %}[{{ q.text | upcase }}]{% endif %}",
        "{% if q %}[{{ q.text | size }}]{% endif %}",
        "{% assign x = q.text %}[{{ x }}]{% assign q = other %}[{{ q.text }}]",
        "{% for q in list %}[{{ q.text }}]{% endfor %}",
        "[{{ q.first }}|{{ q.size }}]",
    ];

    /// <summary>The shapes a variable's value takes: the same plain type, a subclass, nil, script objects, dictionaries, JSON, functions.</summary>
    private static object?[] Models()
    {
        var other = new Question("other");
        object? Root(object? q) => new Dictionary<string, object?> { ["q"] = q, ["other"] = other, ["list"] = new object?[] { q, other } };
        var script = new ScriptObject { ["text"] = "script", ["amount"] = 1.5m };
        return
        [
            new Root(new Question("hi")),
            new Root(new Question("hi again") { Amount = 2.50m, Count = 3 }),
            new Root(null),
            Root(new SubQuestion("sub")),
            Root(new Question("dict")),
            Root(script),
            Root(new Dictionary<string, object?> { ["text"] = "dictionary", ["count"] = 9 }),
            System.Text.Json.JsonDocument.Parse("""{"q":{"text":"json","amount":1.25},"other":{"text":"o"},"list":[{"text":"l"}]}""").RootElement,
            Root(new NoText()),
            Root(new ObjectText("boxed")),
            Root(new ObjectText(ScriptFunction.FromDelegate(() => "called member"))),
            Root(new ObjectText(null)),
            Root(ScriptFunction.FromDelegate(() => new Question("from a function"))),
            Root(new HostFunction(new Question("from a host function"))),
            Root("a string"),
            Root(new[] { "an", "array" }),
            Root(42),
            new Root(new Question("last")),
        ];
    }

    [Fact]
    public void A_reused_template_reads_every_model_as_a_fresh_one_in_any_order()
    {
        var models = Models();
        var orders = new List<int[]>
        {
            Enumerable.Range(0, models.Length).ToArray(),
            Enumerable.Range(0, models.Length).Reverse().ToArray(),
        };
        var random = new Random(15);
        for (var i = 0; i < 6; i++)
        {
            orders.Add(Enumerable.Range(0, models.Length * 2).Select(_ => random.Next(models.Length)).ToArray());
        }

        var checkedRenders = 0;
        foreach (var (syntax, sources) in new[] { (TemplateSyntax.Scriban, Scriban), (TemplateSyntax.Liquid, Liquid) })
        {
            foreach (var strict in new[] { false, true })
            {
                var options = new TemplateOptions { Syntax = syntax, StrictVariables = strict };
                foreach (var source in sources)
                {
                    foreach (var order in orders)
                    {
                        var reused = Template.ParseOrThrow(source, options);
                        foreach (var index in order)
                        {
                            var expected = Outcome(Template.ParseOrThrow(source, options), models[index]);
                            Assert.True(expected == Outcome(reused, models[index]), $"{syntax}{(strict ? " strict" : string.Empty)} `{source}` with model {index}: expected {expected}, got {Outcome(reused, models[index])}");
                            checkedRenders++;
                        }
                    }
                }
            }
        }

        Assert.True(checkedRenders > 1000);
    }

    [Fact]
    public void A_bound_site_reads_the_member_of_each_model_not_the_first_one()
    {
        var scriban = Template.ParseOrThrow("{{ q.text }}");
        var liquid = Template.ParseOrThrow("{{ q.text }}", new TemplateOptions { Syntax = TemplateSyntax.Liquid });
        for (var i = 0; i < 20; i++)
        {
            var model = new Root(new Question("text " + i));
            Assert.Equal("text " + i, scriban.Render(model));
            Assert.Equal("text " + i, liquid.Render(model));
        }
    }

    [Fact]
    public void Scriban_still_refuses_a_member_of_null_after_the_site_was_bound()
    {
        var template = Template.ParseOrThrow("{{ q.text }}");
        Assert.Equal("hi", template.Render(new Root(new Question("hi"))));
        Assert.Equal("hi", template.Render(new Root(new Question("hi"))));

        var error = Assert.Throws<TemplateRuntimeException>(() => template.Render(new Root(null)));
        Assert.Contains("q.text", error.Message, StringComparison.Ordinal);
        Assert.Contains("null", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_function_member_is_still_called_after_the_site_was_bound()
    {
        var scriban = Template.ParseOrThrow("{{ q.text }}");
        Assert.Equal("boxed", scriban.Render(new Root(new ObjectText("boxed"))));
        Assert.Equal("called", scriban.Render(new Root(new ObjectText(ScriptFunction.FromDelegate(() => "called")))));
    }

    private static string Outcome(Template template, object? model)
    {
        try
        {
            return "ok:" + template.Render(model);
        }
        catch (TemplateRuntimeException ex)
        {
            return "error:" + ex.Message;
        }
    }

    public sealed class Root(object? q)
    {
        public object? Q { get; } = q;

        public Question Other { get; } = new("other");

        public object?[] List => [Q, Other];
    }

    public class Question(string text)
    {
        public string Text { get; } = text;

        public decimal Amount { get; init; } = 1.10m;

        public int Count { get; init; } = 1;

        public override string ToString() => "Question " + Text;
    }

    public sealed class SubQuestion(string text) : Question(text);

    public sealed class NoText
    {
        public string Other => "other";
    }

    public sealed class ObjectText(object? text)
    {
        public object? Text { get; } = text;
    }

    private sealed class HostFunction(object result) : IScriptFunction
    {
        public object? Invoke(TemplateContext context, ScriptArguments arguments) => result;
    }
}
