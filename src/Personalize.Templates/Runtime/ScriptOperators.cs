using System.Numerics;

namespace Personalize.Templates.Runtime;

/// <summary>The language's operators on runtime values: number promotion, string concatenation and repetition, comparisons.</summary>
internal static class ScriptOperators
{
    private enum NumberKind
    {
        None,
        Int,
        Long,
        Big,
        Decimal,
        Double,
    }

    private static NumberKind KindOf(object? value) => value switch
    {
        int => NumberKind.Int,
        long or uint => NumberKind.Long,
        ulong u => u <= long.MaxValue ? NumberKind.Long : NumberKind.Big,
        BigInteger => NumberKind.Big,
        decimal => NumberKind.Decimal,
        double or float => NumberKind.Double,
        short or byte or sbyte or ushort => NumberKind.Int,
        _ => NumberKind.None,
    };

    private static long AsLong(object value) => value switch
    {
        int i => i,
        long l => l,
        uint u => u,
        ulong ul => (long)ul,
        short s => s,
        byte b => b,
        sbyte sb => sb,
        ushort us => us,
        _ => 0,
    };

    private static BigInteger AsBig(object value) => value switch
    {
        BigInteger b => b,
        ulong ul => ul,
        _ => AsLong(value),
    };

    private static decimal AsDecimal(object value) => value switch
    {
        decimal m => m,
        BigInteger b => (decimal)b,
        double d => (decimal)d,
        float f => (decimal)f,
        _ => AsLong(value),
    };

    private static double AsDouble(object value) => value switch
    {
        double d => d,
        float f => f,
        decimal m => (double)m,
        BigInteger b => (double)b,
        _ => AsLong(value),
    };

    internal static object Narrow(long value) => value is >= int.MinValue and <= int.MaxValue ? Boxes.Int32((int)value) : value;

    internal static object Narrow(BigInteger value) => value >= long.MinValue && value <= long.MaxValue ? Narrow((long)value) : value;

    public static object? Add(TemplateContext context, object? left, object? right)
    {
        if (left is string || right is string)
        {
            var l = context.ToText(left);
            var r = context.ToText(right);
            context.CheckStringLength((long)l.Length + r.Length);
            return string.Concat(l, r);
        }

        // An array beside an object joins the object's members as {key, value} items (`[1] + {a: 1}`), as in Scriban.
        if ((IsArray(left) && IsObject(right)) || (IsObject(left) && IsArray(right)))
        {
            left = Builtins.BuiltinHelpers.Copy(context, Builtins.BuiltinHelpers.AsList(context, left));
            right = Builtins.BuiltinHelpers.Copy(context, Builtins.BuiltinHelpers.AsList(context, right));
        }

        // A JSON array of the model joins like an array (`user.tags + [1]`).
        left = left is System.Text.Json.JsonElement { ValueKind: System.Text.Json.JsonValueKind.Array } lj && right is ScriptArray or System.Text.Json.JsonElement { ValueKind: System.Text.Json.JsonValueKind.Array } ? ToArray(context, lj) : left;
        right = right is System.Text.Json.JsonElement { ValueKind: System.Text.Json.JsonValueKind.Array } rj && left is ScriptArray ? ToArray(context, rj) : right;
        if (left is ScriptArray la && right is ScriptArray ra)
        {
            CheckArraySize(context, (long)la.Count + ra.Count);
            context.ChargeWork((long)la.Count + ra.Count);
            var result = new ScriptArray(la.Count + ra.Count);
            result.AddRange(la);
            result.AddRange(ra);
            return result;
        }

        return Arithmetic(context, '+', left, right);
    }

    private static bool IsObject(object? value) =>
        value is ScriptObject or IDictionary<string, object?> or IReadOnlyDictionary<string, object?> or System.Text.Json.JsonElement { ValueKind: System.Text.Json.JsonValueKind.Object };

    private static bool IsArray(object? value) => value is ScriptArray or System.Text.Json.JsonElement { ValueKind: System.Text.Json.JsonValueKind.Array };

