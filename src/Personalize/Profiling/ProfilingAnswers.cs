using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Personalize.Channels;
using Personalize.Consent;
using Personalize.Customers;
using Personalize.Events;
using Personalize.Storage;

namespace Personalize.Profiling;

/// <summary>
/// Records answers to progressive-profiling questions — from the answer page of <c>Personalize.AspNetCore</c>, an SMS
/// keyword reply, or the host's own API — in the store: the profile changes the answer means (a topic subscription, the
/// preferred channel first, a frequency cap, quiet hours), the consent evidence with the question's wording and wording
/// version, and a <c>preference_answered</c> event whose fact <c>answer.ID</c> marks the question answered, so it is
/// never asked again. The decision engine reads the stored profile, so the next decision already uses the answer.
/// Each step is written so that doing it again changes nothing: a crash between them is repaired by answering again.
/// Thread-safe.
/// </summary>
public sealed class ProfilingAnswers
{
    /// <summary>The event type of an answer (the default fact mappings keep it as <c>answer.QUESTION</c>).</summary>
    public const string AnswerEventType = "preference_answered";

    /// <summary>The longest attribute answer (characters).</summary>
    public const int MaxAnswerLength = 200;

    private const int MaxAttempts = 3;
    private readonly IPersonalizeStore _store;
    private readonly TimeProvider _timeProvider;
    private readonly EventIngestor _events;

    /// <summary>Creates the service.</summary>
    /// <param name="bank">The questions.</param>
    /// <param name="store">The store.</param>
    /// <param name="timeProvider">The clock (answers without an instant happen now).</param>
    /// <param name="events">The event options (fact mappings) answers are ingested with; <see langword="null"/> for the defaults.</param>
    public ProfilingAnswers(QuestionBank bank, IPersonalizeStore store, TimeProvider timeProvider, EventOptions? events = null)
    {
        ArgumentNullException.ThrowIfNull(bank);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(timeProvider);
        Bank = bank;
        _store = store;
        _timeProvider = timeProvider;
        _events = new EventIngestor(events, timeProvider, 1000, recordsAnswers: true);
    }

    /// <summary>Gets the questions.</summary>
    public QuestionBank Bank { get; }

    /// <summary>Records an answer.</summary>
    /// <param name="answer">The answer.</param>
    /// <param name="cancellationToken">Stops the work.</param>
    /// <returns>What became of it.</returns>
    public async ValueTask<AnswerResult> AnswerAsync(ProfilingAnswer answer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(answer);
        if (!Bank.TryGet(answer.QuestionId, out var question))
        {
            return new AnswerResult(ProfilingCodes.UnknownQuestion, $"The question bank has no question \"{answer.QuestionId}\".");
        }

        if (Normalize(question, answer.Answer) is not { } value)
        {
            var options = QuestionBank.OptionsOf(question);
            return new AnswerResult(ProfilingCodes.InvalidAnswer, options.Count > 0
                ? $"\"{answer.Answer}\" is not an answer to \"{question.Id}\"; answer one of {string.Join(", ", options.Select(static o => o.Value))}."
                : $"The answer to \"{question.Id}\" must be 1 to {MaxAnswerLength} characters.", question);
        }

        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var stored = await _store.GetCustomerAsync(answer.CustomerId, cancellationToken).ConfigureAwait(false);
            if (stored is null)
            {
                return new AnswerResult(ProfilingCodes.CustomerNotFound, $"The store has no customer \"{answer.CustomerId}\".", question, value);
            }

            var profile = stored.Profile;
            if (profile.Facts.TryGetValue(FactNames.AnswerPrefix + question.Id, out var before))
            {
                return new AnswerResult(ProfilingCodes.AlreadyAnswered, $"\"{question.Id}\" was answered on {Fact.Format(before.At)}; it is not asked again.", question, before.Value as string);
            }

            var at = answer.At ?? _timeProvider.GetUtcNow();
            var version = stored.Version;

            // 1. Consent evidence: a topic interest is a subscription, with the question's wording and its version.
            if (question.Fills.Kind == QuestionFillKind.Topic && value == "yes"
                && !profile.Consents.GetState(ConsentScope.ForTopic(question.Fills.Name!), at).IsGranted)
            {
                var record = new ConsentRecord
                {
                    Scope = ConsentScope.ForTopic(question.Fills.Name!),
                    Action = ConsentAction.Grant,
                    RecordedAt = at,
                    Source = answer.Source,
                    Wording = question.TextFor(profile.Language),
                    WordingVersion = question.WordingVersion,
                    MethodEvidence = answer.MethodEvidence,
                };
                var appended = await _store.AppendConsentAsync(stored.Id, [record], version, cancellationToken).ConfigureAwait(false);
                if (appended.Status == WriteStatus.Conflict)
                {
                    continue;
                }

                if (!appended.Succeeded)
                {
                    return new AnswerResult(ProfilingCodes.CustomerNotFound, $"The store has no customer \"{answer.CustomerId}\".", question, value);
                }

                version = appended.Version;
            }

            // 2. The preference the answer sets.
            var preferences = Apply(question, value, profile.Preferences);
            if (!ReferenceEquals(preferences, profile.Preferences))
            {
                var saved = await _store.SaveProfileAsync(profile with { Preferences = preferences }, version, cancellationToken).ConfigureAwait(false);
                if (saved.Status == WriteStatus.Conflict)
                {
                    continue;
                }

                if (!saved.Succeeded)
                {
                    return new AnswerResult(ProfilingCodes.CustomerNotFound, $"The store has no customer \"{answer.CustomerId}\".", question, value);
                }
            }

            // 3. The answer itself, as an event: its fact answer.ID marks the question answered; the event keeps the wording shown.
            var summary = await _events.IngestAsync(One(Event(answer, question, value, at, profile.Language)), _store, _timeProvider.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            if (summary.Applied > 0 || summary.Duplicates > 0)
            {
                return new AnswerResult(ProfilingCodes.Recorded, $"\"{question.Id}\" answered \"{value}\" on {Fact.Format(at)}.", question, value);
            }

            if (summary.Rejected.Count > 0 && summary.Rejected[0].Code != "store.conflict")
            {
                return new AnswerResult(summary.Rejected[0].Code, summary.Rejected[0].Message, question, value);
            }
        }

        return new AnswerResult(ProfilingCodes.Conflict, $"Customer \"{answer.CustomerId}\" was written to by someone else {MaxAttempts} times while the answer was recorded; answer again.", question, value);
    }

