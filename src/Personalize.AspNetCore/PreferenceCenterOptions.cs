using Personalize.Channels;
using Personalize.Customers;

namespace Personalize.AspNetCore;

/// <summary>
/// Options of the preference center and the one-click unsubscribe and confirmation endpoints
/// (<c>app.MapPersonalize()</c>). Validated at start; every problem is
/// reported in one message.
/// </summary>
public sealed class PreferenceCenterOptions
{
    private readonly Dictionary<string, PreferenceCenterText> _texts = new(StringComparer.OrdinalIgnoreCase)
    {
        ["en"] = PreferenceCenterText.English(),
        ["de"] = PreferenceCenterText.German(),
    };

    /// <summary>The brand shown in the introduction, for example <c>Green Thumb Garden Co.</c>.</summary>
    /// <value>The default value is <c>us</c>.</value>
    public string BrandName { get; set; } = "us";

    /// <summary>
    /// The version of the wording the pages show, recorded with every consent record they write (for example
    /// <c>pc-2026-03</c>). Change it whenever a label that asks for consent changes. Required.
    /// </summary>
    /// <value>The default value is <see langword="null"/> (must be set).</value>
    public string? WordingVersion { get; set; }

    /// <summary>The source detail of records written by the preference page, shown to customers in "why you get this" sentences.</summary>
    /// <value>The default value is <c>our preference center</c>.</value>
    public string SourceDetail { get; set; } = "our preference center";

    /// <summary>The source detail of records written by one-click unsubscribe.</summary>
    /// <value>The default value is <c>the unsubscribe link</c>.</value>
    public string UnsubscribeSourceDetail { get; set; } = "the unsubscribe link";

    /// <summary>The source detail of answers to progressive-profiling questions given on the answer page or its JSON API.</summary>
    /// <value>The default value is <c>the answer page</c>.</value>
    public string AnswerSourceDetail { get; set; } = "the answer page";

    /// <summary>The channels the page offers opt-ins, frequency and order for, in the order shown.</summary>
    /// <value>The default value is email, SMS and push.</value>
    public IList<Channel> Channels { get; } = [Channel.Email, Channel.Sms, Channel.Push];

    /// <summary>The topics the page offers subscriptions to, in the order shown.</summary>
    /// <value>The default value is empty.</value>
    public IList<PreferenceTopic> Topics { get; } = [];

    /// <summary>The caps a customer can choose per channel, in the order shown (besides "as often as there is news").</summary>
    /// <value>The default value is 1 a day, 3 a week, 1 a week and 2 a month.</value>
    public IList<(int Max, CapPeriod Period)> FrequencyChoices { get; } = [(1, CapPeriod.Day), (3, CapPeriod.Week), (1, CapPeriod.Week), (2, CapPeriod.Month)];

    /// <summary>The pause lengths offered, in weeks.</summary>
    /// <value>The default value is 1, 2 and 4 weeks.</value>
    public IList<int> PauseWeeks { get; } = [1, 2, 4];

    /// <summary>The texts by language code (<c>en</c>, <c>de</c>, <c>de-AT</c>). The customer's language picks one (exact, then neutral), else <see cref="DefaultLanguage"/>.</summary>
    /// <value>The default value holds English (<c>en</c>) and German (<c>de</c>).</value>
    public IDictionary<string, PreferenceCenterText> Texts => _texts;

    /// <summary>The language used when the customer's has no texts.</summary>
    /// <value>The default value is <c>en</c>.</value>
    public string DefaultLanguage { get; set; } = "en";

    /// <summary>
    /// The channels whose marketing opt-in, made on the page or through the JSON API, is a double opt-in: it is recorded
    /// as a pending grant (not consent) and its confirmation goes to that channel's contact point as the catalog's
    /// confirmation message (<c>AddPersonalizeConfirmationMessages</c>, required when this is not empty); the customer's
    /// click on its link turns it into consent.
    /// </summary>
    /// <value>The default value is empty: opt-ins on the page are single opt-ins.</value>
    public ISet<Channel> DoubleOptInChannels { get; } = new HashSet<Channel>();

    /// <summary>The channel the confirmation of a topic's double opt-in (<see cref="PreferenceCenter.RequestDoubleOptInAsync"/>) goes to; a channel's goes to that channel.</summary>
    /// <value>The default value is <see cref="Channel.Email"/>.</value>
    public Channel ConfirmationChannel { get; set; } = Channel.Email;

    /// <summary>
    /// The key of the method evidence every consent record of the pages carries (<see cref="Consent.ConsentRecord.MethodEvidence"/>:
    /// HMAC-SHA256 of the client's IP address and user agent), at least 32 characters, from a secret store. When
    /// <see langword="null"/>, a key derived from <c>DeliveryOptions.TokenSigningKey</c> is used (rotating that key then
    /// changes the hashes of later records).
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? MethodEvidenceKey { get; set; }

