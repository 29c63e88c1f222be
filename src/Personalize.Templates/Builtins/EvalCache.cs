using System.Collections.Concurrent;
using Personalize.Templates.Runtime;
using Personalize.Templates.Syntax;

namespace Personalize.Templates.Builtins;

/// <summary>
/// Parsed forms of the strings given to <c>object.eval</c> and <c>object.eval_template</c>, so that a template evaluating
/// the same text for every recipient parses it once. Bounded: the cache is emptied when it holds too many entries.
/// </summary>
internal static class EvalCache
{
    private const int MaxEntries = 256;
    private static readonly ConcurrentDictionary<Key, ScriptNode> Cache = new();

    /// <summary>The text of <c>object.eval</c> parsed as code: statements without <c>{{ }}</c>.</summary>
    public static ScriptBlock GetCode(TemplateContext context, string source) =>
        (ScriptBlock)Get(context, source, expression: true);

    public static ScriptBlock GetTemplate(TemplateContext context, string source) =>
        (ScriptBlock)Get(context, source, expression: false);

    private static ScriptNode Get(TemplateContext context, string source, bool expression)
    {
        var options = context.Options;
        var key = new Key(source, expression, options.Syntax, options.Scientific, options.Limits.MaxParseDepth, options.Limits.MaxSourceLength);
        if (Cache.TryGetValue(key, out var cached))
        {
            return cached;
        }

        var function = expression ? "object.eval" : "object.eval_template";
        if (source.Length > options.Limits.MaxSourceLength)
        {
            throw new TemplateLimitExceededException(
                nameof(TemplateLimits.MaxSourceLength),
                options.Limits.MaxSourceLength,
                $"`{function}` was given {source.Length} characters; the limit is {options.Limits.MaxSourceLength} (TemplateLimits.MaxSourceLength).",
                context.CurrentSpan,
                context.SourceName);
        }

        ScriptNode node;
        IReadOnlyList<TemplateDiagnostic> diagnostics;
        if (expression)
        {
            var text = new SourceText(source, function);
            var bag = new DiagnosticBag(text);
            node = Parser.ParseCode(text, bag, options);
            diagnostics = bag.Items;
        }
        else
        {
            var template = Template.Parse(source, options with { SourceName = function });
            diagnostics = template.Diagnostics;
            node = template.Body;
        }

        foreach (var diagnostic in diagnostics)
        {
            if (diagnostic.Severity == TemplateDiagnosticSeverity.Error)
            {
                throw context.Error($"`{function}` could not parse its text: {diagnostic}");
            }
        }

        if (Cache.Count >= MaxEntries)
        {
            Cache.Clear();
        }

        Cache.TryAdd(key, node);
        return node;
    }

    private readonly record struct Key(string Source, bool Expression, TemplateSyntax Syntax, bool Scientific, int MaxParseDepth, int MaxSourceLength);
}
