using System.Collections;
using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Personalize.Templates.Runtime;

/// <summary>
/// The language's value rules in one place: truthiness, text formatting, number conversions and
/// how host values (JSON, dictionaries, sequences) are seen by templates. Builtins use these so that
/// they behave like the core language.
/// </summary>
public static class ScriptValue
{
    /// <summary>
    /// Scriban truthiness: only <see langword="null"/> and <see langword="false"/> are false
    /// (<c>0</c> and <c>""</c> are true). A JSON <c>false</c>/<c>null</c> counts as its .NET value.
    /// </summary>
    /// <param name="value">The value.</param>
    /// <returns>The truth value.</returns>
    public static bool IsTruthy(object? value) => value switch
    {
        null => false,
        bool b => b,
        JsonElement e => e.ValueKind is not (JsonValueKind.False or JsonValueKind.Null or JsonValueKind.Undefined),
        _ => true,
    };

    /// <summary>
    /// Returns the value as a function, or <see langword="null"/>. Cheaper than an interface type test on hot paths:
    /// strings, boxed values and script containers are rejected by class checks first (so a struct cannot be a function).
    /// </summary>
    /// <param name="value">The value.</param>
    /// <returns>The function or <see langword="null"/>.</returns>
    public static IScriptFunction? AsFunction(object? value) => value switch
    {
        null or string or ValueType or ScriptObject or ScriptArray => null,
        ScriptFunction f => f,
        Syntax.ScriptFunctionDefinition d => d,
        _ => value as IScriptFunction,
    };

    /// <summary>Gets whether the value is a number (any .NET numeric type the language uses).</summary>
    /// <param name="value">The value.</param>
    /// <returns><see langword="true"/> for numbers.</returns>
    public static bool IsNumber(object? value) => value is int or long or double or float or decimal or BigInteger or uint or ulong or short or ushort or byte or sbyte;

    /// <summary>Gets whether the value counts as empty: null, <c>""</c>, an empty collection or object.</summary>
    /// <param name="value">The value.</param>
    /// <returns><see langword="true"/> when empty.</returns>
    public static bool IsEmpty(object? value) => value switch
    {
        null => true,
        string s => s.Length == 0,
        ScriptArray a => a.Count == 0,
        ScriptObject o => o.Count == 0,
        ICollection c => c.Count == 0,
        JsonElement { ValueKind: JsonValueKind.Array } e => e.GetArrayLength() == 0,
        JsonElement { ValueKind: JsonValueKind.Object } e => !e.EnumerateObject().MoveNext(),
        JsonElement { ValueKind: JsonValueKind.Null } => true,
        IEnumerable e when value is not string => !e.GetEnumerator().MoveNext(),
        _ => false,
    };

    /// <summary>
    /// Converts a host value to the language's view of it: JSON primitives become .NET primitives
    /// (numbers as <see cref="int"/> when they fit, else <see cref="long"/> or <see cref="double"/>);
    /// JSON objects and arrays are kept and read through the member accessors.
    /// </summary>
    /// <param name="value">The value.</param>
    /// <returns>The normalized value.</returns>
    public static object? Normalize(object? value)
    {
        if (value is null or string or int or bool or ScriptObject or ScriptArray or double or decimal or long)
        {
            return value;
        }

        switch (value)
        {
            case JsonElement e:
                // An array or object is itself: the same box, not a copy (a loop can tell the value it walked before).
                return e.ValueKind is JsonValueKind.Array or JsonValueKind.Object ? value : FromJson(e);
            case JsonValue v:
                if (v.TryGetValue<JsonElement>(out var element))
                {
                    return FromJson(element);
                }

                return v.TryGetValue<object>(out var raw) ? Normalize(raw) : null;
            case short s:
                return (int)s;
            case byte b:
                return (int)b;
            case sbyte sb:
                return (int)sb;
            case ushort us:
                return (int)us;
            case char c:
                return c.ToString();
            default:
                return value;
        }
    }

    /// <summary>
    /// Converts a JSON value to the language's view of it, like <see cref="Normalize(object?)"/> does for a boxed
    /// <see cref="JsonElement"/>, without boxing the element first (members and items of JSON data are read this way).
    /// </summary>
    /// <param name="value">The JSON value.</param>
    /// <returns>The normalized value: a string, number, bool, null, or the element itself for objects and arrays.</returns>
    public static object? Normalize(JsonElement value) => FromJson(value);