    private static ScriptArray ToArray(TemplateContext context, System.Text.Json.JsonElement json)
    {
        var array = new ScriptArray(json.GetArrayLength());
        foreach (var item in json.EnumerateArray())
        {
            context.ChargeLoopIterations();
            array.Add(ScriptValue.Normalize(item));
        }

        return array;
    }

    /// <summary>
    /// Refuses an array operation whose result would hold more than <see cref="TemplateLimits.MaxRangeLength"/> items — the
    /// same bound as a range — before it allocates (<c>[1,2] * 4611686018427387904</c>, <c>a = a + a</c> thirty times).
    /// </summary>
    internal static void CheckArraySize(TemplateContext context, long size)
    {
        if (size > context.Limits.MaxRangeLength)
        {
            throw new TemplateLimitExceededException(
                nameof(TemplateLimits.MaxRangeLength),
                context.Limits.MaxRangeLength,
                $"The array operation would build {(size == long.MaxValue ? "too many" : size.ToString(System.Globalization.CultureInfo.InvariantCulture))} items; an array built by an operator is limited to {context.Limits.MaxRangeLength} items (TemplateLimits.MaxRangeLength).",
                context.CurrentSpan,
                context.SourceName);
        }
    }

    public static object? Subtract(TemplateContext context, object? left, object? right) => Arithmetic(context, '-', left, right);

    public static object? Multiply(TemplateContext context, object? left, object? right)
    {
        // `'3' * 'ab'` repeats the right text as many times as the left text reads as an integer, as in Scriban.
        if (left is string countText && right is string && int.TryParse(countText, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var parsed))
        {
            left = Boxes.Int32(parsed);
        }

        if (left is string || right is string)
        {
            var text = left as string ?? right as string;
            var other = left is string ? right : left;
            if (other is null)
            {
                // `'ab' * nil` is empty, as in Scriban.
                return string.Empty;
            }

            if (other is bool flag)
            {
                // `'ab' * true` is `ab`: a boolean counts as 1 or 0, as in Scriban.
                other = Boxes.Int32(flag ? 1 : 0);
            }

            // A fractional count is rounded half to even (`'ab' * 2.5` is `abab`, `* 2.6` three times), as in Scriban.
            if (TryFractionalCount(other, out var rounded))
            {
                other = rounded;
            }

            if (other is string || KindOf(other) is NumberKind.None or NumberKind.Double or NumberKind.Decimal || !ScriptValue.TryToInt64(other, out var count))
            {
                throw context.Error("Expecting an integer. The operator `*` is not supported for the expression. Only working on string x int or int x string");
            }

            if (count <= 0 || text!.Length == 0)
            {
                return string.Empty;
            }

            // Overflow-safe: the size is checked before anything is allocated (`'AB' * 4611686018527387904` must not wrap).
            context.CheckStringLength(count > context.Limits.MaxStringLength / text.Length ? long.MaxValue : count * text.Length);
            return new System.Text.StringBuilder(text.Length * (int)count).Insert(0, text, (int)count).ToString();
        }

        // An array times a count, either way round (`2 * [1, 2]`, `[1] * true`, `2.5 * [1]` repeats twice), as in Scriban.
        var arrayFirst = IsArray(left);
        if (arrayFirst || IsArray(right))
        {
            var count = arrayFirst ? right : left;
            count = count switch
            {
                bool b => Boxes.Int32(b ? 1 : 0),
                _ when TryFractionalCount(count, out var rounded) => rounded,
                _ => count,
            };
            if (KindOf(count) is NumberKind.Int or NumberKind.Long)
            {
                var items = arrayFirst ? left : right;
                left = items as ScriptArray ?? ToArray(context, (System.Text.Json.JsonElement)items!);
                right = count;
            }
        }

