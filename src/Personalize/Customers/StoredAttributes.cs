using System.Collections;
using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace Personalize.Customers;

/// <summary>
/// The attributes of a profile read from a store (ADR 0056): the names live in an <see cref="AttributeShape"/> shared by
/// every profile whose attributes have the same names in the same order, and the profile holds only its values, in
/// that order. A dictionary in every other respect (<see cref="IReadOnlyDictionary{TKey, TValue}"/>): the same names,
/// the same values, enumerated in the order the JSON object gave them, as the <see cref="Dictionary{TKey, TValue}"/>
/// the JSON readers build.
/// </summary>
/// <remarks>Immutable; the values are <see cref="JsonElement"/>s of documents no one disposes, as everywhere else in the model.</remarks>
internal sealed class StoredAttributes : IReadOnlyDictionary<string, JsonElement>
{
    private readonly JsonElement[] _values;

    /// <summary>Attributes of a shape, with one value per name in the shape's order.</summary>
    public StoredAttributes(AttributeShape shape, JsonElement[] values)
    {
        if (values.Length != shape.Names.Length)
        {
            throw new ArgumentException($"The shape has {shape.Names.Length} names but {values.Length} values were given.", nameof(values));
        }

        Shape = shape;
        _values = values;
    }

    /// <summary>The names, shared with other profiles of the same shape.</summary>
    public AttributeShape Shape { get; }

    public int Count => _values.Length;

    public IEnumerable<string> Keys => Shape.Names.AsReadOnly();

    public IEnumerable<JsonElement> Values => _values.AsReadOnly();

    public JsonElement this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"The customer has no attribute '{key}'.");

    public bool ContainsKey(string key) => Shape.IndexOf(key) >= 0;

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out JsonElement value)
    {
        var index = Shape.IndexOf(key);
        value = index < 0 ? default : _values[index];
        return index >= 0;
    }

    /// <summary>The first attribute (in order) whose snake_case name is <paramref name="key"/>: <see cref="CustomerModel.TryGetAttribute"/>'s rule, answered once per shape and key.</summary>
    internal bool TryGetSnakeCase(string key, out JsonElement value)
    {
        var index = Shape.SnakeCaseIndexOf(key);
        value = index < 0 ? default : _values[index];
        return index >= 0;
    }

    public Enumerator GetEnumerator() => new(this);

    IEnumerator<KeyValuePair<string, JsonElement>> IEnumerable<KeyValuePair<string, JsonElement>>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The attributes in order, without allocating when enumerated as this type.</summary>
    public struct Enumerator : IEnumerator<KeyValuePair<string, JsonElement>>
    {
        private readonly StoredAttributes _attributes;
        private int _index;

        internal Enumerator(StoredAttributes attributes)
        {
            _attributes = attributes;
            _index = -1;
        }

        public readonly KeyValuePair<string, JsonElement> Current => new(_attributes.Shape.Names[_index], _attributes._values[_index]);

        readonly object IEnumerator.Current => Current;

        public bool MoveNext() => ++_index < _attributes._values.Length;

        public void Reset() => _index = -1;

        public readonly void Dispose()
        {
        }
    }
}

/// <summary>
/// The attribute names of stored profiles that have the same names in the same order: the exact-name index of
/// <see cref="IReadOnlyDictionary{TKey, TValue}.TryGetValue"/> and the snake_case keys templates and conditions read
/// (<see cref="CustomerModel.TryGetAttribute"/>), each resolved once per shape instead of once per customer.
/// </summary>
internal sealed class AttributeShape
{
    /// <summary>The most snake_case keys a shape remembers; keys past it are walked on every read (same result).</summary>
    internal const int MaxSnakeCaseKeys = 256;

    private readonly Dictionary<string, int> _index;
    private readonly ConcurrentDictionary<string, int> _snakeCase = new(StringComparer.Ordinal);
    private readonly KnownKey?[] _recent = new KnownKey?[4];

    private AttributeShape(string[] names, Dictionary<string, int> index)
    {
        Names = names;
        _index = index;
    }

    /// <summary>The names, in order.</summary>
    public string[] Names { get; }

    /// <summary>A shape of <paramref name="names"/> (kept, not copied), or <see langword="null"/> when a name repeats (a dictionary keeps one of them: build one).</summary>
    public static AttributeShape? TryCreate(string[] names)
    {
        var index = new Dictionary<string, int>(names.Length, StringComparer.Ordinal);
        for (var i = 0; i < names.Length; i++)
        {
            if (!index.TryAdd(names[i], i))
            {
                return null;
            }
        }

        return new AttributeShape(names, index);
    }

    /// <summary>Whether this shape's names are <paramref name="names"/>, in order.</summary>
    public bool Is(ReadOnlySpan<string?> names)
    {
        var own = Names;
        if (own.Length != names.Length)
        {
            return false;
        }

        for (var i = 0; i < own.Length; i++)
        {
            if (!ReferenceEquals(own[i], names[i]) && !string.Equals(own[i], names[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The position of the name <paramref name="name"/>, or -1.</summary>
    public int IndexOf(string name) => _index.TryGetValue(name, out var i) ? i : -1;

    /// <summary>The position of the first name whose snake_case is <paramref name="key"/>, or -1.</summary>
    public int SnakeCaseIndexOf(string key)
    {
        // The keys conditions read are the same string instances at every read (bound once): the first few keys found
        // are kept by reference, so most reads compare a reference or two instead of hashing the key.
        var recent = _recent;
        for (var i = 0; i < recent.Length; i++)
        {
            var known = Volatile.Read(ref recent[i]);
            if (known is null)
            {
                break;
            }

            if (ReferenceEquals(known.Key, key))
            {
                return known.Index;
            }
        }

        if (_snakeCase.TryGetValue(key, out var index))
        {
            Remember(key, index);
            return index;
        }

        index = -1;
        for (var i = 0; i < Names.Length; i++)
        {
            if (CustomerModel.IsSnakeCaseOf(Names[i], key))
            {
                index = i;
                break;
            }
        }

        if (_snakeCase.Count < MaxSnakeCaseKeys)
        {
            _snakeCase.TryAdd(key, index);
        }

        Remember(key, index);
        return index;
    }

    /// <summary>Keeps a key in the first free place of <see cref="_recent"/>, if any (two threads racing for one place: either key is right there).</summary>
    private void Remember(string key, int index)
    {
        var recent = _recent;
        for (var i = 0; i < recent.Length; i++)
        {
            if (Volatile.Read(ref recent[i]) is null)
            {
                Volatile.Write(ref recent[i], new KnownKey(key, index));
                return;
            }
        }
    }

    /// <summary>A snake_case key and its position, kept by reference.</summary>
    private sealed class KnownKey(string key, int index)
    {
        public readonly string Key = key;
        public readonly int Index = index;
    }
}
