using System.Buffers;
using System.Text;
using Personalize.Templates.Rendering;
using Personalize.Templates.Runtime;
using Personalize.Templates.Syntax;

namespace Personalize.Templates;

/// <summary>
/// A parsed template: parse once (never throws on bad syntax, see <see cref="Diagnostics"/>), render many times,
/// concurrently from any number of threads. Render to a <see cref="string"/>, a <see cref="TextWriter"/>, or UTF-8
/// straight into an <see cref="IBufferWriter{T}"/>.
/// </summary>
/// <example>
/// <code>
/// var template = Template.Parse("Hello {{ name }}!");
/// string text = template.Render(new { Name = "Ada" }); // "Hello Ada!"
/// </code>
/// </example>
public sealed class Template
{
    private const int MaxCachedBuilderCapacity = 256 * 1024;

    [ThreadStatic]
    private static StringBuilder? t_builder;

    private readonly ScriptBlock _body;
    private readonly SourceText _source;

    private Template(SourceText source, ScriptBlock body, IReadOnlyList<TemplateDiagnostic> diagnostics, TemplateOptions options)
    {
        _source = source;
        _body = body;
        Diagnostics = diagnostics;
        Options = options;
        HasErrors = diagnostics.Any(d => d.Severity == TemplateDiagnosticSeverity.Error);
    }

    /// <summary>Gets the problems found while parsing (empty when the template is fine).</summary>
    public IReadOnlyList<TemplateDiagnostic> Diagnostics { get; }

    /// <summary>Gets whether any diagnostic is an error; such a template cannot be rendered.</summary>
    public bool HasErrors { get; }

    /// <summary>Gets the options the template was parsed with (they also govern its renders).</summary>
    public TemplateOptions Options { get; }

    /// <summary>Gets the template source.</summary>
    public string Source => _source.Text;

    internal ScriptBlock Body => _body;

    /// <summary>
    /// Lists the templates this one includes or renders (Scriban <c>include</c>, Liquid <c>include</c> and <c>render</c>, also inside
    /// loops, functions and Liquid's <c>{% liquid %}</c> tag), in source order, read from the syntax tree: text inside <c>raw</c>
    /// blocks and comments is not a reference. A name computed at render time is listed as <see cref="TemplateReference.IsDynamic"/>.
    /// Nested includes are not followed (parse the listed templates to walk further).
    /// </summary>
    /// <returns>The references; empty for a template with errors.</returns>
    /// <example>
    /// <code>
    /// var template = Template.Parse("{{ include 'header' }}{{ for p in products }}{{ include 'row-' + p.kind }}{{ end }}");
    /// // header (a literal name), then 'row-' + p.kind (dynamic: IsDynamic is true, Name is null)
    /// foreach (var reference in template.GetReferencedTemplates()) { Console.WriteLine(reference.Name ?? reference.Expression); }
    /// </code>
    /// </example>
    public IReadOnlyList<TemplateReference> GetReferencedTemplates() => HasErrors ? [] : TemplateReferenceWalker.Collect(_body, _source.Text);

    /// <summary>Parses a template. Never throws on bad syntax: check <see cref="HasErrors"/> and <see cref="Diagnostics"/>.</summary>
    /// <param name="source">The template text.</param>
    /// <param name="options">Syntax, limits, naming and globals; <see cref="TemplateOptions.Default"/> when null.</param>
    /// <returns>The parsed template.</returns>
    public static Template Parse(string source, TemplateOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        options ??= TemplateOptions.Default;
        if (options.Globals is { IsFrozen: false } globals)
        {
            // Concurrent renders share the globals: the template keeps a frozen copy, so the host's object stays writable
            // (later changes to it are not seen by this template; parse again to pick them up).
            options = options with { Globals = globals.ToFrozen() };
        }

        var text = new SourceText(source, options.SourceName);
        var diagnostics = new DiagnosticBag(text);
        if (source.Length > options.Limits.MaxSourceLength)
        {
            diagnostics.Error(0, 0, $"The template has {source.Length} characters; the limit is {options.Limits.MaxSourceLength} (TemplateLimits.MaxSourceLength).");
            return new Template(text, new ScriptBlock(Array.Empty<ScriptStatement>()), diagnostics.Items, options);
        }

        ScriptBlock body;
        try
        {
            body = options.Syntax == TemplateSyntax.Liquid
                ? Liquid.LiquidParser.ParseTemplate(text, diagnostics, options)
                : Parser.ParseTemplate(text, diagnostics, options);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Parsing never throws: a bug in the parser becomes an error diagnostic (and a fuzz-test failure).
            diagnostics.Internal(ex);
            body = new ScriptBlock(Array.Empty<ScriptStatement>());
        }

        return new Template(text, body, diagnostics.Items, options);
    }

