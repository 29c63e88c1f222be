using System.Buffers;
using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;

namespace Personalize.Events;

/// <summary>
/// The facts events keep about one customer, by name (snake_case, for example <c>order_count</c>). Immutable: events
/// produce a new set (<see cref="FactEditor"/>). The store keeps them with the profile; conditions see them as
/// <c>customer.facts.NAME</c> and templates too when the customer consented to personalization.
/// </summary>
public sealed class CustomerFacts : IReadOnlyDictionary<string, Fact>
{
    /// <summary>The most facts a set read from a store keeps in a plain array, looked up by a linear search.</summary>
    internal const int MaxListed = 16;

    // A set is either a table (built by events and hosts) or, read from a store with at most MaxListed facts, an array
    // in the stored order: the tick reads the facts of every stored customer, and a short array costs a third of a
    // table's memory and is searched as fast as a table is hashed.
    private readonly Dictionary<string, Fact>? _facts;
    private readonly KeyValuePair<string, Fact>[]? _listed;

    private CustomerFacts(Dictionary<string, Fact> facts) => _facts = facts;

    private CustomerFacts(KeyValuePair<string, Fact>[] listed) => _listed = listed;

    /// <summary>Gets the empty set.</summary>
    public static CustomerFacts Empty { get; } = new(new Dictionary<string, Fact>(StringComparer.Ordinal));

    /// <inheritdoc />
    public int Count => _listed?.Length ?? _facts!.Count;

    /// <inheritdoc />
    public IEnumerable<string> Keys => _listed is { } listed ? listed.Select(static f => f.Key) : _facts!.Keys;

    /// <inheritdoc />
    public IEnumerable<Fact> Values => _listed is { } listed ? listed.Select(static f => f.Value) : _facts!.Values;

    /// <inheritdoc />
    public Fact this[string key] => TryGetValue(key, out var fact) ? fact : throw new KeyNotFoundException($"The given key '{key}' was not present in the dictionary.");

    /// <summary>Creates a set from facts by name.</summary>
    /// <param name="facts">The facts.</param>
    /// <returns>The set.</returns>
    public static CustomerFacts Create(IEnumerable<KeyValuePair<string, Fact>> facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var copy = new Dictionary<string, Fact>(StringComparer.Ordinal);
        foreach (var (name, fact) in facts)
        {
            ArgumentException.ThrowIfNullOrEmpty(name, nameof(facts));
            ArgumentNullException.ThrowIfNull(fact, nameof(facts));
            copy[name] = fact;
        }

        return copy.Count == 0 ? Empty : new CustomerFacts(copy);
    }

    /// <inheritdoc />
    public bool ContainsKey(string key) => TryGetValue(key, out _);