        if (left is ScriptArray array && KindOf(right) is NumberKind.Int or NumberKind.Long)
        {
            var times = AsLong(right!);
            if (times < 0)
            {
                throw NegativeCount(context, '*', times);
            }

            if (times == 0 || array.Count == 0)
            {
                return new ScriptArray();
            }

            // Overflow-safe size, charged (and checked against MaxRangeLength) before anything is allocated.
            var size = times > int.MaxValue / array.Count ? long.MaxValue : times * array.Count;
            CheckArraySize(context, size);
            context.ChargeLoopIterations(size);
            var result = new ScriptArray((int)size);
            for (var i = 0; i < times; i++)
            {
                result.AddRange(array);
            }

            return result;
        }

        return Arithmetic(context, '*', left, right);
    }

    public static object? Binary(TemplateContext context, char op, object? left, object? right) => op switch
    {
        '+' => Add(context, left, right),
        '*' => Multiply(context, left, right),
        _ => Arithmetic(context, op, left, right),
    };

    /// <summary>Arithmetic on numbers. <paramref name="op"/> is one of <c>+ - * / % f</c> (<c>f</c> = <c>//</c>) and <c>^</c> (power).</summary>
    public static object? Arithmetic(TemplateContext context, char op, object? left, object? right)
    {
        if (left is string || right is string)
        {
            throw context.Error($"Operator `{OperatorText(op)}` is not supported on string objects");
        }

        if (left is null || right is null)
        {
            return null;
        }

        // An array divided by a count keeps its first count-th part (`/`, `//`); `%` keeps every count-th item, as in Scriban.
        // A boolean counts as 1 or 0, a fraction is rounded half to even.
        if (op is '/' or 'f' or '%' && IsArray(left))
        {
            var count = right switch
            {
                bool b => Boxes.Int32(b ? 1 : 0),
                _ when TryFractionalCount(right, out var rounded) => rounded,
                _ => right,
            };
            if (KindOf(count) is NumberKind.Int or NumberKind.Long)
            {
                var n = AsLong(count!);
                if (n < 0)
                {
                    throw NegativeCount(context, op, n);
                }

                if (n == 0)
                {
                    throw context.Error("Division by zero.");
                }

                return ArrayDivide(left as ScriptArray ?? ToArray(context, (System.Text.Json.JsonElement)left!), n, op);
            }
        }

        // As Scriban (also through math.plus and the like): true/false count as 1/0 beside a number.
        if (left is bool lb && KindOf(right) != NumberKind.None)
        {
            left = Boxes.Int32(lb ? 1 : 0);
        }
        else if (right is bool rb && KindOf(left) != NumberKind.None)
        {
            right = Boxes.Int32(rb ? 1 : 0);
        }

        var lk = KindOf(left);
        var rk = KindOf(right);
        if (lk == NumberKind.None || rk == NumberKind.None)
        {
            if (Builtins.DateArithmetic.TryApply(context, op, left, right, out var dateResult))
            {
                return dateResult;
            }

            throw context.Error($"Operator `{OperatorText(op)}` is not supported between `{ScriptValue.TypeName(left)}` and `{ScriptValue.TypeName(right)}`.");
        }

        var kind = (NumberKind)Math.Max((int)lk, (int)rk);
        if (kind == NumberKind.Decimal && (lk == NumberKind.Double || rk == NumberKind.Double))
        {
            kind = NumberKind.Double;
        }

