using Personalize.Delivery;
using Personalize.Sending;

namespace Personalize.Profiling;

/// <summary>
/// <c>question.*</c> in templates: <c>id</c>, <c>text</c>, <c>fills</c>, <c>wording_version</c> and
/// <c>answer_links</c> (one per answer: <c>value</c>, <c>label</c>, <c>keyword</c> for SMS replies and <c>url</c>, a
/// one-tap link with a signed token, signed only when read).
/// </summary>
internal sealed class QuestionView
{
    private readonly MessageRenderer _renderer;
    private readonly DeliveryRequest _request;
    private IReadOnlyList<AnswerLinkView>? _links;

    public QuestionView(MessageRenderer renderer, DeliveryRequest request, Question question)
    {
        _renderer = renderer;
        _request = request;
        Source = question;
    }

    public string Id => Source.Id;

    /// <summary>The text in the customer's language (<see cref="Question.TextFor"/>).</summary>
    public string Text => Source.TextFor(_request.Customer.Language);

    public string Fills => Source.Fills.ToString();

    public string WordingVersion => Source.WordingVersion;

    /// <summary>The answers as links; a question answered in a text field has one link to the answer page.</summary>
    public IReadOnlyList<AnswerLinkView> AnswerLinks => _links ??= Links();

    internal Question Source { get; }

    private AnswerLinkView[] Links()
    {
        var options = QuestionBank.OptionsOf(Source);
        if (options.Count == 0)
        {
            return [new AnswerLinkView(this, null, Text, null)];
        }

        var links = new AnswerLinkView[options.Count];
        for (var i = 0; i < links.Length; i++)
        {
            var option = options[i];
            links[i] = new AnswerLinkView(this, option.Value, Source.LabelFor(option, _request.Customer.Language), Source.KeywordFor(option, _request.Customer.Language).ToUpperInvariant());
        }

        return links;
    }

    internal string Url(string? value) => _renderer.Links.Answer(_request.Customer.Id, Source.Id, value, _request.SendAt);

    /// <summary>One answer: <c>value</c>, <c>label</c>, <c>keyword</c> (what an SMS reply says) and <c>url</c>.</summary>
    internal sealed class AnswerLinkView(QuestionView question, string? value, string label, string? keyword)
    {
        private string? _url;

        public string? Value => value;

        public string Label => label;

        public string? Keyword => keyword;

        public string Url => _url ??= question.Url(value);
    }
}