    /// <summary>
    /// Records a <c>preference_answered</c> event: data <c>question</c> and <c>answer</c>, or — for an SMS keyword reply —
    /// <c>text</c> (the reply's body, matched with <see cref="TryMatchReply"/>), and optionally <c>channel</c>.
    /// The event's id and instant are the answer's.
    /// </summary>
    /// <param name="event">The event.</param>
    /// <param name="cancellationToken">Stops the work.</param>
    /// <returns>What became of it.</returns>
    public async ValueTask<AnswerResult> AnswerEventAsync(CustomerEvent @event, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(@event);
        var channel = @event.Text("channel");
        var questionId = @event.Text("question");
        var text = @event.Text("answer");
        if (questionId is null && @event.Text("text") is { } reply)
        {
            var stored = await _store.GetCustomerAsync(@event.CustomerId, cancellationToken).ConfigureAwait(false);
            if (stored is null)
            {
                return new AnswerResult(ProfilingCodes.CustomerNotFound, $"The store has no customer \"{@event.CustomerId}\".");
            }

            if (!TryMatchReply(stored.Profile, Channel.TryParse(channel, out var replyChannel) ? replyChannel : Channel.Sms, reply, out var question, out var option))
            {
                return new AnswerResult(ProfilingCodes.NoQuestionAsked, $"The reply \"{Shorten(reply)}\" of event '{@event.Id}' answers no question asked by {channel ?? "sms"} and not answered.");
            }

            questionId = question.Id;
            text = option.Value;
            channel ??= "sms";
        }

        return await AnswerAsync(
            new ProfilingAnswer
            {
                CustomerId = @event.CustomerId,
                QuestionId = questionId ?? string.Empty,
                Answer = text ?? string.Empty,
                Channel = channel,
                EventId = @event.Id,
                At = @event.OccurredAt,
                Source = ConsentSource.FromChannel($"{channel ?? "reply"} reply (event {@event.Id})"),
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Matches a reply (an SMS body such as <c>GARDEN</c>) with the questions asked on a channel and not answered, the
    /// latest ask first: the first option whose keyword (or value) is the reply's first word — the keyword of the
    /// customer's language (<see cref="QuestionTranslation.Keywords"/>) or the option's own.
    /// </summary>
    /// <param name="customer">The customer.</param>
    /// <param name="channel">The channel the reply came on.</param>
    /// <param name="reply">The reply's text.</param>
    /// <param name="question">The question answered.</param>
    /// <param name="option">The option chosen.</param>
    /// <returns>Whether the reply answers a question.</returns>
    public bool TryMatchReply(CustomerProfile customer, Channel channel, string reply, [NotNullWhen(true)] out Question? question, [NotNullWhen(true)] out QuestionOption? option)
    {
        ArgumentNullException.ThrowIfNull(customer);
        ArgumentNullException.ThrowIfNull(reply);
        question = null;
        option = null;
        var word = reply.Trim().Split((char[]?)null, 2, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        if (word is null)
        {
            return false;
        }

        var asked = Bank.Questions
            .Where(q => q.Fits(channel) && !QuestionBank.IsAnswered(customer, q.Id) && customer.Facts.ContainsKey(QuestionBank.AskedPrefix + q.Id))
            .OrderByDescending(q => customer.Facts[QuestionBank.AskedPrefix + q.Id].At);
        foreach (var candidate in asked)
        {
            foreach (var o in QuestionBank.OptionsOf(candidate))
            {
                if (string.Equals(o.Keyword ?? o.Value, word, StringComparison.OrdinalIgnoreCase)
                    || string.Equals(candidate.KeywordFor(o, customer.Language), word, StringComparison.OrdinalIgnoreCase))
                {
                    question = candidate;
                    option = o;
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>The answer as recorded: an option's value (matched by value or keyword, without case), or an attribute's trimmed text.</summary>
    internal static string? Normalize(Question question, string? answer)
    {
        var options = QuestionBank.OptionsOf(question);
        if (options.Count > 0)
        {
            foreach (var o in options)
            {
                if (string.Equals(o.Value, answer?.Trim(), StringComparison.OrdinalIgnoreCase) || (o.Keyword is { } k && string.Equals(k, answer?.Trim(), StringComparison.OrdinalIgnoreCase)))
                {
                    return o.Value;
                }
            }

            return null;
        }

        var text = answer?.Trim();
        return string.IsNullOrEmpty(text) || text.Length > MaxAnswerLength || text.Any(char.IsControl) ? null : text;
    }

    /// <summary>The preferences with the answer applied; the same instance when it changes none.</summary>
    internal static ContactPreferences Apply(Question question, string value, ContactPreferences current)
    {
        switch (question.Fills.Kind)
        {
            case QuestionFillKind.PreferredChannel when Channel.TryParse(value, out var channel):
                if (current.ChannelRanking.Count > 0 && current.ChannelRanking[0] == channel)
                {
                    return current;
                }

                return current with { ChannelRanking = [channel, .. current.ChannelRanking.Where(c => c != channel)] };
            case QuestionFillKind.Frequency when QuestionBank.TryParseFrequency(value, out var period):
                var cap = new FrequencyCap { Max = 1, Period = period };
                if (current.FrequencyCaps.Count(static c => c.Channel is null) == 1 && current.FrequencyCaps.Contains(cap))
                {
                    return current;
                }

                return current with { FrequencyCaps = [.. current.FrequencyCaps.Where(static c => c.Channel is not null), cap] };
            case QuestionFillKind.QuietHours when QuestionBank.TryParseWindow(value, out var window):
                return current.QuietHours == window ? current : current with { QuietHours = window };
            default:
                return current;
        }
    }

    private static CustomerEvent Event(ProfilingAnswer answer, Question question, string value, DateTimeOffset at, string? language)
    {
        var data = new Dictionary<string, string?>
        {
            ["question"] = question.Id,
            ["answer"] = value,
            ["fills"] = question.Fills.ToString(),
            ["wording"] = question.TextFor(language),
            ["wording_version"] = question.WordingVersion,
            ["source"] = answer.Source.Detail ?? answer.Source.Kind.ToString().ToLowerInvariant(),
        };
        if (answer.Channel is not null)
        {
            data["channel"] = answer.Channel;
        }

        if (answer.MethodEvidence is not null)
        {
            data["method_evidence"] = answer.MethodEvidence;
        }

        return new CustomerEvent
        {
            Id = answer.EventId ?? $"answer:{question.Id}:{answer.CustomerId}",
            Type = AnswerEventType,
            CustomerId = answer.CustomerId,
            OccurredAt = at,
            Data = ToJson(data),
        };
    }

    private static JsonElement ToJson(Dictionary<string, string?> data)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (name, value) in data)
            {
                writer.WriteString(name, value);
            }

            writer.WriteEndObject();
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";

#pragma warning disable CS1998 // An async iterator of one item.
    private static async IAsyncEnumerable<CustomerEvent> One(CustomerEvent e)
    {
        yield return e;
    }
#pragma warning restore CS1998
}