    /// <inheritdoc />
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out Fact value)
    {
        if (_listed is not { } listed)
        {
            return _facts!.TryGetValue(key, out value);
        }

        ArgumentNullException.ThrowIfNull(key);
        foreach (var (name, fact) in listed)
        {
            if (name.Length == key.Length && string.Equals(name, key, StringComparison.Ordinal))
            {
                value = fact;
                return true;
            }
        }

        value = null;
        return false;
    }

    /// <summary>Reads a fact's value, or <see langword="null"/>.</summary>
    /// <param name="name">The fact's name.</param>
    /// <returns>The value.</returns>
    public object? ValueOf(string name) => TryGetValue(name, out var fact) ? fact.Value : null;

    /// <summary>Reads a number fact, or 0.</summary>
    /// <param name="name">The fact's name.</param>
    /// <returns>The number.</returns>
    public decimal NumberOf(string name) => TryGetValue(name, out var fact) ? fact.Number : 0m;

    /// <summary>Reads an instant fact.</summary>
    /// <param name="name">The fact's name.</param>
    /// <returns>The instant, or <see langword="null"/> when the fact is missing or not an instant.</returns>
    public DateTimeOffset? InstantOf(string name) => TryGetValue(name, out var fact) && fact.TryGetInstant(out var at) ? at : null;

    /// <summary>Reads a true/false fact, or <see langword="false"/>.</summary>
    /// <param name="name">The fact's name.</param>
    /// <returns>The value.</returns>
    public bool IsTrue(string name) => TryGetValue(name, out var fact) && fact.Value is true;

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, Fact>> GetEnumerator() => _listed is { } listed ? ((IEnumerable<KeyValuePair<string, Fact>>)listed).GetEnumerator() : _facts!.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The facts in order, listed or in a table alike, without an enumerator object (for hot paths: <c>foreach (var (name, fact) in facts.Walk())</c>).</summary>
    internal Walker Walk() => new(_listed, _facts);

    internal Dictionary<string, Fact> Copy() => _listed is { } listed ? new(listed, StringComparer.Ordinal) : new(_facts!, StringComparer.Ordinal);

    /// <summary>
    /// The set with <paramref name="name"/> set to <paramref name="fact"/>: replaced where it is, or added at the end — the
    /// order <see cref="Copy"/> and an indexer set give — listed when the result has at most <see cref="MaxListed"/> facts
    /// (one array, not a table: a send that records its question's ask makes one per message).
    /// </summary>
    internal CustomerFacts With(string name, Fact fact)
    {
        var count = Count;
        var index = -1;
        var at = 0;
        foreach (var (key, _) in Walk())
        {
            if (string.Equals(key, name, StringComparison.Ordinal))
            {
                index = at;
                break;
            }

            at++;
        }

        var size = index < 0 ? count + 1 : count;
        if (size > MaxListed)
        {
            var table = Copy();
            table[name] = fact;
            return new CustomerFacts(table);
        }

        var result = new KeyValuePair<string, Fact>[size];
        at = 0;
        foreach (var pair in Walk())
        {
            result[at++] = pair;
        }

        result[index < 0 ? count : index] = new(name, fact);
        return new CustomerFacts(result);
    }

    /// <summary>A set read from a store: <paramref name="facts"/> (distinct names, the stored order) listed when they are few, else in a table.</summary>
    internal static CustomerFacts Read(ReadOnlySpan<KeyValuePair<string, Fact>> facts)
    {
        if (facts.IsEmpty)
        {
            return Empty;
        }

        if (facts.Length <= MaxListed)
        {
            return new CustomerFacts(facts.ToArray());
        }

        var table = new Dictionary<string, Fact>(facts.Length, StringComparer.Ordinal);
        foreach (var (name, fact) in facts)
        {
            table.Add(name, fact);
        }

        return new CustomerFacts(table);
    }

    internal static CustomerFacts Wrap(Dictionary<string, Fact> facts) => facts.Count == 0 ? Empty : new CustomerFacts(facts);

    /// <summary>A set read from a store that owns <paramref name="facts"/> (distinct names, the stored order): listed when they are few, else in a table.</summary>
    internal static CustomerFacts Own(KeyValuePair<string, Fact>[] facts)
        => facts.Length == 0 ? Empty : facts.Length <= MaxListed ? new CustomerFacts(facts) : Read(facts);

    /// <summary>Writes the set as the stores keep it: <c>{"name":{"v":value,"at":"…","e":"event id"}}</c>, decimals as <c>{"d":"12.50"}</c>.</summary>
    internal byte[] ToJson()
    {
        var buffer = new ArrayBufferWriter<byte>(64 + (48 * Count));
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteJson(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Writes what <see cref="ToJson"/> returns to <paramref name="writer"/> and flushes it: a store that writes facts
    /// for every customer of a batch keeps one writer and one buffer (<see cref="Utf8JsonWriter.Reset(IBufferWriter{byte})"/>).
    /// </summary>
    /// <param name="writer">The writer.</param>
    /// <param name="skipAsks">Whether to leave out the asks <see cref="StoredFacts"/> writes in its binary form.</param>
    internal void WriteJson(Utf8JsonWriter writer, bool skipAsks = false)
    {
        Span<char> number = stackalloc char[32]; // a decimal's text: at most 29 digits, a sign and a point
        writer.WriteStartObject();
        foreach (var (name, fact) in Walk())
        {
            if (skipAsks && StoredFacts.IsAsk(name, fact))
            {
                continue;
            }

            writer.WriteStartObject(name);
            writer.WritePropertyName("v"u8);
            switch (fact.Value)
            {
                case null:
                    writer.WriteNullValue();
                    break;
                case string s:
                    writer.WriteStringValue(s);
                    break;
                case long l:
                    writer.WriteNumberValue(l);
                    break;
                case bool b:
                    writer.WriteBooleanValue(b);
                    break;
                case decimal d:
                    writer.WriteStartObject();
                    writer.WriteString("d"u8, d.TryFormat(number, out var length, provider: CultureInfo.InvariantCulture) ? number[..length] : d.ToString(CultureInfo.InvariantCulture));
                    writer.WriteEndObject();
                    break;
            }

            writer.WriteNumber("at"u8, fact.At.UtcTicks);
            writer.WriteString("e"u8, fact.EventId);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
        writer.Flush();
    }

    /// <summary>Walks a set's facts in order: the listed array, or the table's own struct enumerator.</summary>
    internal struct Walker(KeyValuePair<string, Fact>[]? listed, Dictionary<string, Fact>? table)
    {
        private Dictionary<string, Fact>.Enumerator _table = table?.GetEnumerator() ?? default;
        private int _index = -1;

        public KeyValuePair<string, Fact> Current => listed is not null ? listed[_index] : _table.Current;

        public readonly Walker GetEnumerator() => this;

        public bool MoveNext() => listed is not null ? ++_index < listed.Length : table is not null && _table.MoveNext();
    }

    /// <summary>Reads what <see cref="ToJson"/> wrote.</summary>
    internal static CustomerFacts FromJson(ReadOnlySpan<byte> json, Utf8StringCache? strings = null)
    {
        if (json.IsEmpty)
        {
            return Empty;
        }

        // The shape WriteJson writes, read byte by byte (the tick reads the facts of every stored customer, and this
        // is most of its work); anything else — escaped text, whitespace, another order — the JSON reader reads.
        if (WrittenFacts.TryRead(json, strings) is { } written)
        {
            return written;
        }

        return ReadGeneral(json, strings);
    }

    /// <summary>Reads facts JSON of any shape with the JSON reader (one pass, no document).</summary>
    internal static CustomerFacts ReadGeneral(ReadOnlySpan<byte> json, Utf8StringCache? strings)
    {
        var reader = new Utf8JsonReader(json);
        Expect(ref reader, JsonTokenType.StartObject);
        var facts = new Dictionary<string, Fact>(StringComparer.Ordinal);
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            var name = Text(ref reader, strings);
            Expect(ref reader, JsonTokenType.StartObject);
            object? value = null;
            long at = 0;
            string? eventId = null;
            while (Next(ref reader) == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("v"u8))
                {
                    value = Next(ref reader) switch
                    {
                        JsonTokenType.String => Text(ref reader, strings),
                        JsonTokenType.Number => reader.GetInt64(),
                        JsonTokenType.True => true,
                        JsonTokenType.False => false,
                        JsonTokenType.StartObject => ReadDecimal(ref reader),
                        _ => null,
                    };
                }
                else if (reader.ValueTextEquals("at"u8))
                {
                    Next(ref reader);
                    at = reader.GetInt64();
                }
                else if (reader.ValueTextEquals("e"u8))
                {
                    Next(ref reader);
                    eventId = Text(ref reader, strings);
                }
                else
                {
                    Next(ref reader);
                    reader.Skip();
                }
            }

            facts[name] = new Fact(value, new DateTimeOffset(at, TimeSpan.Zero), eventId ?? throw new JsonException($"The fact '{name}' names no event."));
        }

        return Wrap(facts);
    }

    private static string Text(ref Utf8JsonReader reader, Utf8StringCache? strings)
        => strings is null || reader.ValueIsEscaped || reader.HasValueSequence ? reader.GetString()! : strings.Get(reader.ValueSpan);

    private static JsonTokenType Next(ref Utf8JsonReader reader) => reader.Read() ? reader.TokenType : throw new JsonException("The facts end too early.");

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType token)
    {
        if (Next(ref reader) != token)
        {
            throw new JsonException($"The facts have {reader.TokenType} where {token} belongs.");
        }
    }

    private static decimal ReadDecimal(ref Utf8JsonReader reader)
    {
        decimal value = 0m;
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            var isD = reader.ValueTextEquals("d"u8);
            Next(ref reader);
            if (isD)
            {
                value = decimal.Parse(reader.GetString()!, NumberStyles.Number, CultureInfo.InvariantCulture);
            }
            else
            {
                reader.Skip();
            }
        }

        return value;
    }
}
