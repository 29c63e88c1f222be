namespace Personalize.Storage;

/// <summary>Where a delivery log entry is in its hand-off to the sink.</summary>
public enum DeliveryState
{
    /// <summary>Recorded (with its contact history) before the message was handed to the sink; the hand-off may not have happened yet. A run that finds pending entries of an interrupted run hands them over again (sinks skip keys they hold).</summary>
    Pending = 0,

    /// <summary>The sink took the message.</summary>
    Delivered = 1,
}
