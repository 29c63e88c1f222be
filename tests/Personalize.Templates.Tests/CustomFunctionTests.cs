using Personalize.Templates.Runtime;

namespace Personalize.Templates.Tests;

public sealed class CustomFunctionTests
{
    private static class Greetings
    {
        public static string Greet(string name, string greeting = "Hello", params object?[] extra) =>
            greeting + " " + name + (extra.Length > 0 ? " (" + string.Join("/", extra) + ")" : string.Empty);

        public static string Culture(TemplateContext context, decimal amount) => amount.ToString("N2", context.Culture);

        public static string Fail(TemplateContext context) => throw context.Error("nope, and here is how to fix it");
    }

    private static TemplateOptions WithGlobals(Action<ScriptObject> configure)
    {
        var globals = new ScriptObject();
        configure(globals);
        return new TemplateOptions { Globals = globals };
    }

    [Fact]
    public void Delegates_get_defaults_named_and_params_arguments()
    {
        var options = WithGlobals(g => g.Import("greet", new Func<string, string, object?[], string>(Greetings.Greet)));

        Assert.Equal("Hello Ann", Template.Parse("{{ greet 'Ann' }}", options).Render());
        Assert.Equal("Hi Ann", Template.Parse("{{ 'Ann' | greet greeting: 'Hi' }}", options).Render());
        Assert.Equal("Yo Ann (1/x)", Template.Parse("{{ greet('Ann', 'Yo', 1, 'x') }}", options).Render());
    }

    [Fact]
    public void Static_methods_import_under_snake_case_and_receive_the_context()
    {
        var options = WithGlobals(g => g.Import(typeof(Greetings)));

        Assert.Equal("1,234.50", Template.Parse("{{ culture 1234.5 }}", options).Render(null, new RenderOptions { Culture = new System.Globalization.CultureInfo("en-US") }));
        var ex = Assert.Throws<TemplateRuntimeException>(() => Template.Parse("\n  {{ fail }}", options).Render());
        Assert.Equal((2, 6), (ex.Line, ex.Column));
        Assert.Equal("nope, and here is how to fix it", ex.Detail);
    }

    [Fact]
    public void Wrong_arguments_are_render_errors_that_name_the_function()
    {
        var options = WithGlobals(g => g.Import("greet", new Func<string, string, object?[], string>(Greetings.Greet)));

        var ex = Assert.Throws<TemplateRuntimeException>(() => Template.Parse("{{ greet }}", options).Render());
        Assert.Contains("Missing argument `name` for the function `greet`", ex.Detail, StringComparison.Ordinal);
        ex = Assert.Throws<TemplateRuntimeException>(() => Template.Parse("{{ greet 'a' bogus: 1 }}", options).Render());
        Assert.Contains("no parameter named `bogus`", ex.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Exceptions_from_host_functions_become_positioned_render_errors()
    {
        var options = WithGlobals(g => g.Import("boom", new Func<string>(() => throw new InvalidOperationException("disk on fire"))));

        var ex = Assert.Throws<TemplateRuntimeException>(() => Template.Parse("{{ boom }}", options).Render());

        Assert.Contains("disk on fire", ex.Detail, StringComparison.Ordinal);
        Assert.Equal(1, ex.Line);
    }
}
