using Personalize.AspNetCore;
using Personalize.Catalog;
using Personalize.Channels;
using Personalize.Decisions;
using Personalize.Delivery.Security;
using Personalize.Delivery.Sinks;
using Personalize.Sending;
using Personalize.Serialization;
using Personalize.Storage;
using Personalize.Templates;
using Personalize.Timing;

namespace Personalize.Samples.Web;

/// <summary>Builds the sample web host: Personalize as the console sample configures it, the SQLite store and the preference center.</summary>
public static class SampleWeb
{
    /// <summary>The console sample's signing key (samples/Personalize.Samples.Console/SampleHost.cs): links in its emails open here. A real host reads its key from a secret store.</summary>
    public const string SampleSigningKey = "personalize-sample-signing-key-not-a-secret";

    /// <summary>The id of the sample's webhook signing key (<c>k=</c> in the <c>Personalize-Signature</c> header).</summary>
    public const string SampleWebhookKeyId = "sample";

    /// <summary>The sample's webhook signing key (or <c>--webhook-key KEY</c>). A real host reads its keys from a secret store.</summary>
    public const string SampleWebhookKey = "personalize-sample-webhook-key-not-a-secret";

    /// <summary>Builds the app.</summary>
    /// <param name="args">The command line: <c>--db FILE</c> (default <c>personalize.db</c> in the working directory, where the console sample keeps it), <c>--outbox DIR</c> (where the confirmation messages go; default <c>outbox/web</c>), <c>--webhook-key KEY</c>, and ASP.NET Core's own (<c>--urls</c>).</param>
    /// <param name="configure">Changes to the services after the sample's own (tests swap the store and the clock).</param>
    /// <returns>The app, endpoints mapped.</returns>
    public static WebApplication Build(string[] args, Action<IServiceCollection>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        var database = Path.GetFullPath(builder.Configuration["db"] ?? "personalize.db");
        var outbox = Path.GetFullPath(builder.Configuration["outbox"] ?? Path.Combine("outbox", "web"));
        builder.Services.AddPersonalize(options =>
        {
            options.AddChannel("whatsapp", ContactPointKind.Phone, "WhatsApp");
            options.DefaultQuietHours = new TimeWindow(new TimeOnly(21, 0), new TimeOnly(8, 0));
        });
        builder.Services.AddPersonalizeDelivery(options =>
        {
            options.FromAddress = "hello@greenthumb.example";
            options.ListId = "news.greenthumb.example";
            options.UnsubscribeUrl = new Uri("https://greenthumb.example/unsubscribe");
            options.UnsubscribeMailbox = "unsubscribe@greenthumb.example";
            options.PreferenceCenterUrl = new Uri("https://greenthumb.example/preferences");
            options.TokenSigningKey = SampleSigningKey;
        });
        builder.Services.AddPersonalizeSqlite(database);
        builder.Services.AddPersonalizePreferenceCenter(options =>
        {
            options.BrandName = "Green Thumb Garden Co.";
            options.WordingVersion = "pc-2026-03";
            options.Channels.Add(new Channel("whatsapp"));
            options.Topics.Add(Topic("gardening", "Weekly gardening tips", "Wöchentliche Gartentipps"));
            options.Topics.Add(Topic("recipes", "Recipes from the garden", "Rezepte aus dem Garten"));
            options.Topics.Add(Topic("travel", "Garden travel deals", "Gartenreisen-Angebote"));

            // An email opt-in made on the page is a double opt-in: the catalog's confirm-subscription message carries the link.
            options.DoubleOptInChannels.Add(Channel.Email);
        });

        // The confirmation messages: the console's catalog and templates (confirm-subscription answers
        // event:double_opt_in_requested), rendered and recorded like every send, written to the outbox folder.
        builder.Services.AddPersonalizeSending(options => options.Brand = new BrandInfo
        {
            Name = "Green Thumb Garden Co.",
            Url = "https://greenthumb.example",
            SupportEmail = "care@greenthumb.example",
            PostalAddress = "12 Rose Lane, Ponsonby, Auckland 1011, New Zealand",
        });
        builder.Services.AddSingleton<IMessageSink>(_ => new FileOutboxSink(outbox));
        builder.Services.AddPersonalizeConfirmationMessages(static sp =>
        {
            var data = Path.Combine(AppContext.BaseDirectory, "data");
            var catalog = CatalogJson.Compile(File.ReadAllBytes(Path.Combine(data, "catalog.json")), new CatalogValidationOptions { Channels = sp.GetRequiredService<DecisionEngine>().Eligibility.Channels });
            return new EventRun(catalog, MessageTemplates.CompileOrThrow(catalog, new FolderTemplateLoader(Path.Combine(data, "templates"))));
        });

        // Delivery events from the email/SMS provider (bounces, complaints…), signed with a key of the host's: the
        // sample's key is not a secret; a real host reads its keys (several while rotating) from a secret store.
        builder.Services.AddPersonalizeDeliveryWebhooks(options => options.SigningKeys[SampleWebhookKeyId] = builder.Configuration["webhook-key"] ?? SampleWebhookKey);

        // The console sample's question bank: the answer links in its messages are answered here.
        builder.Services.AddPersonalizeProfiling(Profiling.QuestionBankJson.Read(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "data", "questions.json"))));

        configure?.Invoke(builder.Services);
        var app = builder.Build();
        app.MapPersonalize();
        app.MapPersonalizeDeliveryWebhooks();
        app.MapGet("/", () => Results.Text("Personalize sample: open a preference link from the console's preview output with this host in place of https://greenthumb.example.", "text/plain"));
        return app;
    }

    /// <summary>Seeds an empty database with the console sample's customers and prints a preference link for the first one.</summary>
    /// <param name="app">The app.</param>
    /// <returns>A task.</returns>
    public static async Task SeedAndIntroduceAsync(WebApplication app)
    {
        var store = app.Services.GetRequiredService<IPersonalizeStore>();
        if (await store.CountCustomersAsync() == 0)
        {
            var file = Path.Combine(AppContext.BaseDirectory, "data", "customers.json");
            var customers = app.Services.GetRequiredService<CustomerJson>().ReadCustomers(await File.ReadAllBytesAsync(file));
            var imported = await store.ImportCustomersAsync(customers);
            app.Logger.LogInformation("Seeded the empty database with {Count} customers from {File}.", imported.Created, file);
        }

        var first = await store.ReadCustomersAsync(new CustomerQuery { Limit = 1 });
        if (first.Items.Count > 0)
        {
            var tokens = app.Services.GetRequiredService<SignedTokenService>();
            var token = tokens.Create(first.Items[0].Id, TokenScopes.Preferences);
            app.Logger.LogInformation("Preference center of {Customer}: {Url}", first.Items[0].Id, "/preferences?token=" + token);
        }
    }

    private static PreferenceTopic Topic(string name, string english, string german)
    {
        var topic = new PreferenceTopic(name, english);
        topic.Labels["de"] = german;
        return topic;
    }
}
