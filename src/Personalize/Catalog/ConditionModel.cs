using System.Collections;
using System.Diagnostics.CodeAnalysis;
using Personalize.Customers;

namespace Personalize.Catalog;

/// <summary>
/// The root of the model expression conditions see — <c>customer</c>, <c>trigger</c>, <c>now</c> — as one small
/// object per decision instead of dictionaries; values are handed out on lookup (<c>now</c> is boxed once, on first use).
/// </summary>
internal sealed class ConditionModel : IReadOnlyDictionary<string, object?>
{
    private static readonly string[] RootKeys = ["customer", "trigger", "now", "event"];
    private readonly ConditionContext _context;
    private CustomerModel? _customer;
    private TriggerModel? _trigger;
    private object? _now;
    private Events.EventModel? _event;

    public ConditionModel(ConditionContext context) => _context = context;

    public int Count => RootKeys.Length;

    public IEnumerable<string> Keys => RootKeys;

    public IEnumerable<object?> Values
    {
        get
        {
            foreach (var key in RootKeys)
            {
                yield return this[key];
            }
        }
    }

    public object? this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException(key);

    public bool ContainsKey(string key) => key is "customer" or "trigger" or "now" or "event";

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out object? value)
    {
        switch (key)
        {
            case "customer":
                value = _customer ??= new CustomerModel(_context.Customer, _context.At, personalFieldsVisible: true);
                return true;
            case "trigger":
                value = _trigger ??= new TriggerModel(ConditionContext.TriggerKindName(_context.Trigger.Kind), _context.Trigger.Name);
                return true;
            case "now":
                value = _now ??= _context.At;
                return true;
            case "event":
                value = _context.Event is { } e ? _event ??= new Events.EventModel(e) : null;
                return true;
            default:
                value = null;
                return false;
        }
    }

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        foreach (var key in RootKeys)
        {
            yield return new KeyValuePair<string, object?>(key, this[key]);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary><c>trigger.kind</c> and <c>trigger.name</c>.</summary>
    private sealed class TriggerModel(string kind, string? name) : IReadOnlyDictionary<string, object?>
    {
        private static readonly string[] TriggerKeys = ["kind", "name"];

        public int Count => TriggerKeys.Length;

        public IEnumerable<string> Keys => TriggerKeys;

        public IEnumerable<object?> Values => [kind, name];

        public object? this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException(key);

        public bool ContainsKey(string key) => key is "kind" or "name";

        public bool TryGetValue(string key, [MaybeNullWhen(false)] out object? value)
        {
            switch (key)
            {
                case "kind":
                    value = kind;
                    return true;
                case "name":
                    value = name;
                    return true;
                default:
                    value = null;
                    return false;
            }
        }

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
        {
            yield return new KeyValuePair<string, object?>("kind", kind);
            yield return new KeyValuePair<string, object?>("name", name);
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