    private static object? FromJson(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => e.GetString(),
        JsonValueKind.Number => e.TryGetInt32(out var i) ? (object)i : e.TryGetInt64(out var l) ? (object)l : e.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        _ => e,
    };

    /// <summary>Formats a value as the template prints it (invariant culture when <paramref name="culture"/> is null).</summary>
    /// <param name="value">The value.</param>
    /// <param name="culture">The culture for numbers and dates.</param>
    /// <returns>The text; <see langword="null"/> prints as <c>""</c>.</returns>
    public static string ToText(object? value, CultureInfo? culture) => ToText(value, culture, null);

    /// <summary>
    /// <see cref="ToText(object?, CultureInfo?)"/> for a render: printing an array or object charges one unit of work per item
    /// and stops with <see cref="TemplateLimits.MaxStringLength"/> as soon as the text grows past it, so a value that holds
    /// itself, or a huge string many times over, cannot take minutes or gigabytes to print. Without a render the text of a
    /// collection is cut with <c>...</c> past <see cref="TemplateLimits.MaxStringLength"/>'s default.
    /// </summary>
    internal static string ToText(object? value, CultureInfo? culture, TemplateContext? context)
    {
        culture ??= CultureInfo.InvariantCulture;
        switch (value)
        {
            case null:
                return string.Empty;
            case string s:
                return s;
            case bool b:
                return b ? "true" : "false";
            case int i:
                return i.ToString(culture);
            case long l:
                return l.ToString(culture);
            case double d:
                return FormatDouble(d, culture);
            case float f:
                return FormatDouble(f, culture);
            case decimal m:
                return m.ToString(culture);
            case DateTime dt:
                return dt.ToString("dd MMM yyyy", culture);
            case DateTimeOffset dto:
                return dto.ToString("dd MMM yyyy", culture);
            case IFormattable formattable when value is not IEnumerable:
                return formattable.ToString(null, culture);
            case JsonElement or JsonValue:
                var normalized = Normalize(value);
                if (normalized is JsonElement je)
                {
                    var sb0 = new StringBuilder();
                    AppendCollection(sb0, je, culture, 0, context);
                    return sb0.ToString();
                }

                return ToText(normalized, culture, context);
            case IScriptFunction:
                return string.Empty;
            case IEnumerable:
                var sb = new StringBuilder();
                AppendCollection(sb, value, culture, 0, context);
                return sb.ToString();
            default:
                // A denied host object (an exception, a file, a type…) prints as nothing: its ToString can reveal stack
                // traces, paths or code (see DeniedMembers).
                return DeniedMembers.IsDeniedType(value.GetType()) ? string.Empty : value.ToString() ?? string.Empty;
        }
    }

    internal static string FormatDouble(double d, CultureInfo culture)
    {
        // Negative zero keeps its sign (`-0`), as in Scriban.
        if (double.IsFinite(d) && Math.Abs(d) < 1e16 && d == Math.Floor(d) && !(d == 0 && double.IsNegative(d)))
        {
            return ((decimal)d).ToString(culture);
        }

        return d.ToString("R", culture);
    }

    /// <summary>Without a render to charge, the text of a collection stops growing here (then <c>...</c>).</summary>
    private const int MaxTextWithoutContext = 1_000_000;

    /// <summary>Charges one printed item and checks the text so far; false when printing must stop (no render: cut off).</summary>
    private static bool Continue(StringBuilder sb, TemplateContext? context)
    {
        if (context is not null)
        {
            context.ChargeWork(1);
            context.EnsureStringLength(sb.Length);
            return true;
        }

        if (sb.Length > MaxTextWithoutContext)
        {
            sb.Append("...");
            return false;
        }

        return true;
    }

