using System.Collections;
using System.Reflection;

namespace Personalize.Templates.Runtime;

/// <summary>
/// The object value of the template language: what <c>{ name: "x" }</c> produces, the scope that holds
/// template variables, and the container hosts use to expose globals and functions.
/// Keys are case-sensitive and keep their insertion order; members can be made read-only.
/// </summary>
/// <remarks>Not thread-safe for writes. Share one only when nothing writes to it any more (e.g. globals built once at start-up).</remarks>
public sealed class ScriptObject : IDictionary<string, object?>, IReadOnlyDictionary<string, object?>
{
    private readonly Dictionary<string, int> _index;
    private readonly List<KeyValuePair<string, object?>> _entries;
    private HashSet<string>? _readOnly;
    private ulong _keyMask;
    private bool _frozen;

    /// <summary>Creates an empty object.</summary>
    public ScriptObject()
    {
        _index = new Dictionary<string, int>(StringComparer.Ordinal);
        _entries = new List<KeyValuePair<string, object?>>();
    }

    /// <summary>Creates an empty object with room for <paramref name="capacity"/> members.</summary>
    /// <param name="capacity">The initial capacity.</param>
    public ScriptObject(int capacity)
    {
        _index = new Dictionary<string, int>(capacity, StringComparer.Ordinal);
        _entries = new List<KeyValuePair<string, object?>>(capacity);
    }

    /// <summary>Gets the number of members.</summary>
    public int Count => _entries.Count;

    /// <summary>Gets or sets a member; reading a missing member gives <see langword="null"/>. Setting ignores read-only flags (host access).</summary>
    /// <param name="key">The member name.</param>
    public object? this[string key]
    {
        get => TryGetValue(key, out var value) ? value : null;
        set => SetValue(key, value);
    }

    /// <summary>Gets the member names in insertion order.</summary>
    public ICollection<string> Keys
    {
        get
        {
            var keys = new List<string>(_entries.Count);
            foreach (var entry in _entries)
            {
                keys.Add(entry.Key);
            }

            return keys;
        }
    }

    /// <summary>Gets the member values in insertion order.</summary>
    public ICollection<object?> Values
    {
        get
        {
            var values = new List<object?>(_entries.Count);
            foreach (var entry in _entries)
            {
                values.Add(entry.Value);
            }

            return values;
        }
    }

    IEnumerable<string> IReadOnlyDictionary<string, object?>.Keys => Keys;

    IEnumerable<object?> IReadOnlyDictionary<string, object?>.Values => Values;

    /// <inheritdoc />
    public bool IsReadOnly => _frozen;

    /// <summary>Sets a member, adding it at the end when new.</summary>
    /// <param name="name">The member name.</param>
    /// <param name="value">The value.</param>
    /// <param name="readOnly">When <see langword="true"/>, scripts can no longer assign the member.</param>
    public void SetValue(string name, object? value, bool readOnly = false)
    {
        ArgumentNullException.ThrowIfNull(name);
        ThrowIfFrozen();
        if (_index.TryGetValue(name, out var i))
        {
            _entries[i] = new KeyValuePair<string, object?>(name, value);
        }
        else
        {
            _index.Add(name, _entries.Count);
            _entries.Add(new KeyValuePair<string, object?>(name, value));
            _keyMask |= MaskOf(name);
        }

        if (readOnly)
        {
            SetReadOnly(name, true);
        }
    }

    /// <summary>Marks a member read-only (scripts cannot assign it) or writable again.</summary>
    /// <param name="name">The member name.</param>
    /// <param name="readOnly">The flag.</param>
    public void SetReadOnly(string name, bool readOnly)
    {
        ArgumentNullException.ThrowIfNull(name);
        ThrowIfFrozen();
        if (readOnly)
        {
            (_readOnly ??= new HashSet<string>(StringComparer.Ordinal)).Add(name);
        }
        else
        {
            _readOnly?.Remove(name);
        }
    }

    /// <summary>
    /// A one-word Bloom filter of the member names: when <c>(KeyMask &amp; MaskOf(name)) == 0</c> the member is certainly absent,
    /// which lets variable lookups skip scopes without hashing the name. Never cleared by removals (stays conservative).
    /// </summary>
    internal ulong KeyMask => _keyMask;

    internal static ulong MaskOf(string name) => name.Length == 0 ? 1UL : 1UL << (int)(((uint)name.Length * 31u + name[0] * 7u + name[^1] * 13u + (name.Length > 2 ? name[1] : 0u)) & 63u);

