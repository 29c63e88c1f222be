namespace Personalize.Storage;

/// <summary>Where a scheduled (deferred) send is.</summary>
public enum ScheduledSendState
{
    /// <summary>Waiting for its due instant.</summary>
    Scheduled = 0,

    /// <summary>Re-checked at the due instant and sent (its delivery log entry has the same key).</summary>
    Sent = 1,

    /// <summary>Re-checked and not sent; <see cref="ScheduledSend.Reason"/> says why.</summary>
    Dropped = 2,
}
