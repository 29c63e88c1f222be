using System.Text;
using Personalize.Channels;
using Personalize.Customers;
using Personalize.Serialization;
using Personalize.Storage.Contract;

namespace Personalize.Tests.Serialization;

/// <summary>
/// A store's rows are read in one pass straight into the model (ADR 0042); every profile it reads must be the one the
/// validating reader builds, and a row it cannot read must get the validating reader's located errors.
/// </summary>
public sealed class StoredCustomerReaderTests
{
    private static readonly ChannelRegistry Channels = new PersonalizeOptions().AddChannel("whatsapp", ContactPointKind.MobilePhone, "WhatsApp").CreateChannelRegistry();

    public static TheoryData<string> SampleIds()
    {
        var ids = new TheoryData<string>();
        foreach (var customer in SampleCustomers())
        {
            ids.Add(customer.Id);
        }

        return ids;
    }

    [Theory]
    [MemberData(nameof(SampleIds))]
    public void Every_sample_customer_reads_back_as_the_validating_reader_reads_it(string id)
        => AssertSameProfile(SampleCustomers().Single(c => c.Id == id));

    [Fact]
    public void The_contract_suites_customers_read_back_as_the_validating_reader_reads_them()
    {
        // As a store writes them: without the evidence and history, which have their own tables (the samples carry both).
        AssertSameProfile(Personalize.Storage.StoreChecks.FactsOf(StoreKit.Customer("c-1")));
        AssertSameProfile(Personalize.Storage.StoreChecks.FactsOf(StoreKit.Customer("c-2", email: "x@example.com", phone: "+64211234567")));
        AssertSameProfile(StoreKit.Bare("c-3"));
        AssertSameProfile(StoreKit.Bare("c-4") with { StagePinned = true, Stage = LifecycleStage.Retention, ServiceFlags = new ServiceFlags { OpenComplaint = true } });
    }

    [Fact]
    public void Rows_in_other_spellings_read_as_the_validating_reader_reads_them()
    {
        // Indented, other letter case in enums, instants with offsets and without seconds' fractions, escapes, unknown
        // properties, nulls where the writer leaves fields out, a repeated property (the last one counts).
        const string Row = """
            {
              "id": "c-\u0039", "stage": "Adoption", "stagePinned": null, "language": null, "timeZone": "Europe/Berlin",
              "contactPoints": { "email": "a@example.com", "postalAddress": { "lines": ["1 Road", null], "city": "Kiel", "country": "DE" }, "deviceTokens": [null, "t"] },
              "preferences": { "channelRanking": ["SMS", "email"], "frequencyCaps": [{ "channel": null, "max": 2, "per": "WEEK" }], "preferredDays": ["Monday"],
                               "preferredHours": [{ "start": "09:00", "end": "12:00" }], "quietHours": { "start": "22:00", "end": "07:00" }, "pausedUntil": "2026-04-01T10:00:00+02:00" },
              "consents": [
                { "channel": "email", "action": "grant", "at": "2026-03-01T09:00:00.5Z", "source": { "kind": "form" }, "wording": "Yes", "optIn": "double", "confirmedAt": "2026-03-02T09:00:00+13:00" },
                { "topic": "Gardening", "action": "withdraw", "at": "2026-03-01T09:00:00Z", "source": { "kind": "channel", "detail": "STOP" } },
                { "purpose": "service", "action": "grant", "at": "2026-03-01T09:00:00Z", "source": { "kind": "api" }, "wordingVersion": "v1", "note": "x" }
              ],
              "history": [{ "messageId": "m", "channel": "whatsapp", "purpose": "marketing", "kind": "ask", "sentAt": "2026-03-03T09:30:00.1234567Z" }],
              "serviceFlags": { "npsScore": 11, "failedPayment": false },
              "attributes": { "birthday": "1990-02-14", "n": 1.50, "birthday": "1991-03-15" },
              "stage": "retention",
              "extra": [1, 2, { "a": null }]
            }
            """;
        var utf8 = Encoding.UTF8.GetBytes(Row);

        var general = new CustomerJsonReader(Channels, trusted: true).ReadSingle(utf8);
        Assert.True(CustomerJson.ForStore(Channels).TryReadCustomer(utf8, out var read, out var errors), string.Join("; ", errors));

        Assert.NotNull(general);
        Assert.Equal(LifecycleStage.Retention, read.Stage);
        Assert.Equal("1991-03-15", read.Attributes["birthday"].GetString());
        Assert.Equal(Json(general), Json(read));
    }

