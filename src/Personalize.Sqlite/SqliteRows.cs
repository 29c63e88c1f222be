using Microsoft.Data.Sqlite;
using Personalize.Channels;
using Personalize.Consent;
using Personalize.Customers;
using Personalize.Storage;

namespace Personalize.Sqlite;

/// <summary>Binds records to the SQLite store's statements (rows are read back by <see cref="StoreRows"/>).</summary>
internal static class SqliteRows
{
    public static object Db(string? value) => (object?)value ?? DBNull.Value;

    public static object Db(long? value) => value is { } v ? v : DBNull.Value;

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

    public const string InsertConsent = "INSERT INTO consent_records (" + StoreRows.ConsentColumns + ") VALUES ($customer, $seq, $scopeKind, $channel, $purpose, $topic, $action, $recordedAt, $sourceKind, $sourceDetail, $wording, $wordingVersion, $optIn, $confirmedAt, $methodEvidence)";

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

    public const string InsertDelivery = "INSERT OR IGNORE INTO delivery_log (" + StoreRows.DeliveryColumns + ") VALUES ($key, $customer, $message, $channel, $purpose, $kind, $sentAt, $trigger, $template, $run, $state)";

    public const string InsertScheduled = "INSERT OR IGNORE INTO scheduled_sends (" + StoreRows.ScheduledColumns + ") VALUES ($key, $customer, $message, $channel, $template, $trigger, $purpose, $kind, $dueAt, $decidedAt, $run, 0, NULL, NULL)";

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
}

/// <summary>
/// The current row of a statement stepped through SQLite's own API: values read where SQLite holds them, text through a
/// per-read <see cref="Events.Utf8StringCache"/>, so a page's repeated customer ids, channel names, sources and wordings
/// are one string each instead of one per row. Columns are read by direct calls on the statement's pointer when
/// <see cref="SqliteNative.Available"/> (no safe handle marshalled per column), else through <see cref="SQLitePCL.raw"/>.
/// </summary>
internal readonly struct SqliteRow(SQLitePCL.sqlite3_stmt statement, Events.Utf8StringCache strings) : IStoreRow
{
    private readonly nint _handle = SqliteNative.Handle(statement);

    public bool IsNull(int ordinal) => (_handle != 0 ? SqliteNative.ColumnType(_handle, ordinal) : SQLitePCL.raw.sqlite3_column_type(statement, ordinal)) == SQLitePCL.raw.SQLITE_NULL;

    public int Int32(int ordinal) => _handle != 0 ? SqliteNative.ColumnInt(_handle, ordinal) : SQLitePCL.raw.sqlite3_column_int(statement, ordinal);

    public long Int64(int ordinal) => _handle != 0 ? SqliteNative.ColumnInt64(_handle, ordinal) : SQLitePCL.raw.sqlite3_column_int64(statement, ordinal);

    public string String(int ordinal) => strings.Get(Blob(ordinal));

    /// <summary>The column's bytes as SQLite holds them (valid until the statement steps).</summary>
    public ReadOnlySpan<byte> Blob(int ordinal) => _handle != 0 ? SqliteNative.Blob(_handle, ordinal) : SQLitePCL.raw.sqlite3_column_blob(statement, ordinal);
}
