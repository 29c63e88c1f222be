using Personalize.Channels;
using Personalize.Customers;

namespace Personalize.Profiling;

/// <summary>
/// One progressive-profiling question: what it asks, what its answer fills in the profile, the channels and stages it
/// fits, its priority and the consent wording version shown with it. A <see cref="QuestionBank"/> holds them.
/// </summary>
public sealed record Question
{
    /// <summary>Gets the id: letters, digits, <c>_</c>, <c>-</c> or <c>.</c> (the answer is kept as the fact <c>answer.ID</c>).</summary>
    public required string Id { get; init; }

    /// <summary>Gets the question as the customer reads it (templates see it as <c>question.text</c>).</summary>
    public required string Text { get; init; }

    /// <summary>Gets what the answer fills: a topic interest, the preferred channel, frequency, quiet hours or an attribute.</summary>
    public required QuestionFill Fills { get; init; }

    /// <summary>Gets the channels the question fits: a one-tap link in email, push or in-app, a reply keyword in SMS, a talking point in a phone script.</summary>
    /// <value>The default value is empty, which fits no channel (name at least one).</value>
    public IReadOnlyList<Channel> Channels { get; init; } = [];

    /// <summary>Gets the lifecycle stages the question is asked in.</summary>
    /// <value>The default value is empty: every stage.</value>
    public IReadOnlyList<LifecycleStage> Stages { get; init; } = [];

    /// <summary>Gets the priority: of the questions that fit a message, the highest is asked (ties: the bank's order).</summary>
    /// <value>The default value is 1.</value>
    public double Priority { get; init; } = 1;

    /// <summary>Gets the version of the wording shown with the question, recorded with the answer as consent evidence.</summary>
    public required string WordingVersion { get; init; }

    /// <summary>
    /// Gets the answers to choose from, each a one-tap link (and an SMS keyword). A topic question without options gets
    /// <c>yes</c> and <c>no</c>; an attribute question without options is answered in a text field of the answer page.
    /// </summary>
    /// <value>The default value is empty.</value>
    public IReadOnlyList<QuestionOption> Options { get; init; } = [];

    /// <summary>
    /// Gets the question in other languages, by language code (<c>de</c>, <c>de-AT</c>): its text and the labels of its
    /// options. A customer reads the translation of their <see cref="Customers.CustomerProfile.Language"/> (the exact
    /// code, then its neutral language), else <see cref="Text"/> and the options' own labels. The wording version is
    /// the same in every language: a translation says the same thing.
    /// </summary>
    /// <value>The default value is empty: one language.</value>
    public IReadOnlyDictionary<string, QuestionTranslation> Translations { get; init; } = new Dictionary<string, QuestionTranslation>(StringComparer.OrdinalIgnoreCase);

    /// <summary>The question's text in a language: the translation for the exact code, then for its neutral language, then <see cref="Text"/>.</summary>
    /// <param name="language">The customer's language code, or <see langword="null"/>.</param>
    /// <returns>The text the customer reads.</returns>
    public string TextFor(string? language) => TranslationFor(language)?.Text ?? Text;

    /// <summary>An option's label in a language: the translation's label for the option's value, else <see cref="QuestionOption.Label"/>.</summary>
    /// <param name="option">The option (one of <see cref="QuestionBank.OptionsOf"/>).</param>
    /// <param name="language">The customer's language code, or <see langword="null"/>.</param>
    /// <returns>The label the customer reads.</returns>
    public string LabelFor(QuestionOption option, string? language)
    {
        ArgumentNullException.ThrowIfNull(option);
        return LabelIn(option, TranslationFor(language));
    }

    /// <summary>
    /// An option's SMS reply keyword in a language: the translation's keyword for the option's value, else
    /// <see cref="QuestionOption.Keyword"/>, else the value.
    /// </summary>
    /// <param name="option">The option (one of <see cref="QuestionBank.OptionsOf"/>).</param>
    /// <param name="language">The customer's language code, or <see langword="null"/>.</param>
    /// <returns>The keyword the customer is asked to reply with.</returns>
    public string KeywordFor(QuestionOption option, string? language)
    {
        ArgumentNullException.ThrowIfNull(option);
        return KeywordIn(option, TranslationFor(language));
    }

    /// <summary>Whether the question fits a channel.</summary>
    /// <param name="channel">The channel.</param>
    /// <returns><see langword="true"/> when the channel is one of <see cref="Channels"/>.</returns>
    public bool Fits(Channel channel)
    {
        foreach (var c in Channels)
        {
            if (c == channel)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The option with a value (or, for SMS replies, a keyword), compared without case.</summary>
    /// <param name="answer">The value or keyword.</param>
    /// <returns>The option, or <see langword="null"/>.</returns>
    public QuestionOption? OptionFor(string? answer)
    {
        var text = answer?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        foreach (var option in Options)
        {
            if (string.Equals(option.Value, text, StringComparison.OrdinalIgnoreCase)
                || (option.Keyword is { } keyword && string.Equals(keyword, text, StringComparison.OrdinalIgnoreCase)))
            {
                return option;
            }
        }

        return null;
    }

    /// <summary>The translation a customer of <paramref name="language"/> reads, or <see langword="null"/> (the question's own language).</summary>
    internal QuestionTranslation? TranslationFor(string? language)
        => LanguageFallback.TryFind(Translations, language, out var translation) ? translation : null;

    /// <summary>An option's label in a translation (<see cref="LabelFor"/>), or in the question's own language when <paramref name="translation"/> is <see langword="null"/>.</summary>
    internal static string LabelIn(QuestionOption option, QuestionTranslation? translation)
        => translation is not null && translation.Labels.TryGetValue(option.Value, out var label) ? label : option.Label;

    /// <summary>An option's reply keyword in a translation (<see cref="KeywordFor"/>), or in the question's own language when <paramref name="translation"/> is <see langword="null"/>.</summary>
    internal static string KeywordIn(QuestionOption option, QuestionTranslation? translation)
        => translation is not null && translation.Keywords.TryGetValue(option.Value, out var keyword) ? keyword : option.Keyword ?? option.Value;
}

/// <summary>A <see cref="Question"/> in another language (<see cref="Question.Translations"/>).</summary>
public sealed record QuestionTranslation
{
    /// <summary>Gets the question as the customer reads it in this language.</summary>
    public required string Text { get; init; }

    /// <summary>Gets the options' labels in this language, by option value (<c>yes</c>, <c>weekly</c>); an option not listed keeps its own label.</summary>
    /// <value>The default value is empty.</value>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Gets the options' SMS reply keywords in this language, by option value (<c>yes</c> → <c>JA</c>): an SMS asks for
    /// them, and a reply with one answers (so does the option's own keyword). An option not listed keeps its own keyword.
    /// </summary>
    /// <value>The default value is empty.</value>
    public IReadOnlyDictionary<string, string> Keywords { get; init; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
}

/// <summary>One answer of a <see cref="Question"/>.</summary>
/// <param name="Value">What the answer means: <c>yes</c>/<c>no</c> for a topic, a channel name, <c>weekly</c>, <c>21:00-08:00</c>, or an attribute's value.</param>
/// <param name="Label">What the customer reads (the link's text).</param>
/// <param name="Keyword">The SMS reply keyword (for example <c>GARDEN</c>), or <see langword="null"/> for the value itself.</param>
public sealed record QuestionOption(string Value, string Label, string? Keyword = null);
