namespace Personalize.Customers;

/// <summary>At most <see cref="Max"/> messages per rolling <see cref="Period"/>, on one channel or overall.</summary>
public sealed record FrequencyCap
{
    /// <summary>The channel the cap applies to, or <see langword="null"/> for all channels together.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public Channel? Channel { get; init; }

    /// <summary>The most messages allowed in the window (0 means none).</summary>
    public required int Max { get; init; }

    /// <summary>The rolling window.</summary>
    public required CapPeriod Period { get; init; }

    /// <summary>The length of the rolling window: 1, 7 or 30 days.</summary>
    public TimeSpan Window => Period switch
    {
        CapPeriod.Day => TimeSpan.FromDays(1),
        CapPeriod.Week => TimeSpan.FromDays(7),
        _ => TimeSpan.FromDays(30),
    };
}
