using Personalize.Templates.Liquid;

namespace Personalize.Templates.Syntax;

/// <summary>
/// Walks a parsed template's syntax tree and lists the templates it includes or renders (<see cref="Template.GetReferencedTemplates"/>).
/// It sees what the parsers built: includes anywhere in the tree (loops, functions, captures, Liquid's <c>{% liquid %}</c> lines),
/// and never text inside <c>raw</c> blocks or comments, which are not syntax. Iterative, so a deeply nested template cannot
/// overflow the stack.
/// </summary>
internal static class TemplateReferenceWalker
{
    /// <summary>The builtin function <c>include</c> (read-only in the globals, so a template cannot rebind the name).</summary>
    private const string IncludeName = "include";

    public static IReadOnlyList<TemplateReference> Collect(ScriptBlock body, string source)
    {
        var found = new List<TemplateReference>();
        var pending = new Stack<ScriptNode>();
        pending.Push(body);
        while (pending.Count > 0)
        {
            var node = pending.Pop();
            switch (node)
            {
                case LiquidIncludeStatement liquid:
                    found.Add(Reference(source, liquid.Name, liquid.Isolated ? TemplateReferenceKind.Render : TemplateReferenceKind.Include, liquid.Span));
                    break;
                case CallExpression { Target: GlobalVariable { Name: IncludeName } } call:
                    // `include name args…`; a call with no argument fails at render time and names no template.
                    if (call.Arguments.Length > 0 && call.Arguments[0].Name is null)
                    {
                        found.Add(Reference(source, call.Arguments[0].Value, TemplateReferenceKind.Include, call.Span));
                    }

                    break;
                case PipeExpression { Right: GlobalVariable { Name: IncludeName } or CallExpression { Target: GlobalVariable { Name: IncludeName } } } pipe:
                    // `"name" | include args…`: the piped value is the name. The right side is not walked again (it is the include itself).
                    found.Add(Reference(source, pipe.Left, TemplateReferenceKind.Include, pipe.Span));
                    if (pipe.Right is CallExpression piped)
                    {
                        foreach (var argument in piped.Arguments)
                        {
                            pending.Push(argument.Value);
                        }
                    }

                    pending.Push(pipe.Left);
                    continue;
            }

            foreach (var child in node.Children)
            {
                if (child is not null)
                {
                    pending.Push(child);
                }
            }
        }

        found.Sort(static (a, b) => a.Span.Start.CompareTo(b.Span.Start));
        return found;
    }

    private static TemplateReference Reference(string source, ScriptExpression name, TemplateReferenceKind kind, SourceSpan span)
    {
        var written = name.Span.Length > 0 && name.Span.Start + name.Span.Length <= source.Length ? source.Substring(name.Span.Start, name.Span.Length).Trim() : name.Describe();
        return new TemplateReference(name is LiteralExpression { Value: string literal } ? literal : null, written, kind, span);
    }
}
