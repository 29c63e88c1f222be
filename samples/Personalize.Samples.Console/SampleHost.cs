using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Personalize.Catalog;
using Personalize.Channels;
using Personalize.Consent;
using Personalize.Customers;
using Personalize.Decisions;
using Personalize.Delivery.Sinks;
using Personalize.Events;
using Personalize.Journeys;
using Personalize.Sending;
using Personalize.Serialization;
using Personalize.Templates;
using Personalize.Timing;

namespace Personalize.Samples.ConsoleHost;

/// <summary>Builds the service provider the way a host would and loads the data files.</summary>
internal static class SampleHost
{
    /// <summary>The sample's signing key. A real host reads its key from a secret store, never from source.</summary>
    private const string SampleSigningKey = "personalize-sample-signing-key-not-a-secret";

    public static ServiceProvider BuildServices(CommandLine commandLine, IMessageSink? sink = null, Action<SendingOptions>? sending = null)
    {
        var services = new ServiceCollection();
        if (commandLine.Now is { } now)
        {
            services.AddSingleton<TimeProvider>(new FixedTimeProvider(now));
        }

        services.AddPersonalize(options =>
        {
            // A host channel: WhatsApp reaches the customer's mobile phone number.
            options.AddChannel("whatsapp", ContactPointKind.MobilePhone, "WhatsApp");

            // The host's quiet hours for customers who set none, in each customer's own zone.
            options.DefaultQuietHours = new TimeWindow(new TimeOnly(21, 0), new TimeOnly(8, 0));
        });
        services.AddPersonalizeDelivery(options =>
        {
            options.FromAddress = "hello@greenthumb.example";
            options.FromName = "Green Thumb Garden Co.";
            options.ReplyTo = "care@greenthumb.example";
            options.ListId = "news.greenthumb.example";
            options.ListName = "Green Thumb News";
            options.UnsubscribeUrl = new Uri("https://greenthumb.example/unsubscribe");
            options.UnsubscribeMailbox = "unsubscribe@greenthumb.example";
            options.PreferenceCenterUrl = new Uri("https://greenthumb.example/preferences");
            options.TokenSigningKey = SampleSigningKey;
            options.TopicDescriptions["gardening"] = "gardening tips";
            options.TopicDescriptions["recipes"] = "recipes from the garden";
            options.TopicDescriptions["travel"] = "garden travel deals";
        });
        // The progressive-profiling questions: a template that shows `question` carries one (docs/profiling.md).
        var questions = LoadQuestions(ResolveQuestionsFile());
        services.AddPersonalizeSending(options =>
        {
            options.Questions = questions;
            options.Brand = new BrandInfo
            {
                Name = "Green Thumb Garden Co.",
                Url = "https://greenthumb.example",
                SupportEmail = "care@greenthumb.example",
                SupportPhone = "+64 9 555 0100",
                PostalAddress = "12 Rose Lane, Ponsonby, Auckland 1011, New Zealand",
            };
            sending?.Invoke(options);
        });
        services.AddSingleton(sink ?? NullSink.Instance);

        var provider = services.BuildServiceProvider();
        try
        {
            provider.GetRequiredService<IStartupValidator>().Validate();
        }
        catch (OptionsValidationException ex)
        {
            provider.Dispose();
            throw new SampleException(ex.Message);
        }

        return provider;
    }

    public static string ResolveDataFile(CommandLine commandLine)
        => commandLine.DataFile ?? Path.Combine(AppContext.BaseDirectory, "data", "customers.json");

    public static string ResolveCatalogFile(CommandLine commandLine)
        => commandLine.CatalogFile ?? Path.Combine(AppContext.BaseDirectory, "data", "catalog.json");

    public static string ResolveQuestionsFile() => Path.Combine(AppContext.BaseDirectory, "data", "questions.json");

    /// <summary>The question bank, or a <see cref="SampleException"/> listing every error with its line and column.</summary>
    public static Profiling.QuestionBank LoadQuestions(string file)
    {
        if (!Profiling.QuestionBankJson.TryRead(Read(file, "question bank"), out var bank, out var errors))
        {
            throw new SampleException($"{file}: {errors.Count} error{(errors.Count == 1 ? string.Empty : "s")} in the question bank{Environment.NewLine}" + string.Join(Environment.NewLine, errors.Select(e => $"  {file} {e}")));
        }

        return bank;
    }

    public static string ResolveTemplatesDirectory(CommandLine commandLine)
        => commandLine.TemplatesDirectory ?? Path.Combine(AppContext.BaseDirectory, "data", "templates");

    /// <summary>The customer with an id, or a <see cref="SampleException"/> that names a few ids of the file.</summary>
    public static CustomerProfile FindCustomer(IReadOnlyList<CustomerProfile> customers, string? id)
        => customers.FirstOrDefault(c => string.Equals(c.Id, id, StringComparison.Ordinal))
           ?? throw new SampleException($"no customer '{id}' in the data file ({customers.Count} customers, for example {string.Join(", ", customers.Take(3).Select(static c => c.Id))}; 'list' shows them all).");

    /// <summary>What explain and preview start from: the engine, the catalog, the customer named by --customer and the clock's now.</summary>
    public static (DecisionEngine Engine, CompiledCatalog Catalog, CustomerProfile Customer, DateTimeOffset Now) LoadForOneCustomer(ServiceProvider services, CommandLine commandLine)
    {
        var engine = services.GetRequiredService<DecisionEngine>();
        var customers = LoadCustomers(services.GetRequiredService<CustomerJson>(), ResolveDataFile(commandLine));
        var catalog = LoadCatalog(ResolveCatalogFile(commandLine), engine.Eligibility.Channels);
        return (engine, catalog, FindCustomer(customers, commandLine.CustomerId), services.GetRequiredService<TimeProvider>().GetUtcNow());
    }

