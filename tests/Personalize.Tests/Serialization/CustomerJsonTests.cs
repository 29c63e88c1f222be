using System.Text;
using Personalize.Channels;
using Personalize.Consent;
using Personalize.Customers;
using Personalize.Serialization;

namespace Personalize.Tests.Serialization;

public sealed class CustomerJsonTests
{
    private const string Valid = """
        {
          "id": "c-7",
          "stage": "retention",
          "language": "en-NZ",
          "timeZone": "Pacific/Auckland",
          "contactPoints": {
            "email": "aroha@example.com",
            "phone": "+64211234567",
            "postalAddress": { "lines": ["1 Queen Street"], "postalCode": "1010", "city": "Auckland", "country": "NZ" },
            "deviceTokens": ["apns-1"]
          },
          "preferences": {
            "channelRanking": ["push", "email"],
            "frequencyCaps": [ { "max": 3, "per": "week" }, { "channel": "sms", "max": 1, "per": "day" } ],
            "preferredDays": ["saturday", "sunday"],
            "preferredHours": [ { "start": "09:00", "end": "12:00" }, { "start": "18:00", "end": "24:00" } ],
            "quietHours": { "start": "21:00", "end": "07:30" }
          },
          "consents": [
            { "channel": "email", "purpose": "marketing", "action": "grant", "at": "2026-01-10T19:00:00Z",
              "source": { "kind": "form", "detail": "newsletter sign-up" }, "wording": "Yes, send me offers.", "optIn": "double", "confirmedAt": "2026-01-10T19:04:00Z" },
            { "channel": "sms", "action": "withdraw", "at": "2026-03-03T07:45:00+13:00", "source": { "kind": "channel", "detail": "SMS reply STOP" } },
            { "topic": "gardening", "action": "grant", "at": "2026-01-10T19:00:00Z", "source": { "kind": "form" }, "wordingVersion": "topics-v1" },
            { "personalization": true, "action": "grant", "at": "2026-01-10T19:00:00Z", "source": { "kind": "form" }, "wordingVersion": "pc-1" },
            { "purpose": "relationship", "action": "withdraw", "at": "2026-02-01T00:00:00Z", "source": { "kind": "agent", "detail": "agent 17" } }
          ],
          "history": [
            { "messageId": "order-shipped", "channel": "sms", "purpose": "service", "kind": "give", "sentAt": "2026-03-10T14:30:00Z" },
            { "messageId": "welcome", "channel": "email", "purpose": "relationship", "kind": "give", "sentAt": "2026-03-01T09:00:00Z" }
          ],
          "serviceFlags": { "openComplaint": true, "npsScore": 4 },
          "attributes": { "firstName": "Aroha", "points": 1200, "tags": ["garden", "vip"] }
        }
        """;

    private static readonly CustomerJson Json = new();

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static string File(params string[] customers) => "{ \"customers\": [" + string.Join(",", customers) + "] }";

    private static IReadOnlyList<CustomerJsonError> Errors(string json)
    {
        Assert.False(Json.TryReadCustomers(Utf8(json), out var customers, out var errors));
        Assert.Empty(customers);
        return errors;
    }

    private static CustomerJsonError SingleError(string json)
    {
        var errors = Errors(json);
        return Assert.Single(errors);
    }

    private static string Minimal(string extra = "") => "{ \"id\": \"c-1\", \"stage\": \"exposure\", \"timeZone\": \"Europe/Berlin\"" + extra + " }";

