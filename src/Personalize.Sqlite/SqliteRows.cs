using Microsoft.Data.Sqlite;
using Personalize.Channels;
using Personalize.Consent;
using Personalize.Customers;
using Personalize.Storage;

namespace Personalize.Sqlite;

/// <summary>Maps records to and from rows: times as UTC ticks, enums as integers, channels by name.</summary>
internal static class SqliteRows
{
    public const string ConsentColumns = "customer_id, seq, scope_kind, channel, purpose, topic, action, recorded_at, source_kind, source_detail, wording, wording_version, opt_in, confirmed_at, method_evidence";
    public const string HistoryColumns = "customer_id, sent_at, message_id, channel, purpose, kind";
    public const string DeliveryColumns = "idempotency_key, customer_id, message_id, channel, purpose, kind, sent_at, trigger, template, run_id, state";
    public const string ScheduledColumns = "idempotency_key, customer_id, message_id, channel, template, trigger, purpose, kind, due_at, decided_at, run_id, state, reason, completed_at";
    public const string RunColumns = "id, trigger, at, status, started_at, updated_at, processed, sent, scheduled, already_sent, errors";

    public static DateTimeOffset Instant(long ticks) => new(ticks, TimeSpan.Zero);

    public static object Db(string? value) => (object?)value ?? DBNull.Value;

    public static object Db(long? value) => value is { } v ? v : DBNull.Value;