        switch (kind)
        {
            case NumberKind.Int:
            case NumberKind.Long:
            {
                var a = AsLong(left);
                var b = AsLong(right);
                switch (op)
                {
                    case '+':
                        return long.MaxValue - Math.Max(b, 0) >= a && long.MinValue - Math.Min(b, 0) <= a ? Narrow(a + b) : Narrow((BigInteger)a + b);
                    case '-':
                        return Narrow((BigInteger)a - b);
                    case '*':
                        return Narrow((BigInteger)a * b);
                    case '/':
                        // As Scriban: `/` divides as doubles (3 / 0 is Infinity, 0 / 0 NaN), whole quotients stay integers.
                        // 0 divided by a negative number is -0, as a double (Scriban prints `-0`).
                        return b != 0 && a % b == 0 && !(a == long.MinValue && b == -1) && !(a == 0 && b < 0) ? Narrow(a / b) : (double)a / b;
                    case 'f':
                        if (b == 0)
                        {
                            throw context.Error("Division by zero.");
                        }

                        // Integer division truncates toward zero (-3 // 7 is 0), as Scriban's.
                        return a == long.MinValue && b == -1 ? Narrow(-(BigInteger)a) : Narrow(a / b);
                    case '%':
                        if (b == 0)
                        {
                            throw context.Error("Division by zero.");
                        }

                        return Narrow(a % b);
                    case '^':
                        return Math.Pow(a, b) is var p && p == Math.Floor(p) && Math.Abs(p) < 9e15 ? Narrow((long)p) : p;
                }

                break;
            }

            case NumberKind.Big:
            {
                var a = AsBig(left);
                var b = AsBig(right);
                CheckBigResult(context, op, a, b);
                switch (op)
                {
                    case '+': return Narrow(a + b);
                    case '-': return Narrow(a - b);
                    case '*': return Narrow(a * b);
                    case '/' when b.IsZero: return (double)a / 0.0;
                    case 'f' or '%' when b.IsZero: throw context.Error("Division by zero.");
                    case '/': return BigInteger.Remainder(a, b).IsZero ? Narrow(a / b) : (double)a / (double)b;
                    case 'f': return Narrow(BigInteger.Divide(a, b));
                    case '%': return Narrow(BigInteger.Remainder(a, b));
                    case '^': return Math.Pow((double)a, (double)b);
                }

                break;
            }

            case NumberKind.Decimal:
            {
                var a = AsDecimal(left);
                var b = AsDecimal(right);
                try
                {
                    switch (op)
                    {
                        case '+': return a + b;
                        case '-': return a - b;
                        case '*': return a * b;
                        case '/' when b == 0: return (double)a / 0.0;
                        case 'f' or '%' when b == 0: throw context.Error("Division by zero.");
                        case '/': return a / b;
                        case 'f': return FloorDivide((double)a, (double)b);
                        case '%': return a % b;
                        case '^': return Math.Pow((double)a, (double)b);
                    }
                }
                catch (OverflowException)
                {
                    return Arithmetic(context, op, (double)a, (double)b);
                }

                break;
            }

            case NumberKind.Double:
            {
                var a = AsDouble(left);
                var b = AsDouble(right);
                switch (op)
                {
                    case '+': return a + b;
                    case '-': return a - b;
                    case '*': return a * b;
                    case '/': return a / b;
                    case 'f': return FloorDivide(a, b);
                    case '%': return a % b;
                    case '^': return Math.Pow(a, b);
                }

                break;
            }
        }

        throw context.Error($"Operator `{OperatorText(op)}` is not supported.");
    }

    /// <summary>
    /// <c>//</c> with a fractional operand, as Scriban computes it: the quotient rounded to the nearest integer, halves to
    /// even (7 // 2.0 is 4, -7.5 // 2 is -4); dividing by zero gives infinity or NaN, as <c>/</c> does.
    /// </summary>
    private static object FloorDivide(double a, double b)
    {
        var q = Math.Round(a / b, MidpointRounding.ToEven);
        return double.IsFinite(q) && Math.Abs(q) < 9e18 && !(q == 0 && double.IsNegative(q)) ? Narrow((long)q) : q;
    }

    /// <summary>The most bits an integer may have: 1,000 decimal digits, as for number literals (<see cref="Syntax.Lexer.MaxNumberLiteralDigits"/>).</summary>
    private const long MaxIntegerBits = 3322;

    /// <summary>
    /// Refuses, before computing it, an integer result of more than 1,000 digits: repeated squaring would otherwise grow
    /// numbers that take seconds to multiply and print.
    /// </summary>
    private static void CheckBigResult(TemplateContext context, char op, BigInteger a, BigInteger b)
    {
        var bits = op switch
        {
            '*' => a.GetBitLength() + b.GetBitLength(),
            '+' or '-' => Math.Max(a.GetBitLength(), b.GetBitLength()) + 1,
            _ => 0,
        };
        if (bits > MaxIntegerBits)
        {
            throw context.Error($"The result of `{OperatorText(op)}` would be an integer of more than {Syntax.Lexer.MaxNumberLiteralDigits} digits; integers are limited to {Syntax.Lexer.MaxNumberLiteralDigits} digits. Use a double (e.g. `1.0 * x`) for very large magnitudes.");
        }

        context.ChargeWork(1 + (bits >> 6));
    }

