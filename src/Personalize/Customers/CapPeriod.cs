namespace Personalize.Customers;

/// <summary>The rolling window a frequency cap counts over.</summary>
public enum CapPeriod
{
    /// <summary>The last 24 hours.</summary>
    Day = 0,

    /// <summary>The last 7 days.</summary>
    Week = 1,

    /// <summary>The last 30 days.</summary>
    Month = 2,
}
