using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Personalize.Events;

/// <summary><c>customer.matrix</c>: the customer's place in the relationship matrix (<c>tier</c>, <c>longevity</c>, <c>strength</c>), or null before a tick placed them.</summary>
internal sealed class MatrixModel : IReadOnlyDictionary<string, object?>
{
    private static readonly string[] Names = ["tier", "longevity", "strength"];
    private readonly object?[] _values;

    private MatrixModel(object?[] values) => _values = values;

    public int Count => Names.Length;

    public IEnumerable<string> Keys => Names;

    public IEnumerable<object?> Values => _values;

    public object? this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException(key);

    public static MatrixModel? Of(CustomerFacts facts)
        => facts.ValueOf(FactNames.Tier) is string tier
            ? new MatrixModel([tier, (long)facts.NumberOf(FactNames.MatrixLongevity), (long)facts.NumberOf(FactNames.MatrixStrength)])
            : null;

    public bool ContainsKey(string key) => Array.IndexOf(Names, key) >= 0;

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out object? value)
    {
        var i = Array.IndexOf(Names, key);
        value = i >= 0 ? _values[i] : null;
        return i >= 0;
    }

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        for (var i = 0; i < Names.Length; i++)
        {
            yield return new(Names[i], _values[i]);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