    /// <summary>A fractional count (<c>2.5</c>, <c>2.6</c>) rounded half to even, as Scriban converts a count; false for anything else.</summary>
    private static bool TryFractionalCount(object? value, out object? count)
    {
        if (value is double or float or decimal && ScriptValue.TryToDouble(value, out var d) && double.IsFinite(d) && Math.Abs(d) < 9e18)
        {
            count = (long)Math.Round(d, MidpointRounding.ToEven);
            return true;
        }

        count = null;
        return false;
    }

    private static TemplateRuntimeException NegativeCount(TemplateContext context, char op, long count) =>
        context.Error($"Operator `{OperatorText(op)}` between an array and a count needs a count of 0 or more, not {count}.");

    private static ScriptArray ArrayDivide(ScriptArray array, long n, char op)
    {
        var result = new ScriptArray();
        if (op is '/' or 'f')
        {
            var take = array.Count / n;
            for (var i = 0; i < take; i++)
            {
                result.Add(array[i]);
            }
        }
        else
        {
            for (var i = 0; i < array.Count; i += (int)n)
            {
                result.Add(array[i]);
            }
        }

        return result;
    }

    private static string OperatorText(char op) => op switch
    {
        'f' => "//",
        '.' => "..",
        _ => op.ToString(),
    };

    public static object? Negate(TemplateContext context, object? value) => value switch
    {
        null => throw context.Error("Unary `-` is not supported on `null` (as in Scriban): give the value a default first, e.g. `-(x ?? 0)`."),
        int i => i == int.MinValue ? -(long)i : (object)(-i),
        long l => Narrow(-(BigInteger)l),
        double d => -d,
        float f => -f,
        decimal m => -m,
        BigInteger b => Narrow(-b),
        _ => throw context.Error($"Unary `-` is not supported on `{ScriptValue.TypeName(value)}`."),
    };

    public static new bool Equals(object? left, object? right)
    {
        var visited = 0L;
        return Equals(left, right, 0, null, ref visited);
    }

    /// <summary>
    /// Equality as the template's <c>==</c> sees it, charging the render's work budget for long strings and for the items
    /// of arrays compared item by item (arrays that contain each other cannot make it run for long).
    /// </summary>
    public static bool Equals(TemplateContext context, object? left, object? right)
    {
        var visited = 0L;
        return Equals(left, right, 0, context, ref visited);
    }

    /// <summary>Without a render to charge, a comparison gives up (not equal) after this many array items.</summary>
    private const long MaxVisitedWithoutContext = 1_000_000;

    private const int MaxCompareDepth = 64;

    private static bool Equals(object? left, object? right, int depth, TemplateContext? context, ref long visited)
    {
        left = ScriptValue.Normalize(left);
        right = ScriptValue.Normalize(right);
        if (left is null || right is null)
        {
            return left is null && right is null;
        }

        if (ReferenceEquals(left, right))
        {
            return true;
        }

        var lk = KindOf(left);
        var rk = KindOf(right);
        if (lk != NumberKind.None && rk != NumberKind.None)
        {
            return CompareNumbers(left, lk, right, rk) == 0;
        }

        if (left is string ls && right is string rs)
        {
            if (context is not null && ls.Length > 64 && ls.Length == rs.Length)
            {
                context.ChargeCharacters(ls.Length);
            }

            return string.Equals(ls, rs, StringComparison.Ordinal);
        }

        if (left is bool lb && right is bool rb)
        {
            return lb == rb;
        }

        if (left is ScriptArray la && right is ScriptArray ra)
        {
            if (la.Count != ra.Count)
            {
                return false;
            }

            if (depth >= MaxCompareDepth)
            {
                // Arrays nested this deep (or containing each other) are not compared further.
                return false;
            }

            visited += la.Count;
            if (context is not null)
            {
                context.ChargeWork(la.Count);
            }
            else if (visited > MaxVisitedWithoutContext)
            {
                return false;
            }

            for (var i = 0; i < la.Count; i++)
            {
                if (!Equals(la[i], ra[i], depth + 1, context, ref visited))
                {
                    return false;
                }
            }

            return true;
        }

        return left.Equals(right);
    }

