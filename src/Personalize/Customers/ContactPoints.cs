using Personalize.Channels;

namespace Personalize.Customers;

/// <summary>How a customer can be reached: email address, phone (E.164), postal address, push device tokens.</summary>
public sealed record ContactPoints
{
    /// <summary>No contact points.</summary>
    public static ContactPoints None { get; } = new();

    private const byte EmailBit = 1;
    private const byte PhoneBit = 2;
    private readonly string? _email;
    private readonly string? _phone;

    // Which of email and phone are present (not null or empty), noted when they are set: Has reads this object only,
    // not the strings, which matters when a batch decides for thousands of profiles that are not in the CPU cache.
    private readonly byte _present;

    // Whether the phone can receive text messages: 0 not known yet, 1 yes, 2 no. Worked out on first use (parsing a
    // number against the numbering plan costs microseconds, too much to pay for every profile loaded); a race only
    // works it out twice. Derived from the phone, so equality ignores it.
    private byte _text;

    // Whether the email address and the phone number pass ContactPointValidation, the same way (0 not known, 1 yes, 2 no).
    // Stores read saved profiles without judging them again, so a contact point stored under an older, laxer rule
    // reaches the decision, which gives it contact_point.invalid instead of sending to it.
    private byte _emailValid;
    private byte _phoneValid;

    /// <summary>The email address.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? Email
    {
        get => _email;
        init
        {
            _email = value;
            _present = Note(_present, EmailBit, value);
            _emailValid = 0;
        }
    }

    /// <summary>The phone number in E.164 form (for example <c>+64211234567</c>), used for calls, and for SMS when it is a mobile number.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? Phone
    {
        get => _phone;
        init
        {
            _phone = value;
            _present = Note(_present, PhoneBit, value);
            _text = 0;
            _phoneValid = 0;
        }
    }

    /// <summary>The postal address.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public PostalAddress? PostalAddress { get; init; }

    /// <summary>Push device tokens.</summary>
    /// <value>The default value is empty.</value>
    public IReadOnlyList<string> DeviceTokens { get; init; } = [];

    /// <summary>
    /// Whether the contact point a channel needs is present and can be used: an email address that passes
    /// <see cref="ContactPointValidation.IsValidEmail"/>, a phone number that passes
    /// <see cref="ContactPointValidation.IsValidPhone"/>, a mobile number that can receive text messages.
    /// </summary>
    /// <param name="kind">The kind of contact point.</param>
    /// <returns><see langword="true"/> when present and usable (always for <see cref="ContactPointKind.None"/>).</returns>
    /// <seealso cref="IsInvalid"/>
    public bool Has(ContactPointKind kind) => kind switch
    {
        ContactPointKind.None => true,
        ContactPointKind.Email => (_present & EmailBit) != 0 && EmailValid(),
        ContactPointKind.Phone => (_present & PhoneBit) != 0 && PhoneValid(),
        ContactPointKind.MobilePhone => (_present & PhoneBit) != 0 && CanReceiveText(),
        ContactPointKind.PostalAddress => PostalAddress is not null,
        ContactPointKind.DeviceToken => DeviceTokens.Count > 0,
        _ => false,
    };

    /// <summary>
    /// Whether the contact point of a kind is present but not valid: an email address or phone number stored before a
    /// stricter rule, or given without checks. Decisions give such a channel <c>contact_point.invalid</c>.
    /// </summary>
    /// <param name="kind">The kind of contact point.</param>
    /// <returns><see langword="true"/> for an email address or (mobile) phone number that fails <see cref="ContactPointValidation"/>.</returns>
    public bool IsInvalid(ContactPointKind kind) => kind switch
    {
        ContactPointKind.Email => (_present & EmailBit) != 0 && !EmailValid(),
        ContactPointKind.Phone or ContactPointKind.MobilePhone => (_present & PhoneBit) != 0 && !PhoneValid(),
        _ => false,
    };

    /// <summary>Whether the phone number can receive text messages (see <see cref="ContactPointValidation.CanReceiveText"/>).</summary>
    /// <value><see langword="true"/> for a valid mobile number (or one its numbering plan cannot tell from a fixed line).</value>
    public bool PhoneCanReceiveText => (_present & PhoneBit) != 0 && CanReceiveText();

    /// <inheritdoc/>
    public bool Equals(ContactPoints? other)
        => ReferenceEquals(this, other)
           || (other is not null
               && string.Equals(_email, other._email, StringComparison.Ordinal)
               && string.Equals(_phone, other._phone, StringComparison.Ordinal)
               && Equals(PostalAddress, other.PostalAddress)
               && Equals(DeviceTokens, other.DeviceTokens));

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(_email, _phone, PostalAddress, DeviceTokens);

    private bool CanReceiveText()
    {
        if (_text == 0)
        {
            JudgePhone();
        }

        return _text == 1;
    }

