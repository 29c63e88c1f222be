using System.Text.Json;
using System.Text.Json.Nodes;
using Personalize.Templates.Runtime;

namespace Personalize.Templates.Tests.Conformance;

/// <summary>The corpus' standard model and the three host functions it registers.</summary>
internal static class StandardModel
{
    public static ScriptObject Functions { get; } = CreateFunctions();

    private static ScriptObject CreateFunctions()
    {
        var functions = new ScriptObject();
        functions.Import("special_concat_strings", new Func<string, string, string, string>(SpecialConcatStrings));
        functions.Import("special_concat_string_and_params", new Func<string, object?[], string>(SpecialConcatStringAndParams));
        functions.Import("special_concat_params", new Func<object?[], string>(SpecialConcatParams));
        return functions;
    }

    private static string SpecialConcatStrings(string a = "default_a", string b = "default_b", string c = "default_c") => "a: " + a + ", b: " + b + ", c: " + c;

    private static string SpecialConcatStringAndParams(string a, params object?[] args) => "a: " + a + ", " + Values(args);

    private static string SpecialConcatParams(params object?[] args) => Values(args);

    private static string Values(object?[] args) => string.Join(", ", args.Select((v, i) => $"v{i}: {v}"));

    public static ScriptObject Create()
    {
        var model = new ScriptObject();
        model.SetValue("page", Obj(("title", "This is a title")));
        model.SetValue("user", Obj(("name", "John")));
        model.SetValue("product", Obj(("title", "Orange"), ("type", "fruit")));
        var products = new ScriptArray();
        foreach (var (title, type) in new[] { ("Orange", "fruit"), ("Banana", "fruit"), ("Apple", "fruit"), ("Computer", "electronics"), ("Mobile Phone", "electronics"), ("Table", "furniture"), ("Sofa", "furniture") })
        {
            products.Add(Obj(("title", title), ("type", type)));
        }

        model.SetValue("products", products);
        return model;
    }

    private static ScriptObject Obj(params (string Key, object? Value)[] members)
    {
        var obj = new ScriptObject();
        foreach (var (key, value) in members)
        {
            obj.SetValue(key, value);
        }

        return obj;
    }

    public static ScriptObject FromJson(string json) => (ScriptObject)Convert(JsonNode.Parse(json))!;

    private static object? Convert(JsonNode? node)
    {
        switch (node)
        {
            case null:
                return null;
            case JsonObject o:
                var obj = new ScriptObject();
                foreach (var pair in o)
                {
                    obj.SetValue(pair.Key, Convert(pair.Value));
                }

                return obj;
            case JsonArray a:
                var array = new ScriptArray();
                foreach (var item in a)
                {
                    array.Add(Convert(item));
                }

                return array;
            default:
                var element = node.GetValue<JsonElement>();
                return element.ValueKind switch
                {
                    JsonValueKind.String => element.GetString(),
                    JsonValueKind.True => true,
                    JsonValueKind.False => false,
                    JsonValueKind.Number when element.TryGetInt32(out var i) => i,
                    JsonValueKind.Number when element.TryGetInt64(out var l) => l,
                    JsonValueKind.Number => element.GetDouble(),
                    _ => null,
                };
        }
    }
}
