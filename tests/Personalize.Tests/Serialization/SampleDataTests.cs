using Personalize.Channels;
using Personalize.Consent;
using Personalize.Serialization;

namespace Personalize.Tests.Serialization;

/// <summary>The console sample's bundled data loads cleanly and covers what the sample is meant to show.</summary>
public sealed class SampleDataTests
{
    private static readonly byte[] Data = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "TestAssets", "customers.json"));

    private static CustomerJson Json => new(new PersonalizeOptions().AddChannel("whatsapp", ContactPointKind.MobilePhone, "WhatsApp").CreateChannelRegistry());

    [Fact]
    public void Bundled_data_loads_without_errors()
    {
        Assert.True(Json.TryReadCustomers(Data, out var customers, out var errors), string.Join(Environment.NewLine, errors));
        Assert.InRange(customers.Count, 40, 60);
    }

    [Fact]
    public void Every_bundled_phone_number_is_a_mobile_number_of_its_customers_region()
    {
        var customers = Json.ReadCustomers(Data);
        var phones = customers.Where(c => c.ContactPoints.Phone is not null).ToList();

        Assert.NotEmpty(phones);
        Assert.All(phones, c =>
        {
            Assert.True(Personalize.Customers.ContactPointValidation.CanReceiveText(c.ContactPoints.Phone), $"{c.Id}: {c.ContactPoints.Phone}");
            Assert.Equal(c.ContactPoints.PostalAddress?.Country ?? Personalize.Customers.ContactPointValidation.RegionOf(c.ContactPoints.Phone), Personalize.Customers.ContactPointValidation.RegionOf(c.ContactPoints.Phone));
        });
    }

    [Fact]
    public void Bundled_data_needs_the_host_channel_registered()
    {
        Assert.False(new CustomerJson().TryReadCustomers(Data, out _, out var errors));
        Assert.All(errors, e => Assert.StartsWith("\"whatsapp\" is not a registered channel", e.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void Bundled_data_covers_stages_consent_states_and_both_sides_of_the_date_line()
    {
        var customers = Json.ReadCustomers(Data);

        Assert.Equal(3, customers.Select(c => c.Stage).Distinct().Count());
        var zones = customers.Select(c => c.TimeZone.Id).ToHashSet();
        Assert.Contains("Pacific/Kiritimati", zones);
        Assert.Contains("Pacific/Pago_Pago", zones);
        Assert.Contains("Pacific/Auckland", zones);
        var states = customers.SelectMany(c => c.Consents.States.Values).Select(s => s.Status).ToHashSet();
        Assert.Contains(ConsentStatus.Withdrawn, states);
        Assert.Contains(ConsentStatus.Pending, states);
        Assert.Contains(ConsentStatus.Granted, states);
        var channels = customers.SelectMany(c => c.Consents.Records).Where(r => r.Scope.Kind == ConsentScopeKind.Channel).Select(r => r.Scope.Channel.Name).ToHashSet();
        Assert.Superset(new HashSet<string?> { "email", "sms", "push", "direct_mail", "phone", "in_app", "whatsapp" }, channels);
        Assert.Subset(channels, new HashSet<string?> { "email", "sms", "push", "direct_mail", "phone", "in_app", "whatsapp" });
    }
}
