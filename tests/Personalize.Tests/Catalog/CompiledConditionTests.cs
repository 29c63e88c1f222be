using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;
using Personalize.Catalog;
using Personalize.Customers;
using Personalize.Serialization;
using Personalize.Templates;
using Personalize.Tests.Samples;
using Xunit.Abstractions;

namespace Personalize.Tests.Catalog;

/// <summary>
/// Issue 18: a condition compiled to typed closures (<see cref="ExpressionCondition.IsCompiled"/>) decides exactly as
/// the interpreter does — same truth value, same error type and message — over generated conditions and customers and
/// over every condition of the sample and golden catalogs.
/// </summary>
public sealed class CompiledConditionTests(ITestOutputHelper output)
{
    private static readonly DateTimeOffset Now = new(2026, 3, 11, 10, 0, 0, TimeSpan.Zero);

    private static readonly TemplateOptions Strict = TemplateOptions.Default with { SourceName = "condition", StrictVariables = true };

    [Theory]
    [InlineData("customer.days_since_purchase > 40 && customer.tier == 'gold'")]
    [InlineData("customer.orders >= 3 || customer.stage == 'retention'")]
    [InlineData("customer.nps_score <= 6 && !customer.open_complaint")]
    [InlineData("trigger.kind == \"event\" && (customer.vip ?? false)")]
    public void Catalog_style_conditions_compile(string source)
    {
        var condition = ExpressionCondition.Parse(source);

        Assert.True(condition.IsCompiled, condition.InterpretedBecause);
        Assert.Null(condition.InterpretedBecause);
    }