    [Fact]
    public void Reads_every_part_of_a_profile()
    {
        var customer = Json.ReadCustomer(Utf8(Valid));

        Assert.Equal("c-7", customer.Id);
        Assert.Equal(LifecycleStage.Retention, customer.Stage);
        Assert.Equal("Pacific/Auckland", customer.TimeZone.Id);
        Assert.Equal("+64211234567", customer.ContactPoints.Phone);
        Assert.Equal("Auckland", customer.ContactPoints.PostalAddress!.City);
        Assert.Equal([Channel.Push, Channel.Email], customer.Preferences.ChannelRanking);
        Assert.Equal(Channel.Sms, customer.Preferences.FrequencyCaps[1].Channel);
        Assert.Null(customer.Preferences.FrequencyCaps[0].Channel);
        Assert.Equal(new TimeOnly(7, 30), customer.Preferences.QuietHours!.Value.End);
        Assert.Equal(TimeOnly.MinValue, customer.Preferences.PreferredHours[1].End);
        Assert.Equal(ConsentStatus.Granted, customer.Consents.GetState(ConsentScope.ForChannel(Channel.Email, ContactPurpose.Marketing)).Status);
        Assert.Equal(new DateTimeOffset(2026, 3, 2, 18, 45, 0, TimeSpan.Zero), customer.Consents.GetState(ConsentScope.ForChannel(Channel.Sms)).Record!.RecordedAt);
        Assert.True(customer.AllowsPersonalization);
        Assert.True(customer.Consents.IsSubscribed("gardening"));
        Assert.Equal(ConsentStatus.Withdrawn, customer.Consents.GetState(ConsentScope.ForPurpose(ContactPurpose.Relationship)).Status);
        Assert.Equal("welcome", customer.History.Records[0].MessageId); // ordered by time
        Assert.True(customer.ServiceFlags.IsDetractor);
        Assert.Equal(1200, customer.Attributes["points"].GetInt32());
    }

    [Fact]
    public void Round_trip_preserves_the_profile()
    {
        var customer = Json.ReadCustomer(Utf8(Valid));

        var written = Json.WriteCustomers([customer]);
        var reread = Assert.Single(Json.ReadCustomers(written));

        Assert.Equal(Encoding.UTF8.GetString(written), Encoding.UTF8.GetString(Json.WriteCustomers([reread])));
        Assert.Equal(customer.Consents.Records.Count, reread.Consents.Records.Count);
        Assert.Equal(customer.Consents.Records[0], reread.Consents.Records[0]);
        Assert.Equal(customer.Preferences.QuietHours, reread.Preferences.QuietHours);
        Assert.Equal(customer.Preferences.PreferredHours, reread.Preferences.PreferredHours);
        Assert.Equal(customer.ContactPoints.PostalAddress!.Lines, reread.ContactPoints.PostalAddress!.Lines);
        Assert.Equal(customer.TimeZone, reread.TimeZone);
        Assert.Equal("Aroha", reread.Attributes["firstName"].GetString());
        Assert.Contains("\"end\": \"24:00\"", Encoding.UTF8.GetString(written), StringComparison.Ordinal);
    }

    [Fact]
    public void Round_trip_of_a_profile_built_in_code()
    {
        var customer = new CustomerProfile
        {
            Id = "x",
            TimeZone = TimeZoneInfo.FindSystemTimeZoneById("Pacific/Kiritimati"),
            Consents = new ConsentLedger([ConsentRecord.Grant(ConsentScope.ForChannel(Channel.InApp), new DateTimeOffset(2026, 1, 1, 0, 0, 0, 123, TimeSpan.Zero), ConsentSource.Import(), "v1")]),
        };

        var reread = Json.ReadCustomer(Json.WriteCustomer(customer));

        Assert.Equal(customer.Consents.Records[0], reread.Consents.Records[0]);
        Assert.Equal("Pacific/Kiritimati", reread.TimeZone.Id);
    }

    [Fact]
    public void A_pause_round_trips_in_utc_and_a_bad_instant_names_its_path()
    {
        var customer = new CustomerProfile { Id = "x", Preferences = new ContactPreferences { PausedUntil = new DateTimeOffset(2026, 3, 25, 10, 0, 0, TimeSpan.FromHours(1)) } };

        var reread = Json.ReadCustomer(Json.WriteCustomer(customer));
        var error = SingleError(File(Minimal(", \"preferences\": { \"pausedUntil\": \"next week\" }")));

        Assert.Equal(new DateTimeOffset(2026, 3, 25, 9, 0, 0, TimeSpan.Zero), reread.Preferences.PausedUntil);
        Assert.Equal(TimeSpan.Zero, reread.Preferences.PausedUntil!.Value.Offset);
        Assert.Equal("$.customers[0].preferences.pausedUntil", error.Path);
    }

