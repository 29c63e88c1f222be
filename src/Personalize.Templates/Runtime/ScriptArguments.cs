namespace Personalize.Templates.Runtime;

/// <summary>
/// The arguments of one function call: positional values in order, then named values (<c>f 1 name: "x"</c>).
/// Instances are pooled by the render: read them during the call, never keep them.
/// </summary>
public sealed class ScriptArguments
{
    private object?[] _positional = new object?[4];
    private int _count;
    private List<KeyValuePair<string, object?>>? _named;

    internal ScriptArguments()
    {
    }

    /// <summary>Gets the number of positional arguments.</summary>
    public int Count => _count;

    /// <summary>Gets the positional argument at <paramref name="index"/>.</summary>
    /// <param name="index">Zero-based index, less than <see cref="Count"/>.</param>
    public object? this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)_count, nameof(index));
            return _positional[index];
        }
    }

    /// <summary>Gets the named arguments in call order (empty when none).</summary>
    public IReadOnlyList<KeyValuePair<string, object?>> Named => (IReadOnlyList<KeyValuePair<string, object?>>?)_named ?? Array.Empty<KeyValuePair<string, object?>>();

    /// <summary>Gets the source position of the call.</summary>
    public SourceSpan Span { get; internal set; }

    /// <summary>Gets the positional arguments as a span (valid during the call only).</summary>
    public ReadOnlySpan<object?> Positional => _positional.AsSpan(0, _count);

    /// <summary>Finds a named argument.</summary>
    /// <param name="name">The argument name.</param>
    /// <param name="value">The value when found.</param>
    /// <returns><see langword="true"/> when the call passed it.</returns>
    public bool TryGetNamed(string name, out object? value)
    {
        if (_named is not null)
        {
            foreach (var pair in _named)
            {
                if (string.Equals(pair.Key, name, StringComparison.Ordinal))
                {
                    value = pair.Value;
                    return true;
                }
            }
        }

        value = null;
        return false;
    }

    internal bool HasNamed => _named is { Count: > 0 };

    internal void Add(object? value)
    {
        if (_count == _positional.Length)
        {
            Array.Resize(ref _positional, _count * 2);
        }

        _positional[_count++] = value;
    }

    internal void Insert(int index, object? value)
    {
        Add(null);
        Array.Copy(_positional, index, _positional, index + 1, _count - index - 1);
        _positional[index] = value;
    }

    internal void AddNamed(string name, object? value) => (_named ??= new List<KeyValuePair<string, object?>>()).Add(new KeyValuePair<string, object?>(name, value));

    internal void Reset()
    {
        Array.Clear(_positional, 0, _count);
        _count = 0;
        _named?.Clear();
        Span = default;
    }

    internal ScriptArray ToScriptArray()
    {
        var array = new ScriptArray(_count);
        for (var i = 0; i < _count; i++)
        {
            array.Add(_positional[i]);
        }

        if (_named is not null)
        {
            foreach (var pair in _named)
            {
                array.Properties.SetValue(pair.Key, pair.Value);
            }
        }

        return array;
    }
}
