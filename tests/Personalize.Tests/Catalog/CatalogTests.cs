using System.Text;
using Personalize.Catalog;
using Personalize.Channels;
using Personalize.Templates;

namespace Personalize.Tests.Catalog;

public sealed class CatalogTests
{
    private static readonly string SampleCatalog = Path.Combine(AppContext.BaseDirectory, "TestAssets", "catalog.json");

    private static ChannelRegistry WithWhatsApp()
    {
        var options = new PersonalizeOptions();
        options.AddChannel("whatsapp", ContactPointKind.Phone, "WhatsApp");
        return options.CreateChannelRegistry();
    }

    [Fact]
    public void The_bundled_sample_catalog_loads_and_compiles()
    {
        var compiled = CatalogJson.Compile(File.ReadAllBytes(SampleCatalog), new CatalogValidationOptions
        {
            Channels = WithWhatsApp(),
            KnownTopics = ["gardening", "travel", "recipes"],
        });

        Assert.Equal(21, compiled.Count);
        Assert.Contains(Trigger.Event("order_shipped"), compiled.Triggers);
        Assert.Equal("customer.failed_payment", compiled.Find("payment-failed-recovery")!.Condition!.Description);
        Assert.Equal(TimeSpan.FromHours(12), compiled.Find("order-shipped")!.MaxDelay);
    }

    [Fact]
    public void Without_the_host_channel_the_sample_catalog_reports_it_by_location()
    {
        Assert.False(CatalogJson.TryRead(File.ReadAllBytes(SampleCatalog), null, out var catalog, out var errors));

        Assert.Null(catalog);
        Assert.Equal(2, errors.Count);
        Assert.Equal("$.messages[2].channels.whatsapp", errors[0].Path);
        Assert.StartsWith("Unknown channel 'whatsapp'; registered channels: email, sms, push, direct_mail, phone, in_app", errors[0].Message, StringComparison.Ordinal);
        Assert.Equal("$.messages[14].channels.whatsapp", errors[1].Path);
    }

