using System.Diagnostics.CodeAnalysis;
using PhoneNumbers;

namespace Personalize.Customers;

/// <summary>
/// Checks email addresses and phone numbers the way a sender needs them: an email address is an RFC 5321 mailbox
/// (<c>local@domain</c>, a dot-atom on both sides, no quoted or IP-literal forms, ASCII only); a phone number is in
/// E.164 form and valid in the numbering plan of its region (Google's libphonenumber metadata), and it can receive
/// text messages when it is a mobile number (or one the plan cannot tell from a fixed line, as in North America).
/// </summary>
/// <remarks>
/// The customer JSON reader and the delivery options use these checks. The reasons they give name what is wrong and how
/// to fix it, without repeating the value (callers add it where they may).
/// </remarks>
public static class ContactPointValidation
{
    private const int MaxAddressLength = 254;
    private const int MaxLocalPartLength = 64;
    private const int MaxLabelLength = 63;

    private static readonly PhoneNumberUtil Phones = PhoneNumberUtil.GetInstance();

    /// <summary>Whether a text is an email address a message can be sent to (see <see cref="TryValidateEmail"/>).</summary>
    /// <param name="address">The address.</param>
    /// <returns><see langword="true"/> when valid.</returns>
    public static bool IsValidEmail([NotNullWhen(true)] string? address) => EmailProblem(address) is null;

    /// <summary>
    /// Checks an email address: <c>local@domain</c> with no display name, brackets or spaces; the local part a
    /// dot-atom of at most 64 characters (letters, digits and <c>!#$%&amp;'*+/=?^_`{|}~-</c>, dots only between them);
    /// the domain at least two dot-separated labels of letters, digits and inner hyphens, at most 63 characters each,
    /// its last label not all digits; at most 254 characters in all. Quoted local parts, IP-address domains and non-ASCII
    /// addresses are refused (use the punycode <c>xn--</c> form of an internationalized domain).
    /// </summary>
    /// <param name="address">The address.</param>
    /// <param name="problem">Why it is refused, as a phrase (for example <c>has two dots in a row in its local part</c>).</param>
    /// <returns><see langword="true"/> when valid.</returns>
    public static bool TryValidateEmail([NotNullWhen(true)] string? address, [NotNullWhen(false)] out string? problem)
    {
        problem = EmailProblem(address);
        return problem is null;
    }

    /// <summary>Whether a text is a valid phone number in E.164 form (see <see cref="TryValidatePhone"/>).</summary>
    /// <param name="phone">The number.</param>
    /// <returns><see langword="true"/> when valid.</returns>
    public static bool IsValidPhone([NotNullWhen(true)] string? phone) => TryValidatePhone(phone, null, out _);

    /// <summary>
    /// Checks a phone number: <c>+</c>, the country calling code and the national number, digits only
    /// (<c>+64211234567</c>), and a number the numbering plan of its region assigns.
    /// </summary>
    /// <param name="phone">The number.</param>
    /// <param name="region">
    /// The customer's region (ISO 3166-1 alpha-2, for example the postal address's country), or <see langword="null"/>:
    /// when a national number is given instead of E.164, the problem then shows its E.164 form.
    /// </param>
    /// <param name="problem">Why it is refused, as a phrase.</param>
    /// <returns><see langword="true"/> when valid.</returns>
    public static bool TryValidatePhone([NotNullWhen(true)] string? phone, string? region, [NotNullWhen(false)] out string? problem)
    {
        if (string.IsNullOrEmpty(phone))
        {
            problem = "is empty";
            return false;
        }

        if (phone[0] != '+' || !AllDigitsAfterPlus(phone))
        {
            problem = "is not in E.164 form (+, the country calling code and the number, digits only, for example +64211234567)";
            if (region is not null && TryParse(phone, region, out var national) && Phones.IsValidNumber(national))
            {
                problem += $"; in E.164 it is {Phones.Format(national, PhoneNumberFormat.E164)}";
            }

            return false;
        }

        if (phone.Length is < 8 or > 16)
        {
            problem = "is not in E.164 form (an E.164 number has 7 to 15 digits after the +)";
            return false;
        }

        if (!TryParse(phone, null, out var number))
        {
            problem = "does not start with a country calling code";
            return false;
        }

        if (!Phones.IsValidNumber(number))
        {
            var regionCode = Phones.GetRegionCodeForCountryCode(number.CountryCode);
            problem = regionCode is null or "ZZ"
                ? $"is not a valid number: +{number.CountryCode} is not a country calling code"
                : $"is not a valid number in the numbering plan of {regionCode} (+{number.CountryCode}): check its length and its first digits";
            return false;
        }

        problem = null;
        return true;
    }

    /// <summary>
    /// Whether a phone number can receive text messages: a valid E.164 number of a mobile line, or of a line the
    /// numbering plan cannot tell apart from a mobile one (North American numbers). Fixed lines, toll-free, premium-rate,
    /// pager, VoIP and unknown numbers cannot.
    /// </summary>
    /// <param name="phone">The number.</param>
    /// <returns><see langword="true"/> when SMS can reach it.</returns>
    public static bool CanReceiveText([NotNullWhen(true)] string? phone)
    {
        if (phone is null || phone.Length is < 8 or > 16 || phone[0] != '+' || !AllDigitsAfterPlus(phone) || !TryParse(phone, null, out var number))
        {
            return false;
        }

        return Phones.GetNumberType(number) is PhoneNumberType.MOBILE or PhoneNumberType.FIXED_LINE_OR_MOBILE;
    }

