using Npgsql;
using NpgsqlTypes;
using Personalize.Consent;
using Personalize.Customers;
using Personalize.Storage;
using Personalize.Channels;

namespace Personalize.PostgreSql;

/// <summary>Binds records to the PostgreSQL store's statements as typed parameters and column arrays (rows are read back by <see cref="StoreRows"/>).</summary>
internal static class PostgreSqlRows
{
    /// <summary>Adds a typed parameter (arrays become PostgreSQL arrays: text[], bigint[], smallint[], integer[], bytea[]).</summary>
    public static void Param<T>(NpgsqlParameterCollection parameters, string name, T value)
        => parameters.Add(new NpgsqlParameter<T>(name, value));

    /// <summary>Adds a text parameter that may be null.</summary>
    public static void AddText(NpgsqlParameterCollection parameters, string name, string? value)
        => parameters.Add(new NpgsqlParameter(name, NpgsqlDbType.Text) { Value = (object?)value ?? DBNull.Value });

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