    /// <summary>
    /// Gets whether the object is frozen: shared, immutable data (the builtins, <see cref="TemplateOptions.Globals"/>,
    /// <see cref="RenderOptions.Globals"/>). Templates cannot change it and host writes throw.
    /// </summary>
    public bool IsFrozen => _frozen;

    /// <summary>
    /// Freezes the object and every script object and array it contains, so that it can be shared by concurrent renders.
    /// Templates that try to change it get a render error. Idempotent.
    /// </summary>
    public void Freeze()
    {
        if (_frozen)
        {
            return;
        }

        _frozen = true;
        foreach (var entry in _entries)
        {
            FreezeValue(entry.Value);
        }
    }

    /// <summary>
    /// Returns a frozen copy of this object: itself when already frozen, else a new object with the same members and
    /// read-only flags, whose script objects and arrays are copied the same way (the original stays writable).
    /// </summary>
    /// <returns>The frozen copy.</returns>
    internal ScriptObject ToFrozen() => _frozen ? this : (ScriptObject)FrozenCopyOf(this, new Dictionary<object, object>(ReferenceEqualityComparer.Instance))!;

    /// <summary>Copies a value for <see cref="ToFrozen"/>: script objects and arrays are copied once each (shared and self-referencing ones stay so).</summary>
    internal static object? FrozenCopyOf(object? value, Dictionary<object, object> copies)
    {
        switch (value)
        {
            case ScriptObject { _frozen: true } or ScriptArray { IsFrozen: true }:
                return value;
            case ScriptObject o:
                if (copies.TryGetValue(o, out var done))
                {
                    return done;
                }

                var copy = new ScriptObject(o._entries.Count);
                copies.Add(o, copy);
                foreach (var entry in o._entries)
                {
                    copy.SetValue(entry.Key, FrozenCopyOf(entry.Value, copies));
                }

                copy._readOnly = o._readOnly is null ? null : new HashSet<string>(o._readOnly, StringComparer.Ordinal);
                copy._frozen = true;
                return copy;
            case ScriptArray a:
                return a.FrozenCopy(copies);
            default:
                return value;
        }
    }

    /// <summary>Freezes <paramref name="value"/> when it is a script object or array (other values are left alone).</summary>
    internal static void FreezeValue(object? value)
    {
        switch (value)
        {
            case ScriptObject o:
                o.Freeze();
                break;
            case ScriptArray a:
                a.Freeze();
                break;
        }
    }

    private void ThrowIfFrozen()
    {
        if (_frozen)
        {
            throw new InvalidOperationException("This ScriptObject is frozen (shared by concurrent renders) and cannot be changed.");
        }
    }

    /// <summary>Gets whether scripts may not assign the member.</summary>
    /// <param name="name">The member name.</param>
    /// <returns><see langword="true"/> when read-only.</returns>
    public bool IsReadOnlyMember(string name) => _readOnly is not null && _readOnly.Contains(name);

    internal int IndexOf(string key) => _index.TryGetValue(key, out var i) ? i : -1;

    /// <summary>Reads the entry at <paramref name="index"/> when its key is exactly <paramref name="key"/> (same instance): a lookup without hashing.</summary>
    internal bool TryGetAt(int index, string key, out object? value)
    {
        var entries = _entries;
        if ((uint)index < (uint)entries.Count)
        {
            var entry = entries[index];
            if (ReferenceEquals(entry.Key, key))
            {
                value = entry.Value;
                return true;
            }
        }

        value = null;
        return false;
    }

    /// <summary>Sets the entry at <paramref name="index"/> when its key is exactly <paramref name="key"/> and it is writable.</summary>
    internal bool TrySetAt(int index, string key, object? value)
    {
        var entries = _entries;
        if (!_frozen && (uint)index < (uint)entries.Count && ReferenceEquals(entries[index].Key, key) && (_readOnly is null || !_readOnly.Contains(key)))
        {
            entries[index] = new KeyValuePair<string, object?>(key, value);
            return true;
        }

        return false;
    }

    /// <inheritdoc />
    public bool TryGetValue(string key, out object? value)
    {
        if (_index.TryGetValue(key, out var i))
        {
            value = _entries[i].Value;
            return true;
        }

        value = null;
        return false;
    }

    /// <inheritdoc />
    public bool ContainsKey(string key) => _index.ContainsKey(key);