    [Fact]
    public void Unknown_channel_names_the_path_and_the_known_channels()
    {
        var error = SingleError(File(Minimal(", \"preferences\": { \"channelRanking\": [\"email\", \"fax\"] }")));

        Assert.Equal("$.customers[0].preferences.channelRanking[1]", error.Path);
        Assert.Equal("\"fax\" is not a registered channel (expected one of email, sms, push, direct_mail, phone, in_app)", error.Message);
    }

    [Fact]
    public void Host_channel_is_accepted_when_registered()
    {
        var json = File(Minimal(", \"preferences\": { \"channelRanking\": [\"whatsapp\"] }"));
        var registry = new PersonalizeOptions().AddChannel("whatsapp", ContactPointKind.Phone).CreateChannelRegistry();

        Assert.True(new CustomerJson(registry).TryReadCustomers(Utf8(json), out var customers, out _));
        Assert.Equal("whatsapp", customers[0].Preferences.ChannelRanking[0].Name);
    }

    [Fact]
    public void Invalid_time_zone_names_the_path_and_value()
    {
        var error = SingleError(File("{ \"id\": \"c-1\", \"stage\": \"adoption\", \"timeZone\": \"Mars/Olympus_Mons\" }"));

        Assert.Equal("$.customers[0].timeZone: \"Mars/Olympus_Mons\" is not an IANA time zone (for example Europe/Berlin or Pacific/Auckland)", error.ToString());
    }

    [Fact]
    public void Windows_time_zone_id_suggests_the_iana_id()
    {
        var error = SingleError(File("{ \"id\": \"c-1\", \"stage\": \"adoption\", \"timeZone\": \"W. Europe Standard Time\" }"));

        Assert.Equal("$.customers[0].timeZone", error.Path);
        Assert.Equal("\"W. Europe Standard Time\" is a Windows time zone id; use the IANA id \"Europe/Berlin\"", error.Message);
    }

    [Fact]
    public void Missing_time_zone_is_an_error_not_a_silent_default()
    {
        var error = SingleError(File("{ \"id\": \"c-1\", \"stage\": \"adoption\" }"));

        Assert.Equal("$.customers[0].timeZone: is required (an IANA time zone such as Europe/Berlin)", error.ToString());
    }

    [Theory]
    [InlineData("0211234567", "is not in E.164 form (+, the country calling code and the number, digits only, for example +64211234567)")]
    [InlineData("+64 21 123 4567", "is not in E.164 form (+, the country calling code and the number, digits only, for example +64211234567)")]
    [InlineData("+0211234567", "does not start with a country calling code")]
    [InlineData("+1234567", "is not a valid number in the numbering plan of US (+1): check its length and its first digits")]
    [InlineData("+1234567890123456", "is not in E.164 form (an E.164 number has 7 to 15 digits after the +)")]
    [InlineData("+6867301007919", "is not a valid number in the numbering plan of KI (+686): check its length and its first digits")]
    public void Invalid_phone_names_the_path_and_what_is_wrong(string phone, string problem)
    {
        var error = SingleError(File(Minimal($", \"contactPoints\": {{ \"phone\": \"{phone}\" }}")));

        Assert.Equal("$.customers[0].contactPoints.phone", error.Path);
        Assert.Equal($"\"{phone}\" {problem}", error.Message);
    }

    [Fact]
    public void A_national_phone_number_is_shown_in_e164_using_the_postal_country()
    {
        var error = SingleError(File(Minimal(", \"contactPoints\": { \"phone\": \"021 123 4567\", \"postalAddress\": { \"lines\": [\"1 Queen Street\"], \"city\": \"Auckland\", \"country\": \"NZ\" } }")));

        Assert.Equal("$.customers[0].contactPoints.phone: \"021 123 4567\" is not in E.164 form (+, the country calling code and the number, digits only, for example +64211234567); in E.164 it is +64211234567", error.ToString());
    }

