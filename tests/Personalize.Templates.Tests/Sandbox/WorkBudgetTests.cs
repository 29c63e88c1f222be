using System.Text;

namespace Personalize.Templates.Tests.Sandbox;

/// <summary>
/// Issue 12: every attack the issue lists stops with a named limit. Each runs on its own task under a cap, so a regression
/// fails instead of hanging CI; on a quiet machine each stops well within a second (see docs/security.md).
/// </summary>
public sealed class WorkBudgetTests
{
    private static readonly TimeSpan Cap = TimeSpan.FromSeconds(20);

    private static readonly string WhileBody = "{{ while true\n" + string.Concat(Enumerable.Repeat("x = 1\n", 20_000)) + "end }}";

    private static async Task<TemplateLimitExceededException> StopsAsync(string source, TemplateOptions? options = null, object? model = null)
    {
        var template = Template.ParseOrThrow(source, options);
        return await Bounded.RunAsync(() => Assert.Throws<TemplateLimitExceededException>(() => template.Render(model)), Cap, source.Length > 120 ? source[..120] + "…" : source);
    }

    [Theory]
    [InlineData("{{ func f(n) }}{{ if n > 0 }}{{ f(n - 1) }}{{ f(n - 1) }}{{ end }}{{ end }}{{ f(40) }}")]
    [InlineData("{{ func f; if $0 > 0; f($0 - 1); f($0 - 1); end; end; f 40 }}")]
    [InlineData("{{ f = do; if $0 > 0; f($0 - 1); f($0 - 1); end; end; f 40 }}")]
    public async Task Branching_recursion_that_never_gets_deeper_stops_at_MaxWork(string source)
    {
        Assert.Equal(nameof(TemplateLimits.MaxWork), (await StopsAsync(source)).LimitName);
    }

    [Fact]
    public async Task Branching_recursion_through_eval_template_stops_at_MaxWork()
    {
        var ex = await StopsAsync("{{ func f(n) }}{{ if n > 0 }}{{ object.eval_template \"{{ f(n - 1) }}{{ f(n - 1) }}\" }}{{ end }}{{ end }}{{ f(40) }}");

        Assert.Equal(nameof(TemplateLimits.MaxWork), ex.LimitName);
    }

    [Fact]
    public async Task Branching_recursion_through_include_stops_at_MaxWork()
    {
        var loader = new MemoryLoader(new() { ["b"] = "{{ if $0 > 0 }}{{ include 'b' ($0 - 1) }}{{ include 'b' ($0 - 1) }}{{ end }}" });

        var ex = await StopsAsync("{{ include 'b' 40 }}", new TemplateOptions { Loader = loader });

        Assert.Equal(nameof(TemplateLimits.MaxWork), ex.LimitName);
    }

    [Fact]
    public async Task Liquid_recursion_through_render_stops_at_MaxWork()
    {
        var loader = new MemoryLoader(new() { ["b"] = "{% if n > 0 %}{% assign m = n | minus: 1 %}{% render 'b', n: m %}{% render 'b', n: m %}{% endif %}" });

        var ex = await StopsAsync("{% render 'b', n: 40 %}", new TemplateOptions { Loader = loader, Syntax = TemplateSyntax.Liquid });

        Assert.Equal(nameof(TemplateLimits.MaxWork), ex.LimitName);
    }

    [Fact]
    public async Task A_while_loop_with_twenty_thousand_statements_stops_at_MaxWork()
    {
        Assert.Equal(nameof(TemplateLimits.MaxWork), (await StopsAsync(WhileBody)).LimitName);
    }

    [Fact]
    public async Task A_liquid_loop_with_a_huge_body_stops_at_MaxWork()
    {
        var source = "{% for i in (1..100000) %}" + string.Concat(Enumerable.Repeat("{% if true %}{{ i }}{% endif %}", 5_000)) + "{% endfor %}";
        var options = new TemplateOptions { Syntax = TemplateSyntax.Liquid, Limits = TemplateLimits.Default with { MaxOutputLength = long.MaxValue } };

        Assert.Equal(nameof(TemplateLimits.MaxWork), (await StopsAsync(source, options)).LimitName);
    }

    [Fact]
    public async Task A_hundred_thousand_ranges_stop_at_MaxWork()
    {
        Assert.Equal(nameof(TemplateLimits.MaxWork), (await StopsAsync("{{ for i in 1..100000; x = (1..100000); end }}")).LimitName);
    }

    [Theory]
    [InlineData("x = s | string.contains 'b'")]
    [InlineData("x = s == t")]
    [InlineData("x = s | regex.match 'b'")]
    [InlineData("x = s | string.sha256")]
    [InlineData("x = s | string.replace 'b' 'c'")]
    [InlineData("x = s | string.size")]
    public async Task Scanning_a_million_characters_a_hundred_thousand_times_stops_at_MaxWork(string body)
    {
        var ex = await StopsAsync("{{ s = 'a' * 1000000; t = 'a' * 999999 + 'b'; for i in 1..100000; " + body + "; end }}");

        Assert.Equal(nameof(TemplateLimits.MaxWork), ex.LimitName);
    }

    [Fact]
    public async Task Doubling_an_array_forty_times_stops_before_it_runs_out_of_memory()
    {
        var ex = await StopsAsync("{{ a = [1, 2]; for i in 1..40; a = a + a; end; a.size }}");

        Assert.Equal(nameof(TemplateLimits.MaxRangeLength), ex.LimitName);
    }

