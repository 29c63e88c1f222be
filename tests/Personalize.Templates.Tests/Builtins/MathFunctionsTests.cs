using static Personalize.Templates.Tests.Builtins.BuiltinHarness;

namespace Personalize.Templates.Tests.Builtins;

public sealed class MathFunctionsTests
{
    [Fact]
    public void Documented_examples()
    {
        Assert.Equal("15.5", Text("math.abs", -15.5));
        Assert.Equal("5", Text("math.abs", -5));
        Assert.Equal("5", Text("math.ceil", 4.3));
        Assert.Equal("4", Text("math.floor", 4.6));
        Assert.Equal("5", Text("math.round", 4.6));
        Assert.Equal("4.56", Text("math.round", 4.5612, 2));
        Assert.Equal("250", Text("math.minus", 255, 5));
        Assert.Equal("1", Text("math.modulo", 11, 10));
        Assert.Equal("3", Text("math.plus", 1, 2));
        Assert.Equal("6", Text("math.times", 2, 3));
        Assert.Equal("00FF", Text("math.format", 255, "X4"));
        Assert.Equal("4.24", Text("math.format", 4.2435, "0.##"));
    }

    [Fact]
    public void Divided_by_floors_for_an_integer_divisor_only()
    {
        Assert.Equal("4", Text("math.divided_by", 8.4, 2));
        Assert.Equal(4.2, (double)Call(Context(), "math.divided_by", 8.4, 2.0)!, 10);
        Assert.Equal("3", Text("math.divided_by", 7, 2));
        Assert.Equal("-4", Text("math.divided_by", -7, 2));
        Assert.ThrowsAny<TemplateRuntimeException>(() => Call(Context(), "math.divided_by", 1, 0));
    }

    [Fact]
    public void Null_operands_give_null_except_where_Scriban_counts_nil_as_0()
    {
        Assert.Null(Call(Context(), "math.plus", null, 1));
        Assert.Null(Call(Context(), "math.plus", 1, null));
        Assert.Null(Call(Context(), "math.minus", null, 1));
        Assert.Null(Call(Context(), "math.times", 1, null));
        Assert.Null(Call(Context(), "math.divided_by", 1, null));
        Assert.Null(Call(Context(), "math.modulo", 1, null));
        Assert.Null(Call(Context(), "math.abs", [null]));
        Assert.Equal(0, Call(Context(), "math.round", [null]));
        Assert.Equal(0, Call(Context(), "math.floor", [null]));
        Assert.Equal(0, Call(Context(), "math.ceil", [null]));
        Assert.Equal(0, Call(Context(), "math.divided_by", null, 2));
    }

    [Fact]
    public void Is_number()
    {
        Assert.Equal("true", Text("math.is_number", 4.5));
        Assert.Equal("true", Text("math.is_number", 4));
        Assert.Equal("false", Text("math.is_number", "toto"));
        Assert.Equal("false", Text("math.is_number", [null]));
    }

    [Fact]
    public void Non_numbers_are_clear_errors()
    {
        var error = Assert.ThrowsAny<TemplateRuntimeException>(() => Call(Context(), "math.floor", "abc"));
        Assert.Contains("math.floor", error.Message, StringComparison.Ordinal);
        Assert.ThrowsAny<TemplateRuntimeException>(() => Call(Context(), "math.format", "abc", "N2"));
        Assert.ThrowsAny<TemplateRuntimeException>(() => Call(Context(), "math.format", 2.5, "X4"));
    }

    [Fact]
    public void Random_and_uuid()
    {
        for (var i = 0; i < 20; i++)
        {
            var value = (int)Call(Context(), "math.random", 1, 3)!;
            Assert.InRange(value, 1, 2);
        }

        Assert.ThrowsAny<TemplateRuntimeException>(() => Call(Context(), "math.random", 5, 1));
        Assert.True(Guid.TryParse(Text("math.uuid"), out _));
    }
}
