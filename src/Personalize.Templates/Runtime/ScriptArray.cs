using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Personalize.Templates.Runtime;

/// <summary>
/// The array value of the template language: what <c>[1, 2, 3]</c>, ranges and most array builtins produce.
/// A list of values that can also carry named properties (<c>a = [1]; a.x = "yes"</c>).
/// </summary>
/// <remarks>
/// Not thread-safe: an array belongs to the render that created it. Assigning past the end grows the
/// array with <see langword="null"/> items, like the language does for <c>a[3] = 5</c>.
/// </remarks>
public sealed class ScriptArray : IList<object?>, IList, IReadOnlyList<object?>
{
    private readonly List<object?> _items;
    private ScriptObject? _properties;
    private bool _frozen;

    /// <summary>Creates an empty array.</summary>
    public ScriptArray() => _items = new List<object?>();

    /// <summary>Creates an empty array with room for <paramref name="capacity"/> items.</summary>
    /// <param name="capacity">The initial capacity.</param>
    public ScriptArray(int capacity) => _items = new List<object?>(capacity);

    /// <summary>Creates an array holding the items of <paramref name="items"/>, in order.</summary>
    /// <param name="items">The items to copy.</param>
    public ScriptArray(IEnumerable<object?> items) => _items = new List<object?>(items);

    /// <summary>Creates an array holding the items of a non-generic sequence, in order.</summary>
    /// <param name="items">The items to copy.</param>
    /// <returns>The new array.</returns>
    public static ScriptArray From(IEnumerable items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var array = items is ICollection c ? new ScriptArray(c.Count) : new ScriptArray();
        foreach (var item in items)
        {
            array._items.Add(item);
        }

        return array;
    }

    /// <summary>Gets whether the array is frozen (shared, immutable data; see <see cref="ScriptObject.Freeze"/>).</summary>
    public bool IsFrozen => _frozen;

    /// <summary>Freezes the array, its properties and every script object and array it contains. Idempotent.</summary>
    public void Freeze()
    {
        if (_frozen)
        {
            return;
        }

        _frozen = true;
        _properties?.Freeze();
        foreach (var item in _items)
        {
            ScriptObject.FreezeValue(item);
        }
    }

    /// <summary>A frozen copy of this array for <see cref="ScriptObject.ToFrozen"/> (items and properties copied the same way).</summary>
    internal ScriptArray FrozenCopy(Dictionary<object, object> copies)
    {
        if (copies.TryGetValue(this, out var done))
        {
            return (ScriptArray)done;
        }

        var copy = new ScriptArray(_items.Count) { IsRange = IsRange };
        copies.Add(this, copy);
        foreach (var item in _items)
        {
            copy._items.Add(ScriptObject.FrozenCopyOf(item, copies));
        }

        if (_properties is not null)
        {
            copy._properties = (ScriptObject)ScriptObject.FrozenCopyOf(_properties, copies)!;
        }

        copy._frozen = true;
        return copy;
    }

    private void ThrowIfFrozen()
    {
        if (_frozen)
        {
            throw new InvalidOperationException("This ScriptArray is frozen (shared by concurrent renders) and cannot be changed.");
        }
    }

    /// <summary>Gets the number of items.</summary>
    public int Count => _items.Count;

    /// <summary>Gets whether the array was produced by a range expression (<c>1..5</c>); <c>object.kind</c> reports it as <c>range</c>.</summary>
    internal bool IsRange { get; init; }

    /// <summary>
    /// Gets the named properties attached to this array (created on first use), e.g. the named
    /// arguments of a function call, which scripts read as <c>$.name</c>.
    /// </summary>
    public ScriptObject Properties => _properties ??= CreateProperties();

    private ScriptObject CreateProperties()
    {
        var properties = new ScriptObject();
        if (_frozen)
        {
            properties.Freeze();
        }

        return properties;
    }

    /// <summary>Gets whether any named property is attached.</summary>
    public bool HasProperties => _properties is { Count: > 0 };

