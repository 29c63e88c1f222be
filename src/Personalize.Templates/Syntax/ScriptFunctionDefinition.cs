using Personalize.Templates.Runtime;

namespace Personalize.Templates.Syntax;

/// <summary>
/// A function written in the template (<c>func name … end</c>, <c>func name(x, y) … end</c>, <c>f(x) = …</c>, <c>do … end</c>).
/// Simple functions (no parameter list) see their arguments as <c>$</c>, <c>$0</c>…; parametric ones also get a new
/// scope holding the parameters.
/// </summary>
internal sealed class ScriptFunctionDefinition : IScriptFunction
{
    public ScriptFunctionDefinition(string name, FunctionParameter[]? parameters, ScriptBlock body, SourceSpan span)
    {
        Name = name;
        Parameters = parameters;
        Body = body;
        Span = span;
    }

    public string Name { get; }

    public FunctionParameter[]? Parameters { get; }

    public ScriptBlock Body { get; }

    public SourceSpan Span { get; }

    /// <summary>Gets the syntax nodes of the function: its parameters' default values, then its body.</summary>
    public IEnumerable<ScriptNode?> Nodes => (Parameters ?? []).Select(p => (ScriptNode?)p.DefaultValue).Append(Body);

    public object? Invoke(TemplateContext context, ScriptArguments arguments)
    {
        context.CheckStack();
        context.ChargeWork(Body.Weight);
        var callSpan = arguments.Span;
        var all = arguments.ToScriptArray();
        context.PushFrame(all);
        var pushedScope = false;
        try
        {
            if (Parameters is not null)
            {
                context.PushScope(Bind(context, arguments, callSpan));
                pushedScope = true;
            }

            Body.Execute(context);
            var result = context.Flow == ControlFlow.Return ? context.ReturnValue : null;
            context.Flow = ControlFlow.None;
            context.ReturnValue = null;
            return result;
        }
        finally
        {
            if (pushedScope)
            {
                context.PopScope();
            }

            context.PopFrame();
        }
    }

    private ScriptObject Bind(TemplateContext context, ScriptArguments arguments, SourceSpan callSpan)
    {
        var parameters = Parameters!;
        var scope = new ScriptObject(parameters.Length);
        var positional = arguments.Positional;
        var p = 0;
        for (var i = 0; i < positional.Length; i++)
        {
            if (p >= parameters.Length)
            {
                throw context.Error(callSpan, $"Too many arguments for `{Name}`: it takes {parameters.Length}, {positional.Length} were given.");
            }

            var parameter = parameters[p];
            if (parameter.IsVariadic)
            {
                var rest = new ScriptArray();
                for (var j = i; j < positional.Length; j++)
                {
                    rest.Add(positional[j]);
                }

                scope.SetValue(parameter.Name, rest);
                p++;
                break;
            }

            scope.SetValue(parameter.Name, positional[i]);
            p++;
        }

        foreach (var named in arguments.Named)
        {
            var index = Array.FindIndex(parameters, x => x.Name == named.Key);
            if (index < 0)
            {
                throw context.Error(callSpan, $"The function `{Name}` has no parameter named `{named.Key}`.");
            }

            scope.SetValue(named.Key, named.Value);
        }

        foreach (var parameter in parameters)
        {
            if (scope.ContainsKey(parameter.Name))
            {
                continue;
            }

            if (parameter.IsVariadic)
            {
                scope.SetValue(parameter.Name, new ScriptArray());
            }
            else if (parameter.DefaultValue is not null)
            {
                scope.SetValue(parameter.Name, parameter.DefaultValue.Evaluate(context));
            }
            else
            {
                throw context.Error(callSpan, $"Missing argument `{parameter.Name}` for the function `{Name}`.");
            }
        }

        return scope;
    }
}
