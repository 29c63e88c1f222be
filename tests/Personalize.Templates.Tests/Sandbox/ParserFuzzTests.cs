using System.Diagnostics;
using System.Text;

namespace Personalize.Templates.Tests.Sandbox;

/// <summary>
/// Issue 12: parsing never throws, whatever the input. A fixed time budget of random templates per run
/// (<c>PERSONALIZE_FUZZ_SECONDS</c> for a long run, <c>PERSONALIZE_FUZZ_SEED</c> to replay one), plus the inputs
/// the issue found and large inputs that a parser slower than linear could not finish in time.
/// </summary>
public sealed class ParserFuzzTests
{
    private static readonly string[] Fragments =
    [
        "{{", "}}", "{{-", "-}}", "{{~", "~}}", "{%", "%}", "{%-", "-%}", "{%{", "}%}", "{{ ", " }}", "\n", "\r\n", " ", "\t", ";",
        "if", "else", "end", "for", "in", "while", "func", "ret", "capture", "case", "when", "with", "wrap", "tablerow", "include", "import", "readonly",
        "break", "continue", "do", "this", "empty", "null", "true", "false", "$", "$$", "$0", "@", "^", "x", "y", "a.b", "a?.b", "x[0]",
        "=", "+=", "==", "!=", "<", ">", "<=", ">=", "&&", "||", "!", "+", "-", "*", "/", "//", "%", "..", "..<", "??", "?!", "?", ":", "|", "|>", "<<", ">>", "++", "--", ",", ".",
        "(", ")", "[", "]", "{", "}", "\"", "'", "`", "\\", "\\u", "\\x4", "$\"", "$'", "#", "##", "0", "1", "42", "1.5", "1e10", "1e99999999999", "1e-99999999999", "0x", "0xFF", "0b101", "1m", "1e99m", "1f", "1u", "1l", "9999999999999999999999",
        "\u0BE7", "\u0660", "\uFF11", "\u00B2", "\uD800", "\uDC00", "\uD83D\uDE00", "\u200B", "\0", "\u2028",
        "string.upcase", "array.size", "object.eval", "math.format", "x | string.truncate 5", "func f(n)", "f(1)", "f 1 2", "(1..10)",
        "assign", "endif", "endfor", "unless", "raw", "endraw", "comment", "endcomment", "render", "cycle", "increment", "| upcase", "| plus: 1", "liquid", "echo",
    ];

    private static int BudgetSeconds => int.TryParse(Environment.GetEnvironmentVariable("PERSONALIZE_FUZZ_SECONDS"), out var seconds) && seconds > 0 ? seconds : 5;

