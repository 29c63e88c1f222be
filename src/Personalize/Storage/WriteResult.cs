namespace Personalize.Storage;

/// <summary>The outcome of a write to one customer, and the customer's version after it.</summary>
/// <param name="Status">The outcome.</param>
/// <param name="Version">The version after the write (the current one when nothing was written; 0 when the customer is unknown).</param>
/// <param name="Reason">Why a write was <see cref="WriteStatus.Refused"/>, else <see langword="null"/>.</param>
public sealed record WriteResult(WriteStatus Status, long Version, string? Reason = null)
{
    /// <summary>Whether the write happened.</summary>
    public bool Succeeded => Status == WriteStatus.Written;
}
