using Personalize.Templates.Runtime;

namespace Personalize.Templates.Syntax;

internal sealed class BinaryExpression : ScriptExpression
{
    internal override IEnumerable<ScriptNode?> Children => [Left, Right];

    public BinaryExpression(BinaryOperator op, ScriptExpression left, ScriptExpression right, SourceSpan operatorSpan)
    {
        Operator = op;
        Left = left;
        Right = right;
        OperatorSpan = operatorSpan;
    }

    public BinaryOperator Operator { get; }

    public ScriptExpression Left { get; }

    public ScriptExpression Right { get; }

    public SourceSpan OperatorSpan { get; }

    public override object? Evaluate(TemplateContext context)
    {
        switch (Operator)
        {
            case BinaryOperator.And:
                return Boxes.Bool(ScriptValue.IsTruthy(Left.Evaluate(context)) && ScriptValue.IsTruthy(Right.Evaluate(context)));
            case BinaryOperator.Or:
                return Boxes.Bool(ScriptValue.IsTruthy(Left.Evaluate(context)) || ScriptValue.IsTruthy(Right.Evaluate(context)));
            case BinaryOperator.Coalesce:
                return Guarded(context, Left) ?? Right.Evaluate(context);
            case BinaryOperator.NotCoalesce:
                return Guarded(context, Left) is null ? null : Right.Evaluate(context);
        }

        var left = CallIfFunction(context, Left.Evaluate(context));
        var right = CallIfFunction(context, Right.Evaluate(context));
        context.CurrentSpan = Operator == BinaryOperator.Multiply ? Span : OperatorSpan;
        return Apply(context, left, right);
    }

    /// <summary>Evaluates the left side of <c>??</c>/<c>?!</c>: in strict mode a missing value there is the point of the operator, not an error.</summary>
    internal static object? Guarded(TemplateContext context, ScriptExpression expression)
    {
        context.StrictGuard++;
        try
        {
            return expression.Evaluate(context);
        }
        finally
        {
            context.StrictGuard--;
        }
    }

    private object? Apply(TemplateContext context, object? left, object? right)
    {
        if (Operator is >= BinaryOperator.Less and <= BinaryOperator.GreaterEqual && ((left is null && right is string) || (left is string && right is null)))
        {
            // As Scriban's ordinal text order: nil sorts before any text, the empty text included (`nil < ''`, not `nil >= ''`).
            var order = left is null ? -1 : 1;
            return Boxes.Bool(Operator switch
            {
                BinaryOperator.Less => order < 0,
                BinaryOperator.LessEqual => order <= 0,
                BinaryOperator.Greater => order > 0,
                _ => order >= 0,
            });
        }

        if (Operator is >= BinaryOperator.Add and <= BinaryOperator.Power or >= BinaryOperator.Equal and <= BinaryOperator.GreaterEqual)
        {
            Coerce(context, Operator, ref left, ref right);
        }

        switch (Operator)
        {
            case BinaryOperator.Add:
                return ScriptOperators.Add(context, left, right);
            case BinaryOperator.Subtract:
                return ScriptOperators.Arithmetic(context, '-', left, right);
            case BinaryOperator.Multiply:
                return ScriptOperators.Multiply(context, left, right);
            case BinaryOperator.Divide:
                return ScriptOperators.Arithmetic(context, '/', left, right);
            case BinaryOperator.DivideRound:
                return ScriptOperators.Arithmetic(context, 'f', left, right);
            case BinaryOperator.Modulus:
                return ScriptOperators.Arithmetic(context, '%', left, right);
            case BinaryOperator.Power:
                return ScriptOperators.Arithmetic(context, '^', left, right);
            case BinaryOperator.Equal:
                return Boxes.Bool(AreEqual(context, left, right));
            case BinaryOperator.NotEqual:
                if (left is ScriptArray la && right is ScriptArray ra && la.Count == ra.Count && la.Count > 0)
                {
                    // Scriban compares same-sized arrays item by item for every operator: `!=` holds when all items differ.
                    for (var i = 0; i < la.Count; i++)
                    {
                        if (ScriptOperators.Equals(context, la[i], ra[i]))
                        {
                            return Boxes.False;
                        }
                    }

                    return Boxes.True;
                }

                return Boxes.Bool(!AreEqual(context, left, right));
            case BinaryOperator.Less:
                return Boxes.Bool(ScriptOperators.Relational(context, '<', left, right));
            case BinaryOperator.LessEqual:
                return Boxes.Bool(ScriptOperators.Relational(context, 'l', left, right));
            case BinaryOperator.Greater:
                return Boxes.Bool(ScriptOperators.Relational(context, '>', left, right));
            case BinaryOperator.GreaterEqual:
                return Boxes.Bool(ScriptOperators.Relational(context, 'g', left, right));
            case BinaryOperator.RangeInclusive:
            case BinaryOperator.RangeExclusive:
                return Range(context, left, right);
            case BinaryOperator.ShiftLeft:
                if (left is ScriptArray target)
                {
                    target.Add(right);
                    return target;
                }

                return ScriptValue.TryToInt64(left, out var l) && ScriptValue.TryToInt64(right, out var r) && left is not null ? ScriptOperators.Narrow(l << (int)r) : throw context.Error(OperatorSpan, "Operator `<<` needs an array on the left (to append) or two integers.");
            case BinaryOperator.ShiftRight:
                if (right is ScriptArray destination)
                {
                    destination.Insert(0, left);
                    return destination;
                }

                return ScriptValue.TryToInt64(left, out var l2) && ScriptValue.TryToInt64(right, out var r2) && left is not null ? ScriptOperators.Narrow(l2 >> (int)r2) : throw context.Error(OperatorSpan, "Operator `>>` needs an array on the right (to prepend) or two integers.");
            case BinaryOperator.BinaryOr:
            case BinaryOperator.BinaryAnd:
                return SetOperation(context, left, right);
        }

