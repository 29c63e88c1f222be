using System.Diagnostics.CodeAnalysis;
using System.Linq.Expressions;
using System.Runtime.CompilerServices;
using Personalize.Templates.Runtime;
using Personalize.Templates.Syntax;

namespace Personalize.Templates.Liquid;

/// <summary>
/// A Liquid chain of two or more member and literal-index steps on a variable (<c>question.answer_links[0].keyword</c>),
/// bound once per site and model type: the variable is looked up as always (so what a template assigns still wins), and
/// when its value is the plain .NET type the chain saw before, the steps run as one compiled getter instead of a node,
/// a site check and a normalization each. The getter checks the exact type at every step; a nil on the way is nil (as
/// each step would give), and anything else it was not bound for (another type, a dictionary, JSON) falls back to the
/// steps one by one from the variable's value, exactly as the nodes read it. Binding compiles once per site and model
/// type (at most <see cref="MaxBinds"/> attempts per site), never per recipient; without dynamic code nothing is bound.
/// A benign race: the binding is immutable and replaced whole.
/// </summary>
/// <remarks>
/// Only steps over plain .NET objects bind (types read through their properties, not dictionaries, sequences, JSON or
/// script objects), index steps only on arrays of references, and the last step only when it reads a reference (a
/// value type keeps the node's unboxed and cached-box paths). After a fallback the getters of the steps before it are
/// read once more, as a template reading the chain twice would.
/// </remarks>
internal sealed class LiquidMemberChain
{
    /// <summary>How many times a site tries to bind (another model type, or a nil on the way) before it stops trying.</summary>
    internal const int MaxBinds = 8;

    private readonly LiquidVariableExpression _root;
    private readonly ScriptExpression[] _steps;
    private Binding? _binding;
    private int _attempts;

    private LiquidMemberChain(LiquidVariableExpression root, ScriptExpression[] steps)
    {
        _root = root;
        _steps = steps;
    }

    /// <summary>
    /// The chain ending at <paramref name="last"/> (a member or literal index whose targets down to a variable are all
    /// members or literal indexes), or null when it is not one or has fewer than two steps.
    /// </summary>
    internal static LiquidMemberChain? Of(ScriptExpression last, ScriptExpression target)
    {
        var steps = new List<ScriptExpression> { last };
        var current = target;
        while (true)
        {
            switch (current)
            {
                case LiquidMemberExpression member:
                    steps.Add(member);
                    current = member.Target;
                    continue;
                case LiquidIndexExpression { LiteralPosition: not null } index:
                    steps.Add(index);
                    current = index.Target;
                    continue;
                case LiquidVariableExpression root when steps.Count >= 2:
                    steps.Reverse();
                    return new LiquidMemberChain(root, [.. steps]);
                default:
                    return null;
            }
        }
    }

    /// <summary>
    /// Evaluates the chain: true with <paramref name="value"/> when the bound getter read it; otherwise false with
    /// <paramref name="lastTarget"/>, the value of every step but the last, for the last node to read as it always does.
    /// </summary>
    internal bool TryEvaluate(TemplateContext context, out object? value, out object? lastTarget)
    {
        var raw = _root.Lookup(context);
        var binding = _binding;
        object? root;
        if (raw is not null && binding?.Getter is { } getter && binding.Handle.Equals(Type.GetTypeHandle(raw)) && ReferenceEquals(binding.Policy, context.Members))
        {
            // A type the chain compiled a getter for is a plain object or an array of references: never a function to
            // call or a value to normalize, so the raw value is the variable's value.
            var read = getter(raw);
            if (!ReferenceEquals(read, MemberAccessor.Miss))
            {
                value = ScriptValue.Normalize(read);
                lastTarget = null;
                return true;
            }

            root = raw;
        }
        else
        {
            root = _root.Finish(context, raw);
            if (root is not null && !(binding is not null && binding.Handle.Equals(Type.GetTypeHandle(root)) && ReferenceEquals(binding.Policy, context.Members))
                && _attempts < MaxBinds && RuntimeFeature.IsDynamicCodeSupported && RuntimeFeature.IsDynamicCodeCompiled)
            {
                return Bind(context, root, out value, out lastTarget);
            }
        }

        lastTarget = Walk(context, root, _steps.Length - 1);
        value = null;
        return false;
    }