    private static void AppendCollection(StringBuilder sb, object value, CultureInfo culture, int depth, TemplateContext? context)
    {
        if (depth > 16)
        {
            sb.Append("...");
            return;
        }

        switch (value)
        {
            case ScriptObject o:
                AppendObject(sb, o, culture, depth, context);
                return;
            case IDictionary<string, object?> d:
                AppendObject(sb, d, culture, depth, context);
                return;
            case IReadOnlyDictionary<string, object?> rd:
                AppendObject(sb, rd, culture, depth, context);
                return;
            case JsonElement { ValueKind: JsonValueKind.Object } je:
                sb.Append('{');
                var firstMember = true;
                foreach (var p in je.EnumerateObject())
                {
                    if (!Continue(sb, context))
                    {
                        return;
                    }

                    if (!firstMember)
                    {
                        sb.Append(", ");
                    }

                    firstMember = false;
                    AppendKey(sb, p.Name);
                    AppendItem(sb, Normalize(p.Value), culture, depth, context);
                }

                sb.Append('}');
                return;
            case JsonElement { ValueKind: JsonValueKind.Array } ja:
                sb.Append('[');
                var firstItem = true;
                foreach (var item in ja.EnumerateArray())
                {
                    if (!Continue(sb, context))
                    {
                        return;
                    }

                    if (!firstItem)
                    {
                        sb.Append(", ");
                    }

                    firstItem = false;
                    AppendItem(sb, Normalize(item), culture, depth, context);
                }

                sb.Append(']');
                return;
            case IEnumerable e:
                sb.Append('[');
                var first = true;
                foreach (var item in e)
                {
                    if (!Continue(sb, context))
                    {
                        return;
                    }

                    if (!first)
                    {
                        sb.Append(", ");
                    }

                    first = false;
                    AppendItem(sb, Normalize(item), culture, depth, context);
                }

                sb.Append(']');
                return;
        }
    }

    private static void AppendObject(StringBuilder sb, IEnumerable<KeyValuePair<string, object?>> members, CultureInfo culture, int depth, TemplateContext? context)
    {
        sb.Append('{');
        var first = true;
        foreach (var pair in members)
        {
            if (!Continue(sb, context))
            {
                return;
            }

            if (!first)
            {
                sb.Append(", ");
            }

            first = false;
            AppendKey(sb, pair.Key);
            AppendItem(sb, Normalize(pair.Value), culture, depth, context);
        }

        sb.Append('}');
    }

    private static void AppendItem(StringBuilder sb, object? item, CultureInfo culture, int depth, TemplateContext? context)
    {
        switch (item)
        {
            case null:
                sb.Append("null");
                break;
            case string s:
                AppendQuoted(sb, s);
                break;
            case JsonElement or IEnumerable:
                AppendCollection(sb, item, culture, depth + 1, context);
                break;
            default:
                sb.Append(ToText(item, culture, context));
                break;
        }
    }

    /// <summary>A member name and its colon: as it is when it reads as an identifier, else quoted like a string (as Scriban prints).</summary>
    private static void AppendKey(StringBuilder sb, string key)
    {
        if (IsIdentifier(key))
        {
            sb.Append(key);
        }
        else
        {
            AppendQuoted(sb, key);
        }

        sb.Append(": ");
    }

