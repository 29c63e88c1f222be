using Npgsql;
using NpgsqlTypes;
using Personalize.Consent;
using Personalize.Customers;
using Personalize.Storage;
using Personalize.Channels;

namespace Personalize.PostgreSql;

/// <summary>Maps records to and from rows: times as UTC ticks, enums as small integers, channels by name.</summary>
internal static class PostgreSqlRows
{
    public const string ConsentColumns = "customer_id, seq, scope_kind, channel, purpose, topic, action, recorded_at, source_kind, source_detail, wording, wording_version, opt_in, confirmed_at, method_evidence";
    public const string HistoryColumns = "customer_id, sent_at, message_id, channel, purpose, kind";
    public const string DeliveryColumns = "idempotency_key, customer_id, message_id, channel, purpose, kind, sent_at, trigger, template, run_id, state";
    public const string ScheduledColumns = "idempotency_key, customer_id, message_id, channel, template, trigger, purpose, kind, due_at, decided_at, run_id, state, reason, completed_at";
    public const string RunColumns = "id, trigger, at, status, started_at, updated_at, processed, sent, scheduled, already_sent, errors";

    public static DateTimeOffset Instant(long ticks) => new(ticks, TimeSpan.Zero);

    public static string? NullableString(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    /// <summary>Adds a typed parameter (arrays become PostgreSQL arrays: text[], bigint[], smallint[], integer[], bytea[]).</summary>
    public static void Param<T>(NpgsqlParameterCollection parameters, string name, T value)
        => parameters.Add(new NpgsqlParameter<T>(name, value));

    /// <summary>Adds a text parameter that may be null.</summary>
    public static void AddText(NpgsqlParameterCollection parameters, string name, string? value)
        => parameters.Add(new NpgsqlParameter(name, NpgsqlDbType.Text) { Value = (object?)value ?? DBNull.Value });

    /// <summary>Reads a consent record from columns 2.. of <see cref="ConsentColumns"/> (0 is the customer, 1 the sequence).</summary>
    public static ConsentRecord ReadConsent(NpgsqlDataReader reader)
    {
        var kind = (ConsentScopeKind)reader.GetInt16(2);
        ContactPurpose? purpose = reader.IsDBNull(4) ? null : (ContactPurpose)reader.GetInt16(4);
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
            Action = (ConsentAction)reader.GetInt16(6),
            RecordedAt = Instant(reader.GetInt64(7)),
            Source = new ConsentSource((ConsentSourceKind)reader.GetInt16(8), NullableString(reader, 9)),
            Wording = NullableString(reader, 10),
            WordingVersion = NullableString(reader, 11),
            OptIn = (OptInMethod)reader.GetInt16(12),
            ConfirmedAt = reader.IsDBNull(13) ? null : Instant(reader.GetInt64(13)),
            MethodEvidence = NullableString(reader, 14),
        };
    }

    /// <summary>Reads a history record from columns 1.. of <see cref="HistoryColumns"/>.</summary>
    public static ContactRecord ReadHistory(NpgsqlDataReader reader) => new()
    {
        SentAt = Instant(reader.GetInt64(1)),
        MessageId = reader.GetString(2),
        Channel = new Channel(reader.GetString(3)),
        Purpose = (ContactPurpose)reader.GetInt16(4),
        Kind = (MessageKind)reader.GetInt16(5),
    };

    public static DeliveryRecord ReadDelivery(NpgsqlDataReader reader) => new()
    {
        IdempotencyKey = reader.GetString(0),
        CustomerId = NullableString(reader, 1),
        MessageId = reader.GetString(2),
        Channel = new Channel(reader.GetString(3)),
        Purpose = (ContactPurpose)reader.GetInt16(4),
        Kind = (MessageKind)reader.GetInt16(5),
        SentAt = Instant(reader.GetInt64(6)),
        Trigger = reader.GetString(7),
        Template = NullableString(reader, 8),
        RunId = NullableString(reader, 9),
        State = (DeliveryState)reader.GetInt16(10),
    };

    public static ScheduledSend ReadScheduled(NpgsqlDataReader reader) => new()
    {
        IdempotencyKey = reader.GetString(0),
        CustomerId = reader.GetString(1),
        MessageId = reader.GetString(2),
        Channel = new Channel(reader.GetString(3)),
        Template = reader.GetString(4),
        Trigger = reader.GetString(5),
        Purpose = (ContactPurpose)reader.GetInt16(6),
        Kind = (MessageKind)reader.GetInt16(7),
        DueAt = Instant(reader.GetInt64(8)),
        DecidedAt = Instant(reader.GetInt64(9)),
        RunId = NullableString(reader, 10),
        State = (ScheduledSendState)reader.GetInt16(11),
        Reason = NullableString(reader, 12),
        CompletedAt = reader.IsDBNull(13) ? null : Instant(reader.GetInt64(13)),
    };