    [Fact]
    public void Customers_read_one_after_another_keep_their_own_attribute_names_values_and_order()
    {
        // The reader reuses the name it read last at a position; rows with other names, more or fewer, must not mix.
        var json = CustomerJson.ForStore(Channels);
        string[] rows =
        [
            """{"id":"c-1","stage":"adoption","timeZone":"UTC","attributes":{"firstName":"Ana","tier":"gold"}}""",
            """{"id":"c-2","stage":"adoption","timeZone":"UTC","attributes":{"tier":"silver","firstName":"Ben","city":"Nelson"}}""",
            """{"id":"c-3","stage":"adoption","timeZone":"UTC","attributes":{"firstName":"Cy"}}""",
            """{"id":"c-4","stage":"adoption","timeZone":"UTC","attributes":{"firstName":"Di","tier":"gold"}}""",
        ];

        var read = rows.Select(row => Assert.IsType<CustomerProfile>(json.TryReadCustomer(Encoding.UTF8.GetBytes(row), out var customer, out _) ? customer : null)).ToList();

        Assert.Equal(["firstName=Ana", "tier=gold"], read[0].Attributes.Select(a => a.Key + "=" + a.Value.GetString()));
        Assert.Equal(["tier=silver", "firstName=Ben", "city=Nelson"], read[1].Attributes.Select(a => a.Key + "=" + a.Value.GetString()));
        Assert.Equal(["firstName=Cy"], read[2].Attributes.Select(a => a.Key + "=" + a.Value.GetString()));
        Assert.Equal(["firstName=Di", "tier=gold"], read[3].Attributes.Select(a => a.Key + "=" + a.Value.GetString()));
        Assert.Equal("Ben", read[1].Attributes["firstName"].GetString());
        Assert.False(read[2].Attributes.ContainsKey("tier"));
    }

    [Fact]
    public void Customers_with_repeated_and_distinct_attribute_values_each_read_their_own()
    {
        // The reader keeps recent values by their JSON text and gives a later customer with the same text that value again
        // (ADR 0056). Thousands of customers with one shape: some values shared by all, some by a few, some by none, one
        // value too long to be kept, and nested values, must each read back as written, in order.
        var json = CustomerJson.ForStore(Channels);
        var longText = new string('x', 2000);
        for (var i = 0; i < 3000; i++)
        {
            var list = $$"""[{"sku":"a{{i % 5}}","price":"9.90"},{"n":{{i % 2}}}]""";
            var attributes = $$"""{"firstName":"N{{i % 7}}","tier":"{{(i % 3 == 0 ? "gold" : "silver")}}","points":{{i}},"list":{{list}},"flag":{{(i % 2 == 0 ? "true" : "null")}},"note":"{{longText}}{{i % 4}}" """;
            var row = $$"""{"id":"c-{{i}}","stage":"adoption","timeZone":"UTC","attributes":{{attributes}}""" + "}}";
            Assert.True(json.TryReadCustomer(Encoding.UTF8.GetBytes(row), out var customer, out var errors), string.Join("; ", errors));

            Assert.Equal(["firstName", "tier", "points", "list", "flag", "note"], customer.Attributes.Keys);
            Assert.Equal("N" + (i % 7), customer.Attributes["firstName"].GetString());
            Assert.Equal(i % 3 == 0 ? "gold" : "silver", customer.Attributes["tier"].GetString());
            Assert.Equal(i, customer.Attributes["points"].GetInt32());
            Assert.Equal(list, customer.Attributes["list"].GetRawText());
            Assert.Equal(i % 2 == 0 ? System.Text.Json.JsonValueKind.True : System.Text.Json.JsonValueKind.Null, customer.Attributes["flag"].ValueKind);
            Assert.Equal(longText + (i % 4), customer.Attributes["note"].GetString());
            Assert.Equal(
                ["firstName", "tier", "points", "list", "flag", "note"],
                customer.Attributes.Select(a => a.Key));
        }
    }

