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
    public const string RunColumns = "id, trigger, at, status, started_at, updated_at, processed, sent, scheduled, already_sent, errors";

    public static DateTimeOffset Instant(long ticks) => new(ticks, TimeSpan.Zero);

    public static string? NullableString(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    /// <summary>Reads a consent record from columns 2.. of <see cref="ConsentColumns"/> (0 is the customer, 1 the sequence).</summary>
    public static ConsentRecord ReadConsent(DbDataReader reader)
    {
        var kind = (ConsentScopeKind)reader.GetInt32(2);
        ContactPurpose? purpose = reader.IsDBNull(4) ? null : (ContactPurpose)reader.GetInt32(4);
        var scope = kind switch
        {
            ConsentScopeKind.Channel when purpose is { } p => ConsentScope.ForChannel(new Channel(reader.GetString(3)), p),
            ConsentScopeKind.Channel => ConsentScope.ForChannel(new Channel(reader.GetString(3))),
            ConsentScopeKind.Purpose => ConsentScope.ForPurpose(purpose!.Value),
            ConsentScopeKind.Topic => ConsentScope.ForTopic(reader.GetString(5)),
            _ => ConsentScope.Personalization,
        };
        return new ConsentRecord
        {
            Scope = scope,
            Action = (ConsentAction)reader.GetInt32(6),
            RecordedAt = Instant(reader.GetInt64(7)),
            Source = new ConsentSource((ConsentSourceKind)reader.GetInt32(8), NullableString(reader, 9)),
            Wording = NullableString(reader, 10),
            WordingVersion = NullableString(reader, 11),
            OptIn = (OptInMethod)reader.GetInt32(12),
            ConfirmedAt = reader.IsDBNull(13) ? null : Instant(reader.GetInt64(13)),
            MethodEvidence = NullableString(reader, 14),
        };
    }

    /// <summary>Reads a history record from columns 1.. of <see cref="HistoryColumns"/> (0 is the customer).</summary>
    public static ContactRecord ReadHistory(DbDataReader reader) => new()
    {
        SentAt = Instant(reader.GetInt64(1)),
        MessageId = reader.GetString(2),
        Channel = new Channel(reader.GetString(3)),
        Purpose = (ContactPurpose)reader.GetInt32(4),
        Kind = (MessageKind)reader.GetInt32(5),
    };

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
    };

    /// <summary>Reads a suppression entry from the columns of <see cref="SuppressionColumns"/>.</summary>
    public static SuppressionEntry ReadSuppression(DbDataReader reader)
        => new((ContactPointKind)reader.GetInt32(1), reader.GetString(0), reader.GetString(2), Instant(reader.GetInt64(3)));
}