    private static bool IsIdentifier(string key)
    {
        if (key.Length == 0 || !(char.IsAsciiLetter(key[0]) || key[0] == '_'))
        {
            return false;
        }

        foreach (var c in key)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '_'))
            {
                return false;
            }
        }

        return true;
    }

    private static void AppendQuoted(StringBuilder sb, string s)
    {
        sb.Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default: sb.Append(c); break;
            }
        }

        sb.Append('"');
    }

    /// <summary>Converts a value to <see cref="int"/> (numbers are truncated, numeric strings parsed, null is 0).</summary>
    /// <param name="value">The value.</param>
    /// <param name="result">The integer.</param>
    /// <returns><see langword="false"/> when the value is not a number.</returns>
    public static bool TryToInt32(object? value, out int result)
    {
        if (TryToInt64(value, out var l) && l >= int.MinValue && l <= int.MaxValue)
        {
            result = (int)l;
            return true;
        }

        result = 0;
        return false;
    }

    /// <summary>Converts a value to <see cref="long"/> (numbers are truncated, numeric strings parsed, null is 0).</summary>
    /// <param name="value">The value.</param>
    /// <param name="result">The integer.</param>
    /// <returns><see langword="false"/> when the value is not a number.</returns>
    public static bool TryToInt64(object? value, out long result)
    {
        switch (Normalize(value))
        {
            case null: result = 0; return true;
            case int i: result = i; return true;
            case long l: result = l; return true;
            case uint ui: result = ui; return true;
            case ulong ul when ul <= long.MaxValue: result = (long)ul; return true;
            case double d when d is >= long.MinValue and <= long.MaxValue && !double.IsNaN(d): result = (long)d; return true;
            case float f when f is >= long.MinValue and <= long.MaxValue && !float.IsNaN(f): result = (long)f; return true;
            case decimal m when m is >= long.MinValue and <= long.MaxValue: result = (long)m; return true;
            case BigInteger b when b >= long.MinValue && b <= long.MaxValue: result = (long)b; return true;
            case bool b: result = b ? 1 : 0; return true;
            case string s when long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed): result = parsed; return true;
            case string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsedDouble) && parsedDouble is >= long.MinValue and <= long.MaxValue: result = (long)parsedDouble; return true;
            default: result = 0; return false;
        }
    }

    /// <summary>Converts a value to <see cref="double"/> (numeric strings parsed, null is 0).</summary>
    /// <param name="value">The value.</param>
    /// <param name="result">The number.</param>
    /// <returns><see langword="false"/> when the value is not a number.</returns>
    public static bool TryToDouble(object? value, out double result)
    {
        switch (Normalize(value))
        {
            case null: result = 0; return true;
            case int i: result = i; return true;
            case long l: result = l; return true;
            case double d: result = d; return true;
            case float f: result = f; return true;
            case decimal m: result = (double)m; return true;
            case uint ui: result = ui; return true;
            case ulong ul: result = ul; return true;
            case BigInteger b: result = (double)b; return true;
            case bool b: result = b ? 1 : 0; return true;
            case string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed): result = parsed; return true;
            default: result = 0; return false;
        }
    }

    /// <summary>Converts a value to <see cref="decimal"/> (numeric strings parsed, null is 0).</summary>
    /// <param name="value">The value.</param>
    /// <param name="result">The number.</param>
    /// <returns><see langword="false"/> when the value is not a number or out of range.</returns>
    public static bool TryToDecimal(object? value, out decimal result)
    {
        switch (Normalize(value))
        {
            case decimal m: result = m; return true;
            case int i: result = i; return true;
            case long l: result = l; return true;
            case string s when decimal.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed): result = parsed; return true;
            default:
                if (TryToDouble(value, out var d) && Math.Abs(d) < 7.9e28 && double.IsFinite(d))
                {
                    result = (decimal)d;
                    return true;
                }

                result = 0;
                return false;
        }
    }

    /// <summary>
    /// Sees a value as a sequence of items: arrays, lists, any <see cref="IEnumerable"/> except strings and
    /// dictionaries, JSON arrays. Returns <see langword="null"/> for anything else.
    /// </summary>
    /// <param name="value">The value.</param>
    /// <returns>The items (JSON items normalized) or <see langword="null"/>.</returns>
    public static IEnumerable<object?>? AsEnumerable(object? value) => value switch
    {
        null or string => null,
        ScriptArray a => a,
        ScriptObject => null,
        JsonElement { ValueKind: JsonValueKind.Array } e => EnumerateJson(e),
        JsonArray ja => EnumerateNormalized(ja),
        IDictionary or IDictionary<string, object?> or IReadOnlyDictionary<string, object?> => null,
        JsonObject => null,
        IEnumerable<object?> typed => typed,
        IEnumerable e => EnumerateNormalized(e),
        _ => null,
    };

    private static IEnumerable<object?> EnumerateJson(JsonElement e)
    {
        foreach (var item in e.EnumerateArray())
        {
            yield return Normalize(item);
        }
    }

    private static IEnumerable<object?> EnumerateNormalized(IEnumerable e)
    {
        foreach (var item in e)
        {
            yield return Normalize(item);
        }
    }

    /// <summary>Copies a sequence value into a new <see cref="ScriptArray"/> (see <see cref="AsEnumerable"/>); null for non-sequences.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The array or <see langword="null"/>.</returns>
    public static ScriptArray? ToScriptArray(object? value)
    {
        if (value is ScriptArray a)
        {
            return a;
        }

        var items = AsEnumerable(value);
        return items is null ? null : new ScriptArray(items);
    }

    /// <summary>Gets the language's type name of a value (<c>int</c>, <c>string</c>, <c>array</c>, …) for error messages.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The name.</returns>
    public static string TypeName(object? value) => value switch
    {
        null => "null",
        int => "int",
        long => "long",
        double => "double",
        float => "float",
        decimal => "decimal",
        BigInteger => "bigint",
        bool => "bool",
        string => "string",
        ScriptArray => "array",
        ScriptObject => "object",
        IScriptFunction => "function",
        JsonElement { ValueKind: JsonValueKind.Array } or JsonArray => "array",
        JsonElement { ValueKind: JsonValueKind.Object } or JsonObject or IDictionary or IDictionary<string, object?> or IReadOnlyDictionary<string, object?> => "object",
        JsonElement { ValueKind: JsonValueKind.String } => "string",
        JsonElement { ValueKind: JsonValueKind.Number } => "number",
        JsonElement { ValueKind: JsonValueKind.True or JsonValueKind.False } => "bool",
        JsonElement { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined } => "null",
        _ => value.GetType().Name,
    };
}
