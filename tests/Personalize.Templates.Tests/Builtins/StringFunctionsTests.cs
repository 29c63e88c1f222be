using static Personalize.Templates.Tests.Builtins.BuiltinHarness;

namespace Personalize.Templates.Tests.Builtins;

public sealed class StringFunctionsTests
{
    [Theory]
    [InlineData("string.capitalize", "test", "Test")]
    [InlineData("string.capitalizewords", "This is easy", "This Is Easy")]
    [InlineData("string.downcase", "TeSt", "test")]
    [InlineData("string.upcase", "test", "TEST")]
    [InlineData("string.handleize", "100% M & Ms!!!", "100-m-ms")]
    [InlineData("string.handleize", "This & is a @@^^&%%%%% value@@", "this-is-a-value")]
    [InlineData("string.lstrip", "   too many spaces", "too many spaces")]
    [InlineData("string.rstrip", "   too many spaces   ", "   too many spaces")]
    [InlineData("string.strip", "   too many spaces   ", "too many spaces")]
    [InlineData("string.strip_newlines", "This is a string.\r\n With \nanother \rstring", "This is a string. With another string")]
    [InlineData("string.escape", "Hel\tlo\n\"W\\orld", "Hel\\tlo\\n\\\"W\\\\orld")]
    [InlineData("string.literal", "Hello\n\"World\"", "\"Hello\\n\\\"World\\\"\"")]
    [InlineData("string.md5", "test", "098f6bcd4621d373cade4e832627b4f6")]
    [InlineData("string.sha1", "test", "a94a8fe5ccb19ba61c4c0873d391e987982fbbd3")]
    [InlineData("string.sha256", "test", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")]
    [InlineData("string.base64_encode", "hello", "aGVsbG8=")]
    [InlineData("string.base64_decode", "aGVsbG8=", "hello")]
    [InlineData("string.size", "test", "4")]
    public void One_argument_functions(string function, string input, string expected) => Assert.Equal(expected, Text(function, input));

    [Theory]
    [InlineData("string.capitalize")]
    [InlineData("string.capitalizewords")]
    [InlineData("string.downcase")]
    [InlineData("string.upcase")]
    [InlineData("string.handleize")]
    [InlineData("string.lstrip")]
    [InlineData("string.rstrip")]
    [InlineData("string.strip")]
    [InlineData("string.strip_newlines")]
    [InlineData("string.escape")]
    [InlineData("string.base64_decode")]
    public void Null_text_gives_empty_text(string function) => Assert.Equal(string.Empty, Text(function, [null]));

    [Fact]
    public void Hmac_uses_the_secret_key()
    {
        Assert.Equal("1aa349585ed7ecbd3b9c486a30067e395ca4b356", Text("string.hmac_sha1", "test", "secret"));
        Assert.Equal("0329a06b62cd16b33eb6792be8c60b158d89a2ee3a876fce9a881ebb488c0914", Text("string.hmac_sha256", "test", "secret"));
    }

    [Fact]
    public void Remove_and_replace_variants()
    {
        const string text = "Hello, world. Goodbye, world.";
        Assert.Equal("Hello, . Goodbye, .", Text("string.remove", text, "world"));
        Assert.Equal("Hello, . Goodbye, world.", Text("string.remove_first", text, "world"));
        Assert.Equal("Hello, world. Goodbye, .", Text("string.remove_last", text, "world"));
        Assert.Equal("Hello, buddy. Goodbye, buddy.", Text("string.replace", text, "world", "buddy"));
        Assert.Equal("Hello, buddy. Goodbye, world.", Text("string.replace_first", text, "world", "buddy"));
        Assert.Equal("Hello, world. Goodbye, buddy.", Text("string.replace_first", text, "world", "buddy", true));
        Assert.Equal(text, Text("string.remove", text, null));
        Assert.Equal(string.Empty, Text("string.remove", null, "x"));
        Assert.Equal("yoyo", Text("string.replace_first", "yoyo", null, "boom"));
    }

    [Theory]
    [InlineData("test", 1, null, "est")]
    [InlineData("test", 1, 2, "es")]
    [InlineData("test", -5, 3, "te")]
    [InlineData("test", 3, 5, "t")]
    [InlineData("test", 10, null, "")]
    [InlineData("test", -2, null, "st")]
    [InlineData("test", -10, null, "")]
    [InlineData(null, 1, null, "")]
    public void Slice(string? text, int start, int? length, string expected) =>
        Assert.Equal(expected, length is null ? Text("string.slice", text, start) : Text("string.slice", text, start, length));

    [Theory]
    [InlineData("test", 1, null, "e")]
    [InlineData("test", 1, 2, "es")]
    [InlineData("test", -5, 3, "te")]
    [InlineData("test", -2, null, "s")]
    [InlineData("hello", 0, null, "h")]
    public void Slice1(string? text, int start, int? length, string expected) =>
        Assert.Equal(expected, length is null ? Text("string.slice1", text, start) : Text("string.slice1", text, start, length));

    [Fact]
    public void Slice_accepts_the_named_length()
    {
        Assert.Equal("ell", BuiltinHarness.Context().ToText(CallNamed(Context(), "string.slice", ["hello", 1], [("length", 3)])));
    }

    [Fact]
    public void Split_drops_empty_parts()
    {
        Assert.Equal("[\"a\", \"b\", \"c\", \"d\", \"e\", \"f\"]", Text("string.split", "a/b/c/d/e//f", "/"));
        Assert.Equal("[]", Text("string.split", null, "/"));
    }

    [Fact]
    public void Truncate_and_truncatewords()
    {
        Assert.Equal("The cat ca...", Text("string.truncate", "The cat came back the very next day", 13));
        Assert.Equal("This i and blabla...", Text("string.truncate", "This is a long test with several chars in it but going to be truncated", 20, " and blabla..."));
        Assert.Equal("The cat came back...", Text("string.truncatewords", "The cat came back the very next day", 4));
        Assert.Equal("short text...", Text("string.truncatewords", "short text", 2)); // Scriban appends the ellipsis even when nothing is cut
        Assert.Equal(string.Empty, Text("string.truncatewords", string.Empty, 5));
    }

    [Fact]
    public void Predicates_handle_null()
    {
        Assert.Equal("false", Text("string.contains", null, "ta"));
        Assert.Equal("false", Text("string.contains", "tota", null));
        Assert.Equal("true", Text("string.empty", string.Empty));
        Assert.Equal("true", Text("string.whitespace", "  "));
        Assert.Equal("false", Text("string.whitespace", "tota"));
        Assert.Equal("false", Text("string.starts_with", null, "ta"));
        Assert.Equal("false", Text("string.ends_with", "tota", null));
        Assert.Equal("true", Text("string.equals_ignore_case", "Scriban", "SCRIBAN"));
    }

    [Fact]
    public void Number_conversions()
    {
        Assert.Equal(123, Call(Context(), "string.to_int", "123"));
        Assert.Null(Call(Context(), "string.to_int", "12x"));
        Assert.Equal(1234567891234567L, Call(Context(), "string.to_long", "1234567891234567"));
        Assert.Equal(123.2, Call(Context(), "string.to_float", "123.2"));
        Assert.Equal(123.4, Call(Context(), "string.to_double", "123.4"));
    }

    [Fact]
    public void Pluralize_and_padding()
    {
        Assert.Equal("items", Text("string.pluralize", 5, "item", "items"));
        Assert.Equal("item", Text("string.pluralize", 1, "item", "items"));
        Assert.Equal("     world", Text("string.pad_left", "world", 10));
        Assert.Equal("hello     ", Text("string.pad_right", "hello", 10));
        Assert.Equal("hello", Text("string.pad_right", "hello", -3));
    }

    [Fact]
    public void Index_of()
    {
        Assert.Equal("2", Text("string.index_of", "hello", "l"));
        Assert.Equal("3", Text("string.index_of", "hello", "l", 3));
        Assert.Equal("-1", Text("string.index_of", "hello", "L"));
        Assert.Equal("2", Text("string.index_of", "hello", "L", null, null, "OrdinalIgnoreCase"));
        Assert.ThrowsAny<TemplateRuntimeException>(() => Call(Context(), "string.index_of", "hello", "l", null, null, "Bogus"));
    }

    [Fact]
    public void Invalid_base64_is_a_clear_error()
    {
        var error = Assert.ThrowsAny<TemplateRuntimeException>(() => Call(Context(), "string.base64_decode", "not base64!"));
        Assert.Contains("Base64", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_wrong_type_for_a_number_parameter_is_an_error()
    {
        Assert.ThrowsAny<TemplateRuntimeException>(() => Call(Context(), "string.pad_left", "x", "wide"));
    }
}