    [Fact]
    public void Random_templates_never_make_the_parser_throw()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("PERSONALIZE_FUZZ_SEED"), out var fixedSeed) ? fixedSeed : 12_2026;
        var random = new Random(seed);
        var corpus = CorpusTemplates();
        var clock = Stopwatch.StartNew();
        var inputs = 0;
        while (clock.Elapsed < TimeSpan.FromSeconds(BudgetSeconds))
        {
            var input = inputs % 3 == 2 && corpus.Count > 0 ? Mutate(random, corpus[random.Next(corpus.Count)]) : Generate(random);
            ParseEverywhere(input, $"seed {seed}, input {inputs}");
            inputs++;
        }

        Assert.True(inputs > 100, $"only {inputs} inputs in {BudgetSeconds} s");
    }

    [Theory]
    [InlineData("{{ \u0BE7 }}")]
    [InlineData("{{ 1e99999999999 }}")]
    [InlineData("{{ 1e-99999999999 }}")]
    [InlineData("{{ 1e99m }}")]
    [InlineData("{{ 79228162514264337593543950336m }}")]
    [InlineData("{{ 1\u0BE7 }}")]
    [InlineData("{{ 1.\u0BE7 }}")]
    [InlineData("{{ 1e\u0BE7 }}")]
    [InlineData("{{ x = \u0660\u0661 }}")]
    [InlineData("{{ 0x }}")]
    [InlineData("{{ \uD800 }}")]
    public void Inputs_that_used_to_throw_give_diagnostics_or_parse(string source)
    {
        ParseEverywhere(source, source);
    }

    [Fact]
    public void A_catalog_condition_with_a_non_ascii_digit_is_a_diagnostic()
    {
        var expression = TemplateExpression.Parse("customer.days > \u0BE7");

        Assert.True(expression.HasErrors);
    }

    [Fact]
    public void A_number_literal_with_a_million_digits_is_a_diagnostic_not_a_45_second_print()
    {
        var template = Template.Parse("{{ " + new string('9', 999_000) + " }}");

        Assert.Contains(template.Diagnostics, d => d.Message.Contains("digits", StringComparison.Ordinal));
        Assert.Equal("1" + new string('0', 400), Template.ParseOrThrow("{{ 1e400 }}").Render());
    }

    [Theory]
    [InlineData("while-body", "{{ while x\n", "y = y + 1; f a b; z[0] = 'q'\n", "end }}")]
    [InlineData("statements", "{{ ", "if a; b; else; c; end; ", " }}")]
    [InlineData("unclosed-blocks", "{{ ", "if x\n", " }}")]
    [InlineData("bad-tokens", "{{ ", "x = ) ] } \n", " }}")]
    [InlineData("interpolation", "{{ ", "$\"{ $'{ ", " }}")]
    [InlineData("strings", "{{ ", "\"\\u", " }}")]
    [InlineData("text", "", "a{{x}}b{%{ ", "")]
    [InlineData("liquid-like", "", "{% if x %}{{ y | upcase }}", "")]
    public async Task A_template_of_a_million_characters_parses_in_linear_time(string shape, string head, string unit, string tail)
    {
        var builder = new StringBuilder(head);
        while (builder.Length + unit.Length + tail.Length < TemplateLimits.Default.MaxSourceLength)
        {
            builder.Append(unit);
        }

        var source = builder.Append(tail).ToString();

        // Linear parsing takes well under a second here; a quadratic one would take hours. The bound is loose on purpose
        // (shared CI machines), and the test never hangs: the parse runs on its own task.
        foreach (var syntax in new[] { TemplateSyntax.Scriban, TemplateSyntax.Liquid })
        {
            var template = await Bounded.RunAsync(() => Template.Parse(source, new TemplateOptions { Syntax = syntax }), TimeSpan.FromSeconds(30), $"Parsing {shape} ({syntax})");
            Assert.DoesNotContain(template.Diagnostics, d => d.Message.StartsWith("The template could not be parsed because of an internal parser error", StringComparison.Ordinal));
        }
    }

    private static void ParseEverywhere(string input, string where)
    {
        foreach (var syntax in new[] { TemplateSyntax.Scriban, TemplateSyntax.Liquid })
        {
            foreach (var scientific in new[] { false, true })
            {
                var options = new TemplateOptions { Syntax = syntax, Scientific = scientific };
                Template template;
                try
                {
                    template = Template.Parse(input, options);
                }
                catch (Exception ex)
                {
                    throw new Xunit.Sdk.XunitException($"Template.Parse threw {ex.GetType().Name} ({where}, {syntax}, scientific {scientific}) on:\n{Escape(input)}\n{ex}");
                }

                AssertNoInternalError(template.Diagnostics, input, where);
            }
        }

        TemplateExpression expression;
        try
        {
            expression = TemplateExpression.Parse(input);
        }
        catch (Exception ex)
        {
            throw new Xunit.Sdk.XunitException($"TemplateExpression.Parse threw {ex.GetType().Name} ({where}) on:\n{Escape(input)}\n{ex}");
        }

        AssertNoInternalError(expression.Diagnostics, input, where);
    }

    private static void AssertNoInternalError(IReadOnlyList<TemplateDiagnostic> diagnostics, string input, string where)
    {
        foreach (var diagnostic in diagnostics)
        {
            if (diagnostic.Message.StartsWith("The template could not be parsed because of an internal parser error", StringComparison.Ordinal))
            {
                throw new Xunit.Sdk.XunitException($"The parser failed ({where}): {diagnostic.Message}\non:\n{Escape(input)}");
            }
        }
    }

    private static string Generate(Random random)
    {
        var builder = new StringBuilder();
        var count = random.Next(1, 60);
        for (var i = 0; i < count; i++)
        {
            builder.Append(random.Next(8) == 0 ? ((char)random.Next(0, 0xFFFF)).ToString() : Fragments[random.Next(Fragments.Length)]);
            if (random.Next(3) == 0)
            {
                builder.Append(' ');
            }
        }

        return builder.ToString();
    }

    private static string Mutate(Random random, string source)
    {
        var chars = new StringBuilder(source);
        var edits = random.Next(1, 8);
        for (var i = 0; i < edits; i++)
        {
            var at = chars.Length == 0 ? 0 : random.Next(chars.Length);
            switch (random.Next(3))
            {
                case 0 when chars.Length > 0:
                    chars.Remove(at, Math.Min(chars.Length - at, random.Next(1, 10)));
                    break;
                case 1:
                    chars.Insert(at, Fragments[random.Next(Fragments.Length)]);
                    break;
                default:
                    if (chars.Length > 0)
                    {
                        chars[at] = (char)random.Next(0x20, 0x2FF);
                    }

                    break;
            }
        }

        return chars.ToString();
    }

    private static List<string> CorpusTemplates()
    {
        var templates = new List<string>();
        var golden = Path.Combine(RepoPaths.Root, "tests", "Personalize.Templates.Tests", "Golden");
        foreach (var file in Directory.EnumerateFiles(golden, "*.txt"))
        {
            if (!file.EndsWith(".out.txt", StringComparison.Ordinal))
            {
                templates.Add(File.ReadAllText(file));
            }
        }

        var corpus = Conformance.ConformanceCorpus.Directory;
        if (Directory.Exists(corpus))
        {
            templates.AddRange(Directory.EnumerateFiles(corpus, "*.txt", SearchOption.AllDirectories).Take(400).Select(File.ReadAllText).Where(t => t.Length < 20_000));
        }

        return templates;
    }

    private static string Escape(string input)
    {
        var builder = new StringBuilder();
        foreach (var c in input.Length > 2000 ? input[..2000] : input)
        {
            builder.Append(c is < ' ' or > '~' ? $"\\u{(int)c:X4}" : c.ToString());
        }

        return builder.ToString();
    }
}
