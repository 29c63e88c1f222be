using System.Collections;

namespace Personalize.Journeys;

/// <summary>
/// Instances to write with their stored form (<see cref="JourneyInstanceJson.Write"/>) made beforehand: the due pass's
/// planning stage writes them, so a store with a single writer (SQLite) binds the bytes instead of serializing each
/// instance inside its write transaction. The bytes belong to this list's instances (both fixed when it is made).
/// </summary>
internal sealed class SerializedJourneys : IReadOnlyList<JourneyInstance>
{
    private readonly JourneyInstance[] _instances;
    private readonly byte[][] _data;

    /// <summary>Initializes a new instance of the <see cref="SerializedJourneys"/> class: copies the instances and writes each one's stored form.</summary>
    public SerializedJourneys(IReadOnlyList<JourneyInstance> instances)
    {
        _instances = [.. instances];
        _data = new byte[_instances.Length][];
        for (var i = 0; i < _instances.Length; i++)
        {
            _data[i] = JourneyInstanceJson.Write(_instances[i]);
        }
    }

    /// <inheritdoc />
    public int Count => _instances.Length;

    /// <inheritdoc />
    public JourneyInstance this[int index] => _instances[index];

    /// <summary>The stored form of <paramref name="instances"/>[<paramref name="index"/>]: the one made beforehand, or written now.</summary>
    public static byte[] DataOf(IReadOnlyList<JourneyInstance> instances, int index)
        => instances is SerializedJourneys serialized ? serialized._data[index] : JourneyInstanceJson.Write(instances[index]);

    /// <inheritdoc />
    public IEnumerator<JourneyInstance> GetEnumerator() => ((IEnumerable<JourneyInstance>)_instances).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
