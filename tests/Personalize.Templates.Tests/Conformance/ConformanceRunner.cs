using System.Text.Json;
using System.Text.Json.Nodes;
using Personalize.Templates.Runtime;

namespace Personalize.Templates.Tests.Conformance;

/// <summary>Runs corpus cases by the rules of <c>shared/conformance/README.md</c>.</summary>
internal static class ConformanceRunner
{
    public sealed record CaseResult(string Group, string Name, bool Passed, bool IsErrorCase, bool PositionMatched, string Expected, string Actual)
    {
        /// <summary>Gets whether the first error message is Scriban's (the corpus' expected one), possibly followed by a hint of ours.</summary>
        public bool MessageMatched => IsErrorCase && Message(Actual) is { Length: > 0 } actual && Message(Expected) is { Length: > 0 } expected && actual.StartsWith(expected, StringComparison.Ordinal);

        /// <summary>The text after <c>: error :</c> of the first line.</summary>
        public static string Message(string report)
        {
            var line = report.Split('\n')[0];
            var at = line.IndexOf(" : error : ", StringComparison.Ordinal);
            return at < 0 ? string.Empty : line[(at + 11)..];
        }
    }

    /// <summary>Lists the corpus' cases by name (<c>group/NAME</c>, the template path without <c>.txt</c>).</summary>
    public static IEnumerable<string> CaseNames(string root) => CasePaths(root).Select(p => p.Name);

    /// <summary>Runs one case by name.</summary>
    public static CaseResult Run(string root, string name)
    {
        var template = Path.Combine(root, name + ".txt");
        return Run(name.Split('/')[0], name, template, template[..^4] + ".out.txt");
    }

    /// <summary>Reads one case: its template, expected output, model (JSON, or null for the standard model) and options.</summary>
    public static (string Source, string Expected, string? ModelJson, bool Liquid, bool Scientific) Read(string root, string name)
    {
        var template = Path.Combine(root, name + ".txt");
        var modelPath = template[..^4] + ".model.json";
        var fileName = Path.GetFileName(template);
        return (
            Normalize(File.ReadAllText(template)),
            Normalize(File.ReadAllText(template[..^4] + ".out.txt")),
            File.Exists(modelPath) ? File.ReadAllText(modelPath) : null,
            fileName.Contains("liquid", StringComparison.OrdinalIgnoreCase),
            fileName.Contains("scientific", StringComparison.OrdinalIgnoreCase));
    }

    private static IEnumerable<(string Group, string Name, string Template, string Expected)> CasePaths(string root)
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
                if (File.Exists(expectedPath))
                {
                    yield return (group, Path.GetRelativePath(root, file[..^4]).Replace('\\', '/'), file, expectedPath);
                }
            }
        }
    }

    public static IEnumerable<CaseResult> RunAll(string root) => CasePaths(root).Select(c => Run(c.Group, c.Name, c.Template, c.Expected));

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
