using System.Numerics;
using System.Runtime.CompilerServices;
using Personalize.Templates.Runtime;

namespace Personalize.Templates.Builtins;

/// <summary>Equality of template values as <c>==</c> sees it (<c>1 == 1.0</c>), with hash codes that agree, for <c>array.uniq</c>.</summary>
internal sealed class ScriptValueComparer : IEqualityComparer<object?>
{
    public static readonly ScriptValueComparer Instance = new();

    private ScriptValueComparer()
    {
    }

    public new bool Equals(object? x, object? y) => ScriptOperators.Equals(x, y);

    public int GetHashCode(object? obj)
    {
        obj = ScriptValue.Normalize(obj);
        return obj switch
        {
            null => 0,
            string s => StringComparer.Ordinal.GetHashCode(s),
            bool b => b ? 1 : 2,
            int or long or uint or ulong or double or float or decimal or BigInteger => ScriptValue.TryToDouble(obj, out var d) ? d.GetHashCode() : 3,
            ScriptArray a => a.Count,
            ScriptObject => RuntimeHelpers.GetHashCode(obj),
            _ => obj.GetHashCode(),
        };
    }
}
