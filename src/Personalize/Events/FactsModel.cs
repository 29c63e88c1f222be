using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Personalize.Events;

/// <summary><c>customer.facts.NAME</c>: the values of a customer's facts (text, whole numbers, decimals, true/false; instants as ISO 8601 text).</summary>
internal sealed class FactsModel(CustomerFacts facts) : IReadOnlyDictionary<string, object?>
{
    public int Count => facts.Count;

    public IEnumerable<string> Keys => facts.Keys;

    public IEnumerable<object?> Values => facts.Values.Select(static f => f.Value);

    public object? this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException(key);

    public bool ContainsKey(string key) => facts.ContainsKey(key);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out object? value)
    {
        if (facts.TryGetValue(key, out var fact))
        {
            value = fact.Value;
            return true;
        }

        value = null;
        return false;
    }

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        foreach (var (name, fact) in facts)
        {
            yield return new KeyValuePair<string, object?>(name, fact.Value);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
