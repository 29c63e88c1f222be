namespace Personalize.Journeys;

/// <summary>
/// The mutable working state of one instance while the due pass advances it: the fields a step changes and the history
/// records it adds. One object serves every instance a planning stage advances (<see cref="Load"/> starts the next), and
/// the durable <see cref="JourneyInstance"/> is made once, by <see cref="Build"/>, only for an instance that changed —
/// instead of a copy of the record (and of its history) at every transition.
/// </summary>
internal sealed class JourneyWork
{
    private readonly List<JourneyStepRecord> _added = [];
    private JourneyInstance _instance = null!;

    /// <summary>Gets the instance as read (the state before this advance).</summary>
    public JourneyInstance Instance => _instance;

    public string InstanceId => _instance.InstanceId;

    public DateTimeOffset StartedAt => _instance.StartedAt;

    public JourneyStatus Status { get; set; }

    public string? StepId { get; set; }

    public DateTimeOffset StepSince { get; set; }

    public int Attempt { get; set; }

    public DateTimeOffset? WakeAt { get; set; }

    public string? WaitingFor { get; set; }

    public string? ExitReason { get; set; }

    /// <summary>Gets whether this advance changed the instance (every change adds a history record).</summary>
    public bool Changed => _added.Count > 0;

    /// <summary>Starts working on <paramref name="instance"/> (forgetting the previous one).</summary>
    public JourneyWork Load(JourneyInstance instance)
    {
        _instance = instance;
        _added.Clear();
        Status = instance.Status;
        StepId = instance.StepId;
        StepSince = instance.StepSince;
        Attempt = instance.Attempt;
        WakeAt = instance.WakeAt;
        WaitingFor = instance.WaitingFor;
        ExitReason = instance.ExitReason;
        return this;
    }

    /// <summary>Adds a history record.</summary>
    public void Record(JourneyStepRecord record) => _added.Add(record);

    /// <summary>
    /// The durable instance: the state worked out, revision <paramref name="revision"/> changed at
    /// <paramref name="updatedAt"/>, with the added records after the read ones and the oldest dropped beyond
    /// <see cref="JourneyInstance.MaxHistory"/> — those the read left out first — exactly as
    /// <see cref="JourneyInstance.Record"/> record by record would.
    /// </summary>
    public JourneyInstance Build(int revision, DateTimeOffset updatedAt)
    {
        var read = _instance;
        var history = read.History;
        var total = read.HistoryOmitted + history.Count + _added.Count;
        var drop = _added.Count > 0 && total > JourneyInstance.MaxHistory ? total - JourneyInstance.MaxHistory : 0;
        var fromOmitted = Math.Min(drop, read.HistoryOmitted);
        var fromList = drop - fromOmitted;
        var records = new JourneyStepRecord[history.Count + _added.Count - fromList];
        var n = 0;
        for (var i = fromList; i < history.Count; i++)
        {
            records[n++] = history[i];
        }

        for (var i = Math.Max(0, fromList - history.Count); i < _added.Count; i++)
        {
            records[n++] = _added[i];
        }

        return read with
        {
            Revision = revision,
            UpdatedAt = updatedAt,
            Status = Status,
            StepId = StepId,
            StepSince = StepSince,
            Attempt = Attempt,
            WakeAt = WakeAt,
            WaitingFor = WaitingFor,
            ExitReason = ExitReason,
            History = records,
            HistoryOmitted = read.HistoryOmitted - fromOmitted,
            HistoryDropped = read.HistoryDropped + drop,
        };
    }
}
