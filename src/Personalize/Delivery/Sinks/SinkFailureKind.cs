namespace Personalize.Delivery.Sinks;

/// <summary>Whether trying a failed message again can help.</summary>
public enum SinkFailureKind
{
    /// <summary>
    /// It may succeed later: a connection dropped, a time-out, an SMTP 4xx reply, an HTTP 408/429/5xx. <see cref="SinkWriter"/>
    /// retries it by its <see cref="SinkRetryPolicy"/>; after the last attempt it is recorded as failed for now.
    /// </summary>
    Transient = 0,

    /// <summary>
    /// It will fail again the same way: an SMTP 5xx reply (unknown mailbox, refused content), an HTTP 4xx other than
    /// 408/429, a message the sink cannot take. Never retried; recorded at once.
    /// </summary>
    Permanent = 1,
}
