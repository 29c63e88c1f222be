namespace Personalize.Catalog;

/// <summary>What happens to a message that may not go out now because of timing or a frequency cap.</summary>
public enum BlockedSendPolicy
{
    /// <summary>Defer it to the next allowed instant, never past its expiry.</summary>
    Defer = 0,

    /// <summary>Drop it: send now or not at all.</summary>
    Drop = 1,
}
