namespace Personalize.Storage;

/// <summary>Why a contact point is on the suppression list (stable codes stored with each entry).</summary>
public static class SuppressionReasons
{
    /// <summary>The customer was erased (right to be forgotten).</summary>
    public const string Erased = "erased";

    /// <summary>A message to the address or number bounced for good.</summary>
    public const string HardBounce = "hard_bounce";

    /// <summary>Messages to the address or number soft-bounced too many times in a row (<see cref="Events.DeliveryEvents.DefaultSoftBounceLimit"/>).</summary>
    public const string SoftBounceLimit = "soft_bounce_limit";

    /// <summary>The recipient complained (marked a message as spam).</summary>
    public const string Complaint = "complaint";

    /// <summary>Blocked by an operator.</summary>
    public const string Manual = "manual";
}