    [Theory]
    [InlineData("{{ [1,2] * 4611686018427387904 }}", nameof(TemplateLimits.MaxRangeLength))]
    [InlineData("{{ x = [1,2] * 2147483648; x.size }}", nameof(TemplateLimits.MaxRangeLength))]
    [InlineData("{{ 'AB' * 4611686018527387904 }}", nameof(TemplateLimits.MaxStringLength))]
    [InlineData("{{ 'AB' * 4611686018427387904 }}", nameof(TemplateLimits.MaxStringLength))]
    [InlineData("{{ 1 | math.format 'F999999999' }}", nameof(TemplateLimits.MaxStringLength))]
    [InlineData("{{ 1 | object.format 'N999999999' }}", nameof(TemplateLimits.MaxStringLength))]
    public async Task Sizes_are_checked_before_allocating_with_overflow_safe_arithmetic(string source, string limit)
    {
        Assert.Equal(limit, (await StopsAsync(source)).LimitName);
    }

    [Fact]
    public async Task Multiplying_an_empty_array_by_a_huge_count_returns_at_once()
    {
        var template = Template.ParseOrThrow("{{ x = [] * 2147483648; x.size }}");

        Assert.Equal("0", await Bounded.RunAsync(() => template.Render(), Cap, "[] * 2147483648"));
    }

    [Fact]
    public async Task Printing_nested_copies_of_a_million_character_string_stops_at_MaxStringLength()
    {
        var ex = await StopsAsync("{{ x = 'a' * 1000000; a = [x,x,x,x,x,x,x,x,x,x]; b = [a,a,a,a,a,a,a,a,a,a]; c = [b,b,b,b,b,b,b,b,b,b]; c }}");

        Assert.Equal(nameof(TemplateLimits.MaxStringLength), ex.LimitName);
    }

    [Fact]
    public async Task Printing_an_array_that_holds_itself_ten_times_stops()
    {
        var ex = await StopsAsync("{{ a = [0,0,0,0,0,0,0,0,0,0]; for i in 0..9; a[i] = a; end; a }}");

        Assert.Contains(ex.LimitName, new[] { nameof(TemplateLimits.MaxStringLength), nameof(TemplateLimits.MaxWork) });
    }

    [Fact]
    public async Task Comparing_arrays_that_hold_themselves_ends_at_once()
    {
        var template = Template.ParseOrThrow("{{ a = [0,0,0,0,0,0,0,0,0,0]; b = [0,0,0,0,0,0,0,0,0,0]; for i in 0..9; a[i] = a; b[i] = b; end; a == b }}");

        Assert.Equal("false", await Bounded.RunAsync(() => template.Render(), Cap, "self-comparison"));
    }

    [Fact]
    public async Task Comparing_large_nested_arrays_is_charged()
    {
        var ex = await StopsAsync("{{ a = [(1..50000), (1..50000)]; b = [(1..50000), (1..50000)]; for i in 1..100000; y = a == b; end }}");

        Assert.Equal(nameof(TemplateLimits.MaxWork), ex.LimitName);
    }

    [Fact]
    public async Task Repeated_squaring_of_an_integer_is_an_error_not_a_slow_render()
    {
        var template = Template.ParseOrThrow("{{ x = 10; for i in 1..40; x = x * x; end; x }}");

        var ex = await Bounded.RunAsync(() => Assert.Throws<TemplateRuntimeException>(() => template.Render()), Cap, "squaring");

        Assert.Contains("1000 digits", ex.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancellation_stops_a_render_busy_in_builtins()
    {
        using var cts = new CancellationTokenSource();
        var template = Template.ParseOrThrow("{{ s = 'a' * 1000000; while true; x = s | string.contains 'b'; end }}", new TemplateOptions { Limits = TemplateLimits.Default with { MaxWork = long.MaxValue, MaxLoopIterations = long.MaxValue } });
        cts.CancelAfter(TimeSpan.FromMilliseconds(200));

        await Bounded.RunAsync(() => Assert.ThrowsAny<OperationCanceledException>(() => template.Render(null, new RenderOptions { CancellationToken = cts.Token })), Cap, "cancellation");
    }

    [Fact]
    public void The_budget_is_a_documented_TemplateLimits_member_and_ordinary_templates_stay_well_within_it()
    {
        Assert.Equal(5_000_000, TemplateLimits.Default.MaxWork);
        var products = Enumerable.Range(0, 100).Select(i => new { Name = "p" + i, Price = 9.99m, Description = new string('d', 400) }).ToArray();
        var template = Template.ParseOrThrow("<ul>{{ for p in products }}<li><h2>{{ p.name }}</h2>Only {{ p.price }} {{ p.description | string.truncate 15 }}</li>{{ end }}</ul>", new TemplateOptions { Limits = TemplateLimits.Default with { MaxWork = 10_000 } });

        Assert.StartsWith("<ul><li><h2>p0</h2>", template.Render(new { Products = products }), StringComparison.Ordinal);
    }

    [Fact]
    public void A_small_budget_stops_a_loop_whose_iterations_are_within_MaxLoopIterations()
    {
        var options = new TemplateOptions { Limits = TemplateLimits.Default with { MaxWork = 1_000 } };

        var ex = Assert.Throws<TemplateLimitExceededException>(() => Template.ParseOrThrow("{{ for i in 1..1000 }}{{ i }}{{ end }}", options).Render());

        Assert.Equal(nameof(TemplateLimits.MaxWork), ex.LimitName);
        Assert.Equal(1_000, ex.Limit);
        Assert.Contains("TemplateLimits.MaxWork", ex.Message, StringComparison.Ordinal);
    }

    private sealed class MemoryLoader(Dictionary<string, string> files) : ITemplateLoader
    {
        public bool TryLoad(string name, out string source) => files.TryGetValue(name, out source!);
    }
}
