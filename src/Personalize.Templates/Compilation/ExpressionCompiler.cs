using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Unicode;
using Personalize.Templates.Runtime;
using Personalize.Templates.Syntax;
using Kind = Personalize.Templates.ExpressionValue.ValueKind;

namespace Personalize.Templates.Compilation;

/// <summary>
/// Compiles an expression to a tree of typed closures over a model type: literals, <c>root.member</c> reads bound once
/// by an <see cref="ExpressionBinder{TModel}"/>, <c>!</c>, <c>&amp;&amp;</c>, <c>||</c>, <c>??</c>, parentheses and
/// the comparisons <c>== != &lt; &lt;= &gt; &gt;=</c>. Each closure handles the cases whose result it can give exactly
/// as the interpreter does (numbers, strings, booleans, null, and a boolean beside a number as 1/0) and answers
/// <see cref="Ask"/> (or <see cref="ExpressionValue.Bail"/>) for any other (a decimal, an array, a date, text beside
/// another kind — compared as text —, a comparison the interpreter reports as an error, a missing member in strict
/// mode); the caller then evaluates the whole expression with the interpreter, so results and errors are the
/// interpreter's in every case. Any other syntax (arithmetic, calls, pipes, ranges, nested members) is not compiled.
/// </summary>
/// <remarks>
/// Every node answers two questions: its truth value (<see cref="Node{TModel}.Test"/>: <see cref="False"/>,
/// <see cref="True"/> or <see cref="Ask"/>, a small integer) and its value (<see cref="Node{TModel}.Eval"/>). A condition
/// asks the first from its root down through <c>!</c>, <c>&amp;&amp;</c>, <c>||</c> and the comparisons, so no value
/// is built or copied for them; only reads and literals hand values over (ADR 41).
/// </remarks>
internal static class ExpressionCompiler
{
    /// <summary>The truth value false.</summary>
    public const int False = 0;

    /// <summary>The truth value true.</summary>
    public const int True = 1;

    /// <summary>The compiled form cannot tell: ask the interpreter.</summary>
    public const int Ask = 2;

    /// <summary>Longest string compared without the interpreter (longer equal-length strings charge the work budget).</summary>
    private const int MaxInlineStringLength = 64;

    public static Node<TModel>? Compile<TModel>(ScriptExpression expression, ExpressionBinder<TModel> binder, bool strict, out string? reason)
    {
        var compiler = new Compiler<TModel>(binder, strict);
        var node = compiler.Node(expression);
        reason = node is null ? compiler.Reason : null;
        return node;
    }

    /// <summary><see cref="Truthy"/> as <see cref="False"/>, <see cref="True"/> or <see cref="Ask"/>, a boolean — what
    /// comparisons and <c>!</c> give — without a call.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int TruthState(in ExpressionValue value, bool strict)
        => value.Kind == Kind.Bool ? (int)value.Integer : Truthy(value, strict) is { } b ? (b ? True : False) : Ask;

    /// <summary>The truth value of a compiled result (Scriban truthiness), or null to ask the interpreter.</summary>
    public static bool? Truthy(in ExpressionValue value, bool strict) => value.Kind switch
    {
        Kind.Bail => null,
        Kind.Missing => strict ? null : false,
        Kind.Null => false,
        Kind.Bool => value.Boolean,
        Kind.Object => ScriptValue.IsTruthy(value.Object),
        _ => true,
    };

    /// <summary>A compiled node: its truth value (<see cref="Test"/>) and its value (<see cref="Eval"/>).</summary>
    /// <typeparam name="TModel">The model type.</typeparam>
    internal abstract class Node<TModel>
    {
        /// <summary>The value, or <see cref="ExpressionValue.Bail"/> to ask the interpreter.</summary>
        public abstract ExpressionValue Eval(TModel model);

        /// <summary>The truth value: <see cref="False"/>, <see cref="True"/> or <see cref="Ask"/>.</summary>
        public abstract int Test(TModel model);
    }

