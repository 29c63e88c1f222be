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

    private readonly record struct Entry(SignedTokenService? Service, string? CustomerId, string? Scope, long Seconds, string? Token);
}
