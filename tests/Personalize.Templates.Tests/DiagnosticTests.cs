namespace Personalize.Templates.Tests;

/// <summary>Each parse diagnostic: where it points and that its message says what to do.</summary>
public sealed class DiagnosticTests
{
    [Theory]
    [InlineData("{{ 1 + }}", "Expecting an <expression> to the right of the operator", 1, 8)]
    [InlineData("{{ ! }}", "Error while parsing unary expression: Expecting <expression>", 1, 6)]
    [InlineData("{{ x | }}", "Error while parsing pipe expression: Expecting <expression>", 1, 8)]
    [InlineData("{{ (1 + 2 }}", "Expecting a closing `)`", 1, 11)]
    [InlineData("{{ [1, 2 }}", "while expecting `]`", 1, 10)]
    [InlineData("{{ x[ }}", "Expecting <index_expression>", 1, 7)]
    [InlineData("{{ {5: 1} }}", "Expecting a simple identifier for the member name", 1, 5)]
    [InlineData("{{ {a 1} }}", "Expecting a colon : after identifier `a`", 1, 7)]
    [InlineData("{{ true ? 1 }}", "Expecting `:` in the conditional expression", 1, 13)]
    [InlineData("{{ x = }}", "Expecting <expression> instead of `}}`", 1, 8)]
    [InlineData("{{ (1 + 2) = 3 }}", "Unsupported target expression for assignment.", 1, 5)]
    [InlineData("{{ if x = 1 }}{{ end }}", "Expression is only allowed for a top level assignment", 1, 7)]
    [InlineData("{{ if }}{{ end }}", "Error while parsing if statement: Expecting <expression>", 1, 7)]
    [InlineData("{{ if true }}never closed", "The <end> statement was not found", 1, 14)]
    [InlineData("{{ else }}", "A else condition must be preceded by another if/else/when condition or a for loop.", 1, 4)]
    [InlineData("{{ end }}", "Unexpected `end`: there is no open block", 1, 4)]
    [InlineData("{{ when 1 }}", "A `when` must be inside a `case … end` block.", 1, 4)]
    [InlineData("{{ case 1 }}{{ x = 1 }}{{ end }}", "Only `when`/`else` are expected.", 1, 16)]
    [InlineData("{{ for 5 in x }}{{ end }}", "Expecting a variable instead of `5`", 1, 4)]
    [InlineData("{{ for x of y }}{{ end }}", "Expecting 'in' word instead of `of`", 1, 4)]
    [InlineData("{{ for x in }}{{ end }}", "Error while parsing for statement: Expecting <expression>", 1, 13)]
    [InlineData("{{ for x in y limit 2 }}{{ end }}", "Expecting `:` after `limit`", 1, 21)]
    [InlineData("{{ while }}{{ end }}", "Error while parsing while statement: Expecting <expression>", 1, 10)]
    [InlineData("{{ break }}", "The <break> statement can only be used inside for/while loops", 1, 4)]
    [InlineData("{{ continue }}", "The <continue> statement can only be used inside for/while loops", 1, 4)]
    [InlineData("{{ capture }}{{ end }}", "Error while parsing capture statement: Expecting <expression>", 1, 12)]
    [InlineData("{{ with }}{{ end }}", "Error while parsing with statement: Expecting <expression>", 1, 9)]
    [InlineData("{{ readonly 5 }}", "Expecting a variable name instead of `5`", 1, 13)]
    [InlineData("{{ import }}", "Error while parsing import statement: Expecting <expression>", 1, 11)]
    [InlineData("{{ func 5 }}{{ end }}", "Expecting a function name instead of `5`", 1, 9)]
    [InlineData("{{ func f(x = 1, y); end }}", "Cannot declare a normal parameter after an optional parameter.", 1, 18)]
    [InlineData("{{ func f(x..., y = 1); end }}", "Cannot declare an optional parameter after a variable parameter (`...`).", 1, 17)]
    [InlineData("{{ func f; }}", "Error while parsing function statement: The <end> statement was not found", 1, 12)]
    [InlineData("{{ wrap (f) }}{{ end }}", "Expecting a direct function instead of the expression `(f)/nested expression`", 1, 9)]
    [InlineData("{{ for.bogus }}", "The loop variable <for.bogus> is not supported", 1, 4)]
    [InlineData("{{ while.last }}", "The loop variable <while.last> is invalid", 1, 4)]
    [InlineData("{{ x y z ) }}", "Invalid token found `)`. Expecting <EOL>/end of line.", 1, 10)]
    [InlineData("{{ 'abc }}", "string not terminated", 1, 4)]
    [InlineData("{{ \"\\u12\" }}", "Invalid unicode escape", 1, 5)]
    [InlineData("{{ $\"a {1 + \n2}\" }}", "Opened interpolated expression not closed on the same line.", 1, 13)]
    [InlineData("{{ $\"a {}\" }}", "An interpolation `{}` is empty", 1, 8)]
    [InlineData("{%{ never closed", "The escape block `{%{` is not closed", 1, 1)]
    [InlineData("{{ x ~ y }}", "Unexpected character `~` in code.", 1, 6)]
    [InlineData("{{ x. }}", "Expecting a member name after `.`", 1, 7)]
    public void Reports_the_problem_where_it_is(string source, string message, int line, int column)
    {
        var template = Template.Parse(source);

        Assert.True(template.HasErrors);
        var diagnostic = template.Diagnostics.FirstOrDefault(d => d.Message.Contains(message, StringComparison.Ordinal));
        Assert.True(diagnostic is not null, $"No diagnostic containing `{message}`; got:\n{string.Join("\n", template.Diagnostics)}");
        Assert.Equal((line, column), (diagnostic!.Line, diagnostic.Column));
        Assert.Equal(TemplateDiagnosticSeverity.Error, diagnostic.Severity);
    }

    [Fact]
    public void Parsing_recovers_and_reports_several_errors()
    {
        var template = Template.Parse("{{ 1 + }}\n{{ if }}{{ end }}\n{{ break }}");

        Assert.Equal(3, template.Diagnostics.Count);
        Assert.Equal(new[] { 1, 2, 3 }, template.Diagnostics.Select(d => d.Line));
    }
}
