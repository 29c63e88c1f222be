using Personalize.Templates.Runtime;

namespace Personalize.Templates.Syntax;

/// <summary>A global/property variable such as <c>name</c>, resolved through the scope stack.</summary>
internal sealed class GlobalVariable : ScriptAssignable
{
    private readonly ulong _mask;

    public GlobalVariable(string name)
    {
        Name = name;
        _mask = ScriptObject.MaskOf(name);
    }

    public string Name { get; }

    public override object? Evaluate(TemplateContext context) => CallIfFunction(context, context.GetGlobal(Name, _mask, Span), Span);

    public override object? EvaluateRaw(TemplateContext context) => context.GetGlobal(Name, _mask, Span);

    public override void Assign(TemplateContext context, object? value) => context.SetGlobal(Name, value, Span);

    public override string Describe() => Name;
}