        throw context.Error(OperatorSpan, $"Operator {Operator} is not supported.");
    }

    /// <summary>
    /// Scriban's mixed operands: <c>true</c>/<c>false</c> count as 1/0 beside a number (<c>true + 1</c> is 2, <c>true == 1</c>);
    /// a comparison with text compares text (<c>5 == '5'</c>, <c>2.5 &gt;= '10'</c> as text; nil sorts before any text, see
    /// <see cref="Apply"/>).
    /// </summary>
    private void Coerce(TemplateContext context, BinaryOperator op, ref object? left, ref object? right)
    {
        if (op is >= BinaryOperator.Equal and <= BinaryOperator.GreaterEqual)
        {
            CheckArrayBesideScalar(context, OperatorSpan, OperatorText(op), left, right);

            if (op > BinaryOperator.NotEqual && left is bool && right is bool)
            {
                throw context.Error(OperatorSpan, $"The operator `{OperatorText(op)}` is not valid for bool<->bool.");
            }
        }


        if (op is BinaryOperator.Equal or BinaryOperator.NotEqual && IsObjectBesideBool(left, right))
        {
            // As Scriban: an object beside a boolean compares as a condition would read it (`user == true` when user is set).
            left = left is bool ? left : Boxes.Bool(true);
            right = right is bool ? right : Boxes.Bool(true);
            return;
        }

        if (left is bool lb && IsNumber(right))
        {
            left = lb ? Boxes.Int32(1) : Boxes.Int32(0);
        }
        else if (right is bool rb && IsNumber(left))
        {
            right = rb ? Boxes.Int32(1) : Boxes.Int32(0);
        }
        else if (op is >= BinaryOperator.Equal and <= BinaryOperator.GreaterEqual && (left is string) != (right is string))
        {
            var relational = op is not (BinaryOperator.Equal or BinaryOperator.NotEqual);
            if (left is string && (right is bool || IsNumber(right) || (relational && right is not string)))
            {
                right = right is null ? string.Empty : context.ToText(right);
            }
            else if (right is string && (left is bool || IsNumber(left) || (relational && left is not string)))
            {
                left = left is null ? string.Empty : context.ToText(left);
            }
        }
    }

    /// <summary>
    /// Scriban compares an array only with an array (or text, nil): an array beside a number or boolean, on either side, is an error
    /// (<c>[] != 4</c>, <c>1 == [1]</c>, and a <c>case</c>/<c>when</c> that compares them).
    /// </summary>
    internal static void CheckArrayBesideScalar(TemplateContext context, SourceSpan span, string op, object? left, object? right)
    {
        if (right is ScriptArray && (left is bool || IsNumber(left)))
        {
            throw context.Error(span, $"The operator `{op}` is not supported between {ScriptValue.TypeName(left)} and array. Expecting an array for the left argument.");
        }

        if (left is ScriptArray && (right is bool || IsNumber(right)))
        {
            throw context.Error(span, $"The operator `{op}` is not supported between array and {ScriptValue.TypeName(right)}. Expecting an array for the right argument.");
        }
    }

