using System.Diagnostics.CodeAnalysis;
using Personalize.Channels;
using Personalize.Customers;
using Personalize.Delivery;
using Personalize.Events;
using Personalize.Timing;

namespace Personalize.Profiling;

/// <summary>
/// The progressive-profiling questions, validated: each outgoing message may carry at most one of them — the
/// highest-priority question that fits the message's channel and the customer's stage, not answered yet and not asked
/// in the last <see cref="AskAgainAfter"/> — and a message that is itself an ask carries none (give before ask).
/// Read one from JSON with <see cref="QuestionBankJson"/> or build it in C# with <see cref="Create"/>. Immutable and thread-safe.
/// </summary>
public sealed class QuestionBank
{
    /// <summary>The most questions in a bank.</summary>
    public const int MaxQuestions = 200;

    /// <summary>The most options of one question.</summary>
    public const int MaxOptions = 12;

    /// <summary>The longest question text (characters).</summary>
    public const int MaxTextLength = 500;

    /// <summary>The most languages one question is translated into.</summary>
    public const int MaxTranslations = 50;

    /// <summary>The longest option value, label or keyword (characters).</summary>
    public const int MaxOptionLength = 100;

    /// <summary>The fact prefix that remembers asks: <c>asked.QUESTION</c> holds how often the question was asked, set at the last ask with that message's idempotency key.</summary>
    public const string AskedPrefix = "asked.";

    private static readonly QuestionOption[] YesNo = [new("yes", "Yes"), new("no", "No")];
    private readonly Dictionary<string, Entry> _byId;
    private readonly Dictionary<string, Entry> _byAskedFact;
    private readonly Dictionary<string, Entry> _byAnswerFact;

    // The questions that fit each channel, best first: a few channels, scanned (a record struct's hash of the name costs
    // more than comparing it with each of them).
    private readonly (Channel Channel, Entry[] Entries)[] _byChannel;

    private QuestionBank(IReadOnlyList<Question> questions, TimeSpan askAgainAfter)
    {
        Questions = questions;
        AskAgainAfter = askAgainAfter;
        _byId = new Dictionary<string, Entry>(questions.Count, StringComparer.Ordinal);
        _byAskedFact = new Dictionary<string, Entry>(questions.Count, StringComparer.Ordinal);
        _byAnswerFact = new Dictionary<string, Entry>(questions.Count, StringComparer.Ordinal);
        var entries = new List<Entry>(questions.Count);
        for (var i = 0; i < questions.Count; i++)
        {
            var entry = new Entry(questions[i], i);
            _byId[entry.Question.Id] = entry;
            _byAskedFact[entry.AskedFact] = entry;
            _byAnswerFact[entry.AnswerFact] = entry;
            entries.Add(entry);
        }

        // Best first: priority, then the bank's order; one array per channel so choosing reads only what fits.
        var ordered = entries.OrderByDescending(static e => e.Question.Priority).ThenBy(static e => e.Order).ToArray();
        for (var rank = 0; rank < ordered.Length; rank++)
        {
            ordered[rank].Rank = rank;
        }

        _byChannel = ordered.SelectMany(static e => e.Question.Channels.Distinct().Select(c => (Channel: c, Entry: e)))
            .GroupBy(static p => p.Channel)
            .Select(static g => (g.Key, g.Select(static p => p.Entry).ToArray()))
            .ToArray();
    }

    /// <summary>Gets the questions, in the bank's order.</summary>
    public IReadOnlyList<Question> Questions { get; }

    /// <summary>Gets how long after an unanswered ask the question may be asked again.</summary>
    public TimeSpan AskAgainAfter { get; }

    /// <summary>Builds a bank and validates it.</summary>
    /// <param name="questions">The questions, in order (ties of priority keep it).</param>
    /// <param name="askAgainAfter">How long after an unanswered ask the question may come again; <see langword="null"/> for 30 days.</param>
    /// <returns>The bank.</returns>
    /// <exception cref="QuestionBankException">The questions have problems; the exception lists every one.</exception>
    public static QuestionBank Create(IEnumerable<Question> questions, TimeSpan? askAgainAfter = null)
    {
        ArgumentNullException.ThrowIfNull(questions);
        var list = questions.ToList();
        var errors = Validate(list, askAgainAfter ?? DefaultAskAgainAfter, "$");
        return errors.Count > 0 ? throw new QuestionBankException(errors) : Normalized(list, askAgainAfter ?? DefaultAskAgainAfter);
    }

