using System.Diagnostics.Tracing;
using System.Globalization;

namespace Personalize.Benchmarks.Sending;

/// <summary>
/// Counts the runtime's allocation samples (<c>GCAllocationTick</c>: one event per ~100 KB allocated, naming the type of
/// the object that crossed the mark) by type while it is enabled, and prints the types that took the most: a cheap,
/// in-process answer to "what allocates" for <c>store-loop --allocations</c>, without a profiler.
/// </summary>
internal sealed class AllocationSampler : EventListener
{
    private const int AllocationTickEventId = 10;
    private readonly Dictionary<string, long> _bytesByType = new(StringComparer.Ordinal);
    private readonly object _gate = new();
    private bool _counting;
    private readonly Dictionary<string, long> _gcReasons = new(StringComparer.Ordinal);
    private long _promoted0;
    private long _promoted1;

    public void Start()
    {
        lock (_gate)
        {
            _bytesByType.Clear();
            _gcReasons.Clear();
            _promoted0 = _promoted1 = 0;
            _counting = true;
        }
    }

    public void StopAndPrint(int messages, int top = 25)
    {
        List<KeyValuePair<string, long>> rows;
        lock (_gate)
        {
            _counting = false;
            rows = [.. _bytesByType.OrderByDescending(static r => r.Value).Take(top)];
        }

        var total = rows.Count == 0 ? 1 : _bytesByType.Values.Sum();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  collections by depth and reason: {string.Join(", ", _gcReasons.OrderBy(static r => r.Key).Select(static r => r.Key + " x" + r.Value))}; promoted out of gen0 {_promoted0 / 1048576.0:F0} MB, out of gen1 {_promoted1 / 1048576.0:F0} MB"));
        Console.WriteLine("  allocation samples by type (bytes per message, share of sampled bytes):");
        foreach (var (type, bytes) in rows)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {bytes / (double)messages,9:F0} B {100.0 * bytes / total,5:F1} %  {type}"));
        }
    }

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(eventSource, EventLevel.Verbose, (EventKeywords)0x1); // GC keyword
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (eventData.Payload is null || eventData.PayloadNames is null)
        {
            return;
        }

        if (eventData.EventId == 1 && eventData.PayloadNames.IndexOf("Depth") is var d and >= 0)
        {
            // GCStart: which generation and why (0 small allocation, 4 large, 6 out of space on the LOH, ...).
            var key = "gen" + eventData.Payload[d] + "/reason " + eventData.Payload[eventData.PayloadNames.IndexOf("Reason")] + "/type " + eventData.Payload[eventData.PayloadNames.IndexOf("Type")];
            lock (_gate)
            {
                if (_counting)
                {
                    _gcReasons[key] = _gcReasons.GetValueOrDefault(key) + 1;
                }
            }

            return;
        }

        if (eventData.EventId == 4 && eventData.PayloadNames.IndexOf("TotalPromotedSize0") is var p0 and >= 0)
        {
            lock (_gate)
            {
                if (_counting)
                {
                    _promoted0 += Convert.ToInt64(eventData.Payload[p0], CultureInfo.InvariantCulture);
                    _promoted1 += Convert.ToInt64(eventData.Payload[eventData.PayloadNames.IndexOf("TotalPromotedSize1")], CultureInfo.InvariantCulture);
                }
            }

            return;
        }

        if (eventData.EventId != AllocationTickEventId)
        {
            return;
        }

        var type = eventData.PayloadNames.IndexOf("TypeName") is var t and >= 0 ? eventData.Payload[t] as string ?? "?" : "?";
        if (eventData.PayloadNames.IndexOf("AllocationKind") is var k and >= 0 && Convert.ToInt32(eventData.Payload[k], CultureInfo.InvariantCulture) == 1)
        {
            // The large-object heap: its budget, not gen0's, sets off gen2 collections.
            type += " (LOH)";
        }

        var amount = eventData.PayloadNames.IndexOf("AllocationAmount64") is var a and >= 0 ? Convert.ToInt64(eventData.Payload[a], CultureInfo.InvariantCulture) : 0;
        lock (_gate)
        {
            if (_counting)
            {
                _bytesByType[type] = _bytesByType.GetValueOrDefault(type) + amount;
            }
        }
    }
}
