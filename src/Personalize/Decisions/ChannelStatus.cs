namespace Personalize.Decisions;

/// <summary>What the channel rules said about one channel of a candidate.</summary>
public enum ChannelStatus
{
    /// <summary>Allowed at the decision instant.</summary>
    Allowed = 0,

    /// <summary>Allowed later: the send is deferred to <see cref="ChannelOutcome.SendAt"/>.</summary>
    Deferred = 1,

    /// <summary>Not allowed (see <see cref="ChannelOutcome.Code"/>).</summary>
    Blocked = 2,
}