    [Fact]
    public void Validation_reports_every_problem_at_once_with_its_location()
    {
        var catalog = MessageCatalog.CreateBuilder()
            .Add("a", m => m.OnSchedule().Topics("gardening").Channel(Channel.Email, "a/email"))
            .Add("a", m => m.OnSchedule().Topics("golf").Channel(new Channel("fax"), "a/fax"))
            .Add("c", m => m.OnSchedule().When("customer.tier == \n  \"gold\" &&").Channel(Channel.Email, "c/missing"))
            .Add("d", m => m.Priority(0).Cap(new MessageCap { Max = 0 }).Channel(Channel.Sms, "a/email"))
            .Add("e", m => m.OnSchedule())
            .Build();

        var errors = catalog.Validate(new CatalogValidationOptions
        {
            KnownTopics = ["gardening", "travel"],
            TemplateNames = ["a/email"],
        });

        var paths = errors.Select(e => e.Path).ToArray();
        Assert.Equal(
            [
                "$.messages[1].id",
                "$.messages[1].topics[0]",
                "$.messages[1].channels.fax",
                "$.messages[1].channels.fax.template",
                "$.messages[2].condition",
                "$.messages[2].channels.email.template",
                "$.messages[3].triggers",
                "$.messages[3].priority",
                "$.messages[3].caps[0].max",
                "$.messages[4].channels",
            ],
            paths.Distinct());
        Assert.Equal("Duplicate message id 'a' (first used by $.messages[0]); ids must be unique.", errors[0].Message);
        Assert.Equal("Unknown topic 'golf'; known topics: gardening, travel.", errors[1].Message);
        Assert.Equal("The template 'c/missing' does not exist.", errors.Single(e => e.Path == "$.messages[2].channels.email.template").Message);
        var condition = errors.First(e => e.Path == "$.messages[2].condition");
        Assert.Equal(2, condition.Line);
        Assert.NotNull(condition.Column);
        Assert.StartsWith("$.messages[2].condition (2,", condition.ToString(), StringComparison.Ordinal);

        var ex = Assert.Throws<CatalogException>(() => catalog.Compile(new CatalogValidationOptions { KnownTopics = ["gardening"], TemplateNames = ["a/email"] }));
        Assert.StartsWith("The catalog has ", ex.Message, StringComparison.Ordinal);
        Assert.Contains("  $.messages[1].id: Duplicate message id 'a'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_shape_errors_are_all_reported_with_paths()
    {
        var json = """
            {
              "messages": [
                { "id": "x", "purpose": "promotion", "kind": "take", "triggers": ["event:", "tick"], "channels": { "email": { "template": "t" } } },
                { "id": "y", "purpose": "service", "triggers": ["schedule"], "stages": ["loyal"], "caps": [{ "max": 1, "per": "a while" }], "maxDelay": "soon", "expiresAt": "2026-04-01", "colour": "red", "channels": { "email": {} } }
              ]
            }
            """;

        Assert.False(CatalogJson.TryRead(Encoding.UTF8.GetBytes(json), null, out _, out var errors));

        Assert.Equal(
            [
                "$.messages[0].purpose",
                "$.messages[0].kind",
                "$.messages[0].triggers[0]",
                "$.messages[0].triggers[1]",
                "$.messages[1].colour",
                "$.messages[1].stages[0]",
                "$.messages[1].caps[0].per",
                "$.messages[1].channels.email.template",
                "$.messages[1].expiresAt",
                "$.messages[1].maxDelay",
            ],
            errors.Select(e => e.Path));
        Assert.Equal("\"promotion\" is not a purpose (marketing, service or relationship)", errors[0].Message);
        Assert.Equal("\"a while\" is not a duration; write for example 30d, 12h or 90m (leave it out for ever)", errors[6].Message);
    }

    [Fact]
    public void Broken_json_is_one_error_with_its_position()
    {
        Assert.False(CatalogJson.TryRead("{ \"messages\": [ { \"id\": } ] }"u8, null, out _, out var errors));

        var error = Assert.Single(errors);
        Assert.Contains("is not valid catalog JSON (line 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fluent_and_json_catalogs_describe_the_same_message()
    {
        var json = """
            { "messages": [ { "id": "tips", "purpose": "marketing", "kind": "give", "topics": ["Gardening"], "stages": ["retention"],
              "triggers": ["schedule", "event:order_shipped"], "condition": "customer.vip", "priority": 2, "value": 3,
              "caps": [{ "max": 1, "per": "7d" }], "channels": { "email": { "template": "tips/email" } }, "whenBlocked": "drop",
              "expiresAt": "2026-04-01T00:00:00+02:00", "maxDelay": "12h" } ] }
            """;
        var fromJson = CatalogJson.Read(Encoding.UTF8.GetBytes(json)).Messages[0];
        var fluent = MessageCatalog.CreateBuilder().Add("tips", m => m.Marketing().Give().Topics("Gardening").Stages(LifecycleStage.Retention)
            .OnSchedule().OnEvent("order_shipped").When("customer.vip").Priority(2).Value(3).OncePer(TimeSpan.FromDays(7))
            .Channel(Channel.Email, "tips/email").DropWhenBlocked().ExpiresAt(new DateTimeOffset(2026, 3, 31, 22, 0, 0, TimeSpan.Zero)).MaxDelay(TimeSpan.FromHours(12))).Build().Messages[0];

        Assert.Equal(fluent.Triggers, fromJson.Triggers);
        Assert.Equal(fluent.Topics, fromJson.Topics);
        Assert.Equal(fluent.Stages, fromJson.Stages);
        Assert.Equal(fluent.Caps, fromJson.Caps);
        Assert.Equal(fluent.Channels, fromJson.Channels);
        Assert.Equal((fluent.Priority, fluent.Value, fluent.WhenBlocked, fluent.ExpiresAt, fluent.MaxDelay), (fromJson.Priority, fromJson.Value, fromJson.WhenBlocked, fromJson.ExpiresAt, fromJson.MaxDelay));
        Assert.Equal(fluent.Condition!.Description, fromJson.Condition!.Description);
    }

    [Theory]
    [InlineData("event:order_shipped", TriggerKind.Event, "order_shipped")]
    [InlineData("Campaign:Spring_Sale", TriggerKind.Campaign, "spring_sale")]
    [InlineData("schedule", TriggerKind.Schedule, "tick")]
    [InlineData("schedule:daily", TriggerKind.Schedule, "daily")]
    public void Triggers_parse_and_print(string text, TriggerKind kind, string name)
    {
        var trigger = Trigger.Parse(text);

        Assert.Equal((kind, name), (trigger.Kind, trigger.Name));
        Assert.Equal(trigger, Trigger.Parse(trigger.ToString()));
    }

    [Theory]
    [InlineData("")]
    [InlineData("event")]
    [InlineData("event:")]
    [InlineData("signal:x")]
    [InlineData("event:has space")]
    public void Bad_triggers_do_not_parse(string text)
    {
        Assert.False(Trigger.TryParse(text, out _));
        Assert.Throws<FormatException>(() => Trigger.Parse(text));
    }

    [Fact]
    public void The_default_trigger_is_the_schedule_tick()
    {
        Assert.Equal(Trigger.Tick, default);
        Assert.Equal(Trigger.Tick, Trigger.Schedule());
    }

    [Fact]
    public void Compiled_catalog_indexes_messages_by_trigger_and_stage()
    {
        var compiled = MessageCatalog.CreateBuilder()
            .Add("all-stages", m => m.OnSchedule().Channel(Channel.Email, "t"))
            .Add("retention", m => m.OnSchedule().Stages(LifecycleStage.Retention).Channel(Channel.Email, "t"))
            .Add("event", m => m.OnEvent("x").Channel(Channel.Email, "t"))
            .Build().Compile();

        Assert.Equal(["all-stages"], compiled.Candidates(Trigger.Tick, LifecycleStage.Exposure).Select(m => m.Id));
        Assert.Equal(["all-stages", "retention"], compiled.Candidates(Trigger.Tick, LifecycleStage.Retention).Select(m => m.Id));
        Assert.Equal(["event"], compiled.Candidates(Trigger.Event("x"), LifecycleStage.Adoption).Select(m => m.Id));
        Assert.Empty(compiled.Candidates(Trigger.Campaign("none"), LifecycleStage.Adoption));
    }

    [Fact]
    public void Expression_conditions_keep_parse_diagnostics_and_never_hold_when_broken()
    {
        var broken = ExpressionCondition.Parse("customer.tier ==");
        var fine = ExpressionCondition.Parse("customer.tier == \"gold\"");

        Assert.True(broken.HasErrors);
        Assert.Contains(broken.Diagnostics, d => d.Severity == TemplateDiagnosticSeverity.Error && d.Line == 1);
        Assert.False(fine.HasErrors);
    }
}
