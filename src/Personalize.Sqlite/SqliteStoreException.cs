namespace Personalize.Sqlite;

/// <summary>
/// A SQLite database Personalize cannot use: written by a newer release (its schema version is higher than this one
/// knows; it is not changed), not a database, or holding data this release cannot read. The message names the file and
/// what to do.
/// </summary>
public sealed class SqliteStoreException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SqliteStoreException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong, with the file and what to do.</param>
    public SqliteStoreException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong, with the file and what to do.</param>
    /// <param name="innerException">The cause.</param>
    public SqliteStoreException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
