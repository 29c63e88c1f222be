using System.Text.Json;
using System.Text.Json.Nodes;
using Personalize.Templates.Runtime;

namespace Personalize.Templates.Tests;

public sealed class DataBindingTests
{
    /// <summary>A model object that is only an <see cref="IReadOnlyDictionary{TKey, TValue}"/> (like the library's customer views).</summary>
    private sealed class ReadOnlyMembers(Dictionary<string, object?> members) : IReadOnlyDictionary<string, object?>
    {
        public object? this[string key] => members[key];

        public IEnumerable<string> Keys => members.Keys;

        public IEnumerable<object?> Values => members.Values;

        public int Count => members.Count;

        public bool ContainsKey(string key) => members.ContainsKey(key);

        public bool TryGetValue(string key, out object? value) => members.TryGetValue(key, out value);

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => members.GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

    [Theory]
    [InlineData("{{ plan }}", false)]
    [InlineData("{{ plan | array.map 'key' | array.join ',' }}", false)]
    [InlineData("{{ plan }}", true)]
    [InlineData("{% for p in plan %}{{ p[0] }}={{ p[1] }};{% endfor %}", true)]
    [InlineData("{% if plan contains 'name' %}has name{% endif %}", true)]
    public void A_read_only_dictionary_prints_iterates_and_contains_like_a_dictionary(string source, bool liquid)
    {
        var members = new Dictionary<string, object?> { ["name"] = "Gold", ["price"] = 9.5 };
        var template = Template.ParseOrThrow(source, new TemplateOptions { Syntax = liquid ? TemplateSyntax.Liquid : TemplateSyntax.Scriban });

        var expected = template.Render(new Dictionary<string, object?> { ["plan"] = members });
        var actual = template.Render(new Dictionary<string, object?> { ["plan"] = new ReadOnlyMembers(members) });

        Assert.NotEqual(string.Empty, expected);
        Assert.Equal(expected, actual);
    }

    private sealed class Customer
    {
        public string FirstName { get; init; } = "Ada";

        public int LoyaltyPoints { get; init; } = 120;

        public Address HomeAddress { get; init; } = new();

        public List<string> Tags { get; init; } = new() { "vip", "beta" };

        public string? MiddleName { get; init; }
    }

    private sealed class Address
    {
        public string City { get; init; } = "Lyon";
    }

    [Fact]
    public void Poco_members_are_snake_case_by_default()
    {
        var output = Template.Parse("{{ customer.first_name }} {{ customer.loyalty_points + 1 }} {{ customer.home_address.city }} {{ customer.tags | array.join \",\" }} [{{ customer.middle_name }}]")
            .Render(new { Customer = new Customer() });

        Assert.Equal("Ada 121 Lyon vip,beta []", output);
    }

    [Fact]
    public void Member_renamer_is_configurable()
    {
        var options = new TemplateOptions { MemberRenamer = MemberRenamers.Identity };

        Assert.Equal("Ada", Template.Parse("{{ Customer.FirstName }}", options).Render(new { Customer = new Customer() }));
        Assert.Equal("[]", Template.Parse("[{{ Customer.first_name }}]", options).Render(new { Customer = new Customer() }));
    }

    [Fact]
    public void Dictionaries_and_read_only_dictionaries_bind_by_key()
    {
        IReadOnlyDictionary<string, object?> plan = new Dictionary<string, object?> { ["name"] = "Gold", ["price"] = 9.5 };
        var model = new Dictionary<string, object?> { ["plan"] = plan, ["items"] = new[] { 1, 2, 3 } };

        Assert.Equal("Gold 9.5 6", Template.Parse("{{ plan.name }} {{ plan.price }} {{ items[0] + items[1] + items[-1] }}").Render(model));
    }

    [Fact]
    public void Json_element_and_json_node_models_bind_with_their_types()
    {
        const string Json = """{"name":"Bo","age":41,"score":2.5,"vip":false,"tags":["a","b"],"address":{"city":"Oslo"},"none":null}""";
        const string Source = "{{ name }} {{ age + 1 }} {{ score * 2 }} {{ vip ? 'y' : 'n' }} {{ tags.size }} {{ tags[1] }} {{ address.city }} [{{ none }}] {{ for t in tags }}{{ t }}{{ end }}";
        var template = Template.Parse(Source);

        using var document = JsonDocument.Parse(Json);
        Assert.Equal("Bo 42 5 n 2 b Oslo [] ab", template.Render(document.RootElement));
        Assert.Equal("Bo 42 5 n 2 b Oslo [] ab", template.Render(JsonNode.Parse(Json)));
    }

    [Fact]
    public void Any_enumerable_is_an_array()
    {
        var model = new { Numbers = Enumerable.Range(1, 4).Select(i => i * 10) };

        Assert.Equal("10,20,30,40 | 4 | [10, 20, 30, 40]", Template.Parse("{{ for n in numbers }}{{ n }}{{ if !for.last }},{{ end }}{{ end }} | {{ numbers.size }} | {{ numbers }}").Render(model));
    }

    [Fact]
    public void Script_objects_are_globals_and_templates_cannot_change_the_model()
    {
        var model = new ScriptObject { ["count"] = 1 };

        Assert.Equal("2", Template.Parse("{{ count = count + 1; count }}").Render(model));
        Assert.Equal(1, model["count"]);
    }

    [Fact]
    public void Variables_and_model_members_named_like_builtins_shadow_them()
    {
        var template = Template.Parse("{{ string.upcase 'a' }}|{{ string = { upcase: 'shadowed' }; string.upcase }}");

        Assert.Equal("A|shadowed", template.Render());
        Assert.Equal("model", Template.Parse("{{ string.upcase }}").Render(new { String = new Dictionary<string, object?> { ["upcase"] = "model" } }));
        Assert.Equal("dict", Template.Parse("{{ string.upcase }}").Render(new Dictionary<string, object?> { ["string"] = new Dictionary<string, object?> { ["upcase"] = "dict" } }));
    }

    [Theory]
    [InlineData("{{ for x in [1,2] }}{{ x }}{{ end }}{{ y = 3 }}{{ for x in [4] }}{{ x }}{{ y }}{{ end }}[{{ x }}]", "1243[]")]
    [InlineData("{{ this['v'] = 1; v; v = v + 1; v; this.v }}", "122")]
    [InlineData("{{ o = {}; v = 1; with o; v = 2; v; end; v; o.v }}", "212")]
    [InlineData("{{ func f; v = v + 1; end; v = 1; f; f; v }}", "3")]
    public void Variable_lookups_stay_correct_as_scopes_change(string source, string expected)
    {
        var template = Template.Parse(source);

        Assert.Equal(expected, template.Render());
        Assert.Equal(expected, template.Render());
    }

    private class Animal
    {
        public string Name { get; init; } = string.Empty;

        public virtual string Sound => "...";
    }

    private sealed class Dog : Animal
    {
        public override string Sound => "woof";

        public int Legs => 4;
    }

    private sealed record Robot(string Name, int Legs);

    [Fact]
    public void One_member_access_reads_objects_of_different_types()
    {
        var items = new object[] { new Animal { Name = "a" }, new Dog { Name = "d" }, new Robot("r", 6), new Dictionary<string, object?> { ["name"] = "x" }, new Animal { Name = "b" } };

        var output = Template.Parse("{{ for i in items }}{{ i.name }}:{{ i.sound }}:{{ i.legs }};{{ end }}").Render(new { Items = items });

        Assert.Equal("a:...:;d:woof:4;r::6;x::;b:...:;", output);
    }
}
