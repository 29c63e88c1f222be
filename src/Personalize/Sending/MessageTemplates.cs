using Personalize.Catalog;
using Personalize.Channels;
using Personalize.Templates;

namespace Personalize.Sending;

/// <summary>
/// Compiles the content templates a catalog references, once per catalog. A channel's reference
/// <c>welcome/email</c> names one file per part: <c>welcome/email.subject.sbn</c>, <c>welcome/email.text.sbn</c>, …
/// (<c>.sbn</c> is Scriban syntax, <c>.liquid</c> Liquid). The parts per channel (* = required):
/// email <c>subject</c>*, <c>preheader</c>, <c>html</c>, <c>text</c>*, <c>from</c> (sender display name),
/// <c>reply_to</c>, <c>headers</c> (<c>Name: value</c> lines); sms <c>body</c>*; push <c>title</c>*, <c>body</c>*,
/// <c>link</c>, <c>data</c> (<c>key: value</c> lines); in_app <c>title</c>*, <c>body</c>*, <c>link</c>, <c>action</c>
/// (the button label); direct_mail <c>body</c>*; phone <c>greeting</c>*, <c>points</c>* (one talking point per line),
/// <c>question</c>; host channels <c>body</c>*.
/// </summary>
public static class MessageTemplates
{
    /// <summary>The file extension of templates in Scriban syntax.</summary>
    public const string ScribanExtension = ".sbn";

    /// <summary>The file extension of templates in Liquid syntax.</summary>
    public const string LiquidExtension = ".liquid";

    /// <summary>
    /// Compiles every template part the catalog references. Never throws on bad templates: every missing part,
    /// ambiguous file and parse error is in <see cref="CompiledTemplates.Diagnostics"/> with its file, line and column.
    /// </summary>
    /// <param name="catalog">The catalog whose channel contents name the templates.</param>
    /// <param name="loader">Loads template files (and the files they <c>include</c>); usually a <see cref="FolderTemplateLoader"/>.</param>
    /// <param name="limits">Sandbox limits for the templates; <see cref="TemplateLimits.Default"/> when null.</param>
    /// <returns>The compiled content.</returns>
    public static CompiledTemplates Compile(CompiledCatalog catalog, ITemplateLoader loader, TemplateLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(loader);
        limits ??= TemplateLimits.Default;
        var templates = new Dictionary<string, ChannelTemplate>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var diagnostics = new List<MessageTemplateDiagnostic>();
        var checkedIncludes = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var message in catalog.Source.Messages)
        {
            foreach (var content in message.Channels)
            {
                var reference = content.Template;
                if (!seen.Add(reference))
                {
                    continue;
                }

                var shape = ContentShapes.Of(content.Channel);
                var names = ContentShapes.PartsOf(shape);
                var parts = new Template?[names.Length];
                var ok = true;
                for (var i = 0; i < names.Length; i++)
                {
                    var part = names[i];
                    var baseName = reference + "." + part.Name;
                    var scribanName = baseName + ScribanExtension;
                    var liquidName = baseName + LiquidExtension;
                    var hasScriban = loader.TryLoad(scribanName, out var scriban);
                    var hasLiquid = loader.TryLoad(liquidName, out var liquid);
                    if (hasScriban && hasLiquid)
                    {
                        diagnostics.Add(new MessageTemplateDiagnostic(reference, part.Name, scribanName, 0, 0, $"Both {scribanName} and {liquidName} exist for part '{part.Name}' of '{reference}' (message '{message.Id}'); keep one."));
                        ok = false;
                        continue;
                    }

                    if (!hasScriban && !hasLiquid)
                    {
                        if (part.Required)
                        {
                            diagnostics.Add(new MessageTemplateDiagnostic(reference, part.Name, scribanName, 0, 0, $"Missing template: {content.Channel} content '{reference}' of message '{message.Id}' needs part '{part.Name}'; create {scribanName} (Scriban) or {liquidName} (Liquid)."));
                            ok = false;
                        }

                        continue;
                    }

                    var file = hasScriban ? scribanName : liquidName;
                    var options = new TemplateOptions
                    {
                        Syntax = hasScriban ? TemplateSyntax.Scriban : TemplateSyntax.Liquid,
                        SourceName = file,
                        Limits = limits,
                        Loader = loader,
                    };
                    var template = Template.Parse(hasScriban ? scriban : liquid, options);
                    if (template.HasErrors)
                    {
                        foreach (var d in template.Diagnostics)
                        {
                            if (d.Severity == TemplateDiagnosticSeverity.Error)
                            {
                                diagnostics.Add(new MessageTemplateDiagnostic(reference, part.Name, file, d.Line, d.Column, d.Message));
                            }
                        }

                        ok = false;
                        continue;
                    }

                    var before = diagnostics.Count;
                    CheckIncludes(reference, part.Name, file, template, loader, diagnostics, checkedIncludes, [file]);
                    if (diagnostics.Count > before)
                    {
                        ok = false;
                        continue;
                    }

                    parts[i] = template;
                }

                if (ok)
                {
                    templates[reference] = new ChannelTemplate(reference, content.Channel, shape, parts);
                }
            }
        }