    public static IReadOnlyList<CustomerProfile> LoadCustomers(CustomerJson json, string file)
        => LoadCustomers(json, file, Read(file, "customers"));

    public static IReadOnlyList<CustomerProfile> LoadCustomers(CustomerJson json, string file, byte[] bytes)
    {
        if (!json.TryReadCustomers(bytes, out var customers, out var errors))
        {
            var lines = new List<string> { $"{file}: {errors.Count} error{(errors.Count == 1 ? string.Empty : "s")}, no customers loaded" };
            foreach (var e in errors)
            {
                lines.Add("  " + JsonLocator.Describe(file, e.Line is { } line ? new JsonPosition(line, e.Column ?? 1) : null, e.Path, e.Message));
            }

            throw new SampleException(string.Join(Environment.NewLine, lines));
        }

        return customers;
    }

    public static CompiledCatalog LoadCatalog(string file, ChannelRegistry channels)
    {
        var bytes = Read(file, "catalog");
        var options = new CatalogValidationOptions { Channels = channels };
        if (!CatalogJson.TryRead(bytes, options, out var catalog, out var errors))
        {
            var lines = new List<string> { $"{file}: {errors.Count} error{(errors.Count == 1 ? string.Empty : "s")} in the catalog" };
            // A syntax error names its own line; the others are found by path, all in one pass over the file.
            var positions = JsonPositions.Find(bytes, errors.Where(static e => !e.Message.Contains("(line ", StringComparison.Ordinal)).Select(static e => e.Path));
            foreach (var e in errors)
            {
                lines.Add(positions.TryGetValue(e.Path, out var at) && !e.Message.Contains("(line ", StringComparison.Ordinal) ? $"  {file} {at}: {e}" : $"  {file}: {e}");
            }

            throw new SampleException(string.Join(Environment.NewLine, lines));
        }

        return catalog.Compile(options);
    }

    public static CompiledTemplates LoadContent(CompiledCatalog catalog, string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new SampleException($"{directory}: the templates folder does not exist (pass --templates DIR).");
        }

        var content = MessageTemplates.Compile(catalog, new FolderTemplateLoader(directory));
        if (content.HasErrors)
        {
            var lines = new List<string> { $"{directory}: {content.Diagnostics.Count} template error{(content.Diagnostics.Count == 1 ? string.Empty : "s")}" };
            foreach (var d in content.Diagnostics)
            {
                var file = Path.Combine(directory, d.File);
                lines.Add(d.Line > 0 ? $"  {file} line {d.Line}, column {d.Column}: {d.Message}" : $"  {file}: {d.Message}");
            }

            throw new SampleException(string.Join(Environment.NewLine, lines));
        }

        return content;
    }

    public static string ResolveJourneysFile(CommandLine commandLine)
        => commandLine.JourneysFile ?? Path.Combine(AppContext.BaseDirectory, "data", "journeys.json");

    /// <summary>Reads the journeys file (every error with its line, column and code), checked against the catalog.</summary>
    public static JourneySet LoadJourneys(CommandLine commandLine, CompiledCatalog catalog)
    {
        var file = ResolveJourneysFile(commandLine);
        var bytes = Read(file, "journeys");
        if (!JourneyJson.TryRead(bytes, catalog, out var journeys, out var errors))
        {
            var lines = new List<string> { $"{file}: {errors.Count} error{(errors.Count == 1 ? string.Empty : "s")} in the journeys" };
            lines.AddRange(errors.Select(e => $"  {file}{(e.Line is { } line ? $" line {line}, column {e.Column ?? 1}" : string.Empty)}: {e.Path}: {e.Message} ({e.Code})"));
            throw new SampleException(string.Join(Environment.NewLine, lines));
        }

        try
        {
            return JourneySet.Create(journeys, catalog);
        }
        catch (JourneyException ex)
        {
            throw new SampleException($"{file}: {ex.Message}");
        }
    }

    /// <summary>
    /// The sample's event options: the default mappings, and <c>consent_withdrawn</c> (data: <c>channel</c>, <c>source</c>),
    /// a host's own event that records the customer's withdrawal of a channel with its evidence (say a call to the
    /// service desk), for every purpose; and the sample's question bank, so a <c>preference_answered</c> event is
    /// recorded as an answer (consent with the question's wording version, the preference, never asked again).
    /// </summary>
    public static EventOptions EventOptions() => new()
    {
        Questions = LoadQuestions(ResolveQuestionsFile()),
        Mappings = FactMappings.CreateDefault().Map("consent_withdrawn", static (e, f) =>
        {
            if (Channel.TryParse(e.Text("channel"), out var channel))
            {
                f.AppendConsent(ConsentRecord.Withdraw(ConsentScope.ForChannel(channel), e.OccurredAt, ConsentSource.FromChannel($"{e.Text("source") ?? "the customer"} (event {e.Id})")));
            }
        }),
    };

    public static byte[] ReadFile(string file, string what) => Read(file, what);

    private static byte[] Read(string file, string what)
    {
        try
        {
            return File.ReadAllBytes(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SampleException($"{file}: cannot read the {what} file ({ex.Message})");
        }
    }
}
