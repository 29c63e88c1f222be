using Personalize.Delivery;

namespace Personalize.Channels.Email;

/// <summary>Rejects header injection: line breaks and control characters in header names and values.</summary>
internal static class HeaderGuard
{
    /// <summary>Headers the writer owns; a message may not set them itself.</summary>
    private static readonly string[] Reserved =
    [
        "From", "To", "Reply-To", "Subject", "Date", "Message-ID", "MIME-Version", "Content-Type", "Content-Transfer-Encoding",
    ];

    public static void CheckValue(string header, string? value)
    {
        if (value is null)
        {
            return;
        }

        // One vectorised search for the first CR, LF or NUL (headers such as List-Unsubscribe run to hundreds of characters).
        var i = value.AsSpan().IndexOfAny('\r', '\n', '\0');
        if (i >= 0)
        {
            var what = value[i] switch { '\r' => "a carriage return (CR)", '\n' => "a line feed (LF)", _ => "a NUL character" };
            throw new MessageContentException(
                MessageContentCodes.HeaderInjection,
                $"The {header} header has {what} at position {i}; header values must be one line. Remove line breaks from the value (header injection is rejected).");
        }
    }

    public static void CheckExtra(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        if (name.Length is 0 or > 76)
        {
            throw new MessageContentException(MessageContentCodes.HeaderInjection, $"The header name '{name}' must have 1 to 76 characters.");
        }

        foreach (var c in name)
        {
            if (c is < '!' or > '~' or ':')
            {
                throw new MessageContentException(
                    MessageContentCodes.HeaderInjection,
                    $"The header name '{Printable(name)}' has a character that is not allowed; use printable ASCII without ':' or spaces, for example X-Campaign.");
            }
        }

        foreach (var reserved in Reserved)
        {
            if (string.Equals(reserved, name, StringComparison.OrdinalIgnoreCase))
            {
                throw new MessageContentException(
                    MessageContentCodes.Invalid,
                    $"The header '{name}' is written by Personalize; set it through EmailContent or DeliveryOptions instead of OutgoingMessage.Headers.");
            }
        }

        CheckValue(name, value);
    }

    public static void CheckAddress(string header, EmailAddress address)
    {
        CheckValue(header, address.Address);
        CheckValue(header + " display name", address.DisplayName);
        if (!DeliveryOptions.IsAsciiEmail(address.Address))
        {
            throw new MessageContentException(
                MessageContentCodes.Invalid,
                $"The {header} address '{address.Address}' is not an ASCII email address; internationalized addresses (SMTPUTF8) are not supported.");
        }
    }

    private static string Printable(string text) => text.Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
