using System.Text;

namespace Personalize.Templates.Tests;

public sealed class LimitTests
{
    private static TemplateLimitExceededException RenderFails(string source, TemplateOptions? options = null, RenderOptions? render = null)
    {
        var template = Template.ParseOrThrow(source, options);
        return Assert.Throws<TemplateLimitExceededException>(() => template.Render(null, render));
    }

    [Fact]
    public void A_loop_that_never_ends_stops_at_MaxLoopIterations()
    {
        var ex = RenderFails("x\n{{ while true }}a{{ end }}");

        Assert.Equal(nameof(TemplateLimits.MaxLoopIterations), ex.LimitName);
        Assert.Equal(TemplateLimits.Default.MaxLoopIterations, ex.Limit);
        Assert.Equal(2, ex.Line);
    }

    [Fact]
    public void Loop_iterations_are_counted_across_loops()
    {
        var options = new TemplateOptions { Limits = new TemplateLimits { MaxLoopIterations = 50 } };

        Assert.Equal(20, Template.Parse("{{ for i in 1..20 }}x{{ end }}", options).Render().Length);
        var ex = RenderFails("{{ for i in 1..10 }}{{ for j in 1..10 }}x{{ end }}{{ end }}", options);
        Assert.Equal(nameof(TemplateLimits.MaxLoopIterations), ex.LimitName);
    }

    [Fact]
    public void Endless_recursion_stops_at_MaxRecursionDepth()
    {
        var ex = RenderFails("{{ func down\n  down\nend\ndown }}");

        Assert.Equal(nameof(TemplateLimits.MaxRecursionDepth), ex.LimitName);
        Assert.Equal(100, ex.Limit);
    }

    [Theory]
    [InlineData("{{ func f; $$; end; wrap f; $$; end }}")]
    [InlineData("{{ f = do; f; end; f }}")]
    [InlineData("{{ func g(n); ret g(n + 1); end; g 0 }}")]
    public void Other_endless_recursions_stop_at_MaxRecursionDepth(string source)
    {
        Assert.Equal(nameof(TemplateLimits.MaxRecursionDepth), RenderFails(source).LimitName);
    }

    [Fact]
    public void Arrays_that_contain_each_other_compare_without_a_stack_overflow()
    {
        Assert.Equal("false", Template.Parse("{{ a = []; b = []; c = a << b; c = b << a; a == b }}").Render());
    }

    [Fact]
    public void Growing_arrays_by_index_is_charged_to_MaxLoopIterations()
    {
        Assert.Equal(nameof(TemplateLimits.MaxLoopIterations), RenderFails("{{ for i in 1..1000; b = []; b[99999] = 1; end }}").LimitName);
    }

