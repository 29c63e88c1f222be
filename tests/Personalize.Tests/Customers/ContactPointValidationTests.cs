using MimeKit;
using Personalize.Channels;
using Personalize.Consent;
using Personalize.Customers;
using Personalize.Eligibility;

namespace Personalize.Tests.Customers;

public sealed class ContactPointValidationTests
{
    public static readonly TheoryData<string> GoodEmails = new()
    {
        "ada@example.com",
        "ada.lovelace@example.co.uk",
        "a+tag@example.com",
        "o'brien@example.ie",
        "x!#$%&'*+-/=?^_`{|}~y@example.com",
        "a@xn--gtnerei-mueller-5ob.example",
        "user@sub-domain.example-shop.com",
        "A.B.C@EXAMPLE.COM",
    };

    public static readonly TheoryData<string, string> BadEmails = new()
    {
        { "a..b@example.com", "has two dots in a row in its local part (before the @)" },
        { ".ada@example.com", "starts or ends its local part (before the @) with a dot" },
        { "ada.@example.com", "starts or ends its local part (before the @) with a dot" },
        { "ada@example", "has a domain without a dot (for example example.com)" },
        { "ada@example..com", "has an empty label in its domain (a dot at its start or end, or two dots in a row)" },
        { "ada@.example.com", "has an empty label in its domain (a dot at its start or end, or two dots in a row)" },
        { "ada@example.com.", "has an empty label in its domain (a dot at its start or end, or two dots in a row)" },
        { "ada@-example.com", "has a domain label that starts or ends with a hyphen" },
        { "ada@exa_mple.com", "has '_' in its domain (letters, digits, hyphens and dots only)" },
        { "ada@[192.0.2.1]", "has an IP address as its domain; use a domain name" },
        { "ada@192.0.2.1", "has a domain whose last label is all digits" },
        { "\"ada lovelace\"@example.com", "has a space or a control character" },
        { "\"ada\"@example.com", "has '\"' in its local part (before the @), which an unquoted address cannot have" },
        { "a@b@example.com", "has more than one @ (quoted local parts are not accepted)" },
        { "Ada <ada@example.com>", "has a space or a control character" },
        { "<ada@example.com>", "has '<' in its local part (before the @), which an unquoted address cannot have" },
        { "ada(comment)@example.com", "has '(' in its local part (before the @), which an unquoted address cannot have" },
        { "adaexample.com", "has no @" },
        { "@example.com", "has nothing before the @" },
        { "ada@", "has no domain after the @" },
        { "adä@example.com", "has a non-ASCII character (write an internationalized domain in its xn-- form; non-ASCII local parts are not supported)" },
        { "ada@example.com\r\nBcc: victim@example.com", "has a space or a control character" },
        { "", "is empty" },
    };

    [Theory]
    [MemberData(nameof(GoodEmails))]
    public void A_mailbox_address_is_valid(string address)
    {
        Assert.True(ContactPointValidation.TryValidateEmail(address, out var problem), problem);
        Assert.True(ContactPointValidation.IsValidEmail(address));
    }

    [Theory]
    [MemberData(nameof(BadEmails))]
    public void An_address_a_message_cannot_go_to_is_refused_with_the_reason(string address, string reason)
    {
        Assert.False(ContactPointValidation.TryValidateEmail(address, out var problem));
        Assert.Equal(reason, problem);
        Assert.False(ContactPointValidation.IsValidEmail(address));
    }

    [Fact]
    public void Length_limits_are_those_of_smtp()
    {
        Assert.True(ContactPointValidation.IsValidEmail(new string('a', 64) + "@example.com"));
        Assert.Equal("has a local part (before the @) longer than 64 characters", Problem(new string('a', 65) + "@example.com"));
        Assert.Equal("has a domain label longer than 63 characters", Problem("a@" + new string('b', 64) + ".com"));
        Assert.Equal("is longer than 254 characters", Problem("a@" + string.Join('.', Enumerable.Repeat(new string('b', 60), 5)) + ".com"));

        static string? Problem(string address) => ContactPointValidation.TryValidateEmail(address, out var problem) ? null : problem;
    }

    /// <summary>
    /// MimeKit's parser in strict mode is the oracle: every address accepted here parses there as exactly one mailbox
    /// with the same address, and every address refused here that MimeKit also parses is one this check is stricter on
    /// by design (quoted local parts, IP-literal domains, a dotless domain, non-ASCII).
    /// </summary>
    [Fact]
    public void Every_accepted_address_is_one_mimekit_reads_back_unchanged_and_mimekit_refuses_the_double_dot()
    {
        var strict = new ParserOptions { AddressParserComplianceMode = RfcComplianceMode.Strict, AllowAddressesWithoutDomain = false };
        var candidates = GoodEmails.Cast<object[]>().Select(row => (string)row[0]).Concat(BadEmails.Cast<object[]>().Select(row => (string)row[0])).Concat(Mutations()).ToList();
        var accepted = 0;
        foreach (var address in candidates)
        {
            if (!ContactPointValidation.IsValidEmail(address))
            {
                continue;
            }

            accepted++;
            Assert.True(MailboxAddress.TryParse(strict, address, out var mailbox), $"MimeKit refuses {address}");
            Assert.Equal(address, mailbox.GetAddress(idnEncode: true));
        }

        Assert.True(accepted >= GoodEmails.Count, $"only {accepted} accepted");
        Assert.False(MailboxAddress.TryParse(strict, "a..b@example.com", out _));
    }

