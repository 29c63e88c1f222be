using System.Globalization;

namespace Personalize.Storage;

/// <summary>The continuation tokens of time-ordered pages: <c>TICKS|KEY</c> (UTC ticks of the instant, then the key).</summary>
internal static class StoreCursor
{
    public static string Format(DateTimeOffset at, string key)
        => at.UtcTicks.ToString(CultureInfo.InvariantCulture) + "|" + key;

    public static (long Ticks, string Key)? Parse(string? token)
    {
        if (token is null)
        {
            return null;
        }

        var bar = token.IndexOf('|', StringComparison.Ordinal);
        if (bar <= 0 || !long.TryParse(token.AsSpan(0, bar), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks))
        {
            throw new ArgumentException($"'{token}' is not a continuation token of this store; pass the ContinueAfter of the previous page.", nameof(token));
        }

        return (ticks, token[(bar + 1)..]);
    }

    /// <summary>The key of a row a customer keeps in sequence (a consent record, a change): the customer, then the sequence, so rows at one instant page in a fixed order.</summary>
    /// <param name="customerId">The customer.</param>
    /// <param name="seq">The row's sequence.</param>
    /// <returns>The key.</returns>
    public static string SequencedKey(string customerId, long seq) => customerId + "\u001f" + seq.ToString("D19", CultureInfo.InvariantCulture);

    /// <summary>Parses a token of <see cref="SequencedKey"/>s into the instant's ticks, the customer and the sequence (the SQL stores compare all three).</summary>
    /// <param name="token">The previous page's <see cref="StorePage{T}.ContinueAfter"/>, or <see langword="null"/>.</param>
    /// <param name="what">What the pages hold, for the error (<c>the changes</c>).</param>
    /// <param name="paramName">The query's parameter name, for the error.</param>
    /// <returns>The cursor, or <see langword="null"/> for the first page.</returns>
    /// <exception cref="ArgumentException">The token is not one of these pages'.</exception>
    public static (long Ticks, string CustomerId, long Seq)? ParseSequenced(string? token, string what, string paramName)
    {
        if (Parse(token) is not { } cursor)
        {
            return null;
        }

        var separator = cursor.Key.LastIndexOf('\u001f');
        if (separator <= 0 || !long.TryParse(cursor.Key.AsSpan(separator + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var seq))
        {
            throw new ArgumentException($"'{token}' is not a continuation token of {what}; pass the ContinueAfter of the previous page.", paramName);
        }

        return (cursor.Ticks, cursor.Key[..separator], seq);
    }

    public static bool IsAfter(DateTimeOffset at, string key, (long Ticks, string Key)? cursor)
        => cursor is not { } c || at.UtcTicks > c.Ticks || (at.UtcTicks == c.Ticks && string.CompareOrdinal(key, c.Key) > 0);

    /// <summary>A page from up to <paramref name="limit"/> + 1 rows: the extra row only tells that more follow.</summary>
    public static StorePage<T> Page<T>(List<T> rows, int limit, Func<T, string> token)
    {
        if (rows.Count <= limit)
        {
            return new StorePage<T>(rows, null);
        }

        rows.RemoveAt(rows.Count - 1);
        return new StorePage<T>(rows, token(rows[^1]));
    }

    /// <summary>
    /// One page of in-memory rows in (instant, key) order: the rows that match and come after <paramref name="continueAfter"/>,
    /// at most <paramref name="limit"/>, and the cursor of the next page when there is one.
    /// </summary>
    public static StorePage<T> PageByInstant<T>(IEnumerable<T> rows, Func<T, bool> matches, Func<T, DateTimeOffset> at, Func<T, string> key, int limit, string? continueAfter)
    {
        var after = Parse(continueAfter);
        var page = rows
            .Where(r => matches(r) && IsAfter(at(r), key(r), after))
            .OrderBy(r => at(r).UtcTicks)
            .ThenBy(key, StringComparer.Ordinal)
            .Take(limit + 1)
            .ToList();
        return Page(page, limit, r => Format(at(r), key(r)));
    }
}
