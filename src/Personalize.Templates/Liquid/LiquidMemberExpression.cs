using Personalize.Templates.Runtime;
using Personalize.Templates.Syntax;

namespace Personalize.Templates.Liquid;

/// <summary>
/// Liquid <c>target.name</c>: a member of nil is nil (never an error), and lists answer <c>size</c>, <c>first</c> and <c>last</c>.
/// </summary>
internal sealed class LiquidMemberExpression : ScriptExpression
{
    internal override IEnumerable<ScriptNode?> Children => [Target];

    public LiquidMemberExpression(ScriptExpression target, string name)
    {
        Target = target;
        Name = name;
        _site = new MemberSite(name);
        _chain = LiquidMemberChain.Of(this, target);
        if (_chain is null && target is LiquidVariableExpression variable)
        {
            _variable = variable;
            _fused = new VariableMemberSite(name);
        }
    }

    // `question.answer_links[0].keyword`: two or more steps on a variable, bound once per site and model type.
    private readonly LiquidMemberChain? _chain;

    // `question.text`: one step on a variable, read straight from the variable's value when it is the plain type bound here.
    private readonly LiquidVariableExpression? _variable;
    private readonly VariableMemberSite? _fused;

    public ScriptExpression Target { get; }

    public string Name { get; }

    public override object? Evaluate(TemplateContext context)
    {
        if (_chain is { } chain)
        {
            return chain.TryEvaluate(context, out var value, out var target) ? value : FromTarget(context, target);
        }

        if (_variable is { } variable)
        {
            return TryReadThroughVariable(context, variable, out var value, out var target) ? value : FromTarget(context, target);
        }

        return FromTarget(context, Target.Evaluate(context));
    }

    /// <summary>
    /// Evaluates the variable: true with <paramref name="value"/> (this member, normalized) when its value is the type
    /// the site is bound to; otherwise false with <paramref name="target"/>, the variable's value as its node gives it,
    /// for this node to read as always (the site learns its type for the next render).
    /// </summary>
    private bool TryReadThroughVariable(TemplateContext context, LiquidVariableExpression variable, out object? value, out object? target)
        => TryReadThroughVariable(context, variable, variable.Lookup(context), out value, out target);

    private bool TryReadThroughVariable(TemplateContext context, LiquidVariableExpression variable, object? raw, out object? value, out object? target)
    {
        var site = _fused!;
        if (raw is not null && site.TryRead(context, raw, out var member, out _))
        {
            value = ScriptValue.Normalize(member);
            target = null;
            return true;
        }

        target = variable.Finish(context, raw);
        site.Learn(context, raw, target);
        value = null;
        return false;
    }

    /// <summary>
    /// Evaluates for an output statement, evaluating the target exactly once, and writes the value itself when it can
    /// without building it: a <see cref="decimal"/> member of a plain .NET object seen here before is formatted unboxed,
    /// and a JSON string member of a JSON object is copied as UTF-8 (with <paramref name="span"/> as the current position
    /// for errors); then it returns <see langword="true"/>. Otherwise it returns <see langword="false"/> with
    /// <paramref name="value"/> set to what <see cref="Evaluate(TemplateContext)"/> returns, for the statement to write.
    /// </summary>
    internal bool TryWriteOutput(TemplateContext context, SourceSpan span, out object? value)
    {
        object? target;
        if (_chain is { } chain)
        {
            // A bound chain's last step reads a reference (never a decimal) from a plain object (never JSON): written as is.
            if (chain.TryEvaluate(context, out value, out target))
            {
                return false;
            }
        }
        else if (_variable is { } variable)
        {
            var raw = variable.Lookup(context);
            if (raw is IUtf8TemplateMembers written and not IScriptFunction && context.TryWriteUtf8Member(written, Name, span))
            {
                value = null;
                return true;
            }

            // A bound member has a reference type (never a decimal) of a plain object (never JSON): written as is.
            if (TryReadThroughVariable(context, variable, raw, out value, out target))
            {
                return false;
            }
        }
        else
        {
            target = Target.Evaluate(context);
        }

        if (target is not null && _site.TryReadDecimal(context, target, out var number))
        {
            context.CurrentSpan = span;
            context.WriteDecimal(number);
            value = null;
            return true;
        }

        // A member the target writes as UTF-8 itself (IUtf8TemplateMembers).
        if (target is IUtf8TemplateMembers members && context.TryWriteUtf8Member(members, Name, span))
        {
            value = null;
            return true;
        }

        // A member of a JSON object: one property lookup, a string copied to the output as UTF-8 (see TryWriteJsonMember).
        if (target is System.Text.Json.JsonElement { ValueKind: System.Text.Json.JsonValueKind.Object } element && !context.IsStrict)
        {
            return context.TryWriteJsonMember(element, Name, _site.Utf8Name, span, out value);
        }

        value = FromTarget(context, target);
        return false;
    }

    private readonly MemberSite _site;

    /// <summary>This member of an evaluated target (what <see cref="Evaluate(TemplateContext)"/> does after evaluating the target).</summary>
    internal object? FromTarget(TemplateContext context, object? target)
    {
        if (target is null)
        {
            return null;
        }

        if (target is ScriptObject obj && obj.TryGetValue(Name, out var member))
        {
            return ScriptValue.Normalize(member);
        }

        if (_site.TryRead(context, target, out var plain, out _))
        {
            return ScriptValue.Normalize(plain);
        }

        if (TryGet(context, target, Name, out var found))
        {
            return found;
        }

        if (target is not null && context.IsStrict)
        {
            throw context.MissingMember(Span, Target.Describe(), Name);
        }

        return null;
    }

    internal static object? Get(TemplateContext context, object? target, string name) => TryGet(context, target, name, out var value) ? value : null;

    /// <summary>Reads a member as Liquid does (<c>first</c>/<c>last</c> of lists too); false when the target does not have it.</summary>
    internal static bool TryGet(TemplateContext context, object? target, string name, out object? value)
    {
        if (target is null)
        {
            value = null;
            return false;
        }

        if (context.TryGetMember(target, name, out value))
        {
            value = ScriptValue.Normalize(value);
            return true;
        }

        if (name == "first" && LiquidValue.IsHash(target))
        {
            // A hash's first member, as a [key, value] pair.
            var pairs = LiquidValue.Pairs(context, target);
            value = pairs.Count == 0 ? null : pairs[0];
            return true;
        }

        if (name is "first" or "last" && target is string text)
        {
            value = LiquidValue.FirstOrLastCharacter(text, name == "first");
            return true;
        }

        if (name is "first" or "last" && LiquidValue.IsList(target))
        {
            var list = LiquidValue.ToList(context, target);
            value = list.Count == 0 ? null : list[name == "first" ? 0 : list.Count - 1];
            return true;
        }

        value = null;
        return false;
    }

    public override string Describe() => Target.Describe() + "." + Name;
}