    /// <summary>The default of <see cref="AskAgainAfter"/>: 30 days.</summary>
    public static TimeSpan DefaultAskAgainAfter { get; } = TimeSpan.FromDays(30);

    /// <summary>Finds a question by id.</summary>
    /// <param name="id">The id.</param>
    /// <param name="question">The question.</param>
    /// <returns>Whether the bank has it.</returns>
    public bool TryGet(string? id, [NotNullWhen(true)] out Question? question)
    {
        question = id is not null && _byId.TryGetValue(id, out var entry) ? entry.Question : null;
        return question is not null;
    }

    /// <summary>Whether the customer answered the question (the fact <c>answer.ID</c> is there).</summary>
    /// <param name="customer">The customer.</param>
    /// <param name="questionId">The question's id.</param>
    /// <returns><see langword="true"/> when answered.</returns>
    public static bool IsAnswered(CustomerProfile customer, string questionId)
    {
        ArgumentNullException.ThrowIfNull(customer);
        return customer.Facts.ContainsKey(FactNames.AnswerPrefix + questionId);
    }

    /// <summary>
    /// The question a message carries: the best one that fits the channel and the customer's stage, not answered (for a
    /// topic question: the customer has not chosen the topic either way) and not asked within <see cref="AskAgainAfter"/>
    /// of <paramref name="at"/>; none for an ask message. A message rendered
    /// again (the same idempotency key, after a crash) gets the question it carried the first time.
    /// </summary>
    /// <param name="customer">The customer.</param>
    /// <param name="kind">The message's kind.</param>
    /// <param name="channel">The channel.</param>
    /// <param name="at">The send instant.</param>
    /// <param name="idempotencyKey">The message's idempotency key.</param>
    /// <returns>The question, or <see langword="null"/>.</returns>
    public Question? Choose(CustomerProfile customer, MessageKind kind, Channel channel, DateTimeOffset at, string idempotencyKey)
    {
        ArgumentNullException.ThrowIfNull(customer);
        return Choose(customer, kind, channel, at, idempotencyKey, null, null, null)?.Question;
    }

    /// <summary>
    /// <see cref="Choose(CustomerProfile, MessageKind, Channel, DateTimeOffset, string)"/> for the renderer: the message's
    /// idempotency key is <paramref name="idempotencyKey"/>, or (when <see langword="null"/>) the key of
    /// <paramref name="trigger"/>, the customer, <paramref name="messageId"/> and <paramref name="at"/>, made only when
    /// an ask of the customer's was made at that very instant (a key made at another instant cannot be the same); with
    /// neither, no ask is this message's own. <paramref name="keyTag"/> is the message's page tag (a run's
    /// <see cref="Delivery.IdempotencyKeyFormat.PageTagged"/> key), from its request.
    /// </summary>
    internal Entry? Choose(CustomerProfile customer, MessageKind kind, Channel channel, DateTimeOffset at, string? idempotencyKey, string? trigger, string? messageId, string? keyTag = null)
    {
        if (kind == MessageKind.Ask || EntriesFor(channel) is not { } entries)
        {
            return null;
        }

        // One walk over the customer's facts finds what was answered and what was asked lately (a bit per question of the
        // best 64; the others are looked up), and the ask this very message made when it is rendered again.
        var facts = customer.Facts;
        var recent = (at - AskAgainAfter).UtcTicks;
        var seen = default(FactMarks);
        if (facts.Count > 0)
        {
            seen = Mark(customer, channel, at, recent, idempotencyKey, trigger, messageId, keyTag, out var own);
            if (own is not null)
            {
                // This very message asked it (rendered again after a crash): it carries the same question again.
                return own;
            }
        }

        var stage = 1 << (int)customer.Stage;
        foreach (var entry in entries)
        {
            // The cheap checks first; a question is chosen only when every check lets it through, so their order does not matter.
            // (IsOpen's checks, with the answered one read from the walk's marks.)
            if (!FitsStage(entry, stage)
                || (facts.Count > 0 && (seen.Answered(entry, facts) || seen.AskedSince(entry, facts, recent)))
                || TopicChosen(entry, customer, at))
            {
                continue;
            }

            return entry;
        }

        return null;
    }

    private Entry[]? EntriesFor(Channel channel)
    {
        foreach (var (fits, entries) in _byChannel)
        {
            if (fits == channel)
            {
                return entries;
            }
        }

        return null;
    }

