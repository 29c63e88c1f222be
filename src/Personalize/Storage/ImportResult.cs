namespace Personalize.Storage;

/// <summary>The outcome of <see cref="IPersonalizeStore.ImportCustomersAsync"/>: what was written, or every refusal (and then nothing).</summary>
public sealed record ImportResult
{
    /// <summary>Gets how many customers were created.</summary>
    public int Created { get; init; }

    /// <summary>Gets how many known customers had their profile facts replaced.</summary>
    public int Updated { get; init; }

    /// <summary>Gets how many consent records were appended (records the store already held are not added again).</summary>
    public int ConsentRecordsAdded { get; init; }

    /// <summary>Gets how many contact history records were added.</summary>
    public int HistoryRecordsAdded { get; init; }

    /// <summary>Gets every refusal; when not empty, nothing was written.</summary>
    /// <value>The default value is empty.</value>
    public IReadOnlyList<ImportError> Errors { get; init; } = [];

    /// <summary>Whether the import was written.</summary>
    public bool Succeeded => Errors.Count == 0;
}
