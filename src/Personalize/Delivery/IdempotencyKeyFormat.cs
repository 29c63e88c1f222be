namespace Personalize.Delivery;

/// <summary>The text format of an idempotency key (<see cref="IdempotencyKey"/>); a run keeps the format it started with.</summary>
public enum IdempotencyKeyFormat
{
    /// <summary><c>pz1_</c> and 32 characters of a hash: the keys of every version before <see cref="TimeOrdered"/> existed; they sort in no useful order.</summary>
    Hashed = 1,

    /// <summary><c>pz2_</c>, 7 characters of the send instant's second and 25 of a hash: keys sort by their send instant (the default for new runs).</summary>
    TimeOrdered = 2,
}
