using System.Runtime.CompilerServices;
using Personalize.Templates.Runtime;
using Personalize.Templates.Syntax;
using Kind = Personalize.Templates.ExpressionValue.ValueKind;

namespace Personalize.Templates.Compilation;

/// <summary>
/// Compiles an expression to a tree of typed closures over a model type: literals, <c>root.member</c> reads bound once
/// by an <see cref="ExpressionBinder{TModel}"/>, <c>!</c>, <c>&amp;&amp;</c>, <c>||</c>, <c>??</c>, parentheses and
/// the comparisons <c>== != &lt; &lt;= &gt; &gt;=</c>. Each closure handles the cases whose result it can give exactly
/// as the interpreter does (numbers, strings, booleans, null, and a boolean beside a number as 1/0) and answers
/// <see cref="ExpressionValue.Bail"/> for any other (a decimal, an array, a date, text beside another kind — compared
/// as text —, a comparison the interpreter reports as an error, a missing member in strict mode); the caller then evaluates the whole expression with the interpreter, so results and errors are the
/// interpreter's in every case. Any other syntax (arithmetic, calls, pipes, ranges, nested members) is not compiled.
/// </summary>
internal static class ExpressionCompiler
{
    /// <summary>Longest string compared without the interpreter (longer equal-length strings charge the work budget).</summary>
    private const int MaxInlineStringLength = 64;

    public static Func<TModel, ExpressionValue>? Compile<TModel>(ScriptExpression expression, ExpressionBinder<TModel> binder, bool strict, out string? reason)
    {
        var compiler = new Compiler<TModel>(binder, strict);
        var node = compiler.Node(expression);
        reason = node is null ? compiler.Reason : null;
        return node is null ? null : node.Eval;
    }

    /// <summary><see cref="Truthy"/> as 0 (false), 1 (true) or 2 (ask the interpreter), a boolean — what comparisons
    /// and <c>!</c> give — without a call.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int TruthState(in ExpressionValue value, bool strict)
        => value.Kind == Kind.Bool ? (int)value.Integer : Truthy(value, strict) is { } b ? (b ? 1 : 0) : 2;

    /// <summary>The truth value of a compiled result (Scriban truthiness), or null to ask the interpreter.</summary>
    public static bool? Truthy(ExpressionValue value, bool strict) => value.Kind switch
    {
        Kind.Bail => null,
        Kind.Missing => strict ? null : false,
        Kind.Null => false,
        Kind.Bool => value.Boolean,
        Kind.Object => ScriptValue.IsTruthy(value.Object),
        _ => true,
    };

    private abstract class Node<TModel>
    {
        public abstract ExpressionValue Eval(TModel model);
    }

    private sealed class Compiler<TModel>(ExpressionBinder<TModel> binder, bool strict)
    {
        public string? Reason { get; private set; }

        public Node<TModel>? Node(ScriptExpression expression)
        {
            switch (expression)
            {
                case LiteralExpression literal:
                    var value = ExpressionValue.FromObject(literal.Value);
                    return value.Kind == Kind.Bail ? Refuse("a literal that is a function") : new Constant<TModel>(value);
                case ParenthesizedExpression parenthesized:
                    return Node(parenthesized.Inner);
                case MemberExpression { Target: GlobalVariable root } member:
                    if (Builtins.BuiltinObjects.Root.ContainsKey(root.Name))
                    {
                        return Refuse($"`{member.Describe()}` reads a builtin");
                    }

                    return binder.Bind(root.Name, member.Name) is { } reader
                        ? new Read<TModel>(reader, strict)
                        : Refuse($"`{member.Describe()}` is not bound to the model type");
                case UnaryExpression { Operator: UnaryOperator.Not } not:
                    return Node(not.Operand) is { } operand ? new Not<TModel>(operand, strict) : null;
                case BinaryExpression binary:
                    return Binary(binary);
                default:
                    return Refuse($"`{expression.Describe()}` ({expression.GetType().Name.Replace("Expression", string.Empty, StringComparison.Ordinal)}) is interpreted");
            }
        }

