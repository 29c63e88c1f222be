using Kind = Personalize.Templates.ExpressionValue.ValueKind;

namespace Personalize.Templates;

/// <summary>
/// A number, a boolean or <see langword="null"/> read from a model without the rest of an <see cref="ExpressionValue"/>
/// (see <see cref="ExpressionBinder{TModel}.BindScalar"/>): 16 bytes holding no object reference, so a compiled
/// comparison passes it in registers and clears nothing. <see cref="Other"/> (the default) says the value is of another
/// kind — a string, a JSON string, an array, a missing member — and the member's <see cref="ExpressionReader{TModel}"/>
/// is asked instead.
/// </summary>
public readonly struct ExpressionScalar
{
    private readonly long _bits;
    private readonly Kind _kind;

    private ExpressionScalar(Kind kind, long bits)
    {
        _kind = kind;
        _bits = bits;
    }

    /// <summary>Gets the value for any value that is not a number, a boolean or null: the member's reader is asked instead.</summary>
    public static ExpressionScalar Other => default;

    /// <summary>Gets <see langword="null"/>.</summary>
    public static ExpressionScalar Null => new(Kind.Null, 0);

    /// <summary>Gets whether the value is <see cref="Other"/>.</summary>
    public bool IsOther => _kind == Kind.Missing;

    internal Kind Kind => _kind;

    internal long Integer => _bits;

    internal double Double => BitConverter.Int64BitsToDouble(_bits);

    /// <summary>A boolean.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The value.</returns>
    public static ExpressionScalar From(bool value) => new(Kind.Bool, value ? 1 : 0);

    /// <summary>An integer (the language's <c>int</c>).</summary>
    /// <param name="value">The value.</param>
    /// <returns>The value.</returns>
    public static ExpressionScalar From(int value) => new(Kind.Int, value);

    /// <summary>An integer, or <see cref="Null"/>.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The value.</returns>
    public static ExpressionScalar From(int? value) => value is { } i ? From(i) : Null;

    /// <summary>A 64-bit integer.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The value.</returns>
    public static ExpressionScalar From(long value) => new(Kind.Long, value);

    /// <summary>A floating-point number.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The value.</returns>
    public static ExpressionScalar From(double value) => new(Kind.Double, BitConverter.DoubleToInt64Bits(value));

    /// <summary>The number, boolean or null an expression value holds, else <see cref="Other"/>.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The scalar.</returns>
    public static ExpressionScalar Of(in ExpressionValue value)
        => value.Kind is Kind.Null or Kind.Bool or Kind.Int or Kind.Long or Kind.Double ? new(value.Kind, value.Integer) : default;

    /// <inheritdoc />
    public override string ToString() => _kind switch
    {
        Kind.Missing => "Other",
        Kind.Null => "Null",
        Kind.Bool => "Bool: " + (_bits != 0),
        Kind.Double => "Double: " + Double.ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => _kind + ": " + _bits.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