    [Theory]
    [InlineData("+64211234567", "NZ")]
    [InlineData("+4915112345678", "DE")]
    [InlineData("+12125550124", "US")]
    [InlineData("+6495550100", "NZ")]
    [InlineData("+442079460000", "GB")]
    [InlineData("+68672001202", "KI")]
    public void A_number_of_the_numbering_plan_is_valid_and_knows_its_region(string phone, string region)
    {
        Assert.True(ContactPointValidation.TryValidatePhone(phone, null, out var problem), problem);
        Assert.Equal(region, ContactPointValidation.RegionOf(phone));
    }

    [Theory]
    [InlineData("+6867301007919", "is not a valid number in the numbering plan of KI (+686): check its length and its first digits")]
    [InlineData("+4477001063352", "is not a valid number in the numbering plan of GB (+44): check its length and its first digits")]
    [InlineData("+15555550100", "is not a valid number in the numbering plan of US (+1): check its length and its first digits")]
    [InlineData("+99912345678", "does not start with a country calling code")]
    [InlineData("+64 21 123 4567", "is not in E.164 form (+, the country calling code and the number, digits only, for example +64211234567)")]
    [InlineData("+1234", "is not in E.164 form (an E.164 number has 7 to 15 digits after the +)")]
    [InlineData("+1234567890123456", "is not in E.164 form (an E.164 number has 7 to 15 digits after the +)")]
    [InlineData("", "is empty")]
    public void A_number_outside_the_numbering_plan_is_refused_with_the_reason(string phone, string reason)
    {
        Assert.False(ContactPointValidation.TryValidatePhone(phone, null, out var problem));
        Assert.Equal(reason, problem);
        Assert.Null(ContactPointValidation.RegionOf(phone));
    }

    [Fact]
    public void A_national_number_with_a_known_region_is_shown_in_e164()
    {
        Assert.False(ContactPointValidation.TryValidatePhone("021 123 4567", "NZ", out var problem));
        Assert.Equal("is not in E.164 form (+, the country calling code and the number, digits only, for example +64211234567); in E.164 it is +64211234567", problem);
    }

    [Theory]
    [InlineData("+64211234567", true)] // NZ mobile
    [InlineData("+12125550124", true)] // US: fixed line or mobile, the plan cannot tell
    [InlineData("+6495550100", false)] // NZ fixed line
    [InlineData("+442079460000", false)] // London fixed line
    [InlineData("+18005550199", false)] // US toll-free
    [InlineData("+6867301007919", false)] // not a number
    [InlineData("0211234567", false)]
    [InlineData("+1234", false)] // too short for E.164
    [InlineData("+99912345678", false)] // no country calling code
    [InlineData("+4477001063352", false)] // outside the GB plan
    [InlineData("+4915112345678", true)] // DE mobile
    public void Only_numbers_that_can_receive_a_text_can_receive_sms(string phone, bool canReceive)
    {
        Assert.Equal(canReceive, ContactPointValidation.CanReceiveText(phone));
        var points = new ContactPoints { Phone = phone };
        Assert.Equal(canReceive, points.Has(ContactPointKind.MobilePhone));
        Assert.Equal(canReceive, points.PhoneCanReceiveText);

        // Calls take any valid number; a number outside the plan is on file but invalid (contact_point.invalid).
        var valid = ContactPointValidation.IsValidPhone(phone);
        Assert.Equal(valid, points.Has(ContactPointKind.Phone));
        Assert.Equal(!valid, points.IsInvalid(ContactPointKind.Phone));
        Assert.Equal(!valid, points.IsInvalid(ContactPointKind.MobilePhone));
    }

    [Fact]
    public void A_contact_points_verdict_on_its_phone_is_the_numbering_plans_for_every_region_and_type()
    {
        // The contact point judges validity and SMS from one walk of the plan; the plan's own answers (libphonenumber's
        // IsValidNumber and GetNumberType, each walking it in full) must agree for every region's example number of every
        // type and for near misses of them (a digit short, a digit over, the first national digit changed).
        var plan = PhoneNumbers.PhoneNumberUtil.GetInstance();
        var numbers = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var region in plan.GetSupportedRegions())
        {
            foreach (var type in Enum.GetValues<PhoneNumbers.PhoneNumberType>())
            {
                if (plan.GetExampleNumberForType(region, type) is not { } example)
                {
                    continue;
                }

                var e164 = plan.Format(example, PhoneNumbers.PhoneNumberFormat.E164);
                var national = e164[(1 + example.CountryCode.ToString(System.Globalization.CultureInfo.InvariantCulture).Length)..];
                numbers.Add(e164);
                numbers.Add(e164[..^1]);
                numbers.Add(e164 + "7");
                numbers.Add(e164[..^national.Length] + (national[0] == '9' ? '1' : (char)(national[0] + 1)) + national[1..]);
            }
        }

