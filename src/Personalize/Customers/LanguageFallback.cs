using System.Diagnostics.CodeAnalysis;

namespace Personalize.Customers;

/// <summary>
/// Picks the entry for a customer's language from entries keyed by language code (<c>de</c>, <c>de-AT</c>): the exact
/// code, then its neutral language (<c>de</c> of <c>de-AT</c>). Codes compare without case whatever comparer the
/// dictionary has. Used wherever the product shows text in the customer's language (questions, preference-center
/// texts and topic labels), so the rule is stated once.
/// </summary>
internal static class LanguageFallback
{
    /// <summary>Finds the entry for a language.</summary>
    /// <typeparam name="TValue">The entry type.</typeparam>
    /// <param name="entries">The entries by language code.</param>
    /// <param name="language">The customer's language code, or <see langword="null"/>.</param>
    /// <param name="value">The entry found.</param>
    /// <returns><see langword="true"/> when the exact code or its neutral language has an entry.</returns>
    public static bool TryFind<TValue>(IReadOnlyDictionary<string, TValue> entries, string? language, [MaybeNullWhen(false)] out TValue value)
    {
        if (string.IsNullOrEmpty(language) || entries.Count == 0)
        {
            value = default;
            return false;
        }

        if (entries.TryGetValue(language, out value))
        {
            return true;
        }

        // Shown with every message that carries the text: compare the neutral language as a span rather than
        // allocating it, and walk a Dictionary with its own enumerator rather than a boxed one.
        var dash = language.IndexOf('-', StringComparison.Ordinal);
        var neutral = dash > 0 ? language.AsSpan(0, dash) : [];
        return entries is Dictionary<string, TValue> dictionary
            ? Scan(dictionary.GetEnumerator(), language, neutral, out value)
            : Scan(entries.GetEnumerator(), language, neutral, out value);
    }

    // The exact code wins over the neutral language.
    private static bool Scan<TValue, TEnumerator>(TEnumerator entries, string language, ReadOnlySpan<char> neutral, [MaybeNullWhen(false)] out TValue value)
        where TEnumerator : IEnumerator<KeyValuePair<string, TValue>>
    {
        try
        {
            var found = false;
            value = default;
            while (entries.MoveNext())
            {
                var (code, entry) = entries.Current;
                if (string.Equals(code, language, StringComparison.OrdinalIgnoreCase))
                {
                    value = entry;
                    return true;
                }

                if (!found && !neutral.IsEmpty && code.AsSpan().Equals(neutral, StringComparison.OrdinalIgnoreCase))
                {
                    value = entry;
                    found = true;
                }
            }

            return found;
        }
        finally
        {
            entries.Dispose();
        }
    }
}
