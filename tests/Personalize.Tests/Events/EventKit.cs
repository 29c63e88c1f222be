using System.Runtime.CompilerServices;
using System.Text.Json;
using Personalize.Events;

namespace Personalize.Tests.Events;

internal static class EventKit
{
    public static CustomerEvent Event(string id, string customer, string type, DateTimeOffset at, string? data = null) => new()
    {
        Id = id,
        CustomerId = customer,
        Type = type,
        OccurredAt = at,
        Data = data is null ? default : JsonDocument.Parse(data).RootElement.Clone(),
    };

    public static async IAsyncEnumerable<CustomerEvent> Stream(IEnumerable<CustomerEvent> events, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var e in events)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await Task.Yield();
            yield return e;
        }
    }
}