    [Fact]
    public void An_email_address_mail_cannot_be_sent_to_names_the_path_and_why()
    {
        var error = SingleError(File(Minimal(", \"contactPoints\": { \"email\": \"a..b@example.com\" }")));

        Assert.Equal("$.customers[0].contactPoints.email: \"a..b@example.com\" is not an email address a message can be sent to: it has two dots in a row in its local part (before the @)", error.ToString());
    }

    [Fact]
    public void Preferred_window_ending_before_it_starts_is_an_error()
    {
        var error = SingleError(File(Minimal(", \"preferences\": { \"preferredHours\": [ { \"start\": \"17:00\", \"end\": \"08:00\" } ] }")));

        Assert.Equal("$.customers[0].preferences.preferredHours[0].end", error.Path);
        Assert.Equal("\"08:00\" is before start \"17:00\"; a preferred window cannot cross midnight (split it into two windows)", error.Message);
    }

    [Fact]
    public void Quiet_hours_may_cross_midnight_but_need_real_times()
    {
        var error = SingleError(File(Minimal(", \"preferences\": { \"quietHours\": { \"start\": \"22:00\", \"end\": \"25:00\" } }")));

        Assert.Equal("$.customers[0].preferences.quietHours.end: \"25:00\" is not a time of day (expected HH:mm)", error.ToString());
    }

    [Fact]
    public void Consent_confirmed_before_it_was_given_is_an_error()
    {
        var error = SingleError(File(Minimal(""", "consents": [ { "channel": "email", "action": "grant", "at": "2026-03-05T10:00:00Z", "source": { "kind": "form" }, "wordingVersion": "v1", "optIn": "double", "confirmedAt": "2026-03-01T10:00:00Z" } ]""")));

        Assert.Equal("$.customers[0].consents[0].confirmedAt", error.Path);
        Assert.Equal("\"2026-03-01T10:00:00Z\" is before \"at\" (2026-03-05T10:00:00Z); a confirmation cannot precede the grant", error.Message);
    }

    [Fact]
    public void Grant_without_wording_evidence_is_an_error()
    {
        var error = SingleError(File(Minimal(""", "consents": [ { "channel": "email", "action": "grant", "at": "2026-03-05T10:00:00Z", "source": { "kind": "form" } } ]""")));

        Assert.Equal("$.customers[0].consents[0]: a grant needs \"wording\" or \"wordingVersion\" (the evidence of what the customer agreed to)", error.ToString());
    }

    [Fact]
    public void Instant_without_offset_is_an_error()
    {
        var error = SingleError(File(Minimal(""", "consents": [ { "channel": "email", "action": "withdraw", "at": "2026-03-05T10:00:00", "source": { "kind": "form" } } ]""")));

        Assert.Equal("$.customers[0].consents[0].at: \"2026-03-05T10:00:00\" has no UTC offset; add Z or an offset such as +13:00", error.ToString());
    }

    [Fact]
    public void Unknown_property_is_reported_with_its_path()
    {
        var error = SingleError(File(Minimal(", \"prefrences\": {}")));

        Assert.Equal("$.customers[0].prefrences: is not a known property (check the spelling; names are camelCase)", error.ToString());
    }

    [Fact]
    public void Unknown_stage_and_duplicate_id_are_errors()
    {
        var errors = Errors(File(Minimal(), "{ \"id\": \"c-1\", \"stage\": \"prospect\", \"timeZone\": \"Etc/UTC\" }", Minimal()));

        Assert.Equal(
            [
                "$.customers[1].stage: \"prospect\" is not a lifecycle stage (expected exposure, adoption or retention)",
                "$.customers[2].id: \"c-1\" repeats the id of $.customers[0]",
            ],
            errors.Select(e => e.ToString()));
    }

