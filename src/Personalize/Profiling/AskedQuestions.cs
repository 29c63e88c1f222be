using Personalize.Customers;
using Personalize.Delivery;
using Personalize.Events;

namespace Personalize.Profiling;

/// <summary>
/// Remembers which question a message carried: the fact <c>asked.QUESTION</c> counts the asks and is set at the last
/// one with that message's idempotency key, written with the message in the send's transaction (so a crash keeps both
/// or neither, and a message rendered again finds its own ask).
/// </summary>
internal static class AskedQuestions
{
    // The counts most asks write, boxed once: a fact's value is an object, and a send that records its question's ask
    // makes one fact per message (the first ask of a question is 1).
    private static readonly object[] SmallCounts = [.. Enumerable.Range(0, 16).Select(static n => (object)(long)n)];

    /// <summary>The customer as the next message of the same pass must see them: with the ask this message made.</summary>
    public static CustomerProfile Remember(CustomerProfile profile, OutgoingMessage message)
        => message.QuestionId is null ? profile : profile with { Facts = Add(profile.Facts, null, message) ?? profile.Facts };

    /// <summary>
    /// <paramref name="facts"/> (<paramref name="current"/> when still <see langword="null"/>) with <paramref name="message"/>'s ask;
    /// <paramref name="facts"/> itself when the message carries no question (so a caller folds a customer's messages without
    /// an enumerator: <see langword="null"/> at the end means none carried one).
    /// </summary>
    public static CustomerFacts? Add(CustomerFacts current, CustomerFacts? facts, OutgoingMessage message)
    {
        if (message.QuestionId is not { } question)
        {
            return facts;
        }

        var set = facts ?? current;
        var name = message.AskedFact ?? QuestionBank.AskedPrefix + question;
        set.TryGetValue(name, out var asked);
        if (asked is not null && string.Equals(asked.EventId, message.IdempotencyKey, StringComparison.Ordinal))
        {
            return set;
        }

        return set.With(name, Asked(message, (long)(asked?.Number ?? 0)));
    }

    /// <summary>
    /// Whether the facts <paramref name="message"/>'s ask writes over <paramref name="current"/> are that ask alone — the
    /// customer has no facts, or only an earlier message's ask of the same question — so that the write can make them
    /// from the count before (<paramref name="before"/>, see <see cref="Alone"/>) instead of a set held until it is written.
    /// </summary>
    public static bool IsAlone(CustomerFacts current, OutgoingMessage message, out long before)
    {
        before = 0;
        if (message.QuestionId is not { } question || current.Count > 1)
        {
            return false;
        }

        if (current.Count == 0)
        {
            return true;
        }

        if (!current.TryGetValue(message.AskedFact ?? QuestionBank.AskedPrefix + question, out var asked) || string.Equals(asked.EventId, message.IdempotencyKey, StringComparison.Ordinal))
        {
            return false;
        }

        before = (long)asked.Number;
        return true;
    }

    /// <summary>The facts <see cref="Add"/> makes for a customer <see cref="IsAlone"/> answered for: <paramref name="message"/>'s ask, counted after <paramref name="before"/>.</summary>
    public static CustomerFacts Alone(OutgoingMessage message, long before)
        => CustomerFacts.Empty.With(message.AskedFact ?? QuestionBank.AskedPrefix + message.QuestionId, Asked(message, before));

    private static Fact Asked(OutgoingMessage message, long before)
    {
        var count = before + 1;
        return new Fact((ulong)count < (ulong)SmallCounts.Length ? SmallCounts[count] : count, message.SendAt, message.IdempotencyKey);
    }
}
