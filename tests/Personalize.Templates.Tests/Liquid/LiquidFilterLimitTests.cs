using Personalize.Templates.Tests.Sandbox;

namespace Personalize.Templates.Tests.Liquid;

/// <summary>
/// Issue 17: every Liquid filter that walks its input stops a huge input with a named limit
/// (<see cref="TemplateLimitExceededException.LimitName"/>) as soon as the limit is reached, instead of walking on. List
/// filters charge each item they walk (<see cref="TemplateLimits.MaxLoopIterations"/>, then <see cref="TemplateLimits.MaxWork"/>);
/// text filters charge their input's length to <see cref="TemplateLimits.MaxWork"/> and check the size of what they build
/// against <see cref="TemplateLimits.MaxStringLength"/> before building it. Each case runs under a cap, so a regression fails
/// instead of hanging CI; all run at the default limits.
/// </summary>
public sealed class LiquidFilterLimitTests
{
    private static readonly TimeSpan Cap = TimeSpan.FromSeconds(20);

    /// <summary>Twice <see cref="TemplateLimits.MaxLoopIterations"/> items (one hash, shared, so the model stays small).</summary>
    private static readonly Lazy<Dictionary<string, object?>> Model = new(() =>
    {
        var item = new Dictionary<string, object?> { ["id"] = 7, ["tag"] = "even", ["title"] = "Tea" };
        return new Dictionary<string, object?>
        {
            ["items"] = Enumerable.Repeat<object?>(item, 200_000).ToArray(),
            ["words"] = Enumerable.Repeat<object?>(new string('w', 10_000), 1_000).ToArray(),
            ["text"] = new string('a', 900_000),
            ["lines"] = string.Concat(Enumerable.Repeat("<b>x</b> y\n", 80_000)),
            ["encoded"] = string.Concat(Enumerable.Repeat("QUFB", 400_000)),
        };
    });

    [Theory]
    [InlineData("where: 'tag', 'odd'")]
    [InlineData("where: 'tag'")]
    [InlineData("reject: 'tag', 'even'")]
    [InlineData("find: 'tag', 'odd'")]
    [InlineData("find_index: 'tag', 'odd'")]
    [InlineData("has: 'tag', 'odd'")]
    [InlineData("map: 'title'")]
    [InlineData("sort: 'title'")]
    [InlineData("sort_natural: 'title'")]
    [InlineData("sort")]
    [InlineData("uniq: 'id'")]
    [InlineData("compact: 'title'")]
    [InlineData("sum: 'id'")]
    [InlineData("join: ','")]
    [InlineData("slice: 0, 200000")]
    [InlineData("slice: -5")]
    [InlineData("first")]
    [InlineData("last")]
    [InlineData("reverse")]
    [InlineData("concat: items")]
    public async Task A_list_filter_over_a_huge_list_stops_at_MaxLoopIterations(string filter)
    {
        var ex = await StopsAsync("{% assign r = items | " + filter + " %}{{ r | size }}");

        Assert.Equal(nameof(TemplateLimits.MaxLoopIterations), ex.LimitName);
        Assert.Equal(TemplateLimits.Default.MaxLoopIterations, ex.Limit);
    }

    [Theory]
    [InlineData("{% assign r = words | join: ', ' %}")]
    [InlineData("{% assign r = text | base64_encode %}")]
    [InlineData("{% assign r = text | base64_url_safe_encode %}")]
    [InlineData("{% assign r = encoded | base64_decode %}")]
    [InlineData("{% assign r = encoded | base64_url_safe_decode %}")]
    [InlineData("{% assign r = text | append: text %}")]
    [InlineData("{% assign r = text | replace: 'a', 'bb' %}")]
    [InlineData("{% assign r = lines | url_encode %}")]
    [InlineData("{% assign r = lines | newline_to_br %}")]
    [InlineData("{% assign r = lines | escape %}")]
    public async Task A_filter_whose_result_would_be_too_long_stops_at_MaxStringLength(string source)
    {
        var ex = await StopsAsync(source);

        Assert.Equal(nameof(TemplateLimits.MaxStringLength), ex.LimitName);
    }

    [Theory]
    [InlineData("upcase")]
    [InlineData("downcase")]
    [InlineData("capitalize")]
    [InlineData("strip")]
    [InlineData("strip_html")]
    [InlineData("strip_newlines")]
    [InlineData("escape_once")]
    [InlineData("url_decode")]
    [InlineData("remove: 'b'")]
    [InlineData("replace_first: 'b', 'c'")]
    [InlineData("remove_last: 'b'")]
    [InlineData("split: 'b'")]
    [InlineData("truncatewords: 3")]
    [InlineData("truncate: 10")]
    [InlineData("slice: 3, 5")]
    [InlineData("size")]
    public async Task A_text_filter_on_a_huge_text_is_charged_by_its_length_and_stops_at_MaxWork(string filter)
    {
        // Each call is charged 900,000 / 16 units: about 90 calls exhaust the default 5,000,000 units, far fewer than the
        // loop's 1,000 iterations, whatever the filter costs to run.
        var ex = await StopsAsync("{% for i in (1..1000) %}{% assign r = text | " + filter + " %}{% endfor %}");

        Assert.Equal(nameof(TemplateLimits.MaxWork), ex.LimitName);
    }

    private static async Task<TemplateLimitExceededException> StopsAsync(string source)
    {
        var template = Template.ParseOrThrow(source, new TemplateOptions { Syntax = TemplateSyntax.Liquid });
        var model = Model.Value;
        return await Bounded.RunAsync(() => Assert.Throws<TemplateLimitExceededException>(() => template.Render(model)), Cap, source);
    }
}
