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

    /// <summary>
    /// Gets a filter that narrows which public properties and fields of host (.NET) objects templates can read: a member
    /// is visible when it passes the built-in deny-list (unless <see cref="UnsafeHostAccess.ReadDeniedMembers"/>) and this
    /// filter returns <see langword="true"/> for it. Called once per type and member (results are cached), never per render.
    /// </summary>
    /// <value>The default value is <see langword="null"/> (only the deny-list applies).</value>
    /// <remarks>
    /// The deny-list hides members of, and members whose type is: <c>System.Type</c> and everything in
    /// <c>System.Reflection</c>, delegates, exceptions, <c>System.IO</c> (streams, files, folders), <c>System.Diagnostics</c>,
    /// <c>System.Threading</c> (tasks, threads), <c>System.Net</c>, <c>System.Security</c>, <c>System.Runtime.*</c> interop and
    /// loading, <c>AppDomain</c>, <c>IServiceProvider</c>, <c>MarshalByRefObject</c>, pointers and handles, and the engine's own
    /// objects (functions, loaders, options). A value of such a type prints as empty text. See docs/security.md.
    /// </remarks>
    public Func<System.Reflection.MemberInfo, bool>? MemberFilter { get; init; }

    /// <summary>
    /// Gets what templates may do with host objects beyond reading the members the deny-list and <see cref="MemberFilter"/>
    /// let through. Every flag is an explicit opt-in that widens what an untrusted template can reach.
    /// </summary>
    /// <value>The default value is <see cref="UnsafeHostAccess.None"/>: host objects are read-only and the deny-list applies.</value>
    public UnsafeHostAccess UnsafeHostAccess { get; init; }

    /// <summary>
    /// Gets whether reading an undefined variable or a missing member (<c>customer.first_name</c> when the customer has none)
    /// is a render error instead of <see langword="null"/>. The left side of <c>??</c>/<c>?!</c>, <c>?.</c> and <c>if</c>
    /// conditions stay lenient. A render can also switch it on with <see cref="RenderOptions.StrictVariables"/>.
    /// </summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool StrictVariables { get; init; }

    /// <summary>Gets the loader that <c>include "name"</c> reads templates from; without one, <c>include</c> is a render error.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public ITemplateLoader? Loader { get; init; }

    /// <summary>
    /// Gets host globals and functions visible to every render (below the model, above the builtins).
    /// Concurrent renders share them, so <see cref="Template.Parse"/> keeps a frozen copy (<see cref="ScriptObject.Freeze"/>) in
    /// <see cref="Template.Options"/>: the host's own object stays writable, and changes made to it after parsing are not seen by
    /// that template (parse again). An object that is already frozen is used as it is, without a copy.
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public ScriptObject? Globals { get; init; }
}