    public static string? NullableString(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static void AddConsentParameters(SqliteCommand command, string customerId, long seq, ConsentRecord record)
    {
        var scope = record.Scope;
        command.Parameters.AddWithValue("$customer", customerId);
        command.Parameters.AddWithValue("$seq", seq);
        command.Parameters.AddWithValue("$scopeKind", (int)scope.Kind);
        command.Parameters.AddWithValue("$channel", Db(scope.Channel.Name));
        command.Parameters.AddWithValue("$purpose", scope.Purpose is { } p ? (int)p : DBNull.Value);
        command.Parameters.AddWithValue("$topic", Db(scope.Topic));
        command.Parameters.AddWithValue("$action", (int)record.Action);
        command.Parameters.AddWithValue("$recordedAt", record.RecordedAt.UtcTicks);
        command.Parameters.AddWithValue("$sourceKind", (int)record.Source.Kind);
        command.Parameters.AddWithValue("$sourceDetail", Db(record.Source.Detail));
        command.Parameters.AddWithValue("$wording", Db(record.Wording));
        command.Parameters.AddWithValue("$wordingVersion", Db(record.WordingVersion));
        command.Parameters.AddWithValue("$optIn", (int)record.OptIn);
        command.Parameters.AddWithValue("$confirmedAt", Db(record.ConfirmedAt?.UtcTicks));
        command.Parameters.AddWithValue("$methodEvidence", Db(record.MethodEvidence));
    }

    public const string InsertConsent = "INSERT INTO consent_records (" + ConsentColumns + ") VALUES ($customer, $seq, $scopeKind, $channel, $purpose, $topic, $action, $recordedAt, $sourceKind, $sourceDetail, $wording, $wordingVersion, $optIn, $confirmedAt, $methodEvidence)";

    /// <summary>Reads a consent record from columns 2.. of <see cref="ConsentColumns"/> (0 is the customer, 1 the sequence).</summary>
    public static ConsentRecord ReadConsent(SqliteDataReader reader)
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

    public const string InsertHistory = "INSERT INTO contact_history (customer_id, sent_at, message_id, channel, purpose, kind, idempotency_key) VALUES ($customer, $sentAt, $message, $channel, $purpose, $kind, $key)";

    /// <summary>The parameters of <see cref="InsertHistory"/>, in the order <see cref="SetHistory"/> sets them.</summary>
    public static readonly string[] HistoryParameters = ["$customer", "$sentAt", "$message", "$channel", "$purpose", "$kind", "$key"];

    /// <summary>The parameters of <see cref="InsertDelivery"/>, in the order <see cref="SetDelivery"/> sets them.</summary>
    public static readonly string[] DeliveryParameters = ["$key", "$customer", "$message", "$channel", "$purpose", "$kind", "$sentAt", "$trigger", "$template", "$run", "$state"];

    /// <summary>Sets the values of a command bound to <see cref="HistoryParameters"/>.</summary>
    public static void SetHistory(SqliteCommand command, string customerId, DateTimeOffset sentAt, string messageId, Channel channel, ContactPurpose purpose, MessageKind kind, string? key)
    {
        var p = command.Parameters;
        p[0].Value = customerId;
        p[1].Value = sentAt.UtcTicks;
        p[2].Value = messageId;
        p[3].Value = channel.Name;
        p[4].Value = (int)purpose;
        p[5].Value = (int)kind;
        p[6].Value = Db(key);
    }

    /// <summary>Sets the values of a command bound to <see cref="DeliveryParameters"/>.</summary>
    public static void SetDelivery(SqliteCommand command, DeliveryRecord delivery)
    {
        var p = command.Parameters;
        p[0].Value = delivery.IdempotencyKey;
        p[1].Value = Db(delivery.CustomerId);
        p[2].Value = delivery.MessageId;
        p[3].Value = delivery.Channel.Name;
        p[4].Value = (int)delivery.Purpose;
        p[5].Value = (int)delivery.Kind;
        p[6].Value = delivery.SentAt.UtcTicks;
        p[7].Value = delivery.Trigger;
        p[8].Value = Db(delivery.Template);
        p[9].Value = Db(delivery.RunId);
        p[10].Value = (int)delivery.State;
    }

    /// <summary>Reads a history record from columns 1.. of <see cref="HistoryColumns"/>.</summary>
    public static ContactRecord ReadHistory(SqliteDataReader reader) => new()
    {
        SentAt = Instant(reader.GetInt64(1)),
        MessageId = reader.GetString(2),
        Channel = new Channel(reader.GetString(3)),
        Purpose = (ContactPurpose)reader.GetInt32(4),
        Kind = (MessageKind)reader.GetInt32(5),
    };

    public const string InsertDelivery = "INSERT OR IGNORE INTO delivery_log (" + DeliveryColumns + ") VALUES ($key, $customer, $message, $channel, $purpose, $kind, $sentAt, $trigger, $template, $run, $state)";

    public static DeliveryRecord ReadDelivery(SqliteDataReader reader) => new()
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

    public const string InsertScheduled = "INSERT OR IGNORE INTO scheduled_sends (" + ScheduledColumns + ") VALUES ($key, $customer, $message, $channel, $template, $trigger, $purpose, $kind, $dueAt, $decidedAt, $run, 0, NULL, NULL)";

    public static void AddScheduledParameters(SqliteCommand command, ScheduledSend send)
    {
        command.Parameters.AddWithValue("$key", send.IdempotencyKey);
        command.Parameters.AddWithValue("$customer", send.CustomerId);
        command.Parameters.AddWithValue("$message", send.MessageId);
        command.Parameters.AddWithValue("$channel", send.Channel.Name);
        command.Parameters.AddWithValue("$template", send.Template);
        command.Parameters.AddWithValue("$trigger", send.Trigger);
        command.Parameters.AddWithValue("$purpose", (int)send.Purpose);
        command.Parameters.AddWithValue("$kind", (int)send.Kind);
        command.Parameters.AddWithValue("$dueAt", send.DueAt.UtcTicks);
        command.Parameters.AddWithValue("$decidedAt", send.DecidedAt.UtcTicks);
        command.Parameters.AddWithValue("$run", Db(send.RunId));
    }

    public static ScheduledSend ReadScheduled(SqliteDataReader reader) => new()
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

    public static RunRecord ReadRun(SqliteDataReader reader) => new()
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
}
