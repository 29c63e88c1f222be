using Personalize.Channels;
using Personalize.Consent;
using Personalize.Customers;
using Personalize.Eligibility;

namespace Personalize.Tests.Docs;

/// <summary>The quick start of the docs, compiled and run by <see cref="ReadmeTests"/>.</summary>
internal static class QuickStart
{
    public static EligibilityResult Run()
    {
        // begin-snippet: quick-start
        var customer = new CustomerProfile
        {
            Id = "c-42",
            Stage = LifecycleStage.Adoption,
            TimeZone = TimeZoneInfo.FindSystemTimeZoneById("Pacific/Auckland"),
            ContactPoints = new ContactPoints { Email = "ada@example.com" },
            Consents = new ConsentLedger(
            [
                ConsentRecord.Grant(
                    ConsentScope.ForChannel(Channel.Email, ContactPurpose.Marketing),
                    DateTimeOffset.Parse("2026-03-03T09:30:00Z"),
                    ConsentSource.Form("preference center"),
                    wordingVersion: "pc-v3"),
            ]),
        };

        var eligibility = new ContactEligibility(new PersonalizeOptions(), TimeProvider.System);
        EligibilityResult email = eligibility.Check(customer, Channel.Email, ContactPurpose.Marketing);
        EligibilityResult sms = eligibility.Check(customer, Channel.Sms, ContactPurpose.Marketing);

        Console.WriteLine(email); // allowed: Email for marketing: opted in on 3 March 2026 via preference center.
        Console.WriteLine(sms);   // contact_point.missing: No phone number on file for SMS.
        // end-snippet
        return email;
    }
}