    [Theory]
    [InlineData("customer.orders * 2 > 10", "operator Multiply is interpreted")]
    [InlineData("customer.loyalty.level >= 3", "`customer.loyalty.level` (Member) is interpreted")]
    [InlineData("customer.tags | array.size > 1", "(Pipe) is interpreted")]
    [InlineData("date.now > now", "`date.now` reads a builtin")]
    public void Other_syntax_is_interpreted_and_says_why(string source, string reason)
    {
        var condition = ExpressionCondition.Parse(source);

        Assert.False(condition.IsCompiled);
        Assert.Contains(reason, condition.InterpretedBecause, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("customer.vip < true")]
    [InlineData("customer.vip >= false")]
    [InlineData("customer.missing.member == 1")]
    public void Errors_are_the_interpreters(string source)
    {
        var customer = Customer("""{ "tier": "gold", "vip": true, "orders": 3, "tags": ["a"] }""");
        var context = new ConditionContext(customer, Trigger.Tick, Now);
        var condition = ExpressionCondition.Parse(source);
        var interpreted = Assert.Throws<TemplateRuntimeException>(() => condition.Expression.EvaluateCondition(context.Model));

        var compiled = Assert.Throws<TemplateRuntimeException>(() => condition.IsSatisfiedBy(context));

        Assert.Equal(interpreted.Message, compiled.Message);
    }

    /// <summary>Scriban's mixed operands (text beside a number compares as text, true/false count as 1/0 beside a number) decide as interpreted.</summary>
    [Theory]
    [InlineData("customer.tier > 3", true)]
    [InlineData("customer.tier < true", true)]
    [InlineData("customer.orders == '3'", true)]
    [InlineData("customer.vip == 1", true)]
    [InlineData("customer.vip > 0 && customer.orders >= true", true)]
    [InlineData("customer.missing < 'a'", true)]
    [InlineData("customer.missing < 1", false)]
    public void Mixed_types_decide_as_the_interpreter(string source, bool expected)
    {
        var customer = Customer("""{ "tier": "gold", "vip": true, "orders": 3 }""");
        var context = new ConditionContext(customer, Trigger.Tick, Now);
        var condition = ExpressionCondition.Parse(source);

        Assert.True(condition.IsCompiled, condition.InterpretedBecause);
        Assert.Equal(expected, condition.Expression.EvaluateCondition(context.Model));
        Assert.Equal(expected, condition.IsSatisfiedBy(context));
    }

    [Fact]
    public void A_missing_member_is_null_and_an_error_in_strict_mode()
    {
        var context = new ConditionContext(Customer("{}"), Trigger.Tick, Now);

        Assert.True(ExpressionCondition.Parse("customer.tier == null").IsSatisfiedBy(context));
        var strict = ExpressionCondition.Parse("customer.tier == null", Strict);
        Assert.True(strict.IsCompiled);
        var error = Assert.Throws<TemplateRuntimeException>(() => strict.IsSatisfiedBy(context));
        Assert.Contains("tier", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Generated_conditions_decide_as_the_interpreter()
    {
        var compiled = 0;
        var total = 0;
        Gen.Select(Condition(3), CustomerGen, TriggerGen).Sample(
            (source, customer, trigger) =>
            {
                var context = new ConditionContext(customer, trigger, Now);
                foreach (var options in (TemplateOptions?[])[null, Strict])
                {
                    var condition = ExpressionCondition.Parse(source, options);
                    Interlocked.Increment(ref total);
                    if (condition.IsCompiled)
                    {
                        Interlocked.Increment(ref compiled);
                    }

                    var expected = Outcome(() => condition.Expression.EvaluateCondition(context.Model));
                    var actual = Outcome(() => condition.IsSatisfiedBy(context));
                    Assert.True(expected == actual, $"{source} (strict: {options is not null}) on {Describe(customer)}, {trigger}: interpreter {expected}, compiled {actual}");
                }
            },
            output.WriteLine,
            iter: 20_000,
            print: t => $"{t.Item1} on {Describe(t.Item2)}, {t.Item3}");
        output.WriteLine($"{compiled} of {total} conditions compiled");
        Assert.True(compiled * 3 > total, $"only {compiled} of {total} generated conditions compiled: the generator no longer exercises the compiler");
    }

    /// <summary>
    /// Attribute reads are resolved once per attribute set and thread (<c>AttributeCache</c>): conditions evaluated over
    /// customers in turn, back and forth, over copies made with <c>with</c> (new attributes, or the same ones), still read
    /// each customer's own attributes, the first of two names with the same snake_case form, as the interpreter does.
    /// </summary>
    [Fact]
    public void Attribute_reads_follow_the_customer_when_conditions_alternate_between_customers()
    {
        var gold = Customer("""{ "tier": "gold", "orders": 5, "Tier": "bronze" }""");
        var silver = Customer("""{ "Tier": "silver", "tier": "gold", "orders": 1 }""");
        var moved = gold with { Attributes = silver.Attributes };
        var renamed = silver with { Id = "c-2" };
        var none = Customer("{}");
        var conditions = new[] { "customer.tier == 'gold'", "customer.orders > 3", "customer.tier != 'silver' && customer.orders >= 1", "customer.tier ?? 'none'" }
            .Select(source => ExpressionCondition.Parse(source)).ToArray();
        Assert.All(conditions, c => Assert.True(c.IsCompiled, c.InterpretedBecause));

        var expected = new Dictionary<CustomerProfile, string>(ReferenceEqualityComparer.Instance)
        {
            [gold] = "1111",
            [silver] = "0001",
            [moved] = "0001",
            [renamed] = "0001",
            [none] = "0001",
        };
        foreach (var customer in (CustomerProfile[])[gold, silver, gold, moved, gold, renamed, none, silver, none, gold])
        {
            var context = new ConditionContext(customer, Trigger.Tick, Now);
            var interpreted = string.Concat(conditions.Select(c => c.Expression.EvaluateCondition(context.Model) ? '1' : '0'));
            var compiled = string.Concat(conditions.Select(c => c.IsSatisfiedBy(context) ? '1' : '0'));
            Assert.Equal(expected[customer], interpreted);
            Assert.Equal(interpreted, compiled);
        }
    }

    /// <summary>
    /// A text attribute compared with many literals: each comparison is remembered per customer and literal (up to 64
    /// literals per attribute name; past that the attribute's text is compared on every evaluation) — the truth values
    /// are the interpreter's for every literal, customer after customer, escaped JSON text and a number included.
    /// </summary>
    [Fact]
    public void Text_attributes_compared_with_many_literals_decide_as_the_interpreter()
    {
        var literals = Enumerable.Range(0, 80).Select(i => "plan-" + i).Append("gold").Append("é").ToArray();
        var conditions = literals.SelectMany(l => new[] { $"customer.plan_code == '{l}'", $"customer.plan_code != '{l}'" })
            .Select(source => ExpressionCondition.Parse(source)).ToArray();
        Assert.All(conditions, c => Assert.True(c.IsCompiled, c.InterpretedBecause));

        var customers = new[]
        {
            Customer("{ \"plan_code\": \"plan-3\" }"), Customer("{ \"plan_code\": \"plan-75\" }"), Customer("{ \"plan_code\": \"\\u00e9\" }"),
            Customer("{ \"plan_code\": \"gold\" }"), Customer("{ \"plan_code\": 3 }"), Customer("{}"), Customer("{ \"plan_code\": \"plan-3\" }"),
        };
        foreach (var customer in customers.Concat(customers.Reverse()))
        {
            var context = new ConditionContext(customer, Trigger.Tick, Now);
            var interpreted = string.Concat(conditions.Select(c => c.Expression.EvaluateCondition(context.Model) ? '1' : '0'));
            var compiled = string.Concat(conditions.Select(c => c.IsSatisfiedBy(context) ? '1' : '0'));
            Assert.Equal(interpreted, compiled);
            Assert.Equal(conditions.Length / 2, interpreted.Count(c => c == '1'));
        }
    }

    [Fact]
    public void Every_condition_of_the_sample_and_golden_catalogs_decides_as_the_interpreter()
    {
        var catalogs = new[] { SampleConsole.Catalog }
            .Concat(Directory.GetFiles(RepoPaths.Combine("tests", "Personalize.Tests", "Decisions", "Golden"), "*.catalog.json"));
        var sources = catalogs.SelectMany(file => Conditions(JsonNode.Parse(File.ReadAllText(file)))).Distinct().ToList();
        var customerFiles = new[] { SampleConsole.Customers }
            .Concat(Directory.GetFiles(RepoPaths.Combine("tests", "Personalize.Tests", "Decisions", "Golden"), "*.customers.json"));
        var reader = new CustomerJson(new Personalize.Eligibility.ContactEligibility(new PersonalizeOptions().AddChannel("whatsapp", global::Personalize.Channels.ContactPointKind.Phone, "WhatsApp"), TimeProvider.System).Channels);
        var customers = customerFiles.SelectMany(file => reader.ReadCustomers(File.ReadAllBytes(file))).ToList();
        Assert.True(sources.Count >= 8, $"found {sources.Count} conditions");
        Assert.True(customers.Count >= 50, $"found {customers.Count} customers");

        var checkedCount = 0;
        foreach (var source in sources)
        {
            var condition = ExpressionCondition.Parse(source);
            foreach (var customer in customers)
            {
                foreach (var at in (DateTimeOffset[])[Now, new(2026, 11, 1, 6, 0, 0, TimeSpan.Zero)])
                {
                    var context = new ConditionContext(customer, Trigger.Tick, at);
                    var expected = Outcome(() => condition.Expression.EvaluateCondition(context.Model));
                    Assert.Equal(expected, Outcome(() => condition.IsSatisfiedBy(context)));
                    checkedCount++;
                }
            }

            output.WriteLine($"{(condition.IsCompiled ? "compiled" : "interpreted (" + condition.InterpretedBecause + ")")}: {source}");
        }

        output.WriteLine($"{checkedCount} evaluations of {sources.Count} conditions");
    }

    private static IEnumerable<string> Conditions(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, value) in o)
                {
                    if (key == "condition" && value is JsonValue v && v.TryGetValue<string>(out var text))
                    {
                        yield return text;
                    }

                    foreach (var inner in Conditions(value))
                    {
                        yield return inner;
                    }
                }

                break;
            case JsonArray a:
                foreach (var item in a)
                {
                    foreach (var inner in Conditions(item))
                    {
                        yield return inner;
                    }
                }

                break;
        }
    }