    public static RunRecord ReadRun(NpgsqlDataReader reader) => new()
    {
        Id = reader.GetString(0),
        Trigger = reader.GetString(1),
        At = Instant(reader.GetInt64(2)),
        Status = (RunStatus)reader.GetInt16(3),
        StartedAt = Instant(reader.GetInt64(4)),
        UpdatedAt = Instant(reader.GetInt64(5)),
        Processed = reader.GetInt64(6),
        Sent = reader.GetInt64(7),
        Scheduled = reader.GetInt64(8),
        AlreadySent = reader.GetInt64(9),
        Errors = reader.GetInt64(10),
    };

    /// <summary>Consent records as column arrays for one multi-row insert (<c>unnest</c>).</summary>
    public sealed class ConsentRows
    {
        private readonly List<string> _customer = [];
        private readonly List<int> _seq = [];
        private readonly List<short> _scopeKind = [];
        private readonly List<string?> _channel = [];
        private readonly List<short?> _purpose = [];
        private readonly List<string?> _topic = [];
        private readonly List<short> _action = [];
        private readonly List<long> _recordedAt = [];
        private readonly List<short> _sourceKind = [];
        private readonly List<string?> _sourceDetail = [];
        private readonly List<string?> _wording = [];
        private readonly List<string?> _wordingVersion = [];
        private readonly List<short> _optIn = [];
        private readonly List<long?> _confirmedAt = [];
        private readonly List<string?> _methodEvidence = [];

        public int Count => _customer.Count;

        public void Add(string customerId, int seq, ConsentRecord record)
        {
            var scope = record.Scope;
            _customer.Add(customerId);
            _seq.Add(seq);
            _scopeKind.Add((short)scope.Kind);
            _channel.Add(scope.Channel.Name);
            _purpose.Add(scope.Purpose is { } p ? (short)p : null);
            _topic.Add(scope.Topic);
            _action.Add((short)record.Action);
            _recordedAt.Add(record.RecordedAt.UtcTicks);
            _sourceKind.Add((short)record.Source.Kind);
            _sourceDetail.Add(record.Source.Detail);
            _wording.Add(record.Wording);
            _wordingVersion.Add(record.WordingVersion);
            _optIn.Add((short)record.OptIn);
            _confirmedAt.Add(record.ConfirmedAt?.UtcTicks);
            _methodEvidence.Add(record.MethodEvidence);
        }

        public void AddParameters(NpgsqlParameterCollection parameters)
        {
            Param(parameters, "customer", _customer.ToArray());
            Param(parameters, "seq", _seq.ToArray());
            Param(parameters, "scope_kind", _scopeKind.ToArray());
            Param(parameters, "channel", _channel.ToArray());
            Param(parameters, "purpose", _purpose.ToArray());
            Param(parameters, "topic", _topic.ToArray());
            Param(parameters, "action", _action.ToArray());
            Param(parameters, "recorded_at", _recordedAt.ToArray());
            Param(parameters, "source_kind", _sourceKind.ToArray());
            Param(parameters, "source_detail", _sourceDetail.ToArray());
            Param(parameters, "wording", _wording.ToArray());
            Param(parameters, "wording_version", _wordingVersion.ToArray());
            Param(parameters, "opt_in", _optIn.ToArray());
            Param(parameters, "confirmed_at", _confirmedAt.ToArray());
            Param(parameters, "method_evidence", _methodEvidence.ToArray());
        }

        public void Clear()
        {
            _customer.Clear();
            _seq.Clear();
            _scopeKind.Clear();
            _channel.Clear();
            _purpose.Clear();
            _topic.Clear();
            _action.Clear();
            _recordedAt.Clear();
            _sourceKind.Clear();
            _sourceDetail.Clear();
            _wording.Clear();
            _wordingVersion.Clear();
            _optIn.Clear();
            _confirmedAt.Clear();
            _methodEvidence.Clear();
        }
    }

    /// <summary>Contact history records as column arrays for one multi-row insert.</summary>
    public sealed class HistoryRows
    {
        private readonly List<string> _customer = [];
        private readonly List<long> _sentAt = [];
        private readonly List<string> _message = [];
        private readonly List<string> _channel = [];
        private readonly List<short> _purpose = [];
        private readonly List<short> _kind = [];

        public int Count => _customer.Count;

        public void Add(string customerId, ContactRecord record)
        {
            _customer.Add(customerId);
            _sentAt.Add(record.SentAt.UtcTicks);
            _message.Add(record.MessageId);
            _channel.Add(record.Channel.Name!);
            _purpose.Add((short)record.Purpose);
            _kind.Add((short)record.Kind);
        }

        public void AddParameters(NpgsqlParameterCollection parameters)
        {
            Param(parameters, "customer", _customer.ToArray());
            Param(parameters, "sent_at", _sentAt.ToArray());
            Param(parameters, "message", _message.ToArray());
            Param(parameters, "channel", _channel.ToArray());
            Param(parameters, "purpose", _purpose.ToArray());
            Param(parameters, "kind", _kind.ToArray());
        }

        public void Clear()
        {
            _customer.Clear();
            _sentAt.Clear();
            _message.Clear();
            _channel.Clear();
            _purpose.Clear();
            _kind.Clear();
        }
    }
}
