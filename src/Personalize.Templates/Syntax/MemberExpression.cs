using System.Collections;
using Personalize.Templates.Runtime;

namespace Personalize.Templates.Syntax;

/// <summary><c>target.name</c> or <c>target?.name</c>.</summary>
internal sealed class MemberExpression : ScriptAssignable
{
    internal override IEnumerable<ScriptNode?> Children => [Target];

    public MemberExpression(ScriptExpression target, string name, bool nullConditional)
    {
        Target = target;
        Name = name;
        NullConditional = nullConditional;
        _site = new MemberSite(name);
        if (target is GlobalVariable global && Builtins.BuiltinObjects.Root.TryGetValue(global.Name, out var builtin) && builtin is ScriptObject builtinObject)
        {
            // `string.truncate`, `array.sort`…: the builtins are frozen, so the member can be looked up once, and used
            // whenever no scope shadows the builtin object's name.
            _builtinTarget = global;
            _builtinMember = builtinObject.TryGetValue(name, out var member) ? member : null;
        }
        else if (target is GlobalVariable variable)
        {
            _variable = variable;
            _fused = new VariableMemberSite(name);
        }
    }

    // `question.text`: a member of a variable, read straight from the variable's value when it is the plain type bound here.
    private readonly GlobalVariable? _variable;
    private readonly VariableMemberSite? _fused;

    private readonly GlobalVariable? _builtinTarget;
    private readonly object? _builtinMember;

    public ScriptExpression Target { get; }

    public string Name { get; }

    public bool NullConditional { get; }

    public override object? Evaluate(TemplateContext context)
    {
        var value = EvaluateRaw(context, out var mayBeFunction);
        return mayBeFunction ? CallIfFunction(context, value, Span) : value;
    }

    public override object? EvaluateRaw(TemplateContext context) => EvaluateRaw(context, out _);

    /// <summary>Gets whether this expression currently reads the builtin member <paramref name="builtin"/> (e.g. <c>string.truncate</c> not shadowed by any scope).</summary>
    internal bool ResolvesToBuiltin(TemplateContext context, object builtin) =>
        _builtinTarget is not null && ReferenceEquals(_builtinMember, builtin) && context.IsBuiltinVisible(_builtinTarget.Mask);

    /// <summary>Gets whether this expression names the builtin member <paramref name="builtin"/> when no scope shadows it.</summary>
    internal bool ResolvesToBuiltinAtParse(object builtin) => _builtinTarget is not null && ReferenceEquals(_builtinMember, builtin);

