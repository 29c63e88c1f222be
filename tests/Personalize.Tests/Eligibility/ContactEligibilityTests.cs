using Personalize.Channels;
using Personalize.Consent;
using Personalize.Customers;
using Personalize.Eligibility;
using Personalize.Timing;

namespace Personalize.Tests.Eligibility;

public sealed class ContactEligibilityTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
    private static readonly ConsentSource PreferenceCenter = ConsentSource.Form("preference center");

    // Sunday 15 March 2026, 10:00 in Berlin.
    private static readonly DateTimeOffset Now = new(2026, 3, 15, 9, 0, 0, TimeSpan.Zero);

    private static DateTimeOffset Day(int month, int day) => new(2026, month, day, 12, 0, 0, TimeSpan.Zero);

    private static CustomerProfile Customer(params ConsentRecord[] records) => new()
    {
        Id = "c-1",
        TimeZone = Berlin,
        ContactPoints = new ContactPoints { Email = "a@example.com", Phone = "+4915112345678", DeviceTokens = ["tok"] },
        Consents = new ConsentLedger(records),
    };

    private static ContactEligibility Eligibility(Action<PersonalizeOptions>? configure = null)
    {
        var options = new PersonalizeOptions();
        configure?.Invoke(options);
        return new ContactEligibility(options, new ManualTimeProvider(Now));
    }

    [Fact]
    public void Withdrawn_channel_is_blocked_with_a_readable_reason()
    {
        var customer = Customer(
            ConsentRecord.Grant(ConsentScope.ForChannel(Channel.Email), Day(1, 2), PreferenceCenter, "v1"),
            ConsentRecord.Withdraw(ConsentScope.ForChannel(Channel.Email), new DateTimeOffset(2026, 3, 3, 10, 0, 0, TimeSpan.Zero), PreferenceCenter));

        var result = Eligibility().Check(customer, Channel.Email, ContactPurpose.Marketing, Now);

        Assert.False(result.Allowed);
        Assert.Equal(EligibilityCodes.ConsentWithdrawn, result.Code);
        Assert.Equal("Email withdrawn on 3 March 2026 via preference center.", result.Reason);
        Assert.Equal(ConsentAction.Withdraw, result.Evidence!.Action);
    }

    [Fact]
    public void Marketing_needs_an_opt_in_but_service_only_the_absence_of_a_withdrawal()
    {
        var eligibility = Eligibility();
        var customer = Customer();

        var marketing = eligibility.Check(customer, Channel.Sms, ContactPurpose.Marketing, Now);
        var service = eligibility.Check(customer, Channel.Sms, ContactPurpose.Service, Now);

        Assert.Equal(EligibilityCodes.ConsentMissing, marketing.Code);
        Assert.Equal("No opt-in on record for SMS marketing.", marketing.Reason);
        Assert.True(service.Allowed);
        Assert.Equal("SMS for service: allowed, no withdrawal on record.", service.Reason);
    }

    [Fact]
    public void Channel_withdrawal_blocks_service_too()
    {
        var customer = Customer(ConsentRecord.Withdraw(ConsentScope.ForChannel(Channel.Sms), Day(3, 1), ConsentSource.FromChannel("SMS reply STOP")));

        var result = Eligibility().Check(customer, Channel.Sms, ContactPurpose.Service, Now);

        Assert.Equal(EligibilityCodes.ConsentWithdrawn, result.Code);
        Assert.Equal("SMS withdrawn on 1 March 2026 via SMS reply STOP.", result.Reason);
    }

    [Fact]
    public void Purpose_specific_withdrawal_leaves_other_purposes_on_the_channel()
    {
        var customer = Customer(
            ConsentRecord.Grant(ConsentScope.ForChannel(Channel.Email), Day(1, 1), PreferenceCenter, "v1"),
            ConsentRecord.Withdraw(ConsentScope.ForChannel(Channel.Email, ContactPurpose.Marketing), Day(2, 1), PreferenceCenter));
        var eligibility = Eligibility();

        Assert.Equal(EligibilityCodes.ConsentWithdrawn, eligibility.Check(customer, Channel.Email, ContactPurpose.Marketing, Now).Code);
        Assert.Equal("Email for marketing withdrawn on 1 February 2026 via preference center.", eligibility.Check(customer, Channel.Email, ContactPurpose.Marketing, Now).Reason);
        Assert.True(eligibility.Check(customer, Channel.Email, ContactPurpose.Relationship, Now).Allowed);
    }

    [Fact]
    public void Newer_specific_grant_beats_an_older_channel_withdrawal_but_not_the_reverse()
    {
        var eligibility = Eligibility();
        var regranted = Customer(
            ConsentRecord.Withdraw(ConsentScope.ForChannel(Channel.Email), Day(1, 1), PreferenceCenter),
            ConsentRecord.Grant(ConsentScope.ForChannel(Channel.Email, ContactPurpose.Marketing), Day(2, 1), PreferenceCenter, "v2"));
        var withdrawnLater = Customer(
            ConsentRecord.Grant(ConsentScope.ForChannel(Channel.Email, ContactPurpose.Marketing), Day(1, 1), PreferenceCenter, "v2"),
            ConsentRecord.Withdraw(ConsentScope.ForChannel(Channel.Email), Day(2, 1), PreferenceCenter));

        Assert.True(eligibility.Check(regranted, Channel.Email, ContactPurpose.Marketing, Now).Allowed);
        Assert.Equal(EligibilityCodes.ConsentWithdrawn, eligibility.Check(regranted, Channel.Email, ContactPurpose.Service, Now).Code);
        Assert.Equal(EligibilityCodes.ConsentWithdrawn, eligibility.Check(withdrawnLater, Channel.Email, ContactPurpose.Marketing, Now).Code);
    }

    [Fact]
    public void Withdrawing_all_marketing_blocks_every_channel_until_a_later_explicit_opt_in()
    {
        var eligibility = Eligibility();
        var customer = Customer(
            ConsentRecord.Grant(ConsentScope.ForChannel(Channel.Email), Day(1, 1), PreferenceCenter, "v1"),
            ConsentRecord.Grant(ConsentScope.ForChannel(Channel.Sms), Day(1, 1), PreferenceCenter, "v1"),
            ConsentRecord.Withdraw(ConsentScope.ForPurpose(ContactPurpose.Marketing), Day(2, 1), ConsentSource.Agent("call centre")),
            ConsentRecord.Grant(ConsentScope.ForChannel(Channel.Sms, ContactPurpose.Marketing), Day(3, 1), PreferenceCenter, "v2"));

        var email = eligibility.Check(customer, Channel.Email, ContactPurpose.Marketing, Now);
        Assert.Equal(EligibilityCodes.PurposeWithdrawn, email.Code);
        Assert.Equal("All marketing withdrawn on 1 February 2026 via call centre.", email.Reason);
        Assert.True(eligibility.Check(customer, Channel.Sms, ContactPurpose.Marketing, Now).Allowed);
        Assert.True(eligibility.Check(customer, Channel.Email, ContactPurpose.Service, Now).Allowed);
    }

    [Fact]
    public void Pending_double_opt_in_blocks_marketing_with_its_own_code()
    {
        var customer = Customer(ConsentRecord.Grant(ConsentScope.ForChannel(Channel.Email), Day(3, 10), PreferenceCenter, "v1", OptInMethod.Double));

        var result = Eligibility().Check(customer, Channel.Email, ContactPurpose.Marketing, Now);

        Assert.Equal(EligibilityCodes.ConsentPendingDoubleOptIn, result.Code);
        Assert.Equal("Email opt-in of 10 March 2026 via preference center awaits double opt-in confirmation.", result.Reason);
    }

    [Fact]
    public void Confirmed_double_opt_in_allows_and_cites_the_confirmation()
    {
        var customer = Customer(ConsentRecord.Grant(ConsentScope.ForChannel(Channel.Email), Day(3, 10), PreferenceCenter, "v1", OptInMethod.Double, Day(3, 11)));

        var result = Eligibility().Check(customer, Channel.Email, ContactPurpose.Marketing, Now);

        Assert.True(result.Allowed);
        Assert.Equal("Email for marketing: opted in on 10 March 2026 via preference center, double opt-in confirmed 11 March 2026.", result.Reason);
    }

    [Fact]
    public void Missing_contact_point_comes_before_consent()
    {
        var customer = Customer(ConsentRecord.Grant(ConsentScope.ForChannel(Channel.DirectMail), Day(1, 1), PreferenceCenter, "v1"));

        var result = Eligibility().Check(customer, Channel.DirectMail, ContactPurpose.Marketing, Now);

        Assert.Equal(EligibilityCodes.ContactPointMissing, result.Code);
        Assert.Equal("No postal address on file for Direct mail.", result.Reason);
    }

    [Fact]
    public void Unknown_channel_is_reported_not_thrown()
    {
        var result = Eligibility().Check(Customer(), new Channel("fax"), ContactPurpose.Service, Now);

        Assert.Equal(EligibilityCodes.UnknownChannel, result.Code);
        Assert.Equal("'fax' is not a registered channel.", result.Reason);
    }

    [Fact]
    public void Host_channel_uses_its_contact_point_and_consent()
    {
        var whatsapp = new Channel("whatsapp");
        var eligibility = Eligibility(o => o.AddChannel("whatsapp", ContactPointKind.Phone, "WhatsApp"));
        var customer = Customer(ConsentRecord.Grant(ConsentScope.ForChannel(whatsapp), Day(1, 1), PreferenceCenter, "v1"));

        Assert.True(eligibility.Check(customer, whatsapp, ContactPurpose.Marketing, Now).Allowed);
        Assert.Equal("No phone number on file for WhatsApp.", eligibility.Check(customer with { ContactPoints = ContactPoints.None }, whatsapp, ContactPurpose.Marketing, Now).Reason);
    }

    [Fact]
    public void Topics_need_a_subscription_for_marketing_and_block_when_withdrawn()
    {
        var eligibility = Eligibility();
        var customer = Customer(
            ConsentRecord.Grant(ConsentScope.ForChannel(Channel.Email), Day(1, 1), PreferenceCenter, "v1"),
            ConsentRecord.Grant(ConsentScope.ForTopic("gardening"), Day(1, 1), PreferenceCenter, "v1"),
            ConsentRecord.Withdraw(ConsentScope.ForTopic("recipes"), Day(2, 1), PreferenceCenter));

        Assert.True(eligibility.Check(customer, Channel.Email, ContactPurpose.Marketing, Now, "Gardening").Allowed);
        Assert.Equal(EligibilityCodes.TopicNotSubscribed, eligibility.Check(customer, Channel.Email, ContactPurpose.Marketing, Now, "travel").Code);
        var recipes = eligibility.Check(customer, Channel.Email, ContactPurpose.Service, Now, "recipes");
        Assert.Equal(EligibilityCodes.TopicWithdrawn, recipes.Code);
        Assert.Equal("Topic 'recipes' withdrawn on 1 February 2026 via preference center.", recipes.Reason);
    }

    [Fact]
    public void Quiet_hours_block_and_say_when_contact_is_next_allowed()
    {
        var customer = Customer(ConsentRecord.Grant(ConsentScope.ForChannel(Channel.Push), Day(1, 1), PreferenceCenter, "v1")) with
        {
            Preferences = new ContactPreferences { QuietHours = new TimeWindow(new TimeOnly(21, 0), new TimeOnly(8, 0)) },
        };
        var lateEvening = new DateTimeOffset(2026, 3, 15, 22, 30, 0, TimeSpan.Zero); // 23:30 in Berlin

        var result = Eligibility().Check(customer, Channel.Push, ContactPurpose.Marketing, lateEvening);

        Assert.Equal(EligibilityCodes.QuietHours, result.Code);
        Assert.Equal(new DateTimeOffset(2026, 3, 16, 7, 0, 0, TimeSpan.Zero), result.NextAllowedAt);
        Assert.Equal("Quiet hours 21:00–08:00 in Europe/Berlin (local time Sun 23:30); next allowed Mon 16 March 2026 08:00.", result.Reason);
    }

    [Fact]
    public void Quiet_hours_do_not_apply_to_in_app_and_direct_mail()
    {
        var customer = Customer() with
        {
            Preferences = new ContactPreferences { QuietHours = new TimeWindow(new TimeOnly(0, 0), new TimeOnly(23, 0)) },
            ContactPoints = new ContactPoints { PostalAddress = new PostalAddress { Lines = ["Hauptstr. 1"], City = "Berlin", Country = "DE" } },
        };
        var eligibility = Eligibility();

        Assert.True(eligibility.Check(customer, Channel.InApp, ContactPurpose.Service, Now).Allowed);
        Assert.True(eligibility.Check(customer, Channel.DirectMail, ContactPurpose.Service, Now).Allowed);
    }

    [Fact]
    public void Default_quiet_hours_apply_when_the_customer_set_none()
    {
        var eligibility = Eligibility(o => o.DefaultQuietHours = new TimeWindow(new TimeOnly(9, 0), new TimeOnly(11, 0)));

        var result = eligibility.Check(Customer(), Channel.Email, ContactPurpose.Service, Now); // 10:00 in Berlin

        Assert.Equal(EligibilityCodes.QuietHours, result.Code);
        Assert.Equal(new DateTimeOffset(2026, 3, 15, 10, 0, 0, TimeSpan.Zero), result.NextAllowedAt);
    }

    [Fact]
    public void Preferred_times_restrict_marketing_but_not_service()
    {
        var customer = Customer(ConsentRecord.Grant(ConsentScope.ForChannel(Channel.Email), Day(1, 1), PreferenceCenter, "v1")) with
        {
            Preferences = new ContactPreferences
            {
                PreferredDays = [DayOfWeek.Monday, DayOfWeek.Tuesday],
                PreferredHours = [new TimeWindow(new TimeOnly(9, 0), new TimeOnly(12, 0))],
            },
        };
        var eligibility = Eligibility();

        var marketing = eligibility.Check(customer, Channel.Email, ContactPurpose.Marketing, Now);

        Assert.Equal(EligibilityCodes.OutsidePreferredTime, marketing.Code);
        Assert.Equal(new DateTimeOffset(2026, 3, 16, 8, 0, 0, TimeSpan.Zero), marketing.NextAllowedAt);
        Assert.Equal("Outside preferred times (Mon, Tue 09:00–12:00) in Europe/Berlin (local time Sun 10:00); next allowed Mon 16 March 2026 09:00.", marketing.Reason);
        Assert.True(eligibility.Check(customer, Channel.Email, ContactPurpose.Service, Now).Allowed);
    }

    [Fact]
    public void Check_without_an_instant_uses_the_injected_clock()
    {
        var clock = new ManualTimeProvider(Now);
        var eligibility = new ContactEligibility(new PersonalizeOptions(), clock);
        var customer = Customer() with { Preferences = new ContactPreferences { QuietHours = new TimeWindow(new TimeOnly(22, 0), new TimeOnly(7, 0)) } };

        Assert.True(eligibility.Check(customer, Channel.Email, ContactPurpose.Service).Allowed);
        clock.Now = new DateTimeOffset(2026, 3, 15, 22, 0, 0, TimeSpan.Zero); // 23:00 Berlin
        var late = eligibility.Check(customer, Channel.Email, ContactPurpose.Service);
        Assert.Equal(EligibilityCodes.QuietHours, late.Code);
        Assert.Equal(clock.Now, late.At);
    }

    [Fact]
    public void Invalid_options_are_reported_together()
    {
        var options = new PersonalizeOptions().AddChannel("sms", ContactPointKind.Phone).AddChannel("9lives", ContactPointKind.Email);
        options.ConsentRequirements.Remove(ContactPurpose.Relationship);

        var ex = Assert.Throws<ArgumentException>(() => new ContactEligibility(options, TimeProvider.System));

        Assert.Contains("'sms' repeats the built-in channel", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'9lives'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("no entry for Relationship", ex.Message, StringComparison.Ordinal);
    }
}
