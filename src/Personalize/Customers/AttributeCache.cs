using System.Collections.Concurrent;
using System.Text.Json;
using Personalize.Templates;

namespace Personalize.Customers;

/// <summary>
/// The attribute reads of compiled conditions (<c>customer.X</c> for an attribute), resolved once per attribute set and
/// thread instead of once per read. A customer's attribute <c>X</c> is "the first attribute, in the dictionary's order,
/// whose snake_case name is <c>X</c>" (<see cref="CustomerModel.TryGetAttribute"/>): a walk of the attributes comparing
/// names. Each key a condition binds gets a slot when the condition is compiled; each thread keeps the values it
/// resolved for the attribute dictionary it read last, by slot, and starts over when a read names another dictionary
/// (another customer). So the conditions of one decision (and of a batch over one customer) walk the attributes once
/// per key, and a read after the first is an array access — with the same result, since the walk is the same.
/// </summary>
/// <remarks>
/// <para>
/// Nothing is allocated per customer or per read: the per-thread arrays grow with the number of keys bound (at most
/// <see cref="MaxSlots"/>; keys past it are walked on every read, as before). The cache is keyed by the dictionary's
/// identity, not the profile's: profiles made with <c>with</c> share their attributes and so their values. A profile's
/// attributes are immutable (<see cref="CustomerProfile"/>); a dictionary changed in place after the profile was built
/// is not supported here any more than elsewhere — the change may not be seen until another customer is read on the thread.
/// </para>
/// <para>
/// The thread keeps a reference to the last attribute dictionary it read, and the values it resolved (one per slot,
/// possibly of earlier customers), until they are replaced (ADR 40).
/// </para>
/// </remarks>
internal static class AttributeCache
{
    /// <summary>The most keys with a slot (per thread, a value, its JSON element, its text comparisons and a stamp each: 84 bytes).</summary>
    internal const int MaxSlots = 1024;

    /// <summary>The most text literals compared with one key without <see cref="JsonElement.ValueEquals(ReadOnlySpan{byte})"/> per comparison.</summary>
    internal const int MaxLiteralsPerSlot = 64;

    private static readonly ConcurrentDictionary<string, int> Slots = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<(int Slot, string Text), int> Literals = new();
    private static readonly byte[][]?[] LiteralBytes = new byte[MaxSlots][][];
    private static readonly object SlotGate = new();
    private static int _slotCount;

    [ThreadStatic]
    private static Cache? t_cache;

    /// <summary>The slot of an attribute key (once, when a condition binds it), or -1 when every slot is taken.</summary>
    /// <param name="key">The snake_case key.</param>
    /// <returns>The slot, or -1.</returns>
    public static int SlotOf(string key)
    {
        if (Slots.TryGetValue(key, out var slot))
        {
            return slot;
        }

        lock (SlotGate)
        {
            if (Slots.TryGetValue(key, out slot))
            {
                return slot;
            }

            if (_slotCount >= MaxSlots)
            {
                return -1;
            }

            slot = _slotCount++;
            Slots[key] = slot;
            return slot;
        }
    }

    /// <summary>
    /// The index of a text literal compared with the key of <paramref name="slot"/> (once, when a condition binds
    /// <c>customer.X == 'text'</c>), or -1 when the key has <see cref="MaxLiteralsPerSlot"/> already. The text must be valid
    /// UTF-16 (its UTF-8 bytes are what <see cref="JsonElement.ValueEquals(ReadOnlySpan{byte})"/> compares).
    /// </summary>
    /// <param name="slot">The key's slot (<see cref="SlotOf"/>, not -1).</param>
    /// <param name="text">The literal.</param>
    /// <returns>The literal's index for the slot, or -1.</returns>
    public static int LiteralOf(int slot, string text)
    {
        if (Literals.TryGetValue((slot, text), out var index))
        {
            return index;
        }

        lock (SlotGate)
        {
            if (Literals.TryGetValue((slot, text), out index))
            {
                return index;
            }

            var known = LiteralBytes[slot] ?? [];
            if (known.Length >= MaxLiteralsPerSlot)
            {
                return -1;
            }

            // Published before the index: a reader that has the index finds its bytes.
            Volatile.Write(ref LiteralBytes[slot], [.. known, System.Text.Encoding.UTF8.GetBytes(text)]);
            Literals[(slot, text)] = known.Length;
            return known.Length;
        }
    }

    /// <summary>
    /// Whether the attribute <paramref name="key"/> is a JSON string whose text is literal <paramref name="literal"/>
    /// of its slot (<see cref="LiteralOf"/>), as <see cref="JsonElement.ValueEquals(ReadOnlySpan{byte})"/> over the
    /// literal's UTF-8 bytes says — asked once per customer, literal and thread, then remembered with the value —, or
    /// <see cref="ExpressionScalar.Other"/> when the attribute is missing or not a string.
    /// </summary>
    /// <param name="attributes">The customer's attributes.</param>
    /// <param name="slot">The key's slot (<see cref="SlotOf"/>, not -1).</param>
    /// <param name="key">The snake_case key.</param>
    /// <param name="literal">The literal's index (<see cref="LiteralOf"/>).</param>
    /// <returns>A boolean scalar, or <see cref="ExpressionScalar.Other"/>.</returns>
    public static ExpressionScalar TextEquals(IReadOnlyDictionary<string, JsonElement> attributes, int slot, string key, int literal)
        => (t_cache ??= new Cache()).TextEquals(attributes, slot, key, literal);

