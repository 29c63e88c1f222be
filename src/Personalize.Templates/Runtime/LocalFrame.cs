using Personalize.Templates.Syntax;

namespace Personalize.Templates.Runtime;

/// <summary>The local scope of the template body, a function call or an include: <c>$x</c> variables, <c>$</c> arguments, <c>$$</c> wrap body.</summary>
internal sealed class LocalFrame
{
    private Dictionary<string, object?>? _locals;

    public ScriptArray? Arguments { get; set; }

    public ScriptBlock? WrapBody { get; set; }

    public bool TryGet(string name, out object? value)
    {
        if (_locals is not null)
        {
            return _locals.TryGetValue(name, out value);
        }

        value = null;
        return false;
    }

    public void Set(string name, object? value) => (_locals ??= new Dictionary<string, object?>(StringComparer.Ordinal))[name] = value;

    public void Remove(string name) => _locals?.Remove(name);

    public void Clear()
    {
        _locals?.Clear();
        Arguments = null;
        WrapBody = null;
    }
}
