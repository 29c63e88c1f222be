using System.Text;
using Personalize.Templates.Builtins;
using Personalize.Templates.Rendering;
using Personalize.Templates.Runtime;

namespace Personalize.Templates.Tests.Builtins;

/// <summary>Calls builtins the way a template does (through the registered script function and its argument binder), without the parser.</summary>
internal static class BuiltinHarness
{
    public static TemplateContext Context(RenderOptions? render = null, TemplateLimits? limits = null)
    {
        var context = new TemplateContext();
        var options = TemplateOptions.Default with { Limits = limits ?? TemplateLimits.Default };
        context.Configure(options, render ?? RenderOptions.Default, new StringBuilderOutput(new StringBuilder()));

        // The scopes of a render (builtins, then the template's variables), so `object.eval` sees what a template sees.
        context.PushScope(BuiltinObjects.Root);
        context.PushScope(new ScriptObject());
        context.PushFrame(null);
        return context;
    }

    /// <summary>Calls e.g. <c>"string.pad_left"</c> with positional arguments (the first is the piped value).</summary>
    public static object? Call(TemplateContext context, string name, params object?[] arguments) => CallNamed(context, name, arguments, []);

    public static object? CallNamed(TemplateContext context, string name, object?[] arguments, (string Name, object? Value)[] named)
    {
        var function = Function(name);
        var args = new ScriptArguments();
        foreach (var argument in arguments)
        {
            args.Add(argument);
        }

        foreach (var (argumentName, value) in named)
        {
            args.AddNamed(argumentName, value);
        }

        return context.Invoke(function, args);
    }

    /// <summary>Calls a builtin and formats the result the way a template prints it.</summary>
    public static string Text(TemplateContext context, string name, params object?[] arguments) => context.ToText(Call(context, name, arguments));

    /// <summary>Calls a builtin with a fresh default context and formats the result.</summary>
    public static string Text(string name, params object?[] arguments) => Text(Context(), name, arguments);

    public static IScriptFunction Function(string name)
    {
        var dot = name.IndexOf('.', StringComparison.Ordinal);
        var obj = (ScriptObject)BuiltinObjects.Root[name[..dot]]!;
        return (IScriptFunction)(obj[name[(dot + 1)..]] ?? throw new ArgumentException($"No builtin {name}"));
    }

    public static ScriptArray Array(params object?[] items) => new(items);

    public static ScriptObject Object(params (string Key, object? Value)[] members)
    {
        var obj = new ScriptObject();
        foreach (var (key, value) in members)
        {
            obj[key] = value;
        }

        return obj;
    }
}
