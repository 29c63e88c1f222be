using System.Globalization;

namespace Personalize.Sending;

/// <summary>
/// Where a run over the store spends its wall time, stage by stage (the page read, the deciders, the recorder): how long
/// each worked and how long it waited for the stage before it (starved) or after it (blocked). Off unless a caller sets
/// <see cref="SendRunner.StageTimes"/> (the <c>store-loop --stages</c> benchmark does); the clock is read a few times per
/// page, never per customer, through the <see cref="TimeProvider"/> it is given. Every figure is the sum over the run in its
/// timestamp ticks.
/// </summary>
internal sealed class SendStageTimes(TimeProvider time)
{
    private long _readWork;
    private long _readBlocked;
    private long _decideStarved;
    private long _decideWork;
    private long _decideBlocked;
    private long _recordStarved;
    private long _recordStore;
    private long _recordHandOver;
    private long _wall;
    private int _pages;
    private int _writes;

    /// <summary>Gets the timestamp now.</summary>
    public long Now => time.GetTimestamp();

    public void ReadWork(long since) => Add(ref _readWork, since);

    public void ReadBlocked(long since) => Add(ref _readBlocked, since);

    public void DecideStarved(long since) => Add(ref _decideStarved, since);

    public void DecideWork(long since)
    {
        Add(ref _decideWork, since);
        Interlocked.Increment(ref _pages);
    }

    public void DecideBlocked(long since) => Add(ref _decideBlocked, since);

    public void RecordStarved(long since) => Add(ref _recordStarved, since);

    public void RecordStore(long since)
    {
        Add(ref _recordStore, since);
        Interlocked.Increment(ref _writes);
    }

    public void RecordHandOver(long since) => Add(ref _recordHandOver, since);

    public void Wall(long since) => Add(ref _wall, since);

    /// <summary>Gets the recorder's share of the wall time spent in the store's write (its transactions, commits included).</summary>
    public double RecorderBusy => _wall == 0 ? 0 : _recordStore / (double)_wall;

    /// <summary>One line: each stage's work and waits in seconds, the pages decided and the write transactions.</summary>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"wall {S(_wall)} s; read: work {S(_readWork)}, blocked {S(_readBlocked)}; decide: starved {S(_decideStarved)}, work {S(_decideWork)}, blocked {S(_decideBlocked)}; record: starved {S(_recordStarved)}, store write {S(_recordStore)} ({RecorderBusy:P0} of the wall), hand-over {S(_recordHandOver)}; {_pages} pages in {_writes} write transactions");

    private string S(long ticks) => (ticks / (double)time.TimestampFrequency).ToString("F2", CultureInfo.InvariantCulture);

    private void Add(ref long slot, long since) => Interlocked.Add(ref slot, time.GetTimestamp() - since);
}
