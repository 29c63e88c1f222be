namespace Personalize.Templates.Tests;

public sealed class WhitespaceTests
{
    [Fact]
    public void Code_blocks_preceded_only_by_white_space_indent_multi_line_values()
    {
        var output = Template.Parse("{{ a_multi_line_value = \"test1\\ntest2\\ntest3\\n\" ~}}\n   {{ a_multi_line_value }}Hello").Render();

        Assert.Equal("   test1\n   test2\n   test3\nHello", output);
    }

    [Fact]
    public void A_greedy_right_strip_on_the_previous_line_skips_the_indent()
    {
        var output = Template.Parse("{{ a_multi_line_value = \"test1\\ntest2\\ntest3\\n\" -}}\n   {{ a_multi_line_value }}Hello").Render();

        Assert.Equal("test1\ntest2\ntest3\nHello", output);
    }

    [Fact]
    public void Values_after_other_text_on_the_line_are_not_indented()
    {
        Assert.Equal("x: a\nb", Template.Parse("x: {{ 'a\\nb' }}").Render());
    }

    [Theory]
    [InlineData("a  \n  {{- 'x' -}}  \n  b", "axb")]
    [InlineData("a  \n  {{~ 'x' ~}}  \n  b", "a  \nx  b")]
    [InlineData("[{%{ {{ not code }} }%}]", "[ {{ not code }} ]")]
    [InlineData("[{%%{ }%} }%%}]", "[ }%} ]")]
    [InlineData("a {{# comment }} b", "a  b")]
    [InlineData("a {{## multi\nline ## 'x' }} b", "a x b")]
    public void Whitespace_control_comments_and_escapes(string source, string expected)
    {
        Assert.Equal(expected, Template.Parse(source).Render());
    }
}