    /// <summary>
    /// Gets or sets the item at <paramref name="index"/>. Reading outside the array gives <see langword="null"/>;
    /// writing past the end grows the array with <see langword="null"/> items.
    /// </summary>
    /// <param name="index">The zero-based index (negative values are not accepted here; the language maps them first).</param>
    public object? this[int index]
    {
        get => (uint)index < (uint)_items.Count ? _items[index] : null;
        set
        {
            ThrowIfFrozen();
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            while (_items.Count <= index)
            {
                _items.Add(null);
            }

            _items[index] = value;
        }
    }

    /// <inheritdoc />
    public bool IsReadOnly => _frozen;

    bool IList.IsFixedSize => false;

    bool ICollection.IsSynchronized => false;

    object ICollection.SyncRoot => _items;

    /// <inheritdoc />
    public void Add(object? item)
    {
        ThrowIfFrozen();
        _items.Add(item);
    }

    /// <summary>Appends all items of a sequence.</summary>
    /// <param name="items">The items to append.</param>
    public void AddRange(IEnumerable<object?> items)
    {
        ThrowIfFrozen();
        _items.AddRange(items);
    }

    /// <inheritdoc />
    public void Clear()
    {
        ThrowIfFrozen();
        _items.Clear();
    }

    /// <inheritdoc />
    public bool Contains(object? item) => _items.Contains(item);

    /// <inheritdoc />
    public void CopyTo(object?[] array, int arrayIndex) => _items.CopyTo(array, arrayIndex);

    /// <summary>Returns an enumerator over the items (no allocation when used by <c>foreach</c>).</summary>
    /// <returns>The enumerator.</returns>
    public List<object?>.Enumerator GetEnumerator() => _items.GetEnumerator();

    IEnumerator<object?> IEnumerable<object?>.GetEnumerator() => _items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _items.GetEnumerator();

    /// <inheritdoc />
    public int IndexOf(object? item) => _items.IndexOf(item);

    /// <inheritdoc />
    public void Insert(int index, object? item)
    {
        ThrowIfFrozen();
        _items.Insert(index, item);
    }

    /// <inheritdoc />
    public bool Remove(object? item)
    {
        ThrowIfFrozen();
        return _items.Remove(item);
    }

    /// <inheritdoc />
    public void RemoveAt(int index)
    {
        ThrowIfFrozen();
        _items.RemoveAt(index);
    }

    /// <summary>Reverses the items in place.</summary>
    public void Reverse()
    {
        ThrowIfFrozen();
        _items.Reverse();
    }

    /// <summary>Sorts the items in place.</summary>
    /// <param name="comparison">The comparison to use.</param>
    public void Sort(Comparison<object?> comparison)
    {
        ThrowIfFrozen();
        _items.Sort(comparison);
    }

    /// <summary>Tries to read a named property attached to the array.</summary>
    /// <param name="name">The property name.</param>
    /// <param name="value">The value when found.</param>
    /// <returns><see langword="true"/> when the property exists.</returns>
    public bool TryGetProperty(string name, out object? value)
    {
        if (_properties is not null)
        {
            return _properties.TryGetValue(name, out value);
        }

        value = null;
        return false;
    }

    int IList.Add(object? value)
    {
        ThrowIfFrozen();
        _items.Add(value);
        return _items.Count - 1;
    }

    bool IList.Contains(object? value) => _items.Contains(value);

    int IList.IndexOf(object? value) => _items.IndexOf(value);

    void IList.Insert(int index, object? value) => Insert(index, value);

    void IList.Remove(object? value) => Remove(value);

    void ICollection.CopyTo(Array array, int index) => ((ICollection)_items).CopyTo(array, index);

    /// <summary>Formats the array the way a template prints it, e.g. <c>[1, "a", null]</c>.</summary>
    /// <returns>The text.</returns>
    [SuppressMessage("Design", "CA1065", Justification = "Formatting never throws.")]
    public override string ToString() => ScriptValue.ToText(this, null);
}