    [Fact]
    public void Customers_read_one_after_another_keep_their_own_language_time_zone_and_preferences()
    {
        // The reader gives a profile the language, time zone and preferences of a profile read before on the thread when
        // their JSON text is the same; rows that differ in any of them (by a byte, or in their order) must read as written.
        var json = CustomerJson.ForStore(Channels);
        string[] preferences =
        [
            """{"channelRanking":["email","sms"]}""",
            """{"channelRanking":["sms","email"]}""",
            """{"channelRanking":["email","sms"],"frequencyCaps":[{"channel":"email","max":2,"per":"week"}]}""",
            """{"channelRanking":["email","sms"],"pausedUntil":"2026-04-01T10:00:00Z"}""",
            """{"channelRanking":["email","whatsapp"]}""",
            """{}""",
        ];
        string[] zones = ["Pacific/Auckland", "Europe/Berlin", "UTC", "America/New_York"];
        string?[] languages = ["en-NZ", "de", null, "en-NZ", "mi"];
        for (var i = 0; i < 200; i++)
        {
            var language = languages[i % languages.Length] is { } code ? $"\"{code}\"" : "null";
            var row = $$"""{"id":"c-{{i}}","stage":"adoption","language":{{language}},"timeZone":"{{zones[i % zones.Length]}}","preferences":{{preferences[i % preferences.Length]}}}""";
            var utf8 = Encoding.UTF8.GetBytes(row);
            Assert.True(json.TryReadCustomer(utf8, out var read, out var errors), string.Join("; ", errors));
            var general = new CustomerJsonReader(Channels, trusted: true).ReadSingle(utf8);

            Assert.NotNull(general);
            Assert.Equal("c-" + i, read.Id);
            Assert.Equal(languages[i % languages.Length], read.Language);
            Assert.Equal(zones[i % zones.Length], read.TimeZone.Id);
            Assert.Equal(Json(general), Json(read));
        }

        // A reader of other channels reads the same preferences text by its own registry, never as the first reader did.
        var row2 = """{"id":"c-x","stage":"adoption","timeZone":"UTC","preferences":{"channelRanking":["email","whatsapp"]}}"""u8.ToArray();
        Assert.True(json.TryReadCustomer(row2, out var withWhatsApp, out _));
        Assert.Equal(["email", "whatsapp"], withWhatsApp.Preferences.ChannelRanking.Select(c => c.ToString()));
        Assert.False(CustomerJson.ForStore(new PersonalizeOptions().CreateChannelRegistry()).TryReadCustomer(row2, out _, out _));
    }

    [Fact]
    public void Templates_and_conditions_find_stored_attributes_by_snake_case_as_they_find_a_dictionarys()
    {
        // Two names with one snake_case: the first in order is the attribute, whichever the form of the attributes.
        const string Row = """{"id":"c-1","stage":"adoption","timeZone":"UTC","attributes":{"favouritePlant":"roses","favourite_plant":"tulips","lastPurchaseAt":"2026-03-01T00:00:00Z"}}""";
        Assert.True(CustomerJson.ForStore(Channels).TryReadCustomer(Encoding.UTF8.GetBytes(Row), out var stored, out _));
        var general = new CustomerJsonReader(Channels, trusted: true).ReadSingle(Encoding.UTF8.GetBytes(Row))!;
        var at = new DateTimeOffset(2026, 3, 11, 0, 0, 0, TimeSpan.Zero);

        foreach (var key in new[] { "favourite_plant", "last_purchase_at", "favouriteplant", "days_since_purchase", "missing" })
        {
            var fromStore = new CustomerModel(stored, at, personalFieldsVisible: true).TryGetValue(key, out var storedValue);
            var fromDictionary = new CustomerModel(general, at, personalFieldsVisible: true).TryGetValue(key, out var dictionaryValue);
            Assert.Equal((fromDictionary, dictionaryValue?.ToString()), (fromStore, storedValue?.ToString()));
        }

        Assert.True(CustomerModel.TryGetAttribute(stored.Attributes, "favourite_plant", out var plant));
        Assert.Equal("roses", plant.GetString());
        Assert.Equal("tulips", stored.Attributes["favourite_plant"].GetString());
    }