        private Node<TModel>? Binary(BinaryExpression binary)
        {
            char op;
            switch (binary.Operator)
            {
                case BinaryOperator.And:
                case BinaryOperator.Or:
                case BinaryOperator.Coalesce:
                case BinaryOperator.Equal:
                case BinaryOperator.NotEqual:
                    op = '\0';
                    break;
                case BinaryOperator.Less:
                    op = '<';
                    break;
                case BinaryOperator.LessEqual:
                    op = 'l';
                    break;
                case BinaryOperator.Greater:
                    op = '>';
                    break;
                case BinaryOperator.GreaterEqual:
                    op = 'g';
                    break;
                default:
                    return Refuse($"operator {binary.Operator} is interpreted");
            }

            if (Node(binary.Left) is not { } left || Node(binary.Right) is not { } right)
            {
                return null;
            }

            return binary.Operator switch
            {
                BinaryOperator.And => new And<TModel>(left, right, strict),
                BinaryOperator.Or => new Or<TModel>(left, right, strict),
                BinaryOperator.Coalesce => new Coalesce<TModel>(left, right),
                BinaryOperator.Equal or BinaryOperator.NotEqual when right is Constant<TModel> constant && left is Read<TModel> read
                    => new ReadEqualsConstant<TModel>(read.Reader, constant.Value, binary.Operator == BinaryOperator.NotEqual, strict),
                BinaryOperator.Equal or BinaryOperator.NotEqual when right is Constant<TModel> constant
                    => new EqualsConstant<TModel>(left, constant.Value, binary.Operator == BinaryOperator.NotEqual, strict),
                BinaryOperator.Equal or BinaryOperator.NotEqual => new Equal<TModel>(left, right, binary.Operator == BinaryOperator.NotEqual, strict),
                _ when right is Constant<TModel> constant && left is Read<TModel> read => new ReadCompareConstant<TModel>(read.Reader, constant.Value, op, strict),
                _ when right is Constant<TModel> constant => new CompareConstant<TModel>(left, constant.Value, op, strict),
                _ => new Compare<TModel>(left, right, op, strict),
            };
        }

        private Node<TModel>? Refuse(string reason)
        {
            Reason ??= reason;
            return null;
        }
    }

    /// <summary>A missing member reads as null, or (strict mode) asks the interpreter, which reports it.</summary>
    private static ExpressionValue Resolve(ExpressionValue value, bool strict)
        => value.Kind != Kind.Missing ? value : strict ? ExpressionValue.Bail : ExpressionValue.Null;

    private static bool IsNumber(Kind kind) => kind is Kind.Int or Kind.Long or Kind.Double;

    /// <summary><c>==</c> as <c>ScriptOperators.Equals</c> gives it, or null to ask the interpreter.</summary>
    private static bool? AreEqual(ExpressionValue left, ExpressionValue right)
    {
        var lk = left.Kind;
        var rk = right.Kind;
        if (lk == Kind.Bail || rk == Kind.Bail || lk == Kind.Object || rk == Kind.Object)
        {
            return null;
        }

        if (lk == Kind.Null || rk == Kind.Null)
        {
            return lk == rk;
        }

        if (IsNumber(lk) && IsNumber(rk))
        {
            return CompareNumbers(left, right) == 0;
        }

        if (lk == Kind.String && rk == Kind.String)
        {
            var ls = left.String;
            var rs = right.String;
            return ls.Length > MaxInlineStringLength && ls.Length == rs.Length ? null : string.Equals(ls, rs, StringComparison.Ordinal);
        }

        if (lk == Kind.JsonString && rk == Kind.String)
        {
            return right.String.Length > MaxInlineStringLength ? null : left.Json.ValueEquals(right.String);
        }

        if (lk == Kind.String && rk == Kind.JsonString)
        {
            return left.String.Length > MaxInlineStringLength ? null : right.Json.ValueEquals(left.String);
        }

        if (lk == Kind.JsonString && rk == Kind.JsonString)
        {
            return null;
        }

        if (lk == Kind.Bool && rk == Kind.Bool)
        {
            return left.Boolean == right.Boolean;
        }

        // Scriban's mixed operands: true/false count as 1/0 beside a number.
        if (lk == Kind.Bool && IsNumber(rk))
        {
            return CompareNumbers(ExpressionValue.From(left.Boolean ? 1 : 0), right) == 0;
        }

        if (IsNumber(lk) && rk == Kind.Bool)
        {
            return CompareNumbers(left, ExpressionValue.From(right.Boolean ? 1 : 0)) == 0;
        }

        // Text beside a number or boolean compares as text (the number formatted as the render formats it): the
        // interpreter gives it.
        return null;
    }

