namespace Personalize.Templates.Tests.Sandbox;

/// <summary>
/// The work budget is deterministic (issue 12): regular expressions are charged by the text's length times the pattern's cost,
/// never by the time they took, so the same template and data always pass or fail the same way; long sorts and hashes charge
/// as they go and stop with the named limit (or on cancellation) midway.
/// </summary>
public sealed class DeterministicBudgetTests
{
    private static readonly TimeSpan Cap = TimeSpan.FromSeconds(20);

    private static bool Passes(Template template, object? model = null)
    {
        try
        {
            template.Render(model);
            return true;
        }
        catch (TemplateLimitExceededException ex) when (ex.LimitName == nameof(TemplateLimits.MaxWork))
        {
            return false;
        }
    }

    [Fact]
    public void A_regex_loop_passes_or_fails_at_the_same_count_every_time()
    {
        var options = new TemplateOptions { Limits = TemplateLimits.Default with { MaxWork = 200_000, RegexTimeout = TimeSpan.FromSeconds(10) } };
        var model = new { Text = new string('a', 2_000) + "!" };
        Template At(int n) => Template.ParseOrThrow($"{{{{ for i in 1..{n} }}}}{{{{ text | regex.match 'a+!' | array.size }}}}{{{{ end }}}}", options);

        // The largest count that fits, found once; then the boundary holds on every run, whatever the machine is doing.
        var fits = 1;
        while (Passes(At(fits + 1), model))
        {
            fits++;
            Assert.True(fits < 1_000, "The budget never ran out: regex work is not charged.");
        }

        Assert.True(fits > 1, "Not even two matches fit the budget.");
        for (var run = 0; run < 20; run++)
        {
            Assert.True(Passes(At(fits), model), $"Run {run}: {fits} matches passed once and failed now.");
            Assert.False(Passes(At(fits + 1), model), $"Run {run}: {fits + 1} matches failed once and passed now.");
        }
    }

    [Fact]
    public void A_regex_costs_its_text_length_times_the_pattern_cost()
    {
        var options = new TemplateOptions { Limits = TemplateLimits.Default with { MaxWork = 200_000, RegexTimeout = TimeSpan.FromSeconds(10) } };
        int Fits(string pattern, int length)
        {
            var model = new { Text = new string('a', length) };
            var n = 0;
            while (n < 10_000 && Passes(Template.ParseOrThrow($"{{{{ for i in 1..{n + 1} }}}}{{{{ text | regex.match '{pattern}' | array.size }}}}{{{{ end }}}}", options), model))
            {
                n++;
            }

            return n;
        }

        Assert.True(Fits("a", 2_000) > Fits("a+b?c*d?e?", 2_000), "A pattern with more quantifiers must cost more per character.");
        Assert.True(Fits("a", 1_000) > Fits("a", 4_000), "A longer text must cost more.");
    }

    [Fact]
    public async Task A_nested_quantifier_runs_in_linear_time_instead_of_timing_out()
    {
        // Catastrophic for a backtracking engine (2^40 paths); the non-backtracking engine answers at once.
        var template = Template.ParseOrThrow("{{ text | regex.match '(a+)+$' | array.size }}");
        var model = new { Text = new string('a', 40) + "!" };

        var output = await Bounded.RunAsync(() => template.Render(model), Cap, "(a+)+$ on 40 a's and !");

        Assert.Equal("0", output);
    }

    [Fact]
    public async Task Sorting_many_long_equal_strings_stops_at_MaxWork()
    {
        // 2,000 references to one 100,000-character string: cheap to build, but sorting compares two billion characters.
        // (A regex with a look-ahead, which only the backtracking engine runs, still stops at RegexTimeout: LimitTests.)
        var template = Template.ParseOrThrow("{{ s = 'x' * 100000; a = [s] * 2000; (a | array.sort) | array.size }}");

        var ex = await Bounded.RunAsync(() => Assert.Throws<TemplateLimitExceededException>(() => template.Render()), Cap, "sort of long equal strings");

        Assert.Equal(nameof(TemplateLimits.MaxWork), ex.LimitName);
    }

    [Fact]
    public void A_hash_of_a_long_text_is_charged_as_it_goes()
    {
        var options = new TemplateOptions { Limits = TemplateLimits.Default with { MaxWork = 20_000 } };
        var template = Template.ParseOrThrow("{{ ('x' * 400000) | string.sha256 }}", options);

        var ex = Assert.Throws<TemplateLimitExceededException>(() => template.Render());

        Assert.Equal(nameof(TemplateLimits.MaxWork), ex.LimitName);
        Assert.Equal(64, Template.ParseOrThrow("{{ 'abc' | string.sha256 }}").Render().Length);
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Template.ParseOrThrow("{{ 'abc' | string.sha256 }}").Render());
    }
}