    private static int CompareNumbers(object left, NumberKind lk, object right, NumberKind rk)
    {
        var kind = (NumberKind)Math.Max((int)lk, (int)rk);
        return kind switch
        {
            NumberKind.Int or NumberKind.Long => AsLong(left).CompareTo(AsLong(right)),
            NumberKind.Big => AsBig(left).CompareTo(AsBig(right)),
            NumberKind.Decimal when lk != NumberKind.Double && rk != NumberKind.Double => AsDecimal(left).CompareTo(AsDecimal(right)),
            _ => AsDouble(left).CompareTo(AsDouble(right)),
        };
    }

    /// <summary>Orders two values (numbers, strings, dates, booleans); null sorts first. Used by sorting builtins.</summary>
    public static int Compare(TemplateContext context, object? left, object? right)
    {
        left = ScriptValue.Normalize(left);
        right = ScriptValue.Normalize(right);
        if (left is null || right is null)
        {
            return left is null ? (right is null ? 0 : -1) : 1;
        }

        var lk = KindOf(left);
        var rk = KindOf(right);
        if (lk != NumberKind.None && rk != NumberKind.None)
        {
            return CompareNumbers(left, lk, right, rk);
        }

        if (left is string ls && right is string rs)
        {
            return string.CompareOrdinal(ls, rs);
        }

        if (left is bool lb && right is bool rb)
        {
            return lb.CompareTo(rb);
        }

        if (left is IComparable comparable && left.GetType() == right.GetType())
        {
            return comparable.CompareTo(right);
        }

        return string.CompareOrdinal(context.ToText(left), context.ToText(right));
    }

    /// <summary>Evaluates <c>&lt; &lt;= &gt; &gt;=</c>; <paramref name="op"/> is one of <c>&lt; l &gt; g</c> (l = &lt;=, g = &gt;=).</summary>
    public static bool Relational(TemplateContext context, char op, object? left, object? right) => Relational(context, op, left, right, 0);

    private static bool Relational(TemplateContext context, char op, object? left, object? right, int depth)
    {
        left = ScriptValue.Normalize(left);
        right = ScriptValue.Normalize(right);
        if (left is null || right is null)
        {
            return false;
        }

        if (left is ScriptArray la && right is ScriptArray ra)
        {
            if (la.Count != ra.Count || la.Count == 0)
            {
                return Test(op, la.Count.CompareTo(ra.Count));
            }

            if (depth >= MaxCompareDepth)
            {
                throw context.Error($"Cannot compare arrays nested more than {MaxCompareDepth} levels deep.");
            }

            for (var i = 0; i < la.Count; i++)
            {
                if (!Relational(context, op, la[i], ra[i], depth + 1))
                {
                    return false;
                }
            }

            return true;
        }

        var lk = KindOf(left);
        var rk = KindOf(right);
        int c;
        if (lk != NumberKind.None && rk != NumberKind.None)
        {
            c = CompareNumbers(left, lk, right, rk);
        }
        else if (left is string ls && right is string rs)
        {
            c = string.CompareOrdinal(ls, rs);
        }
        else if (left is IComparable comparable && left.GetType() == right.GetType())
        {
            c = comparable.CompareTo(right);
        }
        else
        {
            throw context.Error($"Cannot compare `{ScriptValue.TypeName(left)}` with `{ScriptValue.TypeName(right)}`.");
        }

        return Test(op, c);
    }

    private static bool Test(char op, int c) => op switch
    {
        '<' => c < 0,
        'l' => c <= 0,
        '>' => c > 0,
        _ => c >= 0,
    };
}
