using Personalize.Templates.Builtins;
using Personalize.Templates.Runtime;
using static Personalize.Templates.Tests.Builtins.BuiltinHarness;

namespace Personalize.Templates.Tests.Builtins;

/// <summary>
/// Every builtin, fed null, empty and wrong-typed values in each position, returns a value or a render error with its
/// own message — never a crash, and never a raw .NET exception wrapped by the binder ("The function `x` failed: …").
/// </summary>
public sealed class BuiltinRobustnessTests
{
    private static readonly object?[] Probes =
    [
        null, string.Empty, "abc", "-3", 0, -1, int.MaxValue, long.MinValue, 3.5, double.NaN, 1e300, true,
        new ScriptArray(), Array(1, null, "x"), new ScriptObject(), Object(("a", 1)), new DateTime(2026, 3, 15), TimeSpan.FromHours(1),
    ];

    public static TheoryData<string> Functions()
    {
        var data = new TheoryData<string>();
        foreach (var obj in BuiltinObjects.Root)
        {
            if (obj.Value is not ScriptObject members)
            {
                continue;
            }

            foreach (var member in members)
            {
                if (member.Value is ScriptFunction)
                {
                    data.Add(obj.Key + "." + member.Key);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Functions))]
    public void Bad_arguments_give_a_value_or_a_render_error(string name)
    {
        var function = (ScriptFunction)Function(name);
        var arity = Math.Max(function.RequiredCount, 1) + 1;
        for (var position = 0; position < arity; position++)
        {
            foreach (var probe in Probes)
            {
                var arguments = new object?[Math.Max(function.RequiredCount, position + 1)];
                for (var i = 0; i < arguments.Length; i++)
                {
                    arguments[i] = i == position ? probe : 1;
                }

                var context = Context(limits: TemplateLimits.Default with { RegexTimeout = TimeSpan.FromMilliseconds(50) });
                try
                {
                    var result = Call(context, name, arguments);
                    _ = context.ToText(result);
                }
                catch (TemplateRuntimeException ex)
                {
                    Assert.False(
                        ex.Message.Contains("` failed: ", StringComparison.Ordinal),
                        $"{name}({string.Join(", ", arguments.Select(a => a?.ToString() ?? "null"))}) leaked {ex.InnerException?.GetType().Name}: {ex.Message}");
                }
                catch (Exception ex)
                {
                    Assert.Fail($"{name}({string.Join(", ", arguments.Select(a => a?.ToString() ?? "null"))}) crashed with {ex.GetType().Name}: {ex.Message}");
                }
            }
        }
    }
}
