namespace Personalize.Decisions;

/// <summary>The codes <see cref="DecisionEngine.Recheck"/> adds to the rules' own: why a deferred send was dropped at its due instant.</summary>
public static class RecheckCodes
{
    /// <summary>Consent was withdrawn after the decision (the withdrawal's effective time is after the decision instant).</summary>
    public const string WithdrawnSinceDecision = "consent.withdrawn_since_decision";

    /// <summary>The catalog no longer has the message.</summary>
    public const string MessageRemoved = "catalog.message_removed";

    /// <summary>The catalog message no longer has the channel.</summary>
    public const string ChannelRemoved = "catalog.channel_removed";
}
