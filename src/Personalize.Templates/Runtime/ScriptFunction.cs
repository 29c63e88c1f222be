using System.Collections;
using System.Reflection;

namespace Personalize.Templates.Runtime;

/// <summary>
/// A .NET method or delegate exposed to templates as a function. Arguments are matched positionally,
/// then by name (<c>f "x" count: 2</c>; a name matches the .NET parameter name or its snake_case form),
/// missing ones take the parameter's default value, extra ones go to a trailing <c>params</c> array.
/// </summary>
/// <remarks>
/// Supported parameter types: <see cref="string"/>, <see cref="int"/>, <see cref="long"/>, <see cref="double"/>,
/// <see cref="float"/>, <see cref="decimal"/>, <see cref="bool"/> (truthiness), <see cref="object"/>,
/// <see cref="IEnumerable"/>, <see cref="ScriptArray"/>, <see cref="ScriptObject"/>, <see cref="IScriptFunction"/>,
/// <see cref="DateTime"/>, <see cref="DateTimeOffset"/>, <see cref="TimeSpan"/>, their nullable forms, and a trailing
/// <c>params object?[]</c>. A first parameter of type <see cref="TemplateContext"/> receives the render context and is not
/// an argument. Exceptions other than <see cref="TemplateRuntimeException"/> become render errors at the call position.
/// </remarks>
public sealed class ScriptFunction : IScriptFunction
{
    private readonly MethodInvoker _invoker;
    private readonly object? _target;
    private readonly ParameterBinding[] _parameters;
    private readonly bool _takesContext;
    private readonly int _paramsIndex;
    private readonly Type? _paramsElementType;

    private ScriptFunction(MethodInfo method, object? target, string name)
    {
        Name = name;
        _target = target;
        _invoker = MethodInvoker.Create(method);
        var parameters = method.GetParameters();
        _takesContext = parameters.Length > 0 && parameters[0].ParameterType == typeof(TemplateContext);
        var offset = _takesContext ? 1 : 0;
        if (parameters.Length - offset > 64)
        {
            throw new NotSupportedException($"The method `{method.Name}` has more than 64 parameters; script functions support at most 64.");
        }

        _parameters = new ParameterBinding[parameters.Length - offset];
        _paramsIndex = -1;
        for (var i = offset; i < parameters.Length; i++)
        {
            var p = parameters[i];
            _parameters[i - offset] = new ParameterBinding(p.Name ?? $"arg{i}", MemberRenamers.SnakeCase(p.Name ?? $"arg{i}"), p.ParameterType, p.HasDefaultValue, p.HasDefaultValue ? p.DefaultValue : null);
            if (i == parameters.Length - 1 && p.ParameterType.IsArray && p.IsDefined(typeof(ParamArrayAttribute)))
            {
                _paramsIndex = i - offset;
                _paramsElementType = p.ParameterType.GetElementType();
            }
        }

        RequiredCount = 0;
        for (var i = 0; i < _parameters.Length; i++)
        {
            if (i != _paramsIndex && !_parameters[i].HasDefault)
            {
                RequiredCount = i + 1;
            }
        }
    }

    /// <summary>Gets the name the function was imported under (for error messages).</summary>
    public string Name { get; }

    /// <summary>Gets the number of leading arguments that must be given.</summary>
    public int RequiredCount { get; }

    /// <summary>Wraps a method (static, or instance with <paramref name="target"/>) as a script function.</summary>
    /// <param name="method">The method.</param>
    /// <param name="name">The script name (snake_case of the method name when null).</param>
    /// <param name="target">The instance for an instance method.</param>
    /// <returns>The function.</returns>
    public static ScriptFunction FromMethod(MethodInfo method, string? name = null, object? target = null)
    {
        ArgumentNullException.ThrowIfNull(method);
        return new ScriptFunction(method, target, name ?? MemberRenamers.SnakeCase(method.Name));
    }

    /// <summary>Wraps a delegate as a script function.</summary>
    /// <param name="function">The delegate.</param>
    /// <param name="name">The script name (for error messages).</param>
    /// <returns>The function.</returns>
    public static ScriptFunction FromDelegate(Delegate function, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(function);
        return new ScriptFunction(function.Method, function.Target, name ?? MemberRenamers.SnakeCase(function.Method.Name));
    }

