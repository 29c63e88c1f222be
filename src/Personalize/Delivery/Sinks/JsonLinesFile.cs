namespace Personalize.Delivery.Sinks;

/// <summary>
/// An open JSON Lines file of a <see cref="FileOutboxSink"/>: the append stream, how many bytes of the file the sink
/// has read keys from (lines other processes appended beyond it are read before the next write), and the lines
/// written since its last flush to disk.
/// </summary>
internal sealed class JsonLinesFile(FileStream stream, long scanned)
{
    public FileStream Stream { get; } = stream;

    public long Scanned { get; set; } = scanned;

    public int Unsynced { get; set; }
}
