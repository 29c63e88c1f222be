using Microsoft.Extensions.DependencyInjection;
using Personalize.Catalog;
using Personalize.Channels;
using Personalize.Customers;
using Personalize.Decisions;
using Personalize.Delivery.Sinks;
using Personalize.Sending;
using Personalize.Templates;

namespace Personalize.Tests.Sending;

/// <summary>The sending snippet of the docs, compiled and run by <see cref="SendingReadmeTests"/>.</summary>
internal static class SendingSnippet
{
    public static async Task<SendRunSummary> Run(IEnumerable<CustomerProfile> customers, string catalogFile, string templatesFolder, string outbox, DateTimeOffset runInstant)
    {
        // begin-snippet: sending
        using var services = new ServiceCollection()
            .AddPersonalize(o => o.AddChannel("whatsapp", ContactPointKind.MobilePhone, "WhatsApp"))
            .AddPersonalizeDelivery(o =>
            {
                o.FromAddress = "news@example.com";
                o.ListId = "news.example.com";
                o.UnsubscribeUrl = new Uri("https://example.com/unsubscribe");
                o.UnsubscribeMailbox = "unsubscribe@example.com";
                o.PreferenceCenterUrl = new Uri("https://example.com/preferences");
                o.TokenSigningKey = "a-secret-of-at-least-32-characters!";
            })
            .AddPersonalizeSending(o => o.Brand = new BrandInfo { Name = "Example Garden Co.", Url = "https://example.com" })
            .AddSingleton<IMessageSink>(new FileOutboxSink(outbox))
            .BuildServiceProvider();

        var channels = services.GetRequiredService<DecisionEngine>().Eligibility.Channels;
        CompiledCatalog catalog = CatalogJson.Compile(File.ReadAllBytes(catalogFile), new CatalogValidationOptions { Channels = channels });
        CompiledTemplates templates = MessageTemplates.CompileOrThrow(catalog, new FolderTemplateLoader(templatesFolder)); // every template parsed once

        var run = new SendRun(catalog, templates, Trigger.Tick) { At = runInstant }; // the same instant resumes a crashed run
        SendRunSummary summary = await services.GetRequiredService<SendRunner>()
            .RunAsync(run, customers, new Progress<SendProgress>(p => Console.WriteLine($"{p.Processed} processed, {p.TotalSent} sent")));

        foreach (var error in summary.Errors)
        {
            Console.WriteLine(error); // c-017 spring-sale on email: template.error at spring-sale/email.html.sbn(12,7): …
        }
        // end-snippet

        return summary;
    }
}
