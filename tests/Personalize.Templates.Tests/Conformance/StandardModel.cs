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

    /// <summary>The corpus' standard model (see <c>shared/conformance/README.md</c>) as JSON, for both engines.</summary>
    public const string Json = """
        {
          "page": { "title": "This is a title" },
          "user": { "name": "John" },
          "product": { "title": "Orange", "type": "fruit" },
          "products": [
            { "title": "Orange", "type": "fruit" }, { "title": "Banana", "type": "fruit" }, { "title": "Apple", "type": "fruit" },
            { "title": "Computer", "type": "electronics" }, { "title": "Mobile Phone", "type": "electronics" },
            { "title": "Table", "type": "furniture" }, { "title": "Sofa", "type": "furniture" }
          ]
        }
        """;

    public static ScriptObject Create() => FromJson(Json);

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
