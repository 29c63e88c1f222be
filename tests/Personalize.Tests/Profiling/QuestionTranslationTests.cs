using System.Text;
using Personalize.Channels;
using Personalize.Consent;
using Personalize.Profiling;

namespace Personalize.Tests.Profiling;

/// <summary>A question in the customer's language: chosen by their language code, falling back to its neutral language, then to the question's own text.</summary>
public sealed class QuestionTranslationTests
{
    private static readonly DateTimeOffset Now = ProfilingKit.Now;

    [Fact]
    public async Task A_customer_reads_the_question_and_its_answers_in_their_language()
    {
        var kit = await ProfilingKit.SetUpAsync(
            Speaking(ProfilingKit.Customer("de-1", Channel.Email), "de"),
            Speaking(ProfilingKit.Customer("at-1", Channel.Email), "de-AT"),
            Speaking(ProfilingKit.Customer("fr-1", Channel.Email), "fr"),
            Speaking(ProfilingKit.Customer("sms-de", Channel.Sms), "DE"));

        await kit.Runner.RunAsync(kit.Run(Now), kit.Store);

        var german = Body(Assert.Single(kit.SentTo("de-1")));
        Assert.Contains("QUESTION gardening: Möchten Sie Gartentipps?", german, StringComparison.Ordinal);
        Assert.Contains("- Ja, gern: https://example.com/preferences/answer?token=", german, StringComparison.Ordinal);
        Assert.Contains("- No thanks: https://", german, StringComparison.Ordinal); // an option the translation leaves out keeps its own label
        Assert.Contains("QUESTION gardening: Möchten Sie Gartentipps?", Body(Assert.Single(kit.SentTo("at-1"))), StringComparison.Ordinal);
        var french = Body(Assert.Single(kit.SentTo("fr-1")));
        Assert.Contains("QUESTION gardening: Would you like gardening tips?", french, StringComparison.Ordinal);
        Assert.Contains("- Yes please: https://", french, StringComparison.Ordinal);
        Assert.StartsWith("Roses in bloom. Möchten Sie Gartentipps? Reply GARTEN\n", Body(Assert.Single(kit.SentTo("sms-de"))), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_sms_reply_with_the_keyword_of_the_customers_language_answers_and_so_does_the_questions_own()
    {
        var kit = await ProfilingKit.SetUpAsync(
            Speaking(ProfilingKit.Customer("sms-de", Channel.Sms), "de-AT"),
            Speaking(ProfilingKit.Customer("sms-de2", Channel.Sms), "de"),
            ProfilingKit.Customer("sms-en", Channel.Sms));
        await kit.Runner.RunAsync(kit.Run(Now), kit.Store);

        var german = await kit.Answers.AnswerEventAsync(Reply("sms-in-1", "sms-de", "Garten bitte"));
        var own = await kit.Answers.AnswerEventAsync(Reply("sms-in-2", "sms-de2", "GARDEN"));
        var english = await kit.Answers.AnswerEventAsync(Reply("sms-in-3", "sms-en", "GARTEN"));

        Assert.Equal((ProfilingCodes.Recorded, "gardening", "yes"), (german.Code, german.Question?.Id, german.Value));
        Assert.True((await kit.Store.GetCustomerAsync("sms-de"))!.Profile.Consents.GetState(ConsentScope.ForTopic("gardening"), Now.AddMinutes(6)).IsGranted);
        Assert.Equal((ProfilingCodes.Recorded, "yes"), (own.Code, own.Value));
        Assert.Equal(ProfilingCodes.NoQuestionAsked, english.Code); // another language's keyword answers nothing

        static Personalize.Events.CustomerEvent Reply(string id, string customer, string text) => new()
        {
            Id = id,
            Type = "preference_answered",
            CustomerId = customer,
            OccurredAt = Now.AddMinutes(5),
            Data = System.Text.Json.JsonDocument.Parse($$"""{ "text": "{{text}}", "channel": "sms" }""").RootElement.Clone(),
        };
    }

    [Fact]
    public void Translated_keywords_fall_back_like_labels_and_a_keyword_in_any_script_is_valid()
    {
        var question = ProfilingKit.Bank().Questions[0];
        var (yes, no) = (QuestionBank.OptionsOf(question)[0], QuestionBank.OptionsOf(question)[1]);
        var russian = QuestionBank.Create(
        [
            new Question
            {
                Id = "travel", Text = "Garden travel?", Fills = QuestionFill.Topic("travel"), Channels = [Channel.Sms], WordingVersion = "v1",
                Translations = new Dictionary<string, QuestionTranslation> { ["ru"] = new() { Text = "Садовые поездки?", Keywords = new Dictionary<string, string> { ["yes"] = "ДА" } } },
            },
        ]).Questions[0];

        Assert.Equal(("garten", "garten", "GARDEN", "NOGARDEN"), (question.KeywordFor(yes, "de-CH"), question.KeywordFor(yes, "DE"), question.KeywordFor(yes, "fr"), question.KeywordFor(no, "de")));
        Assert.Equal(("ДА", "no"), (russian.KeywordFor(QuestionBank.OptionsOf(russian)[0], "ru"), russian.KeywordFor(QuestionBank.OptionsOf(russian)[1], "ru")));
    }

    [Fact]
    public void Every_keyword_translation_problem_is_reported_with_its_path_and_line()
    {
        const string json = """
            {
              "questions": [
                { "id": "garden", "text": "Tips?", "fills": "topic:gardening", "channels": ["sms"], "wordingVersion": "v1",
                  "options": [ { "value": "yes", "label": "Yes", "keyword": "GARDEN" }, { "value": "no", "label": "No", "keyword": "STOPTIPS" } ],
                  "translations": { "de": { "text": "Tipps?", "keywords": { "maybe": "VIELLEICHT", "yes": "JA BITTE", "no": "garden" } },
                                    "nl": { "text": "Tips?", "keywords": { "yes": "JA", "no": "ja" } },
                                    "fr": { "text": "Conseils ?", "keywords": ["OUI"] } } }
              ]
            }
            """;

        Assert.False(QuestionBankJson.TryRead(Encoding.UTF8.GetBytes(json), out _, out var errors));

        var found = errors.Select(e => (e.Path, e.Code, e.Line)).ToList();
        Assert.Contains(("$.questions[0].translations.de.keywords.maybe", QuestionBankCodes.InvalidOption, 5), found);
        Assert.Contains(("$.questions[0].translations.de.keywords.yes", QuestionBankCodes.InvalidOption, 5), found);
        Assert.Contains(("$.questions[0].translations.de.keywords.no", QuestionBankCodes.Duplicate, 5), found);
        Assert.Contains(("$.questions[0].translations.nl.keywords.no", QuestionBankCodes.Duplicate, 6), found);
        Assert.Contains(("$.questions[0].translations.fr.keywords", QuestionBankCodes.InvalidJson, 7), found);
        Assert.Equal(5, errors.Count);
        Assert.Contains(errors, e => e.Message.Contains("\"garden\" already answers \"yes\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_answer_records_the_wording_the_customer_was_shown_in_their_language()
    {
        var kit = await ProfilingKit.SetUpAsync(Speaking(ProfilingKit.Customer("de-1", Channel.Email), "de-DE"));

        var result = await kit.Answers.AnswerAsync(new ProfilingAnswer { CustomerId = "de-1", QuestionId = "gardening", Answer = "yes", Source = ConsentSource.Form("answer page"), Channel = "email" });

        Assert.Equal(ProfilingCodes.Recorded, result.Code);
        var record = (await kit.Store.GetCustomerAsync("de-1"))!.Profile.Consents.Records.Single(r => r.Scope == ConsentScope.ForTopic("gardening"));
        Assert.Equal(("Möchten Sie Gartentipps?", "q-garden-v1"), (record.Wording, record.WordingVersion));
        var evidence = (await kit.Store.ReadEventsAsync(new Personalize.Storage.EventQuery { CustomerId = "de-1" })).Items.Single();
        Assert.Equal("Möchten Sie Gartentipps?", evidence.Text("wording"));
    }

    [Fact]
    public void Translations_read_from_json_and_fall_back_exact_then_neutral_then_the_questions_own_text()
    {
        var question = ProfilingKit.Bank().Questions[0];
        var yes = QuestionBank.OptionsOf(question)[0];

        Assert.Equal("Möchten Sie Gartentipps?", question.TextFor("de"));
        Assert.Equal("Möchten Sie Gartentipps?", question.TextFor("de-CH"));
        Assert.Equal("Would you like gardening tips?", question.TextFor("fr-CA"));
        Assert.Equal("Would you like gardening tips?", question.TextFor(null));
        Assert.Equal(("Ja, gern", "Yes please"), (question.LabelFor(yes, "de-at"), question.LabelFor(yes, "en")));
    }

    [Fact]
    public void The_exact_code_wins_over_its_neutral_language_whatever_the_case_and_the_hosts_dictionary()
    {
        var german = new QuestionTranslation { Text = "Gartentipps?", Labels = new Dictionary<string, string> { ["yes"] = "Ja" } };
        var austrian = new QuestionTranslation { Text = "Gartentipps, bitte?" };
        var yes = new QuestionOption("yes", "Yes");

        // A case-sensitive dictionary (the host's own) and a read-only wrapper (not a Dictionary) answer the same.
        foreach (IReadOnlyDictionary<string, QuestionTranslation> translations in new IReadOnlyDictionary<string, QuestionTranslation>[]
        {
            new Dictionary<string, QuestionTranslation>(StringComparer.Ordinal) { ["DE"] = german, ["de-at"] = austrian },
            new System.Collections.ObjectModel.ReadOnlyDictionary<string, QuestionTranslation>(new Dictionary<string, QuestionTranslation> { ["de-AT"] = austrian, ["de"] = german }),
        })
        {
            var question = new Question { Id = "q", Text = "Tips?", Fills = QuestionFill.Topic("gardening"), Channels = [Channel.Email], WordingVersion = "v1", Translations = translations };

            Assert.Equal("Gartentipps, bitte?", question.TextFor("DE-at"));
            Assert.Equal("Gartentipps?", question.TextFor("de-DE"));
            Assert.Equal("Gartentipps?", question.TextFor("de"));
            Assert.Equal("Tips?", question.TextFor("d-DE"));
            Assert.Equal("Tips?", question.TextFor("-de"));
            Assert.Equal(("Yes", "Ja"), (question.LabelFor(yes, "de-AT"), question.LabelFor(yes, "de-CH")));
        }
    }

    [Fact]
    public void Falling_back_to_the_neutral_language_allocates_nothing()
    {
        var question = ProfilingKit.Bank().Questions[0];
        var yes = QuestionBank.OptionsOf(question)[0];
        _ = (question.TextFor("de-CH"), question.LabelFor(yes, "de-CH"));

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            _ = (question.TextFor("de-CH"), question.LabelFor(yes, "de-CH"), question.TextFor("fr-CA"));
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void A_topic_questions_built_in_yes_and_no_answers_take_translated_labels_too()
    {
        var bank = QuestionBank.Create(
        [
            new Question
            {
                Id = "travel", Text = "Garden travel?", Fills = QuestionFill.Topic("travel"), Channels = [Channel.Email], WordingVersion = "v1",
                Translations = new Dictionary<string, QuestionTranslation> { ["de"] = new() { Text = "Gartenreisen?", Labels = new Dictionary<string, string> { ["no"] = "Nein" } } },
            },
        ]);
        var question = bank.Questions[0];
        var options = QuestionBank.OptionsOf(question);

        Assert.Equal(["Yes", "Nein"], options.Select(o => question.LabelFor(o, "de")));
    }

    [Fact]
    public void Every_translation_problem_is_reported_with_its_path_and_line()
    {
        const string json = """
            {
              "questions": [
                { "id": "garden", "text": "Tips?", "fills": "topic:gardening", "channels": ["email"], "wordingVersion": "v1",
                  "translations": { "german!": { "text": "Tipps?" }, "de": { "text": "", "labels": { "maybe": "Vielleicht", "yes": "" } }, "fr": { "txt": "Conseils ?" } } },
                { "id": "freq", "text": "How often?", "fills": "frequency", "channels": ["email"], "wordingVersion": "v1",
                  "options": [ { "value": "weekly", "label": "Weekly" } ], "translations": { "de": "Wie oft?" } },
                { "id": "news", "text": "News?", "fills": "topic:news", "channels": ["email"], "wordingVersion": "v1", "translations": [] }
              ]
            }
            """;

        Assert.False(QuestionBankJson.TryRead(Encoding.UTF8.GetBytes(json), out var bank, out var errors));

        Assert.Null(bank);
        var found = errors.Select(e => (e.Path, e.Code, e.Line)).ToList();
        Assert.Contains(("$.questions[0].translations.german!", QuestionBankCodes.InvalidLanguage, 4), found);
        Assert.Contains(("$.questions[0].translations.de.text", QuestionBankCodes.Missing, 4), found);
        Assert.Contains(("$.questions[0].translations.de.labels.maybe", QuestionBankCodes.InvalidOption, 4), found);
        Assert.Contains(("$.questions[0].translations.de.labels.yes", QuestionBankCodes.Missing, 4), found);
        Assert.Contains(("$.questions[0].translations.fr.txt", QuestionBankCodes.UnknownMember, 4), found);
        Assert.Contains(("$.questions[1].translations.de", QuestionBankCodes.InvalidJson, 6), found);
        Assert.Contains(("$.questions[2].translations", QuestionBankCodes.InvalidJson, 7), found);
        Assert.Contains(errors, e => e.Code == QuestionBankCodes.InvalidOption && e.Message.Contains("yes, no", StringComparison.Ordinal));
    }

    [Fact]
    public void A_bank_built_in_code_validates_its_translations()
    {
        var ex = Assert.Throws<QuestionBankException>(() => QuestionBank.Create(
        [
            new Question
            {
                Id = "travel", Text = "Garden travel?", Fills = QuestionFill.Topic("travel"), Channels = [Channel.Email], WordingVersion = "v1",
                Translations = new Dictionary<string, QuestionTranslation> { ["x"] = new() { Text = new string('a', QuestionBank.MaxTextLength + 1) } },
            },
        ]));

        Assert.Contains(ex.Errors, e => (e.Path, e.Code) == ("$.questions[0].translations.x", QuestionBankCodes.InvalidLanguage));
        Assert.Contains(ex.Errors, e => (e.Path, e.Code) == ("$.questions[0].translations.x.text", QuestionBankCodes.TooLong));
    }

    private static Personalize.Customers.CustomerProfile Speaking(Personalize.Customers.CustomerProfile customer, string language) => customer with { Language = language };

    private static string Body(Personalize.Delivery.OutgoingMessage message) => ProfilingSendTests.Body(message);
}
