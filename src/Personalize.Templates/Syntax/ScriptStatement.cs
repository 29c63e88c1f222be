using System.Runtime.CompilerServices;
using Personalize.Templates.Runtime;

namespace Personalize.Templates.Syntax;

internal abstract class ScriptStatement : ScriptNode
{
    public abstract void Execute(TemplateContext context);

    /// <summary>
    /// Settles the control flow after one iteration of a Scriban loop body: <c>break</c> and <c>continue</c> are consumed
    /// (reset to <see cref="ControlFlow.None"/>); <c>break</c> and <c>return</c> end the loop.
    /// </summary>
    /// <returns><see langword="true"/> when the loop must stop.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected static bool EndIteration(TemplateContext context)
    {
        switch (context.Flow)
        {
            case ControlFlow.None:
                return false;
            case ControlFlow.Break:
                context.Flow = ControlFlow.None;
                return true;
            case ControlFlow.Continue:
                context.Flow = ControlFlow.None;
                return false;
            default:
                return true;
        }
    }
}
