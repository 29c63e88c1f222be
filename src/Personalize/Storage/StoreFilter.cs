using System.Data.Common;
using System.Text;

namespace Personalize.Storage;

/// <summary>
/// The SQL of one store read, built once for both SQL stores from the query: its conditions, order and limit, with every
/// parameter spelled <c>@name</c> (SQLite and PostgreSQL both read that spelling). Only a list of texts is spelled per
/// store: PostgreSQL binds an array (<c>column = ANY(@name)</c>), SQLite one JSON array read back with <c>json_each</c>.
/// </summary>
internal sealed class StoreFilter
{
    private readonly StringBuilder _sql;
    private readonly List<KeyValuePair<string, object>> _parameters = [];
    private readonly bool _arrays;

    /// <summary>Initializes a new instance of the <see cref="StoreFilter"/> class.</summary>
    /// <param name="select">The statement up to its conditions (<c>SELECT … FROM table</c>).</param>
    /// <param name="arrays">Whether the store binds lists as arrays (PostgreSQL) rather than as a JSON array (SQLite).</param>
    public StoreFilter(string select, bool arrays)
    {
        _sql = new StringBuilder(select).Append(" WHERE 1 = 1");
        _arrays = arrays;
    }

    /// <summary>Adds a condition that binds nothing.</summary>
    public StoreFilter Where(string condition)
    {
        _sql.Append(" AND ").Append(condition);
        return this;
    }

    /// <summary>Adds a condition and the one parameter it names.</summary>
    public StoreFilter Where(string condition, string name, object value) => Where(condition).Bind(name, value);

    /// <summary>Adds "<paramref name="column"/> is one of <paramref name="values"/>", bound as one parameter.</summary>
    public StoreFilter WhereIn(string column, string name, IReadOnlyCollection<string> values)
        => _arrays
            ? Where(column + " = ANY(@" + name + ")", name, values.ToArray())
            : Where(column + " IN (SELECT value FROM json_each(@" + name + "))", name, JsonArray(values));

    /// <summary>Binds a parameter a condition names.</summary>
    public StoreFilter Bind(string name, object value)
    {
        _parameters.Add(new(name, value));
        return this;
    }

    /// <summary>The statement with its order and one row more than <paramref name="limit"/> (which tells that another page follows).</summary>
    public string Sql(string orderBy, int limit)
    {
        Bind("limit", limit + 1);
        return _sql.Append(" ORDER BY ").Append(orderBy).Append(" LIMIT @limit").ToString();
    }

    /// <summary>Binds the parameters to a command of the statement.</summary>
    public void BindTo(DbCommand command)
    {
        foreach (var (name, value) in _parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@" + name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }
    }

    /// <summary>Texts as a JSON array.</summary>
    private static string JsonArray(IReadOnlyCollection<string> values)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>((values.Count * 16) + 2);
        using (var writer = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var value in values)
            {
                writer.WriteStringValue(value);
            }

            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