    /// <summary>
    /// <see cref="IsValidPhone"/> and <see cref="CanReceiveText"/> of one number from one parse (the same answers as the
    /// two calls): a contact point judges both at once.
    /// </summary>
    internal static void JudgePhone(string? phone, out bool valid, out bool canReceiveText)
    {
        valid = false;
        canReceiveText = false;
        if (phone is null || phone.Length is < 8 or > 16 || phone[0] != '+' || !AllDigitsAfterPlus(phone) || !TryParse(phone, null, out var number))
        {
            return;
        }

        // One walk of the numbering plan's patterns where there were two: a number the plan gives a type is valid (the
        // validity check is "the plan gives it a type" for the same region and metadata); only a number of no known type
        // asks IsValidNumber, which then has the last word (a plan without number patterns judges by length alone).
        var type = Phones.GetNumberType(number);
        valid = type != PhoneNumberType.UNKNOWN || Phones.IsValidNumber(number);
        canReceiveText = type is PhoneNumberType.MOBILE or PhoneNumberType.FIXED_LINE_OR_MOBILE;
    }

    /// <summary>The region (ISO 3166-1 alpha-2) a valid phone number belongs to, for example <c>NZ</c> for <c>+64211234567</c>.</summary>
    /// <param name="phone">The number.</param>
    /// <returns>The region, or <see langword="null"/> when the number is not valid.</returns>
    public static string? RegionOf(string? phone)
        => IsValidPhone(phone) && TryParse(phone, null, out var number) ? Phones.GetRegionCodeForNumber(number) : null;

    private static bool TryParse(string phone, string? region, [NotNullWhen(true)] out PhoneNumber? number)
    {
        try
        {
            number = Phones.Parse(phone, region);
            return true;
        }
        catch (NumberParseException)
        {
            number = null;
            return false;
        }
    }

    private static bool AllDigitsAfterPlus(string phone)
    {
        for (var i = 1; i < phone.Length; i++)
        {
            if (!char.IsAsciiDigit(phone[i]))
            {
                return false;
            }
        }

        return phone.Length > 1;
    }

    private static string? EmailProblem(string? address)
    {
        if (string.IsNullOrEmpty(address))
        {
            return "is empty";
        }

        if (address.Length > MaxAddressLength)
        {
            return $"is longer than {MaxAddressLength} characters";
        }

        foreach (var c in address)
        {
            if (c > '~')
            {
                return "has a non-ASCII character (write an internationalized domain in its xn-- form; non-ASCII local parts are not supported)";
            }

            if (c <= ' ')
            {
                return "has a space or a control character";
            }
        }

        var at = address.LastIndexOf('@');
        if (at < 0)
        {
            return "has no @";
        }

        if (address.IndexOf('@') != at)
        {
            return "has more than one @ (quoted local parts are not accepted)";
        }

        var local = address.AsSpan(0, at);
        var domain = address.AsSpan(at + 1);
        return LocalPartProblem(local) ?? DomainProblem(domain);
    }

    private static string? LocalPartProblem(ReadOnlySpan<char> local)
    {
        if (local.IsEmpty)
        {
            return "has nothing before the @";
        }

        if (local.Length > MaxLocalPartLength)
        {
            return $"has a local part (before the @) longer than {MaxLocalPartLength} characters";
        }

        if (local[0] == '.' || local[^1] == '.')
        {
            return "starts or ends its local part (before the @) with a dot";
        }

        for (var i = 0; i < local.Length; i++)
        {
            var c = local[i];
            if (c == '.')
            {
                if (local[i - 1] == '.')
                {
                    return "has two dots in a row in its local part (before the @)";
                }
            }
            else if (!IsAtext(c))
            {
                return $"has '{c}' in its local part (before the @), which an unquoted address cannot have";
            }
        }

        return null;
    }

    private static string? DomainProblem(ReadOnlySpan<char> domain)
    {
        if (domain.IsEmpty)
        {
            return "has no domain after the @";
        }

        if (domain[0] == '[')
        {
            return "has an IP address as its domain; use a domain name";
        }

        var labels = 0;
        var lastAllDigits = false;
        var rest = domain;
        while (true)
        {
            var dot = rest.IndexOf('.');
            var label = dot < 0 ? rest : rest[..dot];
            if (label.IsEmpty)
            {
                return "has an empty label in its domain (a dot at its start or end, or two dots in a row)";
            }

            if (label.Length > MaxLabelLength)
            {
                return $"has a domain label longer than {MaxLabelLength} characters";
            }

            if (label[0] == '-' || label[^1] == '-')
            {
                return "has a domain label that starts or ends with a hyphen";
            }

            lastAllDigits = true;
            foreach (var c in label)
            {
                if (!char.IsAsciiLetterOrDigit(c) && c != '-')
                {
                    return $"has '{c}' in its domain (letters, digits, hyphens and dots only)";
                }

                lastAllDigits &= char.IsAsciiDigit(c);
            }

            labels++;
            if (dot < 0)
            {
                break;
            }

            rest = rest[(dot + 1)..];
        }

        if (labels < 2)
        {
            return "has a domain without a dot (for example example.com)";
        }

        return lastAllDigits ? "has a domain whose last label is all digits" : null;
    }

    // RFC 5322 atext: letters, digits and !#$%&'*+-/=?^_`{|}~
    private static bool IsAtext(char c)
        => char.IsAsciiLetterOrDigit(c) || c is '!' or '#' or '$' or '%' or '&' or '\'' or '*' or '+' or '-' or '/' or '=' or '?' or '^' or '_' or '`' or '{' or '|' or '}' or '~';
}