    /// <inheritdoc />
    public void Add(string key, object? value)
    {
        if (_index.ContainsKey(key))
        {
            throw new ArgumentException($"The member `{key}` already exists.", nameof(key));
        }

        SetValue(key, value);
    }

    /// <inheritdoc />
    public bool Remove(string key)
    {
        ThrowIfFrozen();
        if (!_index.Remove(key, out var i))
        {
            return false;
        }

        _entries.RemoveAt(i);
        for (var j = i; j < _entries.Count; j++)
        {
            _index[_entries[j].Key] = j;
        }

        _readOnly?.Remove(key);
        return true;
    }

    /// <inheritdoc />
    public void Clear()
    {
        ThrowIfFrozen();
        _index.Clear();
        _entries.Clear();
        _readOnly = null;
        _keyMask = 0;
    }

    /// <summary>Copies every member of <paramref name="other"/> into this object (read-only members of this object are kept).</summary>
    /// <param name="other">The source object.</param>
    public void Import(ScriptObject other)
    {
        ArgumentNullException.ThrowIfNull(other);
        foreach (var entry in other._entries)
        {
            if (!IsReadOnlyMember(entry.Key))
            {
                SetValue(entry.Key, entry.Value);
            }
        }
    }

    /// <summary>
    /// Exposes a .NET delegate as a script function named <paramref name="name"/>.
    /// Arguments are converted to the delegate's parameter types; see <see cref="ScriptFunction"/>.
    /// </summary>
    /// <param name="name">The name scripts call it by.</param>
    /// <param name="function">The delegate.</param>
    public void Import(string name, Delegate function)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(function);
        SetValue(name, ScriptFunction.FromDelegate(function, name));
    }

    /// <summary>
    /// Exposes every public static method of <paramref name="type"/> as a script function, named by
    /// <paramref name="renamer"/> (snake_case by default: <c>TruncateWords</c> becomes <c>truncate_words</c>).
    /// Overloads are not supported: the first method with a given name wins.
    /// </summary>
    /// <param name="type">The type whose public static methods are imported.</param>
    /// <param name="renamer">Maps a .NET name to a script name; <see langword="null"/> uses <see cref="MemberRenamers.SnakeCase"/>.</param>
    public void Import(
        [System.Diagnostics.CodeAnalysis.DynamicallyAccessedMembers(System.Diagnostics.CodeAnalysis.DynamicallyAccessedMemberTypes.PublicMethods)] Type type,
        Func<string, string>? renamer = null)
    {
        ArgumentNullException.ThrowIfNull(type);
        ImportMethods(type.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly), renamer);
    }

    internal void ImportMethods(MethodInfo[] methods, Func<string, string>? renamer)
    {
        renamer ??= MemberRenamers.SnakeCase;
        foreach (var method in methods)
        {
            if (method.IsSpecialName || method.IsGenericMethodDefinition)
            {
                continue;
            }

            var name = string.Intern(renamer(method.Name));
            if (!ContainsKey(name))
            {
                SetValue(name, ScriptFunction.FromMethod(method, name));
            }
        }
    }

    /// <summary>Returns an enumerator over the members in insertion order.</summary>
    /// <returns>The enumerator.</returns>
    public List<KeyValuePair<string, object?>>.Enumerator GetEnumerator() => _entries.GetEnumerator();

    IEnumerator<KeyValuePair<string, object?>> IEnumerable<KeyValuePair<string, object?>>.GetEnumerator() => _entries.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _entries.GetEnumerator();

    void ICollection<KeyValuePair<string, object?>>.Add(KeyValuePair<string, object?> item) => Add(item.Key, item.Value);

    bool ICollection<KeyValuePair<string, object?>>.Contains(KeyValuePair<string, object?> item) =>
        TryGetValue(item.Key, out var value) && Equals(value, item.Value);

    void ICollection<KeyValuePair<string, object?>>.CopyTo(KeyValuePair<string, object?>[] array, int arrayIndex) => _entries.CopyTo(array, arrayIndex);

    bool ICollection<KeyValuePair<string, object?>>.Remove(KeyValuePair<string, object?> item) =>
        ((ICollection<KeyValuePair<string, object?>>)this).Contains(item) && Remove(item.Key);

    /// <summary>Formats the object the way a template prints it, e.g. <c>{name: "x", n: 1}</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => ScriptValue.ToText(this, null);
}
