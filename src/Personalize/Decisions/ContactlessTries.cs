using Personalize.Eligibility;

namespace Personalize.Decisions;

/// <summary>
/// A candidate's channel tries whose whole entry follows from the channel and the decision instant, kept inside its
/// outcome instead of as channel entries of 40 bytes each (the name is the first kind's): a try that found no usable
/// contact point (blocked before any rule ran, <c>contact_point.missing</c> or <c>contact_point.invalid</c>), a try
/// the consent rule blocked with a plain <c>consent.missing</c> (no evidence, judged at the decision instant), and the
/// try allowed now that a candidate chose — together about 2.4 of a batch decision's 3 tries. Up to four such tries,
/// each one byte — its position among the candidate's tries (0–7), its channel's index in the message's contents plus
/// one (1–7; 0 marks a free slot) and its kind (two bits). A try that does not fit (a fifth one, a later position, a
/// later channel) is kept as an entry, as every other try is. Readers merge the two in try order
/// (<see cref="CandidateOutcome.Channels"/>); what they read is the entry the try would have written (<see cref="At"/>).
/// </summary>
internal struct ContactlessTries(int first)
{
    private const int Slots = 4;
    private const int MaxPosition = 7;
    private const int MaxContentIndex = 6;
    private const int KindShift = 6;
    private const uint Missing = 0;
    private const uint Invalid = 1;
    private const uint NoConsent = 2;
    private const uint AllowedNow = 3;

    private readonly int _first = first;
    private int _count;

    /// <summary>The tries kept so far, packed.</summary>
    public uint Kept { get; private set; }

    /// <summary>
    /// Keeps a try without a contact point at <paramref name="count"/> (the decision's entry count when it was made)
    /// when it fits; false when the caller writes it as an entry instead.
    /// </summary>
    public bool TryAdd(int count, int contentIndex, string code)
        => TryAdd(count, contentIndex, code == EligibilityCodes.ContactPointInvalid ? Invalid : Missing);

    /// <summary>
    /// Keeps the try whose entry the engine just wrote at <paramref name="index"/> (the decision's last entry) instead,
    /// when it is one the slot can say — allowed now, or blocked by a plain <c>consent.missing</c> — and it fits; the
    /// caller then drops that entry.
    /// </summary>
    public bool TryKeep(int index, in ChannelEntry entry, long atTicks)
    {
        uint kind;
        if (entry.Kind == ChannelEntry.Outcome.Allowed)
        {
            kind = AllowedNow;
        }
        else if (entry.Kind == ChannelEntry.Outcome.Blocked && ReferenceEquals(entry.ResultCode, EligibilityCodes.ConsentMissing))
        {
            kind = NoConsent;
        }
        else
        {
            return false;
        }

        if (!entry.IsPlain(atTicks))
        {
            return false;
        }

        System.Diagnostics.Debug.Assert(entry.SameAs(Entry(entry.ContentIndex, kind, atTicks)), "a plain entry is the one its slot rebuilds");
        return TryAdd(index, entry.ContentIndex, kind);
    }

    private bool TryAdd(int count, int contentIndex, uint kind)
    {
        var position = count - _first + _count;
        if (_count == Slots || position > MaxPosition || contentIndex > MaxContentIndex)
        {
            return false;
        }

        var slot = (uint)position | ((uint)(contentIndex + 1) << 3) | (kind << KindShift);
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

    /// <summary>Whether the try at <paramref name="position"/> is one of <paramref name="kept"/>, and if so its entry.</summary>
    public static bool At(uint kept, int position, long atTicks, out ChannelEntry entry)
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
                entry = Entry((int)((slot >> 3) & 7) - 1, slot >> KindShift, atTicks);
                return true;
            }
        }

        entry = default;
        return false;
    }

    /// <summary>The content index of the try allowed now that <paramref name="kept"/> holds (the chosen one), or -1.</summary>
    public static int AllowedContent(uint kept)
    {
        for (var s = 0; s < Slots; s++)
        {
            var slot = kept >> (8 * s) & 0xFF;
            if (slot == 0)
            {
                break;
            }

            if (slot >> KindShift == AllowedNow)
            {
                return (int)((slot >> 3) & 7) - 1;
            }
        }

        return -1;
    }

    /// <summary>The entry of a try without a contact point, as the engine writes it when the try is not kept inline.</summary>
    public static ChannelEntry Entry(int contentIndex, string code, DateTimeOffset at)
        => Entry(contentIndex, code == EligibilityCodes.ContactPointInvalid ? Invalid : Missing, at.UtcTicks);

    /// <summary>The entry the engine writes for a try of a kind: what a reader of a kept try reads.</summary>
    private static ChannelEntry Entry(int contentIndex, uint kind, long atTicks)
    {
        var at = new DateTimeOffset(atTicks, TimeSpan.Zero);
        return kind switch
        {
            AllowedNow => new ChannelEntry(contentIndex, ChannelEntry.Outcome.Allowed, default, at, atTicks),
            NoConsent => new ChannelEntry(contentIndex, ChannelEntry.Outcome.Blocked, new RuleResult(EligibilityCodes.ConsentMissing, null, null, null, instant: at), null, atTicks),
            Invalid => new ChannelEntry(contentIndex, ChannelEntry.Outcome.Blocked, new RuleResult(EligibilityCodes.ContactPointInvalid, null, null, null, instant: at), null, atTicks),
            _ => new ChannelEntry(contentIndex, ChannelEntry.Outcome.Blocked, new RuleResult(EligibilityCodes.ContactPointMissing, null, null, null, instant: at), null, atTicks),
        };
    }
}
