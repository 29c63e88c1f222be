using System.Text.Json;
using Personalize.Templates.Runtime;

namespace Personalize.Templates;

/// <summary>
/// A value a compiled expression reads from its model (see <see cref="TemplateExpression.Compile{TModel}"/>): the
/// language's view of the value, as <see cref="ScriptValue.Normalize(object?)"/> gives it, held without boxing numbers
/// and booleans and, for a JSON string, without decoding it. The default value is <see cref="Missing"/>.
/// </summary>
public readonly struct ExpressionValue
{
    private readonly object? _object;
    private readonly JsonElement _json;
    private readonly long _bits;
    private readonly ValueKind _kind;

    private ExpressionValue(ValueKind kind, long bits = 0, object? value = null, JsonElement json = default)
    {
        _kind = kind;
        _bits = bits;
        _object = value;
        _json = json;
    }

    /// <summary>Gets the value of a member the model does not have (the expression reads it as <see langword="null"/>, or fails in strict mode).</summary>
    public static ExpressionValue Missing => default;

    /// <summary>Gets <see langword="null"/>.</summary>
    public static ExpressionValue Null => new(ValueKind.Null);

    /// <summary>Gets whether the model does not have the member.</summary>
    public bool IsMissing => _kind == ValueKind.Missing;

    internal ValueKind Kind => _kind;

    internal long Integer => _bits;

    internal double Double => BitConverter.Int64BitsToDouble(_bits);

    internal bool Boolean => _bits != 0;

    internal string String => (string)_object!;

    internal JsonElement Json => _json;

    internal object? Object => _object;

    internal static ExpressionValue Bail => new(ValueKind.Bail);

    /// <summary>A boolean.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The value.</returns>
    public static ExpressionValue From(bool value) => new(ValueKind.Bool, value ? 1 : 0);

    /// <summary>An integer (the language's <c>int</c>).</summary>
    /// <param name="value">The value.</param>
    /// <returns>The value.</returns>
    public static ExpressionValue From(int value) => new(ValueKind.Int, value);

    /// <summary>An integer, or <see cref="Null"/>.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The value.</returns>
    public static ExpressionValue From(int? value) => value is { } i ? From(i) : Null;

    /// <summary>A 64-bit integer.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The value.</returns>
    public static ExpressionValue From(long value) => new(ValueKind.Long, value);

    /// <summary>A floating-point number.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The value.</returns>
    public static ExpressionValue From(double value) => new(ValueKind.Double, BitConverter.DoubleToInt64Bits(value));

    /// <summary>A string, or <see cref="Null"/>.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The value.</returns>
    public static ExpressionValue From(string? value) => value is null ? Null : new(ValueKind.String, 0, value);

    /// <summary>A JSON value as the language sees it (a JSON string is kept undecoded until it is needed).</summary>
    /// <param name="value">The JSON value.</param>
    /// <returns>The value.</returns>
    public static ExpressionValue FromJson(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => new(ValueKind.JsonString, 0, null, value),
        JsonValueKind.Number => value.TryGetInt32(out var i) ? From(i) : value.TryGetInt64(out var l) ? From(l) : From(value.GetDouble()),
        JsonValueKind.True => From(true),
        JsonValueKind.False => From(false),
        JsonValueKind.Null or JsonValueKind.Undefined => Null,
        _ => new(ValueKind.Object, 0, value),
    };

    /// <summary>Any value, normalized as the interpreter normalizes it (a function makes the expression run interpreted).</summary>
    /// <param name="value">The value.</param>
    /// <returns>The value.</returns>
    public static ExpressionValue FromObject(object? value)
    {
        if (ScriptValue.AsFunction(value) is not null)
        {
            return Bail;
        }

        return ScriptValue.Normalize(value) switch
        {
            null => Null,
            bool b => From(b),
            int i => From(i),
            long l => From(l),
            double d => From(d),
            string s => From(s),
            JsonElement e => FromJson(e),
            var other => new(ValueKind.Object, 0, other),
        };
    }

    /// <summary>The value as the interpreter holds it (boxed).</summary>
    /// <returns>The value; <see langword="null"/> for <see cref="Null"/> and <see cref="Missing"/>.</returns>
    public object? ToObject() => _kind switch
    {
        ValueKind.Bool => Boxes.Bool(Boolean),
        ValueKind.Int => Boxes.Int32((int)_bits),
        ValueKind.Long => _bits,
        ValueKind.Double => Double,
        ValueKind.String or ValueKind.Object => _object,
        ValueKind.JsonString => _json.GetString(),
        _ => null,
    };

    /// <inheritdoc />
    public override string ToString() => _kind + ": " + (ToObject()?.ToString() ?? "null");

    internal enum ValueKind : byte
    {
        Missing,
        Null,
        Bool,
        Int,
        Long,
        Double,
        String,
        JsonString,
        Object,
        Bail,
    }
}