    [Fact]
    public void The_one_pass_reader_reads_the_writers_rows_itself()
    {
        var row = CustomerJson.ForStore(Channels).WriteCustomer(SampleCustomers()[0]);

        Assert.True(new StoredCustomerReader(Channels).TryRead(row, out var read));
        Assert.Equal(Json(new CustomerJsonReader(Channels, trusted: true).ReadSingle(row)!), Json(read));
    }

    [Theory]
    [InlineData("""{"id":"c-1","stage":"sideways","timeZone":"UTC"}""", "$.stage", "\"sideways\" is not a lifecycle stage")]
    [InlineData("""{"id":"c-1","stage":"adoption","timeZone":"Mars/Olympus"}""", "$.timeZone", "\"Mars/Olympus\" is not an IANA time zone")]
    [InlineData("""{"id":"c-1","stage":"adoption","timeZone":"UTC","history":[{"messageId":"m","channel":"fax","purpose":"service","kind":"give","sentAt":"2026-03-03T09:30:00Z"}]}""", "$.history[0].channel", "\"fax\" is not a registered channel")]
    [InlineData("""{"id":"c-1","stage":"adoption","timeZone":"UTC","consents":[{"channel":"email","action":"grant","at":"2026-03-03T09:30:00","source":{"kind":"form"},"wording":"w"}]}""", "$.consents[0].at", "has no UTC offset")]
    [InlineData("""{"id":"c-1","stage":"adoption","timeZone":"UTC","stagePinned":"yes"}""", "$.stagePinned", "has the wrong JSON type")]
    // The consent record rules both readers share (ConsentRecordRules): each broken one is refused by the one-pass reader too.
    [InlineData("""{"id":"c-1","stage":"adoption","timeZone":"UTC","consents":[{"channel":"email","action":"grant","at":"2026-03-03T09:30:00Z","source":{"kind":"form"}}]}""", "$.consents[0]", "a grant needs \"wording\" or \"wordingVersion\"")]
    [InlineData("""{"id":"c-1","stage":"adoption","timeZone":"UTC","consents":[{"channel":"email","action":"withdraw","at":"2026-03-03T09:30:00Z","source":{"kind":"form"},"optIn":"single"}]}""", "$.consents[0].optIn", "applies to grants only")]
    [InlineData("""{"id":"c-1","stage":"adoption","timeZone":"UTC","consents":[{"channel":"email","action":"grant","at":"2026-03-03T09:30:00Z","source":{"kind":"form"},"wording":"w","confirmedAt":"2026-03-04T09:30:00Z"}]}""", "$.consents[0].confirmedAt", "applies to double opt-in grants only")]
    [InlineData("""{"id":"c-1","stage":"adoption","timeZone":"UTC","consents":[{"channel":"email","action":"grant","at":"2026-03-03T09:30:00Z","source":{"kind":"form"},"wording":"w","optIn":"double","confirmedAt":"2026-03-02T09:30:00Z"}]}""", "$.consents[0].confirmedAt", "a confirmation cannot precede the grant")]
    [InlineData("""{"id":"c-1","stage":"adoption","timeZone":"UTC","consents":[{"channel":"email","action":"grant","at":"2026-03-03T09:30:00Z","source":{"kind":"form"},"wording":"w","methodEvidence":"203.0.113.7 Firefox"}]}""", "$.consents[0].methodEvidence", "is not a keyed hash")]
    public void A_row_it_cannot_read_gets_the_validating_readers_located_errors(string row, string path, string message)
    {
        var utf8 = Encoding.UTF8.GetBytes(row);

        Assert.False(new StoredCustomerReader(Channels).TryRead(utf8, out _));
        Assert.False(CustomerJson.ForStore(Channels).TryReadCustomer(utf8, out _, out var errors));

        var error = Assert.Single(errors);
        Assert.Equal(path, error.Path);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Equal(1, error.Line);
        Assert.NotNull(error.Column);
    }

