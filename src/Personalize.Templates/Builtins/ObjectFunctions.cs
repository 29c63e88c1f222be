using System.Buffers;
using System.Collections;
using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using Personalize.Templates.Runtime;

namespace Personalize.Templates.Builtins;

/// <summary>The <c>object</c> builtin object: defaults, type inspection, members, formatting and JSON.</summary>
internal static class ObjectFunctions
{
    private const int MaxJsonDepth = 64;

    /// <summary><c>object.default</c>: <paramref name="default"/> when <paramref name="value"/> is null or <c>""</c>, else <paramref name="value"/>.</summary>
    public static object? Default(object? value, object? @default) => value is null || value is string { Length: 0 } ? @default : value;

    /// <summary>
    /// <c>object.eval</c>: runs a string as code (statements without <c>{{ }}</c>) in the current render, whose variables it
    /// sees and sets. A single expression gives its value; several statements give the text they print, as in Scriban
    /// (<c>"x = 5; x * 2"</c> gives <c>10</c>). A function is called; any other value is returned as is.
    /// </summary>
    public static object? Eval(TemplateContext context, object? value)
    {
        switch (value)
        {
            case IScriptFunction function:
                return context.Call(function);
            case not string:
                return value;
        }

        var source = (string)value;
        var code = EvalCache.GetCode(context, source);
        context.ChargeCharacters(source.Length * 4L);
        if (code.Statements is [Syntax.ExpressionStatement single])
        {
            return single.Expression.Evaluate(context);
        }

        context.ChargeWork(code.Weight);
        return context.Capture(code);
    }

    /// <summary>
    /// <c>object.eval_template</c>: renders a string as a template in the current render (its variables are visible) and
    /// returns the output; a function is called; any other value is returned as is.
    /// </summary>
    public static object? EvalTemplate(TemplateContext context, object? value)
    {
        switch (value)
        {
            case IScriptFunction function:
                return context.Call(function);
            case not string:
                return value;
        }

        var body = EvalCache.GetTemplate(context, (string)value);
        context.ChargeWork(TemplateContext.IncludeCost + body.Weight);
        return context.Capture(body);
    }

    /// <summary><c>object.format</c>: formats a value with a .NET format string in <paramref name="culture"/> (the render's culture by default).</summary>
    public static string Format(TemplateContext context, object? value, string? format, string? culture = null)
    {
        if (value is null)
        {
            return string.Empty;
        }

        var formatCulture = BuiltinHelpers.Culture(context, culture);
        return value is IFormattable formattable
            ? MathFunctions.FormatValue(context, formattable, format, formatCulture)
            : context.ToText(value);
    }

    /// <summary><c>object.has_key</c>: whether <paramref name="value"/> has the member <paramref name="key"/>.</summary>
    public static bool HasKey(TemplateContext context, object? value, string? key)
    {
        switch (value)
        {
            case null:
                return false;
            case ScriptObject or IDictionary<string, object?> or IReadOnlyDictionary<string, object?> or JsonElement:
                return key is not null && HasDeclaredKey(value, key);
            case IDictionary dictionary:
                return key is not null && dictionary.Contains(key);
            case string or bool or IEnumerable or IScriptFunction:
                return false;
        }

        return key is not null && !ScriptValue.IsNumber(value) && key is not ("size" or "empty?") && context.TryGetMember(value, key, out _);
    }

    /// <summary><c>object.has_value</c>: whether <paramref name="value"/> has the member <paramref name="key"/> with a non-null value.</summary>
    public static bool HasValue(TemplateContext context, object? value, string? key) =>
        HasKey(context, value, key) && context.TryGetMember(value, key!, out var member) && member is not null;

    /// <summary><c>object.keys</c>: the member names of an object (<c>["size"]</c> for an array or text; empty for null and other values).</summary>
    public static ScriptArray Keys(TemplateContext context, object? value)
    {
        var result = new ScriptArray();
        if (ArrayCount(value) is not null)
        {
            // An array's one member is its size, as in Scriban.
            result.Add("size");
            return result;
        }

        foreach (var pair in Members(context, value))
        {
            context.ChargeLoopIterations();
            result.Add(pair.Key);
        }

        return result;
    }

    /// <summary><c>object.values</c>: the member values of an object (<c>[size]</c> for an array or text; empty for null and other values).</summary>
    public static ScriptArray Values(TemplateContext context, object? value)
    {
        var result = new ScriptArray();
        if (ArrayCount(value) is { } count)
        {
            result.Add(count);
            return result;
        }

        foreach (var pair in Members(context, value))
        {
            context.ChargeLoopIterations();
            result.Add(pair.Value);
        }

        return result;
    }

