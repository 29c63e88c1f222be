using Personalize.Channels;

namespace Personalize.Customers;

/// <summary>
/// What was sent to a customer, ordered by time. Counting over a window is a binary search plus a scan of the
/// window only, so frequency caps stay cheap. Immutable: <see cref="Append"/> returns a new history.
/// </summary>
public sealed class ContactHistory
{
    private readonly ContactRecord[] _records;

    // Each record's send instant (UTC ticks), channel, purpose, message id hash and whether it was an ask, in record
    // order: searches, frequency windows, message caps and give-before-ask read these compact arrays instead of
    // visiting every record object (and its message id string).
    private readonly long[] _ticks;
    private readonly Channel[] _channels;
    private readonly ContactPurpose[] _purposes;
    private readonly int[] _messageHashes;
    private readonly bool[] _asks;

    /// <summary>Builds a history; records are ordered by <see cref="ContactRecord.SentAt"/> (stable for equal times).</summary>
    /// <param name="records">The records, in any order.</param>
    public ContactHistory(IEnumerable<ContactRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var array = records.ToArray();
        foreach (var record in array)
        {
            ArgumentNullException.ThrowIfNull(record, nameof(records));
        }

        _records = array.OrderBy(static r => r.SentAt).ToArray();
        (_ticks, _channels, _purposes, _messageHashes, _asks) = Index(_records);
    }

    private ContactHistory(ContactRecord[] sorted, bool trusted)
    {
        _ = trusted;
        _records = sorted;
        (_ticks, _channels, _purposes, _messageHashes, _asks) = Index(sorted);
    }

    /// <summary>A history of records a store read in <see cref="ContactRecord.SentAt"/> order (not checked again; the array becomes the history's own and must not be changed).</summary>
    internal static ContactHistory FromSorted(ContactRecord[] sorted) => new(sorted, trusted: true);

    /// <summary>An empty history.</summary>
    public static ContactHistory Empty { get; } = new([], trusted: true);

    /// <summary>The records, oldest first.</summary>
    public IReadOnlyList<ContactRecord> Records => _records;

    /// <summary>The records, oldest first.</summary>
    internal ReadOnlySpan<ContactRecord> Span => _records;

    /// <summary>Each record's send instant in UTC ticks, oldest first.</summary>
    internal ReadOnlySpan<long> SentTicks => _ticks;

    /// <summary>The arrays searches and frequency windows read (for cache prefetching).</summary>
    internal (object Ticks, object Channels, object Purposes, object MessageHashes) IndexStorage => (_ticks, _channels, _purposes, _messageHashes);

    /// <summary>When the record at <paramref name="index"/> was sent (read from the tick array; records store UTC).</summary>
    internal DateTimeOffset SentAtOf(int index) => new(_ticks[index], TimeSpan.Zero);

    /// <summary>Each record's <see cref="MessageHash"/>, oldest first: compare these before the message ids.</summary>
    internal ReadOnlySpan<int> MessageHashes => _messageHashes;

    /// <summary>Whether each record was an ask, oldest first.</summary>
    internal ReadOnlySpan<bool> Asks => _asks;

    /// <summary>The hash <see cref="MessageHashes"/> holds for a message id (this process only; never stored).</summary>
    /// <param name="messageId">The message id.</param>
    /// <returns>The hash.</returns>
    internal static int MessageHash(string messageId) => messageId.GetHashCode(StringComparison.Ordinal);

    /// <summary>Each record's channel, oldest first.</summary>
    internal ReadOnlySpan<Channel> Channels => _channels;

    /// <summary>Each record's purpose, oldest first.</summary>
    internal ReadOnlySpan<ContactPurpose> Purposes => _purposes;

    /// <summary>The number of records.</summary>
    public int Count => _records.Length;

