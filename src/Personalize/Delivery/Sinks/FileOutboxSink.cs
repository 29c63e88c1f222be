using System.Buffers;
using Personalize.Delivery.Email;

namespace Personalize.Delivery.Sinks;

/// <summary>
/// A file outbox: one <c>.eml</c> file per email in <c>email/</c>, named by idempotency key and written atomically
/// (a temporary file, then a rename), and one JSON Lines file per other channel (<c>sms.jsonl</c>, <c>push.jsonl</c>,
/// <c>in_app.jsonl</c>, <c>direct_mail.jsonl</c>, <c>phone.jsonl</c>, host channels by name), appended one whole
/// line per message and flushed to disk. On first use it reads the keys already in the outbox, so a resumed run skips
/// them; a torn last line (a crash mid-write) is ignored and the next line starts on a fresh line.
/// One sink instance per directory; thread-safe.
/// </summary>
public sealed class FileOutboxSink : IMessageSink, IDisposable
{
    private const string TempSuffix = ".tmp";
    private readonly SemaphoreSlim _gate = new(1, 1);
    private HashSet<string>? _keys;

    /// <summary>Creates the sink; the directory is created on first write.</summary>
    /// <param name="directory">The outbox directory.</param>
    public FileOutboxSink(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Directory = Path.GetFullPath(directory);
    }

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

            var buffer = new ArrayBufferWriter<byte>(2048);
            if (message.Channel == Channel.Email)
            {
                MimeEmailWriter.Write(message, buffer);
                await WriteEmlAsync(message.IdempotencyKey, buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                OutboxJson.WriteLine(message, buffer);
                await AppendLineAsync(JsonLinesPath(message.Channel), buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
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

    /// <inheritdoc />
    public void Dispose() => _gate.Dispose();

    private async Task WriteEmlAsync(string key, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        System.IO.Directory.CreateDirectory(EmailDirectory);
        var final = EmailPath(key);
        var temp = final + TempSuffix;
        await using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous))
        {
            await stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
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

    private static async Task AppendLineAsync(string path, ReadOnlyMemory<byte> line, CancellationToken cancellationToken)
    {
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await using var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, 4096, FileOptions.Asynchronous);
        if (stream.Length > 0)
        {
            // A crash mid-line leaves a torn last line: start on a fresh line so this one stays whole.
            stream.Seek(-1, SeekOrigin.End);
            var last = new byte[1];
            var read = await stream.ReadAsync(last, cancellationToken).ConfigureAwait(false);
            stream.Seek(0, SeekOrigin.End);
            if (read == 1 && last[0] != (byte)'\n')
            {
                await stream.WriteAsync("\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
            }
        }

        await stream.WriteAsync(line, cancellationToken).ConfigureAwait(false);
        stream.Flush(flushToDisk: true);
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