    /// <summary>The attribute <paramref name="key"/> (slot <paramref name="slot"/>) of <paramref name="attributes"/> as
    /// an expression value, or <see cref="ExpressionValue.Missing"/> when no attribute has that snake_case name.</summary>
    /// <param name="attributes">The customer's attributes.</param>
    /// <param name="slot">The key's slot (<see cref="SlotOf"/>).</param>
    /// <param name="key">The snake_case key.</param>
    /// <returns>The value.</returns>
    public static ExpressionValue Read(IReadOnlyDictionary<string, JsonElement> attributes, int slot, string key)
        => slot < 0 ? Resolve(attributes, key) : (t_cache ??= new Cache()).Read(attributes, slot, key);

    /// <summary><see cref="Read"/> as a number, boolean or null (<see cref="ExpressionScalar.Of"/>), without copying the value;
    /// <see cref="ExpressionScalar.Other"/> for any other value, a missing attribute or a key without a slot.</summary>
    /// <param name="attributes">The customer's attributes.</param>
    /// <param name="slot">The key's slot (<see cref="SlotOf"/>).</param>
    /// <param name="key">The snake_case key.</param>
    /// <returns>The scalar.</returns>
    public static ExpressionScalar ReadScalar(IReadOnlyDictionary<string, JsonElement> attributes, int slot, string key)
        => slot < 0 ? ExpressionScalar.Other : ExpressionScalar.Of(in (t_cache ??= new Cache()).Value(attributes, slot, key));

    private static ExpressionValue Resolve(IReadOnlyDictionary<string, JsonElement> attributes, string key)
        => CustomerModel.TryGetAttribute(attributes, key, out var element) ? ExpressionValue.FromJson(element) : ExpressionValue.Missing;

    /// <summary>One thread's values for the attribute dictionary it read last: by slot, valid when the slot's stamp is the current generation.</summary>
    private sealed class Cache
    {
        private IReadOnlyDictionary<string, JsonElement>? _attributes;
        private ExpressionValue[] _values = new ExpressionValue[16];
        private int[] _stamps = new int[16];
        private JsonElement[] _elements = new JsonElement[16];
        private TextMatches[] _texts = new TextMatches[16];
        private int _generation = 1;

        public ExpressionValue Read(IReadOnlyDictionary<string, JsonElement> attributes, int slot, string key) => Value(attributes, slot, key);

        public ExpressionScalar TextEquals(IReadOnlyDictionary<string, JsonElement> attributes, int slot, string key, int literal)
        {
            _ = Value(attributes, slot, key);
            ref var text = ref _texts[slot];
            if (!text.IsText)
            {
                return ExpressionScalar.Other;
            }

            var bit = 1UL << literal;
            if ((text.Known & bit) == 0)
            {
                text.Known |= bit;
                if (_elements[slot].ValueEquals(Volatile.Read(ref LiteralBytes[slot])![literal]))
                {
                    text.Equal |= bit;
                }
            }

            return ExpressionScalar.From((text.Equal & bit) != 0);
        }

        /// <summary>The value of the slot, resolved now unless this thread resolved it for these attributes already.</summary>
        public ref readonly ExpressionValue Value(IReadOnlyDictionary<string, JsonElement> attributes, int slot, string key)
        {
            if (!ReferenceEquals(attributes, _attributes))
            {
                _attributes = attributes;
                if (++_generation == int.MaxValue)
                {
                    Array.Clear(_stamps);
                    _generation = 1;
                }
            }

            var stamps = _stamps;
            if ((uint)slot < (uint)stamps.Length && stamps[slot] == _generation)
            {
                return ref _values[slot];
            }

            var found = CustomerModel.TryGetAttribute(attributes, key, out var element);
            if (slot >= stamps.Length)
            {
                var size = Math.Min(MaxSlots, Math.Max(slot + 1, stamps.Length * 2));
                Array.Resize(ref _stamps, size);
                Array.Resize(ref _values, size);
                Array.Resize(ref _elements, size);
                Array.Resize(ref _texts, size);
            }

            _values[slot] = found ? ExpressionValue.FromJson(element) : ExpressionValue.Missing;
            _elements[slot] = found ? element : default;
            _texts[slot] = new TextMatches { IsText = found && element.ValueKind == JsonValueKind.String };
            _stamps[slot] = _generation;
            return ref _values[slot];
        }
    }

    /// <summary>Which text literals of a slot the thread compared with the slot's value (<see cref="Known"/>) and which were equal.</summary>
    private struct TextMatches
    {
        public ulong Known;
        public ulong Equal;
        public bool IsText;
    }
}