    /// <summary>The most requests one client (by remote IP address) may make to these endpoints per minute; more get <see cref="PreferenceCenterCodes.RateLimited"/>.</summary>
    /// <value>The default value is 30.</value>
    public int RequestsPerMinute { get; set; } = 30;

    /// <summary>The largest request body accepted, in bytes; a larger one gets <see cref="PreferenceCenterCodes.RequestTooLarge"/>.</summary>
    /// <value>The default value is 32 KiB.</value>
    public int MaxRequestBodyBytes { get; set; } = 32 * 1024;

    /// <summary>The most form fields a post may have (values at most 256 characters); more get <see cref="PreferenceCenterCodes.FormTooLarge"/>.</summary>
    /// <value>The default value is 200.</value>
    public int MaxFormFields { get; set; } = 200;

    /// <summary>How often a save is tried again when the customer changed meanwhile (a version conflict) before <see cref="PreferenceCenterCodes.Conflict"/>.</summary>
    /// <value>The default value is 3.</value>
    public int MaxSaveAttempts { get; set; } = 3;

    /// <summary>Checks the options.</summary>
    /// <returns>Every problem found, each a sentence that says how to fix it; empty when valid.</returns>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(WordingVersion))
        {
            errors.Add("WordingVersion must be set (for example \"pc-2026-03\"): it is recorded with every consent the pages write.");
        }

        if (string.IsNullOrWhiteSpace(BrandName) || string.IsNullOrWhiteSpace(SourceDetail) || string.IsNullOrWhiteSpace(UnsubscribeSourceDetail))
        {
            errors.Add("BrandName, SourceDetail and UnsubscribeSourceDetail must not be blank.");
        }

        if (Channels.Count == 0 || Channels.Any(c => c.IsDefault) || Channels.Distinct().Count() != Channels.Count)
        {
            errors.Add("Channels must list at least one named channel, each once.");
        }

        if (DoubleOptInChannels.FirstOrDefault(c => !Channels.Contains(c)) is { IsDefault: false } notShown)
        {
            errors.Add($"DoubleOptInChannels names '{notShown}', which is not in Channels: the page only offers the channels it lists.");
        }

        if (ConfirmationChannel.IsDefault)
        {
            errors.Add("ConfirmationChannel must name a channel (for example Channel.Email).");
        }

        if (Topics.Select(t => t.Name).Distinct(StringComparer.Ordinal).Count() != Topics.Count)
        {
            errors.Add("Topics must name each topic once.");
        }

        if (FrequencyChoices.Any(c => c.Max is < 1 or > 100) || FrequencyChoices.Distinct().Count() != FrequencyChoices.Count)
        {
            errors.Add("FrequencyChoices must be distinct caps of 1 to 100 messages per period.");
        }

        if (PauseWeeks.Any(w => w is < 1 or > 52) || PauseWeeks.Distinct().Count() != PauseWeeks.Count)
        {
            errors.Add("PauseWeeks must be distinct numbers of weeks from 1 to 52.");
        }

        if (!Texts.ContainsKey(DefaultLanguage))
        {
            errors.Add($"DefaultLanguage is '{DefaultLanguage}', which has no entry in Texts ({string.Join(", ", Texts.Keys)}).");
        }

        if (MethodEvidenceKey is { } key && System.Text.Encoding.UTF8.GetByteCount(key) < Consent.MethodEvidence.MinKeyBytes)
        {
            errors.Add($"MethodEvidenceKey is shorter than {Consent.MethodEvidence.MinKeyBytes} bytes; use a random secret.");
        }

        if (RequestsPerMinute is < 1 or > 100_000)
        {
            errors.Add($"RequestsPerMinute is {RequestsPerMinute}; use 1 to 100000.");
        }

        if (MaxRequestBodyBytes is < 1024 or > 1024 * 1024)
        {
            errors.Add($"MaxRequestBodyBytes is {MaxRequestBodyBytes}; use 1024 to 1048576.");
        }

        if (MaxFormFields is < 10 or > 10_000)
        {
            errors.Add($"MaxFormFields is {MaxFormFields}; use 10 to 10000.");
        }

        if (MaxSaveAttempts is < 1 or > 10)
        {
            errors.Add($"MaxSaveAttempts is {MaxSaveAttempts}; use 1 to 10.");
        }

        return errors;
    }

    /// <summary>The texts for a customer's language.</summary>
    internal PreferenceCenterText TextFor(string? language)
        => LanguageFallback.TryFind(_texts, language, out var text) ? text : Texts[DefaultLanguage];

    /// <summary>The language code a text set is registered under (for the page's <c>lang</c> attribute).</summary>
    internal string LanguageOf(PreferenceCenterText text)
    {
        foreach (var pair in Texts)
        {
            if (ReferenceEquals(pair.Value, text))
            {
                return pair.Key;
            }
        }

        return DefaultLanguage;
    }
}
