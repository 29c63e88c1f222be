using System.Collections;
using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;
using Personalize.Templates.Runtime;

namespace Personalize.Customers;

/// <summary>
/// <c>customer.*</c> as catalog conditions and content templates both see it: one set of names, resolved in one place,
/// each value computed when read. The profile's own fields are always visible; the personal fields — every attribute
/// under its snake_case name, the day counts derived from date attributes, and <c>name</c> — only when
/// <c>personalFieldsVisible</c> is set (conditions always; templates with the customer's consent to personalization).
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Always: <c>id</c>, <c>stage</c> (<c>"exposure"</c>, <c>"adoption"</c>, <c>"retention"</c>), <c>language</c>, <c>time_zone</c>,
/// <c>personalized</c> (also <c>allows_personalization</c>), <c>preferences.channels</c>, <c>open_complaint</c>, <c>failed_payment</c>,
/// <c>nps_score</c>, <c>is_detractor</c>, <c>needs_service_first</c>, <c>topics</c> (subscribed topics), <c>contacts_last_30_days</c>,
/// <c>days_since_contact</c> (null when never contacted). An attribute of the same name does not replace them.</item>
/// <item>Personal: every attribute under its snake_case name (<c>firstName</c> → <c>first_name</c>); nested objects and arrays keep their shape.
/// For an attribute whose name ends in <c>At</c>, <c>Date</c> or <c>On</c> (or <c>_at</c>, <c>_date</c>, <c>_on</c>) holding an ISO date or
/// instant, <c>days_since_STEM</c> and <c>days_until_STEM</c> in whole days (floor) from the model's instant, STEM being the snake_case name
/// without the suffix and a leading <c>last_</c> (<c>lastPurchaseAt</c> → <c>days_since_purchase</c>); <c>name</c>, the first and last
/// name. An attribute of the same name wins over a derived value. <c>facts</c>: the facts events keep (<c>customer.facts.order_count</c>; see
/// <c>docs/events.md</c>); it wins over an attribute named <c>facts</c>.</item>
/// </list>
/// </remarks>
internal sealed class CustomerModel : IReadOnlyDictionary<string, object?>, Personalize.Templates.IUtf8TemplateMembers
{
    private const int MaxCachedStems = 4096;
    private static readonly ConcurrentDictionary<string, string?> Stems = new(StringComparer.Ordinal);
    private static readonly string[] DateSuffixes = ["_at", "_date", "_on"];
    private static readonly object True = true;
    private static readonly object False = false;

    private static readonly string[] ProfileKeys =
    [
        "id", "stage", "language", "time_zone", "personalized", "allows_personalization", "preferences",
        "open_complaint", "failed_payment", "nps_score", "is_detractor", "needs_service_first",
        "topics", "contacts_last_30_days", "days_since_contact",
    ];

    private readonly CustomerProfile _customer;
    private readonly DateTimeOffset _at;
    private readonly bool _personal;
    private List<KeyValuePair<string, object?>>? _all;

#if NET9_0_OR_GREATER
    // The last array or object attribute read (its name and its boxed JSON value): see Collection.
    private string? _lastCollectionKey;
    private object? _lastCollection;
#endif

    /// <summary>Creates the model.</summary>
    /// <param name="customer">The customer.</param>
    /// <param name="at">The instant day counts are taken at (the decision or send instant).</param>
    /// <param name="personalFieldsVisible">Whether attributes, derived day counts and <c>name</c> are visible.</param>
    public CustomerModel(CustomerProfile customer, DateTimeOffset at, bool personalFieldsVisible)
    {
        _customer = customer;
        _at = at;
        _personal = personalFieldsVisible;
    }

    public int Count => All.Count;

    public IEnumerable<string> Keys => All.Select(static p => p.Key);

    public IEnumerable<object?> Values => All.Select(static p => p.Value);

    private List<KeyValuePair<string, object?>> All => _all ??= BuildAll();

    public object? this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException(key);

    public bool ContainsKey(string key) => TryGetValue(key, out _);