    private static string Outcome(Func<bool> evaluate)
    {
        try
        {
            return evaluate() ? "true" : "false";
        }
        catch (Exception e)
        {
            return e.GetType().Name + ": " + e.Message;
        }
    }

    private static readonly string LongText = new('x', 70);

    /// <summary>Text at the longest a compiled read hands over as a string (64 UTF-8 bytes), and one byte longer.</summary>
    private static readonly string[] EdgeTexts = [new('y', 64), new('y', 65), new string('y', 62) + "é"];

    /// <summary>Members read from the customer and trigger: attributes of every JSON kind, profile fields, derived day counts, missing and nested members.</summary>
    private static readonly string[] Members =
    [
        "customer.tier", "customer.orders", "customer.vip", "customer.score", "customer.first_name", "customer.name",
        "customer.days_since_purchase", "customer.days_until_purchase", "customer.tags", "customer.loyalty", "customer.note",
        "customer.missing", "customer.stage", "customer.id", "customer.language", "customer.nps_score", "customer.open_complaint",
        "customer.failed_payment", "customer.is_detractor", "customer.needs_service_first", "customer.personalized", "customer.allows_personalization",
        "customer.contacts_last_30_days", "customer.days_since_contact", "customer.time_zone", "customer.topics",
        "trigger.kind", "trigger.name", "trigger.other", "now", "customer.loyalty.level",
    ];

