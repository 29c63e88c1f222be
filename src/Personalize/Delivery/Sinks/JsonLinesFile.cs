namespace Personalize.Delivery.Sinks;

/// <summary>An open JSON Lines file of a <see cref="FileOutboxSink"/> and the lines written since its last flush to disk.</summary>
internal sealed class JsonLinesFile(FileStream stream)
{
    public FileStream Stream { get; } = stream;

    public int Unsynced { get; set; }
}