    /// <summary>A node whose value is a boolean (or ask): its value is built from its truth value.</summary>
    private abstract class TestNode<TModel> : Node<TModel>
    {
        public sealed override ExpressionValue Eval(TModel model)
        {
            var state = Test(model);
            return state == Ask ? ExpressionValue.Bail : ExpressionValue.From(state == True);
        }
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
                    return value.Kind == Kind.Bail ? Refuse("a literal that is a function") : new Constant<TModel>(value, strict);
                case ParenthesizedExpression parenthesized:
                    return Node(parenthesized.Inner);
                case MemberExpression { Target: GlobalVariable root } member:
                    if (Builtins.BuiltinObjects.Root.ContainsKey(root.Name))
                    {
                        return Refuse($"`{member.Describe()}` reads a builtin");
                    }

                    return binder.Bind(root.Name, member.Name) is { } reader
                        ? new Read<TModel>(reader, binder.BindScalar(root.Name, member.Name), strict)
                        : Refuse($"`{member.Describe()}` is not bound to the model type");
                case UnaryExpression { Operator: UnaryOperator.Not } not:
                    return Node(not.Operand) is { } operand ? new Not<TModel>(operand) : null;
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

            var negate = binary.Operator == BinaryOperator.NotEqual;
            return binary.Operator switch
            {
                BinaryOperator.And => new And<TModel>(left, right),
                BinaryOperator.Or => new Or<TModel>(left, right),
                BinaryOperator.Coalesce => new Coalesce<TModel>(left, right, strict),
                BinaryOperator.Equal or BinaryOperator.NotEqual when right is Constant<TModel> constant && left is Read<TModel> read
                    => WithScalar(read, constant.Value, negate ? '!' : '=', ReadEquals(binary, read.Reader, constant.Value, negate)),
                BinaryOperator.Equal or BinaryOperator.NotEqual when right is Constant<TModel> constant
                    => new EqualsConstant<TModel>(left, constant.Value, negate, strict),
                BinaryOperator.Equal or BinaryOperator.NotEqual => new Equal<TModel>(left, right, negate, strict),
                _ when right is Constant<TModel> constant && left is Read<TModel> read
                    => WithScalar(read, constant.Value, op, new ReadCompareConstant<TModel>(read.Reader, constant.Value, op, strict)),
                _ when right is Constant<TModel> constant => new CompareConstant<TModel>(left, constant.Value, op, strict),
                _ => new Compare<TModel>(left, right, op, strict),
            };
        }

        /// <summary><c>member == constant</c>: a node for the constant's kind (text, integer), else the general one.</summary>
        private Node<TModel> ReadEquals(BinaryExpression binary, ExpressionReader<TModel> reader, ExpressionValue constant, bool negate) => constant.Kind switch
        {
            Kind.String => ReadEqualsText(binary, reader, constant, negate),
            Kind.Int or Kind.Long => new ReadEqualsInteger<TModel>(reader, constant, negate, strict),
            _ => new ReadEqualsConstant<TModel>(reader, constant, negate, strict),
        };

        /// <summary><c>member == 'text'</c>: through the binder's text comparison when it has one for the literal (text it
        /// compares exactly as <see cref="ReadEqualsText{TModel}"/> does), else that node.</summary>
        private Node<TModel> ReadEqualsText(BinaryExpression binary, ExpressionReader<TModel> reader, ExpressionValue constant, bool negate)
        {
            var general = new ReadEqualsText<TModel>(reader, constant, negate, strict);
            return general.ComparesUtf8 && binary.Left is MemberExpression { Target: GlobalVariable root } member
                && binder.BindTextEquals(root.Name, member.Name, constant.String) is { } equals
                ? new ScalarTextEquals<TModel>(equals, negate, general)
                : general;
        }

        /// <summary><c>member op number</c> through the member's scalar reader when it has one, else <paramref name="general"/>.</summary>
        private static Node<TModel> WithScalar(Read<TModel> read, ExpressionValue constant, char op, Node<TModel> general)
            => read.Scalar is { } scalar && IsNumber(constant.Kind) ? new ScalarCompareConstant<TModel>(scalar, constant, op, general) : general;

