namespace Personalize.Delivery.Security;

/// <summary>
/// The last few tokens a thread signed. Composing one email asks for the same token several times (the template's
/// <c>links.unsubscribe</c>, the https and the mailto address of <c>List-Unsubscribe</c>); signing is a pure
/// function of the service's key and the (customer, scope, expiry) payload, so a repeat returns the same string
/// without signing again. Per thread, fixed size, no locks; entries of another service instance never match.
/// </summary>
internal static class TokenCache
{
    private const int Size = 4;

    [ThreadStatic]
    private static Entry[]? t_entries;

    [ThreadStatic]
    private static int t_next;

    public static bool TryGet(SignedTokenService service, string customerId, string scope, long seconds, out string token)
    {
        var entries = t_entries;
        if (entries is not null)
        {
            foreach (var entry in entries)
            {
                if (entry.Token is not null && entry.Seconds == seconds && ReferenceEquals(entry.Service, service)
                    && string.Equals(entry.Scope, scope, StringComparison.Ordinal) && string.Equals(entry.CustomerId, customerId, StringComparison.Ordinal))
                {
                    token = entry.Token;
                    return true;
                }
            }
        }

        token = string.Empty;
        return false;
    }

    public static void Add(SignedTokenService service, string customerId, string scope, long seconds, string token)
    {
        var entries = t_entries ??= new Entry[Size];
        var index = t_next;
        entries[index] = new Entry(service, customerId, scope, seconds, token);
        t_next = (index + 1) % Size;
    }

    // The last tokens written as UTF-8 (links written straight into a render): the unsubscribe link of an email's HTML
    // part is written again in its text part. Each entry keeps its bytes in an array of its own, grown as needed.
    [ThreadStatic]
    private static Utf8Entry[]? t_utf8;

    [ThreadStatic]
    private static int t_nextUtf8;

    /// <summary>Copies a token this thread wrote lately into <paramref name="destination"/> (which is long enough).</summary>
    public static bool TryGetUtf8(SignedTokenService service, string customerId, string scope, long seconds, Span<byte> destination, out int written)
    {
        var entries = t_utf8;
        if (entries is not null)
        {
            foreach (var entry in entries)
            {
                if (entry is not null && entry.Length > 0 && entry.Seconds == seconds && ReferenceEquals(entry.Service, service)
                    && string.Equals(entry.Scope, scope, StringComparison.Ordinal) && string.Equals(entry.CustomerId, customerId, StringComparison.Ordinal))
                {
                    entry.Bytes.AsSpan(0, entry.Length).CopyTo(destination);
                    written = entry.Length;
                    return true;
                }
            }
        }

        written = 0;
        return false;
    }

    /// <summary>Remembers a token this thread wrote; returns its length.</summary>
    public static int AddUtf8(SignedTokenService service, string customerId, string scope, long seconds, ReadOnlySpan<byte> token)
    {
        var entries = t_utf8 ??= new Utf8Entry[2];
        var index = t_nextUtf8;
        var entry = entries[index] ??= new Utf8Entry();
        if (entry.Bytes.Length < token.Length)
        {
            entry.Bytes = new byte[Math.Max(256, token.Length)];
        }

        token.CopyTo(entry.Bytes);
        entry.Length = token.Length;
        entry.Service = service;
        entry.CustomerId = customerId;
        entry.Scope = scope;
        entry.Seconds = seconds;
        t_nextUtf8 = (index + 1) % entries.Length;
        return token.Length;
    }

    private sealed class Utf8Entry
    {
        public byte[] Bytes = [];
        public int Length;
        public SignedTokenService? Service;
        public string? CustomerId;
        public string? Scope;
        public long Seconds;
    }

    private readonly record struct Entry(SignedTokenService? Service, string? CustomerId, string? Scope, long Seconds, string? Token);
}