    private static int? ArrayCount(object? value) => value switch
    {
        string text => text.Length, // text's one member is its size too (`name.size`), as in Scriban
        ScriptArray array => array.Count,
        System.Text.Json.JsonElement { ValueKind: System.Text.Json.JsonValueKind.Array } json => json.GetArrayLength(),
        System.Collections.IList list => list.Count,
        _ => null,
    };

    /// <summary><c>object.size</c>: the length of a string, the item count of a list, the member count of an object, else 0.</summary>
    public static int Size(TemplateContext context, object? value)
    {
        switch (value)
        {
            case null:
                return 0;
            case string s:
                return s.Length;
            case ScriptObject o:
                return o.Count;
            case ICollection c:
                return c.Count;
            case JsonElement { ValueKind: JsonValueKind.Object } json:
                var count = 0;
                foreach (var unused in json.EnumerateObject())
                {
                    count++;
                }

                return count;
        }

        if (ScriptValue.AsEnumerable(value) is { } items)
        {
            var count = 0;
            foreach (var unused in items)
            {
                context.ChargeLoopIterations();
                count++;
            }

            return count;
        }

        return 0;
    }

    /// <summary><c>object.typeof</c>: <c>string</c>, <c>boolean</c>, <c>number</c>, <c>array</c>, <c>iterator</c>, <c>function</c> or <c>object</c> (null for null).</summary>
    public static string? Typeof(object? value) => value switch
    {
        null => null,
        string => "string",
        bool => "boolean",
        _ when ScriptValue.IsNumber(value) => "number",
        ScriptArray { IsRange: true } => "iterator",
        ScriptArray or IList or JsonElement { ValueKind: JsonValueKind.Array } => "array",
        IScriptFunction => "function",
        ScriptObject or IDictionary or IDictionary<string, object?> or IReadOnlyDictionary<string, object?> or JsonElement => "object",
        IEnumerable => "iterator",
        _ => "object",
    };

    /// <summary>
    /// <c>object.kind</c>: the detailed type: <c>string</c>, <c>bool</c>, <c>int</c>, <c>long</c>, <c>double</c>, <c>float</c>,
    /// <c>decimal</c>, <c>bigint</c>, <c>enum</c>, <c>range</c>, <c>array</c>, <c>function</c>, <c>object</c>… (null for null).
    /// </summary>
    public static string? Kind(object? value) => value switch
    {
        null => null,
        string => "string",
        bool => "bool",
        byte => "byte",
        sbyte => "sbyte",
        ushort => "ushort",
        short => "short",
        uint => "uint",
        int => "int",
        ulong => "ulong",
        long => "long",
        float => "float",
        double => "double",
        decimal => "decimal",
        BigInteger => "bigint",
        Enum => "enum",
        ScriptArray { IsRange: true } => "range",
        ScriptArray or IList or JsonElement { ValueKind: JsonValueKind.Array } => "array",
        IScriptFunction => "function",
        ScriptObject or IDictionary or IDictionary<string, object?> or IReadOnlyDictionary<string, object?> or JsonElement => "object",
        IEnumerable => "range",
        _ => "object",
    };

