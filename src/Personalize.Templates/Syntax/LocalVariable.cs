using Personalize.Templates.Runtime;

namespace Personalize.Templates.Syntax;

/// <summary>A local variable such as <c>$name</c> (function or template body scope).</summary>
internal sealed class LocalVariable : ScriptAssignable
{
    public LocalVariable(string name) => Name = name;

    /// <summary>Gets the name without the <c>$</c>.</summary>
    public string Name { get; }

    public override object? Evaluate(TemplateContext context) => CallIfFunction(context, EvaluateRaw(context), Span);

    public override object? EvaluateRaw(TemplateContext context)
    {
        if (context.CurrentFrame.TryGet(Name, out var value))
        {
            return value;
        }

        if (context.IsStrict)
        {
            throw context.Error(Span, $"The local variable `${Name}` was not found. Assign it before use (strict variables mode).");
        }

        return null;
    }

    public override void Assign(TemplateContext context, object? value) => context.CurrentFrame.Set(Name, value);

    public override string Describe() => "$" + Name;
}