    /// <summary>Parses a template and throws when it has errors; the exception shows each offending source line with a caret.</summary>
    /// <param name="source">The template text.</param>
    /// <param name="options">Syntax, limits, naming and globals.</param>
    /// <returns>The parsed template.</returns>
    /// <exception cref="TemplateParseException">The template has syntax errors.</exception>
    public static Template ParseOrThrow(string source, TemplateOptions? options = null)
    {
        var template = Parse(source, options);
        if (template.HasErrors)
        {
            throw new TemplateParseException(template.Diagnostics, template._source.LineText);
        }

        return template;
    }

    /// <summary>Renders the template to a string.</summary>
    /// <param name="model">The data: a POCO, dictionary, <see cref="ScriptObject"/>, <c>JsonElement</c> or <c>JsonNode</c>; its members become the template's globals.</param>
    /// <param name="options">Culture, clock, cancellation, extra globals.</param>
    /// <returns>The output.</returns>
    /// <exception cref="TemplateParseException">The template has syntax errors.</exception>
    /// <exception cref="TemplateRuntimeException">Rendering failed (bad data for an operation, a limit, …).</exception>
    public string Render(object? model = null, RenderOptions? options = null)
    {
        var builder = t_builder ?? new StringBuilder(1024);
        t_builder = null;
        try
        {
            Run(model, options, new StringBuilderOutput(builder));
            return builder.ToString();
        }
        finally
        {
            if (builder.Capacity <= MaxCachedBuilderCapacity)
            {
                builder.Clear();
                t_builder = builder;
            }
        }
    }

    /// <summary>Renders the template into a <see cref="TextWriter"/> (named <c>RenderTo</c> so that <c>Render(null)</c> stays the string overload).</summary>
    /// <param name="writer">Where the output goes.</param>
    /// <param name="model">The data.</param>
    /// <param name="options">Culture, clock, cancellation, extra globals.</param>
    public void RenderTo(TextWriter writer, object? model = null, RenderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        Run(model, options, new TextWriterOutput(writer));
    }

    /// <summary>Renders the template as UTF-8 straight into <paramref name="writer"/> (the high-volume path: no intermediate strings for literal text).</summary>
    /// <param name="writer">Where the UTF-8 bytes go.</param>
    /// <param name="model">The data.</param>
    /// <param name="options">Culture, clock, cancellation, extra globals.</param>
    /// <remarks>
    /// The render writes into the span the writer hands out and advances the writer in chunks, so the writer's
    /// contents are complete only when this method returns (also when it throws). Do not write to the same
    /// <paramref name="writer"/> from a host function while this render is running; render nested output into a
    /// writer of its own (or use <c>include</c> / <c>capture</c>).
    /// </remarks>
    public void RenderUtf8(IBufferWriter<byte> writer, object? model = null, RenderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var output = Utf8BufferOutput.Rent(writer);
        try
        {
            Run(model, options, output);
        }
        finally
        {
            Utf8BufferOutput.Return(output);
        }
    }

    private void Run(object? model, RenderOptions? options, TemplateOutput output)
    {
        if (HasErrors)
        {
            throw new TemplateParseException(Diagnostics, _source.LineText);
        }

        var context = TemplateContext.Rent();
        try
        {
            context.Run(_body, model, options ?? RenderOptions.Default, Options, output);
        }
        finally
        {
            TemplateContext.Return(context);
        }
    }
}