    /// <inheritdoc />
    public object? Invoke(TemplateContext context, ScriptArguments arguments)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(arguments);
        var offset = _takesContext ? 1 : 0;
        var total = _parameters.Length + offset;
        var buffer = default(ArgumentBuffer);
        Span<object?> values = total <= ArgumentBuffer.Length ? buffer : new object?[total];
        values = values[..total];
        var given = 0UL;
        if (_takesContext)
        {
            values[0] = context;
        }

        var positional = arguments.Positional;
        if (_paramsIndex < 0 && !arguments.HasNamed && positional.Length <= _parameters.Length)
        {
            // Common case: positional arguments only, no params array.
            for (var i = 0; i < _parameters.Length; i++)
            {
                var p = _parameters[i];
                if (i < positional.Length)
                {
                    var value = positional[i];
                    values[i + offset] = value is not null && Type.GetTypeHandle(value).Equals(p.Handle) ? value : Convert(context, value, p.Type, p.Name);
                }
                else if (p.HasDefault)
                {
                    values[i + offset] = p.DefaultValue;
                }
                else
                {
                    throw context.Error($"Missing argument `{p.ScriptName}` for the function `{Name}` (expects at least {RequiredCount} argument{(RequiredCount == 1 ? string.Empty : "s")}).");
                }
            }

            return InvokeMethod(context, values);
        }

        List<object?>? extra = null;
        for (var i = 0; i < positional.Length; i++)
        {
            if (i < _parameters.Length && i != _paramsIndex)
            {
                values[i + offset] = positional[i];
                given |= 1UL << i;
            }
            else if (_paramsIndex >= 0)
            {
                (extra ??= new List<object?>()).Add(positional[i]);
            }
            else
            {
                throw context.Error($"Too many arguments for `{Name}`: it takes at most {_parameters.Length}, {positional.Length} were given.");
            }
        }

        var namedArguments = arguments.HasNamed ? arguments.Named : Array.Empty<KeyValuePair<string, object?>>();
        for (var n = 0; n < namedArguments.Count; n++)
        {
            var named = namedArguments[n];
            var index = FindParameter(named.Key);
            if (index < 0)
            {
                throw context.Error($"The function `{Name}` has no parameter named `{named.Key}`.");
            }

            if (index == _paramsIndex)
            {
                (extra ??= new List<object?>()).Add(named.Value);
            }
            else
            {
                values[index + offset] = named.Value;
                given |= 1UL << index;
            }
        }

        for (var i = 0; i < _parameters.Length; i++)
        {
            var p = _parameters[i];
            if (i == _paramsIndex)
            {
                var elementType = _paramsElementType!;
                var array = CreateParamsArray(elementType, extra?.Count ?? 0);
                for (var j = 0; j < array.Length; j++)
                {
                    array.SetValue(Convert(context, extra![j], elementType, p.Name), j);
                }

                values[i + offset] = array;
                continue;
            }

            if ((given & (1UL << i)) == 0)
            {
                if (p.HasDefault)
                {
                    values[i + offset] = p.DefaultValue;
                    continue;
                }

                throw context.Error($"Missing argument `{p.ScriptName}` for the function `{Name}` (expects at least {RequiredCount} argument{(RequiredCount == 1 ? string.Empty : "s")}).");
            }

            var value = values[i + offset];
            if (value is null || !Type.GetTypeHandle(value).Equals(p.Handle))
            {
                values[i + offset] = Convert(context, value, p.Type, p.Name);
            }
        }

