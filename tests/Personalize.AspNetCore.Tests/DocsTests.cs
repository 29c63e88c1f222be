using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Personalize.Catalog;
using Personalize.Channels;
using Personalize.Consent;
using Personalize.Customers;
using Personalize.Decisions;
using Personalize.Delivery.Sinks;
using Personalize.Sending;
using Personalize.Delivery.Security;
using Personalize.Storage;
using Personalize.Templates;
using Personalize.Testing;

namespace Personalize.AspNetCore.Tests;

public sealed class DocsTests
{
    [Fact]
    public async Task The_setup_in_the_guide_serves_the_preference_page()
    {
        var database = Path.Combine(Path.GetTempPath(), "personalize-docs-" + Guid.NewGuid().ToString("N") + ".db");
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        try
        {
            // begin-snippet: preference-center-setup
            builder.Services.AddPersonalize();
            builder.Services.AddPersonalizeDelivery(options =>
            {
                options.FromAddress = "news@example.com";
                options.ListId = "news.example.com";
                options.UnsubscribeUrl = new Uri("https://example.com/unsubscribe");
                options.UnsubscribeMailbox = "unsubscribe@example.com";
                options.PreferenceCenterUrl = new Uri("https://example.com/preferences");
                options.TokenSigningKey = builder.Configuration["Personalize:TokenSigningKey"] ?? "a key of at least 32 characters, from a secret store";
            });
            builder.Services.AddPersonalizeSqlite(database);
            builder.Services.AddPersonalizePreferenceCenter(options =>
            {
                options.BrandName = "Example Garden Co.";
                options.WordingVersion = "pc-2026-03";
                options.Topics.Add(new PreferenceTopic("gardening", "Weekly gardening tips") { Labels = { ["de"] = "Wöchentliche Gartentipps" } });
            });

            var app = builder.Build();
            app.MapPersonalize(); // /preferences, /unsubscribe, /preferences/confirm, /preferences/api
            // end-snippet
            await app.StartAsync();
            await app.Services.GetRequiredService<IPersonalizeStore>().ImportCustomersAsync([new CustomerProfile { Id = "c-1" }]);
            var token = app.Services.GetRequiredService<SignedTokenService>().Create("c-1", TokenScopes.Preferences);

            using var response = await app.GetTestClient().GetAsync("/preferences?token=" + token);
            var html = await response.Content.ReadAsStringAsync();
            await app.StopAsync();
            await app.DisposeAsync();

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains("Weekly gardening tips", html, StringComparison.Ordinal);
            Assert.Contains("Example Garden Co.", html, StringComparison.Ordinal);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var file in new[] { database, database + "-wal", database + "-shm" })
            {
                File.Delete(file);
            }
        }
    }

    [Fact]
    public async Task The_double_opt_in_setup_in_the_guide_sends_the_catalogs_confirmation_message()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        var sink = new InMemorySink();
        var catalogFile = Path.Combine(AppContext.BaseDirectory, "data", "catalog.json");
        var templatesFolder = Path.Combine(AppContext.BaseDirectory, "data", "templates");
        builder.Services.AddPersonalize(o => o.AddChannel("whatsapp", ContactPointKind.MobilePhone, "WhatsApp")); // the sample catalog's host channel
        builder.Services.AddPersonalizeDelivery(options =>
        {
            options.FromAddress = "news@example.com";
            options.ListId = "news.example.com";
            options.UnsubscribeUrl = new Uri("https://example.com/unsubscribe");
            options.UnsubscribeMailbox = "unsubscribe@example.com";
            options.PreferenceCenterUrl = new Uri("https://example.com/preferences");
            options.TokenSigningKey = "a key of at least 32 characters, from a secret store";
        });
        builder.Services.AddSingleton<IPersonalizeStore>(new InMemoryPersonalizeStore());

        // begin-snippet: preference-center-double-opt-in
        builder.Services.AddPersonalizePreferenceCenter(options =>
        {
            options.WordingVersion = "pc-2026-03";
            options.DoubleOptInChannels.Add(Channel.Email); // an email opt-in on the page is confirmed by a link
        });
        builder.Services.AddPersonalizeSending(options => options.Brand = new BrandInfo { Name = "Example Garden Co." });
        builder.Services.AddSingleton<IMessageSink>(sink); // yours: SMTP (Personalize.MailKit), a provider's API, an outbox
        builder.Services.AddPersonalizeConfirmationMessages(sp =>
        {
            var catalog = CatalogJson.Compile(File.ReadAllBytes(catalogFile), new CatalogValidationOptions { Channels = sp.GetRequiredService<DecisionEngine>().Eligibility.Channels });
            return new EventRun(catalog, MessageTemplates.CompileOrThrow(catalog, new FolderTemplateLoader(templatesFolder)));
        });
        // end-snippet

        await using var app = builder.Build();
        app.MapPersonalize();
        await app.StartAsync();
        await app.Services.GetRequiredService<IPersonalizeStore>().ImportCustomersAsync([new CustomerProfile { Id = "c-1", ContactPoints = new ContactPoints { Email = "c1@example.com" } }]);

        var request = await app.Services.GetRequiredService<PreferenceCenter>().RequestDoubleOptInAsync("c-1", ConsentScope.ForChannel(Channel.Email, ContactPurpose.Marketing), "Email: news and offers");
        await app.StopAsync();

        var message = Assert.Single(sink.Messages);
        Assert.Equal(("confirm-subscription", "c1@example.com"), (message.MessageId, message.Recipient));
        Assert.Contains(request!.ConfirmationUrl, ((Channels.Email.EmailContent)message.Content).TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public void The_guide_shows_the_double_opt_in_setup_as_compiled()
        => DocSnippets.AssertShown("tests/Personalize.AspNetCore.Tests/DocsTests.cs", "preference-center-double-opt-in", "docs/preference-center.md");

    [Fact]
    public void The_guide_shows_the_setup_as_compiled()
        => DocSnippets.AssertShown("tests/Personalize.AspNetCore.Tests/DocsTests.cs", "preference-center-setup", "docs/preference-center.md");
}