    [Fact]
    public void All_errors_of_a_file_are_collected_and_nothing_is_half_loaded()
    {
        var json = File(
            Minimal(", \"contactPoints\": { \"email\": \"not-an-address\" }"),
            "{ \"id\": \"c-2\", \"stage\": \"adoption\", \"timeZone\": \"Nowhere/Land\", \"preferences\": { \"frequencyCaps\": [ { \"max\": -1, \"per\": \"fortnight\" } ] } }",
            "{ \"id\": \"c-3\", \"stage\": \"retention\", \"timeZone\": \"Asia/Tokyo\" }");

        var errors = Errors(json);

        Assert.Equal(
            [
                "$.customers[0].contactPoints.email",
                "$.customers[1].timeZone",
                "$.customers[1].preferences.frequencyCaps[0].max",
                "$.customers[1].preferences.frequencyCaps[0].per",
            ],
            errors.Select(e => e.Path));
    }

    [Fact]
    public void Wrong_json_type_names_the_path()
    {
        var error = SingleError(File(Minimal(", \"preferences\": { \"frequencyCaps\": [ { \"max\": \"three\", \"per\": \"week\" } ] }")));

        Assert.Equal("$.customers[0].preferences.frequencyCaps[0].max", error.Path);
        Assert.Equal("has the wrong JSON type for this field", error.Message);
        Assert.Equal(1, error.Line);
        Assert.True(error.Column > 1);
    }

