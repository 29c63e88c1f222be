using Personalize.Channels;
namespace Personalize.PostgreSql;

/// <summary>
/// A PostgreSQL database Personalize cannot use: it cannot be reached with the connection string, its Personalize
/// schema was written by a newer release (its schema version is higher than this one knows; it is not changed), or it
/// holds data this release cannot read. The message names the server, database and schema (never the password) and
/// what to do.
/// </summary>
public sealed class PostgreSqlStoreException : Exception
{
    /// <summary>Creates the exception.</summary>
    public PostgreSqlStoreException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong, where, and what to do.</param>
    public PostgreSqlStoreException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong, where, and what to do.</param>
    /// <param name="innerException">The cause.</param>
    public PostgreSqlStoreException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
