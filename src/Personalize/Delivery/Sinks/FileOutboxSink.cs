using System.Buffers;
using Personalize.Channels;
using Personalize.Channels.Email;

namespace Personalize.Delivery.Sinks;

/// <summary>
/// A file outbox: one <c>.eml</c> file per email in <c>email/</c>, named by idempotency key and written atomically
/// (a temporary file flushed to disk, then a rename), and one JSON Lines file per other channel (<c>sms.jsonl</c>,
/// <c>push.jsonl</c>, <c>in_app.jsonl</c>, <c>direct_mail.jsonl</c>, <c>phone.jsonl</c>, host channels by name),
/// appended one whole line per message. On first use it reads the keys already in the outbox, so a resumed run skips
/// them; a torn last line (a crash mid-write) is ignored and the next line starts on a fresh line.
/// One sink instance per directory; thread-safe. Dispose it to flush and close the JSON Lines files.
/// </summary>
/// <remarks>
/// Durability: each JSON Lines file stays open for the life of the sink. Every line is handed to the operating system
/// before <see cref="WriteAsync"/> returns (so a crash of the process loses nothing reported written), and the file
/// is flushed to disk every <see cref="SyncEvery"/> lines and on <see cref="Dispose"/>. A power or OS failure can
/// lose at most the lines since the last flush to disk; their keys are then missing from the outbox, so a resumed run
/// writes them again — nothing is lost or duplicated. (If another process consumes the lines as they appear, use
/// <c>syncEvery: 1</c>: a line it read before a power failure could otherwise be written and read again.) Emails are flushed to disk one by one before their rename, so a
/// renamed <c>.eml</c> is always complete. While the sink is open it holds each JSON Lines file for writing and shares
/// it for reading only, so a reader must open the file with <see cref="FileShare.ReadWrite"/> (on Windows
/// <see cref="File.ReadAllLines(string)"/> and other <see cref="FileShare.Read"/> opens fail until the sink is disposed).
/// </remarks>
public sealed class FileOutboxSink : IMessageSink, IDisposable
{
    /// <summary>The default of <see cref="SyncEvery"/>.</summary>
    public const int DefaultSyncEvery = 64;

    private const string TempSuffix = ".tmp";
    private const int MaxPooledBuffer = 256 * 1024;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, JsonLinesFile> _files = new(StringComparer.Ordinal);
    private ArrayBufferWriter<byte> _buffer = new(4096);
    private HashSet<string>? _keys;
    private bool _disposed;

    /// <summary>Creates the sink; the directory is created on first write.</summary>
    /// <param name="directory">The outbox directory.</param>
    public FileOutboxSink(string directory)
        : this(directory, DefaultSyncEvery)
    {
    }