    /// <summary><c>&lt; &lt;= &gt; &gt;=</c> as <c>ScriptOperators.Relational</c> gives it, or null to ask the interpreter.</summary>
    private static bool? Relational(char op, ExpressionValue left, ExpressionValue right)
    {
        var lk = left.Kind;
        var rk = right.Kind;
        if (lk == Kind.Bail || rk == Kind.Bail)
        {
            return null;
        }

        if (lk == Kind.Null || rk == Kind.Null)
        {
            // Nil beside text compares as empty text; beside anything else the comparison is false.
            return lk is Kind.String or Kind.JsonString || rk is Kind.String or Kind.JsonString ? null : false;
        }

        int c;
        if (IsNumber(lk) && IsNumber(rk))
        {
            c = CompareNumbers(left, right);
        }
        else if (lk == Kind.String && rk == Kind.String)
        {
            c = string.CompareOrdinal(left.String, right.String);
        }
        else if (lk == Kind.Bool && IsNumber(rk))
        {
            // Scriban's mixed operands: true/false count as 1/0 beside a number.
            c = CompareNumbers(ExpressionValue.From(left.Boolean ? 1 : 0), right);
        }
        else if (IsNumber(lk) && rk == Kind.Bool)
        {
            c = CompareNumbers(left, ExpressionValue.From(right.Boolean ? 1 : 0));
        }
        else
        {
            // Two booleans (an error), text beside another kind (compared as text), decimals, JSON strings, arrays,
            // dates: the interpreter gives these.
            return null;
        }

        return op switch
        {
            '<' => c < 0,
            'l' => c <= 0,
            '>' => c > 0,
            _ => c >= 0,
        };
    }

    /// <summary>As <c>ScriptOperators.CompareNumbers</c> for int, long and double: integers as longs, else as doubles.</summary>
    private static int CompareNumbers(ExpressionValue left, ExpressionValue right)
    {
        if (left.Kind != Kind.Double && right.Kind != Kind.Double)
        {
            return left.Integer.CompareTo(right.Integer);
        }

        var l = left.Kind == Kind.Double ? left.Double : left.Integer;
        var r = right.Kind == Kind.Double ? right.Double : right.Integer;
        return l.CompareTo(r);
    }

    private static ExpressionValue Result(bool? value) => value is { } b ? ExpressionValue.From(b) : ExpressionValue.Bail;

    private sealed class Constant<TModel>(ExpressionValue value) : Node<TModel>
    {
        public ExpressionValue Value { get; } = value;

        public override ExpressionValue Eval(TModel model) => Value;
    }

    private sealed class Read<TModel>(ExpressionReader<TModel> reader, bool strict) : Node<TModel>
    {
        public ExpressionReader<TModel> Reader => reader;

        public override ExpressionValue Eval(TModel model) => Resolve(reader(model), strict);

        public ExpressionValue EvalLenient(TModel model) => reader(model);
    }

    private sealed class Not<TModel>(Node<TModel> operand, bool strict) : Node<TModel>
    {
        public override ExpressionValue Eval(TModel model)
        {
            var value = operand.Eval(model);
            var state = TruthState(in value, strict);
            return state < 2 ? ExpressionValue.From(state == 0) : ExpressionValue.Bail;
        }
    }

    private sealed class And<TModel>(Node<TModel> left, Node<TModel> right, bool strict) : Node<TModel>
    {
        public override ExpressionValue Eval(TModel model)
        {
            var value = left.Eval(model);
            var state = TruthState(in value, strict);
            if (state != 1)
            {
                return state == 2 ? ExpressionValue.Bail : ExpressionValue.From(false);
            }

            value = right.Eval(model);
            state = TruthState(in value, strict);
            return state < 2 ? ExpressionValue.From(state == 1) : ExpressionValue.Bail;
        }
    }


