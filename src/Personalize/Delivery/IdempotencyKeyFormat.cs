namespace Personalize.Delivery;

/// <summary>The text format of an idempotency key (<see cref="IdempotencyKey"/>); a run keeps the format it started with.</summary>
public enum IdempotencyKeyFormat
{
    /// <summary><c>pz1_</c> and 32 characters of a hash: the keys of every version before <see cref="TimeOrdered"/> existed; they sort in no useful order.</summary>
    Hashed = 1,

    /// <summary><c>pz2_</c>, 7 characters of the send instant's second and 25 of a hash: keys sort by their send instant (the default for new runs).</summary>
    TimeOrdered = 2,

    /// <summary>
    /// <c>pz3_</c>, 7 characters of the send instant's second, a 5-character tag drawn for each page of a send run over a
    /// store (recorded with the page's customer range, <see cref="Storage.RunPage"/>) and 20 of a hash: a page's keys sort
    /// next to each other (ADR 0077). Made only with a tag (<see cref="IdempotencyKey.Create(string, string, string, DateTimeOffset, IdempotencyKeyFormat, string?)"/>);
    /// a run over a store records it as its format when <see cref="Sending.SendingOptions.IdempotencyKeyFormat"/> is <see cref="TimeOrdered"/>.
    /// </summary>
    PageTagged = 3,
}