    /// <summary>
    /// Evaluates for an output statement, evaluating the target exactly once, and writes the value itself when it can
    /// without building it: a <see cref="decimal"/> member of a plain .NET object seen here before is formatted unboxed,
    /// and when <paramref name="jsonText"/> is set a JSON string member of a JSON object is copied as UTF-8 (with
    /// <paramref name="span"/> as the current position for errors); then it returns <see langword="true"/>. Otherwise it
    /// returns <see langword="false"/> with <paramref name="value"/> set to what <see cref="Evaluate(TemplateContext)"/>
    /// returns, for the statement to write.
    /// </summary>
    internal bool TryWriteOutput(TemplateContext context, SourceSpan span, bool jsonText, out object? value)
    {
        if (_builtinTarget is not null)
        {
            value = Evaluate(context);
            return false;
        }

        object? target;
        if (_variable is { } variable)
        {
            // A bound member has a reference type (never a decimal) of a plain object (never JSON).
            var raw = variable.EvaluateRaw(context);
            if (raw is System.Text.Json.JsonElement json)
            {
                // A JSON value (a loop's item): never a function, never UTF-8 members of its own, never bound here or read
                // as a plain object's decimal; what the general path below does with it, without its checks for those.
                if (jsonText && json.ValueKind == System.Text.Json.JsonValueKind.Object && !context.IsStrict)
                {
                    return context.TryWriteJsonMember(json, Name, _site.Utf8Name, span, out value);
                }

                value = FromTarget(context, raw, out var jsonMayBeFunction);
                if (jsonMayBeFunction)
                {
                    value = CallIfFunction(context, value, Span);
                }

                return false;
            }

            if (jsonText && raw is IUtf8TemplateMembers written and not IScriptFunction && context.TryWriteUtf8Member(written, Name, span))
            {
                value = null;
                return true;
            }

            if (raw is not null && _fused!.TryRead(context, raw, out value, out var memberMayBeFunction))
            {
                if (memberMayBeFunction)
                {
                    value = CallIfFunction(context, value, Span);
                }

                return false;
            }

            target = variable.Finish(context, raw);
            _fused!.Learn(context, raw, target);
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

        // A member the target writes as UTF-8 itself (IUtf8TemplateMembers), where nothing re-indents the text.
        if (jsonText && target is IUtf8TemplateMembers members && context.TryWriteUtf8Member(members, Name, span))
        {
            value = null;
            return true;
        }

        // A member of a JSON object: one property lookup, a string copied to the output as UTF-8 (see TryWriteJsonMember).
        if (jsonText && target is System.Text.Json.JsonElement { ValueKind: System.Text.Json.JsonValueKind.Object } element && !context.IsStrict)
        {
            return context.TryWriteJsonMember(element, Name, _site.Utf8Name, span, out value);
        }

        value = FromTarget(context, target, out var mayBeFunction);
        if (mayBeFunction)
        {
            value = CallIfFunction(context, value, Span);
        }

        return false;
    }

    /// <summary>
    /// For the left side of <c>??</c> in an output statement: writes the member when its object writes it as UTF-8
    /// (<see cref="IUtf8TemplateMembers"/>) and its text is not empty — so not null, and the operator's value is that
    /// text —, and returns <see langword="true"/>; otherwise writes nothing and returns <see langword="false"/> (the
    /// caller evaluates the operator as usual).
    /// </summary>
    internal bool TryWriteNonEmptyUtf8(TemplateContext context, SourceSpan span)
        => _builtinTarget is null
            && _variable is { } variable
            && variable.EvaluateRaw(context) is IUtf8TemplateMembers written and not IScriptFunction
            && context.TryWriteUtf8Member(written, Name, span, nonEmptyOnly: true);

    private readonly MemberSite _site;

    private object? EvaluateRaw(TemplateContext context, out bool mayBeFunction)
    {
        if (_builtinTarget is not null && context.IsBuiltinVisible(_builtinTarget.Mask))
        {
            mayBeFunction = true;
            return _builtinMember;
        }

        if (_variable is { } variable)
        {
            var raw = variable.EvaluateRaw(context);
            if (raw is not null && _fused!.TryRead(context, raw, out var value, out mayBeFunction))
            {
                return value;
            }

            var target = variable.Finish(context, raw);
            _fused!.Learn(context, raw, target);
            return FromTarget(context, target, out mayBeFunction);
        }

        return FromTarget(context, Target.Evaluate(context), out mayBeFunction);
    }

    private object? FromTarget(TemplateContext context, object? target, out bool mayBeFunction)
    {
        mayBeFunction = true;
        if (target is null)
        {
            if (NullConditional || Target is MemberExpression { NullConditional: true })
            {
                return null;
            }

            throw context.Error(Span, $"Cannot get the member {Describe()} for a null object.");
        }

        if (target is ScriptObject obj && obj.TryGetValue(Name, out var member))
        {
            return member;
        }

        if (_site.TryRead(context, target, out var plain, out mayBeFunction))
        {
            return plain;
        }

        if (context.TryGetMember(target, Name, out var value))
        {
            return value;
        }

        if (!NullConditional && context.IsStrict)
        {
            throw context.MissingMember(Span, Target.Describe(), Name);
        }

        return null;
    }

    public override void Assign(TemplateContext context, object? value)
    {
        var target = Target.Evaluate(context);
        switch (target)
        {
            case null:
                throw context.Error(Span, $"Cannot set the member {Describe()} of a null object.");
            case ScriptObject o:
                if (o.IsReadOnlyMember(Name))
                {
                    throw context.Error(Span, $"Cannot set a value for the readonly member: {Describe()}");
                }

                o.SetValue(Name, value);
                return;
            case ScriptArray a:
                a.Properties.SetValue(Name, value);
                return;
        }

        if (!context.Members.AllowWrites)
        {
            throw context.Error(Span, HostObjectIsReadOnly(Describe()));
        }

        switch (target)
        {
            case IDictionary<string, object?> d:
                d[Name] = value;
                return;
            case IDictionary nd:
                nd[Name] = value;
                return;
            default:
                if (MemberAccessor.GetAccessor(target.GetType(), context.Members).TrySet(target, Name, value))
                {
                    return;
                }

                throw context.Error(Span, $"Cannot set the member {Describe()}: the object does not have a writable member `{Name}`.");
        }
    }

    /// <summary>The error for an assignment to a member or item of a host object while <see cref="UnsafeHostAccess.WriteHostObjects"/> is off.</summary>
    internal static string HostObjectIsReadOnly(string target) =>
        $"Cannot set {target}: the model and other host objects are read-only to templates. Assign a template variable instead (e.g. `email = ...`), or let the host opt in with TemplateOptions.UnsafeHostAccess = WriteHostObjects.";

    public override string Describe() => Target.Describe() + (NullConditional ? "?." : ".") + Name;
}
