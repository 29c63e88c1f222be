using Personalize.Templates.Runtime;
using Personalize.Templates.Syntax;

namespace Personalize.Templates.Liquid;

/// <summary>
/// The variable an <c>assign</c> or <c>capture</c> sets: always in the template's own scope (<see cref="TemplateContext.LiquidAssignScope"/>),
/// also from inside an <c>include</c>, whose arguments keep shadowing it there — Shopify's rule.
/// </summary>
internal sealed class LiquidAssignTarget : ScriptAssignable
{
    public LiquidAssignTarget(string name) => Name = name;

    public string Name { get; }

    public override object? Evaluate(TemplateContext context) => context.LiquidAssignScope.TryGetValue(Name, out var value) ? value : null;

    public override void Assign(TemplateContext context, object? value) => context.LiquidAssignScope.SetValue(Name, value);

    public override string Describe() => Name;
}