    /// <summary>Counts messages sent in <c>[from, to)</c>, optionally only on one channel, for one purpose or of one kind.</summary>
    /// <param name="from">The start of the window (inclusive).</param>
    /// <param name="to">The end of the window (exclusive).</param>
    /// <param name="channel">Only this channel, or <see langword="null"/> for all.</param>
    /// <param name="purpose">Only this purpose, or <see langword="null"/> for all.</param>
    /// <param name="kind">Only this kind, or <see langword="null"/> for both.</param>
    /// <returns>The count.</returns>
    public int CountBetween(DateTimeOffset from, DateTimeOffset to, Channel? channel = null, ContactPurpose? purpose = null, MessageKind? kind = null)
    {
        var count = 0;
        for (var i = FirstAtOrAfter(from); i < _records.Length; i++)
        {
            var record = _records[i];
            if (record.SentAt >= to)
            {
                break;
            }

            if ((channel is null || record.Channel == channel.Value)
                && (purpose is null || record.Purpose == purpose.Value)
                && (kind is null || record.Kind == kind.Value))
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>When the <paramref name="n"/>-th (0-based, oldest first) matching message in <c>[from, to)</c> was sent.</summary>
    internal DateTimeOffset NthSentAt(DateTimeOffset from, DateTimeOffset to, int n, Channel? channel, ContactPurpose? purpose)
    {
        var seen = 0;
        for (var i = FirstAtOrAfter(from); i < _records.Length && _records[i].SentAt < to; i++)
        {
            var record = _records[i];
            if ((channel is null || record.Channel == channel.Value) && (purpose is null || record.Purpose == purpose.Value) && seen++ == n)
            {
                return record.SentAt;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(n));
    }

    /// <summary>The latest message matching the filters, or <see langword="null"/>.</summary>
    /// <param name="channel">Only this channel, or <see langword="null"/> for all.</param>
    /// <param name="purpose">Only this purpose, or <see langword="null"/> for all.</param>
    /// <returns>The record.</returns>
    public ContactRecord? Last(Channel? channel = null, ContactPurpose? purpose = null)
    {
        for (var i = _records.Length - 1; i >= 0; i--)
        {
            var record = _records[i];
            if ((channel is null || record.Channel == channel.Value) && (purpose is null || record.Purpose == purpose.Value))
            {
                return record;
            }
        }

        return null;
    }

    /// <summary>Returns a new history with one more record; this history is unchanged.</summary>
    /// <param name="record">The record.</param>
    /// <returns>The new history.</returns>
    public ContactHistory Append(ContactRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var records = new ContactRecord[_records.Length + 1];
        var index = FirstAfter(record.SentAt);
        Array.Copy(_records, 0, records, 0, index);
        records[index] = record;
        Array.Copy(_records, index, records, index + 1, _records.Length - index);
        return new ContactHistory(records, trusted: true);
    }

    /// <summary>The index of the first record sent after <paramref name="utcTicks"/> (binary search).</summary>
    internal static int FirstAfter(ReadOnlySpan<long> ticks, long utcTicks)
    {
        int low = 0, high = ticks.Length;
        while (low < high)
        {
            var mid = (low + high) >>> 1;
            if (ticks[mid] <= utcTicks)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }

        return low;
    }

    private static (long[] Ticks, Channel[] Channels, ContactPurpose[] Purposes, int[] MessageHashes, bool[] Asks) Index(ContactRecord[] records)
    {
        var ticks = new long[records.Length];
        var channels = new Channel[records.Length];
        var purposes = new ContactPurpose[records.Length];
        var hashes = new int[records.Length];
        var asks = new bool[records.Length];
        for (var i = 0; i < ticks.Length; i++)
        {
            var record = records[i];
            ticks[i] = record.SentAt.UtcTicks;
            channels[i] = record.Channel;
            purposes[i] = record.Purpose;
            hashes[i] = MessageHash(record.MessageId);
            asks[i] = record.Kind == MessageKind.Ask;
        }

        return (ticks, channels, purposes, hashes, asks);
    }

    private int FirstAtOrAfter(DateTimeOffset instant) => FirstAfter(_ticks, instant.UtcTicks - 1);

    /// <summary>The index of the first record sent strictly after <paramref name="instant"/>.</summary>
    internal int FirstAfter(DateTimeOffset instant) => FirstAfter(_ticks, instant.UtcTicks);
}