    private bool EmailValid()
    {
        var known = _emailValid;
        if (known == 0)
        {
            known = ContactPointValidation.IsValidEmail(_email) ? (byte)1 : (byte)2;
            _emailValid = known;
        }

        return known == 1;
    }

    private bool PhoneValid()
    {
        if (_phoneValid == 0)
        {
            JudgePhone();
        }

        return _phoneValid == 1;
    }

    // Both verdicts on the phone from one parse against the numbering plan (a decision that considers SMS and calls
    // asks for both; each parse costs microseconds). Set the validity last: a race only judges twice, the same way.
    private void JudgePhone()
    {
        ContactPointValidation.JudgePhone(_phone, out var valid, out var canText);
        _text = canText ? (byte)1 : (byte)2;
        _phoneValid = valid ? (byte)1 : (byte)2;
    }

    /// <summary>
    /// The phone's verdict as a store keeps it beside the number (ADR 0081): <c>V</c> or <c>I</c> (valid or not), <c>T</c>
    /// or <c>N</c> (can receive text or not), the number's 32-bit FNV-1a hash in hex, and the rules the verdict was
    /// reached under (<see cref="PhoneRules"/>), for example <c>VT:1a2b3c4d:r1/9.0.43.0</c>; judged now when not known
    /// yet. <see langword="null"/> without a phone.
    /// </summary>
    internal string? StoredPhoneVerdict()
    {
        if ((_present & PhoneBit) == 0)
        {
            return null;
        }

        var valid = PhoneValid();
        var text = CanReceiveText();
        return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{(valid ? 'V' : 'I')}{(text ? 'T' : 'N')}:{PhoneHash(_phone!):x8}:{PhoneRules}");
    }

    /// <summary>
    /// Takes the phone's verdict a store kept (<see cref="StoredPhoneVerdict"/>) instead of judging the number again, when
    /// it is for this very number (its hash) under the rules of this build (<see cref="PhoneRules"/>) and not yet judged;
    /// anything else (another number, another rules version, a damaged or impossible verdict) is ignored and the number
    /// is judged when first asked, as without one. Only for a profile being built by a store's reader.
    /// </summary>
    internal void TakeStoredPhoneVerdict(ReadOnlySpan<byte> verdict)
    {
        if ((_present & PhoneBit) == 0 || _phoneValid != 0 || verdict.Length != 12 + PhoneRulesUtf8.Length
            || verdict[2] != (byte)':' || verdict[11] != (byte)':' || !verdict[12..].SequenceEqual(PhoneRulesUtf8)
            || !System.Buffers.Text.Utf8Parser.TryParse(verdict[3..11], out uint hash, out var consumed, 'x') || consumed != 8
            || hash != PhoneHash(_phone!))
        {
            return;
        }

        (bool Valid, bool Text)? judged = (verdict[0], verdict[1]) switch
        {
            ((byte)'V', (byte)'T') => (true, true),
            ((byte)'V', (byte)'N') => (true, false),
            ((byte)'I', (byte)'N') => (false, false),
            _ => null, // damaged, or impossible (IT: a number that takes texts has a type, so it is valid)
        };
        if (judged is not { } found)
        {
            return;
        }

        var (valid, text) = found;

        _text = text ? (byte)1 : (byte)2;
        _phoneValid = valid ? (byte)1 : (byte)2;
    }

    /// <summary>
    /// The rules a phone verdict is reached under: this library's way of judging (<c>r1</c>) and the numbering plan's
    /// version (libphonenumber's). A stored verdict under other rules is judged again.
    /// </summary>
    internal static readonly string PhoneRules = "r1/" + (typeof(PhoneNumbers.PhoneNumberUtil).Assembly.GetName().Version?.ToString() ?? "0");

    private static readonly byte[] PhoneRulesUtf8 = System.Text.Encoding.UTF8.GetBytes(PhoneRules);

    private static uint PhoneHash(string phone)
    {
        var hash = 2166136261u;
        foreach (var c in phone)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return hash;
    }

    private static byte Note(byte present, byte bit, string? text)
        => string.IsNullOrEmpty(text) ? (byte)(present & ~bit) : (byte)(present | bit);

    /// <summary>Whether a text has the shape of an E.164 phone number: <c>+</c>, then 8 to 15 digits, the first not 0.</summary>
    /// <param name="phone">The text.</param>
    /// <returns><see langword="true"/> when it has the shape.</returns>
    [Obsolete("A shape check only: most texts it accepts are not phone numbers. Use ContactPointValidation.IsValidPhone (the numbering plan) or CanReceiveText (SMS).")]
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
    [Obsolete("Too lax for sending (it accepts a..b@example.com). Use ContactPointValidation.IsValidEmail.")]
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