    /// <summary>Whether one side is a boolean and the other an object (not nil, text, a number or an array).</summary>
    internal static bool IsObjectBesideBool(object? left, object? right) =>
        (left is bool && IsObject(right)) || (right is bool && IsObject(left));

    private static bool IsObject(object? value) => Builtins.ObjectFunctions.Typeof(value) == "object";

    private static string OperatorText(BinaryOperator op) => op switch
    {
        BinaryOperator.Equal => "==",
        BinaryOperator.NotEqual => "!=",
        BinaryOperator.Less => "<",
        BinaryOperator.LessEqual => "<=",
        BinaryOperator.Greater => ">",
        _ => ">=",
    };

    private static bool IsNumber(object? value) => value is int or long or double or decimal or float or System.Numerics.BigInteger or uint or ulong or short or ushort or byte or sbyte;

    private static object? CallIfFunction(TemplateContext context, object? value)
    {
        if (ScriptValue.AsFunction(value) is not { } function)
        {
            return value;
        }

        var args = context.RentArguments();
        try
        {
            args.Span = context.CurrentSpan;
            context.PendingWrapBody = null;
            return context.Invoke(function, args);
        }
        finally
        {
            context.ReturnArguments(args);
        }
    }

    private static bool AreEqual(TemplateContext context, object? left, object? right)
    {
        if (left is EmptyValue)
        {
            return ScriptValue.IsEmpty(right) || right is EmptyValue;
        }

        if (right is EmptyValue)
        {
            return ScriptValue.IsEmpty(left);
        }

        return ScriptOperators.Equals(context, left, right);
    }

    private object? Range(TemplateContext context, object? left, object? right)
    {
        if (left is string || right is string)
        {
            throw context.Error(OperatorSpan, "Operator `..` is not supported on string objects");
        }

        if (!ScriptValue.TryToInt64(left, out var from) || !ScriptValue.TryToInt64(right, out var to) || left is null || right is null)
        {
            throw context.Error(OperatorSpan, $"A range needs two integers, not `{ScriptValue.TypeName(left)}` and `{ScriptValue.TypeName(right)}`.");
        }

        var exclusive = Operator == BinaryOperator.RangeExclusive;
        var step = to >= from ? 1 : -1;
        var count = Math.Abs(to - from) + (exclusive ? 0 : 1);
        if (count > context.Limits.MaxRangeLength)
        {
            throw new TemplateLimitExceededException(
                nameof(TemplateLimits.MaxRangeLength),
                context.Limits.MaxRangeLength,
                $"Range expression exceeds the limit of {context.Limits.MaxRangeLength} items (TemplateLimits.MaxRangeLength): {from}..{to} has {count}.",
                OperatorSpan,
                context.SourceName);
        }

        // Four units per item: each is a boxed number in a new array (a large range lands on the large object heap).
        context.ChargeWork(count * 4);
        var result = new ScriptArray((int)count) { IsRange = true };
        var value = from;
        for (var i = 0; i < count; i++, value += step)
        {
            result.Add(ScriptOperators.Narrow(value));
        }

        return result;
    }

    private object? SetOperation(TemplateContext context, object? left, object? right)
    {
        if (left is not ScriptArray la || right is not ScriptArray ra)
        {
            if (ScriptValue.TryToInt64(left, out var l) && ScriptValue.TryToInt64(right, out var r) && left is not null && right is not null)
            {
                return ScriptOperators.Narrow(Operator == BinaryOperator.BinaryOr ? l | r : l & r);
            }

            throw context.Error(OperatorSpan, "Operators `|` and `&` need two arrays or two integers.");
        }

        var result = new ScriptArray();
        if (Operator == BinaryOperator.BinaryOr)
        {
            foreach (var item in la)
            {
                AddUnique(result, item);
            }

            foreach (var item in ra)
            {
                AddUnique(result, item);
            }
        }
        else
        {
            foreach (var item in la)
            {
                if (ContainsValue(ra, item))
                {
                    AddUnique(result, item);
                }
            }
        }

        return result;
    }

    private static void AddUnique(ScriptArray array, object? item)
    {
        if (!ContainsValue(array, item))
        {
            array.Add(item);
        }
    }

    private static bool ContainsValue(ScriptArray array, object? item)
    {
        foreach (var existing in array)
        {
            if (ScriptOperators.Equals(existing, item))
            {
                return true;
            }
        }

        return false;
    }
}