    /// <summary>Reads one member. Attributes come out as template values (a JSON string as a string, a number as a number, …).</summary>
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out object? value)
    {
        if (TryGetProfileValue(key, out value) || TryGetMatrixValue(_customer, key, out value))
        {
            return true;
        }

        if (!_personal)
        {
            value = null;
            return false;
        }

        if (key == "facts")
        {
            value = new Events.FactsModel(_customer.Facts);
            return true;
        }

        if (TryGetAttribute(_customer.Attributes, key, out var element))
        {
            value = element.ValueKind is JsonValueKind.Array or JsonValueKind.Object ? Collection(key, element) : ScriptValue.Normalize(element);
            return true;
        }

        return TryGetDerived(_customer, _at, key, out value);
    }

    /// <summary>
    /// An array or object attribute as a template value: the same object as the last read of the same attribute through
    /// this model when its JSON is still the very same value (the same bytes of the same document), so the parts of one
    /// message that loop over <c>customer.recommendations</c> see one value, and a loop over it can reuse the items it
    /// normalized (see <c>ForStatement</c>); else a new one.
    /// </summary>
    private object? Collection(string key, JsonElement element)
    {
#if NET9_0_OR_GREATER
        if (_lastCollection is JsonElement last && string.Equals(_lastCollectionKey, key, StringComparison.Ordinal))
        {
            var raw = System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(element);
            var lastRaw = System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(last);
            if (raw.Length == lastRaw.Length
                && System.Runtime.CompilerServices.Unsafe.AreSame(ref System.Runtime.InteropServices.MemoryMarshal.GetReference(raw), ref System.Runtime.InteropServices.MemoryMarshal.GetReference(lastRaw)))
            {
                return _lastCollection;
            }
        }

        var value = ScriptValue.Normalize(element);
        _lastCollectionKey = key;
        _lastCollection = value;
        return value;
#else
        _ = key;
        return ScriptValue.Normalize(element);
#endif
    }

    /// <summary>
    /// Writes a personal attribute holding a JSON string straight from the profile's JSON bytes into a UTF-8 render
    /// (<c>{{ customer.last_name }}</c>, and the left side of <c>{{ customer.city ?? "…" }}</c> when it is a non-empty
    /// string), instead of building a string per read; the same text <see cref="TryGetValue"/> gives. Everything else —
    /// the profile's own members, <c>tier</c> and <c>matrix</c> from the facts, <c>facts</c>, hidden personal fields,
    /// numbers, objects, arrays, a string with escapes, derived day counts — is read as usual (-1).
    /// </summary>
    public int WriteUtf8Member(string name, Span<byte> destination)
    {
#if NET9_0_OR_GREATER
        if (!_personal || IsProfileKey(name) || name == "facts" || TryGetMatrixValue(_customer, name, out _)
            || !TryGetAttribute(_customer.Attributes, name, out var element) || element.ValueKind != JsonValueKind.String)
        {
            return -1;
        }

        var raw = System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(element);
        if (raw.Length < 2 || raw[0] != (byte)'"' || raw[^1] != (byte)'"')
        {
            return -1;
        }

        var text = raw[1..^1];
        if (text.IndexOf((byte)'\\') >= 0 || !System.Text.Unicode.Utf8.IsValid(text))
        {
            // An escape, or bytes GetString would refuse: the usual read (and its error).
            return -1;
        }

        if (text.Length <= destination.Length)
        {
            text.CopyTo(destination);
        }

        return text.Length;
#else
        _ = name;
        _ = destination;
        return -1;
#endif
    }

    /// <summary>Whether <paramref name="key"/> is one of the profile's own members (visible whatever the personal fields).</summary>
    internal static bool IsProfileKey(string key) => Array.IndexOf(ProfileKeys, key) >= 0;

    /// <summary>A personal member derived from the attributes — <c>name</c>, <c>days_since_X</c>, <c>days_until_X</c> — for a key no attribute has.</summary>
    internal static bool TryGetDerived(CustomerProfile customer, DateTimeOffset at, string key, out object? value)
    {
        if (key == "name")
        {
            value = FullName(customer);
            return value is not null;
        }

        var since = key.StartsWith("days_since_", StringComparison.Ordinal);
        if (since || key.StartsWith("days_until_", StringComparison.Ordinal))
        {
            var stem = key.AsSpan(11);
            foreach (var (attribute, date) in customer.Attributes)
            {
                if (StemOf(attribute) is { } attributeStem && stem.SequenceEqual(attributeStem) && TryGetDate(date, out var instant))
                {
                    var days = DaysBetween(instant, at);
                    value = since ? days : -days;
                    return true;
                }
            }
        }

        value = null;
        return false;
    }

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => All.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The personal name for letters (first and last name attributes), or null when personal fields are hidden.</summary>
    internal string? FullName() => _personal ? FullName(_customer) : null;

    private static string? FullName(CustomerProfile customer)
    {
        var first = Text(customer, "first_name");
        var last = Text(customer, "last_name");
        return first is null ? last : last is null ? first : first + " " + last;
    }

    internal static string StageName(LifecycleStage stage) => stage switch
    {
        LifecycleStage.Exposure => "exposure",
        LifecycleStage.Adoption => "adoption",
        _ => "retention",
    };

    /// <summary>Whole days from <paramref name="from"/> to <paramref name="to"/>, rounded down (negative when <paramref name="from"/> is later).</summary>
    internal static int DaysBetween(DateTimeOffset from, DateTimeOffset to) => (int)Math.Floor((to - from).TotalDays);

    internal static string? DateStem(string snake)
    {
        string? stem = null;
        foreach (var suffix in DateSuffixes)
        {
            if (snake.Length > suffix.Length && snake.EndsWith(suffix, StringComparison.Ordinal))
            {
                stem = snake[..^suffix.Length];
                break;
            }
        }

        if (stem is null)
        {
            return null;
        }

        return stem.StartsWith("last_", StringComparison.Ordinal) && stem.Length > 5 ? stem[5..] : stem;
    }

    internal static bool TryParseDate(string? text, out DateTimeOffset date)
    {
        date = default;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            date = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            return true;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out date) && text.Contains('T', StringComparison.Ordinal);
    }

    private bool TryGetProfileValue(string key, out object? value) => TryGetProfileValue(_customer, _at, key, out value);

    /// <summary>
    /// <c>tier</c> and <c>matrix</c> once a tick placed the customer in the relationship matrix (the sender's own
    /// classification, visible without personalization consent); before that, a host attribute of the same name is read
    /// as any attribute.
    /// </summary>
    internal static bool TryGetMatrixValue(CustomerProfile customer, string key, out object? value)
    {
        value = key switch
        {
            "tier" => customer.Facts.ValueOf(Events.FactNames.Tier) as string,
            "matrix" => Events.MatrixModel.Of(customer.Facts),
            _ => null,
        };
        return value is not null;
    }

    /// <summary>One of the profile's own members (see <see cref="IsProfileKey"/>) at the instant <paramref name="at"/>.</summary>
    internal static bool TryGetProfileValue(CustomerProfile customer, DateTimeOffset at, string key, out object? value)
    {
        switch (key)
        {
            case "id":
                value = customer.Id;
                return true;
            case "stage":
                value = StageName(customer.Stage);
                return true;
            case "language":
                value = customer.Language;
                return true;
            case "time_zone":
                value = customer.TimeZone.Id;
                return true;
            case "personalized":
            case "allows_personalization":
                value = customer.AllowsPersonalization ? True : False;
                return true;
            case "preferences":
                value = new PreferencesModel(customer.Preferences);
                return true;
            case "open_complaint":
                value = customer.ServiceFlags.OpenComplaint ? True : False;
                return true;
            case "failed_payment":
                value = customer.ServiceFlags.FailedPayment ? True : False;
                return true;
            case "nps_score":
                value = customer.ServiceFlags.NpsScore;
                return true;
            case "is_detractor":
                value = customer.ServiceFlags.IsDetractor ? True : False;
                return true;
            case "needs_service_first":
                value = customer.ServiceFlags.NeedsServiceFirst ? True : False;
                return true;
            case "topics":
                value = customer.Consents.GetSubscribedTopics(at);
                return true;
            case "contacts_last_30_days":
                value = customer.History.CountBetween(at - TimeSpan.FromDays(30) + TimeSpan.FromTicks(1), at + TimeSpan.FromTicks(1));
                return true;
            case "days_since_contact":
                value = customer.History.Last() is { } last ? DaysBetween(last.SentAt, at) : null;
                return true;

            default:
                value = null;
                return false;
        }
    }

    /// <summary>Every visible member in a fixed order: the profile's, then the attributes, then derived ones (for enumerating the customer).</summary>
    private List<KeyValuePair<string, object?>> BuildAll()
    {
        var all = new List<KeyValuePair<string, object?>>(ProfileKeys.Length + (_personal ? (2 * _customer.Attributes.Count) + 1 : 0));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var key in ProfileKeys)
        {
            TryGetProfileValue(key, out var value);
            all.Add(new(key, value));
            seen.Add(key);
        }

        if (!_personal)
        {
            return all;
        }

        all.Add(new("facts", new Events.FactsModel(_customer.Facts)));
        seen.Add("facts");
        var derived = new List<KeyValuePair<string, object?>>();
        foreach (var (attribute, element) in _customer.Attributes)
        {
            var name = MemberRenamers.SnakeCase(attribute);
            if (seen.Add(name))
            {
                all.Add(new(name, ScriptValue.Normalize(element)));
            }

            if (DateStem(name) is { } stem && TryGetDate(element, out var date))
            {
                var days = DaysBetween(date, _at);
                derived.Add(new("days_since_" + stem, days));
                derived.Add(new("days_until_" + stem, -days));
            }
        }

        if (FullName() is { } fullName)
        {
            derived.Add(new("name", fullName));
        }

        foreach (var pair in derived)
        {
            if (seen.Add(pair.Key))
            {
                all.Add(pair);
            }
        }

        return all;
    }

    private static bool TryGetDate(JsonElement element, out DateTimeOffset date)
    {
        date = default;
        return element.ValueKind == JsonValueKind.String && TryParseDate(element.GetString(), out date);
    }

    private static string? Text(CustomerProfile customer, string snake)
    {
        return TryGetAttribute(customer.Attributes, snake, out var element) && element.ValueKind == JsonValueKind.String
            && element.GetString() is { } text && !string.IsNullOrWhiteSpace(text)
            ? text
            : null;
    }

    /// <summary>The first attribute (in the dictionary's order) whose snake_case name is <paramref name="key"/>; a
    /// <see cref="Dictionary{TKey, TValue}"/> (what the JSON reader and most hosts build) is walked without boxing its enumerator,
    /// and names are compared as their snake_case is produced, without building it.</summary>
    internal static bool TryGetAttribute(IReadOnlyDictionary<string, JsonElement> attributes, string key, out JsonElement element)
        => attributes is StoredAttributes stored
            ? stored.TryGetSnakeCase(key, out element)
            : attributes is Dictionary<string, JsonElement> dictionary
            ? TryFind(dictionary.GetEnumerator(), key, out element)
            : TryFind(attributes.GetEnumerator(), key, out element);

    /// <summary>Whether <paramref name="attribute"/>'s snake_case is <paramref name="key"/>.</summary>
    internal static bool IsSnakeCaseOf(string attribute, string key)
    {
        // Quick rejects before the snake_case comparison: snake_case never shortens a name and keeps its first
        // character (lowered when upper case).
        if (attribute.Length > key.Length || (attribute.Length > 0 && key.Length > 0 && (char.IsUpper(attribute[0]) ? char.ToLowerInvariant(attribute[0]) : attribute[0]) != key[0]))
        {
            return false;
        }

        return MemberRenamers.SnakeCaseEquals(attribute, key);
    }

    private static bool TryFind<TEnumerator>(TEnumerator attributes, string key, out JsonElement element)
        where TEnumerator : IEnumerator<KeyValuePair<string, JsonElement>>
    {
        using (attributes)
        {
            while (attributes.MoveNext())
            {
                var (attribute, value) = attributes.Current;
                if (IsSnakeCaseOf(attribute, key))
                {
                    element = value;
                    return true;
                }
            }
        }

        element = default;
        return false;
    }

    /// <summary>The day-count stem of an attribute name (<c>lastPurchaseAt</c> → <c>purchase</c>), or null; cached per name.</summary>
    private static string? StemOf(string attribute)
    {
        if (Stems.TryGetValue(attribute, out var stem))
        {
            return stem;
        }

        stem = DateStem(MemberRenamers.SnakeCase(attribute));
        if (Stems.Count < MaxCachedStems)
        {
            Stems.TryAdd(attribute, stem);
        }

        return stem;
    }
}
