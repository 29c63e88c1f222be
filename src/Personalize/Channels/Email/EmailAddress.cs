namespace Personalize.Channels.Email;

/// <summary>A mailbox: an ASCII address and an optional display name (which may be non-ASCII; it is written as RFC 2047 encoded-words).</summary>
/// <param name="Address">The address, for example <c>ada@example.com</c>.</param>
/// <param name="DisplayName">The display name, for example <c>Ada Lovelace</c>.</param>
public sealed record EmailAddress(string Address, string? DisplayName = null);