    [Fact]
    public void Ten_thousand_nested_parentheses_or_brackets_give_a_diagnostic_not_a_stack_overflow()
    {
        foreach (var (open, close) in new[] { ("(", ")"), ("[", "]"), ("-", string.Empty), ("{a:", "}") })
        {
            var source = "{{ " + string.Concat(Enumerable.Repeat(open, 10_000)) + "1" + string.Concat(Enumerable.Repeat(close, 10_000)) + " }}";

            var template = Template.Parse(source);

            Assert.True(template.HasErrors);
            Assert.Contains(template.Diagnostics, d => d.Message.Contains("TemplateLimits.MaxParseDepth", StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData("1", " + 1")]
    [InlineData("x", ".a")]
    [InlineData("x", "[0]")]
    [InlineData("x", " | string.upcase")]
    [InlineData("x", " ?? 1")]
    public void Fifty_thousand_long_chains_give_a_diagnostic_not_a_stack_overflow(string head, string link)
    {
        var template = Template.Parse("{{ " + head + string.Concat(Enumerable.Repeat(link, 50_000)) + " }}");

        Assert.Contains(template.Diagnostics, d => d.Message.Contains("TemplateLimits.MaxParseDepth", StringComparison.Ordinal));
    }

    [Fact]
    public void Chains_within_the_depth_limit_render()
    {
        Assert.Equal("150", Template.Parse("{{ 0" + string.Concat(Enumerable.Repeat(" + 1", 150)) + " }}").Render());
    }

    [Fact]
    public void Deeply_nested_interpolated_strings_give_a_diagnostic()
    {
        var source = "{{ " + string.Concat(Enumerable.Repeat("$\"{", 5_000)) + "1" + string.Concat(Enumerable.Repeat("}\"", 5_000)) + " }}";

        Assert.True(Template.Parse(source).HasErrors);
    }

    [Fact]
    public void Ten_thousand_nested_blocks_give_a_diagnostic()
    {
        var source = string.Concat(Enumerable.Repeat("{{ if true }}", 10_000)) + string.Concat(Enumerable.Repeat("{{ end }}", 10_000));

        var template = Template.Parse(source);

        Assert.Contains(template.Diagnostics, d => d.Message.Contains("TemplateLimits.MaxParseDepth", StringComparison.Ordinal));
    }

    [Fact]
    public void Repeating_a_string_a_billion_times_stops_at_MaxStringLength()
    {
        var ex = RenderFails("{{ 'ab' * 1000000000 }}");

        Assert.Equal(nameof(TemplateLimits.MaxStringLength), ex.LimitName);
    }

    [Fact]
    public void Growing_a_string_in_a_loop_stops_at_MaxTotalStringLength()
    {
        var ex = RenderFails("{{ for i in 1..100000; s = 'x' * 500000; s = s + s; end }}");

        Assert.Equal(nameof(TemplateLimits.MaxTotalStringLength), ex.LimitName);
    }

    [Fact]
    public void A_huge_range_stops_at_MaxRangeLength()
    {
        var ex = RenderFails("{{ for i in 1..2000000000 }}{{ end }}");

        Assert.Equal(nameof(TemplateLimits.MaxRangeLength), ex.LimitName);
    }

    [Fact]
    public void Output_is_capped_at_MaxOutputLength()
    {
        var options = new TemplateOptions { Limits = new TemplateLimits { MaxOutputLength = 1000 } };

        var ex = RenderFails("{{ for i in 1..100 }}0123456789 {{ end }}", options);

        Assert.Equal(nameof(TemplateLimits.MaxOutputLength), ex.LimitName);
    }

    [Fact]
    public void Catastrophic_regex_stops_at_RegexTimeout()
    {
        var options = new TemplateOptions { Limits = new TemplateLimits { RegexTimeout = TimeSpan.FromMilliseconds(20) } };
        var source = "{{ '" + new string('a', 40) + "!' | regex.replace '^(?=a)(a+)+$' 'x' }}";

        var ex = RenderFails(source, options);

        Assert.Equal(nameof(TemplateLimits.RegexTimeout), ex.LimitName);
    }

    [Fact]
    public void Cancellation_stops_a_render()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        var template = Template.Parse("{{ for i in 1..10 }}{{ i }}{{ end }}");

        Assert.ThrowsAny<OperationCanceledException>(() => template.Render(null, new RenderOptions { CancellationToken = cts.Token }));
    }

    [Fact]
    public void Source_longer_than_MaxSourceLength_is_a_diagnostic()
    {
        var options = new TemplateOptions { Limits = new TemplateLimits { MaxSourceLength = 10 } };

        var template = Template.Parse(new StringBuilder().Append('x', 11).ToString(), options);

        Assert.Contains("MaxSourceLength", Assert.Single(template.Diagnostics).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Default_limits_are_documented_values()
    {
        var limits = TemplateLimits.Default;

        Assert.Equal(100_000, limits.MaxLoopIterations);
        Assert.Equal(100, limits.MaxRecursionDepth);
        Assert.Equal(4_000_000, limits.MaxOutputLength);
        Assert.Equal(200, limits.MaxParseDepth);
        Assert.Equal(100_000, limits.MaxRangeLength);
        Assert.Equal(1_000_000, limits.MaxStringLength);
        Assert.Equal(100_000_000, limits.MaxTotalStringLength);
        Assert.Equal(TimeSpan.FromMilliseconds(100), limits.RegexTimeout);
        Assert.Equal(1_000_000, limits.MaxSourceLength);
        Assert.Equal(5_000_000, limits.MaxWork);
    }
}