    [Fact]
    public void Syntax_error_is_an_error_not_an_exception()
    {
        var error = SingleError("{ \"customers\": [ { \"id\": \"c-1\", } ");

        Assert.StartsWith("is not valid JSON", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, error.Line);
        Assert.True(error.Column > 1);
        Assert.Contains("  line 1, column ", new CustomerJsonException([error]).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Errors_carry_the_line_and_column_of_their_value()
    {
        var json = "{ \"customers\": [\n" + Minimal() + ",\n  " + Minimal().Replace("c-1", "c-2", StringComparison.Ordinal).Replace("Europe/Berlin", "Mars/Base", StringComparison.Ordinal) + "\n] }";

        var error = SingleError(json);

        Assert.Equal("$.customers[1].timeZone", error.Path);
        Assert.Equal(3, error.Line);
        var line = json.Split('\n')[2];
        Assert.Equal(line.IndexOf("\"timeZone\"", StringComparison.Ordinal) + 1, error.Column);
        Assert.StartsWith("$.customers[1].timeZone: ", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_minified_file_reports_the_column_counted_in_characters()
    {
        // One line; "Zoë" and "🌱" take more bytes than characters before the error.
        var first = "{\"id\":\"c-1\",\"stage\":\"exposure\",\"timeZone\":\"Europe/Berlin\",\"attributes\":{\"name\":\"Zoë 🌱\"}}";
        var second = "{\"id\":\"c-2\",\"stage\":\"exposure\",\"timeZone\":\"Europe/Berlin\",\"contactPoints\":{\"email\":\"nope\"}}";
        var json = "{\"customers\":[" + first + "," + second + "]}";

        var error = SingleError(json);

        Assert.Equal("$.customers[1].contactPoints.email", error.Path);
        Assert.Equal(1, error.Line);
        var index = json.IndexOf("\"email\"", StringComparison.Ordinal);
        Assert.Equal(json[..index].EnumerateRunes().Count() + 1, error.Column); // a surrogate pair is one character
    }

    [Fact]
    public void A_syntax_error_in_a_minified_file_reports_the_column()
    {
        var json = "{\"customers\":[" + string.Concat(Enumerable.Repeat(Minimal() + ",", 50)) + "{\"id\" \"c-x\"}]}";

        var error = SingleError(json);

        Assert.Equal(1, error.Line);
        Assert.Equal(json.IndexOf("\"c-x\"", StringComparison.Ordinal) + 1, error.Column);
    }

    [Fact]
    public void Many_errors_are_all_reported_with_their_position_in_one_pass()
    {
        // 20,000 bad customers on one line: finding each error's place by reading the file again per error was
        // quadratic (5,000 errors took 55 s); one pass for all keeps this test as fast as reading the file.
        const int count = 20_000;
        var builder = new StringBuilder("{\"customers\":[");
        for (var i = 0; i < count; i++)
        {
            builder.Append(i == 0 ? string.Empty : ",").Append("{\"id\":\"c-").Append(i).Append("\",\"stage\":\"exposure\",\"timeZone\":\"Mars/").Append(i).Append("\"}");
        }

        var json = builder.Append("]}").ToString();

        var errors = Errors(json);

        Assert.Equal(count, errors.Count);
        Assert.All(errors, e => Assert.Equal(1, e.Line));
        Assert.Equal(json.IndexOf("\"timeZone\"", StringComparison.Ordinal) + 1, errors[0].Column);
        Assert.Equal(json.LastIndexOf("\"timeZone\"", StringComparison.Ordinal) + 1, errors[^1].Column);
        Assert.Equal(errors.Select(e => e.Column), errors.Select(e => e.Column).Order());
    }

    [Fact]
    public void An_attribute_value_over_the_size_limit_is_a_named_error()
    {
        var big = new string('x', CustomerJson.DefaultMaxAttributeBytes);
        var json = File(Minimal(", \"attributes\": { \"fits\": \"" + big[..^2] + "\", \"blob\": \"" + big + "\" }"));

        var error = SingleError(json);

        Assert.Equal("$.customers[0].attributes.blob", error.Path);
        Assert.Equal(CustomerJsonCodes.AttributeTooLarge, error.Code);
        Assert.Contains("65,538 bytes of JSON; an attribute value may have at most 65,536 (CustomerJson.MaxAttributeBytes", error.Message, StringComparison.Ordinal);

        var strict = new CustomerJson { MaxAttributeBytes = 10 };
        Assert.False(strict.TryReadCustomers(Utf8(File(Minimal(", \"attributes\": { \"tags\": [\"garden\", \"vip\"] }"))), out _, out var errors));
        Assert.Equal(CustomerJsonCodes.AttributeTooLarge, Assert.Single(errors).Code);
        Assert.True(strict.TryReadCustomers(Utf8(File(Minimal(", \"attributes\": { \"points\": 1200 }"))), out _, out _));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CustomerJson { MaxAttributeBytes = 0 });
    }

    [Fact]
    public void More_attributes_than_the_limit_is_a_named_error()
    {
        var json = File(Minimal(", \"attributes\": { \"a\": 1, \"b\": 2, \"c\": 3 }"));

        Assert.False(new CustomerJson { MaxAttributes = 2 }.TryReadCustomers(Utf8(json), out _, out var errors));
        var error = Assert.Single(errors);
        Assert.Equal("$.customers[0].attributes", error.Path);
        Assert.Equal(CustomerJsonCodes.TooManyAttributes, error.Code);
        Assert.True(new CustomerJson { MaxAttributes = 3 }.TryReadCustomers(Utf8(json), out _, out _));
    }

    [Fact]
    public void Consent_with_two_subjects_is_an_error()
    {
        var error = SingleError(File(Minimal(""", "consents": [ { "channel": "email", "topic": "news", "action": "withdraw", "at": "2026-03-05T10:00:00Z", "source": { "kind": "form" } } ]""")));

        Assert.Equal("$.customers[0].consents[0]", error.Path);
        Assert.StartsWith("names more than one subject", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Throwing_read_lists_every_error()
    {
        var json = Utf8(File("{ \"id\": \"\", \"stage\": \"adoption\", \"timeZone\": \"Bad/Zone\" }"));

        var ex = Assert.Throws<CustomerJsonException>(() => Json.ReadCustomers(json));

        Assert.Equal(2, ex.Errors.Count);
        Assert.Contains("$.customers[0].id: is empty", ex.Message, StringComparison.Ordinal);
        Assert.Contains("$.customers[0].timeZone: \"Bad/Zone\"", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_customers_array_is_an_error()
    {
        Assert.Equal("$.customers: is required (an array of customer objects)", SingleError("{}").ToString());
    }
}
