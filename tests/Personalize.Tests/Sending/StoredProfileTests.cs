using Microsoft.Data.Sqlite;
using Personalize.Catalog;
using Personalize.Channels;
using Personalize.Customers;
using Personalize.Delivery.Sinks;
using Personalize.Eligibility;
using Personalize.Sending;
using Personalize.Serialization;
using Personalize.Sqlite;
using Personalize.Tests.Decisions;

namespace Personalize.Tests.Sending;

/// <summary>
/// Stores read their own rows without judging them again: a customer saved under laxer rules (an email address or
/// phone number today's checks refuse) is read, and the decision refuses the bad contact point with its code instead of
/// the whole page failing.
/// </summary>
public sealed class StoredProfileTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "pz-stored-" + Guid.NewGuid().ToString("N"));

    public StoredProfileTests() => Directory.CreateDirectory(_folder);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // Cleaned up with the temp folder later.
        }
    }

    [Fact]
    public async Task A_run_reads_customers_whose_stored_contact_points_fail_todays_checks_and_sends_on_another_channel_with_contact_point_invalid_for_the_bad_one()
    {
        var file = Path.Combine(_folder, "personalize.db");
        var engine = DecisionKit.Engine();
        var catalog = SendingKit.Catalog(engine);
        using var store = SqlitePersonalizeStore.Open(file);
        Assert.True((await store.ImportCustomersAsync(SendingKit.Customers(4).ToList())).Succeeded);

        // Rows an older release accepted, written the way it would have: c-0000 (email only) with two dots in a row in
        // its address, c-0001 (SMS only) with a number no numbering plan assigns.
        SetContactPoint(file, "c-0000", "$.contactPoints.email", "ada..lovelace@example.com");
        SetContactPoint(file, "c-0001", "$.contactPoints.phone", "+4900");
        Assert.False(new CustomerJson().TryReadCustomer(Facts(file, "c-0000"), out _, out var emailErrors));
        Assert.Contains(emailErrors, e => e.Path == "$.contactPoints.email");
        Assert.False(new CustomerJson().TryReadCustomer(Facts(file, "c-0001"), out _, out var phoneErrors));
        Assert.Contains(phoneErrors, e => e.Path == "$.contactPoints.phone");

        var sink = new InMemorySink();
        var summary = await SendingKit.Runner(sink, engine, o => o.PageSize = 10).RunAsync(new SendRun(catalog, SendingKit.Content(catalog), Trigger.Tick) { At = SendingKit.Now }, store);

        Assert.Equal(0, summary.Totals.Errors);
        Assert.Equal(4, summary.Totals.Processed);
        Assert.Empty(summary.Totals.Suppressed);

        // Nothing goes to the bad contact points: each of the two gets the message on its other channel.
        var byCustomer = sink.Messages.ToDictionary(m => m.CustomerId, m => m.Channel);
        Assert.Equal(4, byCustomer.Count);
        Assert.Equal((Channel.Sms, Channel.Email), (byCustomer["c-0000"], byCustomer["c-0001"]));
        Assert.DoesNotContain(sink.Messages, m => m.Recipient is "ada..lovelace@example.com" or "+4900");

        // The stored profiles keep what was stored, and the decision says why nothing goes to them.
        var badEmail = (await store.GetCustomerAsync("c-0000"))!.Profile;
        Assert.Equal("ada..lovelace@example.com", badEmail.ContactPoints.Email);
        var email = engine.Decide(catalog, badEmail, Trigger.Tick, SendingKit.Now).Candidates.Single(c => c.MessageId == "tips").Channels.Single(c => c.Channel == Channel.Email);
        Assert.Equal(EligibilityCodes.ContactPointInvalid, email.Code);
        Assert.Contains("email address on file", email.Reason, StringComparison.Ordinal);
        Assert.Contains("not valid", email.Reason, StringComparison.Ordinal);
        var badPhone = (await store.GetCustomerAsync("c-0001"))!.Profile;
        var sms = engine.Decide(catalog, badPhone, Trigger.Tick, SendingKit.Now).Candidates.Single(c => c.MessageId == "tips").Channels.Single(c => c.Channel == Channel.Sms);
        Assert.Equal(EligibilityCodes.ContactPointInvalid, sms.Code);
    }

    [Fact]
    public void An_invalid_email_address_passes_the_message_to_the_next_channel_in_the_customers_order()
    {
        var engine = DecisionKit.Engine();
        var catalog = SendingKit.Catalog(engine);
        var customer = SendingKit.Customer(7) with { ContactPoints = new ContactPoints { Email = "ada@example..com", Phone = "+4915112345678" } };

        var decision = engine.Decide(catalog, customer, Trigger.Tick, SendingKit.Now);

        var winner = Assert.Single(decision.Winners);
        Assert.Equal(Channel.Sms, winner.Channel);
        var tips = decision.Candidates.Single(c => c.MessageId == "tips");
        Assert.Equal(EligibilityCodes.ContactPointInvalid, tips.Channels.Single(c => c.Channel == Channel.Email).Code);
        Assert.True(customer.ContactPoints.IsInvalid(ContactPointKind.Email));
        Assert.False(customer.ContactPoints.Has(ContactPointKind.Email));
        Assert.False(new ContactPoints { Phone = "+4915112345678" }.IsInvalid(ContactPointKind.Email)); // absent is missing, not invalid
    }

    private static void SetContactPoint(string file, string customerId, string path, string value)
    {
        using var connection = new SqliteConnection($"Data Source={file};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE customer_profiles SET profile = CAST(json_set(CAST(profile AS TEXT), $path, $value) AS BLOB) WHERE id = $id";
        command.Parameters.AddWithValue("$path", path);
        command.Parameters.AddWithValue("$value", value);
        command.Parameters.AddWithValue("$id", customerId);
        Assert.Equal(1, command.ExecuteNonQuery());
    }

    private static byte[] Facts(string file, string customerId)
    {
        using var connection = new SqliteConnection($"Data Source={file};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT profile FROM customer_profiles WHERE id = $id";
        command.Parameters.AddWithValue("$id", customerId);
        return (byte[])command.ExecuteScalar()!;
    }
}