    private static readonly string[] Literals =
    [
        "0", "3", "40", "-2", "5000000000", "2.5", "1e3", "\"gold\"", "'silver'", "\"\"", "\"" + LongText + "\"", "true", "false", "null", "empty",
        "\"retention\"", "\"event\"", "\"2\"", "'Müller'", "\"gold \"", "'bronze'",
        .. EdgeTexts.Select(t => "'" + t + "'"),
    ];

    private static readonly string[] Operators = ["==", "!=", "<", "<=", ">", ">=", "&&", "||", "??", "+"];

    private static readonly Gen<string> Atom = Gen.Frequency((3, Gen.OneOf(Members)), (2, Gen.OneOf(Literals)));

    private static Gen<string> Condition(int depth) => depth == 0
        ? Atom
        : Gen.Frequency(
            (2, Atom),
            (5, Gen.Select(Condition(depth - 1), Gen.OneOf(Operators), Condition(depth - 1), (l, op, r) => $"{l} {op} {r}")),
            (1, Condition(depth - 1).Select(e => "!" + e)),
            (1, Condition(depth - 1).Select(e => "(" + e + ")")));

    private static readonly string[] AttributeValues =
    [
        "\"gold\"", "\"silver\"", "\"\"", "\"" + LongText + "\"", "3", "40", "-2", "5000000000", "2.5", "1e300", "true", "false", "null",
        "[1, 2]", "{ \"level\": 3 }", "\"2026-01-20\"", "\"2026-02-01T10:00:00Z\"", "\"not a date\"", "\"2\"",

        // Text compared in UTF-8 by the compiled form: escapes, non-ASCII, a prefix and an extension of a literal.
        "\"gol\\u0064\"", "\"M\\u00fcller\"", "\"Müller\"", "\"gol\"", "\"golden\"", "\"\\ud83d\\ude00\"",
        .. EdgeTexts.Select(t => "\"" + t + "\""),
    ];

    private static readonly string[] AttributeNames =
        ["tier", "orders", "vip", "score", "firstName", "first_name", "lastName", "lastPurchaseAt", "purchase_date", "tags", "loyalty", "note", "Tier"];

    private static readonly Gen<CustomerProfile> CustomerGen =
        Gen.Select(
            Gen.Select(Gen.OneOf(AttributeNames), Gen.OneOf(AttributeValues)).Array[0, 6],
            Gen.Enum<LifecycleStage>(),
            Gen.Bool,
            Gen.Bool,
            Gen.Frequency((1, Gen.Const((int?)null)), (3, Gen.Int[0, 10].Select(i => (int?)i))),
            Gen.OneOf(new string?[] { null, "en", "de" }),
            Gen.OneOf(new string?[] { null, null, "gold", "bronze" }))
        .Select((attributes, stage, complaint, payment, nps, language, placed) =>
        {
            var json = "{" + string.Join(", ", attributes.DistinctBy(a => a.Item1).Select(a => $"\"{a.Item1}\": {a.Item2}")) + "}";
            return Customer(json) with
            {
                Stage = stage,
                Language = language,
                ServiceFlags = new ServiceFlags { OpenComplaint = complaint, FailedPayment = payment, NpsScore = nps },

                // The relationship matrix's tier (a fact the tick places) comes before a tier attribute.
                Facts = placed is null ? Personalize.Events.CustomerFacts.Empty : Personalize.Events.CustomerFacts.Create([new(Personalize.Events.FactNames.Tier, new Personalize.Events.Fact(placed, Now, "e-1"))]),
            };
        });

    private static readonly Gen<Trigger> TriggerGen = Gen.OneOf(Trigger.Tick, Trigger.Event("order_shipped"), Trigger.Campaign("spring"));

    private static CustomerProfile Customer(string attributes)
    {
        using var document = JsonDocument.Parse(attributes);
        var dictionary = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            dictionary[property.Name] = property.Value.Clone();
        }

        return new CustomerProfile { Id = "c-1", Attributes = dictionary };
    }

    private static string Describe(CustomerProfile customer)
        => $"{customer.Stage}, placed {customer.Facts.ValueOf("tier") ?? "no"}, nps {customer.ServiceFlags.NpsScore}, complaint {customer.ServiceFlags.OpenComplaint}, payment {customer.ServiceFlags.FailedPayment}, language {customer.Language}, "
           + "{" + string.Join(", ", customer.Attributes.Select(a => $"\"{a.Key}\": {a.Value.GetRawText()}")) + "}";
}
