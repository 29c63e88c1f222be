namespace Personalize.Customers;

/// <summary>How a customer can be reached: email address, phone (E.164), postal address, push device tokens.</summary>
public sealed record ContactPoints
{
    /// <summary>No contact points.</summary>
    public static ContactPoints None { get; } = new();

    /// <summary>The email address.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? Email { get; init; }

    /// <summary>The phone number in E.164 form (<c>+</c> and 8 to 15 digits), used for SMS and calls.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? Phone { get; init; }

    /// <summary>The postal address.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public PostalAddress? PostalAddress { get; init; }

    /// <summary>Push device tokens.</summary>
    /// <value>The default value is empty.</value>
    public IReadOnlyList<string> DeviceTokens { get; init; } = [];

    /// <summary>Whether the contact point a channel needs is present.</summary>
    /// <param name="kind">The kind of contact point.</param>
    /// <returns><see langword="true"/> when present (always for <see cref="ContactPointKind.None"/>).</returns>
    public bool Has(ContactPointKind kind) => kind switch
    {
        ContactPointKind.None => true,
        ContactPointKind.Email => !string.IsNullOrEmpty(Email),
        ContactPointKind.Phone => !string.IsNullOrEmpty(Phone),
        ContactPointKind.PostalAddress => PostalAddress is not null,
        ContactPointKind.DeviceToken => DeviceTokens.Count > 0,
        _ => false,
    };

    /// <summary>Whether a text is an E.164 phone number: <c>+</c>, then 8 to 15 digits, the first not 0.</summary>
    /// <param name="phone">The text.</param>
    /// <returns><see langword="true"/> when valid.</returns>
    public static bool IsE164(string? phone)
    {
        if (phone is null || phone.Length is < 9 or > 16 || phone[0] != '+' || phone[1] == '0')
        {
            return false;
        }

        for (var i = 1; i < phone.Length; i++)
        {
            if (!char.IsAsciiDigit(phone[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A light check that a text looks like an email address: one <c>@</c>, text on both sides, a dot in the domain, no spaces.</summary>
    /// <param name="email">The text.</param>
    /// <returns><see langword="true"/> when it looks like an address.</returns>
    public static bool LooksLikeEmail(string? email)
    {
        if (string.IsNullOrEmpty(email) || email.Length > 254)
        {
            return false;
        }

        var at = email.IndexOf('@');
        if (at <= 0 || at != email.LastIndexOf('@') || at == email.Length - 1)
        {
            return false;
        }

        var dot = email.IndexOf('.', at);
        if (dot <= at + 1 || dot == email.Length - 1)
        {
            return false;
        }

        foreach (var c in email)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                return false;
            }
        }

        return true;
    }
}
