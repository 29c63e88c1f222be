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
    /// <summary>The customer as the next message of the same pass must see them: with the ask this message made.</summary>
    public static CustomerProfile Remember(CustomerProfile profile, OutgoingMessage message)
        => message.QuestionId is null ? profile : profile with { Facts = Apply(profile.Facts, [message]) ?? profile.Facts };

    /// <summary>The facts to write with <paramref name="messages"/>: <paramref name="current"/> with their asks, or <see langword="null"/> when none carries a question.</summary>
    public static CustomerFacts? Apply(CustomerFacts current, IEnumerable<OutgoingMessage> messages)
    {
        CustomerFacts? facts = null;
        foreach (var message in messages)
        {
            if (message.QuestionId is not { } question)
            {
                continue;
            }

            var name = QuestionBank.AskedPrefix + question;
            (facts ?? current).TryGetValue(name, out var asked);
            if (asked is null || !string.Equals(asked.EventId, message.IdempotencyKey, StringComparison.Ordinal))
            {
                facts = (facts ?? current).With(name, new Fact((long)(asked?.Number ?? 0) + 1, message.SendAt, message.IdempotencyKey));
            }
            else
            {
                facts ??= current;
            }
        }

        return facts;
    }
}
