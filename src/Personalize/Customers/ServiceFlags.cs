namespace Personalize.Customers;

/// <summary>
/// Service facts that put service before promotion: an open complaint, a detractor score, a failed payment.
/// The decision engine suppresses promotions while any is set.
/// </summary>
public sealed record ServiceFlags
{
    /// <summary>No flags.</summary>
    public static ServiceFlags None { get; } = new();

    /// <summary>Whether the customer has an open complaint.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool OpenComplaint { get; init; }

    /// <summary>Whether the last payment failed.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool FailedPayment { get; init; }

    /// <summary>The customer's latest Net Promoter Score answer, 0 to 10.</summary>
    /// <value>The default value is <see langword="null"/> (never answered).</value>
    public int? NpsScore { get; init; }

    /// <summary>Whether the latest NPS answer is a detractor score (0 to 6).</summary>
    public bool IsDetractor => NpsScore is >= 0 and <= 6;

    /// <summary>Whether any flag calls for service recovery before promotion.</summary>
    public bool NeedsServiceFirst => OpenComplaint || FailedPayment || IsDetractor;
}