    /// <summary>
    /// Walks the facts once: which of the best 64 questions were answered (<c>answer.ID</c>) and asked since
    /// <paramref name="recent"/> (<c>asked.ID</c>), and (<paramref name="own"/>) the question the message being rendered
    /// asked already, when its ask is among the facts and the question is still open for this channel and stage: of
    /// several (only a hand-made history has more than one), the best. The message's key is made (a hash) only for an
    /// ask made at the message's own instant — a key is the hash of its instant among others, and an ask is stored with
    /// the message's instant to the tick; with neither a key nor a trigger, no ask is this message's own.
    /// </summary>
    private FactMarks Mark(CustomerProfile customer, Channel channel, DateTimeOffset at, long recent, string? key, string? trigger, string? messageId, string? keyTag, out Entry? own)
    {
        own = null;
        var mayOwn = (key ?? trigger) is not null;
        ulong answered = 0, asked = 0;
        foreach (var (name, fact) in customer.Facts.Walk())
        {
            if (name.StartsWith(FactNames.AnswerPrefix, StringComparison.Ordinal))
            {
                if (_byAnswerFact.TryGetValue(name, out var answeredEntry) && answeredEntry.Rank < 64)
                {
                    answered |= 1UL << answeredEntry.Rank;
                }
            }
            else if (name.StartsWith(AskedPrefix, StringComparison.Ordinal) && _byAskedFact.TryGetValue(name, out var entry) && fact.At.UtcTicks > recent)
            {
                if (entry.Rank < 64)
                {
                    asked |= 1UL << entry.Rank;
                }

                if (mayOwn)
                {
                    ConsiderOwn(entry, fact, customer, channel, at, ref key, trigger, messageId, keyTag, ref own);
                }
            }
        }

        return new FactMarks(answered, asked);
    }

    private static void ConsiderOwn(Entry entry, Fact fact, CustomerProfile customer, Channel channel, DateTimeOffset at, ref string? key, string? trigger, string? messageId, string? keyTag, ref Entry? best)
    {
        if (fact.EventId is not { } eventId
            || (key is null && Math.Abs(fact.At.UtcTicks - at.UtcTicks) >= TimeSpan.TicksPerSecond)
            || (best is not null && best.Rank < entry.Rank))
        {
            return;
        }

        // The asked fact holds the key of the message that asked, in the format that message was made in (a run resumed
        // across an upgrade keeps format 1, ADR 0075): a key not given, or given in the other format (another prefix), is
        // made here in the fact's format. A page-tagged key (ADR 0077) takes the tag from the message's request (a resumed
        // run's page recorded it); a render without one (a pending message handed over again) checks the fact's own tag.
        if (key is null || !key.AsSpan(0, Math.Min(key.Length, IdempotencyKey.Prefix.Length)).SequenceEqual(eventId.AsSpan(0, Math.Min(eventId.Length, IdempotencyKey.Prefix.Length))))
        {
            if (trigger is null || messageId is null || IdempotencyKey.FormatOf(eventId) is not { } format)
            {
                return;
            }

            key = IdempotencyKey.Create(trigger, customer.Id, messageId, at, format, keyTag ?? IdempotencyKey.TagOf(eventId));
        }

        if (string.Equals(eventId, key, StringComparison.Ordinal) && entry.Question.Fits(channel) && IsOpen(entry, customer, at))
        {
            best = entry;
        }
    }

    /// <summary>Whether a question may still be asked of the customer: their stage fits, and they have not answered it (a topic question: nor chosen the topic either way).</summary>
    private static bool IsOpen(Entry entry, CustomerProfile customer, DateTimeOffset at)
        => FitsStage(entry, 1 << (int)customer.Stage)
            && !TopicChosen(entry, customer, at)
            && (customer.Facts.Count == 0 || !customer.Facts.ContainsKey(entry.AnswerFact));

    /// <summary>Whether the question is asked at the customer's stage (<paramref name="stage"/>: the stage's bit).</summary>
    private static bool FitsStage(Entry entry, int stage) => entry.Stages == 0 || (entry.Stages & stage) != 0;

    /// <summary>Whether the customer already chose the question's topic (subscribed or unsubscribed, anywhere): the topic question is answered.</summary>
    private static bool TopicChosen(Entry entry, CustomerProfile customer, DateTimeOffset at)
        => entry.Topic is { } topic && customer.Consents.GetState(topic, at).Status != Consent.ConsentStatus.None;

