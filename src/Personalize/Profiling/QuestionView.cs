using Personalize.Delivery;
using Personalize.Sending;

namespace Personalize.Profiling;

/// <summary>
/// <c>question.*</c> in templates: <c>id</c>, <c>text</c>, <c>fills</c>, <c>wording_version</c> and
/// <c>answer_links</c> (one per answer: <c>value</c>, <c>label</c>, <c>keyword</c> for SMS replies and <c>url</c>, a
/// one-tap link with a signed token, signed only when read). The texts come from the bank, made once per question
/// and language; only what a template reads is built for the message.
/// </summary>
internal sealed class QuestionView
{
    private readonly MessageRenderer _renderer;
    private readonly DeliveryRequest _request;
    private readonly QuestionBank.Entry _entry;
    private string? _text;
    private IReadOnlyList<AnswerLinkView>? _links;

    public QuestionView(MessageRenderer renderer, DeliveryRequest request, QuestionBank.Entry entry)
    {
        _renderer = renderer;
        _request = request;
        _entry = entry;
    }

    public string Id => Source.Id;

    /// <summary>The name of the fact that remembers this question's asks (<c>asked.ID</c>, made once per bank).</summary>
    internal string AskedFact => _entry.AskedFact;

    /// <summary>The text in the customer's language (<see cref="Question.TextFor"/>).</summary>
    public string Text => _text ??= _entry.TextFor(_request.Customer.Language);

    public string Fills => Source.Fills.ToString();

    public string WordingVersion => Source.WordingVersion;

    /// <summary>The answers as links; a question answered in a text field has one link to the answer page.</summary>
    public IReadOnlyList<AnswerLinkView> AnswerLinks => _links ??= Links();

    internal Question Source => _entry.Question;

    private AnswerLinkView[] Links()
    {
        var answers = _entry.AnswersFor(_request.Customer.Language);
        var links = new AnswerLinkView[answers.Length];
        for (var i = 0; i < links.Length; i++)
        {
            links[i] = new AnswerLinkView(this, answers[i]);
        }

        return links;
    }

    internal string Url(string? value) => _renderer.Links.Answer(_request.Customer.Id, Source.Id, value, _request.SendAt);

    /// <summary>One answer: <c>value</c>, <c>label</c>, <c>keyword</c> (what an SMS reply says) and <c>url</c>.</summary>
    internal sealed class AnswerLinkView(QuestionView question, QuestionBank.AnswerText answer)
    {
        private string? _url;

        public string? Value => answer.Value;

        public string Label => answer.Label;

        public string? Keyword => answer.Keyword;

        public string Url => _url ??= question.Url(answer.Value);
    }
}