    [Theory]
    // Attributes last, as the writer puts them, in forms the scan reads itself: spacing, strings holding brackets, quotes,
    // escapes and slashes, nested containers, non-ASCII names and values, an empty object.
    [InlineData("""{"id":"c-1","stage":"adoption","timeZone":"UTC","attributes":{ "a" : "x]}\"{[" , "b":[{"c":"}"},[[]],{}],"ñame":"\u00e9\\/","n":-1.5e3,"t":true,"z":null } }  """)]
    [InlineData("""{"id":"c-1","stage":"adoption","timeZone":"UTC","attributes":{}}""")]
    [InlineData("""{"id":"c-1","stage":"adoption","timeZone":"UTC","attributes":{"a":"1/2","b":{"x":"// not a comment"}}}""")]
    // Forms the scan leaves to the reader's path (the same profile either way): an escaped name, a repeated name, a
    // comment, a trailing comma, a property after the attributes, deep nesting.
    [InlineData("""{"id":"c-1","stage":"adoption","timeZone":"UTC","attributes":{"\u0061":1,"b":2}}""")]
    [InlineData("""{"id":"c-1","stage":"adoption","timeZone":"UTC","attributes":{"a":1,"a":2}}""")]
    [InlineData("""{"id":"c-1","stage":"adoption","timeZone":"UTC","attributes":{"a":[1 /* ] */, 2]}}""")]
    [InlineData("""{"id":"c-1","stage":"adoption","timeZone":"UTC","attributes":{"a":1,},}""")]
    [InlineData("""{"id":"c-1","attributes":{"a":[1,2]},"stage":"adoption","timeZone":"UTC"}""")]
    [InlineData("""{"id":"c-1","stage":"adoption","timeZone":"UTC","attributes":{"a":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}}""")]
    public void Attributes_read_by_their_scan_or_by_the_reader_are_what_the_validating_reader_reads(string row)
    {
        var utf8 = Encoding.UTF8.GetBytes(row);
        var general = new CustomerJsonReader(Channels, trusted: true).ReadSingle(utf8);

        // Twice: the second read finds the values (and names) the first one kept.
        for (var i = 0; i < 2; i++)
        {
            Assert.True(CustomerJson.ForStore(Channels).TryReadCustomer(utf8, out var read, out var errors), string.Join("; ", errors));
            Assert.NotNull(general);
            Assert.Equal(Json(general), Json(read));
            Assert.Equal(general.Attributes.Select(a => a.Key + "=" + a.Value.GetRawText()), read.Attributes.Select(a => a.Key + "=" + a.Value.GetRawText()));
        }
    }