    /// <summary>Creates the sink; the directory is created on first write.</summary>
    /// <param name="directory">The outbox directory.</param>
    /// <param name="syncEvery">How many lines a JSON Lines file takes between flushes to disk; 1 flushes every line (the slowest, the most durable).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="syncEvery"/> is less than 1.</exception>
    public FileOutboxSink(string directory, int syncEvery)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentOutOfRangeException.ThrowIfLessThan(syncEvery, 1);
        Directory = Path.GetFullPath(directory);
        SyncEvery = syncEvery;
    }

    /// <summary>How many lines a JSON Lines file takes between flushes to disk (every line reaches the operating system at once).</summary>
    /// <value>The default value is <see cref="DefaultSyncEvery"/> (64).</value>
    public int SyncEvery { get; }

    /// <summary>The outbox directory (full path).</summary>
    public string Directory { get; }

    /// <summary>The directory of the <c>.eml</c> files.</summary>
    public string EmailDirectory => Path.Combine(Directory, "email");

    /// <summary>The path of a channel's JSON Lines file.</summary>
    /// <param name="channel">A channel other than email.</param>
    /// <returns>For example <c>…/sms.jsonl</c>.</returns>
    public string JsonLinesPath(Channel channel) => Path.Combine(Directory, channel.Name + ".jsonl");

    /// <summary>The path of an email's <c>.eml</c> file.</summary>
    /// <param name="idempotencyKey">The message's key.</param>
    /// <returns>For example <c>…/email/pz1_….eml</c>.</returns>
    public string EmailPath(string idempotencyKey) => Path.Combine(EmailDirectory, idempotencyKey + ".eml");

    /// <inheritdoc />
    public async ValueTask WriteAsync(OutgoingMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!IdempotencyKey.IsWellFormed(message.IdempotencyKey))
        {
            throw new ArgumentException($"'{message.IdempotencyKey}' is not an idempotency key made by IdempotencyKey.Create; the outbox names files by it.", nameof(message));
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var keys = LoadKeys();
            if (keys.Contains(message.IdempotencyKey))
            {
                return;
            }

            ObjectDisposedException.ThrowIf(_disposed, this);
            var buffer = _buffer.Capacity <= MaxPooledBuffer ? _buffer : _buffer = new ArrayBufferWriter<byte>(4096);
            buffer.ResetWrittenCount();
            if (message.Channel == Channel.Email)
            {
                MimeEmailWriter.Write(message, buffer);
                WriteEml(message.IdempotencyKey, buffer.WrittenSpan);
            }
            else
            {
                OutboxJson.WriteLine(message, buffer);
                await Append(message.Channel, buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
            }

            keys.Add(message.IdempotencyKey);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public async ValueTask<bool> ContainsAsync(string idempotencyKey, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return LoadKeys().Contains(idempotencyKey);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Flushes the JSON Lines files to disk and closes them.</summary>
    public void Dispose()
    {
        _gate.Wait();
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            foreach (var file in _files.Values)
            {
                file.Stream.Flush(flushToDisk: true);
                file.Stream.Dispose();
            }

            _files.Clear();
        }
        finally
        {
            _gate.Release();
        }
    }

    private void WriteEml(string key, ReadOnlySpan<byte> bytes)
    {
        System.IO.Directory.CreateDirectory(EmailDirectory);
        var final = EmailPath(key);
        var temp = final + TempSuffix;

        // One synchronous write of the whole message (no buffer, no async hop), flushed to disk before the rename.
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0, FileOptions.None))
        {
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
        }

        try
        {
            File.Move(temp, final, overwrite: false);
        }
        catch (IOException) when (File.Exists(final))
        {
            // Another run already delivered this key: keep its file, never duplicate.
            File.Delete(temp);
        }
    }

    private async ValueTask Append(Channel channel, ReadOnlyMemory<byte> line, CancellationToken cancellationToken)
    {
        var name = channel.Name!;
        if (!_files.TryGetValue(name, out var file))
        {
            file = new JsonLinesFile(await OpenAsync(JsonLinesPath(channel), cancellationToken).ConfigureAwait(false));
            _files.Add(name, file);
        }

        // The whole line reaches the operating system before the write counts (bufferSize 0: no managed buffer).
        try
        {
            file.Stream.Write(line.Span);
            if (++file.Unsynced >= SyncEvery)
            {
                file.Stream.Flush(flushToDisk: true);
                file.Unsynced = 0;
            }
        }
        catch
        {
            // A failed write may leave part of a line: close the file, so the retry reopens it and starts on a fresh line.
            _files.Remove(name);
            await file.Stream.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static async Task<FileStream> OpenAsync(string path, CancellationToken cancellationToken)
    {
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, bufferSize: 0, FileOptions.None);
        try
        {
            if (stream.Length > 0)
            {
                // A crash mid-line leaves a torn last line: start on a fresh line so the next one stays whole.
                stream.Seek(-1, SeekOrigin.End);
                var last = new byte[1];
                var read = await stream.ReadAsync(last, cancellationToken).ConfigureAwait(false);
                stream.Seek(0, SeekOrigin.End);
                if (read == 1 && last[0] != (byte)'\n')
                {
                    stream.Write("\n"u8);
                }
            }

            return stream;
        }
        catch
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private HashSet<string> LoadKeys()
    {
        if (_keys is not null)
        {
            return _keys;
        }

        var keys = new HashSet<string>(StringComparer.Ordinal);
        if (System.IO.Directory.Exists(EmailDirectory))
        {
            foreach (var file in System.IO.Directory.EnumerateFiles(EmailDirectory))
            {
                if (file.EndsWith(TempSuffix, StringComparison.Ordinal))
                {
                    File.Delete(file); // a write that never completed its rename
                }
                else if (file.EndsWith(".eml", StringComparison.Ordinal))
                {
                    keys.Add(Path.GetFileNameWithoutExtension(file));
                }
            }
        }

        if (System.IO.Directory.Exists(Directory))
        {
            foreach (var file in System.IO.Directory.EnumerateFiles(Directory, "*.jsonl"))
            {
                foreach (var line in File.ReadLines(file))
                {
                    if (line.Length > 0 && OutboxJson.ReadKey(System.Text.Encoding.UTF8.GetBytes(line)) is { } key)
                    {
                        keys.Add(key);
                    }
                }
            }
        }

        _keys = keys;
        return keys;
    }
}