        return InvokeMethod(context, values);
    }

    private object? InvokeMethod(TemplateContext context, Span<object?> values)
    {
        try
        {
            return ScriptValue.Normalize(_invoker.Invoke(_target, values));
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            throw Wrap(context, ex.InnerException);
        }
        catch (Exception ex) when (ex is not TemplateRuntimeException and not OperationCanceledException)
        {
            throw Wrap(context, ex);
        }
    }

    private static Array CreateParamsArray(Type elementType, int length) =>
        elementType == typeof(object) ? new object?[length]
        : elementType == typeof(string) ? new string?[length]
        : elementType == typeof(int) ? new int[length]
        : elementType == typeof(long) ? new long[length]
        : elementType == typeof(double) ? new double[length]
        : elementType == typeof(decimal) ? new decimal[length]
        : throw new NotSupportedException($"params arrays of {elementType.Name} are not supported; use params object?[].");

    private Exception Wrap(TemplateContext context, Exception ex) => ex switch
    {
        TemplateRuntimeException or OperationCanceledException => ex,
        _ => context.Error($"The function `{Name}` failed: {ex.Message}", ex),
    };

    private int FindParameter(string name)
    {
        for (var i = 0; i < _parameters.Length; i++)
        {
            if (string.Equals(_parameters[i].Name, name, StringComparison.Ordinal) || string.Equals(_parameters[i].ScriptName, name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    internal static object? Convert(TemplateContext context, object? value, Type type, string parameterName)
    {
        if (value is not null && value.GetType() == type)
        {
            return value;
        }

        value = ScriptValue.Normalize(value);
        if (type == typeof(object))
        {
            return value;
        }

        var underlying = Nullable.GetUnderlyingType(type);
        if (underlying is not null)
        {
            if (value is null)
            {
                return null;
            }

            type = underlying;
        }

        if (value is not null && type.IsInstanceOfType(value) && type != typeof(IEnumerable))
        {
            return value;
        }

        if (type == typeof(string))
        {
            return value is null ? null : context.ToText(value);
        }

        if (type == typeof(bool))
        {
            return ScriptValue.IsTruthy(value);
        }

        if (type == typeof(int))
        {
            return ScriptValue.TryToInt32(value, out var i) ? i : throw ConversionError(context, value, "an integer", parameterName);
        }

        if (type == typeof(long))
        {
            return ScriptValue.TryToInt64(value, out var l) ? l : throw ConversionError(context, value, "an integer", parameterName);
        }

        if (type == typeof(double))
        {
            return ScriptValue.TryToDouble(value, out var d) ? d : throw ConversionError(context, value, "a number", parameterName);
        }

        if (type == typeof(float))
        {
            return ScriptValue.TryToDouble(value, out var f) ? (float)f : throw ConversionError(context, value, "a number", parameterName);
        }

        if (type == typeof(decimal))
        {
            return ScriptValue.TryToDecimal(value, out var m) ? m : throw ConversionError(context, value, "a number", parameterName);
        }

        if (type == typeof(IEnumerable) || type == typeof(IEnumerable<object?>))
        {
            if (value is null)
            {
                return null;
            }

            return ScriptValue.AsEnumerable(value) ?? throw ConversionError(context, value, "an array", parameterName);
        }

        if (type == typeof(ScriptArray))
        {
            return value is null ? null : ScriptValue.ToScriptArray(value) ?? throw ConversionError(context, value, "an array", parameterName);
        }

        if (type == typeof(ScriptObject))
        {
            if (value is null)
            {
                return null;
            }

            if (value is IEnumerable<KeyValuePair<string, object?>> pairs)
            {
                var copy = new ScriptObject();
                foreach (var pair in pairs)
                {
                    copy.SetValue(pair.Key, pair.Value);
                }

                return copy;
            }

            throw ConversionError(context, value, "an object", parameterName);
        }

        if (type == typeof(IScriptFunction))
        {
            return value is null ? null : throw ConversionError(context, value, "a function", parameterName);
        }

        if (type == typeof(DateTime) && value is string ds && DateTime.TryParse(ds, context.Culture, System.Globalization.DateTimeStyles.None, out var date))
        {
            return date;
        }

        if (type == typeof(DateTimeOffset))
        {
            if (value is DateTime dt)
            {
                return new DateTimeOffset(dt);
            }

            if (value is string dos && DateTimeOffset.TryParse(dos, context.Culture, System.Globalization.DateTimeStyles.None, out var dto))
            {
                return dto;
            }
        }

        if (type == typeof(TimeSpan) && value is string ts && TimeSpan.TryParse(ts, context.Culture, out var span))
        {
            return span;
        }

        if (value is null && !type.IsValueType)
        {
            return null;
        }

        throw ConversionError(context, value, type.Name, parameterName);
    }

    private static TemplateRuntimeException ConversionError(TemplateContext context, object? value, string expected, string parameterName) =>
        context.Error($"Cannot convert `{context.ToText(value)}` ({ScriptValue.TypeName(value)}) to {expected} for the parameter `{MemberRenamers.SnakeCase(parameterName)}`.");

    [System.Runtime.CompilerServices.InlineArray(Length)]
    private struct ArgumentBuffer
    {
        public const int Length = 6;

        private object? _element;
    }

    private sealed record ParameterBinding(string Name, string ScriptName, Type Type, bool HasDefault, object? DefaultValue)
    {
        public RuntimeTypeHandle Handle { get; } = Type.TypeHandle;
    }
}
