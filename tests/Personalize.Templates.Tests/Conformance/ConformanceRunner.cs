using System.Text.Json;
using System.Text.Json.Nodes;
using Personalize.Templates.Runtime;

namespace Personalize.Templates.Tests.Conformance;

/// <summary>Runs corpus cases by the rules of <c>shared/conformance/README.md</c>.</summary>
internal static class ConformanceRunner
{
    public sealed record CaseResult(string Group, string Name, bool Passed, bool IsErrorCase, bool PositionMatched, string Expected, string Actual);

    public static IEnumerable<CaseResult> RunAll(string root)
    {
        foreach (var groupDir in System.IO.Directory.GetDirectories(root).OrderBy(d => d, StringComparer.Ordinal))
        {
            var group = Path.GetFileName(groupDir);
            foreach (var file in System.IO.Directory.GetFiles(groupDir, "*.txt", SearchOption.AllDirectories).OrderBy(f => f, StringComparer.Ordinal))
            {
                if (file.EndsWith(".out.txt", StringComparison.Ordinal))
                {
                    continue;
                }

                var expectedPath = file[..^4] + ".out.txt";
                if (!File.Exists(expectedPath))
                {
                    continue;
                }

                var name = Path.GetRelativePath(root, file[..^4]).Replace('\\', '/');
                yield return Run(group, name, file, expectedPath);
            }
        }
    }

    private static string Normalize(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');

    public static CaseResult Run(string group, string name, string templatePath, string expectedPath)
    {
        var source = Normalize(File.ReadAllText(templatePath));
        var expected = Normalize(File.ReadAllText(expectedPath));
        var fileName = Path.GetFileName(templatePath);
        var isError = expected.Contains(" : error : ", StringComparison.Ordinal);
        var options = new TemplateOptions
        {
            Syntax = fileName.Contains("liquid", StringComparison.OrdinalIgnoreCase) ? TemplateSyntax.Liquid : TemplateSyntax.Scriban,
            Scientific = fileName.Contains("scientific", StringComparison.OrdinalIgnoreCase),
            SourceName = "text",
            Globals = StandardModel.Functions,
        };

        var modelPath = templatePath[..^4] + ".model.json";
        object model = File.Exists(modelPath) ? StandardModel.FromJson(File.ReadAllText(modelPath)) : StandardModel.Create();

        string actual;
        (int Line, int Column)? position = null;
        var failedToRender = false;
        try
        {
            var template = Template.Parse(source, options);
            if (template.HasErrors)
            {
                failedToRender = true;
                var first = template.Diagnostics.First(d => d.Severity == TemplateDiagnosticSeverity.Error);
                position = (first.Line, first.Column);
                actual = string.Join("\n", template.Diagnostics.Select(d => d.ToString()));
            }
            else
            {
                actual = template.Render(model, new RenderOptions { TimeProvider = new FixedTimeProvider() });
            }
        }
        catch (TemplateRuntimeException ex)
        {
            failedToRender = true;
            position = (ex.Line, ex.Column);
            actual = ex.Message;
        }
        catch (Exception ex)
        {
            actual = "CRASH " + ex.GetType().Name + ": " + ex.Message;
            return new CaseResult(group, name, false, isError, false, expected, actual);
        }

        if (isError)
        {
            var positionMatched = false;
            var marker = expected.IndexOf('(', StringComparison.Ordinal);
            var close = expected.IndexOf(')', StringComparison.Ordinal);
            if (position is { } p && marker >= 0 && close > marker)
            {
                positionMatched = expected[(marker + 1)..close] == $"{p.Line},{p.Column}";
            }

            return new CaseResult(group, name, failedToRender, true, positionMatched, expected, actual);
        }

        var passed = !failedToRender && string.Equals(actual.TrimEnd(), expected.TrimEnd(), StringComparison.Ordinal);
        return new CaseResult(group, name, passed, false, false, expected, actual);
    }
}
