using Personalize.Templates.Runtime;

namespace Personalize.Templates.Liquid;

/// <summary>
/// One Liquid filter: the piped input is argument 0, the filter's own arguments follow. The parser checks the argument count
/// against <see cref="MinArguments"/>/<see cref="MaxArguments"/>, so a bad call is a parse diagnostic, not a render error.
/// </summary>
internal sealed class LiquidFilter : IScriptFunction
{
    private readonly Func<TemplateContext, ScriptArguments, object?> _body;

    public LiquidFilter(string name, int minArguments, int maxArguments, string usage, Func<TemplateContext, ScriptArguments, object?> body)
    {
        Name = name;
        MinArguments = minArguments;
        MaxArguments = maxArguments;
        Usage = usage;
        _body = body;
    }

    public string Name { get; }

    /// <summary>Gets the fewest arguments after the colon.</summary>
    public int MinArguments { get; }

    /// <summary>Gets the most arguments after the colon.</summary>
    public int MaxArguments { get; }

    /// <summary>Gets an example call shown in diagnostics (<c>truncate: 20, "…"</c>).</summary>
    public string Usage { get; }

    public object? Invoke(TemplateContext context, ScriptArguments arguments) => _body(context, arguments);
}
