namespace Personalize.Sending;

/// <summary>A snapshot of a send run's counters.</summary>
public sealed record SendProgress
{
    /// <summary>Gets the customers processed (decided, rendered and written, or failed).</summary>
    public required long Processed { get; init; }

    /// <summary>Gets the messages written for sending now, per channel name.</summary>
    public required IReadOnlyDictionary<string, long> Sent { get; init; }

    /// <summary>Gets the messages written for a later send instant (quiet hours, preferred times, caps).</summary>
    public required long Deferred { get; init; }

    /// <summary>Gets the messages the sink already held (a resumed run skips them; nothing is sent twice).</summary>
    public required long AlreadyWritten { get; init; }

    /// <summary>Gets the customers who got no message, per reason code (for example <c>consent.not_granted</c>, <c>frequency.channel_cap</c>, <c>no_candidate</c>).</summary>
    public required IReadOnlyDictionary<string, long> Suppressed { get; init; }

    /// <summary>Gets the messages an interrupted run had recorded but maybe not handed to the sink, handed over again (sinks skip keys they hold).</summary>
    /// <value>The default value is 0.</value>
    public long Recovered { get; init; }

    /// <summary>Gets the retries the sink writer made for transient sink failures (attempts after the first, over all messages).</summary>
    /// <value>The default value is 0.</value>
    public long SinkRetries { get; init; }

    /// <summary>Gets the messages the sink refused permanently (an SMTP 5xx, an HTTP 4xx: never retried; each is also an error).</summary>
    /// <value>The default value is 0.</value>
    public long FailedPermanently { get; init; }

    /// <summary>Gets the number of errors (a customer or message that failed).</summary>
    public required long Errors { get; init; }

    /// <summary>Gets the time since the run started.</summary>
    public required TimeSpan Elapsed { get; init; }

    /// <summary>Gets the messages sent now over all channels.</summary>
    public long TotalSent => Sum(Sent);

    /// <summary>Gets the customers without a message over all reasons.</summary>
    public long TotalSuppressed => Sum(Suppressed);

    private static long Sum(IReadOnlyDictionary<string, long> counts)
    {
        long total = 0;
        foreach (var count in counts.Values)
        {
            total += count;
        }

        return total;
    }
}
