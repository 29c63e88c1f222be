using System.Text.Json;
using Personalize.Templates.Runtime;
using static Personalize.Templates.Tests.Builtins.BuiltinHarness;

namespace Personalize.Templates.Tests.Builtins;

public sealed class ObjectFunctionsTests
{
    private static readonly ScriptObject Product = Object(("title", "Orange"), ("type", "fruit"), ("note", null));

    [Fact]
    public void Default_replaces_null_and_empty_only()
    {
        Assert.Equal("Yo", Text("object.default", null, "Yo"));
        Assert.Equal("Yo", Text("object.default", string.Empty, "Yo"));
        Assert.Equal(" ", Text("object.default", " ", "Yo"));
        Assert.Equal("0", Text("object.default", 0, "Yo"));
    }

    [Fact]
    public void Keys_values_and_membership()
    {
        Assert.Equal("[\"title\", \"type\", \"note\"]", Text("object.keys", Product));
        Assert.Equal("[\"Orange\", \"fruit\", null]", Text("object.values", Product));
        Assert.Equal("[]", Text("object.keys", [null]));
        Assert.Equal("[]", Text("object.values", [null]));
        Assert.Equal("true", Text("object.has_key", Product, "title"));
        Assert.Equal("true", Text("object.has_key", Product, "note"));
        Assert.Equal("false", Text("object.has_key", Product, "yoyo"));
        Assert.Equal("false", Text("object.has_key", null, "member"));
        Assert.Equal("true", Text("object.has_value", Product, "title"));
        Assert.Equal("false", Text("object.has_value", Product, "note"));
        Assert.Equal("false", Text("object.has_value", null, null));
    }

    [Fact]
    public void Keys_of_json_and_dotnet_objects()
    {
        using var json = JsonDocument.Parse("""{"a":1,"b":"x"}""");
        Assert.Equal("[\"a\", \"b\"]", Text("object.keys", json.RootElement));
        Assert.Equal("[\"first_name\"]", Text("object.keys", new Person("Ada")));
        Assert.Equal("true", Text("object.has_key", new Person("Ada"), "first_name"));
    }

    [Fact]
    public void Size()
    {
        Assert.Equal("3", Text("object.size", "obj"));
        Assert.Equal("2", Text("object.size", Array(1, 2)));
        Assert.Equal("0", Text("object.size", 5));
        Assert.Equal("3", Text("object.size", Product));
    }

    [Fact]
    public void Typeof_and_kind()
    {
        Assert.Null(Call(Context(), "object.typeof", [null]));
        Assert.Equal("boolean", Text("object.typeof", true));
        Assert.Equal("number", Text("object.typeof", 1.0));
        Assert.Equal("string", Text("object.typeof", "text"));
        Assert.Equal("array", Text("object.typeof", Array(1)));
        Assert.Equal("iterator", Text("object.typeof", Enumerable.Range(1, 5)));
        Assert.Equal("object", Text("object.typeof", new ScriptObject()));
        Assert.Equal("bool", Text("object.kind", true));
        Assert.Equal("int", Text("object.kind", 1));
        Assert.Equal("double", Text("object.kind", 1.0));
        Assert.Equal("range", Text("object.kind", Enumerable.Range(1, 5)));
        Assert.Equal("array", Text("object.kind", Array(1)));
        Assert.Equal("function", Text("object.kind", Function("string.upcase")));
    }

    [Fact]
    public void Format_uses_the_given_culture()
    {
        Assert.Equal("00FF", Text("object.format", 255, "X4"));
        Assert.Equal("1,523.00", Text("object.format", 1523, "N2", "en-US"));
        Assert.Equal("1.523,00", Text("object.format", 1523, "N2", "de-DE"));
    }

    [Fact]
    public void Json_round_trip()
    {
        var obj = (ScriptObject)Call(Context(), "object.from_json", """{ "foo": 123, "list": [1, "a", true, null], "n": 1.5 }""")!;
        Assert.Equal(123, obj["foo"]);
        Assert.Equal("[1, \"a\", true, null]", obj["list"]!.ToString());
        Assert.Equal("""{"foo":123,"list":[1,"a",true,null],"n":1.5}""", Text("object.to_json", obj));
        Assert.Equal("""{"foo":"bar","baz":[1,2,3]}""", Text("object.to_json", Object(("foo", "bar"), ("baz", Array(1, 2, 3)))));
        Assert.Equal("true", Text("object.to_json", true));
        Assert.Equal("null", Text("object.to_json", [null]));
        Assert.Equal("\"<b>é</b>\"", Text("object.to_json", "<b>é</b>"));
    }

    [Fact]
    public void Invalid_json_and_self_containing_values_are_clear_errors()
    {
        var error = Assert.ThrowsAny<TemplateRuntimeException>(() => Call(Context(), "object.from_json", "{ nope"));
        Assert.Contains("invalid JSON", error.Message, StringComparison.Ordinal);
        var loop = new ScriptArray();
        loop.Add(loop);
        Assert.ThrowsAny<TemplateRuntimeException>(() => Call(Context(), "object.to_json", loop));
    }

    private sealed record Person(string FirstName);
}