        Assert.True(numbers.Count > 2_000, $"only {numbers.Count} numbers");
        int valid = 0, texts = 0;
        foreach (var phone in numbers)
        {
            var parsed = plan.Parse(phone, null);
            var expectValid = phone.Length is >= 8 and <= 16 && plan.IsValidNumber(parsed);
            var expectText = phone.Length is >= 8 and <= 16 && plan.GetNumberType(parsed) is PhoneNumbers.PhoneNumberType.MOBILE or PhoneNumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE;
            var points = new ContactPoints { Phone = phone };
            Assert.True(expectValid == points.Has(ContactPointKind.Phone), $"{phone}: valid should be {expectValid}");
            Assert.Equal(!expectValid, points.IsInvalid(ContactPointKind.Phone));
            Assert.True(expectText == new ContactPoints { Phone = phone }.Has(ContactPointKind.MobilePhone), $"{phone}: SMS should be {expectText}");
            Assert.Equal(expectValid, ContactPointValidation.IsValidPhone(phone));
            Assert.Equal(expectText, ContactPointValidation.CanReceiveText(phone));
            valid += expectValid ? 1 : 0;
            texts += expectText ? 1 : 0;
        }

        // Both answers occur often (the near misses are mostly invalid, the examples valid).
        Assert.InRange(valid, numbers.Count / 5, numbers.Count * 4 / 5);
        Assert.InRange(texts, numbers.Count / 10, numbers.Count * 4 / 5);
    }

    [Fact]
    public void The_text_capability_follows_the_phone_through_with_expressions_and_does_not_change_equality()
    {
        var mobile = new ContactPoints { Phone = "+64211234567" };
        Assert.True(mobile.Has(ContactPointKind.MobilePhone));
        var landline = mobile with { Phone = "+6495550100" };
        var fresh = new ContactPoints { Phone = "+64211234567" };

        Assert.False(landline.Has(ContactPointKind.MobilePhone));
        Assert.Equal(mobile, fresh);
        Assert.Equal(mobile.GetHashCode(), fresh.GetHashCode());
        Assert.NotEqual(mobile, landline);
    }

    [Fact]
    public void Sms_to_a_fixed_line_is_not_allowed_but_a_call_is()
    {
        var grantedAt = DateTimeOffset.Parse("2026-03-01T09:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var customer = new CustomerProfile
        {
            Id = "c-landline",
            Stage = LifecycleStage.Retention,
            TimeZone = TimeZoneInfo.FindSystemTimeZoneById("Pacific/Auckland"),
            ContactPoints = new ContactPoints { Phone = "+6495550100" },
            Consents = new ConsentLedger(
            [
                ConsentRecord.Grant(ConsentScope.ForChannel(Channel.Sms, ContactPurpose.Service), grantedAt, ConsentSource.Form("signup"), wordingVersion: "v1"),
                ConsentRecord.Grant(ConsentScope.ForChannel(Channel.Phone, ContactPurpose.Service), grantedAt, ConsentSource.Form("signup"), wordingVersion: "v1"),
            ]),
        };
        var eligibility = new ContactEligibility(new PersonalizeOptions(), TimeProvider.System);

        var sms = eligibility.CheckConsent(customer, Channel.Sms, ContactPurpose.Service, grantedAt.AddDays(1));
        var call = eligibility.CheckConsent(customer, Channel.Phone, ContactPurpose.Service, grantedAt.AddDays(1));

        Assert.Equal(EligibilityCodes.ContactPointMissing, sms.Code);
        Assert.Equal("No mobile phone number on file for SMS.", sms.Reason);
        Assert.Equal(EligibilityCodes.Allowed, call.Code);
    }

    // Single-character edits of the good addresses: insertions of the characters that matter at every position.
    private static IEnumerable<string> Mutations()
    {
        var seeds = new[] { "ada.lovelace@example.com", "a+b@mail.example.org" };
        var inserts = new[] { '.', '@', '-', '+', '"', ' ', '(', '<', '[', '_', '\\', ',', ';', ':' };
        foreach (var seed in seeds)
        {
            for (var i = 0; i <= seed.Length; i++)
            {
                foreach (var c in inserts)
                {
                    yield return seed.Insert(i, c.ToString());
                }

                if (i < seed.Length)
                {
                    yield return seed.Remove(i, 1);
                }
            }
        }
    }
}