    [Fact]
    public void A_value_that_starts_with_the_last_profiles_value_at_its_place_reads_as_itself()
    {
        // The scan takes a value byte for byte equal to the one the thread read at the same place in its last profile as
        // that value again; values that begin with its bytes and go on (a longer number, a literal that goes on, more
        // after a list), another value, or malformed JSON after it, must each read as the validating reader reads them.
        string[] attributes =
        [
            """{"n":12,"s":"ab","l":[1,{"x":"]"}],"t":true,"o":{"a":[]}}""",
            """{"n":12,"s":"ab","l":[1,{"x":"]"}],"t":true,"o":{"a":[]}}""",
            """{"n":123,"s":"ab\"c","l":[1,{"x":"]"}] ,"t":true ,"o":{"a":[]} }""",
            """{"n":12.5,"s":"abc","l":[1,{"x":"]"},2],"t":trueish,"o":{"a":[]}}""",
            """{"n":12,"s":"ab","l":[1,{"x":"]"}]],"t":true,"o":{"a":[]}}""",
            """{"n":12,"s":"ab","l":[1,{"x":"]"}],"t":true,"o":{"a":[]}}""",
            """{"n":12/,"s":"ab","l":[1,{"x":"]"}],"t":true,"o":{"a":[]}}""",
            """{"n":12e1,"s":"ab","l":[1,{"x":"]"}],"t":true,"o":{"a":[]}}""",
            """{"s":12,"n":"ab","o":[1,{"x":"]"}],"l":true,"t":{"a":[]}}""",
            """{"n":12,"s":"ab","l":[1,{"x":"]"}],"t":true,"o":{"a":[]}}""",
            """{"n":12}""",
            """{"n":12,"s":"ab","l":[1,{"x":"]"}],"t":true,"o":{"a":[]}}""",
        ];

        var json = CustomerJson.ForStore(Channels);
        foreach (var attribute in attributes)
        {
            var utf8 = Encoding.UTF8.GetBytes("""{"id":"c-1","stage":"adoption","timeZone":"UTC","attributes":""" + attribute + "}");
            var validating = new CustomerJsonReader(Channels, trusted: true);
            var general = validating.ReadSingle(utf8);
            var expected = validating.ErrorsAt(utf8);
            var read = json.TryReadCustomer(utf8, out var customer, out var errors);
            Assert.Equal(expected.Select(e => e.Path + " " + e.Message), errors.Select(e => e.Path + " " + e.Message));
            Assert.Equal(expected.Count == 0, read);
            if (read)
            {
                Assert.NotNull(general);
                Assert.Equal(general.Attributes.Select(a => a.Key + "=" + a.Value.GetRawText()), customer!.Attributes.Select(a => a.Key + "=" + a.Value.GetRawText()));
            }
        }
    }

    [Theory]
    // Malformed attributes a scan by quotes and brackets could split into values: each gets the validating reader's errors.
    [InlineData("""{"id":"c-1","stage":"adoption","timeZone":"UTC","attributes":{"a":[1,}}""")]
    [InlineData("""{"id":"c-1","stage":"adoption","timeZone":"UTC","attributes":{"a":tru}}""")]
    [InlineData("""{"id":"c-1","stage":"adoption","timeZone":"UTC","attributes":{"a":"x"y}}""")]
    [InlineData("""{"id":"c-1","stage":"adoption","timeZone":"UTC","attributes":{"a":[1 2]}}""")]
    [InlineData("""{"id":"c-1","stage":"adoption","timeZone":"UTC","attributes":{"a":{"b" 1}}}""")]
    [InlineData("""{"id":"c-1","stage":"adoption","timeZone":"UTC","attributes":{"a":1}}}""")]
    [InlineData("""{"id":"c-1","stage":"adoption","timeZone":"UTC","attributes":{"a":1}""")]
    public void Malformed_attributes_last_get_the_validating_readers_errors(string row)
    {
        var utf8 = Encoding.UTF8.GetBytes(row);
        var validating = new CustomerJsonReader(Channels, trusted: true);
        validating.ReadSingle(utf8);
        var expected = validating.ErrorsAt(utf8);

        Assert.NotEmpty(expected);
        Assert.False(new StoredCustomerReader(Channels).TryRead(utf8, out _));
        Assert.False(CustomerJson.ForStore(Channels).TryReadCustomer(utf8, out _, out var errors));
        Assert.Equal(expected.Select(e => e.Path + " " + e.Message), errors.Select(e => e.Path + " " + e.Message));
    }

