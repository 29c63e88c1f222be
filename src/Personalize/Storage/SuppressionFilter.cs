using Personalize.Channels;
using Personalize.Eligibility;

namespace Personalize.Storage;

/// <summary>
/// How every store applies its suppression list to <see cref="CustomerSends.ContactPoints"/> inside a
/// <see cref="IPersonalizeStore.RecordAsync"/> transaction: the hashes a batch needs are looked up once, then each
/// customer's write loses the deliveries whose every contact point is listed.
/// </summary>
internal static class SuppressionFilter
{
    /// <summary>Whether any write of the batch gives contact points to check.</summary>
    /// <param name="batch">The batch.</param>
    /// <returns><see langword="true"/> when one does.</returns>
    public static bool HasContactPoints(SendBatch batch)
    {
        foreach (var sends in batch.Customers)
        {
            if (sends.ContactPoints.Count > 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The salted hash of every contact point of the batch, each computed once: per write (to filter it with
    /// <see cref="Apply"/>) and the distinct ones (to look up in one query).
    /// </summary>
    /// <param name="batch">The batch.</param>
    /// <param name="salt">The store's salt.</param>
    /// <returns>The hashes.</returns>
    public static BatchHashes HashesOf(SendBatch batch, byte[] salt)
    {
        var perWrite = new string?[batch.Customers.Count][];
        var distinct = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < perWrite.Length; i++)
        {
            var points = batch.Customers[i].ContactPoints;
            var hashes = points.Count == 0 ? [] : new string?[points.Count];
            for (var j = 0; j < hashes.Length; j++)
            {
                if ((hashes[j] = HashOf(points[j], salt)) is { } hash)
                {
                    distinct.Add(hash);
                }
            }

            perWrite[i] = hashes;
        }

        return new BatchHashes(perWrite, [.. distinct]);
    }

    /// <summary>
    /// Removes the deliveries whose every given contact point is listed (with their contact points) and turns their
    /// completions as sent into drops with reason <see cref="EligibilityCodes.ContactPointSuppressed"/>.
    /// </summary>
    /// <param name="sends">One customer's write.</param>
    /// <param name="hashes">The hashes of its contact points, in their order (<see cref="BatchHashes.Of"/>; <see langword="null"/> for one that cannot be checked).</param>
    /// <param name="isListed">Whether a hash is on the list (the SQL stores look the batch's <see cref="BatchHashes.Distinct"/> up once).</param>
    /// <param name="suppressed">The keys removed (empty when none).</param>
    /// <returns>The write to record.</returns>
    public static CustomerSends Apply(CustomerSends sends, IReadOnlyList<string?> hashes, Func<string, bool> isListed, out IReadOnlyList<string> suppressed)
    {
        suppressed = [];
        if (sends.ContactPoints.Count == 0 || sends.Deliveries.Count == 0)
        {
            return sends;
        }

        // A key is refused when it has at least one checkable contact point and every one of them is listed.
        var verdicts = new Dictionary<string, bool>(StringComparer.Ordinal);
        for (var j = 0; j < sends.ContactPoints.Count; j++)
        {
            if (hashes[j] is not { } hash)
            {
                continue;
            }

            var key = sends.ContactPoints[j].IdempotencyKey;
            var listed = isListed(hash);
            verdicts[key] = verdicts.TryGetValue(key, out var sofar) ? sofar && listed : listed;
        }

        List<string>? refused = null;
        foreach (var delivery in sends.Deliveries)
        {
            if (verdicts.TryGetValue(delivery.IdempotencyKey, out var isRefused) && isRefused)
            {
                (refused ??= []).Add(delivery.IdempotencyKey);
            }
        }

        if (refused is null)
        {
            return sends;
        }

        suppressed = refused;
        var keys = new HashSet<string>(refused, StringComparer.Ordinal);
        return sends with
        {
            Deliveries = sends.Deliveries.Where(d => !keys.Contains(d.IdempotencyKey)).ToArray(),
            ContactPoints = sends.ContactPoints.Where(p => !keys.Contains(p.IdempotencyKey)).ToArray(),
            Completions = sends.Completions.Select(c => c.State == ScheduledSendState.Sent && keys.Contains(c.IdempotencyKey)
                ? c with { State = ScheduledSendState.Dropped, Reason = EligibilityCodes.ContactPointSuppressed }
                : c).ToArray(),
        };
    }

    /// <summary>Adds the keys <see cref="Apply"/> removed to a customer's result.</summary>
    /// <param name="result">The result of recording the rest.</param>
    /// <param name="suppressed">The removed keys.</param>
    /// <returns>The result.</returns>
    public static CustomerSendsResult With(CustomerSendsResult result, IReadOnlyList<string> suppressed)
        => suppressed.Count == 0 || result.Status != WriteStatus.Written ? result : result with { Suppressed = suppressed };

    /// <summary>
    /// Whether the whole entry is refused: it asked for that (<see cref="CustomerSends.RefuseWhenSuppressed"/>) and
    /// <see cref="Apply"/> refused one of its deliveries. The store then writes nothing of it and reports <see cref="Refused"/>.
    /// </summary>
    /// <param name="sends">The entry as given.</param>
    /// <param name="suppressed">The keys <see cref="Apply"/> refused.</param>
    /// <returns><see langword="true"/> when nothing of the entry may be written.</returns>
    public static bool RefusesAll(CustomerSends sends, IReadOnlyList<string> suppressed) => sends.RefuseWhenSuppressed && suppressed.Count > 0;

    /// <summary>The result of an entry refused whole (<see cref="RefusesAll"/>): nothing written, the refused keys named.</summary>
    /// <param name="sends">The entry.</param>
    /// <param name="suppressed">The refused keys.</param>
    /// <returns>The result.</returns>
    public static CustomerSendsResult Refused(CustomerSends sends, IReadOnlyList<string> suppressed)
        => new(sends.CustomerId, WriteStatus.Refused, sends.ExpectedVersion ?? 0, []) { Suppressed = suppressed };

    private static string? HashOf(DeliveryContactPoint point, byte[] salt)
    {
        var kind = point.Kind == ContactPointKind.MobilePhone ? ContactPointKind.Phone : point.Kind;
        return ContactPointHash.IsSupported(kind) && !string.IsNullOrWhiteSpace(point.Value) ? ContactPointHash.Compute(salt, kind, point.Value) : null;
    }

    /// <summary>The salted hashes of a batch's contact points (<see cref="HashesOf"/>).</summary>
    /// <param name="perWrite">Per write of the batch, the hash of each contact point in order (<see langword="null"/> for one that cannot be checked).</param>
    /// <param name="distinct">The distinct hashes.</param>
    public sealed class BatchHashes(string?[][] perWrite, List<string> distinct)
    {
        /// <summary>Gets the distinct hashes (to look up in one query).</summary>
        public List<string> Distinct { get; } = distinct;

        /// <summary>The hashes of one write's contact points.</summary>
        /// <param name="index">The write's index in <see cref="SendBatch.Customers"/>.</param>
        /// <returns>The hashes, in the order of its <see cref="CustomerSends.ContactPoints"/>.</returns>
        public IReadOnlyList<string?> Of(int index) => perWrite[index];
    }
}