    private sealed class Or<TModel>(Node<TModel> left, Node<TModel> right, bool strict) : Node<TModel>
    {
        public override ExpressionValue Eval(TModel model)
        {
            var value = left.Eval(model);
            var state = TruthState(in value, strict);
            if (state != 0)
            {
                return state == 2 ? ExpressionValue.Bail : ExpressionValue.From(true);
            }

            value = right.Eval(model);
            state = TruthState(in value, strict);
            return state < 2 ? ExpressionValue.From(state == 1) : ExpressionValue.Bail;
        }
    }


    /// <summary><c>a ?? b</c>: a missing member on the left is null here even in strict mode, as in the interpreter.</summary>
    private sealed class Coalesce<TModel>(Node<TModel> left, Node<TModel> right) : Node<TModel>
    {
        public override ExpressionValue Eval(TModel model)
        {
            var value = left is Read<TModel> read ? read.EvalLenient(model) : left.Eval(model);
            return value.Kind is Kind.Null or Kind.Missing ? right.Eval(model) : value;
        }
    }

    private sealed class Equal<TModel>(Node<TModel> left, Node<TModel> right, bool negate, bool strict) : Node<TModel>
    {
        public override ExpressionValue Eval(TModel model)
            => Result(AreEqual(Resolve(left.Eval(model), strict), Resolve(right.Eval(model), strict)) is { } b ? b != negate : null);
    }

    private sealed class EqualsConstant<TModel>(Node<TModel> left, ExpressionValue right, bool negate, bool strict) : Node<TModel>
    {
        public override ExpressionValue Eval(TModel model)
            => Result(AreEqual(Resolve(left.Eval(model), strict), right) is { } b ? b != negate : null);
    }

    /// <summary><c>member == constant</c> (or <c>!=</c>), the most common comparison, in one node: the read, then the
    /// integer, boolean or string case the constant makes likely, else <see cref="AreEqual"/>.</summary>
    private sealed class ReadEqualsConstant<TModel>(ExpressionReader<TModel> reader, ExpressionValue right, bool negate, bool strict) : Node<TModel>
    {
        public override ExpressionValue Eval(TModel model)
        {
            var left = reader(model);
            var kind = left.Kind;
            if (kind == right.Kind && kind is Kind.Int or Kind.Long or Kind.Bool)
            {
                return ExpressionValue.From((left.Integer == right.Integer) != negate);
            }

            return Result(AreEqual(Resolve(left, strict), right) is { } b ? b != negate : null);
        }
    }

    /// <summary><c>member &lt; constant</c> (and the other relations) in one node: the read, then two integers compared
    /// directly, else <see cref="Relational"/>.</summary>
    private sealed class ReadCompareConstant<TModel>(ExpressionReader<TModel> reader, ExpressionValue right, char op, bool strict) : Node<TModel>
    {
        public override ExpressionValue Eval(TModel model)
        {
            var left = reader(model);
            if (left.Kind is Kind.Int or Kind.Long && right.Kind is Kind.Int or Kind.Long)
            {
                var l = left.Integer;
                var r = right.Integer;
                return ExpressionValue.From(op switch
                {
                    '<' => l < r,
                    'l' => l <= r,
                    '>' => l > r,
                    _ => l >= r,
                });
            }

            return Result(Relational(op, Resolve(left, strict), right));
        }
    }

    private sealed class Compare<TModel>(Node<TModel> left, Node<TModel> right, char op, bool strict) : Node<TModel>
    {
        public override ExpressionValue Eval(TModel model)
            => Result(Relational(op, Resolve(left.Eval(model), strict), Resolve(right.Eval(model), strict)));
    }

    private sealed class CompareConstant<TModel>(Node<TModel> left, ExpressionValue right, char op, bool strict) : Node<TModel>
    {
        public override ExpressionValue Eval(TModel model) => Result(Relational(op, Resolve(left.Eval(model), strict), right));
    }
}
