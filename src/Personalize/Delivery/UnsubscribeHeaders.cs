using System.Collections;
using Personalize.Channels;
using Personalize.Delivery.Security;

namespace Personalize.Delivery;

/// <summary>
/// The headers <see cref="MessageComposer.Email"/> gives a marketing or relationship email: <c>List-Unsubscribe</c>,
/// <c>List-Unsubscribe-Post</c>, <c>List-Id</c>, then the template's own. The <c>List-Unsubscribe</c> value (two
/// addresses with a signed token, ≈ 300 characters) is built when first read: a sink that writes no MIME (a null sink, a
/// sink that forwards the message's fields) never pays for it. The value is a pure function of the fields kept here, so
/// it is the same text whenever and on whichever thread it is read. Thread-safe (a race builds the same string twice).
/// </summary>
internal sealed class UnsubscribeHeaders : IReadOnlyList<KeyValuePair<string, string>>
{
    private const int Own = 3;
    private readonly DeliveryLinks _links;
    private readonly string _customerId;
    private readonly ContactPurpose _purpose;
    private readonly DateTimeOffset _sendAt;
    private readonly string _listId;
    private readonly IReadOnlyList<KeyValuePair<string, string>> _extra;
    private string? _listUnsubscribe;

    public UnsubscribeHeaders(DeliveryLinks links, string customerId, ContactPurpose purpose, DateTimeOffset sendAt, string listId, IReadOnlyList<KeyValuePair<string, string>>? extra)
    {
        _links = links;
        _customerId = customerId;
        _purpose = purpose;
        _sendAt = sendAt;
        _listId = listId;
        _extra = extra ?? [];
    }

    /// <summary>The template's own headers (checked by the MIME writer's validation; the composer's are made safe).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Extra => _extra;

    public int Count => Own + _extra.Count;

    public KeyValuePair<string, string> this[int index] => index switch
    {
        0 => new("List-Unsubscribe", _listUnsubscribe ??= _links.ListUnsubscribeHeader(_customerId, Channel.Email, _purpose, _sendAt)),
        1 => new("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
        2 => new("List-Id", _listId),
        _ when index >= Own && index < Count => _extra[index - Own],
        _ => throw new ArgumentOutOfRangeException(nameof(index), index, $"The message has {Count} headers."),
    };

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
