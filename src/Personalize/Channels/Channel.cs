using System.Diagnostics.CodeAnalysis;

namespace Personalize.Channels;

/// <summary>
/// A contact channel, identified by a normalized name (lower case, <c>a-z</c>, digits and <c>_</c>).
/// Well-known channels are static members; a host adds its own (for example <c>whatsapp</c>) with
/// <see cref="PersonalizeOptions.AddChannel"/> without changing the library.
/// </summary>
public readonly record struct Channel
{
    /// <summary>The longest channel name accepted.</summary>
    public const int MaxNameLength = 32;

    /// <summary>Email.</summary>
    public static readonly Channel Email = new("email");

    /// <summary>SMS text messages.</summary>
    public static readonly Channel Sms = new("sms");

    /// <summary>Mobile push notifications.</summary>
    public static readonly Channel Push = new("push");

    /// <summary>Direct (postal) mail.</summary>
    public static readonly Channel DirectMail = new("direct_mail");

    /// <summary>Phone calls.</summary>
    public static readonly Channel Phone = new("phone");

    /// <summary>Messages shown inside the host's app or website.</summary>
    public static readonly Channel InApp = new("in_app");

    /// <summary>Creates a channel from a name; the name is normalized (trimmed, lower case, <c>-</c> and spaces become <c>_</c>).</summary>
    /// <param name="name">The channel name, for example <c>email</c> or <c>WhatsApp</c>.</param>
    /// <exception cref="ArgumentException">The name is empty, too long or has characters other than letters, digits, <c>_</c>, <c>-</c> or spaces.</exception>
    public Channel(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!TryNormalize(name, out var normalized, out var error))
        {
            throw new ArgumentException(error, nameof(name));
        }

        Name = normalized;
    }

    /// <summary>The normalized name, for example <c>direct_mail</c>; <see langword="null"/> for <c>default(Channel)</c>.</summary>
    public string? Name { get; }

    /// <summary>Whether this is <c>default(Channel)</c>, which names no channel.</summary>
    public bool IsDefault => Name is null;

    /// <summary>Parses a channel name without throwing.</summary>
    /// <param name="name">The name to parse.</param>
    /// <param name="channel">The channel when the name is well formed.</param>
    /// <returns><see langword="true"/> when the name is well formed. Whether the channel is registered is a separate question for <see cref="ChannelRegistry"/>.</returns>
    public static bool TryParse([NotNullWhen(true)] string? name, out Channel channel)
    {
        if (name is not null && TryNormalize(name, out var normalized, out _))
        {
            channel = new Channel(normalized, trusted: true);
            return true;
        }

        channel = default;
        return false;
    }

    /// <inheritdoc />
    public override string ToString() => Name ?? string.Empty;

    private Channel(string normalized, bool trusted)
    {
        _ = trusted;
        Name = normalized;
    }

    internal static bool TryNormalize(string name, [NotNullWhen(true)] out string? normalized, [NotNullWhen(false)] out string? error)
    {
        var span = name.AsSpan().Trim();
        if (span.Length == 0)
        {
            normalized = null;
            error = "A channel name cannot be empty.";
            return false;
        }

        if (span.Length > MaxNameLength)
        {
            normalized = null;
            error = $"A channel name has at most {MaxNameLength} characters.";
            return false;
        }

        Span<char> buffer = stackalloc char[span.Length];
        for (var i = 0; i < span.Length; i++)
        {
            var c = span[i];
            if (c is >= 'A' and <= 'Z')
            {
                c = (char)(c + 32);
            }
            else if (c is '-' or ' ')
            {
                c = '_';
            }

            if (!(c is >= 'a' and <= 'z' || c is >= '0' and <= '9' || c == '_') || (i == 0 && c is not (>= 'a' and <= 'z')))
            {
                normalized = null;
                error = "A channel name starts with a letter and has only letters, digits, '_', '-' or spaces.";
                return false;
            }

            buffer[i] = c;
        }

        normalized = Intern(buffer);
        error = null;
        return true;
    }

    private static string Intern(ReadOnlySpan<char> name) => name switch
    {
        "email" => "email",
        "sms" => "sms",
        "push" => "push",
        "direct_mail" => "direct_mail",
        "phone" => "phone",
        "in_app" => "in_app",
        _ => new string(name),
    };
}