    [Fact]
    public void A_store_keeps_the_phones_verdict_beside_the_number_and_a_read_takes_it_instead_of_judging_again()
    {
        // ADR 0081: the store's row carries the verdict on the phone (valid, takes texts, for which number, under which
        // rules); reading the row takes it. A forged "invalid" verdict for this very number shows it is taken, not judged.
        var store = CustomerJson.ForStore(Channels);
        var customer = StoreKit.Bare("c-1") with { ContactPoints = new ContactPoints { Email = "a@example.com", Phone = "+64211234567" } };
        var row = Encoding.UTF8.GetString(store.WriteCustomer(customer));
        Assert.Contains("\"phoneVerdict\":\"VT:", row, StringComparison.Ordinal);
        Assert.Contains(":" + ContactPoints.PhoneRules + "\"", row, StringComparison.Ordinal);
        Assert.DoesNotContain("phoneVerdict", Json(customer), StringComparison.Ordinal);

        Assert.True(ReadStored(row).ContactPoints.Has(ContactPointKind.MobilePhone));
        var forged = row.Replace("\"VT:", "\"IN:", StringComparison.Ordinal);
        foreach (var points in new[] { ReadStored(forged).ContactPoints, ReadGeneral(forged).ContactPoints })
        {
            Assert.False(points.Has(ContactPointKind.Phone));
            Assert.False(points.Has(ContactPointKind.MobilePhone));
            Assert.True(points.IsInvalid(ContactPointKind.Phone));
        }
    }

    [Fact]
    public void A_stored_verdict_for_another_number_other_rules_or_in_another_shape_is_judged_again()
    {
        var store = CustomerJson.ForStore(Channels);
        var row = Encoding.UTF8.GetString(store.WriteCustomer(StoreKit.Bare("c-1") with { ContactPoints = new ContactPoints { Phone = "+64211234567" } }));
        var forged = row.Replace("\"VT:", "\"IN:", StringComparison.Ordinal);
        var rules = ContactPoints.PhoneRules;

        // The number changed beside the verdict (a landline now; the writer escapes the +): judged as a landline, not taken
        // as the mobile's verdict.
        var landline = ReadStored(row.Replace("64211234567", "6495550100", StringComparison.Ordinal)).ContactPoints;
        Assert.True(landline.Has(ContactPointKind.Phone));
        Assert.False(landline.Has(ContactPointKind.MobilePhone));

        // A forged verdict under other rules, damaged, escaped, of another shape, or impossible: the number is judged (valid mobile).
        foreach (var other in new[]
        {
            forged.Replace(rules, "r0/" + rules[3..], StringComparison.Ordinal),
            forged.Replace(rules, rules + "1", StringComparison.Ordinal),
            forged.Replace("\"IN:", "\"IN;", StringComparison.Ordinal),
            forged.Replace("\"IN:", "\"\\u0049N:", StringComparison.Ordinal),
            forged.Replace("\"IN:", "\"IT:", StringComparison.Ordinal),
            forged.Replace("\"IN:", "\"XN:", StringComparison.Ordinal),
            forged.Replace("\"IN:", "\"IN:g", StringComparison.Ordinal),
        })
        {
            var points = ReadStored(other).ContactPoints;
            Assert.True(points.Has(ContactPointKind.MobilePhone), other);
            Assert.True(points.Has(ContactPointKind.Phone), other);
        }

        // A profile whose number changes gets a verdict for the new number when it is stored again.
        var changed = ReadStored(row) with { ContactPoints = new ContactPoints { Phone = "+6495550100" } };
        var again = Encoding.UTF8.GetString(store.WriteCustomer(changed));
        Assert.Contains("\"phoneVerdict\":\"VN:", again, StringComparison.Ordinal);
        Assert.False(ReadStored(again).ContactPoints.Has(ContactPointKind.MobilePhone));
    }

