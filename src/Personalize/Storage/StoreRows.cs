using System.Data.Common;
using Personalize.Channels;
using Personalize.Consent;
using Personalize.Customers;

namespace Personalize.Storage;

/// <summary>
/// The one mapping from the database stores' rows to records, over any <see cref="DbDataReader"/> (SQLite and
/// PostgreSQL lay their tables out alike): instants as UTC ticks, enums as integers (read as <see cref="int"/>, which
/// both providers widen a <c>smallint</c> to), channels by name. Each reader expects the columns of its list, in order.
/// </summary>
internal static class StoreRows
{
    public const string ConsentColumns = "customer_id, seq, scope_kind, channel, purpose, topic, action, recorded_at, source_kind, source_detail, wording, wording_version, opt_in, confirmed_at, method_evidence";
    public const string HistoryColumns = "customer_id, sent_at, message_id, channel, purpose, kind";
    public const string DeliveryColumns = "idempotency_key, customer_id, message_id, channel, purpose, kind, sent_at, trigger, template, run_id, state";
    public const string ScheduledColumns = "idempotency_key, customer_id, message_id, channel, template, trigger, purpose, kind, due_at, decided_at, run_id, state, reason, completed_at";
    public const string SuppressionColumns = "hash, kind, reason, at";
    public const string RunColumns = "id, trigger, at, status, started_at, updated_at, processed, sent, scheduled, already_sent, errors, key_format";

    /// <summary>How many consent sources a thread keeps (<see cref="SourceOf"/>).</summary>
    private const int RecentSources = 16;

    [ThreadStatic]
    private static (ConsentSourceKind Kind, string? Detail, ConsentSource Source)[]? t_sources;

    public static DateTimeOffset Instant(long ticks) => new(ticks, TimeSpan.Zero);

