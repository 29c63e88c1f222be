using Personalize.Eligibility;

namespace Personalize.Decisions;

/// <summary>
/// A candidate's channel tries that found no usable contact point (blocked before any rule ran, with the consent rule's
/// code <c>contact_point.missing</c> or <c>contact_point.invalid</c> at the decision instant), kept inside its outcome
/// instead of as channel entries of 40 bytes each: about one try per decision of a batch ends there. Up to four such
/// tries, each one byte — its position among the candidate's tries (0–7), its channel's index in the message's contents
/// plus one (1–15; 0 marks a free slot) and whether the contact point was invalid rather than missing. A try that does
/// not fit (a fifth one, a later position, a later channel) is kept as an entry, as every other try is. Readers merge
/// the two in try order (<see cref="CandidateOutcome.Channels"/>); what they read is the entry the try would have written.
/// </summary>
internal struct ContactlessTries(int first)
{
    private const int Slots = 4;
    private const int MaxPosition = 7;
    private const int MaxContentIndex = 14;
    private const uint InvalidBit = 0x80;

    private readonly int _first = first;
    private int _count;

    /// <summary>The tries kept so far, packed.</summary>
    public uint Kept { get; private set; }

    /// <summary>
    /// Keeps a try at <paramref name="count"/> (the decision's entry count when it was made) when it fits; false when
    /// the caller writes it as an entry instead.
    /// </summary>
    public bool TryAdd(int count, int contentIndex, string code)
    {
        var position = count - _first + _count;
        if (_count == Slots || position > MaxPosition || contentIndex > MaxContentIndex)
        {
            return false;
        }

        var slot = (uint)position | ((uint)(contentIndex + 1) << 3) | (code == EligibilityCodes.ContactPointInvalid ? InvalidBit : 0);
        Kept |= slot << (8 * _count);
        _count++;
        return true;
    }

    /// <summary>How many tries <paramref name="kept"/> holds.</summary>
    public static int Count(uint kept)
    {
        var count = 0;
        for (; count < Slots && (kept >> (8 * count) & 0xFF) != 0; count++)
        {
        }

        return count;
    }

    /// <summary>Whether the try at <paramref name="position"/> is one of <paramref name="kept"/>, and if so its channel and code.</summary>
    public static bool At(uint kept, int position, out int contentIndex, out string code)
    {
        for (var s = 0; s < Slots; s++)
        {
            var slot = kept >> (8 * s) & 0xFF;
            if (slot == 0)
            {
                break;
            }

            if ((slot & 7) == position)
            {
                contentIndex = (int)((slot >> 3) & 0xF) - 1;
                code = (slot & InvalidBit) != 0 ? EligibilityCodes.ContactPointInvalid : EligibilityCodes.ContactPointMissing;
                return true;
            }
        }

        contentIndex = -1;
        code = string.Empty;
        return false;
    }

    /// <summary>The entry of such a try, as the engine writes it when the try is not kept inline.</summary>
    public static ChannelEntry Entry(int contentIndex, string code, DateTimeOffset at)
        => new(contentIndex, ChannelEntry.Outcome.Blocked, new RuleResult(code, null, null, null, instant: at), null, at.UtcTicks);
}