    /// <summary>The options a question offers: its own, or yes and no for a topic question without any.</summary>
    /// <param name="question">The question.</param>
    /// <returns>The options.</returns>
    public static IReadOnlyList<QuestionOption> OptionsOf(Question question)
    {
        ArgumentNullException.ThrowIfNull(question);
        return question.Options.Count == 0 && question.Fills.Kind == QuestionFillKind.Topic ? YesNo : question.Options;
    }

    /// <summary>Reads <c>HH:mm-HH:mm</c> (quiet hours).</summary>
    internal static bool TryParseWindow(string? text, out TimeWindow window)
    {
        window = default;
        var dash = text?.IndexOf('-', StringComparison.Ordinal) ?? -1;
        if (dash <= 0
            || !TimeWindow.TryParseTimeOfDay(text![..dash].Trim(), out var start)
            || !TimeWindow.TryParseTimeOfDay(text[(dash + 1)..].Trim(), out var end, allowEndOfDay: true)
            || start == end)
        {
            return false;
        }

        window = new TimeWindow(start, end);
        return true;
    }

    /// <summary>Reads a frequency answer: <c>daily</c>, <c>weekly</c> or <c>monthly</c>.</summary>
    internal static bool TryParseFrequency(string? text, out CapPeriod period)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "daily":
                period = CapPeriod.Day;
                return true;
            case "weekly":
                period = CapPeriod.Week;
                return true;
            case "monthly":
                period = CapPeriod.Month;
                return true;
            default:
                period = default;
                return false;
        }
    }

    internal static QuestionBank Normalized(List<Question> questions, TimeSpan askAgainAfter) => new(questions, askAgainAfter);

    /// <summary>Every problem of a list of questions, with paths under <paramref name="root"/> (<c>$.questions[i]</c>).</summary>
    internal static List<QuestionBankError> Validate(IReadOnlyList<Question> questions, TimeSpan askAgainAfter, string root)
    {
        var errors = new List<QuestionBankError>();
        if (askAgainAfter < TimeSpan.FromDays(1) || askAgainAfter > TimeSpan.FromDays(731))
        {
            errors.Add(new(root + ".askAgainAfter", QuestionBankCodes.InvalidDuration, $"is {askAgainAfter}; use 1 day to 2 years (for example 30d)"));
        }

        if (questions.Count > MaxQuestions)
        {
            errors.Add(new(root + ".questions", QuestionBankCodes.TooMany, $"has {questions.Count} questions; at most {MaxQuestions} are allowed"));
            return errors;
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < questions.Count; i++)
        {
            var path = $"{root}.questions[{i}]";
            var q = questions[i];
            if (q is null)
            {
                errors.Add(new(path, QuestionBankCodes.Missing, "is null; expected a question"));
                continue;
            }

            if (string.IsNullOrEmpty(q.Id) || !Consent.ConsentScope.TryNormalizeTopic(q.Id, out var id) || id != q.Id)
            {
                errors.Add(new(path + ".id", QuestionBankCodes.InvalidId, $"\"{q.Id}\" is not an id; use lower-case letters, digits, '_', '-' or '.' (it names the fact answer.ID)"));
            }
            else if (!ids.Add(q.Id))
            {
                errors.Add(new(path + ".id", QuestionBankCodes.Duplicate, $"question \"{q.Id}\" is defined twice; give each question its own id"));
            }

            if (string.IsNullOrWhiteSpace(q.Text))
            {
                errors.Add(new(path + ".text", QuestionBankCodes.Missing, "is required: the question as the customer reads it"));
            }
            else if (q.Text.Length > MaxTextLength)
            {
                errors.Add(new(path + ".text", QuestionBankCodes.TooLong, $"has {q.Text.Length} characters; at most {MaxTextLength} (one short question)"));
            }

            if (string.IsNullOrWhiteSpace(q.WordingVersion))
            {
                errors.Add(new(path + ".wordingVersion", QuestionBankCodes.Missing, "is required: the version of the wording shown, recorded with every answer as consent evidence"));
            }

            if (q.Fills is null)
            {
                errors.Add(new(path + ".fills", QuestionBankCodes.InvalidFill, "is required: topic:NAME, preferred_channel, frequency, quiet_hours or attribute:NAME"));
            }

            if (q.Channels is null || q.Channels.Count == 0 || q.Channels.Any(static c => c.IsDefault))
            {
                errors.Add(new(path + ".channels", QuestionBankCodes.InvalidChannel, "names no channel; list the channels the question fits, for example [\"email\", \"sms\"]"));
            }

            if (!double.IsFinite(q.Priority) || q.Priority <= 0)
            {
                errors.Add(new(path + ".priority", QuestionBankCodes.InvalidPriority, $"is {q.Priority}; use a positive number (higher is asked first)"));
            }

            if (q.Stages is null || q.Stages.Any(static s => !Enum.IsDefined(s)))
            {
                errors.Add(new(path + ".stages", QuestionBankCodes.InvalidStage, "has a stage that is not exposure, adoption or retention"));
            }

            if (q.Fills is not null && q.Options is not null)
            {
                ValidateOptions(q, path, errors);
            }

            if (q.Fills is not null && q.Options is not null)
            {
                ValidateTranslations(q, path, errors);
            }
        }

        return errors;
    }

    private static void ValidateOptions(Question q, string path, List<QuestionBankError> errors)
    {
        if (q.Options.Count > MaxOptions)
        {
            errors.Add(new(path + ".options", QuestionBankCodes.TooMany, $"has {q.Options.Count} options; at most {MaxOptions}"));
            return;
        }

        var needsOptions = q.Fills.Kind is QuestionFillKind.PreferredChannel or QuestionFillKind.Frequency or QuestionFillKind.QuietHours
            || (q.Fills.Kind == QuestionFillKind.Attribute && q.Channels is not null && q.Channels.Contains(Channel.Sms));
        if (needsOptions && q.Options.Count == 0)
        {
            errors.Add(new(path + ".options", QuestionBankCodes.Missing, q.Fills.Kind == QuestionFillKind.Attribute
                ? "are required for an SMS question: the customer answers with a reply keyword"
                : $"are required: the answers to choose from for {q.Fills}"));
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var o = 0; o < q.Options.Count; o++)
        {
            var optionPath = $"{path}.options[{o}]";
            var option = q.Options[o];
            if (option is null || string.IsNullOrEmpty(option.Value))
            {
                errors.Add(new(optionPath + ".value", QuestionBankCodes.Missing, "is required"));
                continue;
            }

            if (option.Value.Length > MaxOptionLength || option.Value.Any(static c => c is <= ' ' or > '~'))
            {
                errors.Add(new(optionPath + ".value", QuestionBankCodes.InvalidOption, $"\"{option.Value}\" must be 1 to {MaxOptionLength} printable ASCII characters without spaces (it travels in the signed link)"));
            }
            else if (!FitsFill(q.Fills, option.Value))
            {
                errors.Add(new(optionPath + ".value", QuestionBankCodes.InvalidOption, q.Fills.Kind switch
                {
                    QuestionFillKind.Topic => $"\"{option.Value}\" is not yes or no (a topic question records an interest)",
                    QuestionFillKind.PreferredChannel => $"\"{option.Value}\" is not a channel name",
                    QuestionFillKind.Frequency => $"\"{option.Value}\" is not daily, weekly or monthly",
                    _ => $"\"{option.Value}\" is not quiet hours HH:mm-HH:mm (for example 21:00-08:00)",
                }));
            }

            if (string.IsNullOrWhiteSpace(option.Label) || option.Label.Length > MaxOptionLength)
            {
                errors.Add(new(optionPath + ".label", option.Label is null || option.Label.Trim().Length == 0 ? QuestionBankCodes.Missing : QuestionBankCodes.TooLong, $"is required, 1 to {MaxOptionLength} characters: what the customer reads"));
            }

            if (option.Keyword is { } keyword && (keyword.Length is 0 or > 20 || !keyword.All(char.IsAsciiLetterOrDigit)))
            {
                errors.Add(new(optionPath + ".keyword", QuestionBankCodes.InvalidOption, $"\"{keyword}\" is not an SMS keyword; use 1 to 20 letters or digits"));
            }

            if (!seen.Add(option.Value) || (option.Keyword is { } k && !string.Equals(k, option.Value, StringComparison.OrdinalIgnoreCase) && !seen.Add(k)))
            {
                errors.Add(new(optionPath, QuestionBankCodes.Duplicate, "repeats the value or keyword of an earlier option"));
            }
        }
    }

    private static void ValidateTranslations(Question q, string path, List<QuestionBankError> errors)
    {
        if (q.Translations is null)
        {
            errors.Add(new(path + ".translations", QuestionBankCodes.Missing, "is null; leave it out or give an object of languages"));
            return;
        }

        if (q.Translations.Count > MaxTranslations)
        {
            errors.Add(new(path + ".translations", QuestionBankCodes.TooMany, $"has {q.Translations.Count} languages; at most {MaxTranslations}"));
            return;
        }

        var options = OptionsOf(q);
        foreach (var (code, translation) in q.Translations)
        {
            var translationPath = $"{path}.translations.{code}";
            if (!IsLanguageCode(code))
            {
                errors.Add(new(translationPath, QuestionBankCodes.InvalidLanguage, $"\"{code}\" is not a language code; use for example de or de-AT (customers' language is matched exactly, then by its neutral language)"));
            }

            if (translation is null)
            {
                errors.Add(new(translationPath, QuestionBankCodes.Missing, "is null; expected { \"text\": \"…\" }"));
                continue;
            }

            if (string.IsNullOrWhiteSpace(translation.Text))
            {
                errors.Add(new(translationPath + ".text", QuestionBankCodes.Missing, "is required: the question as the customer reads it in this language"));
            }
            else if (translation.Text.Length > MaxTextLength)
            {
                errors.Add(new(translationPath + ".text", QuestionBankCodes.TooLong, $"has {translation.Text.Length} characters; at most {MaxTextLength} (one short question)"));
            }

            foreach (var (value, label) in translation.Labels ?? new Dictionary<string, string>())
            {
                var labelPath = $"{translationPath}.labels.{value}";
                if (!options.Any(o => string.Equals(o.Value, value, StringComparison.OrdinalIgnoreCase)))
                {
                    errors.Add(new(labelPath, QuestionBankCodes.InvalidOption, $"\"{value}\" is not one of the question's answers ({string.Join(", ", options.Select(static o => o.Value))}); a label translates an answer's value"));
                }
                else if (string.IsNullOrWhiteSpace(label) || label.Length > MaxOptionLength)
                {
                    errors.Add(new(labelPath, string.IsNullOrWhiteSpace(label) ? QuestionBankCodes.Missing : QuestionBankCodes.TooLong, $"is required, 1 to {MaxOptionLength} characters: what the customer reads"));
                }
            }

            ValidateKeywords(translation, translationPath, options, errors);
        }
    }

    // A translated keyword is a word of the language (letters of any script, digits) and answers one option only: it may
    // not be another option's value or keyword, nor the keyword another option has in the same language.
    private static void ValidateKeywords(QuestionTranslation translation, string translationPath, IReadOnlyList<QuestionOption> options, List<QuestionBankError> errors)
    {
        if (translation.Keywords is null)
        {
            errors.Add(new(translationPath + ".keywords", QuestionBankCodes.Missing, "is null; leave it out or give an object of keywords by answer value"));
            return;
        }

        var taken = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var o in options)
        {
            taken.TryAdd(o.Value, o.Value);
            if (o.Keyword is { } own)
            {
                taken.TryAdd(own, o.Value);
            }
        }

        foreach (var (value, keyword) in translation.Keywords)
        {
            var keywordPath = $"{translationPath}.keywords.{value}";
            if (!options.Any(o => string.Equals(o.Value, value, StringComparison.OrdinalIgnoreCase)))
            {
                errors.Add(new(keywordPath, QuestionBankCodes.InvalidOption, $"\"{value}\" is not one of the question's answers ({string.Join(", ", options.Select(static o => o.Value))}); a keyword translates an answer's SMS reply"));
            }
            else if (string.IsNullOrEmpty(keyword) || keyword.Length > 20 || !keyword.All(char.IsLetterOrDigit))
            {
                errors.Add(new(keywordPath, string.IsNullOrEmpty(keyword) ? QuestionBankCodes.Missing : QuestionBankCodes.InvalidOption, $"\"{keyword}\" is not an SMS keyword; use 1 to 20 letters or digits (of any script: JA, ДА)"));
            }
            else if (taken.TryGetValue(keyword, out var owner) && !string.Equals(owner, value, StringComparison.OrdinalIgnoreCase))
            {
                errors.Add(new(keywordPath, QuestionBankCodes.Duplicate, $"\"{keyword}\" already answers \"{owner}\"; a reply keyword answers one option only"));
            }
            else
            {
                taken[keyword] = value;
            }
        }
    }

    // A BCP 47-like code: a 2-3 letter language, then subtags of 1-8 letters or digits (de, de-AT, zh-Hant-TW).
    private static bool IsLanguageCode(string code)
    {
        var parts = code.Split('-');
        if (parts[0].Length is < 2 or > 3 || !parts[0].All(char.IsAsciiLetter))
        {
            return false;
        }

        return parts.Skip(1).All(static p => p.Length is >= 1 and <= 8 && p.All(char.IsAsciiLetterOrDigit));
    }

    private static bool FitsFill(QuestionFill fill, string value) => fill.Kind switch
    {
        QuestionFillKind.Topic => value is "yes" or "no",
        QuestionFillKind.PreferredChannel => Channel.TryParse(value, out _),
        QuestionFillKind.Frequency => TryParseFrequency(value, out _),
        QuestionFillKind.QuietHours => TryParseWindow(value, out _),
        _ => true,
    };

    /// <summary>What one walk over a customer's facts found: a bit per question rank below 64; the questions ranked lower are looked up.</summary>
    private readonly struct FactMarks(ulong answered, ulong askedLately)
    {
        public bool Answered(Entry entry, CustomerFacts facts)
            => entry.Rank < 64 ? (answered & (1UL << entry.Rank)) != 0 : facts.ContainsKey(entry.AnswerFact);

        public bool AskedSince(Entry entry, CustomerFacts facts, long recent)
            => entry.Rank < 64 ? (askedLately & (1UL << entry.Rank)) != 0 : facts.TryGetValue(entry.AskedFact, out var asked) && asked.At.UtcTicks > recent;
    }

    /// <summary>A question as choosing and rendering read it: its fact names, stages and topic, its rank, and its answers' texts in each language, made once per bank.</summary>
    internal sealed class Entry
    {
        private readonly Dictionary<QuestionTranslation, AnswerText[]>? _translated;

        public Entry(Question question, int order)
        {
            Question = question;
            Order = order;
            AnswerFact = FactNames.AnswerPrefix + question.Id;
            AskedFact = AskedPrefix + question.Id;
            Topic = question.Fills.Kind == QuestionFillKind.Topic ? Consent.ConsentScope.ForTopic(question.Fills.Name!) : null;
            foreach (var stage in question.Stages)
            {
                Stages |= 1 << (int)stage;
            }

            Answers = AnswersIn(null);
            if (question.Translations.Count > 0)
            {
                _translated = new Dictionary<QuestionTranslation, AnswerText[]>(ReferenceEqualityComparer.Instance);
                foreach (var translation in question.Translations.Values)
                {
                    _translated.TryAdd(translation, AnswersIn(translation));
                }
            }
        }

        public Question Question { get; }

        public int Order { get; }

        /// <summary>Gets the place in the bank's best-first order (priority, then the bank's order).</summary>
        public int Rank { get; set; }

        public string AnswerFact { get; }

        public string AskedFact { get; }

        public int Stages { get; }

        public Consent.ConsentScope? Topic { get; }

        /// <summary>Gets the answers in the question's own language.</summary>
        public AnswerText[] Answers { get; }

        /// <summary>The question's text in a language (<see cref="Question.TextFor"/>).</summary>
        public string TextFor(string? language) => _translated is null ? Question.Text : Question.TextFor(language);

        /// <summary>The answers in a language: value, label (<see cref="Question.LabelFor"/>) and upper-case keyword (<see cref="Question.KeywordFor"/>); a question answered in a text field has one, without a value.</summary>
        public AnswerText[] AnswersFor(string? language)
            => _translated is not null && Question.TranslationFor(language) is { } translation && _translated.TryGetValue(translation, out var answers) ? answers : Answers;

        private AnswerText[] AnswersIn(QuestionTranslation? translation)
        {
            var options = OptionsOf(Question);
            if (options.Count == 0)
            {
                return [new AnswerText(null, translation?.Text ?? Question.Text, null)];
            }

            var answers = new AnswerText[options.Count];
            for (var i = 0; i < answers.Length; i++)
            {
                var option = options[i];
                answers[i] = new AnswerText(option.Value, Question.LabelIn(option, translation), Question.KeywordIn(option, translation).ToUpperInvariant());
            }

            return answers;
        }
    }

    /// <summary>One answer as a template shows it: the value, the label and the SMS reply keyword (upper case).</summary>
    internal sealed record AnswerText(string? Value, string Label, string? Keyword);
}