    /// <summary>Every step but the last from <paramref name="root"/> on, noting the type each read (then binds).</summary>
    private bool Bind(TemplateContext context, object root, out object? value, out object? lastTarget)
    {
        _attempts++;
        var types = new Type?[_steps.Length];
        var target = root;
        for (var i = 0; i < _steps.Length - 1; i++)
        {
            types[i] = target?.GetType();
            target = Step(context, _steps[i], target);
        }

        types[^1] = target?.GetType();
        if (Array.IndexOf(types, null) < 0)
        {
            // A nil on the way says nothing about the types: try again on a later render.
            _binding = new Binding(Type.GetTypeHandle(root), context.Members, Compile(types!, context.Members));
        }

        value = null;
        lastTarget = target;
        return false;
    }

    private object? Walk(TemplateContext context, object? target, int steps)
    {
        for (var i = 0; i < steps; i++)
        {
            target = Step(context, _steps[i], target);
        }

        return target;
    }

    private static object? Step(TemplateContext context, ScriptExpression step, object? target) => step is LiquidMemberExpression member
        ? member.FromTarget(context, target)
        : ((LiquidIndexExpression)step).FromTarget(context, target);

    /// <summary>The getter of the whole chain for targets of exactly <paramref name="types"/>, or null when a step cannot bind.</summary>
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "Compiled only when dynamic code is supported (checked by the caller).")]
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "The properties are the ones the member accessor already reads.")]
    private Func<object, object?>? Compile(Type[] types, MemberPolicy policy)
    {
        var parameter = Expression.Parameter(typeof(object), "root");
        var result = Expression.Label(typeof(object), "result");
        var miss = Expression.Constant(MemberAccessor.Miss, typeof(object));
        var body = new List<Expression>();
        var variables = new List<ParameterExpression>();
        Expression current = parameter;
        for (var i = 0; i < _steps.Length; i++)
        {
            var type = types[i];
            if (type.IsValueType || typeof(ScriptObject).IsAssignableFrom(type) || typeof(IScriptFunction).IsAssignableFrom(type))
            {
                return null;
            }

            if (i > 0)
            {
                // A nil on the way is nil (a member or item of nil is nil).
                body.Add(Expression.IfThen(Expression.ReferenceEqual(current, Expression.Constant(null, typeof(object))), Expression.Return(result, Expression.Constant(null, typeof(object)))));
            }

            body.Add(Expression.IfThen(Expression.Not(Expression.TypeEqual(current, type)), Expression.Return(result, miss)));
            var typed = Expression.Variable(type);
            variables.Add(typed);
            body.Add(Expression.Assign(typed, Expression.Convert(current, type)));
            Expression read;
            if (_steps[i] is LiquidMemberExpression member)
            {
                var accessor = MemberAccessor.GetAccessor(type, policy);
                if (!accessor.IsPlainObject || accessor.CompiledProperty(member.Name) is not { } property
                    || (i == _steps.Length - 1 && property.PropertyType.IsValueType))
                {
                    return null;
                }

                read = Expression.Convert(Expression.Property(typed, property), typeof(object));
            }
            else
            {
                // An item of an array of references, as the index node reads it (negative counts from the end; out of range is nil).
                if (!type.IsSZArray || type.GetElementType()!.IsValueType)
                {
                    return null;
                }

                var position = ((LiquidIndexExpression)_steps[i]).LiteralPosition!.Value;
                var length = Expression.ArrayLength(typed);
                var at = Expression.Variable(typeof(int));
                variables.Add(at);
                body.Add(Expression.Assign(at, position < 0 ? Expression.Add(Expression.Constant(position), length) : Expression.Constant(position)));
                read = Expression.Condition(
                    Expression.AndAlso(Expression.GreaterThanOrEqual(at, Expression.Constant(0)), Expression.LessThan(at, length)),
                    Expression.Convert(Expression.ArrayIndex(typed, at), typeof(object)),
                    Expression.Constant(null, typeof(object)));
            }

            var next = Expression.Variable(typeof(object));
            variables.Add(next);
            body.Add(Expression.Assign(next, read));
            current = next;
        }

        body.Add(Expression.Label(result, current));
        try
        {
            return Expression.Lambda<Func<object, object?>>(Expression.Block(variables, body), parameter).Compile();
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or NotSupportedException)
        {
            return null;
        }
    }

    /// <summary>The chain bound for one model type and member policy; a null getter: that type does not bind (read step by step).</summary>
    private sealed record Binding(RuntimeTypeHandle Handle, MemberPolicy Policy, Func<object, object?>? Getter);
}
