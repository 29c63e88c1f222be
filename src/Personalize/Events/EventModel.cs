using System.Collections;
using System.Diagnostics.CodeAnalysis;
using Personalize.Templates.Runtime;

namespace Personalize.Events;

/// <summary>
/// <c>event.*</c> as conditions and templates see it: <c>id</c>, <c>type</c>, <c>occurred_at</c> and <c>data</c> (the
/// event's JSON object; members read as <c>event.data.order_number</c>). Visible to templates whatever the customer's
/// personalization consent: it is the service context of the message (the order that shipped), not a profile field.
/// </summary>
internal sealed class EventModel : IReadOnlyDictionary<string, object?>
{
    private static readonly string[] EventKeys = ["id", "type", "occurred_at", "data"];
    private readonly CustomerEvent _event;

    public EventModel(CustomerEvent @event) => _event = @event;

    public int Count => EventKeys.Length;

    public IEnumerable<string> Keys => EventKeys;

    public IEnumerable<object?> Values => EventKeys.Select(k => this[k]);

    public object? this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException(key);

    public bool ContainsKey(string key) => Array.IndexOf(EventKeys, key) >= 0;

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out object? value)
    {
        switch (key)
        {
            case "id":
                value = _event.Id;
                return true;
            case "type":
                value = _event.Type;
                return true;
            case "occurred_at":
                value = _event.OccurredAt;
                return true;
            case "data":
                value = _event.Data.ValueKind == System.Text.Json.JsonValueKind.Undefined ? null : ScriptValue.Normalize(_event.Data);
                return true;
            default:
                value = null;
                return false;
        }
    }

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        foreach (var key in EventKeys)
        {
            yield return new KeyValuePair<string, object?>(key, this[key]);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