        return new CompiledTemplates(templates, diagnostics);
    }

    /// <summary>
    /// Checks the templates a part includes by a literal name (<c>include "partials/footer.sbn"</c>,
    /// <c>{% include 'footer' %}</c>, <c>{% render 'footer' %}</c>, also inside <c>{% liquid %}</c>), as the engine lists them from
    /// the syntax tree (<see cref="Template.GetReferencedTemplates"/>: nothing inside <c>raw</c> or comments): each must exist and
    /// parse, so a missing partial is a compile-time error rather than a render error for every recipient. An include cycle (a
    /// template that includes itself, directly or through others) is an error too: every render would run into the recursion
    /// limit. Names computed at render time are not checked.
    /// </summary>
    private static void CheckIncludes(string reference, string part, string file, Template template, ITemplateLoader loader, List<MessageTemplateDiagnostic> diagnostics, Dictionary<string, bool> checkedIncludes, List<string> chain)
    {
        foreach (var include in template.GetReferencedTemplates())
        {
            if (include.Name is not { } name)
            {
                continue;
            }

            var start = chain.IndexOf(name);
            if (start >= 0)
            {
                var cycle = string.Join(" → ", chain.Skip(start).Append(name));
                Report(include, $"Include cycle: {cycle}. A template cannot include itself, directly or through other templates (every render would hit TemplateLimits.MaxRecursionDepth); repeat with a loop or a function instead.");
                continue;
            }

            if (checkedIncludes.TryGetValue(name, out var fine))
            {
                if (!fine)
                {
                    Report(include, $"The included template '{name}' is missing or has errors (see its own diagnostic).");
                }

                continue;
            }

            checkedIncludes[name] = true;
            if (!loader.TryLoad(name, out var source))
            {
                checkedIncludes[name] = false;
                Report(include, $"The included template '{name}' does not exist; create it next to the other templates or fix the name.");
                continue;
            }

            var included = Template.Parse(source, template.Options with { SourceName = name });
            if (included.HasErrors)
            {
                checkedIncludes[name] = false;
                foreach (var d in included.Diagnostics)
                {
                    if (d.Severity == TemplateDiagnosticSeverity.Error)
                    {
                        diagnostics.Add(new MessageTemplateDiagnostic(reference, part, name, d.Line, d.Column, d.Message));
                    }
                }

                continue;
            }

            var before = diagnostics.Count;
            chain.Add(name);
            CheckIncludes(reference, part, name, included, loader, diagnostics, checkedIncludes, chain);
            chain.RemoveAt(chain.Count - 1);
            checkedIncludes[name] = diagnostics.Count == before;
        }

        void Report(TemplateReference include, string message) =>
            diagnostics.Add(new MessageTemplateDiagnostic(reference, part, file, include.Span.Line, include.Span.Column, message));
    }

    /// <summary>Compiles like <see cref="Compile"/> and throws when any template is missing or does not parse.</summary>
    /// <param name="catalog">The catalog.</param>
    /// <param name="loader">The template loader.</param>
    /// <param name="limits">Sandbox limits.</param>
    /// <returns>The compiled content.</returns>
    /// <exception cref="MessageTemplateException">Lists every problem with file, line and column.</exception>
    public static CompiledTemplates CompileOrThrow(CompiledCatalog catalog, ITemplateLoader loader, TemplateLimits? limits = null)
    {
        var content = Compile(catalog, loader, limits);
        content.ThrowIfErrors();
        return content;
    }
}
