using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Personalize.Templates.Tests.Differential;

/// <summary>
/// Renders generated templates (<see cref="ScribanTemplateGenerator"/>) with this engine and with Scriban 7.6.1
/// (<see cref="ScribanOracle"/>) on the same data, and tallies agreement: the same text, or both failing. A difference is
/// explained only by a class of <see cref="ScribanDifferences"/>. Shared by the test suite and the benchmark project's long
/// mode (<c>scriban-diff --seed N --count N</c>).
/// </summary>
internal static class ScribanDifferential
{
    public static ScribanDiffReport Run(int seed, int count, Action<int>? progress = null)
    {
        using var json = JsonDocument.Parse(ScribanTemplateGenerator.Model);
        var ours = json.RootElement.Clone();
        var theirs = JsonNode.Parse(ScribanTemplateGenerator.Model);
        var generator = new ScribanTemplateGenerator(seed);
        var report = new ScribanDiffReport(seed, count);
        for (var i = 0; i < count; i++)
        {
            var source = generator.Next();
            report.Add(source, RenderOurs(source, ours), ScribanOracle.Render(source, theirs));
            if (progress is not null && (i + 1) % 10_000 == 0)
            {
                progress(i + 1);
            }
        }

        return report;
    }

    public static RenderOutcome RenderOurs(string source, JsonElement model)
    {
        var template = Template.Parse(source);
        if (template.HasErrors)
        {
            return RenderOutcome.Failed(template.Diagnostics.First(d => d.Severity == TemplateDiagnosticSeverity.Error).ToString());
        }

        try
        {
            return RenderOutcome.Ok(template.Render(model));
        }
        catch (TemplateRuntimeException ex)
        {
            return RenderOutcome.Failed(ex.Message);
        }
#pragma warning disable CA1031 // Anything else is a crash of this engine: reported as such, never explained by a class.
        catch (Exception ex)
        {
            return RenderOutcome.Failed(ScribanDifferences.CrashPrefix + ex.GetType().Name + ": " + ex.Message);
        }
#pragma warning restore CA1031
    }
}

/// <summary>The tally of a differential run against Scriban: agreements, explained differences by class, unexplained ones.</summary>
internal sealed class ScribanDiffReport(int seed, int count)
{
    private readonly Dictionary<string, List<(string Source, RenderOutcome Ours, RenderOutcome Scriban)>> _explained = new(StringComparer.Ordinal);

    public int Agreed { get; private set; }

    public int Count => count;

    public List<(string Source, RenderOutcome Ours, RenderOutcome Scriban)> Unexplained { get; } = new();

    public double AgreementPercent => 100.0 * Agreed / count;

    public IReadOnlyDictionary<string, List<(string Source, RenderOutcome Ours, RenderOutcome Scriban)>> Explained => _explained;

    public void Add(string source, RenderOutcome ours, RenderOutcome scriban)
    {
        if (ours.AgreesWith(scriban))
        {
            Agreed++;
            return;
        }

        var known = ScribanDifferences.Classify(source, ours, scriban);
        if (known is null)
        {
            Unexplained.Add((source, ours, scriban));
            return;
        }

        if (!_explained.TryGetValue(known, out var list))
        {
            _explained[known] = list = new();
        }

        list.Add((source, ours, scriban));
    }

    public string Describe()
    {
        var text = new StringBuilder();
        var excluded = _explained.Values.Sum(l => l.Count);
        text.AppendLine(CultureInfo.InvariantCulture, $"scriban-diff: seed {seed}, {count} templates, {Agreed} agree ({AgreementPercent:0.000} %), {excluded} differ in documented classes, {Unexplained.Count} unexplained; outside the classes {100.0 * Agreed / Math.Max(1, count - excluded):0.000} % agree");
        foreach (var (name, list) in _explained.OrderByDescending(p => p.Value.Count))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {list.Count,6} {name}");
        }

        return text.ToString();
    }

    public string DescribeDifferences(int perClass, bool unexplainedOnly = false)
    {
        var text = new StringBuilder();
        void Write(string title, List<(string Source, RenderOutcome Ours, RenderOutcome Scriban)> list)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"### {title} ({list.Count})");
            foreach (var (source, ours, scriban) in list.Take(perClass))
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"template: {RenderOutcome.Ok(source)}\n  ours:    {ours}\n  scriban: {scriban}");
            }
        }

        Write("unexplained", Unexplained);
        if (!unexplainedOnly)
        {
            foreach (var (name, list) in _explained)
            {
                Write(name, list);
            }
        }

        return text.ToString();
    }
}