    [Fact]
    public void An_invalid_stored_number_keeps_its_verdict_and_is_still_refused_with_its_reason()
    {
        // A number outside the plan, stored under laxer rules: its stored verdict says invalid, and the decision's
        // consent check still refuses SMS and calls with contact_point.invalid.
        var store = CustomerJson.ForStore(Channels);
        var at = DateTimeOffset.Parse("2026-03-01T09:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var customer = StoreKit.Bare("c-1") with
        {
            ContactPoints = new ContactPoints { Phone = "+6867301007919" },
            Consents = new Personalize.Consent.ConsentLedger(
            [
                Personalize.Consent.ConsentRecord.Grant(Personalize.Consent.ConsentScope.ForChannel(Channel.Sms, ContactPurpose.Service), at, Personalize.Consent.ConsentSource.Form("signup"), wordingVersion: "v1"),
            ]),
        };
        var row = Encoding.UTF8.GetString(store.WriteCustomer(customer));
        Assert.Contains("\"phoneVerdict\":\"IN:", row, StringComparison.Ordinal);

        var read = ReadStored(row) with { Consents = customer.Consents };
        Assert.True(read.ContactPoints.IsInvalid(ContactPointKind.MobilePhone));
        var check = new Personalize.Eligibility.ContactEligibility(new PersonalizeOptions(), TimeProvider.System).CheckConsent(read, Channel.Sms, ContactPurpose.Service, at.AddDays(1));
        Assert.Equal(Personalize.Eligibility.EligibilityCodes.ContactPointInvalid, check.Code);
        Assert.Equal("The mobile phone number on file for SMS is not valid; correct it by importing or saving the profile.", check.Reason);
    }

    [Fact]
    public void A_customers_file_with_a_phone_verdict_is_refused_as_an_unknown_property()
    {
        // Only a store's own rows carry the verdict; in a file a user gives, it is a property the format does not have.
        const string File = """{ "customers": [{ "id": "c-1", "stage": "adoption", "timeZone": "UTC", "contactPoints": { "phone": "+64211234567", "phoneVerdict": "IN:00000000:r1/x" } }] }""";

        Assert.False(new CustomerJson(Channels).TryReadCustomers(Encoding.UTF8.GetBytes(File), out _, out var errors));
        Assert.Equal("$.customers[0].contactPoints.phoneVerdict: is not a known property (check the spelling; names are camelCase)", Assert.Single(errors).ToString());
    }

    private static CustomerProfile ReadStored(string row)
    {
        Assert.True(CustomerJson.ForStore(Channels).TryReadCustomer(Encoding.UTF8.GetBytes(row), out var read, out var errors), string.Join("; ", errors));
        return read;
    }

    private static CustomerProfile ReadGeneral(string row)
    {
        var reader = new CustomerJsonReader(Channels, trusted: true);
        return reader.ReadSingle(Encoding.UTF8.GetBytes(row)) ?? throw new InvalidOperationException(string.Join("; ", reader.Errors));
    }

    private static void AssertSameProfile(CustomerProfile customer)
    {
        var row = CustomerJson.ForStore(Channels).WriteCustomer(customer);
        var validating = new CustomerJsonReader(Channels, trusted: true);
        var general = validating.ReadSingle(row);
        Assert.True(general is not null, customer.Id + ": " + string.Join("; ", validating.Errors));

        Assert.True(new StoredCustomerReader(Channels).TryRead(row, out var read), customer.Id + ": the one-pass reader gave the row up");
        Assert.Equal(Json(general), Json(read));
        Assert.Equal(Json(customer), Json(read));
        Assert.Equal((general.ServiceFlags, general.Stage, general.StagePinned, general.TimeZone, general.Attributes.Count), (read.ServiceFlags, read.Stage, read.StagePinned, read.TimeZone, read.Attributes.Count));
    }

    private static string Json(CustomerProfile profile) => Encoding.UTF8.GetString(new CustomerJson(Channels).WriteCustomer(profile));

    private static IReadOnlyList<CustomerProfile> SampleCustomers()
        => new CustomerJson(Channels).ReadCustomers(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "TestAssets", "customers.json")));
}
