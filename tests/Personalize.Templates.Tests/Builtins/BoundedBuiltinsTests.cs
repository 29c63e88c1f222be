using static Personalize.Templates.Tests.Builtins.BuiltinHarness;

namespace Personalize.Templates.Tests.Builtins;

public sealed class BoundedBuiltinsTests
{
    [Theory]
    [InlineData("string.pad_left")]
    [InlineData("string.pad_right")]
    public void Huge_padding_hits_max_string_length(string function)
    {
        var error = Assert.Throws<TemplateLimitExceededException>(() => Call(Context(), function, "x", 1_000_000_000));
        Assert.Equal(nameof(TemplateLimits.MaxStringLength), error.LimitName);
    }

    [Fact]
    public void Huge_date_padding_hits_max_string_length()
    {
        var error = Assert.Throws<TemplateLimitExceededException>(() => Call(Context(), "date.to_string", new DateTime(2026, 1, 1), "%1000000000d"));
        Assert.Equal(nameof(TemplateLimits.MaxStringLength), error.LimitName);
        Assert.Equal("0000000001", Text("date.to_string", new DateTime(2026, 1, 1), "%10d"));
    }

    [Fact]
    public void Replace_that_would_explode_hits_max_string_length()
    {
        var context = Context(limits: TemplateLimits.Default with { MaxStringLength = 1000 });
        var error = Assert.Throws<TemplateLimitExceededException>(() => Call(context, "string.replace", new string('a', 100), "a", new string('b', 100)));
        Assert.Equal(nameof(TemplateLimits.MaxStringLength), error.LimitName);
    }

    [Fact]
    public void Array_functions_over_a_huge_sequence_hit_max_loop_iterations()
    {
        var huge = Enumerable.Range(0, int.MaxValue).Select(i => (object?)i);
        var error = Assert.Throws<TemplateLimitExceededException>(() => Call(Context(), "array.reverse", huge));
        Assert.Equal(nameof(TemplateLimits.MaxLoopIterations), error.LimitName);
        Assert.Throws<TemplateLimitExceededException>(() => Call(Context(), "array.join", huge, ","));
        Assert.Throws<TemplateLimitExceededException>(() => Call(Context(), "array.uniq", huge));
    }

    [Fact]
    public void Repeated_doubling_of_an_array_is_stopped()
    {
        var context = Context();
        object? list = Array(1, 2, 3, 4, 5, 6, 7, 8);
        var error = Assert.Throws<TemplateLimitExceededException>(() =>
        {
            for (var i = 0; i < 40; i++)
            {
                list = Call(context, "array.add_range", list, list);
            }
        });
        Assert.Equal(nameof(TemplateLimits.MaxLoopIterations), error.LimitName);
    }

    [Fact]
    public void Insert_far_past_the_end_is_bounded()
    {
        var error = Assert.Throws<TemplateLimitExceededException>(() => Call(Context(), "array.insert_at", Array(), 2_000_000_000, 1));
        Assert.Equal(nameof(TemplateLimits.MaxLoopIterations), error.LimitName);
    }

    [Fact]
    public void Catastrophic_regex_hits_the_regex_timeout()
    {
        var context = Context(limits: TemplateLimits.Default with { RegexTimeout = TimeSpan.FromMilliseconds(20) });
        var input = new string('a', 40) + "!";
        foreach (var function in new[] { "regex.match", "regex.matches", "regex.split" })
        {
            var error = Assert.Throws<TemplateLimitExceededException>(() => Call(context, function, input, "^(?=a)(a+)+$"));
            Assert.Equal(nameof(TemplateLimits.RegexTimeout), error.LimitName);
        }

        var replace = Assert.Throws<TemplateLimitExceededException>(() => Call(context, "regex.replace", input, "^(?=a)(a+)+$", "x"));
        Assert.Equal(nameof(TemplateLimits.RegexTimeout), replace.LimitName);
    }

    [Fact]
    public void Split_into_many_parts_is_charged()
    {
        var context = Context(limits: TemplateLimits.Default with { MaxLoopIterations = 10 });
        Assert.Throws<TemplateLimitExceededException>(() => Call(context, "string.split", new string(',', 50).Replace(",", "a,", StringComparison.Ordinal), ","));
    }
}
