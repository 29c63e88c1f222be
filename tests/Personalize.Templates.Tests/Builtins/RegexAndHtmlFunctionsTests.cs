using static Personalize.Templates.Tests.Builtins.BuiltinHarness;

namespace Personalize.Templates.Tests.Builtins;

public sealed class RegexAndHtmlFunctionsTests
{
    [Fact]
    public void Regex_functions()
    {
        Assert.Equal("\\(abc\\.\\*\\)", Text("regex.escape", "(abc.*)"));
        Assert.Equal("(abc.*)", Text("regex.unescape", "\\(abc\\.\\*\\)"));
        Assert.Equal("[\"is a text123\", \"is\", \"text123\"]", Text("regex.match", "this is a text123", @"(\w+) a ([a-z]+\d+)"));
        Assert.Equal("[]", Text("regex.match", "regex pattern", "string not matched"));
        Assert.Equal("[[\"this\", \"this\"], [\"is\", \"is\"], [\"a\", \"a\"], [\"text123\", \"text123\"]]", Text("regex.matches", "this is a text123", @"(\w+)"));
        Assert.Equal("a-Yo-d", Text("regex.replace", "abbbbcccd", "b+c+", "-Yo-"));
        Assert.Equal("[\"a\", \"b\", \"c\", \"d\"]", Text("regex.split", "a, b   , c,    d", @"\s*,\s*"));
        Assert.Equal("[\"ABC\"]", Text("regex.match", "xABCx", "abc", "i"));
    }

    [Fact]
    public void Regex_errors_are_clear()
    {
        var invalid = Assert.ThrowsAny<TemplateRuntimeException>(() => Call(Context(), "regex.match", "x", "(unclosed"));
        Assert.Contains("Invalid regular expression", invalid.Message, StringComparison.Ordinal);
        var option = Assert.ThrowsAny<TemplateRuntimeException>(() => Call(Context(), "regex.match", "x", "x", "q"));
        Assert.Contains("regex option", option.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Html_escape_and_newlines()
    {
        Assert.Equal("&lt;p&gt;This is a paragraph&lt;/p&gt;", Text("html.escape", "<p>This is a paragraph</p>"));
        Assert.Equal("a &amp; &quot;b&quot; &#39;c&#39;", Text("html.escape", "a & \"b\" 'c'"));
        Assert.Equal("Hello<br />\nworld", Text("html.newline_to_br", "Hello\nworld"));
        Assert.Equal("a<br />\r\nb<br />\rc", Text("html.newline_to_br", "a\r\nb\rc"));
        Assert.Equal(string.Empty, Text("html.escape", [null]));
    }

    [Theory]
    [InlineData("<p>This is a paragraph</p>", "This is a paragraph")]
    [InlineData("<hello> and test", " and test")]
    [InlineData("<hello x='yoy>' y='yes'> and test", " and test")]
    [InlineData("</html> and test </body>", " and test ")]
    [InlineData("<script type='text/javascript'>\nif (i < 5) { }\n</script> and noscript", " and noscript")]
    [InlineData("a <!-- <b>hidden</b> --> b", "a  b")]
    [InlineData("1 < 2 and 3 > 2", "1 < 2 and 3 > 2")]
    [InlineData("unterminated <b", "unterminated <b")]
    public void Html_strip(string input, string expected) => Assert.Equal(expected, Text("html.strip", input));

    [Fact]
    public void Url_encoding()
    {
        Assert.Equal("john%40liquid.com", Text("html.url_encode", "john@liquid.com"));
        Assert.Equal("a%20b%26c%3Dd%2Fe", Text("html.url_encode", "a b&c=d/e"));
        Assert.Equal("%3Chello%3E%20&%20%3Cscriban%3E", Text("html.url_escape", "<hello> & <scriban>"));
        Assert.Equal("https://example.com/a%20path/?q=%3Ctag%3E&ok=true#frag", Text("html.url_escape", "https://example.com/a path/?q=<tag>&ok=true#frag"));
        Assert.Equal("caf%C3%A9", Text("html.url_escape", "café"));
    }
}
