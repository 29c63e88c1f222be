using System.Text;
using Personalize.Channels;
using Personalize.Profiling;

namespace Personalize.Tests.Profiling;

/// <summary>Reading and validating question banks: every problem with its path, line and column.</summary>
public sealed class QuestionBankJsonTests
{
    [Fact]
    public void A_valid_bank_reads_with_its_questions_in_order()
    {
        var bank = ProfilingKit.Bank();

        Assert.Equal(["gardening", "frequency", "birthday"], bank.Questions.Select(q => q.Id));
        Assert.Equal(TimeSpan.FromDays(30), bank.AskAgainAfter);
        var gardening = bank.Questions[0];
        Assert.Equal((QuestionFillKind.Topic, "gardening"), (gardening.Fills.Kind, gardening.Fills.Name));
        Assert.Equal([Channel.Email, Channel.Sms], gardening.Channels);
        Assert.Equal("q-garden-v1", gardening.WordingVersion);
        Assert.Equal((QuestionFillKind.Attribute, "birthday"), (bank.Questions[2].Fills.Kind, bank.Questions[2].Fills.Name));
        Assert.Equal([LifecycleStage.Retention], bank.Questions[2].Stages);
    }

    [Fact]
    public void Every_problem_is_reported_with_its_path_line_and_column()
    {
        const string json = """
            {
              "askAgainAfter": "soon",
              "questions": [
                { "id": "Bad Id", "text": "", "fills": "shoe_size", "channels": ["email", 42], "wordingVersion": "v1" },
                { "id": "freq", "text": "How often?", "fills": "frequency", "channels": ["email"], "wordingVersion": "v1", "priorty": 2,
                  "options": [ { "value": "hourly", "label": "Hourly" }, { "value": "weekly", "label": "" } ] },
                { "id": "freq", "text": "Again?", "fills": "topic:news", "channels": ["sms"], "stages": ["teen"] }
              ]
            }
            """;

        Assert.False(QuestionBankJson.TryRead(Encoding.UTF8.GetBytes(json), out var bank, out var errors));

        Assert.Null(bank);
        var found = errors.Select(e => (e.Path, e.Code, e.Line)).ToList();
        Assert.Contains(("$.askAgainAfter", QuestionBankCodes.InvalidDuration, 2), found);
        Assert.Contains(("$.questions[0].id", QuestionBankCodes.InvalidId, 4), found);
        Assert.Contains(("$.questions[0].text", QuestionBankCodes.Missing, 4), found);
        Assert.Contains(("$.questions[0].fills", QuestionBankCodes.InvalidFill, 4), found);
        Assert.Contains(("$.questions[0].channels[1]", QuestionBankCodes.InvalidChannel, 4), found);
        Assert.Contains(("$.questions[1].priorty", QuestionBankCodes.UnknownMember, 5), found);
        Assert.Contains(("$.questions[1].options[0].value", QuestionBankCodes.InvalidOption, 6), found);
        Assert.Contains(("$.questions[1].options[1].label", QuestionBankCodes.Missing, 6), found);
        Assert.Contains(("$.questions[2].id", QuestionBankCodes.Duplicate, 7), found);
        Assert.Contains(("$.questions[2].stages[0]", QuestionBankCodes.InvalidStage, 7), found);
        Assert.Contains(("$.questions[2].wordingVersion", QuestionBankCodes.Missing, 7), found);
        Assert.Single(errors, e => e.Path == "$.questions[0].fills");
        Assert.All(errors, e => Assert.NotNull(e.Column));
        var ex = Assert.Throws<QuestionBankException>(() => QuestionBankJson.Read(Encoding.UTF8.GetBytes(json)));
        Assert.Equal(errors.Count, ex.Errors.Count);
    }

    [Theory]
    [InlineData("not json", QuestionBankCodes.InvalidJson)]
    [InlineData("[]", QuestionBankCodes.InvalidJson)]
    [InlineData("{}", QuestionBankCodes.Missing)]
    [InlineData("""{ "questions": {} }""", QuestionBankCodes.Missing)]
    public void A_file_that_is_not_a_bank_gets_a_named_error(string json, string code)
    {
        Assert.False(QuestionBankJson.TryRead(Encoding.UTF8.GetBytes(json), out _, out var errors));
        Assert.Equal(code, Assert.Single(errors).Code);
    }

    [Fact]
    public void A_bank_built_in_csharp_is_validated_the_same_way()
    {
        var ok = QuestionBank.Create(
            [
                new Question { Id = "channel", Text = "Where do you like to hear from us?", Fills = QuestionFill.PreferredChannel, Channels = [Channel.Email], WordingVersion = "v1", Options = [new("email", "Email"), new("sms", "Text message")] },
                new Question { Id = "quiet", Text = "When should we stay quiet?", Fills = QuestionFill.QuietHours, Channels = [Channel.Push], WordingVersion = "v1", Options = [new("21:00-08:00", "Evenings and nights")] },
            ],
            TimeSpan.FromDays(60));
        Assert.Equal(TimeSpan.FromDays(60), ok.AskAgainAfter);

        var ex = Assert.Throws<QuestionBankException>(() => QuestionBank.Create(
            [
                new Question { Id = "household", Text = "How many live with you?", Fills = QuestionFill.Attribute("household"), Channels = [Channel.Sms], WordingVersion = "v1" },
                new Question { Id = "channel", Text = "Where?", Fills = QuestionFill.PreferredChannel, Channels = [], WordingVersion = "v1", Priority = -1, Options = [new("+fax", "Fax")] },
            ]));
        Assert.Equal(
            [("$.questions[0].options", QuestionBankCodes.Missing), ("$.questions[1].channels", QuestionBankCodes.InvalidChannel), ("$.questions[1].priority", QuestionBankCodes.InvalidPriority), ("$.questions[1].options[0].value", QuestionBankCodes.InvalidOption)],
            ex.Errors.Select(e => (e.Path, e.Code)));
    }
}
