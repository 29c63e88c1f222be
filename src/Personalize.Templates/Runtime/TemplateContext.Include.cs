namespace Personalize.Templates.Runtime;

public sealed partial class TemplateContext
{
    internal object? Include(ScriptArguments arguments)
    {
        if (Options.Loader is null)
        {
            throw Error("`include` needs a template loader: set TemplateOptions.Loader.");
        }

        throw Error("`include` is not available yet.");
    }
}