    public static string? NullableString(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    /// <summary>Reads a consent record from columns 2.. of <see cref="ConsentColumns"/> (0 is the customer, 1 the sequence).</summary>
    public static ConsentRecord ReadConsent(DbDataReader reader) => ReadConsent(new DataRow(reader));

    /// <summary>Reads a consent record from columns 2.. of <see cref="ConsentColumns"/> of any row (a store's own fast rows too).</summary>
    public static ConsentRecord ReadConsent<TRow>(TRow row)
        where TRow : IStoreRow
    {
        var kind = (ConsentScopeKind)row.Int32(2);
        ContactPurpose? purpose = row.IsNull(4) ? null : (ContactPurpose)row.Int32(4);
        var scope = kind switch
        {
            ConsentScopeKind.Channel when purpose is { } p => ConsentScope.ForChannel(new Channel(row.String(3)), p),
            ConsentScopeKind.Channel => ConsentScope.ForChannel(new Channel(row.String(3))),
            ConsentScopeKind.Purpose => ConsentScope.ForPurpose(purpose!.Value),
            ConsentScopeKind.Topic => ConsentScope.ForTopic(row.String(5)),
            _ => ConsentScope.Personalization,
        };
        return new ConsentRecord
        {
            Scope = scope,
            Action = (ConsentAction)row.Int32(6),
            RecordedAt = Instant(row.Int64(7)),
            Source = SourceOf((ConsentSourceKind)row.Int32(8), NullableString(row, 9)),
            Wording = NullableString(row, 10),
            WordingVersion = NullableString(row, 11),
            OptIn = (OptInMethod)row.Int32(12),
            ConfirmedAt = row.IsNull(13) ? null : Instant(row.Int64(13)),
            MethodEvidence = NullableString(row, 14),
        };
    }

    /// <summary>
    /// The source of a record read: one this thread read recently with the same kind and detail (sources repeat — a
    /// form, an import, a channel reply — and a <see cref="ConsentSource"/> is immutable), else a new one.
    /// </summary>
    internal static ConsentSource SourceOf(ConsentSourceKind kind, string? detail)
    {
        var recent = t_sources ??= new (ConsentSourceKind, string?, ConsentSource)[RecentSources];
        var slot = ((int)kind + (detail is null ? 0 : detail.Length)) & (RecentSources - 1);
        ref var held = ref recent[slot];
        if (held.Source is not null && held.Kind == kind && string.Equals(held.Detail, detail, StringComparison.Ordinal))
        {
            return held.Source;
        }

        var source = new ConsentSource(kind, detail);
        held = (kind, detail, source);
        return source;
    }

    /// <summary>Reads a history record from columns 1.. of <see cref="HistoryColumns"/> (0 is the customer).</summary>
    public static ContactRecord ReadHistory(DbDataReader reader) => ReadHistory(new DataRow(reader));

    /// <summary>Reads a history record from columns 1.. of <see cref="HistoryColumns"/> of any row.</summary>
    public static ContactRecord ReadHistory<TRow>(TRow row)
        where TRow : IStoreRow => new()
    {
        SentAt = Instant(row.Int64(1)),
        MessageId = row.String(2),
        Channel = new Channel(row.String(3)),
        Purpose = (ContactPurpose)row.Int32(4),
        Kind = (MessageKind)row.Int32(5),
    };

    private static string? NullableString<TRow>(TRow row, int ordinal)
        where TRow : IStoreRow => row.IsNull(ordinal) ? null : row.String(ordinal);

    /// <summary>Reads a delivery log entry from the columns of <see cref="DeliveryColumns"/>.</summary>
    public static DeliveryRecord ReadDelivery(DbDataReader reader) => new()
    {
        IdempotencyKey = reader.GetString(0),
        CustomerId = NullableString(reader, 1),
        MessageId = reader.GetString(2),
        Channel = new Channel(reader.GetString(3)),
        Purpose = (ContactPurpose)reader.GetInt32(4),
        Kind = (MessageKind)reader.GetInt32(5),
        SentAt = Instant(reader.GetInt64(6)),
        Trigger = reader.GetString(7),
        Template = NullableString(reader, 8),
        RunId = NullableString(reader, 9),
        State = (DeliveryState)reader.GetInt32(10),
    };

    /// <summary>Reads a scheduled send from the columns of <see cref="ScheduledColumns"/>.</summary>
    public static ScheduledSend ReadScheduled(DbDataReader reader) => new()
    {
        IdempotencyKey = reader.GetString(0),
        CustomerId = reader.GetString(1),
        MessageId = reader.GetString(2),
        Channel = new Channel(reader.GetString(3)),
        Template = reader.GetString(4),
        Trigger = reader.GetString(5),
        Purpose = (ContactPurpose)reader.GetInt32(6),
        Kind = (MessageKind)reader.GetInt32(7),
        DueAt = Instant(reader.GetInt64(8)),
        DecidedAt = Instant(reader.GetInt64(9)),
        RunId = NullableString(reader, 10),
        State = (ScheduledSendState)reader.GetInt32(11),
        Reason = NullableString(reader, 12),
        CompletedAt = reader.IsDBNull(13) ? null : Instant(reader.GetInt64(13)),
    };

    /// <summary>Reads a run record from the columns of <see cref="RunColumns"/>.</summary>
    public static RunRecord ReadRun(DbDataReader reader) => new()
    {
        Id = reader.GetString(0),
        Trigger = reader.GetString(1),
        At = Instant(reader.GetInt64(2)),
        Status = (RunStatus)reader.GetInt32(3),
        StartedAt = Instant(reader.GetInt64(4)),
        UpdatedAt = Instant(reader.GetInt64(5)),
        Processed = reader.GetInt64(6),
        Sent = reader.GetInt64(7),
        Scheduled = reader.GetInt64(8),
        AlreadySent = reader.GetInt64(9),
        Errors = reader.GetInt64(10),
        KeyFormat = (Delivery.IdempotencyKeyFormat)reader.GetInt32(11),
    };

    /// <summary>Reads a suppression entry from the columns of <see cref="SuppressionColumns"/>.</summary>
    public static SuppressionEntry ReadSuppression(DbDataReader reader)
        => new((ContactPointKind)reader.GetInt32(1), reader.GetString(0), reader.GetString(2), Instant(reader.GetInt64(3)));
}

/// <summary>
/// The columns of one row as <see cref="StoreRows"/> reads them: a <see cref="DbDataReader"/>'s (<see cref="DataRow"/>) or
/// a store's own faster access (a struct, so the readers are compiled for it and nothing is boxed).
/// </summary>
internal interface IStoreRow
{
    bool IsNull(int ordinal);

    int Int32(int ordinal);

    long Int64(int ordinal);

    string String(int ordinal);
}

/// <summary>A <see cref="DbDataReader"/>'s current row.</summary>
internal readonly struct DataRow(DbDataReader reader) : IStoreRow
{
    public bool IsNull(int ordinal) => reader.IsDBNull(ordinal);

    public int Int32(int ordinal) => reader.GetInt32(ordinal);

    public long Int64(int ordinal) => reader.GetInt64(ordinal);

    public string String(int ordinal) => reader.GetString(ordinal);
}