        private Node<TModel>? Refuse(string reason)
        {
            Reason ??= reason;
            return null;
        }
    }

    /// <summary>A missing member reads as null, or (strict mode) asks the interpreter, which reports it.</summary>
    private static ExpressionValue Resolve(in ExpressionValue value, bool strict)
        => value.Kind != Kind.Missing ? value : strict ? ExpressionValue.Bail : ExpressionValue.Null;

    private static bool IsNumber(Kind kind) => kind is Kind.Int or Kind.Long or Kind.Double;

    private static int State(bool? value) => value is { } b ? (b ? True : False) : Ask;

    private static int State(bool? value, bool negate) => value is { } b ? (b != negate ? True : False) : Ask;

    /// <summary><c>==</c> as <c>ScriptOperators.Equals</c> gives it, or null to ask the interpreter.</summary>
    private static bool? AreEqual(in ExpressionValue left, in ExpressionValue right)
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
    private static bool? Relational(char op, in ExpressionValue left, in ExpressionValue right)
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

        return Holds(op, c);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Holds(char op, int comparison) => op switch
    {
        '<' => comparison < 0,
        'l' => comparison <= 0,
        '>' => comparison > 0,
        _ => comparison >= 0,
    };

    /// <summary>As <c>ScriptOperators.CompareNumbers</c> for int, long and double: integers as longs, else as doubles.</summary>
    private static int CompareNumbers(in ExpressionValue left, in ExpressionValue right)
        => CompareNumbers(left.Kind, left.Integer, right.Kind, right.Integer);

    /// <summary><see cref="CompareNumbers(in ExpressionValue, in ExpressionValue)"/> over kinds and 64-bit payloads.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int CompareNumbers(Kind leftKind, long left, Kind rightKind, long right)
    {
        if (leftKind != Kind.Double && rightKind != Kind.Double)
        {
            return left.CompareTo(right);
        }

        var l = leftKind == Kind.Double ? BitConverter.Int64BitsToDouble(left) : left;
        var r = rightKind == Kind.Double ? BitConverter.Int64BitsToDouble(right) : right;
        return l.CompareTo(r);
    }

    /// <summary>A literal; its truth value is known when compiled.</summary>
    private sealed class Constant<TModel>(ExpressionValue value, bool strict) : Node<TModel>
    {
        private readonly int _state = TruthState(value, strict);

        public ExpressionValue Value { get; } = value;

        public override ExpressionValue Eval(TModel model) => Value;

        public override int Test(TModel model) => _state;
    }

    /// <summary>A bound member; with a scalar reader (<see cref="ExpressionBinder{TModel}.BindScalar"/>) a number, a boolean
    /// or null is tested without building an <see cref="ExpressionValue"/>.</summary>
    private sealed class Read<TModel>(ExpressionReader<TModel> reader, ExpressionScalarReader<TModel>? scalar, bool strict) : Node<TModel>
    {
        public ExpressionReader<TModel> Reader => reader;

        public ExpressionScalarReader<TModel>? Scalar => scalar;

        public override ExpressionValue Eval(TModel model) => Resolve(reader(model), strict);

        /// <summary>The value with a missing member as <see cref="ExpressionValue.Missing"/>, whatever the mode (for <c>??</c>).</summary>
        public ExpressionValue EvalLenient(TModel model) => reader(model);

        public override int Test(TModel model)
        {
            if (scalar is not null)
            {
                // As TruthState: a boolean is its value, null is false, a number is true.
                var s = scalar(model);
                if (!s.IsOther)
                {
                    return s.Kind == Kind.Bool ? (int)s.Integer : s.Kind == Kind.Null ? False : True;
                }
            }

            return TestValue(model);
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private int TestValue(TModel model)
        {
            var value = reader(model);
            return TruthState(value, strict);
        }
    }

    /// <summary>
    /// <c>member op number</c> (<c>== != &lt; &lt;= &gt; &gt;=</c>, <paramref name="op"/> <c>=</c> and <c>!</c> for the
    /// first two) through the member's scalar reader: a number, or a boolean as 1/0, compared as <see cref="AreEqual"/>
    /// and <see cref="Relational"/> compare them; null is unequal and unordered to a number; any other value goes to
    /// <paramref name="general"/>, the node the comparison has without a scalar reader.
    /// </summary>
    private sealed class ScalarCompareConstant<TModel>(ExpressionScalarReader<TModel> scalar, ExpressionValue constant, char op, Node<TModel> general) : TestNode<TModel>
    {
        private readonly Kind _kind = constant.Kind;
        private readonly long _bits = constant.Integer;

        public override int Test(TModel model)
        {
            var s = scalar(model);
            var kind = s.Kind;
            if (kind is Kind.Int or Kind.Long or Kind.Double or Kind.Bool)
            {
                // A boolean's payload is 1 or 0: compared as an int.
                var c = CompareNumbers(kind == Kind.Bool ? Kind.Int : kind, s.Integer, _kind, _bits);
                var holds = op switch
                {
                    '=' => c == 0,
                    '!' => c != 0,
                    _ => Holds(op, c),
                };
                return holds ? True : False;
            }

            if (kind == Kind.Null)
            {
                return op == '!' ? True : False;
            }

            return general.Test(model);
        }
    }

    private sealed class Not<TModel>(Node<TModel> operand) : TestNode<TModel>
    {
        public override int Test(TModel model)
        {
            var state = operand.Test(model);
            return state == Ask ? Ask : state ^ 1;
        }
    }

    /// <summary><c>a &amp;&amp; b</c>: false when <c>a</c> is, else the truth of <c>b</c> (a boolean either way).</summary>
    private sealed class And<TModel>(Node<TModel> left, Node<TModel> right) : TestNode<TModel>
    {
        public override int Test(TModel model)
        {
            var state = left.Test(model);
            return state != True ? state : right.Test(model);
        }
    }

    /// <summary><c>a || b</c>: true when <c>a</c> is, else the truth of <c>b</c> (a boolean either way).</summary>
    private sealed class Or<TModel>(Node<TModel> left, Node<TModel> right) : TestNode<TModel>
    {
        public override int Test(TModel model)
        {
            var state = left.Test(model);
            return state != False ? state : right.Test(model);
        }
    }

    /// <summary><c>a ?? b</c>: a missing member on the left is null here even in strict mode, as in the interpreter.</summary>
    private sealed class Coalesce<TModel>(Node<TModel> left, Node<TModel> right, bool strict) : Node<TModel>
    {
        public override ExpressionValue Eval(TModel model)
        {
            var value = left is Read<TModel> read ? read.EvalLenient(model) : left.Eval(model);
            return value.Kind is Kind.Null or Kind.Missing ? right.Eval(model) : value;
        }

        public override int Test(TModel model)
        {
            var value = Eval(model);
            return TruthState(value, strict);
        }
    }

    private sealed class Equal<TModel>(Node<TModel> left, Node<TModel> right, bool negate, bool strict) : TestNode<TModel>
    {
        public override int Test(TModel model)
            => State(AreEqual(Resolve(left.Eval(model), strict), Resolve(right.Eval(model), strict)), negate);
    }

    private sealed class EqualsConstant<TModel>(Node<TModel> left, ExpressionValue right, bool negate, bool strict) : TestNode<TModel>
    {
        public override int Test(TModel model) => State(AreEqual(Resolve(left.Eval(model), strict), right), negate);
    }

    /// <summary><c>member == constant</c> (or <c>!=</c>) in one node for any constant: the read, then <see cref="AreEqual"/>.</summary>
    private sealed class ReadEqualsConstant<TModel>(ExpressionReader<TModel> reader, ExpressionValue right, bool negate, bool strict) : TestNode<TModel>
    {
        public override int Test(TModel model)
        {
            var left = reader(model);
            if (left.Kind == Kind.Bool && right.Kind == Kind.Bool)
            {
                return (left.Integer == right.Integer) != negate ? True : False;
            }

            return State(AreEqual(Resolve(left, strict), right), negate);
        }
    }

    /// <summary><c>member == 3</c> (or <c>!=</c>): two integers compared directly, else <see cref="AreEqual"/>.</summary>
    private sealed class ReadEqualsInteger<TModel>(ExpressionReader<TModel> reader, ExpressionValue right, bool negate, bool strict) : TestNode<TModel>
    {
        private readonly long _integer = right.Integer;

        public override int Test(TModel model)
        {
            var left = reader(model);
            if (left.Kind is Kind.Int or Kind.Long)
            {
                return (left.Integer == _integer) != negate ? True : False;
            }

            return State(AreEqual(Resolve(left, strict), right), negate);
        }
    }

    /// <summary>
    /// <c>member == 'text'</c> (or <c>!=</c>): a string compared ordinally, a JSON string compared in UTF-8 with the
    /// constant's bytes, encoded once here (what <c>JsonElement.ValueEquals(string)</c> does per call), else
    /// <see cref="AreEqual"/>.
    /// </summary>
    private sealed class ReadEqualsText<TModel> : TestNode<TModel>
    {
        /// <summary>Gets whether a JSON string is compared in UTF-8 (the literal is valid UTF-16 of at most <see cref="MaxInlineStringLength"/> characters).</summary>
        public bool ComparesUtf8 => _utf8 is not null && _text.Length <= MaxInlineStringLength;

        private readonly ExpressionReader<TModel> _reader;
        private readonly ExpressionValue _right;
        private readonly string _text;
        private readonly byte[]? _utf8;
        private readonly bool _negate;
        private readonly bool _strict;

        public ReadEqualsText(ExpressionReader<TModel> reader, ExpressionValue right, bool negate, bool strict)
        {
            _reader = reader;
            _right = right;
            _text = right.String;
            _negate = negate;
            _strict = strict;

            // Text that is not valid UTF-16 (a lone surrogate) is left to ValueEquals(string), which never matches it.
            var bytes = new byte[_text.Length * 3];
            if (Utf8.FromUtf16(_text, bytes, out _, out var written, replaceInvalidSequences: false) == OperationStatus.Done)
            {
                _utf8 = bytes.AsSpan(0, written).ToArray();
            }
        }

        public override int Test(TModel model)
        {
            var left = _reader(model);
            if (left.Kind == Kind.JsonString && _utf8 is { } utf8 && _text.Length <= MaxInlineStringLength)
            {
                return left.Json.ValueEquals(utf8) != _negate ? True : False;
            }

            if (left.Kind == Kind.String && (_text.Length <= MaxInlineStringLength || left.String.Length != _text.Length))
            {
                return string.Equals(left.String, _text, StringComparison.Ordinal) != _negate ? True : False;
            }

            return State(AreEqual(Resolve(left, _strict), _right), _negate);
        }
    }

    /// <summary><c>member == 'text'</c> (or <c>!=</c>) through the binder's comparison
    /// (<see cref="ExpressionBinder{TModel}.BindTextEquals"/>); a value it cannot tell goes to <paramref name="general"/>.</summary>
    private sealed class ScalarTextEquals<TModel>(ExpressionScalarReader<TModel> equals, bool negate, Node<TModel> general) : TestNode<TModel>
    {
        public override int Test(TModel model)
        {
            var s = equals(model);
            return s.Kind == Kind.Bool ? (s.Integer != 0) != negate ? True : False : general.Test(model);
        }
    }

    /// <summary><c>member &lt; constant</c> (and the other relations) in one node: the read, then two integers compared
    /// directly, else <see cref="Relational"/>.</summary>
    private sealed class ReadCompareConstant<TModel>(ExpressionReader<TModel> reader, ExpressionValue right, char op, bool strict) : TestNode<TModel>
    {
        private readonly bool _integer = right.Kind is Kind.Int or Kind.Long;

        public override int Test(TModel model)
        {
            var left = reader(model);
            if (_integer && left.Kind is Kind.Int or Kind.Long)
            {
                return Holds(op, left.Integer.CompareTo(right.Integer)) ? True : False;
            }

            return State(Relational(op, Resolve(left, strict), right));
        }
    }

    private sealed class Compare<TModel>(Node<TModel> left, Node<TModel> right, char op, bool strict) : TestNode<TModel>
    {
        public override int Test(TModel model)
            => State(Relational(op, Resolve(left.Eval(model), strict), Resolve(right.Eval(model), strict)));
    }

    private sealed class CompareConstant<TModel>(Node<TModel> left, ExpressionValue right, char op, bool strict) : TestNode<TModel>
    {
        public override int Test(TModel model) => State(Relational(op, Resolve(left.Eval(model), strict), right));
    }
}
