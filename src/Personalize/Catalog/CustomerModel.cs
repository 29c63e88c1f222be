using System.Collections;
using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Personalize.Templates.Runtime;

namespace Personalize.Catalog;

/// <summary><c>customer.*</c>: attributes under snake_case names, derived day counts, flags — each computed when read.</summary>
internal sealed class CustomerModel : IReadOnlyDictionary<string, object?>
{
    private const int MaxCachedNames = 4096;
    private static readonly ConcurrentDictionary<string, (string Snake, string? Stem)> Names = new(StringComparer.Ordinal);
    private readonly ConditionContext _context;
    private Dictionary<string, object?>? _all;

    public CustomerModel(ConditionContext context) => _context = context;

    public int Count => All.Count;

    public IEnumerable<string> Keys => All.Keys;

    public IEnumerable<object?> Values => All.Values;

    private Dictionary<string, object?> All => _all ??= _context.BuildCustomerModel();

    public object? this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException(key);

    public bool ContainsKey(string key) => TryGetValue(key, out _);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out object? value)
    {
        var customer = _context.Customer;

        // Attributes first (they win over built-in names), then built-in names, then derived day counts.
        if (TryGetAttribute(customer.Attributes, key, out var found))
        {
            value = found;
            return true;
        }

        var flags = customer.ServiceFlags;
        switch (key)
        {
            case "id":
                value = customer.Id;
                return true;
            case "stage":
                value = ConditionContext.StageName(customer.Stage);
                return true;
            case "language":
                value = customer.Language;
                return true;
            case "time_zone":
                value = customer.TimeZone.Id;
                return true;
            case "open_complaint":
                value = flags.OpenComplaint ? True : False;
                return true;
            case "failed_payment":
                value = flags.FailedPayment ? True : False;
                return true;
            case "nps_score":
                value = flags.NpsScore;
                return true;
            case "is_detractor":
                value = flags.IsDetractor ? True : False;
                return true;
            case "needs_service_first":
                value = flags.NeedsServiceFirst ? True : False;
                return true;
            case "allows_personalization":
                value = customer.AllowsPersonalization ? True : False;
                return true;
            case "topics":
            case "contacts_last_30_days":
            case "days_since_contact":
                value = All[key];
                return true;
        }

        var since = key.StartsWith("days_since_", StringComparison.Ordinal);
        if (since || key.StartsWith("days_until_", StringComparison.Ordinal))
        {
            var stem = key.AsSpan(11);
            foreach (var (attribute, element) in customer.Attributes)
            {
                if (NamesOf(attribute).Stem is { } attributeStem && stem.SequenceEqual(attributeStem)
                    && element.ValueKind == JsonValueKind.String && ConditionContext.TryParseDate(element.GetString(), out var date))
                {
                    var days = ConditionContext.DaysBetween(date, _context.At);
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

    private static readonly object True = true;
    private static readonly object False = false;

    /// <summary>The first attribute (in the dictionary's order) whose snake_case name is <paramref name="key"/>; a
    /// <see cref="Dictionary{TKey, TValue}"/> (what the JSON reader and most hosts build) is walked without boxing its enumerator.</summary>
    private static bool TryGetAttribute(IReadOnlyDictionary<string, JsonElement> attributes, string key, out JsonElement element)
        => attributes is Dictionary<string, JsonElement> dictionary
            ? TryFind(dictionary.GetEnumerator(), key, out element)
            : TryFind(attributes.GetEnumerator(), key, out element);

    private static bool TryFind<TEnumerator>(TEnumerator attributes, string key, out JsonElement element)
        where TEnumerator : IEnumerator<KeyValuePair<string, JsonElement>>
    {
        using (attributes)
        {
            while (attributes.MoveNext())
            {
                var (attribute, value) = attributes.Current;
                if (string.Equals(NamesOf(attribute).Snake, key, StringComparison.Ordinal))
                {
                    element = value;
                    return true;
                }
            }
        }

        element = default;
        return false;
    }

    private static (string Snake, string? Stem) NamesOf(string attribute)
    {
        if (Names.TryGetValue(attribute, out var names))
        {
            return names;
        }

        var snake = MemberRenamers.SnakeCase(attribute);
        names = (snake, ConditionContext.DateStem(snake));
        if (Names.Count < MaxCachedNames)
        {
            Names.TryAdd(attribute, names);
        }

        return names;
    }
}
