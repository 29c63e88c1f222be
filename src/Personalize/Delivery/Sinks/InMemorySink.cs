namespace Personalize.Delivery.Sinks;

/// <summary>A sink that keeps messages in memory, in the order written (for tests and previews). Thread-safe.</summary>
public sealed class InMemorySink : IMessageSink
{
    private readonly object _gate = new();
    private readonly List<OutgoingMessage> _messages = [];
    private readonly HashSet<string> _keys = new(StringComparer.Ordinal);

    /// <summary>A snapshot of the messages written, in order.</summary>
    public IReadOnlyList<OutgoingMessage> Messages
    {
        get
        {
            lock (_gate)
            {
                return _messages.ToArray();
            }
        }
    }

    /// <summary>The number of messages held.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _messages.Count;
            }
        }
    }

    /// <inheritdoc />
    public ValueTask WriteAsync(OutgoingMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (_keys.Add(message.IdempotencyKey))
            {
                _messages.Add(message);
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<bool> ContainsAsync(string idempotencyKey, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return new(_keys.Contains(idempotencyKey));
        }
    }

    /// <summary>Removes every message.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _messages.Clear();
            _keys.Clear();
        }
    }
}
