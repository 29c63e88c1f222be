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