    /// <summary><c>object.from_json</c>: parses JSON text into template values (objects, arrays, strings, numbers, booleans, null).</summary>
    public static object? FromJson(TemplateContext context, string? json)
    {
        if (json is null)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = MaxJsonDepth, AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            return Convert(context, document.RootElement);
        }
        catch (JsonException ex)
        {
            throw context.Error($"`object.from_json` got invalid JSON: {ex.Message}");
        }
    }

    /// <summary><c>object.to_json</c>: the value as compact JSON (<c>{"foo":"bar","baz":[1,2,3]}</c>); dates use ISO 8601.</summary>
    public static string ToJson(TemplateContext context, object? value)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true }))
        {
            Write(context, writer, value, 0);
        }

        context.CheckStringLength(buffer.WrittenCount);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static bool HasDeclaredKey(object value, string key) => value switch
    {
        ScriptObject o => o.ContainsKey(key),
        IDictionary<string, object?> d => d.ContainsKey(key),
        IReadOnlyDictionary<string, object?> rd => rd.ContainsKey(key),
        JsonElement { ValueKind: JsonValueKind.Object } json => json.TryGetProperty(key, out _),
        _ => false,
    };

    [System.Diagnostics.CodeAnalysis.UnconditionalSuppressMessage("Trimming", "IL2075", Justification = "Model types are the host's own types; members a trimmer removed are simply not listed.")]
    private static IEnumerable<KeyValuePair<string, object?>> Members(TemplateContext context, object? value)
    {
        switch (value)
        {
            case null or string or bool:
                return Array.Empty<KeyValuePair<string, object?>>();
            case ScriptObject o:
                return o;
            case IDictionary<string, object?> d:
                return d;
            case IReadOnlyDictionary<string, object?> rd:
                return rd;
            case JsonElement { ValueKind: JsonValueKind.Object } json:
                var members = new List<KeyValuePair<string, object?>>();
                foreach (var property in json.EnumerateObject())
                {
                    members.Add(new KeyValuePair<string, object?>(property.Name, ScriptValue.Normalize(property.Value)));
                }

                return members;
            case IDictionary nd:
                var entries = new List<KeyValuePair<string, object?>>();
                foreach (DictionaryEntry entry in nd)
                {
                    entries.Add(new KeyValuePair<string, object?>(context.ToText(entry.Key), ScriptValue.Normalize(entry.Value)));
                }

                return entries;
            case IEnumerable or IScriptFunction:
                return Array.Empty<KeyValuePair<string, object?>>();
        }

        if (ScriptValue.IsNumber(value) || value.GetType().IsPrimitive || value is DateTime or DateTimeOffset or TimeSpan)
        {
            return Array.Empty<KeyValuePair<string, object?>>();
        }

        var properties = new List<KeyValuePair<string, object?>>();
        foreach (var property in value.GetType().GetProperties(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length == 0)
            {
                var name = MemberRenamers.SnakeCase(property.Name);
                if (context.TryGetMember(value, name, out var member))
                {
                    properties.Add(new KeyValuePair<string, object?>(name, member));
                }
            }
        }

        return properties;
    }

    private static object? Convert(TemplateContext context, JsonElement element)
    {
        context.ChargeLoopIterations();
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var obj = new ScriptObject();
                foreach (var property in element.EnumerateObject())
                {
                    obj.SetValue(property.Name, Convert(context, property.Value));
                }

                return obj;
            case JsonValueKind.Array:
                var array = new ScriptArray(element.GetArrayLength());
                foreach (var item in element.EnumerateArray())
                {
                    array.Add(Convert(context, item));
                }

                return array;
            default:
                return ScriptValue.Normalize(element);
        }
    }

    private static void Write(TemplateContext context, Utf8JsonWriter writer, object? value, int depth)
    {
        if (depth > MaxJsonDepth)
        {
            throw context.Error($"`object.to_json` found values nested deeper than {MaxJsonDepth} levels (or a value that contains itself).");
        }

        context.ChargeLoopIterations();
        value = ScriptValue.Normalize(value);
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                return;
            case string s:
                writer.WriteStringValue(s);
                return;
            case bool b:
                writer.WriteBooleanValue(b);
                return;
            case int i:
                writer.WriteNumberValue(i);
                return;
            case long l:
                writer.WriteNumberValue(l);
                return;
            case uint ui:
                writer.WriteNumberValue(ui);
                return;
            case ulong ul:
                writer.WriteNumberValue(ul);
                return;
            case decimal m:
                writer.WriteNumberValue(m);
                return;
            case double d when double.IsFinite(d):
                writer.WriteNumberValue(d);
                return;
            case float f when float.IsFinite(f):
                writer.WriteNumberValue(f);
                return;
            case double or float:
                writer.WriteNullValue();
                return;
            case BigInteger big:
                writer.WriteRawValue(big.ToString(CultureInfo.InvariantCulture), skipInputValidation: true);
                return;
            case DateTime dt:
                writer.WriteStringValue(dt);
                return;
            case DateTimeOffset dto:
                writer.WriteStringValue(dto);
                return;
            case TimeSpan ts:
                writer.WriteStringValue(ts.ToString("c", CultureInfo.InvariantCulture));
                return;
            case JsonElement json:
                json.WriteTo(writer);
                return;
            case IScriptFunction:
                writer.WriteNullValue();
                return;
            case Enum e:
                writer.WriteStringValue(e.ToString());
                return;
        }

        if (value is ScriptObject or IDictionary<string, object?> or IReadOnlyDictionary<string, object?> or IDictionary
            || (value is not IEnumerable && !value.GetType().IsPrimitive))
        {
            writer.WriteStartObject();
            foreach (var pair in Members(context, value))
            {
                writer.WritePropertyName(pair.Key);
                Write(context, writer, pair.Value, depth + 1);
            }

            writer.WriteEndObject();
            return;
        }

        if (ScriptValue.AsEnumerable(value) is { } items)
        {
            writer.WriteStartArray();
            foreach (var item in items)
            {
                Write(context, writer, item, depth + 1);
            }

            writer.WriteEndArray();
            return;
        }

        writer.WriteStringValue(context.ToText(value));
    }
}
