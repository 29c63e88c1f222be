using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using S = Scriban;
using SR = Scriban.Runtime;

namespace Personalize.Templates.Tests.Differential;

/// <summary>
/// The real Scriban 7.6.1 (<c>Scriban.Signed</c>, a test-only reference) as an oracle: renders a template the way Scriban's own
/// test suite renders its test files (a fresh <c>TemplateContext</c>, the model pushed as a global, the corpus' three host
/// functions), and reports the output or that it failed (parse errors as Scriban prints them, or the exception).
/// </summary>
internal static class ScribanOracle
{
    public static RenderOutcome Render(string source, JsonNode? model, bool scientific = false, bool liquid = false)
    {
        var lexerOptions = new S.Parsing.LexerOptions { Lang = liquid ? S.Parsing.ScriptLang.Liquid : scientific ? S.Parsing.ScriptLang.Scientific : S.Parsing.ScriptLang.Default };
        var parserOptions = new S.Parsing.ParserOptions { LiquidFunctionsToScriban = liquid };
        S.Template template;
        // The oracle's failures of any kind count as "failed" (a crash of the parser included).
        try
        {
            template = S.Template.Parse(source, "text", parserOptions, lexerOptions);
        }
        catch (Exception ex)
        {
            return RenderOutcome.Failed("parser crash " + ex.GetType().Name + ": " + ex.Message);
        }

        if (template.HasErrors)
        {
            return RenderOutcome.Failed(string.Join("\n", template.Messages.Select(m => m.ToString())));
        }

        var context = liquid ? new S.LiquidTemplateContext() : new S.TemplateContext();
        context.UseScientific = scientific;
        context.PushCulture(CultureInfo.InvariantCulture);
        var globals = new SR.ScriptObject();
        AddFunctions(globals);
        if (model is JsonObject members)
        {
            foreach (var pair in members)
            {
                globals.SetValue(pair.Key, Convert(pair.Value), false);
            }
        }

        context.PushGlobal(globals);
        try
        {
            return RenderOutcome.Ok(template.Render(context));
        }
        catch (Exception ex)
        {
            return RenderOutcome.Failed(ex.GetType().Name + ": " + ex.Message);
        }
    }

    private static void AddFunctions(SR.ScriptObject globals)
    {
        SR.ScriptObjectExtensions.Import(globals, "special_concat_strings", new Func<string, string, string, string>(SpecialConcatStrings));
        SR.ScriptObjectExtensions.Import(globals, "special_concat_string_and_params", new Func<string, object?[], string>(SpecialConcatStringAndParams));
        SR.ScriptObjectExtensions.Import(globals, "special_concat_params", new Func<object?[], string>(SpecialConcatParams));
    }

    private static string SpecialConcatStrings(string a = "default_a", string b = "default_b", string c = "default_c") => "a: " + a + ", b: " + b + ", c: " + c;

    private static string SpecialConcatStringAndParams(string a, params object?[] args) => "a: " + a + ", " + Values(args);

    private static string SpecialConcatParams(params object?[] args) => Values(args);

    private static string Values(object?[] args) => string.Join(", ", args.Select((v, i) => string.Create(CultureInfo.InvariantCulture, $"v{i}: {v}")));

    /// <summary>JSON as Scriban's own values: objects and arrays become <c>ScriptObject</c>/<c>ScriptArray</c>, integral numbers <c>int</c> when they fit.</summary>
    public static object? Convert(JsonNode? node)
    {
        switch (node)
        {
            case null:
                return null;
            case JsonObject o:
                var obj = new SR.ScriptObject();
                foreach (var pair in o)
                {
                    obj.SetValue(pair.Key, Convert(pair.Value), false);
                }

                return obj;
            case JsonArray a:
                var array = new SR.ScriptArray();
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
