using Personalize.Templates.Runtime;

namespace Personalize.Templates.Syntax;

/// <summary><c>$</c> (all arguments, named ones as properties) or <c>$0</c>…<c>$n</c> (one argument).</summary>
internal sealed class ArgumentsVariable : ScriptAssignable
{
    public ArgumentsVariable(int index) => Index = index;

    /// <summary>Gets the argument index, or -1 for <c>$</c>.</summary>
    public int Index { get; }

    public override object? Evaluate(TemplateContext context) => Index < 0 ? EvaluateRaw(context) : CallIfFunction(context, EvaluateRaw(context), Span);

    public override object? EvaluateRaw(TemplateContext context)
    {
        var arguments = context.CurrentFrame.Arguments;
        if (Index < 0)
        {
            return arguments ??= context.CurrentFrame.Arguments = new ScriptArray();
        }

        return arguments?[Index];
    }

    public override void Assign(TemplateContext context, object? value)
    {
        if (Index < 0)
        {
            throw context.Error(Span, "Cannot assign the arguments variable `$`.");
        }

        (context.CurrentFrame.Arguments ??= new ScriptArray())[Index] = value;
    }

    public override string Describe() => Index < 0 ? "$" : "$" + Index;
}
