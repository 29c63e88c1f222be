namespace Personalize.Templates.Tests.Liquid;

/// <summary>
/// A chain such as <c>q.links[0].keyword</c> is bound once per site and model type; whatever the models a template sees,
/// in whatever order, it reads what each step would read on its own.
/// </summary>
public sealed class LiquidMemberChainTests
{
    private static readonly TemplateOptions Liquid = new() { Syntax = TemplateSyntax.Liquid };

    [Fact]
    public void A_chain_reads_each_model_as_the_steps_would_whatever_came_before()
    {
        var template = Template.ParseOrThrow("[{{ q.links[0].keyword }}|{{ q.links[-1].label }}|{{ q.links[5].keyword }}|{{ q.inner.text }}]", Liquid);
        var plain = new Root(new Question(new[] { new Link("YES", "Yes please"), new Link("NO", "No thanks") }, new Inner("hi")));

        // The first render binds the chains; the same type reads the same way again.
        Assert.Equal("[YES|No thanks||hi]", template.Render(plain));
        Assert.Equal("[YES|No thanks||hi]", template.Render(plain));

        // A nil on the way is nil (no error), an empty list has no items, then the bound type again.
        Assert.Equal("[|||]", template.Render(new Root(null)));
        Assert.Equal("[|||]", template.Render(new Root(new Question(Array.Empty<Link>(), null))));
        Assert.Equal("[YES|No thanks||hi]", template.Render(plain));

        // Another type at a step (a list instead of an array, a subclass), a dictionary and JSON: read as always.
        Assert.Equal("[A|B||sub]", template.Render(new Root(new Question(new List<Link> { new("A", "a"), new("C", "B") }, new SubInner("sub")))));
        Assert.Equal("[D|d||x]", template.Render(new Dictionary<string, object?>
        {
            ["q"] = new Dictionary<string, object?> { ["links"] = new object[] { new Dictionary<string, object?> { ["keyword"] = "D", ["label"] = "d" } }, ["inner"] = new Inner("x") },
        }));
        Assert.Equal("[J|j||y]", template.Render(System.Text.Json.JsonDocument.Parse("""{"q":{"links":[{"keyword":"J","label":"j"}],"inner":{"text":"y"}}}""").RootElement));
        Assert.Equal("[YES|No thanks||hi]", template.Render(plain));
    }

    [Fact]
    public void What_a_template_assigns_still_wins_over_the_model()
    {
        var template = Template.ParseOrThrow("{{ q.inner.text }}{% assign q = other %}/{{ q.inner.text }}", Liquid);
        var model = new Dictionary<string, object?> { ["q"] = new Question(Array.Empty<Link>(), new Inner("model")), ["other"] = new Question(Array.Empty<Link>(), new Inner("assigned")) };

        Assert.Equal("model/assigned", template.Render(model));
        Assert.Equal("model/assigned", template.Render(model));
    }

    [Fact]
    public void Strict_mode_still_names_a_missing_member_after_the_chain_was_bound()
    {
        var template = Template.ParseOrThrow("{{ q.inner.text }}", new TemplateOptions { Syntax = TemplateSyntax.Liquid, StrictVariables = true });
        Assert.Equal("hi", template.Render(new Root(new Question(Array.Empty<Link>(), new Inner("hi")))));

        var error = Assert.Throws<TemplateRuntimeException>(() => template.Render(new Root(new Question(Array.Empty<Link>(), new NoText()))));
        Assert.Contains("text", error.Message, StringComparison.Ordinal);
    }

    public sealed class Root(Question? q)
    {
        public Question? Q { get; } = q;
    }

    public sealed class Question(IReadOnlyList<Link> links, object? inner)
    {
        public IReadOnlyList<Link> Links { get; } = links;

        public object? Inner { get; } = inner;
    }

    public sealed class Link(string keyword, string label)
    {
        public string Keyword { get; } = keyword;

        public string Label { get; } = label;
    }

    public class Inner(string text)
    {
        public string Text { get; } = text;
    }

    public sealed class SubInner(string text) : Inner(text);

    public sealed class NoText
    {
        public string Other => "other";
    }
}
