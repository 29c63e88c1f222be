using Personalize.Templates.Runtime;

namespace Personalize.Templates;

/// <summary>How a template is parsed and what it may use when it renders. Immutable; use <c>with</c> for variants.</summary>
public sealed record TemplateOptions
{
    /// <summary>Gets the default options.</summary>
    public static TemplateOptions Default { get; } = new();

    /// <summary>Gets the source language.</summary>
    /// <value>The default value is <see cref="TemplateSyntax.Scriban"/>.</value>
    public TemplateSyntax Syntax { get; init; } = TemplateSyntax.Scriban;

    /// <summary>
    /// Gets whether Scriban's scientific mode is on: <c>^</c> is power, <c>|</c> and <c>&amp;</c> are binary operators (union and
    /// intersection on arrays) and <c>|&gt;</c> is the pipe. Implicit multiplication (<c>2x</c>) is not supported.
    /// </summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool Scientific { get; init; }

    /// <summary>Gets the name used for the template in diagnostics and errors.</summary>
    /// <value>The default value is <c>"template"</c>.</value>
    public string SourceName { get; init; } = "template";

    /// <summary>Gets how .NET member names (model properties, imported methods) appear to templates.</summary>
    /// <value>The default value is <see cref="MemberRenamers.SnakeCase"/> (<c>FirstName</c> → <c>first_name</c>), like Scriban.</value>
    public Func<string, string> MemberRenamer { get; init; } = MemberRenamers.SnakeCase;

    /// <summary>Gets the sandbox limits.</summary>
    /// <value>The default value is <see cref="TemplateLimits.Default"/>.</value>
    public TemplateLimits Limits { get; init; } = TemplateLimits.Default;

    /// <summary>Gets whether reading an undefined variable is a render error instead of <see langword="null"/>.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool StrictVariables { get; init; }

    /// <summary>Gets the loader that <c>include "name"</c> reads templates from; without one, <c>include</c> is a render error.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public ITemplateLoader? Loader { get; init; }

    /// <summary>
    /// Gets host globals and functions visible to every render (below the model, above the builtins).
    /// Build it once at start-up: parsing a template with these options freezes it (<see cref="ScriptObject.Freeze"/>),
    /// because concurrent renders share it.
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public ScriptObject? Globals { get; init; }
}
