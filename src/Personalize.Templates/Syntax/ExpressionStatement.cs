using Personalize.Templates.Builtins;
using Personalize.Templates.Runtime;

namespace Personalize.Templates.Syntax;

/// <summary>An expression whose value is written to the output (nothing for null).</summary>
internal sealed class ExpressionStatement : ScriptStatement
{
    internal override IEnumerable<ScriptNode?> Children => [Expression];

    /// <summary>The builtin <c>string.truncate</c> function, recognised as the last pipe stage.</summary>
    private static readonly object? TruncateFunction =
        BuiltinObjects.Root.TryGetValue("string", out var strings) && strings is ScriptObject o && o.TryGetValue("truncate", out var f) ? f : null;

    private readonly MemberExpression? _member;
    private readonly MemberExpression? _coalesceLeft;
    private readonly PipeExpression? _truncatePipe;
    private readonly CallExpression? _truncateCall;
    private readonly MemberExpression? _truncateTarget;
    private readonly int _truncateLength;

    public ExpressionStatement(ScriptExpression expression)
    {
        Expression = expression;
        _member = expression as MemberExpression;

        // `{{ customer.city ?? "your area" }}`: a non-empty text on the left is written as UTF-8 by its object, when it can.
        _coalesceLeft = expression is BinaryExpression { Operator: BinaryOperator.Coalesce, Left: MemberExpression left } ? left : null;
        if (TruncateFunction is not null
            && expression is PipeExpression { ExpandsLeft: false, Right: CallExpression { Target: MemberExpression target, Arguments: [{ Name: null, Expand: false, Value: LiteralExpression { Value: int length } }] } call } pipe
            && target.ResolvesToBuiltinAtParse(TruncateFunction))
        {
            // `{{ x | string.truncate 15 }}`: when x is a string, write its head and the ellipsis straight to the output
            // instead of building the truncated string (same text, same limits).
            _truncatePipe = pipe;
            _truncateCall = call;
            _truncateTarget = target;
            _truncateLength = length;
        }
    }

    public ScriptExpression Expression { get; }

    /// <summary>Gets the auto-indentation of the code block (white space before <c>{{</c> on its line), or null.</summary>
    public string? Indent { get; init; }

    /// <summary>The left side of <c>??</c> written when it is a non-empty text its object writes as UTF-8 (read as <see cref="BinaryExpression.Guarded"/> reads it: a missing value is no error in strict mode).</summary>
    private bool WroteCoalesceLeft(TemplateContext context)
    {
        context.StrictGuard++;
        try
        {
            return _coalesceLeft!.TryWriteNonEmptyUtf8(context, Span);
        }
        finally
        {
            context.StrictGuard--;
        }
    }

    public override void Execute(TemplateContext context)
    {
        object? value;
        if (_member is not null)
        {
            // JSON strings are copied as UTF-8 only where nothing re-indents the text.
            if (_member.TryWriteOutput(context, Span, jsonText: Indent is null, out value))
            {
                return;
            }
        }
        else if (_truncatePipe is not null && Indent is null && _truncateTarget!.ResolvesToBuiltin(context, TruncateFunction!))
        {
            var left = _truncatePipe.Left.Evaluate(context);
            if (left is string text)
            {
                context.CurrentSpan = Span;
                StringFunctions.WriteTruncated(context, text, _truncateLength);
                return;
            }

            value = _truncateCall!.Invoke(context, hasPiped: true, piped: left);
        }
        else if (_coalesceLeft is not null && Indent is null && WroteCoalesceLeft(context))
        {
            return;
        }
        else
        {
            value = Expression.Evaluate(context);
        }

        if (value is not null)
        {
            context.CurrentSpan = Span;
            // Auto-indentation: a multi-line value is indented after each of its newlines, and a value that starts a line
            // (after a function's output ended with one) is indented first, as Scriban does.
            if (Indent is not null && (context.AtLineStart || value is not (int or long or decimal or double or bool)))
            {
                context.WriteIndented(context.ToText(value), Indent);
                return;
            }

            context.WriteValue(value);
        }
    }
}
